"""A probe document read back into the facts the checks judge, so unit tests can
judge real runs' observations (tests/fixtures/lessons, captured from the lab
cluster) and wrong outcomes made from them. The document is read as every
reader reads it (probes.document); the facts it shares with the observation
come over by name."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from probes.document import ProbeDocument, document_from_json
from probes.facts import Expectations, Observation

LESSONS = Path(__file__).resolve().parents[1] / "fixtures" / "lessons"


def load(step: str) -> ProbeDocument:
    return read(LESSONS / f"{step}.json")


def read(path: Path) -> ProbeDocument:
    return document_from_json(json.loads(path.read_text()))


def expectations(document: ProbeDocument, **changes: Any) -> Expectations:
    return replace(document.expectations, **changes)


def observation(document: ProbeDocument) -> Observation:
    shared = {f.name for f in fields(Observation)} & {f.name for f in fields(ProbeDocument)}
    pods = document.pods
    return Observation(
        statefulset_pods=pods.statefulset,
        deployment_pods=pods.deployment,
        terminating=pods.terminating,
        strangers=pods.strangers,
        **{name: getattr(document, name) for name in shared},
    )

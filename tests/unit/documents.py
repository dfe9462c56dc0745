"""A probe document read back into the facts the checks judge, so unit tests can
judge real runs' observations (tests/fixtures/lessons, captured from the lab
cluster) and wrong outcomes made from them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from probes.facts import (
    ClaimFacts,
    DeploymentFacts,
    DnsLookup,
    Expectations,
    LifecycleEvent,
    NodeFacts,
    Observation,
    PodFacts,
    Revision,
    ServiceFacts,
    StatefulSetFacts,
)
from probes.lesson_record import LessonRecord

LESSONS = Path(__file__).resolve().parents[1] / "fixtures" / "lessons"


def load(step: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((LESSONS / f"{step}.json").read_text())
    return document


def expectations(document: dict[str, Any], **changes: Any) -> Expectations:
    return Expectations(**{**document["expectations"], **changes})


def _pods(items: list[dict[str, Any]]) -> list[PodFacts]:
    return [PodFacts(**p) for p in items]


def observation(document: dict[str, Any]) -> Observation:
    pods = document["pods"]
    return Observation(
        statefulset=StatefulSetFacts(**document["statefulset"]) if document.get("statefulset") else None,
        deployment=DeploymentFacts(**document["deployment"]) if document.get("deployment") else None,
        statefulset_pods=_pods(pods["statefulset"]),
        deployment_pods=_pods(pods["deployment"]),
        claims=[ClaimFacts(**c) for c in document["claims"]],
        dns=[DnsLookup(**d) for d in document["dns"]],
        events=[LifecycleEvent(**ev) for ev in document["events"]],
        stable_storage=None,
        nodes=[NodeFacts(**n) for n in document["nodes"]],
        terminating=_pods(pods.get("terminating", [])),
        strangers=_pods(pods.get("strangers", [])),
        dns_error=document.get("dns_error", ""),
        services=[ServiceFacts(**s) for s in document.get("services", [])],
        lesson=LessonRecord.from_json(json.dumps(document["lesson"])) if document.get("lesson") else None,
        revisions=[Revision(**r) for r in document["revisions"]] if document.get("revisions") is not None else None,
        stable_storage_error=document.get("stable_storage_error", ""),
    )

"""The pure parts of `python -m lessons`: what a lesson is told (its spec's
JSON round trip and the names it derives) and the command line's answers
that need no cluster."""

from __future__ import annotations

import json

import pytest

from kube.names import LabNames
from lessons.__main__ import main
from lessons.spec import LessonSpec


def spec(**changes: object) -> LessonSpec:
    settings: dict[str, object] = {"lesson": "drain", "namespace": "lab", "replicas": 3, "ordinals_start": 2}
    return LessonSpec.for_lab(LabNames(), **{**settings, **changes})


def test_a_spec_reads_back_from_the_json_the_program_writes() -> None:
    told = spec(ordinal=3, context="kind-lab")
    assert LessonSpec.from_json(told.to_json()) == told


def test_a_spec_names_its_pods_from_the_start_ordinal_and_its_cluster_from_the_context() -> None:
    told = spec(context="kind-lab")
    assert told.pod(2) == "web-sts-2"
    assert told.highest_ordinal == 4
    assert told.target.context == "kind-lab"
    assert told.target.namespace == "lab"
    assert told.names == LabNames()


def test_an_unknown_lesson_is_a_usage_error_listing_the_lessons(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dance", "{}"]) == 2
    assert "drain" in capsys.readouterr().err


def test_the_none_lesson_prints_an_empty_record_without_touching_the_cluster(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["none", spec(lesson="none").to_json()]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["lesson"] == "none"
    assert record["before"] == record["after"] == []

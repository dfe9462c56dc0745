"""A stored probe document says how old it is and whether the cluster changed
since; `make demo` observes again exactly when it did."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from labstack import freshness
from labstack.freshness import age, describe_changes, status_lines

THEN: dict[str, Any] = {
    "statefulset": {"uid": "s1", "generation": 2},
    "deployment": {"uid": "d1", "generation": 1},
    "pods": ["web-dep-a-xxxxx/u3", "web-sts-0/u1", "web-sts-1/u2"],
}


def test_the_same_cluster_has_no_changes() -> None:
    assert describe_changes(THEN, dict(THEN)) == []


def test_every_kind_of_change_is_named() -> None:
    now = {
        "statefulset": {"uid": "s1", "generation": 3},
        "deployment": None,
        "pods": ["web-sts-0/u1", "web-sts-1/u9"],
    }
    assert describe_changes(THEN, now) == [
        "StatefulSet generation 2 -> 3",
        "the Deployment is gone",
        "pods gone or replaced: web-dep-a-xxxxx, web-sts-1",
        "new pods: web-sts-1",
    ]
    assert describe_changes(THEN, {**THEN, "statefulset": {"uid": "s2", "generation": 1}}) == [
        "the StatefulSet was replaced"
    ]


def test_age_reads_like_a_person_says_it() -> None:
    now = datetime(2026, 12, 2, 12, 0, 0, tzinfo=UTC)
    assert age("2026-12-02T11:59:30Z", now) == "30 s"
    assert age("2026-12-02T11:49:00Z", now) == "11 min 0 s"
    assert age("2026-12-02T09:30:00Z", now) == "2 h 30 min"


def document(fingerprint: dict[str, Any] | None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "observed_at": "2026-12-02T11:49:00Z",
        "expectations": {
            "namespace": "default",
            "statefulset": "web-sts",
            "statefulset_service": "nginx-sts",
            "deployment": "web-dep",
            "deployment_service": "nginx-dep",
        },
    }
    if fingerprint is not None:
        doc["fingerprint"] = fingerprint
    return doc


def test_a_changed_cluster_is_said_and_asks_for_a_new_observation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(freshness, "live_fingerprint", lambda doc: {**THEN, "pods": THEN["pods"][1:]})
    lines, changed = status_lines(document(THEN), datetime(2026, 12, 2, 12, 0, 0, tzinfo=UTC))
    assert changed
    assert lines[0] == "Observed 11 min 0 s ago."
    assert lines[1].startswith("CHANGED since: pods gone or replaced: web-dep-a-xxxxx.")


def test_an_unchanged_cluster_keeps_the_stored_verdicts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(freshness, "live_fingerprint", lambda doc: dict(THEN))
    lines, changed = status_lines(document(THEN))
    assert not changed and lines[1] == "The workloads and their pods have not changed since."


def test_a_document_without_a_fingerprint_counts_as_changed() -> None:
    lines, changed = status_lines(document(None))
    assert changed and "predates fingerprints" in lines[1]

"""A stored probe document says how old it is and whether the cluster changed
since; `make demo` observes again exactly when it did."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from labstack import freshness
from labstack.freshness import age, describe_changes, status_lines
from probes.document import Fingerprint, ProbeDocument, WorkloadIdentity
from tests.fixtures.documents import document as fixture_document

THEN = Fingerprint(
    statefulset=WorkloadIdentity(uid="s1", generation=2),
    deployment=WorkloadIdentity(uid="d1", generation=1),
    pods=["web-dep-a-xxxxx/u3", "web-sts-0/u1", "web-sts-1/u2"],
)


def test_the_same_cluster_has_no_changes() -> None:
    assert describe_changes(THEN, replace(THEN)) == []


def test_every_kind_of_change_is_named() -> None:
    now = Fingerprint(
        statefulset=WorkloadIdentity(uid="s1", generation=3),
        deployment=None,
        pods=["web-sts-0/u1", "web-sts-1/u9"],
    )
    assert describe_changes(THEN, now) == [
        "StatefulSet generation 2 -> 3",
        "the Deployment is gone",
        "pods gone or replaced: web-dep-a-xxxxx, web-sts-1",
        "new pods: web-sts-1",
    ]
    assert describe_changes(THEN, replace(THEN, statefulset=WorkloadIdentity(uid="s2", generation=1))) == [
        "the StatefulSet was replaced"
    ]


def test_age_reads_like_a_person_says_it() -> None:
    now = datetime(2026, 12, 2, 12, 0, 0, tzinfo=UTC)
    assert age("2026-12-02T11:59:30Z", now) == "30 s"
    assert age("2026-12-02T11:49:00Z", now) == "11 min 0 s"
    assert age("2026-12-02T09:30:00Z", now) == "2 h 30 min"


def document(fingerprint: Fingerprint | None) -> ProbeDocument:
    """A stored document observed at 11:49, with the given fingerprint."""
    return replace(fixture_document("stranger"), observed_at="2026-12-02T11:49:00Z", fingerprint=fingerprint)


def test_a_changed_cluster_is_said_and_asks_for_a_new_observation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(freshness, "live_fingerprint", lambda doc: replace(THEN, pods=THEN.pods[1:]))
    lines, changed = status_lines(document(THEN), datetime(2026, 12, 2, 12, 0, 0, tzinfo=UTC))
    assert changed
    assert lines[0] == "Observed 11 min 0 s ago."
    assert lines[1].startswith("CHANGED since: pods gone or replaced: web-dep-a-xxxxx.")


def test_an_unchanged_cluster_keeps_the_stored_verdicts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(freshness, "live_fingerprint", lambda doc: replace(THEN))
    lines, changed = status_lines(document(THEN))
    assert not changed and lines[1] == "The workloads and their pods have not changed since."


def test_a_document_without_a_fingerprint_counts_as_changed() -> None:
    lines, changed = status_lines(document(None))
    assert changed and "no fingerprint" in lines[1]


def test_the_live_fingerprint_asks_the_context_and_namespace_the_probes_used(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[list[str]] = []

    def answer(argv: list[str], timeout: float) -> dict[str, object]:
        asked.append(argv)
        return {"items": []}

    monkeypatch.setattr(freshness, "run_json", answer)
    stored = fixture_document("stranger")
    found = freshness.live_fingerprint(replace(stored, cluster=replace(stored.cluster, context="kind-lab")))
    assert found == Fingerprint(statefulset=None, deployment=None, pods=[])
    assert all("--context=kind-lab" in argv and "--namespace=default" in argv for argv in asked)

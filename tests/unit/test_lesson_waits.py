"""A lesson's wait: done in time, or the problem its record carries."""

from __future__ import annotations

import pytest

from kube.names import LabNames
from lessons import cluster
from lessons.cluster import LessonCluster
from lessons.spec import LessonSpec


@pytest.fixture
def lab(monkeypatch: pytest.MonkeyPatch) -> LessonCluster:
    monkeypatch.setattr(cluster, "POLL_SECONDS", 0.01)
    return LessonCluster(LessonSpec.for_lab(LabNames(), lesson="scale-behind", namespace="lab", replicas=2))


def test_a_wait_that_comes_true_leaves_no_problem(lab: LessonCluster) -> None:
    answers = iter([False, False, True])
    assert lab.wait_or_problem("web-sts-2 Ready", lambda: next(answers), timeout=5) == ""


def test_a_wait_that_times_out_is_the_records_problem_naming_what_it_waited_for(lab: LessonCluster) -> None:
    problem = lab.wait_or_problem("web-sts-2 Ready", lambda: False, timeout=0.05)
    assert problem.startswith("not within 0s: web-sts-2 Ready"), problem


def test_a_lesson_on_a_missing_statefulset_stops_with_what_it_cannot_do(
    lab: LessonCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lab, "statefulset", lambda: None)
    with pytest.raises(cluster.LessonError, match=r"^StatefulSet web-sts does not exist: nothing to scale$"):
        lab.require_statefulset("nothing to scale")
    found = {"metadata": {"name": "web-sts"}}
    monkeypatch.setattr(lab, "statefulset", lambda: found)
    assert lab.require_statefulset("nothing to scale") is found

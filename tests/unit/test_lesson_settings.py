"""A lesson that cannot apply stops the preview, naming the key: a pod that
does not exist, a lesson that needs a pod and was given none, a lab-only
lesson on another cluster."""

from __future__ import annotations

from pathlib import Path

import pytest

from labcluster.paths import LabPaths
from plan.lesson_plan import LessonPlanError, check_lesson_cluster, lab_node_names
from plan.settings import PROJECT, LabSettings, SettingsError, settings_from_config


def settings(**values: str) -> LabSettings:
    return settings_from_config({f"{PROJECT}:{k}": v for k, v in values.items()})


def problems(**values: str) -> list[str]:
    with pytest.raises(SettingsError) as err:
        settings(**values)
    return err.value.problems


def test_a_lesson_with_its_pod_is_taken() -> None:
    lesson = settings(lesson="delete-pod", lessonOrdinal="1").lesson
    assert (lesson.name, lesson.ordinal) == ("delete-pod", 1)
    assert settings(lesson="drain").lesson.ordinal is None, "drain defaults to the highest ordinal"


def test_a_lesson_that_acts_on_a_pod_needs_one() -> None:
    (problem,) = problems(lesson="delete-pod")
    assert problem.startswith(
        f"{PROJECT}:lesson delete-pod deletes the StatefulSet pod lessonOrdinal: set {PROJECT}:lessonOrdinal"
    )
    assert "one of 0..1" in problem


def test_an_ordinal_that_does_not_exist_is_refused_naming_the_range() -> None:
    (problem,) = problems(lesson="delete-pod", lessonOrdinal="2")
    assert problem == (
        f"{PROJECT}:lessonOrdinal must be the ordinal of an existing StatefulSet pod (0..1, from "
        f"{PROJECT}:ordinalsStart and {PROJECT}:replicas), got 2"
    )
    assert settings(lesson="delete-pod", lessonOrdinal="3", ordinalsStart="2").lesson.ordinal == 3
    assert problems(lesson="delete-pod", lessonOrdinal="1", ordinalsStart="2")[0].endswith("(2..3, from "
        f"{PROJECT}:ordinalsStart and {PROJECT}:replicas), got 1")  # fmt: skip


def test_an_ordinal_left_over_from_an_earlier_step_is_ignored_by_a_lesson_that_takes_none() -> None:
    assert settings(lesson="orphan", lessonOrdinal="7").lesson.name == "orphan"


def test_a_lesson_on_zero_replicas_is_refused() -> None:
    (problem,) = problems(lesson="drain", replicas="0")
    assert problem == f"{PROJECT}:lesson drain needs a StatefulSet pod, and replicas is 0"


@pytest.mark.parametrize("value", ["-1", "x", "1.5", " 1"])
def test_a_lesson_ordinal_is_a_whole_number(value: str) -> None:
    assert any(
        p.startswith(f"{PROJECT}:lessonOrdinal must be empty or a whole number") for p in problems(lessonOrdinal=value)
    )


def test_an_unknown_lesson_lists_the_lessons() -> None:
    (problem,) = problems(lesson="reboot")
    assert "must be one of none, delete-pods, delete-pod" in problem


def test_lab_only_lessons_run_only_on_this_machines_lab_cluster(tmp_path: Path) -> None:
    stop = settings(lesson="stop-node")
    lab = {"lab-node", "lab-worker-0", "lab-worker-1"}
    check_lesson_cluster(stop, sorted(lab), lab)
    with pytest.raises(LessonPlanError) as err:
        check_lesson_cluster(stop, ["kind-control-plane", "kind-worker"], lab)
    assert "the stack's cluster is not it (its nodes: kind-control-plane, kind-worker" in str(err.value)
    assert "use the lessons drain and uncordon" in str(err.value)
    with pytest.raises(LessonPlanError, match="never started"):
        check_lesson_cluster(stop, ["kind-control-plane"], set())
    check_lesson_cluster(settings(lesson="drain"), ["kind-control-plane"], set())  # drain runs anywhere


def test_the_lab_nodes_are_read_from_the_layout_of_the_last_up(tmp_path: Path) -> None:
    paths = LabPaths(state=tmp_path, cache=tmp_path)
    assert lab_node_names(paths) == set()
    (tmp_path / "layout.json").write_text('{"workers": 1, "nodes": [{"name": "lab-node"}, {"name": "lab-worker-0"}]}')
    assert lab_node_names(paths) == {"lab-node", "lab-worker-0"}

"""What the tour runs without a cluster: a step through a stand-in stack (an
`up` that fails as the lesson means it to, or against it), each experiment's
starting config, the stored results a resumed tour reads back, and the line
each ended step prints."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from labstack.automation import StackOperationError
from labstack.experiments import TUTORIAL, Step
from labstack.step_runner import StepResult, run_step
from probes.document import ProbeDocument
from tests.unit.documents import load
from tour.plan import plan_tour, select
from tour.runner import Progress, TourError, TourOptions, has_storage_class, load_results


def step(name: str) -> Step:
    return next(s for s in TUTORIAL if s.name == name)


@dataclass
class StandInStack:
    """Does what LabStack does, from a recorded document; `up` fails when told to."""

    document: ProbeDocument | None
    up_fails: bool = False
    calls: list[str] = field(default_factory=list)

    def configure(self, **values: str) -> None:
        self.calls.append("configure " + " ".join(f"{k}={v}" for k, v in values.items()))

    def up(self, label: str = "up", refresh: bool = False, **config: str) -> None:
        self.calls.append(f"up {label}" + (" --refresh" if refresh else ""))
        if self.up_fails:
            raise StackOperationError("pulumi up of stack tour-rollback failed: web-sts-2 cannot start\nmore")

    def observe_again(self) -> None:
        self.calls.append("observe again")

    def probes(self) -> ProbeDocument:
        if self.document is None:
            raise AssertionError("stack tour-x has no probe document")
        return self.document


def run(stack: StandInStack, name: str) -> StepResult:
    return run_step(stack, step(name))  # type: ignore[arg-type]


def test_a_step_sets_its_config_refreshes_where_it_says_and_reads_the_verdicts() -> None:
    stack = StandInStack(load("adopt"))
    result = run(stack, "adopt")
    assert stack.calls == ["configure lesson=adopt replicas=2", "up adopt --refresh"]
    assert result.document is stack.document and result.problem == "" and result.up_failure == ""


def test_an_up_that_fails_as_the_lesson_means_is_observed_again_like_make_report() -> None:
    stack = StandInStack(load("rollback-stalled"), up_fails=True)
    result = run(stack, "rollback-stalled")
    assert stack.calls[-2:] == ["up rollback-stalled", "observe again"]
    assert result.up_failure == "pulumi up of stack tour-rollback failed: web-sts-2 cannot start"
    assert result.problem == ""


def test_an_up_that_fails_against_the_lesson_is_a_problem_but_still_judged() -> None:
    result = run(StandInStack(load("canary"), up_fails=True), "canary")
    assert result.problem.startswith("up failed: pulumi up of stack tour-rollback failed")
    assert result.document is not None


def test_a_stopped_run_does_not_observe_a_failed_up_again() -> None:
    stack = StandInStack(load("canary"), up_fails=True)
    result = run_step(stack, step("canary"), going_on=lambda: False)  # type: ignore[arg-type]
    assert "observe again" not in stack.calls
    assert result.document is None and result.problem.startswith("up failed: ")


def test_an_up_that_should_fail_and_does_not_is_a_problem() -> None:
    result = run(StandInStack(load("rollback-reverted")), "rollback-reverted")
    assert result.problem == "up succeeded, but this step's lesson is an up that fails"


def test_a_step_without_a_document_says_there_are_no_verdicts() -> None:
    result = run(StandInStack(None), "parallel")
    assert result.document is None and result.problem == "no verdicts: stack tour-x has no probe document"


def test_a_result_reads_back_as_it_was_stored(tmp_path: Path) -> None:
    stored = StepResult("canary", "2026-12-06T22:00:00Z", 41.5, load("canary"), up_failure="", problem="")
    options = TourOptions(home=tmp_path)
    options.results.mkdir(parents=True)
    (options.results / "canary.json").write_text(json.dumps(stored.to_json()))
    (again,) = load_results(options, (step("canary"),)).values()
    assert again == stored


def test_a_resumed_tour_without_the_earlier_results_says_where_to_start(tmp_path: Path) -> None:
    with pytest.raises(TourError, match="no result of step seed from an earlier tour: start earlier"):
        load_results(TourOptions(home=tmp_path), (step("seed"),))


def test_each_experiment_starts_from_its_stack_file_in_a_namespace_of_its_own(tmp_path: Path) -> None:
    config: dict[str, Any] = TourOptions(home=tmp_path, prefix="e2e-tour-", context="lab").stack_config("nodes")
    assert config == {
        "namespace": "e2e-tour-nodes",
        "spreadAcrossNodes": "true",
        "installLocalPath": "false",
        "context": "lab",
    }


def test_each_ended_step_prints_one_line_counting_the_steps_of_the_whole_run() -> None:
    plan = plan_tour(select(["parallel", "ordinals", "nodes"], []))
    printed: list[str] = []
    progress = Progress(plan, started=0.0, say=printed.append, lanes=4)
    parallel, ordinals = plan.side_by_side
    progress.step_ended(parallel, StepResult("parallel", "2026-12-06T22:00:00Z", 60.0, load("canary")))
    progress.step_ended(ordinals, StepResult("ordinals", "2026-12-06T22:01:00Z", 60.0, load("ordinals")))
    progress.step_ended(parallel, StepResult("parallel-scale-out", "2026-12-06T22:02:00Z", 60.0, load("canary")))
    progress.step_ended(ordinals, StepResult("ordinals-rollout", "2026-12-06T22:03:00Z", 60.0, load("ordinals")))
    assert [line.split("]")[0] + "]" for line in printed] == ["[ 1/12]", "[ 2/12]", "[ 3/12]", "[ 4/12]"]
    # The side-by-side steps left share the lanes of the experiments still
    # running (five steps in two lanes: 2m30s), then come the six node steps
    # one after another; once ordinals has ended, parallel's last two steps
    # run one after the other in its own lane.
    assert [line.rsplit("about ", 1)[1] for line in printed] == [
        "8m30s left",
        "8m00s left",
        "7m30s left",
        "8m00s left",
    ]


@pytest.mark.parametrize(("status", "found"), [(0, True), (1, False)])
def test_the_tour_uses_the_clusters_storage_class_when_kubectl_finds_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, status: int, found: bool
) -> None:
    kubectl = tmp_path / "kubectl"
    kubectl.write_text(f'#!/bin/sh\necho "$*" > {tmp_path}/argv\nexit {status}\n')
    kubectl.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert has_storage_class("local-path", "lab") is found
    asked = (tmp_path / "argv").read_text().split()
    assert asked[:2] == ["--context", "lab"] and asked[-4:] == ["storageclass", "local-path", "-o", "name"]

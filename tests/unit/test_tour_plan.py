"""The tour's plan: which steps, in what order, what side by side and what
alone, and where a resumed tour (FROM=) starts again."""

from __future__ import annotations

import pytest

from labstack.experiments import TUTORIAL
from tour.plan import PlanError, plan_tour, select


def names(steps: object) -> list[str]:
    return [s.name for s in steps]  # type: ignore[attr-defined]


def test_the_whole_tour_runs_every_step_and_shows_them_in_the_tutorials_order() -> None:
    plan = plan_tour(TUTORIAL)
    assert plan.steps == TUTORIAL and plan.reused == ()
    assert sorted(names(plan.to_run)) == sorted(names(TUTORIAL))


def test_independent_experiments_run_side_by_side_longest_first() -> None:
    plan = plan_tour(TUTORIAL)
    sizes = [len(e.steps) for e in plan.side_by_side]
    assert sizes == sorted(sizes, reverse=True)
    assert [e.stack for e in plan.side_by_side][:4] == ["staging", "ondelete", "maxunavailable", "orphan"]


def test_the_node_experiment_runs_alone_after_the_others() -> None:
    plan = plan_tour(TUTORIAL)
    assert [e.stack for e in plan.alone] == ["nodes"]
    assert "nodes" not in [e.stack for e in plan.side_by_side]
    assert names(plan.to_run)[-6:] == ["nodes", "drain", "uncordon", "stop-node", "force-delete-pod", "start-node"]


def test_each_experiments_steps_keep_the_tutorials_order() -> None:
    staging = next(e for e in plan_tour(TUTORIAL).side_by_side if e.stack == "staging")
    assert names(staging.steps) == [
        "staging-set-up", "staging", "staging-delete-pod", "canary", "canary-delete-pod", "phased",
        "partition-above-replicas",
    ]  # fmt: skip


def test_from_a_step_reuses_the_experiments_that_ended_before_it_and_reruns_its_own_from_the_start() -> None:
    plan = plan_tour(TUTORIAL, "canary")
    assert "staging-set-up" in names(plan.to_run) and "staging-set-up" not in names(plan.reused)
    reused = {"seed", "parallel", "delete-pods", "delete-pods-again", "delete-claim", "dns-after-delete"}
    reused |= {"scale-out", "scale-in"}
    assert reused | {"parallel-scale-out", "parallel-update", "parallel-scale-in"} == set(names(plan.reused))
    assert len(plan.reused) + len(plan.to_run) == len(TUTORIAL)


def test_from_takes_the_steps_number_as_well_as_its_name() -> None:
    assert plan_tour(TUTORIAL, "13") == plan_tour(TUTORIAL, "staging")


def test_from_a_step_inside_an_experiment_that_began_earlier_reruns_that_experiment() -> None:
    plan = plan_tour(TUTORIAL, "scale-in")  # the seed experiment began with step 1
    assert {"seed", "scale-out", "scale-in"} <= set(names(plan.to_run))
    # The parallel experiment began at step 2 but ends after scale-in: it runs again too.
    assert {"parallel", "parallel-scale-out", "parallel-scale-in"} <= set(names(plan.to_run))
    assert set(names(plan.reused)) == {"delete-pods", "delete-pods-again", "delete-claim", "dns-after-delete"}


def test_from_an_unknown_step_names_the_steps_there_are() -> None:
    with pytest.raises(PlanError, match=r"no step 'canery'.*1\.\.53.*canary"):
        plan_tour(TUTORIAL, "canery")
    with pytest.raises(PlanError, match="no step '54'"):
        plan_tour(TUTORIAL, "54")


def test_only_and_exclude_pick_experiments_by_stack() -> None:
    assert names(select(["parallel", "ordinals"], [])) == [
        "parallel",
        "parallel-scale-out",
        "parallel-update",
        "parallel-scale-in",
        "ordinals",
        "ordinals-rollout",
    ]
    without_nodes = select([], ["nodes"])
    assert len(without_nodes) == 47 and all(s.stack != "nodes" for s in without_nodes)
    assert plan_tour(without_nodes).alone == ()


def test_an_unknown_experiment_names_the_ones_there_are() -> None:
    with pytest.raises(PlanError, match="no experiment nodez: the tour's experiments are seed parallel"):
        select([], ["nodez"])


def test_leaving_out_everything_is_refused() -> None:
    with pytest.raises(PlanError, match="no step left"):
        select(["parallel"], ["parallel"])

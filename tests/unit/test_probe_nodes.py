"""Node checks: volumes pin pods to nodes, and the optional topology spread."""

from __future__ import annotations

from dataclasses import replace

from probes.checks import evaluate
from probes.checks.pods import check_spread
from probes.checks.storage import check_volume_nodes
from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, PASSED, ClaimFacts, NodeFacts, PodFacts
from tests.unit.test_probe_checks import CLAIMS, STS, E, observation, sts_pod

SPREAD = replace(E, replicas=3, spread_across_nodes=True)


def node(name: str, *, ready: bool = True, cordoned: bool = False, taints: list[str] | None = None) -> NodeFacts:
    return NodeFacts(name=name, ready=ready, unschedulable=cordoned, taints=taints or [])


WORKERS = [
    node("worker-1"),
    node("worker-2"),
    node("control", taints=["node-role.kubernetes.io/control-plane:NoSchedule"]),
]


def on(nodes: list[str]) -> list[PodFacts]:
    return [replace(sts_pod(i, "2026-11-26T10:00:00Z", "2026-11-26T10:00:02Z"), node=n) for i, n in enumerate(nodes)]


def claims_on(nodes: list[str | None]) -> list[ClaimFacts]:
    return [replace(CLAIMS[1], name=f"www-web-sts-{i}", node=n) for i, n in enumerate(nodes)]


def test_each_claims_volume_is_on_its_pods_node() -> None:
    (check,) = check_volume_nodes(SPREAD, on(["worker-1", "worker-2"]), claims_on(["worker-1", "worker-2"]))
    assert check.verdict == PASSED
    assert (
        check.observed
        == "web-sts-0 on worker-1, www-web-sts-0 on worker-1; web-sts-1 on worker-2, www-web-sts-1 on worker-2"
    )


def test_a_pod_away_from_its_volume_fails() -> None:
    (check,) = check_volume_nodes(SPREAD, on(["worker-1", "worker-1"]), claims_on(["worker-1", "worker-2"]))
    assert check.verdict == FAILED and "web-sts-1 on worker-1, www-web-sts-1 on worker-2" in check.observed


def test_a_volume_without_node_affinity_is_inconclusive() -> None:
    """A network volume (no node affinity) does not pin its pod; nothing to compare."""
    (check,) = check_volume_nodes(SPREAD, on(["worker-1", "worker-2"]), claims_on(["worker-1", None]))
    assert check.verdict == INCONCLUSIVE and "no node affinity" in check.observed


def test_volume_node_check_without_pods_is_not_applicable() -> None:
    assert check_volume_nodes(SPREAD, [], CLAIMS)[0].verdict == NOT_APPLICABLE


def test_spread_check_appears_only_when_asked_for() -> None:
    assert check_spread(E, STS, WORKERS) == []
    names = [c.name for c in evaluate(replace(E, spread_across_nodes=True), observation(nodes=WORKERS))]
    assert "pods are spread across nodes (topology spread on kubernetes.io/hostname)" in names


def test_pods_spread_over_the_schedulable_nodes_pass() -> None:
    """The tainted control plane takes no pods and does not count."""
    (check,) = check_spread(SPREAD, on(["worker-1", "worker-2", "worker-1"]), WORKERS)
    assert check.verdict == PASSED and check.observed == "pods per node: worker-1: 2, worker-2: 1"


def test_pods_piled_on_one_node_fail() -> None:
    (check,) = check_spread(SPREAD, on(["worker-1", "worker-1", "worker-1"]), WORKERS)
    assert check.verdict == FAILED and "worker-1: 3, worker-2: 0" in check.observed


def test_cordoned_and_not_ready_nodes_do_not_count() -> None:
    nodes = [*WORKERS, node("worker-3", cordoned=True), node("worker-4", ready=False)]
    assert check_spread(SPREAD, on(["worker-1", "worker-2", "worker-1"]), nodes)[0].verdict == PASSED


def test_a_pod_on_a_node_that_takes_no_pods_is_inconclusive() -> None:
    (check,) = check_spread(SPREAD, on(["worker-1", "worker-2", "control"]), WORKERS)
    assert check.verdict == INCONCLUSIVE and "web-sts-2 on control" in check.observed


def test_one_schedulable_node_or_one_pod_shows_no_spread() -> None:
    assert check_spread(SPREAD, on(["worker-1", "worker-1"]), [node("worker-1")])[0].verdict == NOT_APPLICABLE
    assert check_spread(SPREAD, on(["worker-1"]), WORKERS)[0].verdict == NOT_APPLICABLE
    assert check_spread(SPREAD, [], WORKERS)[0].verdict == NOT_APPLICABLE

"""Node checks: volumes pin pods to nodes, and the optional topology spread."""

from __future__ import annotations

from dataclasses import replace

from probes.checks import evaluate
from probes.checks.nodes import check_node_lessons
from probes.checks.pods import check_spread
from probes.checks.storage import check_volume_nodes
from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, PASSED, Check, ClaimFacts, NodeFacts, PodFacts
from probes.lesson_record import LessonRecord
from tests.unit.documents import load
from tests.unit.documents import observation as recorded_observation
from tests.unit.test_probe_checks import CLAIMS, DEP, STS, E, observation, sts_pod

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


# --- what a node the lab's pods depend on does to them --------------------------------

PINNED = "0/3 nodes are available: 1 node(s) didn't match PersistentVolume's node affinity."
VOLUME_WAIT = "[statefulset] a pod whose volume's node is unavailable waits for that node, never re-created elsewhere"
ONE_PER_IDENTITY = (
    "[statefulset] at most one pod per ordinal: a pod on a failed node is not replaced while it may still run"
)
REPLACED = "[deployment] pods the volume's node cannot run are replaced under new names, and wait Pending for it"


def judged_on(nodes: list[NodeFacts], sts: list[PodFacts], **changes: object) -> dict[str, Check]:
    """The node checks with web-sts-0's volume on worker-1 and web-sts-1's on worker-2."""
    seen = observation(
        nodes=nodes, statefulset_pods=sts, claims=[*claims_on(["worker-1", "worker-2"]), CLAIMS[0]], **changes
    )
    return {f"[{c.workload}] {c.name}": c for c in check_node_lessons(SPREAD, seen)}


def test_a_pod_waiting_pending_on_its_cordoned_volume_node_passes_and_says_where() -> None:
    cordoned = [node("worker-1", cordoned=True), node("worker-2")]
    pods = [replace(on(["", "worker-2"])[0], ready=False, unschedulable=PINNED), on(["", "worker-2"])[1]]
    check = judged_on(cordoned, pods)[VOLUME_WAIT]
    assert check.verdict == PASSED
    assert check.observed == f"web-sts-0 Pending, not placed: {PINNED}; www-web-sts-0 on worker-1 (cordoned)"


def test_a_pod_still_bound_to_its_failed_node_passes_and_one_placed_elsewhere_fails() -> None:
    down = [node("worker-1", ready=False), node("worker-2")]
    still = judged_on(
        down, [replace(p, ready=False) if p.node == "worker-1" else p for p in on(["worker-1", "worker-2"])]
    )
    assert still[VOLUME_WAIT].verdict == PASSED
    assert "web-sts-0 still bound to worker-1 (" in still[VOLUME_WAIT].observed
    assert "www-web-sts-0 on worker-1 (NotReady)" in still[VOLUME_WAIT].observed
    away = judged_on(down, on(["worker-2", "worker-2"]))[VOLUME_WAIT]
    assert away.verdict == FAILED
    assert away.observed.startswith("web-sts-0 runs on worker-2, away from its volume")


def test_a_pod_pending_for_another_reason_is_inconclusive() -> None:
    cordoned = [node("worker-1", cordoned=True), node("worker-2")]
    other = "0/3 nodes are available: 3 Insufficient cpu."
    pods = [replace(on(["", "worker-2"])[0], ready=False, unschedulable=other), on(["", "worker-2"])[1]]
    check = judged_on(cordoned, pods)[VOLUME_WAIT]
    assert check.verdict == INCONCLUSIVE
    assert f"web-sts-0 Pending for another reason: {other}" in check.observed


def test_with_every_volume_node_available_there_is_no_node_check() -> None:
    assert judged_on([node("worker-1"), node("worker-2")], on(["worker-1", "worker-2"])) == {}
    ready_on_cordoned = judged_on([node("worker-1", cordoned=True), node("worker-2")], on(["worker-1", "worker-2"]))
    assert VOLUME_WAIT not in ready_on_cordoned


def failed_at(name: str, since: str | None) -> NodeFacts:
    return replace(node(name, ready=False), ready_changed=since)


def test_a_pod_of_a_failed_node_must_be_the_one_from_before_the_failure() -> None:
    pods = on(["worker-1", "worker-2"])  # created 10:00:00
    before = judged_on([failed_at("worker-1", "2026-11-26T10:05:00Z"), node("worker-2")], pods)[ONE_PER_IDENTITY]
    assert before.verdict == PASSED
    assert (
        "web-sts-0 (created 2026-11-26T10:00:00Z, before worker-1 went NotReady at 2026-11-26T10:05:00Z)"
        in before.observed
    )
    assert before.observed.endswith(" (force-deleting it lets the StatefulSet create it again)")
    after = judged_on([failed_at("worker-1", "2026-11-26T09:59:00Z"), node("worker-2")], pods)[ONE_PER_IDENTITY]
    assert after.verdict == FAILED
    assert (
        "web-sts-0 was created 2026-11-26T10:00:00Z, after worker-1 went NotReady at 2026-11-26T09:59:00Z"
        in after.observed
    )
    unknown = judged_on([failed_at("worker-1", None), node("worker-2")], pods)[ONE_PER_IDENTITY]
    assert unknown.verdict == INCONCLUSIVE
    assert "when worker-1 went NotReady is not known" in unknown.observed


def recorded_lesson(step: str) -> LessonRecord:
    record = recorded_observation(load(step)).lesson
    assert record is not None
    return record


def test_a_pod_the_lesson_force_deleted_is_not_held_to_one_per_identity() -> None:
    forced = recorded_lesson("force-delete-pod")
    pods = on(["worker-1", "worker-2"])
    found = judged_on(
        [failed_at("worker-1", "2026-11-26T09:59:00Z"), node("worker-2")], pods, lesson=replace(forced, ordinal=0)
    )
    assert ONE_PER_IDENTITY not in found
    other_ordinal = judged_on(
        [failed_at("worker-1", "2026-11-26T09:59:00Z"), node("worker-2")], pods, lesson=replace(forced, ordinal=1)
    )
    assert other_ordinal[ONE_PER_IDENTITY].verdict == FAILED


def test_the_deployment_replaces_the_pods_its_volumes_node_cannot_run() -> None:
    dep = [replace(p, node="", ready=False, unschedulable=PINNED) for p in DEP]
    lost = [replace(p, name=p.name[:-5] + "zzzzz", node="lab-node", terminating=True) for p in DEP]
    down = [node("lab-node", ready=False), node("worker-1"), node("worker-2")]
    check = judged_on(down, on(["worker-1", "worker-2"]), deployment_pods=dep, terminating=lost)[REPLACED]
    assert check.verdict == PASSED
    assert check.expected == "2 pods under new names, each Pending on www-web-dep's node affinity"
    assert check.observed.startswith("www-web-dep on lab-node (NotReady); going: ")
    reused = [replace(dep[0], name=lost[0].name), dep[1]]
    assert (
        judged_on(down, on(["worker-1", "worker-2"]), deployment_pods=reused, terminating=lost)[REPLACED].verdict
        == FAILED
    )
    fewer = judged_on(down, on(["worker-1", "worker-2"]), deployment_pods=dep[:1], terminating=lost)[REPLACED]
    assert fewer.verdict == FAILED
    there = [replace(dep[0], node="lab-node"), dep[1]]
    still = judged_on(down, on(["worker-1", "worker-2"]), deployment_pods=there, terminating=lost)[REPLACED]
    assert (still.verdict, f"not evicted yet: {dep[0].name}" in still.observed) == (INCONCLUSIVE, True)
    other_reason = [replace(p, unschedulable="0/3 nodes are available: 3 Insufficient cpu.") for p in dep]
    waiting = judged_on(down, on(["worker-1", "worker-2"]), deployment_pods=other_reason, terminating=lost)[REPLACED]
    assert waiting.verdict == INCONCLUSIVE
    up = [node("lab-node"), node("worker-1"), node("worker-2")]
    assert REPLACED not in judged_on(up, on(["worker-1", "worker-2"]), deployment_pods=dep, terminating=lost)


def test_a_pod_on_a_failed_node_counts_even_when_its_volume_is_not_pinned_there() -> None:
    """A volume without node affinity (a network disk): the pod's own node failing
    is what keeps the StatefulSet from replacing it."""
    pods = on(["worker-1", "worker-2"])
    unpinned = [*claims_on([None, None]), CLAIMS[0]]
    found = check_node_lessons(
        SPREAD,
        observation(nodes=[failed_at("worker-1", None), node("worker-2")], statefulset_pods=pods, claims=unpinned),
    )
    (check,) = found
    assert check.verdict == INCONCLUSIVE
    assert check.observed.startswith("web-sts-0 on worker-1: when worker-1 went NotReady is not known")


def test_a_pod_created_in_the_second_its_node_failed_is_taken_as_the_one_from_before() -> None:
    pods = on(["worker-1", "worker-2"])  # created 10:00:00
    same = judged_on([failed_at("worker-1", "2026-11-26T10:00:00Z"), node("worker-2")], pods)[ONE_PER_IDENTITY]
    assert same.verdict == PASSED


def test_a_replacement_made_while_the_old_pod_may_still_run_names_where_it_runs() -> None:
    """web-sts-0's volume is on the failed worker-1; a new web-sts-0 runs on worker-2."""
    pods = on(["worker-2", "worker-2"])
    after = judged_on([failed_at("worker-1", "2026-11-26T09:59:00Z"), node("worker-2")], pods)[ONE_PER_IDENTITY]
    assert after.verdict == FAILED
    assert after.observed.startswith("web-sts-0 was created") and " on worker-2) (force-deleting" in after.observed


def test_the_deployment_check_names_the_pods_going_with_their_node_and_those_now_running() -> None:
    dep = [replace(p, node="", ready=False, unschedulable=PINNED) for p in DEP]
    lost = [replace(p, name=p.name[:-5] + "zzzzz", node="lab-node", terminating=True) for p in DEP]
    down = [node("lab-node", ready=False), node("worker-1"), node("worker-2")]
    check = judged_on(down, on(["worker-1", "worker-2"]), deployment_pods=dep, terminating=lost)[REPLACED]
    assert f"going: {lost[0].name} on lab-node (" in check.observed
    assert f"now: {dep[0].name} (" in check.observed and f", {dep[1].name} (" in check.observed

"""What the lessons predict when a node a lab pod depends on is unavailable
(drained or cordoned, or failed: NotReady).

A local volume is pinned to the node it was made on. So a StatefulSet pod
whose volume's node is unavailable waits for that node: re-created, it stays
Pending on the volume's node affinity; on a failed node it is not even
re-created, since the StatefulSet never runs two pods of one identity and
cannot confirm the old one is gone. The Deployment replaces the pods it loses
under new names, and they too wait Pending when its one volume lives on that
node. Each check appears only when its premise holds in this run.
"""

from __future__ import annotations

from kube.objects import pinned_to_its_volume
from probes.checks.common import make_check, worst
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    PASSED,
    Check,
    ClaimFacts,
    Expectations,
    NodeFacts,
    Observation,
    PodFacts,
    Verdict,
)
from probes.parse import parse_time


def _node_state(node: NodeFacts) -> str:
    return "NotReady" if not node.ready else "cordoned" if node.unschedulable else "Ready"


def _pinned(pod: PodFacts) -> bool:
    return not pod.node and pinned_to_its_volume(pod.unschedulable)


def _waits_for_its_volume(pod: PodFacts, claim: ClaimFacts, node: NodeFacts) -> tuple[Verdict, str]:
    where = f"{claim.name} on {node.name} ({_node_state(node)})"
    if _pinned(pod):
        return PASSED, f"{pod.name} Pending, not placed: {pod.unschedulable}; {where}"
    if pod.node == node.name:
        return PASSED, f"{pod.name} still bound to {node.name} ({pod.state}); {where}"
    if pod.node:
        return FAILED, f"{pod.name} runs on {pod.node}, away from its volume; {where}"
    return INCONCLUSIVE, f"{pod.name} Pending for another reason: {pod.unschedulable or pod.state}; {where}"


def check_pods_wait_for_their_volumes(e: Expectations, o: Observation) -> list[Check]:
    nodes = {n.name: n for n in o.nodes}
    claims = {c.name: c for c in o.claims}
    affected = []
    for pod in [*o.statefulset_pods, *(p for p in o.terminating if p.workload == "statefulset")]:
        claim = claims.get(e.names.claim_of(pod.name))
        node = nodes.get(claim.node or "") if claim else None
        if claim and node and not node.available and not (pod.node == node.name and pod.ready):
            affected.append(_waits_for_its_volume(pod, claim, node))
    if not affected:
        return []
    return [
        make_check(
            "a pod whose volume's node is unavailable waits for that node, never re-created elsewhere",
            "statefulset",
            worst([v for v, _ in affected]),
            "Pending on its volume's node affinity, or still bound to that node",
            "; ".join(text for _, text in affected),
        )
    ]


def _force_deleted_by_the_lesson(o: Observation, pod: PodFacts) -> bool:
    r = o.lesson
    return r is not None and r.lesson == "force-delete-pod" and r.ordinal == pod.ordinal


def check_one_pod_per_identity(e: Expectations, o: Observation) -> list[Check]:
    """On a failed node a StatefulSet pod is not replaced until it is confirmed
    gone: the pod of an ordinal whose pod or volume is on a NotReady node must
    still be the one from before the failure. One created since means the old
    one may still run there beside it: two pods of one identity."""
    failed = {n.name: n for n in o.nodes if not n.ready}
    claims = {c.name: c for c in o.claims}
    ours = [*o.statefulset_pods, *(p for p in o.terminating if p.workload == "statefulset")]

    def failed_node_of(pod: PodFacts) -> NodeFacts | None:
        claim = claims.get(e.names.claim_of(pod.name))
        return failed.get(pod.node) or failed.get(claim.node or "" if claim else "")

    affected = [(p, n) for p in ours if (n := failed_node_of(p)) is not None and not _force_deleted_by_the_lesson(o, p)]
    if not affected:
        return []
    lines: list[str] = []
    verdicts: list[Verdict] = []
    for pod, node in affected:
        since = node.ready_changed
        if not since:
            verdicts.append(INCONCLUSIVE)
            lines.append(f"{pod.name} on {pod.node or 'no node'}: when {node.name} went NotReady is not known")
        elif parse_time(pod.created) <= parse_time(since):
            verdicts.append(PASSED)
            lines.append(
                f"{pod.name} (created {pod.created}, before {node.name} went NotReady at {since}) is still the "
                f"only {pod.name}: {pod.state}"
            )
        else:
            verdicts.append(FAILED)
            lines.append(
                f"{pod.name} was created {pod.created}, after {node.name} went NotReady at {since}: the pod there "
                f"was replaced while it may still run ({pod.state} on {pod.node or 'no node'})"
            )
    return [
        make_check(
            "at most one pod per ordinal: a pod on a failed node is not replaced while it may still run",
            "statefulset",
            worst(verdicts),
            f"each {e.statefulset} pod of a NotReady node is still the pod from before the failure",
            "; ".join(lines) + " (force-deleting it lets the StatefulSet create it again)",
        )
    ]


def check_deployment_replaces_lost_pods(e: Expectations, o: Observation) -> list[Check]:
    shared = next((c for c in o.claims if c.name == e.names.shared_claim), None)
    node = {n.name: n for n in o.nodes}.get(shared.node or "") if shared else None
    lost = [p for p in o.terminating if p.workload == "deployment"]
    waiting = [p for p in o.deployment_pods if not p.node]
    if shared is None or node is None or node.available or not (lost or waiting):
        return []
    lines = [f"{shared.name} on {node.name} ({_node_state(node)})"]
    if lost:
        lines.append("going: " + ", ".join(f"{p.name} on {p.node or 'no node'} ({p.state})" for p in lost))
    lines.append("now: " + (", ".join(f"{p.name} ({p.state})" for p in o.deployment_pods) or "no pods"))
    lost_names = {p.name for p in lost}
    still_there = [p for p in o.deployment_pods if p.node == node.name]
    if len(o.deployment_pods) != e.deployment_replicas or lost_names & {p.name for p in o.deployment_pods}:
        verdict: Verdict = FAILED
    elif still_there:
        verdict = INCONCLUSIVE
        lines.append("not evicted yet: " + ", ".join(p.name for p in still_there))
    else:
        verdict = PASSED if all(_pinned(p) for p in o.deployment_pods) else INCONCLUSIVE
    return [
        make_check(
            "pods the volume's node cannot run are replaced under new names, and wait Pending for it",
            "deployment",
            verdict,
            f"{e.deployment_replicas} pods under new names, each Pending on {shared.name}'s node affinity",
            "; ".join(lines),
        )
    ]


def check_node_lessons(e: Expectations, o: Observation) -> list[Check]:
    return (
        check_pods_wait_for_their_volumes(e, o)
        + check_one_pod_per_identity(e, o)
        + check_deployment_replaces_lost_pods(e, o)
    )

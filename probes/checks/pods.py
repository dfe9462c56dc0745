"""Checks of the pods themselves: names, creation order, hostnames, where
they run, which revision they run, and the order of a scale-in."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from kube.objects import ordinal_of
from probes.checks.common import (
    deletes_of_life,
    held_back_above,
    held_back_note,
    make_check,
    nothing_to_judge,
    pod_list,
    start_of_second,
    worst,
)
from probes.creation import creation_cause, creation_steps, describe_step
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    PASSED,
    Action,
    Check,
    Expectations,
    LifecycleEvent,
    NodeFacts,
    PodFacts,
    ReplicaSetScaling,
    Revision,
    StatefulSetFacts,
    Verdict,
    Workload,
)
from probes.parse import parse_time
from probes.revisions import fate, template_change


def check_pod_names(
    e: Expectations,
    sts: list[PodFacts],
    dep: list[PodFacts],
    terminating: Sequence[PodFacts] = (),
    statefulset_exists: bool = True,
) -> list[Check]:
    """A StatefulSet pod stuck terminating on a failed node still holds its
    identity, so it counts among the names; a Deployment's does not. Without
    a StatefulSet nothing keeps the names (the workload check says why)."""
    wanted = [e.names.pod(i) for i in e.ordinals]
    dep_pattern = re.compile(rf"^{re.escape(e.deployment)}-[a-z0-9]+-[a-z0-9]{{5}}$")
    held = sorted([*sts, *(p for p in terminating if p.workload == "statefulset")], key=lambda p: p.ordinal or 0)
    if (not wanted and not held) or not statefulset_exists:
        sts_verdict: Verdict = NOT_APPLICABLE
    else:
        sts_verdict = PASSED if [p.name for p in held] == wanted else FAILED
    holder = held_back_above(e, sts)
    differing = set(wanted) ^ {p.name for p in held}
    waiting = (
        sts_verdict == FAILED
        and holder is not None
        and all((ordinal_of(n, e.statefulset) or 0) > (holder.ordinal or 0) for n in differing)
    )
    if waiting:
        sts_verdict = INCONCLUSIVE
    # A rollout in progress runs pods of two ReplicaSets, the new one's on
    # top of the replicas (maxSurge): their names still follow the pattern.
    rolling = len({p.revision for p in dep}) > 1
    dep_note = f" ({len(dep)} pods for {e.deployment_replicas} replicas: a rollout in progress)" if rolling else ""
    if e.deployment_replicas == 0 and not dep:
        dep_verdict: Verdict = NOT_APPLICABLE
    else:
        counted = len(dep) == e.deployment_replicas or (rolling and len(dep) > e.deployment_replicas)
        dep_ok = counted and all(dep_pattern.match(p.name) for p in dep)
        dep_verdict = PASSED if dep_ok else FAILED
    return [
        make_check(
            "pod names are <statefulset>-<ordinal>",
            "statefulset",
            sts_verdict,
            ", ".join(wanted) or "no pods",
            (
                nothing_to_judge("statefulset", e.replicas)
                if statefulset_exists
                else f"no StatefulSet {e.statefulset} keeps names now; pods with its label: {pod_list(held)}"
            )
            if sts_verdict == NOT_APPLICABLE
            else ", ".join(p.name + (" (terminating)" if p.terminating else "") for p in held)
            + (f"; {held_back_note(holder)}" if waiting and holder else ""),
        ),
        make_check(
            "pod names are <deployment>-<template-hash>-<random>",
            "deployment",
            dep_verdict,
            f"{e.deployment_replicas} pods named {e.deployment}-<hash>-<5 chars>",
            nothing_to_judge("deployment", e.deployment_replicas)
            if dep_verdict == NOT_APPLICABLE
            else pod_list(dep) + dep_note,
        ),
    ]


def check_creation_order(
    e: Expectations, sts: list[PodFacts], events: list[LifecycleEvent], min_ready_seconds: int = 0
) -> list[Check]:
    """The pod management policy, judged only on pods a rolling update did not
    create (probes.creation explains the rule)."""
    if e.pod_management_policy == "OrderedReady":
        name = "OrderedReady creates each pod after its predecessor is Ready"
        expected = "every pod created after the previous ordinal was Ready, in ascending ordinal order"
    else:
        name = "Parallel creates pods without waiting for each other"
        expected = "some pod created before the previous one was Ready"
    causes = [creation_cause(p, events, e.statefulset) for p in sts]
    judged = [p for p, c in zip(sts, causes, strict=True) if c.judged]
    left_out = [c.why for c in causes if not c.judged]
    steps = creation_steps(judged, events, min_ready_seconds)
    evidence = [s for s in steps if s.relation in ("before Ready", "after Ready")]
    seen = "; ".join(describe_step(s) for s in steps)
    not_judged = ("; not judged: " + "; ".join(left_out)) if left_out else ""
    if not evidence:
        if not sts:
            why = nothing_to_judge("statefulset", e.replicas)
        else:
            why = "no two pods whose creation order tells the policy"
            why += f" ({seen})" if seen else f" ({len(judged)} of {len(sts)} pods judged)"
        return [make_check(name, "statefulset", NOT_APPLICABLE, expected, why + not_judged)]
    overlapped = any(s.relation == "before Ready" for s in evidence)
    ordinal = {p.name: p.ordinal or 0 for p in judged}
    # OrderedReady creates ordinals upward: a pod created right after a higher
    # ordinal (not a re-creation asked for later) went out of order.
    backwards = [s for s in evidence if ordinal[s.pod] < ordinal[s.predecessor]]
    if backwards:
        seen += "; out of ordinal order: " + ", ".join(f"{s.pod} created after {s.predecessor}" for s in backwards)
    if e.pod_management_policy == "OrderedReady":
        verdict: Verdict = FAILED if overlapped or backwards else PASSED
    elif e.pod_management_policy == "Parallel":
        verdict = PASSED if overlapped else FAILED
    else:
        return [make_check(name, "statefulset", NOT_APPLICABLE, expected, f"unknown policy {e.pod_management_policy}")]
    return [make_check(name, "statefulset", verdict, expected, seen + not_judged)]


def check_hostnames(e: Expectations, sts: list[PodFacts], dep: list[PodFacts]) -> list[Check]:
    checks = []
    workloads: list[tuple[Workload, list[PodFacts], int]] = [
        ("statefulset", sts, e.replicas),
        ("deployment", dep, e.deployment_replicas),
    ]
    for workload, pods, replicas in workloads:
        if not pods:
            verdict: Verdict = NOT_APPLICABLE
            seen = nothing_to_judge(workload, replicas)
        else:
            seen = ", ".join(
                f"{p.name}: {p.hostname}" if p.hostname is not None else f"{p.name}: not read ({p.hostname_error})"
                for p in pods
            )
            if any(p.hostname is not None and p.hostname != p.name for p in pods):
                verdict = FAILED
            elif any(p.hostname is None for p in pods):
                verdict = INCONCLUSIVE
            else:
                verdict = PASSED
        checks.append(
            make_check("hostname is the pod name", workload, verdict, "hostname prints the pod's own name", seen)
        )
    return checks


def spread_verdict(sts: list[PodFacts], nodes: list[NodeFacts]) -> tuple[Verdict, str]:
    """A hard topology spread with maxSkew 1 on kubernetes.io/hostname: among the
    nodes that take new pods (Ready, not cordoned, no NoSchedule/NoExecute
    taint), the StatefulSet's pod counts differ by at most one."""
    eligible = [n.name for n in nodes if n.takes_new_pods]
    others = {n.name: n for n in nodes if not n.takes_new_pods}
    per_node = Counter(p.node for p in sts)
    layout = ", ".join(f"{n}: {per_node.get(n, 0)}" for n in eligible)
    if len(sts) < 2:
        return NOT_APPLICABLE, f"{len(sts)} pod(s): no spread to show"
    if len(eligible) < 2:
        return NOT_APPLICABLE, (
            f"{len(eligible)} schedulable node(s) ({', '.join(eligible) or 'none'}): nothing to spread across"
        )
    counts = [per_node.get(n, 0) for n in eligible]
    if max(counts) - min(counts) > 1:
        return FAILED, f"pods per node: {layout}"
    elsewhere = [p for p in sts if p.node not in eligible]
    if elsewhere:
        where = "; ".join(
            f"{p.name} on {p.node or 'no node'}"
            + (f" (Ready {others[p.node].ready}, taints {others[p.node].taints})" if p.node in others else "")
            for p in elsewhere
        )
        return INCONCLUSIVE, f"pods per schedulable node: {layout}; not on a schedulable node: {where}"
    return PASSED, f"pods per node: {layout}"


def check_spread(e: Expectations, sts: list[PodFacts], nodes: list[NodeFacts]) -> list[Check]:
    if not e.spread_across_nodes:
        return []
    verdict: Verdict = NOT_APPLICABLE
    observed = nothing_to_judge("statefulset", e.replicas)
    if sts:
        verdict, observed = spread_verdict(sts, nodes)
    return [
        make_check(
            "pods are spread across nodes (topology spread on kubernetes.io/hostname)",
            "statefulset",
            verdict,
            "pod counts per schedulable node differ by at most 1",
            observed,
        )
    ]


def check_partition(
    e: Expectations,
    sts_facts: StatefulSetFacts | None,
    current: list[PodFacts],
    terminating: Sequence[PodFacts] = (),
    revisions: list[Revision] | None = None,
) -> list[Check]:
    """The pods from start + partition up run the new template; each pod below
    kept the template it ran before the change (probes.revisions: judged from
    the ControllerRevisions and the pod's creation, not currentRevision). A
    pod stuck terminating on a failed node still counts: it holds its ordinal,
    and its revision is what it runs."""
    if e.update_strategy != "RollingUpdate" or sts_facts is None:
        return []
    sts = sorted([*current, *(p for p in terminating if p.workload == "statefulset")], key=lambda p: p.ordinal or 0)
    first = e.ordinals_start + e.partition
    name = f"ordinals >= partition ({e.partition}) run the new revision, the others keep theirs"
    if e.ordinals_start:
        name = f"ordinals >= start + partition ({first}) run the new revision, the others keep theirs"
    change = template_change(sts_facts, revisions)
    expected = (
        f"ordinals {first}.. on {e.image} @{sts_facts.update_revision}; each lower ordinal on the template it ran "
        "before the change, never created again under the new one"
    )
    if not sts:
        return [make_check(name, "statefulset", NOT_APPLICABLE, expected, nothing_to_judge("statefulset", e.replicas))]
    moved = [p for p in sts if p.ordinal is not None and p.ordinal >= first]
    held = [p for p in sts if p.ordinal is not None and p.ordinal < first]
    moved_ok = all(p.image == e.image and p.revision == sts_facts.update_revision for p in moved)
    fates = [fate(p, change) for p in held]

    def fmt(pods: list[PodFacts]) -> str:
        return ", ".join(f"{p.name}: {p.image} @{p.revision}" for p in pods) or "none"

    observed = f"updated: {fmt(moved)}; held: " + ("; ".join(why for _, why in fates) or "none")
    if held and not moved and first > max(e.ordinals, default=first):
        observed += f"; the partition is above the last ordinal ({max(e.ordinals)}), so it holds every pod"
    observed += f"; {len(sts)} pods for {e.replicas} replicas" if len(sts) != e.replicas else ""
    outcomes = {f for f, _ in fates}
    if not moved_ok or "rolled" in outcomes or len(sts) != e.replicas:
        verdict: Verdict = FAILED
    elif "unknown" in outcomes:
        verdict = INCONCLUSIVE
    elif held and outcomes == {"unchanged"}:
        verdict = NOT_APPLICABLE
        observed += "; the template has not changed, so the partition had nothing to hold"
    else:
        verdict = PASSED
    # A rollout that has not finished (a pod not Ready: stalled on a broken
    # image, or still starting) has not yet moved every ordinal it will move:
    # what the partition does is not judged until it ends.
    unready = [p.name for p in sts if not p.ready]
    if verdict == FAILED and "rolled" not in outcomes and unready and change.update != sts_facts.current_revision:
        verdict = INCONCLUSIVE
        observed += f"; the rollout has not finished: {', '.join(unready)} not Ready (the rollout checks say why)"
    return [make_check(name, "statefulset", verdict, expected, observed)]


def last_scale_in_deletions(e: Expectations, events: list[LifecycleEvent]) -> list[LifecycleEvent]:
    """The controller's deletions of ordinals above the current replica count
    since it last created one of them, in the order it deleted them."""
    run: list[LifecycleEvent] = []
    for ev in events:
        ordinal = ordinal_of(ev.pod, e.statefulset)
        if ordinal is None or ev.reason not in ("deleted", "created") or ordinal in e.ordinals:
            continue
        if ev.reason == "deleted":
            run.append(ev)
        else:
            run = []  # scaled out again: earlier deletions are history
    return run


def last_scale_in(e: Expectations, events: list[LifecycleEvent]) -> list[int]:
    """The ordinals the last scale-in removed, in the order it deleted them."""
    return [ordinal_of(ev.pod, e.statefulset) or 0 for ev in last_scale_in_deletions(e, events)]


def _same_second(prev: LifecycleEvent, nxt: LifecycleEvent, actions: Sequence[Action]) -> tuple[Verdict, str]:
    """Two deletions whose events share a second: only the audit log's request
    times, to the microsecond, can order them (a fast pod stops within a second,
    so on a quick cluster this is common, not a fault)."""
    first = next(iter(deletes_of_life(actions, prev.pod, prev.time)), None)
    then = next(iter(deletes_of_life(actions, nxt.pod, nxt.time)), None)
    if first is None or then is None or first.time == then.time:
        return INCONCLUSIVE, f"{nxt.pod} deleted in the same second as {prev.pod} ({nxt.time}): the order cannot tell"
    when = f"the audit log has {prev.pod} deleted at {first.time[11:26]}, {nxt.pod} at {then.time[11:26]}"
    if parse_time(then.time) > parse_time(first.time):
        return PASSED, f"{nxt.pod} deleted in the same second as {prev.pod}, but after it: {when}"
    return FAILED, f"{nxt.pod} deleted before {prev.pod}: {when}"


def _one_at_a_time(
    deleted: list[LifecycleEvent], events: list[LifecycleEvent], actions: Sequence[Action]
) -> tuple[Verdict, list[str]]:
    """Each deletion after the previous pod was on its way out: after its
    kubelet began stopping it (Killing), and not in the same second as its
    deletion unless the audit log's finer times order the two."""
    verdicts: list[Verdict] = []
    lines: list[str] = []
    for prev, nxt in pairwise(deleted):
        stopping = [
            ev.time
            for ev in events
            if ev.pod == prev.pod and ev.reason == "killing" and parse_time(ev.time) >= parse_time(prev.time)
        ]
        went = parse_time(nxt.time)
        if stopping and went < parse_time(stopping[0]):
            verdicts.append(FAILED)
            lines.append(f"{nxt.pod} deleted at {nxt.time}, before {prev.pod} began to stop ({stopping[0]})")
        elif went <= parse_time(prev.time):
            verdict, line = _same_second(prev, nxt, actions)
            verdicts.append(verdict)
            lines.append(line)
        else:
            verdicts.append(PASSED)
            lines.append(f"{nxt.pod} deleted at {nxt.time}, after {prev.pod} went at {prev.time}")
    return worst(verdicts), lines


def check_scale_in_order(e: Expectations, events: list[LifecycleEvent], actions: Sequence[Action] = ()) -> list[Check]:
    """OrderedReady scales in from the highest ordinal down, each pod gone before
    the next goes; Parallel promises neither, so it gets no such check.
    `actions` are the audit log's, when there is one: they order deletions
    that the events put in the same second."""
    deleted = last_scale_in_deletions(e, events)
    if not deleted or e.pod_management_policy != "OrderedReady":
        return []
    removed = last_scale_in(e, events)
    descending = removed == sorted(removed, reverse=True)
    spaced, lines = _one_at_a_time(deleted, events, actions)
    verdict: Verdict = FAILED if not descending else spaced
    if len(deleted) < 2:
        verdict, lines = NOT_APPLICABLE, ["one pod removed: no order to show"]
    return [
        make_check(
            "scale-in removes the highest ordinal first, one at a time",
            "statefulset",
            verdict,
            "descending ordinals, each deleted only after the one before it was on its way out",
            " then ".join(e.names.pod(o) for o in removed) + (f"; {'; '.join(lines)}" if lines else ""),
        )
    ]


def check_deployment_scale_in(e: Expectations, dep: list[PodFacts], events: list[LifecycleEvent]) -> list[Check]:
    """The Deployment scales in all at once: its ReplicaSet deletes every pod it
    removes in one go, not one after another as the StatefulSet does."""
    hashes = {p.revision for p in dep}
    ours = [
        ev
        for ev in events
        if ev.object_kind == "ReplicaSet" and any(ev.pod.startswith(e.names.deployment_pod_prefix(h)) for h in hashes)
    ]
    # Only deletions after the ReplicaSet's last creation are a scale-in: one
    # that scaled down in an earlier rollout and up again when the template
    # came back (a revert) deleted those pods one by one, as a rollout does.
    created = [parse_time(ev.time) for ev in ours if ev.reason == "created"]
    since = max(created) if created else None
    deleted = [ev for ev in ours if ev.reason == "deleted" and (since is None or parse_time(ev.time) > since)]
    if len(deleted) < 2:
        return []
    times = sorted(parse_time(ev.time) for ev in deleted)
    span = (times[-1] - times[0]).total_seconds()
    return [
        make_check(
            "the Deployment scales in all at once",
            "deployment",
            PASSED if span <= 1 else FAILED,
            "every pod the scale-in removes deleted within one second",
            f"{', '.join(ev.pod for ev in deleted)} deleted within {span:.0f} s",
        )
    ]


def _judged_scale_out(e: Expectations, scalings: list[ReplicaSetScaling]) -> ReplicaSetScaling | None:
    """The Deployment's last scaling, when it is a scale-out of two pods or more.

    Only the last: a later scaling (a scale-in, a rollout) may have taken its
    pods away. Not one from 0: a ReplicaSet starts from 0 at the set-up and at
    every rollout, where pods also come in steps of maxSurge."""
    own = [s for s in scalings if s.deployment == e.names.deployment.workload]
    if not own:
        return None
    last = own[-1]
    if not last.up or not last.from_replicas or last.to_replicas - last.from_replicas < 2:
        return None
    return last


def check_deployment_scale_out(
    e: Expectations, dep: list[PodFacts], scalings: list[ReplicaSetScaling] | None
) -> list[Check]:
    """The Deployment scales out all at once: its ReplicaSet creates every pod
    the scale-out adds in one go, none waiting for another to be Ready (which
    the StatefulSet's OrderedReady does)."""
    scale_out = _judged_scale_out(e, scalings or [])
    if scale_out is None:
        return []
    added = scale_out.to_replicas - (scale_out.from_replicas or 0)
    since = parse_time(start_of_second(scale_out.time))
    new = sorted(
        (p for p in dep if p.name.startswith(scale_out.replicaset + "-") and parse_time(p.created) >= since),
        key=lambda p: parse_time(p.created),
    )
    said = f"{scale_out.replicaset} scaled up from {scale_out.from_replicas} to {scale_out.to_replicas}"
    expected = f"the {added} pods the scale-out adds created within one second"
    said += f" at {scale_out.time}"
    if len(new) != added:
        seen = (
            f"{said}; {len(new)} of its pods created since ({pod_list(new)}), not {added}: pods came and went after it"
        )
        return [make_check("the Deployment scales out all at once", "deployment", INCONCLUSIVE, expected, seen)]
    span = (parse_time(new[-1].created) - parse_time(new[0].created)).total_seconds()
    ready = sorted(p.ready_since for p in new if p.ready_since)
    seen = f"{said}; " + ", ".join(f"{p.name} created {p.created}" for p in new) + f": within {span:.0f} s"
    if ready:
        seen += f", the first Ready at {ready[0]}"
    return [
        make_check(
            "the Deployment scales out all at once", "deployment", PASSED if span <= 1 else FAILED, expected, seen
        )
    ]

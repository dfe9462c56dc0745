"""Pure evaluation of observed facts against the stack's expectations.

Each check states what the seed note expects, what was seen, and a verdict
(probes.facts.Verdict): "passed" only on positive evidence from this run;
"failed" when the evidence contradicts the expectation; "inconclusive" when the
run could not tell; "not applicable" when there is nothing to judge (no pods
because replicas is 0). Checks of an experiment the stack did not ask for (a
scale-in, the destructive storage run, the node spread) are left out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from probes.commands import dashed_ip
from probes.creation import creation_cause, creation_steps, describe_step
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    NOT_FOUND,
    PASSED,
    RESOLVED,
    Check,
    ClaimFacts,
    DnsLookup,
    Expectations,
    LifecycleEvent,
    NodeFacts,
    PodFacts,
    StableStorageRun,
    StatefulSetFacts,
    Verdict,
    Workload,
)
from probes.parse import ordinal_of

_VOLUME_DIR = re.compile(r"^(?P<base>/.+)/pvc-(?P<uid>[0-9a-f-]{36})_(?P<ns>[^_/]+)_(?P<claim>[^/]+)$")

CONTROL_QUERY: Final = "kubernetes.default"
"""A name that resolves in every cluster whatever the workloads (the API
Service, through the pod's search path). A negative DNS answer counts only
when this resolved in the same run: otherwise DNS may simply not be answering."""


@dataclass(frozen=True)
class Observation:
    """Everything one probe run saw."""

    statefulset: StatefulSetFacts
    statefulset_pods: list[PodFacts]
    deployment_pods: list[PodFacts]
    claims: list[ClaimFacts]
    dns: list[DnsLookup]
    events: list[LifecycleEvent]
    stable_storage: StableStorageRun | None
    nodes: list[NodeFacts] = field(default_factory=list)


def _check(name: str, workload: Workload, verdict: Verdict, expected: str, observed: str) -> Check:
    return Check(name=name, workload=workload, verdict=verdict, expected=expected, observed=observed)


def _names(pods: list[PodFacts]) -> str:
    return ", ".join(p.name for p in pods) or "no pods"


def _no_pods(workload: Workload, replicas: int) -> str:
    kind = "StatefulSet" if workload == "statefulset" else "Deployment"
    return f"no {kind} pods (replicas {replicas}): nothing to judge"


def check_pod_names(e: Expectations, sts: list[PodFacts], dep: list[PodFacts]) -> list[Check]:
    wanted = [f"{e.statefulset}-{i}" for i in range(e.replicas)]
    dep_pattern = re.compile(rf"^{re.escape(e.deployment)}-[a-z0-9]+-[a-z0-9]{{5}}$")
    if not wanted and not sts:
        sts_verdict: Verdict = NOT_APPLICABLE
    else:
        sts_verdict = PASSED if [p.name for p in sts] == wanted else FAILED
    if e.deployment_replicas == 0 and not dep:
        dep_verdict: Verdict = NOT_APPLICABLE
    else:
        dep_ok = len(dep) == e.deployment_replicas and all(dep_pattern.match(p.name) for p in dep)
        dep_verdict = PASSED if dep_ok else FAILED
    return [
        _check(
            "pod names are <statefulset>-<ordinal>",
            "statefulset",
            sts_verdict,
            ", ".join(wanted) or "no pods",
            _no_pods("statefulset", e.replicas) if sts_verdict == NOT_APPLICABLE else _names(sts),
        ),
        _check(
            "pod names are <deployment>-<template-hash>-<random>",
            "deployment",
            dep_verdict,
            f"{e.deployment_replicas} pods named {e.deployment}-<hash>-<5 chars>",
            _no_pods("deployment", e.deployment_replicas) if dep_verdict == NOT_APPLICABLE else _names(dep),
        ),
    ]


def check_creation_order(
    e: Expectations, sts: list[PodFacts], events: list[LifecycleEvent], min_ready_seconds: int = 0
) -> list[Check]:
    """The pod management policy, judged only on pods a rolling update did not
    create (probes.creation explains the rule)."""
    if e.pod_management_policy == "OrderedReady":
        name = "OrderedReady creates each pod after its predecessor is Ready"
        expected = "every pod created after the previous one was Ready"
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
            why = _no_pods("statefulset", e.replicas)
        else:
            why = "no two pods whose creation order tells the policy"
            why += f" ({seen})" if seen else f" ({len(judged)} of {len(sts)} pods judged)"
        return [_check(name, "statefulset", NOT_APPLICABLE, expected, why + not_judged)]
    overlapped = any(s.relation == "before Ready" for s in evidence)
    if e.pod_management_policy == "OrderedReady":
        verdict: Verdict = FAILED if overlapped else PASSED
    elif e.pod_management_policy == "Parallel":
        verdict = PASSED if overlapped else FAILED
    else:
        return [_check(name, "statefulset", NOT_APPLICABLE, expected, f"unknown policy {e.pod_management_policy}")]
    return [_check(name, "statefulset", verdict, expected, seen + not_judged)]


def check_hostnames(e: Expectations, sts: list[PodFacts], dep: list[PodFacts]) -> list[Check]:
    checks = []
    workloads: list[tuple[Workload, list[PodFacts], int]] = [
        ("statefulset", sts, e.replicas),
        ("deployment", dep, e.deployment_replicas),
    ]
    for workload, pods, replicas in workloads:
        if not pods:
            verdict: Verdict = NOT_APPLICABLE
            seen = _no_pods(workload, replicas)
        else:
            seen = ", ".join(f"{p.name}: {p.hostname}" for p in pods)
            if any(p.hostname is not None and p.hostname != p.name for p in pods):
                verdict = FAILED
            elif any(p.hostname is None for p in pods):
                verdict = INCONCLUSIVE
            else:
                verdict = PASSED
        checks.append(_check("hostname is the pod name", workload, verdict, "hostname prints the pod's own name", seen))
    return checks


def dns_queries(e: Expectations, sts: list[PodFacts], dep: list[PodFacts]) -> list[str]:
    """The names the DNS probe looks up, as in the seed's nslookups, after the control."""
    return (
        [CONTROL_QUERY]
        + [f"{p.name}.{e.statefulset_service}" for p in sts]
        + [f"{p.name}.{e.deployment_service}" for p in dep]
        + [f"{dashed_ip(p.ip)}.{e.deployment_service}" for p in dep if p.ip]
        + [f"{dashed_ip(p.ip)}.{e.deployment_service}" for p in sts if p.ip]
    )


def dns_answers_expected(e: Expectations, sts: list[PodFacts], dep: list[PodFacts]) -> dict[str, str]:
    """The lab's queries that must resolve, each to this IP (the rest must not)."""
    return {f"{p.name}.{e.statefulset_service}": p.ip for p in sts if p.ip} | {
        f"{dashed_ip(p.ip)}.{e.deployment_service}": p.ip for p in dep if p.ip
    }


def dns_settled(e: Expectations, sts: list[PodFacts], dep: list[PodFacts], dns: list[DnsLookup]) -> bool:
    """Every answer is final: the control and every positive query resolved (to
    the pod's IP) and no lookup ended in an error. Until then the probe retries."""
    by_query = {d.query: d for d in dns}
    control = by_query.get(CONTROL_QUERY)
    positives_ok = all(
        (d := by_query.get(q)) is not None and d.resolved and d.addresses == [ip]
        for q, ip in dns_answers_expected(e, sts, dep).items()
    )
    asked = dns_queries(e, sts, dep)
    return (
        control is not None
        and control.resolved
        and positives_ok
        and all(q in by_query and by_query[q].outcome != "error" for q in asked)
    )


def _lookup_text(q: str, d: DnsLookup | None) -> str:
    if d is None:
        return f"{q}: not looked up"
    if d.outcome == RESOLVED:
        return f"{q} -> {', '.join(d.addresses)}"
    if d.outcome == NOT_FOUND:
        return f"{q}: not found ({d.detail})"
    return f"{q}: lookup error ({d.detail})"


def _negative_verdict(queries: list[str], by_query: dict[str, DnsLookup], control_ok: bool) -> Verdict:
    """A name that must not exist: failed when it resolved; passed only when
    the server said it does not exist and the control resolved in this run."""
    found = [by_query.get(q) for q in queries]
    if any(d is not None and d.resolved for d in found):
        return FAILED
    if not control_ok or any(d is None or d.outcome != NOT_FOUND for d in found):
        return INCONCLUSIVE
    return PASSED


def check_dns(e: Expectations, sts: list[PodFacts], dep: list[PodFacts], dns: list[DnsLookup]) -> list[Check]:
    by_query = {d.query: d for d in dns}
    control = by_query.get(CONTROL_QUERY)
    control_ok = control is not None and control.resolved
    control_text = "control " + _lookup_text(CONTROL_QUERY, control)
    if not control_ok:
        control_text += " (DNS did not prove it answers, so no failed lookup below counts as a missing record)"

    def resolves_to(query: str, ip: str) -> bool:
        d = by_query.get(query)
        return bool(ip) and d is not None and d.resolved and d.addresses == [ip]

    def positive(pods: list[PodFacts], queries: list[tuple[str, str]]) -> Verdict:
        if not pods:
            return NOT_APPLICABLE
        return PASSED if all(resolves_to(q, ip) for q, ip in queries) else FAILED

    def seen(queries: list[str], pods: list[PodFacts], workload: Workload, replicas: int) -> str:
        if not pods:
            return _no_pods(workload, replicas)
        return "; ".join(_lookup_text(q, by_query.get(q)) for q in queries)

    sts_names = [(f"{p.name}.{e.statefulset_service}", p.ip) for p in sts]
    dep_names = [f"{p.name}.{e.deployment_service}" for p in dep]
    dep_dashed = [(f"{dashed_ip(p.ip)}.{e.deployment_service}" if p.ip else f"{p.name} (no IP)", p.ip) for p in dep]
    sts_dashed = [f"{dashed_ip(p.ip)}.{e.deployment_service}" if p.ip else f"{p.name} (no IP)" for p in sts]

    def negative(queries: list[str], pods: list[PodFacts]) -> Verdict:
        return NOT_APPLICABLE if not pods else _negative_verdict(queries, by_query, control_ok)

    return [
        _check(
            "<pod>.<service> resolves to the pod's IP",
            "statefulset",
            positive(sts, sts_names),
            "each pod name resolves to its own IP",
            seen([q for q, _ in sts_names], sts, "statefulset", e.replicas),
        ),
        _check(
            "<pod>.<service> does not resolve",
            "deployment",
            negative(dep_names, dep),
            "the server answers that no record exists for a Deployment pod's name",
            seen(dep_names, dep, "deployment", e.deployment_replicas) + (f"; {control_text}" if dep else ""),
        ),
        _check(
            "<dashed-ip>.<service> resolves to the pod's IP",
            "deployment",
            positive(dep, dep_dashed),
            "each pod's dashed IP resolves under its Service",
            seen([q for q, _ in dep_dashed], dep, "deployment", e.deployment_replicas),
        ),
        _check(
            "a StatefulSet pod's dashed IP does not resolve under the Deployment's Service",
            "statefulset",
            negative(sts_dashed, sts),
            f"the server answers that no such record exists under {e.deployment_service}",
            seen(sts_dashed, sts, "statefulset", e.replicas) + (f"; {control_text}" if sts else ""),
        ),
    ]


def _claim_summary(c: ClaimFacts | None, name: str) -> str:
    if c is None:
        return f"{name}: missing"
    return f"{c.name}: {c.phase} on {c.node or '?'} at {c.host_path or '?'}"


def check_claims(e: Expectations, sts: list[PodFacts], dep: list[PodFacts], claims: list[ClaimFacts]) -> list[Check]:
    by_name = {c.name: c for c in claims}
    per_ordinal = [f"{e.claim_template}-{e.statefulset}-{i}" for i in range(e.replicas)]
    shared = f"{e.claim_template}-{e.deployment}"
    shared_claim = by_name.get(shared)
    mounts = ", ".join(f"{p.name}: {'+'.join(p.claims) or 'none'}" for p in dep)

    if not sts:
        per_ordinal_check = _check(
            "one Bound claim per ordinal, mounted by its pod",
            "statefulset",
            NOT_APPLICABLE,
            ", ".join(per_ordinal) + " Bound" if per_ordinal else "no claims",
            _no_pods("statefulset", e.replicas),
        )
    else:
        mounted_own = all(p.claims == [f"{e.claim_template}-{p.name}"] for p in sts)
        bound = all(n in by_name and by_name[n].phase == "Bound" for n in per_ordinal)
        per_ordinal_check = _check(
            "one Bound claim per ordinal, mounted by its pod",
            "statefulset",
            PASSED if bound and mounted_own else FAILED,
            ", ".join(per_ordinal) + " Bound, each mounted by its pod",
            "; ".join(_claim_summary(by_name.get(n), n) for n in per_ordinal)
            + "; mounts: "
            + ", ".join(f"{p.name}: {'+'.join(p.claims) or 'none'}" for p in sts),
        )

    if not dep:
        shared_check = _check(
            "one Bound claim shared by every pod",
            "deployment",
            NOT_APPLICABLE,
            f"{shared} Bound and mounted by every pod",
            _no_pods("deployment", e.deployment_replicas),
        )
        node_check = _check(
            "all pods run on the node of the shared volume",
            "deployment",
            NOT_APPLICABLE,
            "every pod on the volume's node",
            _no_pods("deployment", e.deployment_replicas),
        )
    else:
        shared_ok = (
            shared_claim is not None and shared_claim.phase == "Bound" and all(p.claims == [shared] for p in dep)
        )
        shared_check = _check(
            "one Bound claim shared by every pod",
            "deployment",
            PASSED if shared_ok else FAILED,
            f"{shared} Bound and mounted by all {len(dep)} pods",
            _claim_summary(shared_claim, shared) + "; mounts: " + mounts,
        )
        placement = ", ".join(f"{p.name}: {p.node or 'not scheduled'}" for p in dep)
        volume_node = shared_claim.node if shared_claim is not None else None
        if volume_node is None:
            why = "no such claim" if shared_claim is None else "its volume has no node affinity (not node-local)"
            node_check = _check(
                "all pods run on the node of the shared volume",
                "deployment",
                INCONCLUSIVE,
                "every pod on the volume's node",
                f"{shared}: {why}; pods: {placement}",
            )
        else:
            node_check = _check(
                "all pods run on the node of the shared volume",
                "deployment",
                PASSED if all(p.node == volume_node for p in dep) else FAILED,
                f"every pod on {volume_node}",
                placement,
            )

    ours = [c for c in claims if (c.name in per_ordinal or c.name == shared) and c.phase == "Bound"]
    unbound = [c.name for c in claims if (c.name in per_ordinal or c.name == shared) and c.phase != "Bound"]
    if not ours:
        paths_verdict: Verdict = NOT_APPLICABLE
        paths_seen = "no Bound claim of the lab, so no volume to look at"
    else:
        paths_ok = all(
            (m := _VOLUME_DIR.match(c.host_path or "")) is not None and m["ns"] == e.namespace and m["claim"] == c.name
            for c in ours
        )
        paths_verdict = PASSED if paths_ok else FAILED
        paths_seen = "; ".join(f"{c.name}: {c.host_path}" for c in ours)
    if unbound:
        paths_seen += "; not Bound yet: " + ", ".join(unbound)
    return [
        per_ordinal_check,
        shared_check,
        node_check,
        _check(
            "each volume is a host directory pvc-<uid>_<namespace>_<claim>",
            "statefulset",
            paths_verdict,
            "<node path>/pvc-<uid>_<namespace>_<claim>",
            paths_seen,
        ),
    ]


def check_volume_nodes(e: Expectations, sts: list[PodFacts], claims: list[ClaimFacts]) -> list[Check]:
    """A node-local volume pins its pod: each ordinal's pod runs where its volume is."""
    name = "each claim's volume is on its pod's node"
    expected = "pod node == volume node, per ordinal"
    if not sts:
        return [_check(name, "statefulset", NOT_APPLICABLE, expected, _no_pods("statefulset", e.replicas))]
    by_name = {c.name: c for c in claims}
    lines, mismatched, unknown = [], False, False
    for p in sts:
        claim = by_name.get(f"{e.claim_template}-{p.name}")
        if claim is None:
            unknown = True
            lines.append(f"{p.name}: no claim {e.claim_template}-{p.name}")
        elif claim.node is None:
            unknown = True
            lines.append(f"{p.name} on {p.node or 'no node'}: {claim.name} has no node affinity (not node-local)")
        elif not p.node:
            unknown = True
            lines.append(f"{p.name}: not scheduled; {claim.name} on {claim.node}")
        else:
            mismatched |= p.node != claim.node
            lines.append(f"{p.name} on {p.node}, {claim.name} on {claim.node}")
    verdict: Verdict = FAILED if mismatched else INCONCLUSIVE if unknown else PASSED
    return [_check(name, "statefulset", verdict, expected, "; ".join(lines))]


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
    observed = _no_pods("statefulset", e.replicas)
    if sts:
        verdict, observed = spread_verdict(sts, nodes)
    return [
        _check(
            "pods are spread across nodes (topology spread on kubernetes.io/hostname)",
            "statefulset",
            verdict,
            "pod counts per schedulable node differ by at most 1",
            observed,
        )
    ]


def check_stable_storage(e: Expectations, run: StableStorageRun | None) -> list[Check]:
    if run is None:
        return []
    sts_pods = sorted(p for p in run.before if ordinal_of(p, e.statefulset) is not None)
    dep_before = {p: t for p, t in run.before.items() if ordinal_of(p, e.statefulset) is None}
    dep_after = {p: t for p, t in run.after.items() if ordinal_of(p, e.statefulset) is None}

    def fmt(pages: dict[str, str]) -> str:
        return ", ".join(f"{p}: {t!r}" for p, t in sorted(pages.items()))

    if not sts_pods:
        sts_verdict: Verdict = NOT_APPLICABLE
        sts_seen = _no_pods("statefulset", e.replicas)
    else:
        sts_ok = all(run.before.get(p) == p and run.after.get(p) == p for p in sts_pods)
        sts_verdict = PASSED if sts_ok else FAILED
        sts_seen = (
            f"before: {fmt({p: run.before[p] for p in sts_pods})}; "
            f"after: {fmt({p: run.after.get(p, '') for p in sts_pods})}"
        )
    if not dep_before:
        dep_verdict: Verdict = NOT_APPLICABLE
        dep_seen = _no_pods("deployment", e.deployment_replicas)
    else:
        dep_ok = (
            bool(dep_after)
            and all(t == run.last_writer for t in dep_before.values())
            and all(t == run.last_writer for t in dep_after.values())
        )
        dep_verdict = PASSED if dep_ok else FAILED
        dep_seen = f"before: {fmt(dep_before)}; after: {fmt(dep_after) or 'no pods'}"
    return [
        _check(
            "each pod serves its own name before and after all pods are deleted",
            "statefulset",
            sts_verdict,
            "web page == pod name, twice",
            sts_seen,
        ),
        _check(
            "every pod serves the last writer's name, before and after deletion",
            "deployment",
            dep_verdict,
            f"all pages == {run.last_writer!r}",
            dep_seen,
        ),
    ]


def check_partition(e: Expectations, sts_facts: StatefulSetFacts, sts: list[PodFacts]) -> list[Check]:
    if e.update_strategy != "RollingUpdate":
        return []
    name = f"ordinals >= partition ({e.partition}) run the new revision, the others keep theirs"
    expected = (
        f"ordinals {e.partition}.. on {e.image} @{sts_facts.update_revision}; "
        f"lower ordinals @{sts_facts.current_revision}"
    )
    if not sts:
        return [_check(name, "statefulset", NOT_APPLICABLE, expected, _no_pods("statefulset", e.replicas))]
    moved = [p for p in sts if p.ordinal is not None and p.ordinal >= e.partition]
    held = [p for p in sts if p.ordinal is not None and p.ordinal < e.partition]
    moved_ok = all(p.image == e.image and p.revision == sts_facts.update_revision for p in moved)
    held_ok = all(p.revision == sts_facts.current_revision for p in held)

    def fmt(pods: list[PodFacts]) -> str:
        return ", ".join(f"{p.name}: {p.image} @{p.revision}" for p in pods) or "none"

    return [
        _check(
            name,
            "statefulset",
            PASSED if moved_ok and held_ok and len(sts) == e.replicas else FAILED,
            expected,
            f"updated: {fmt(moved)}; held: {fmt(held)}",
        )
    ]


def last_scale_in(e: Expectations, events: list[LifecycleEvent]) -> list[int]:
    """Ordinals above the current replica count that the controller deleted
    since it last created one of them, in the order it deleted them."""
    run: list[int] = []
    for ev in events:
        ordinal = ordinal_of(ev.pod, e.statefulset)
        if ordinal is None or ev.reason not in ("deleted", "created"):
            continue
        if ev.reason == "deleted" and ordinal >= e.replicas:
            run.append(ordinal)
        elif ev.reason == "created" and ordinal >= e.replicas:
            run = []  # scaled out again: earlier deletions are history
    return run


def check_scale_in(e: Expectations, events: list[LifecycleEvent], claims: list[ClaimFacts]) -> list[Check]:
    removed = last_scale_in(e, events)
    if not removed:
        return []
    checks = [
        _check(
            "scale-in removes the highest ordinal first, one at a time",
            "statefulset",
            PASSED if removed == sorted(removed, reverse=True) else FAILED,
            "descending ordinals",
            " then ".join(f"{e.statefulset}-{o}" for o in removed),
        )
    ]
    names = {c.name for c in claims}
    kept = [f"{e.claim_template}-{e.statefulset}-{o}" for o in sorted(removed)]
    fates = ", ".join(f"{k}: {'kept' if k in names else 'gone'}" for k in kept)
    if e.pvc_retention_when_scaled == "Retain":
        checks.append(
            _check(
                "claims of removed ordinals are kept",
                "statefulset",
                PASSED if all(k in names for k in kept) else FAILED,
                ", ".join(kept) + " still exist",
                fates,
            )
        )
    else:
        checks.append(
            _check(
                "claims of removed ordinals are deleted (whenScaled: Delete)",
                "statefulset",
                PASSED if not any(k in names for k in kept) else FAILED,
                ", ".join(kept) + " gone",
                fates,
            )
        )
    return checks


def evaluate(e: Expectations, o: Observation) -> list[Check]:
    return (
        check_pod_names(e, o.statefulset_pods, o.deployment_pods)
        + check_creation_order(e, o.statefulset_pods, o.events, o.statefulset.min_ready_seconds)
        + check_hostnames(e, o.statefulset_pods, o.deployment_pods)
        + check_dns(e, o.statefulset_pods, o.deployment_pods, o.dns)
        + check_claims(e, o.statefulset_pods, o.deployment_pods, o.claims)
        + check_volume_nodes(e, o.statefulset_pods, o.claims)
        + check_spread(e, o.statefulset_pods, o.nodes)
        + check_stable_storage(e, o.stable_storage)
        + check_partition(e, o.statefulset, o.statefulset_pods)
        + check_scale_in(e, o.events, o.claims)
    )

"""Pure evaluation of observed facts against the stack's expectations.

Each check states what the seed note expects, what was seen, and whether the
two agree. Checks that need evidence a run may not have (a scale-in, the
destructive storage run) appear only when that evidence exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from probes.commands import dashed_ip
from probes.facts import (
    Check,
    ClaimFacts,
    DnsLookup,
    Expectations,
    LifecycleEvent,
    PodFacts,
    StableStorageRun,
    StatefulSetFacts,
    Workload,
)
from probes.parse import ordinal_of, parse_time

_VOLUME_DIR = re.compile(r"^(?P<base>/.+)/pvc-(?P<uid>[0-9a-f-]{36})_(?P<ns>[^_/]+)_(?P<claim>[^/]+)$")


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


def _check(name: str, workload: Workload, passed: bool, expected: str, observed: str) -> Check:
    return Check(name=name, workload=workload, passed=passed, expected=expected, observed=observed)


def _names(pods: list[PodFacts]) -> str:
    return ", ".join(p.name for p in pods) or "no pods"


def creation_gaps(pods: list[PodFacts]) -> list[tuple[str, str, bool | None]]:
    """For pods in creation order: (pod, predecessor, created after the
    predecessor was Ready), or None where that cannot be told.

    Timestamps have one-second resolution, so `created >= ready_since` is the
    strongest comparison the API allows. A pod's Ready time is that of its
    latest start, so a predecessor that restarted since (a node restart, a
    crash) no longer shows when it first became Ready.
    """
    ordered = sorted(pods, key=lambda p: (parse_time(p.created), p.ordinal or 0))
    gaps: list[tuple[str, str, bool | None]] = []
    for before, after in pairwise(ordered):
        waited: bool | None = None
        if before.restarts == 0:
            waited = before.ready_since is not None and parse_time(after.created) >= parse_time(before.ready_since)
        gaps.append((after.name, before.name, waited))
    return gaps


def check_pod_names(e: Expectations, sts: list[PodFacts], dep: list[PodFacts]) -> list[Check]:
    wanted = [f"{e.statefulset}-{i}" for i in range(e.replicas)]
    dep_pattern = re.compile(rf"^{re.escape(e.deployment)}-[a-z0-9]+-[a-z0-9]{{5}}$")
    dep_ok = len(dep) == e.deployment_replicas and all(dep_pattern.match(p.name) for p in dep)
    return [
        _check(
            "pod names are <statefulset>-<ordinal>",
            "statefulset",
            [p.name for p in sts] == wanted,
            ", ".join(wanted) or "no pods",
            _names(sts),
        ),
        _check(
            "pod names are <deployment>-<template-hash>-<random>",
            "deployment",
            dep_ok,
            f"{e.deployment_replicas} pods named {e.deployment}-<hash>-<5 chars>",
            _names(dep),
        ),
    ]


def check_creation_order(e: Expectations, sts: list[PodFacts]) -> list[Check]:
    gaps = [(pod, prev, waited) for pod, prev, waited in creation_gaps(sts) if waited is not None]
    if not gaps:  # no pair whose order can still be told
        return []
    seen = "; ".join(f"{pod} {'after' if waited else 'before'} {prev} was Ready" for pod, prev, waited in gaps)
    if e.pod_management_policy == "OrderedReady":
        return [
            _check(
                "OrderedReady creates each pod after its predecessor is Ready",
                "statefulset",
                all(waited for _, _, waited in gaps),
                "every pod created after the previous one was Ready",
                seen,
            )
        ]
    return [
        _check(
            "Parallel creates pods without waiting for each other",
            "statefulset",
            any(not waited for _, _, waited in gaps),
            "some pod created before the previous one was Ready",
            seen,
        )
    ]


def check_hostnames(sts: list[PodFacts], dep: list[PodFacts]) -> list[Check]:
    checks = []
    for workload, pods in (("statefulset", sts), ("deployment", dep)):
        seen = ", ".join(f"{p.name}: {p.hostname}" for p in pods) or "no pods"
        checks.append(
            _check(
                "hostname is the pod name",
                workload,  # type: ignore[arg-type]
                bool(pods) and all(p.hostname == p.name for p in pods),
                "hostname prints the pod's own name",
                seen,
            )
        )
    return checks


def dns_queries(e: Expectations, sts: list[PodFacts], dep: list[PodFacts]) -> list[str]:
    """The names the DNS probe looks up, as in the seed's nslookups."""
    return (
        [f"{p.name}.{e.statefulset_service}" for p in sts]
        + [f"{p.name}.{e.deployment_service}" for p in dep]
        + [f"{dashed_ip(p.ip)}.{e.deployment_service}" for p in dep if p.ip]
        + [f"{dashed_ip(p.ip)}.{e.deployment_service}" for p in sts if p.ip]
    )


def dns_answers_expected(e: Expectations, sts: list[PodFacts], dep: list[PodFacts]) -> dict[str, str]:
    """The queries that must resolve, each to this IP (the rest must not)."""
    return {f"{p.name}.{e.statefulset_service}": p.ip for p in sts if p.ip} | {
        f"{dashed_ip(p.ip)}.{e.deployment_service}": p.ip for p in dep if p.ip
    }


def check_dns(e: Expectations, sts: list[PodFacts], dep: list[PodFacts], dns: list[DnsLookup]) -> list[Check]:
    by_query = {d.query: d for d in dns}

    def seen(query: str) -> str:
        d = by_query.get(query)
        if d is None:
            return f"{query}: not looked up"
        return f"{query} -> {', '.join(d.addresses) or 'no answer'} (exit {d.exit_code})"

    def resolves_to(query: str, ip: str) -> bool:
        d = by_query.get(query)
        return d is not None and d.resolved and d.addresses == [ip]

    def unresolved(query: str) -> bool:
        d = by_query.get(query)
        return d is not None and not d.resolved

    sts_names = [(f"{p.name}.{e.statefulset_service}", p.ip) for p in sts]
    dep_names = [f"{p.name}.{e.deployment_service}" for p in dep]
    dep_dashed = [(f"{dashed_ip(p.ip)}.{e.deployment_service}", p.ip) for p in dep]
    sts_dashed = [f"{dashed_ip(p.ip)}.{e.deployment_service}" for p in sts]
    return [
        _check(
            "<pod>.<service> resolves to the pod's IP",
            "statefulset",
            bool(sts_names) and all(resolves_to(q, ip) for q, ip in sts_names),
            "each pod name resolves to its own IP",
            "; ".join(seen(q) for q, _ in sts_names),
        ),
        _check(
            "<pod>.<service> does not resolve",
            "deployment",
            bool(dep_names) and all(unresolved(q) for q in dep_names),
            "no record for a Deployment pod's name",
            "; ".join(seen(q) for q in dep_names),
        ),
        _check(
            "<dashed-ip>.<service> resolves to the pod's IP",
            "deployment",
            bool(dep_dashed) and all(resolves_to(q, ip) for q, ip in dep_dashed),
            "each pod's dashed IP resolves under its Service",
            "; ".join(seen(q) for q, _ in dep_dashed),
        ),
        _check(
            "a StatefulSet pod's dashed IP does not resolve under the Deployment's Service",
            "statefulset",
            bool(sts_dashed) and all(unresolved(q) for q in sts_dashed),
            f"no record under {e.deployment_service}",
            "; ".join(seen(q) for q in sts_dashed),
        ),
    ]


def _claim_summary(c: ClaimFacts | None, name: str) -> str:
    if c is None:
        return f"{name}: missing"
    return f"{c.name}: {c.phase} on {c.node or '?'} at {c.host_path or '?'}"


def check_claims(e: Expectations, sts: list[PodFacts], dep: list[PodFacts], claims: list[ClaimFacts]) -> list[Check]:
    by_name = {c.name: c for c in claims}
    per_ordinal = [f"{e.claim_template}-{e.statefulset}-{i}" for i in range(e.replicas)]
    mounted_own = all(p.claims == [f"{e.claim_template}-{p.name}"] for p in sts)
    shared = f"{e.claim_template}-{e.deployment}"
    shared_claim = by_name.get(shared)
    checks = [
        _check(
            "one Bound claim per ordinal, mounted by its pod",
            "statefulset",
            all(n in by_name and by_name[n].phase == "Bound" for n in per_ordinal) and mounted_own,
            ", ".join(per_ordinal) + " Bound",
            "; ".join(_claim_summary(by_name.get(n), n) for n in per_ordinal),
        ),
        _check(
            "one Bound claim shared by every pod",
            "deployment",
            shared_claim is not None
            and shared_claim.phase == "Bound"
            and bool(dep)
            and all(p.claims == [shared] for p in dep),
            f"{shared} Bound and mounted by all {len(dep)} pods",
            _claim_summary(shared_claim, shared)
            + "; mounts: "
            + ", ".join(f"{p.name}: {'+'.join(p.claims) or 'none'}" for p in dep),
        ),
    ]
    if shared_claim is not None and shared_claim.node:
        checks.append(
            _check(
                "all pods run on the node of the shared volume",
                "deployment",
                bool(dep) and all(p.node == shared_claim.node for p in dep),
                f"every pod on {shared_claim.node}",
                ", ".join(f"{p.name}: {p.node}" for p in dep) or "no pods",
            )
        )
    ours = [c for c in claims if c.name in per_ordinal or c.name == shared]
    paths_ok = bool(ours) and all(
        (m := _VOLUME_DIR.match(c.host_path or "")) is not None and m["ns"] == e.namespace and m["claim"] == c.name
        for c in ours
    )
    checks.append(
        _check(
            "each volume is a host directory pvc-<uid>_<namespace>_<claim>",
            "statefulset",
            paths_ok,
            "<node path>/pvc-<uid>_<namespace>_<claim>",
            "; ".join(f"{c.name}: {c.host_path}" for c in ours) or "no volumes",
        )
    )
    return checks


def check_stable_storage(e: Expectations, run: StableStorageRun | None) -> list[Check]:
    if run is None:
        return []
    sts_pods = sorted(p for p in run.before if ordinal_of(p, e.statefulset) is not None)
    sts_ok = bool(sts_pods) and all(run.before.get(p) == p and run.after.get(p) == p for p in sts_pods)
    dep_before = {p: t for p, t in run.before.items() if ordinal_of(p, e.statefulset) is None}
    dep_after = {p: t for p, t in run.after.items() if ordinal_of(p, e.statefulset) is None}
    dep_ok = (
        bool(dep_before)
        and bool(dep_after)
        and all(t == run.last_writer for t in dep_before.values())
        and all(t == run.last_writer for t in dep_after.values())
    )

    def fmt(pages: dict[str, str]) -> str:
        return ", ".join(f"{p}: {t!r}" for p, t in sorted(pages.items()))

    return [
        _check(
            "each pod serves its own name before and after all pods are deleted",
            "statefulset",
            sts_ok,
            "web page == pod name, twice",
            f"before: {fmt({p: run.before[p] for p in sts_pods})}; "
            f"after: {fmt({p: run.after.get(p, '') for p in sts_pods})}",
        ),
        _check(
            "every pod serves the last writer's name, before and after deletion",
            "deployment",
            dep_ok,
            f"all pages == {run.last_writer!r}",
            f"before: {fmt(dep_before)}; after: {fmt(dep_after)}",
        ),
    ]


def check_partition(e: Expectations, sts_facts: StatefulSetFacts, sts: list[PodFacts]) -> list[Check]:
    if e.update_strategy != "RollingUpdate":
        return []
    moved = [p for p in sts if p.ordinal is not None and p.ordinal >= e.partition]
    held = [p for p in sts if p.ordinal is not None and p.ordinal < e.partition]
    moved_ok = all(p.image == e.image and p.revision == sts_facts.update_revision for p in moved)
    held_ok = all(p.revision == sts_facts.current_revision for p in held)

    def fmt(pods: list[PodFacts]) -> str:
        return ", ".join(f"{p.name}: {p.image} @{p.revision}" for p in pods) or "none"

    return [
        _check(
            f"ordinals >= partition ({e.partition}) run the new revision, the others keep theirs",
            "statefulset",
            moved_ok and held_ok and len(sts) == e.replicas,
            f"ordinals {e.partition}.. on {e.image} @{sts_facts.update_revision}; "
            f"lower ordinals @{sts_facts.current_revision}",
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
            removed == sorted(removed, reverse=True),
            "descending ordinals",
            " then ".join(f"{e.statefulset}-{o}" for o in removed),
        )
    ]
    names = {c.name for c in claims}
    kept = [f"{e.claim_template}-{e.statefulset}-{o}" for o in sorted(removed)]
    if e.pvc_retention_when_scaled == "Retain":
        checks.append(
            _check(
                "claims of removed ordinals are kept",
                "statefulset",
                all(k in names for k in kept),
                ", ".join(kept) + " still exist",
                ", ".join(f"{k}: {'kept' if k in names else 'gone'}" for k in kept),
            )
        )
    else:
        checks.append(
            _check(
                "claims of removed ordinals are deleted (whenScaled: Delete)",
                "statefulset",
                not any(k in names for k in kept),
                ", ".join(kept) + " gone",
                ", ".join(f"{k}: {'kept' if k in names else 'gone'}" for k in kept),
            )
        )
    return checks


def evaluate(e: Expectations, o: Observation) -> list[Check]:
    return (
        check_pod_names(e, o.statefulset_pods, o.deployment_pods)
        + check_creation_order(e, o.statefulset_pods)
        + check_hostnames(o.statefulset_pods, o.deployment_pods)
        + check_dns(e, o.statefulset_pods, o.deployment_pods, o.dns)
        + check_claims(e, o.statefulset_pods, o.deployment_pods, o.claims)
        + check_stable_storage(e, o.stable_storage)
        + check_partition(e, o.statefulset, o.statefulset_pods)
        + check_scale_in(e, o.events, o.claims)
    )

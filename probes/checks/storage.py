"""Checks of the storage: one claim per ordinal against one shared claim,
where the volumes live, what survives pod deletion, and the claims a
scale-in keeps or deletes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kube.objects import ordinal_of
from probes.checks.common import held_back_above, held_back_note, make_check, nothing_to_judge, worst
from probes.checks.pods import last_scale_in
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    PASSED,
    Check,
    ClaimFacts,
    Expectations,
    LifecycleEvent,
    PodFacts,
    StableStorageRun,
    Verdict,
    Workload,
)
from probes.parse import parse_time

_VOLUME_DIR = re.compile(r"^(?P<base>/.+)/pvc-(?P<uid>[0-9a-f-]{36})_(?P<ns>[^_/]+)_(?P<claim>[^/]+)$")


def _claim_summary(c: ClaimFacts | None, name: str) -> str:
    if c is None:
        return f"{name}: missing"
    summary = f"{c.name}: {c.phase} on {c.node or '?'} at {c.host_path or '?'}"
    if c.deleting_since:
        summary += f", BEING DELETED since {c.deleting_since} (pvc-protection keeps it while a pod mounts it)"
    return summary


def _fine(c: ClaimFacts | None) -> bool:
    """Bound and staying: a claim being deleted goes with the pod that mounts it."""
    return c is not None and c.phase == "Bound" and not c.deleting_since


def _newer_than_its_pod(claim: ClaimFacts, pod: str, events: list[LifecycleEvent]) -> str:
    """When the claim was created after an earlier pod of its ordinal was: the
    StatefulSet made a new, empty claim when the pod came back (the old one was deleted)."""
    if not claim.created:
        return ""
    # Repeats fold into one event: its first time is the earliest creation.
    earlier = [
        first
        for ev in events
        if ev.object_kind == "StatefulSet" and ev.reason == "created" and ev.pod == pod
        and parse_time(first := ev.first_time or ev.time) < parse_time(claim.created)
    ]  # fmt: skip
    if not earlier:
        return ""
    return (
        f"{claim.name} (uid {claim.uid[:8] or '?'}) was created {claim.created}, after {pod} was first created "
        f"at {earlier[0]}: a new, empty claim, the earlier one was deleted"
    )


def _per_ordinal_claims(
    e: Expectations, sts: list[PodFacts], by_name: dict[str, ClaimFacts], events: Sequence[LifecycleEvent]
) -> Check:
    names = e.names
    per_ordinal = [names.claim_of_ordinal(i) for i in e.ordinals]
    if not sts:
        return make_check(
            "one Bound claim per ordinal, mounted by its pod",
            "statefulset",
            NOT_APPLICABLE,
            ", ".join(per_ordinal) + " Bound" if per_ordinal else "no claims",
            nothing_to_judge("statefulset", e.replicas),
        )
    else:
        mounted_own = all(p.claims == [names.claim_of(p.name)] for p in sts)
        bound = all(_fine(by_name.get(n)) for n in per_ordinal)
        renewed = [
            note
            for i in e.ordinals
            if (c := by_name.get(names.claim_of_ordinal(i))) is not None
            and (note := _newer_than_its_pod(c, names.pod(i), list(events)))
        ]
        holder = held_back_above(e, sts)
        present = {p.ordinal for p in sts}
        # A claim is made with its pod: one missing above a pod that holds the others back is not made yet.
        waiting = [
            n
            for i, n in zip(e.ordinals, per_ordinal, strict=True)
            if not _fine(by_name.get(n)) and holder is not None and i > (holder.ordinal or 0) and i not in present
        ]
        unfine = [n for n in per_ordinal if not _fine(by_name.get(n))]
        verdict: Verdict = PASSED if bound and mounted_own else FAILED
        if verdict == FAILED and mounted_own and waiting and waiting == unfine and holder is not None:
            verdict = INCONCLUSIVE
            renewed.append(held_back_note(holder))
        return make_check(
            "one Bound claim per ordinal, mounted by its pod",
            "statefulset",
            verdict,
            ", ".join(per_ordinal) + " Bound and not being deleted, each mounted by its pod",
            "; ".join([_claim_summary(by_name.get(n), n) for n in per_ordinal] + renewed)
            + "; mounts: "
            + ", ".join(f"{p.name}: {'+'.join(p.claims) or 'none'}" for p in sts),
        )


def check_claims(
    e: Expectations,
    sts: list[PodFacts],
    dep: list[PodFacts],
    claims: list[ClaimFacts],
    events: Sequence[LifecycleEvent] = (),
) -> list[Check]:
    by_name = {c.name: c for c in claims}
    names = e.names
    per_ordinal = [names.claim_of_ordinal(i) for i in e.ordinals]
    shared = names.shared_claim
    shared_claim = by_name.get(shared)
    mounts = ", ".join(f"{p.name}: {'+'.join(p.claims) or 'none'}" for p in dep)

    per_ordinal_check = _per_ordinal_claims(e, sts, by_name, events)

    if not dep:
        shared_check = make_check(
            "one Bound claim shared by every pod",
            "deployment",
            NOT_APPLICABLE,
            f"{shared} Bound and mounted by every pod",
            nothing_to_judge("deployment", e.deployment_replicas),
        )
        node_check = make_check(
            "all pods run on the node of the shared volume",
            "deployment",
            NOT_APPLICABLE,
            "every pod on the volume's node",
            nothing_to_judge("deployment", e.deployment_replicas),
        )
    else:
        shared_ok = _fine(shared_claim) and all(p.claims == [shared] for p in dep)
        shared_check = make_check(
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
            node_check = make_check(
                "all pods run on the node of the shared volume",
                "deployment",
                INCONCLUSIVE,
                "every pod on the volume's node",
                f"{shared}: {why}; pods: {placement}",
            )
        else:
            # A pod not placed yet is not judged: it runs nowhere (the node
            # checks say why it waits).
            placed = [p for p in dep if p.node]
            if any(p.node != volume_node for p in placed):
                placement_verdict: Verdict = FAILED
            else:
                placement_verdict = INCONCLUSIVE if len(placed) < len(dep) else PASSED
            node_check = make_check(
                "all pods run on the node of the shared volume",
                "deployment",
                placement_verdict,
                f"every pod on {volume_node}",
                placement,
            )

    ours = [c for c in claims if (c.name in per_ordinal or c.name == shared) and c.phase == "Bound"]
    unbound = [c.name for c in claims if (c.name in per_ordinal or c.name == shared) and c.phase != "Bound"]
    if not ours:
        paths_verdict: Verdict = NOT_APPLICABLE
        paths_seen = "no Bound claim of the lab, so no volume to look at"
    else:
        judged = [_volume_directory(c, e.namespace) for c in ours]
        outcomes = {v for v, _ in judged}
        paths_verdict = worst(outcomes)
        paths_seen = "; ".join(text for _, text in judged)
    if unbound:
        paths_seen += "; not Bound yet: " + ", ".join(unbound)
    return [
        per_ordinal_check,
        shared_check,
        node_check,
        make_check(
            "each volume is a host directory pvc-<uid>_<namespace>_<claim>",
            "statefulset",
            paths_verdict,
            "<node path>/pvc-<the claim's uid>_<namespace>_<claim>",
            paths_seen,
        ),
    ]


def _volume_directory(c: ClaimFacts, namespace: str) -> tuple[Verdict, str]:
    """The provisioner names the directory after the claim: pvc-<its uid>_<namespace>_<its name>."""
    m = _VOLUME_DIR.match(c.host_path or "")
    if m is None or m["ns"] != namespace or m["claim"] != c.name:
        return FAILED, f"{c.name}: {c.host_path or 'no host path'}"
    if not c.uid:
        return INCONCLUSIVE, f"{c.name}: {c.host_path} (the claim's uid was not recorded, so not compared)"
    if m["uid"] != c.uid:
        return FAILED, f"{c.name}: {c.host_path}, but the claim's uid is {c.uid}: another claim's directory"
    seen = f"{c.name} (uid {c.uid}): {c.host_path}"
    # On the lab cluster the node's disk itself was looked at: the path in
    # the API is only what the provisioner wrote there.
    if c.on_disk is False:
        return FAILED, f"{seen}, but no such directory on {c.node}'s disk"
    return PASSED, seen + (f", a directory on {c.node}'s disk" if c.on_disk else "")


def check_volume_nodes(e: Expectations, sts: list[PodFacts], claims: list[ClaimFacts]) -> list[Check]:
    """A node-local volume pins its pod: each ordinal's pod runs where its volume is."""
    name = "each claim's volume is on its pod's node"
    expected = "pod node == volume node, per ordinal"
    if not sts:
        return [make_check(name, "statefulset", NOT_APPLICABLE, expected, nothing_to_judge("statefulset", e.replicas))]
    by_name = {c.name: c for c in claims}
    lines, mismatched, unknown = [], False, False
    for p in sts:
        claim = by_name.get(e.names.claim_of(p.name))
        if claim is None:
            unknown = True
            lines.append(f"{p.name}: no claim {e.names.claim_of(p.name)}")
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
    return [make_check(name, "statefulset", verdict, expected, "; ".join(lines))]


STABLE_STORAGE_CHECKS: tuple[tuple[str, Workload], ...] = (
    ("each pod serves its own name before and after all pods are deleted", "statefulset"),
    ("every pod serves the last writer's name, before and after deletion", "deployment"),
)


def _stable_storage_broke(error: str) -> list[Check]:
    """The run asked for did not finish: both of its checks say why, so no gate reads "nothing failed"."""
    return [
        make_check(name, workload, INCONCLUSIVE, "the stable-storage run to finish", f"the run failed: {error}")
        for name, workload in STABLE_STORAGE_CHECKS
    ]


def check_stable_storage(e: Expectations, run: StableStorageRun | None, error: str = "") -> list[Check]:
    if error:
        return _stable_storage_broke(error)
    if run is None:
        return []
    sts_pods = sorted(p for p in run.before if ordinal_of(p, e.statefulset) is not None)
    dep_before = {p: t for p, t in run.before.items() if ordinal_of(p, e.statefulset) is None}
    dep_after = {p: t for p, t in run.after.items() if ordinal_of(p, e.statefulset) is None}

    def fmt(pages: dict[str, str]) -> str:
        return ", ".join(f"{p}: {t!r}" for p, t in sorted(pages.items()))

    if not sts_pods:
        sts_verdict: Verdict = NOT_APPLICABLE
        sts_seen = nothing_to_judge("statefulset", e.replicas)
    else:
        sts_ok = all(run.before.get(p) == p and run.after.get(p) == p for p in sts_pods)
        sts_verdict = PASSED if sts_ok else FAILED
        sts_seen = (
            f"before: {fmt({p: run.before[p] for p in sts_pods})}; "
            f"after: {fmt({p: run.after.get(p, '') for p in sts_pods})}"
        )
    if not dep_before:
        dep_verdict: Verdict = NOT_APPLICABLE
        dep_seen = nothing_to_judge("deployment", e.deployment_replicas)
    else:
        dep_ok = (
            bool(dep_after)
            and all(t == run.last_writer for t in dep_before.values())
            and all(t == run.last_writer for t in dep_after.values())
        )
        dep_verdict = PASSED if dep_ok else FAILED
        dep_seen = f"before: {fmt(dep_before)}; after: {fmt(dep_after) or 'no pods'}"
    (sts_name, _), (dep_name, _) = STABLE_STORAGE_CHECKS
    return [
        make_check(sts_name, "statefulset", sts_verdict, "web page == pod name, twice", sts_seen),
        make_check(dep_name, "deployment", dep_verdict, f"all pages == {run.last_writer!r}", dep_seen),
    ]


def check_scale_in_claims(e: Expectations, events: list[LifecycleEvent], claims: list[ClaimFacts]) -> list[Check]:
    """The claims of the ordinals the last scale-in removed: kept (whenScaled:
    Retain, as in the seed) or deleted (whenScaled: Delete)."""
    removed = last_scale_in(e, events)
    if not removed:
        return []
    phases = {c.name: c.phase for c in claims}
    kept = [e.names.claim_of_ordinal(o) for o in sorted(removed)]
    fates = ", ".join(f"{k}: {phases.get(k, 'gone')}" for k in kept)
    if e.pvc_retention_when_scaled == "Retain":
        return [
            make_check(
                "claims of removed ordinals are kept, still Bound",
                "statefulset",
                PASSED if all(phases.get(k) == "Bound" for k in kept) else FAILED,
                ", ".join(kept) + " still exist, Bound to their volumes",
                fates,
            )
        ]
    return [
        make_check(
            "claims of removed ordinals are deleted (whenScaled: Delete)",
            "statefulset",
            PASSED if not any(k in phases for k in kept) else FAILED,
            ", ".join(kept) + " gone",
            fates,
        )
    ]

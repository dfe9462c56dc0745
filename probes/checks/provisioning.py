"""When and where a claim's volume is made.

A WaitForFirstConsumer class (local-path's) makes no volume for a claim until
the scheduler has chosen a node for a pod that uses it: the scheduler writes
that node on the claim (volume.kubernetes.io/selected-node), the provisioner
makes the volume there, and only then is the pod bound to the node. An
Immediate class makes the volume as soon as the claim exists, wherever it
likes, and its claims never get the annotation: the pod has to follow the
volume. So the annotation, and the volume on its node, are the evidence; the
times are shown but decide nothing (a pod is bound after its volume either
way). The check is left out on documents from before the volumes' times were
read.
"""

from __future__ import annotations

from probes.checks.common import make_check, nothing_to_judge, worst
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    PASSED,
    Check,
    ClaimFacts,
    Expectations,
    PodFacts,
    Verdict,
)
from probes.parse import parse_time


def _judge(pod: PodFacts, claim: ClaimFacts | None) -> tuple[Verdict, str]:
    if claim is None:
        return INCONCLUSIVE, f"{pod.name}: no claim"
    made = claim.volume_created[11:19]
    if not made:
        if not pod.node:
            return PASSED, f"{pod.name} not scheduled yet, and {claim.name} has no volume"
        return INCONCLUSIVE, f"{pod.name} on {pod.node}: {claim.name} has no volume yet"
    if not claim.selected_node:
        return FAILED, f"{claim.name}: volume made at {made} with no node chosen by the scheduler"
    where = f"{claim.name}: scheduler chose {claim.selected_node}, volume on {claim.node or '?'}"
    if claim.node != claim.selected_node:
        return FAILED, where + ": not where the pod was placed"
    return _made_for(pod, claim, where)


def _made_for(pod: PodFacts, claim: ClaimFacts, where: str) -> tuple[Verdict, str]:
    """The times, as evidence only: the scheduler binds a pod once its volume is bound, whatever
    the class, and their one-second times cannot order the node's choice before the volume."""
    at = claim.volume_created[11:19]
    if pod.created and parse_time(pod.created) > parse_time(claim.volume_created):
        return PASSED, where + f", made at {at} for an earlier {pod.name}"
    placed = f", placed at {pod.scheduled[11:19]}" if pod.scheduled else ""
    return PASSED, where + f"; {pod.name} created at {pod.created[11:19]}, volume made at {at}{placed}"


def check_volumes_wait_for_their_pods(e: Expectations, sts: list[PodFacts], claims: list[ClaimFacts]) -> list[Check]:
    name = "each volume is made where the scheduler placed its pod, not before (WaitForFirstConsumer)"
    expected = "per ordinal: the claim carries the node the scheduler chose for its pod, and its volume is made there"
    if not any(c.volume_created for c in claims):
        return []  # a document from before the volumes' times were read, or no volume at all
    if not sts:
        return [make_check(name, "statefulset", NOT_APPLICABLE, expected, nothing_to_judge("statefulset", e.replicas))]
    by_name = {c.name: c for c in claims}
    mine = [by_name.get(e.names.claim_of(p.name)) for p in sts]
    if not any(c is not None and c.selected_node for c in mine):
        why = "no claim names a node the scheduler chose: their class makes volumes at once (Immediate), nothing waits"
        return [make_check(name, "statefulset", NOT_APPLICABLE, expected, why)]
    judged = [_judge(p, c) for p, c in zip(sts, mine, strict=True)]
    verdict = worst([v for v, _ in judged])
    return [make_check(name, "statefulset", verdict, expected, "; ".join(line for _, line in judged))]


def _own_claims(e: Expectations, claims: list[ClaimFacts]) -> list[ClaimFacts]:
    """The shared claim and the StatefulSet's claims, not whatever else the namespace holds."""
    return [c for c in claims if c.name == e.names.shared_claim or e.names.is_ordinal_claim(c.name)]


def check_default_class(e: Expectations, claims: list[ClaimFacts]) -> list[Check]:
    """useDefaultStorageClass: the claims name no class, so the API server's
    DefaultStorageClass admission writes the cluster's default into each as it is
    created. Left out where the claims name their class."""
    if e.claims_name_class:
        return []
    name = "claims that name no class get the cluster's default class"
    expected = f"every claim of both workloads on {e.default_class}, filled in by the cluster"
    mine = _own_claims(e, claims)
    if not mine:
        return [make_check(name, "statefulset", NOT_APPLICABLE, expected, "no claims yet")]
    lines = [f"{c.name}: {c.storage_class or 'no class'}" for c in mine]
    wrong = [c for c in mine if c.storage_class != e.default_class]
    if any(not c.storage_class for c in wrong):
        lines.append(
            "no class filled in: the cluster has no default class, or its DefaultStorageClass admission is off"
        )
    verdict: Verdict = FAILED if wrong else PASSED
    return [make_check(name, "statefulset", verdict, expected, "; ".join(lines) + " (the templates name none)")]

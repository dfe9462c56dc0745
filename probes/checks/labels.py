"""The identity labels the StatefulSet controller puts on each pod: its name
(what lets a Service or a selector pick out one pod of the set) and its
ordinal. A pod made by hand with the set's labels lacks them; a cluster
older than Kubernetes 1.28 has no ordinal label."""

from __future__ import annotations

from probes.checks.common import make_check, nothing_to_judge
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    PASSED,
    POD_INDEX_LABEL,
    POD_NAME_LABEL,
    Check,
    Expectations,
    PodFacts,
    Verdict,
)

EXPECTED = f"{POD_NAME_LABEL}=<the pod's name> and {POD_INDEX_LABEL}=<its ordinal> on every pod"


def _wanted(pod: PodFacts) -> dict[str, str]:
    # A name without an ordinal (not <set>-<n>) can match no index label.
    return {POD_NAME_LABEL: pod.name, POD_INDEX_LABEL: "?" if pod.ordinal is None else str(pod.ordinal)}


def _shown(pod: PodFacts, labels: dict[str, str]) -> str:
    values = ", ".join(f"{key}={labels.get(key, '(none)')}" for key in (POD_NAME_LABEL, POD_INDEX_LABEL))
    return f"{pod.name}: {values}"


def _judged(e: Expectations, sts: list[PodFacts]) -> tuple[Verdict, str]:
    if not sts:
        return NOT_APPLICABLE, nothing_to_judge("statefulset", e.replicas)
    unread = [p.name for p in sts if p.identity_labels is None]
    if unread:
        return INCONCLUSIVE, f"the labels of {', '.join(unread)} were not recorded in this document"
    read = {p.name: p.identity_labels or {} for p in sts}
    wrong = [p.name for p in sts if read[p.name] != _wanted(p)]
    shown = "; ".join(_shown(p, read[p.name]) for p in sts)
    if wrong:
        return FAILED, f"{shown}; not as the controller labels them: {', '.join(wrong)}"
    return PASSED, shown


def check_identity_labels(e: Expectations, sts: list[PodFacts]) -> list[Check]:
    verdict, observed = _judged(e, sts)
    return [
        make_check(
            "each StatefulSet pod carries its name and ordinal as labels", "statefulset", verdict, EXPECTED, observed
        )
    ]

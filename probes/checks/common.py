"""What every check module shares: how a check is written down, and how
"nothing to judge" and a list of pods read."""

from __future__ import annotations

from collections.abc import Collection

from probes.facts import FAILED, INCONCLUSIVE, PASSED, Check, PodFacts, Verdict, Workload


def make_check(name: str, workload: Workload, verdict: Verdict, expected: str, observed: str) -> Check:
    return Check(name=name, workload=workload, verdict=verdict, expected=expected, observed=observed)


def pod_list(pods: list[PodFacts]) -> str:
    return ", ".join(p.name for p in pods) or "no pods"


def nothing_to_judge(workload: Workload, replicas: int) -> str:
    kind = "StatefulSet" if workload == "statefulset" else "Deployment"
    return f"no {kind} pods (replicas {replicas}): nothing to judge"


def worst(verdicts: Collection[Verdict]) -> Verdict:
    """The verdict of several findings: failed if any failed, else inconclusive
    if any was, else passed."""
    return FAILED if FAILED in verdicts else INCONCLUSIVE if INCONCLUSIVE in verdicts else PASSED

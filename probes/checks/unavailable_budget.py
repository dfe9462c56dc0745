"""maxUnavailable is a budget of pods down, not of deletions: a pod already
unavailable when a rolling update goes on counts toward it (the concept page,
"Maximum unavailable Pods"). With maxUnavailable 2 and one pod that cannot
start, the controller takes one more pod down, not two, and leaves the rest
on the old revision.

The evidence: a pod in the update's range that has been Pending since it was
created (it never ran, so it was down all along), the controller's deletions
of other pods in the range after that, and the pods down now. Those deleted
pods' replacements that are not Ready yet, with the pod that was down first,
must not outnumber the budget; the budget is shown used when pods are left on
the old revision while exactly that many are down, and the controller has
acted on the current spec. With a budget of 1 the stalled-rollout check
(probes.checks.rollout) judges the same stop.
"""

from __future__ import annotations

from probes.checks.common import controller_deletions, make_check
from probes.checks.rollout import at_a_time
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    PASSED,
    Check,
    Expectations,
    LifecycleEvent,
    Observation,
    PodFacts,
    Verdict,
)
from probes.parse import parse_time


def _in_update_range(e: Expectations, o: Observation) -> list[PodFacts]:
    sts = o.statefulset
    assert sts is not None
    first, end = e.ordinals_start + sts.partition, e.ordinals_start + sts.replicas
    return [p for p in o.statefulset_pods if p.ordinal is not None and first <= p.ordinal < end]


def _deleted_after(e: Expectations, o: Observation, since: str, names: set[str]) -> list[LifecycleEvent]:
    """The StatefulSet controller's deletions of the named pods after `since`."""
    return [
        ev for ev in controller_deletions(e, o.events) if ev.pod in names and parse_time(ev.time) > parse_time(since)
    ]


def check_budget_counts_the_unavailable(e: Expectations, o: Observation) -> list[Check]:
    sts = o.statefulset
    if sts is None or sts.update_strategy != "RollingUpdate" or sts.max_unavailable is None:
        return []
    budget = at_a_time(sts.max_unavailable, sts.replicas)
    if budget < 2:
        return []
    pods = _in_update_range(e, o)
    never_ran = [p for p in pods if p.never_ran]
    if not never_ran:
        return []
    first = min(never_ran, key=lambda p: parse_time(p.created))
    others = {p.name for p in pods if p.name != first.name}
    taken = _deleted_after(e, o, first.created, others)
    if not taken:
        return []
    down = [p for p in pods if not p.ready]
    held = [p for p in pods if p.ready and p.revision != sts.update_revision]
    seen = sts.observed_generation >= sts.generation > 0
    lines = [
        f"{first.name} down since {first.created} ({(first.state or first.phase).split(':', 1)[0]}) before the "
        "controller went on",
        "then deleted by the controller: " + ", ".join(f"{ev.pod} at {ev.time}" for ev in taken),
        f"down now: {', '.join(p.name for p in down)} ({len(down)}); maxUnavailable {sts.max_unavailable}: {budget}",
        f"kept on the old revision, Ready: {', '.join(p.name for p in held) or 'none'}",
    ]
    verdict: Verdict
    if len(down) > budget:
        verdict = FAILED
    elif len(down) == budget and held and seen:
        verdict = PASSED
    else:
        verdict = INCONCLUSIVE
        lines.append(
            "the controller has not acted on this spec yet"
            if not seen
            else "the budget is not used up, or no pod is left to hold: nothing shows the count"
        )
    return [
        make_check(
            f"maxUnavailable {sts.max_unavailable} counts a pod that was already down: the rollout takes down "
            "only the rest of its budget",
            "statefulset",
            verdict,
            f"at most {budget} pods down, the one already down among them; the others kept on the old revision",
            "; ".join(lines),
        )
    ]

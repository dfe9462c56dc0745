"""What every check module shares: how a check is written down, and how
"nothing to judge" and a list of pods read, and which audit-log deletes of a
pod count."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import timedelta

from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    PASSED,
    Action,
    Check,
    Expectations,
    LifecycleEvent,
    PodFacts,
    Verdict,
    Workload,
)
from probes.parse import parse_time


def make_check(name: str, workload: Workload, verdict: Verdict, expected: str, observed: str) -> Check:
    return Check(name=name, workload=workload, verdict=verdict, expected=expected, observed=observed)


def pod_list(pods: list[PodFacts]) -> str:
    return ", ".join(p.name for p in pods) or "no pods"


def nothing_to_judge(workload: Workload, replicas: int) -> str:
    kind = "StatefulSet" if workload == "statefulset" else "Deployment"
    return f"no {kind} pods (replicas {replicas}): nothing to judge"


def held_back_above(e: Expectations, sts: Sequence[PodFacts]) -> PodFacts | None:
    """With OrderedReady, the lowest pod of the asked ordinals that is not Ready:
    the StatefulSet creates and removes nothing above it until it is, so a pod
    or claim missing (or left over) above it is that promise kept, not a fault.
    probes.checks.held_back judges the promise itself."""
    if e.pod_management_policy != "OrderedReady":
        return None
    unready = [p for p in sts if p.ordinal in e.ordinals and not p.ready and not p.terminating]
    return min(unready, key=lambda p: p.ordinal or 0, default=None)


def held_back_note(holder: PodFacts) -> str:
    return f"{holder.name} is not Ready, so OrderedReady creates and removes nothing above it yet"


def controller_deletions(e: Expectations, events: Sequence[LifecycleEvent]) -> list[LifecycleEvent]:
    """The pod deletions the StatefulSet's own controller reported (scale-in,
    rolling update), oldest first as the events are; not those of a person or
    a lesson, which the controller does not report."""
    return [
        ev
        for ev in events
        if ev.object_kind == "StatefulSet" and ev.object_name == e.statefulset and ev.reason == "deleted"
    ]


def start_of_second(time: str) -> str:
    """The second an event names (its times have no fraction): audit requests within it count as its own."""
    return time[:19] + "Z"


ONE_SECOND = timedelta(seconds=1)
EVENT_LAG_SECONDS = 30
"""How long before its event's second a delete request may have come. The
controller stamps the event once its delete returned, and on a busy machine
that has fallen into the next second (request at 18:20:56.045, event at
18:20:57)."""


def deletes_of_life(actions: Sequence[Action], pod: str, event_time: str) -> list[Action]:
    """The delete requests of the life of `pod` that an event (one-second time)
    reports, oldest first: from the pod's last create before the event's
    second ended, or, when the audit log holds none, from EVENT_LAG_SECONDS
    before that second (an older life would have been created again since)."""
    second = parse_time(start_of_second(event_time))
    timed = [(parse_time(a.time), a) for a in actions if a.kind == "pod" and a.name == pod]
    created = [when for when, a in timed if a.verb == "created" and when < second + ONE_SECOND]
    start = max(created) if created else second - timedelta(seconds=EVENT_LAG_SECONDS)
    return [a for when, a in timed if a.verb == "deleted" and when >= start]


def pod_deletes(actions: Sequence[Action], pod: str, since: str) -> list[Action]:
    """The delete requests for the pod from `since` on, oldest first."""
    start = parse_time(since)
    return [
        a for a in actions if a.kind == "pod" and a.name == pod and a.verb == "deleted" and parse_time(a.time) >= start
    ]


def worst(verdicts: Collection[Verdict]) -> Verdict:
    """The verdict of several findings: failed if any failed, else inconclusive
    if any was, else passed."""
    return FAILED if FAILED in verdicts else INCONCLUSIVE if INCONCLUSIVE in verdicts else PASSED

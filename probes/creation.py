"""How the current StatefulSet pods came to be, as evidence for the pod
management policy.

OrderedReady creates a pod only after its predecessor is Ready; Parallel
creates every missing pod at once. Both hold for a first creation, a
scale-out and a re-creation after pods were deleted. A rolling update is
different: it replaces pods one at a time (highest ordinal first) whatever
the policy, so a pod it created says nothing about the policy and is left out.

Rule ("replaced by the controller"), from the namespace's events:
the StatefulSet controller records `create Pod <name>` and `delete Pod <name>`
events. A current pod counts as replaced, and is not judged, when the
controller deleted a pod of the same name after the previous known creation of
that name. A rolling update is exactly that (delete, wait until gone, create).
So are a scale-in followed by a scale-out and the replacement of a failed pod:
events do not tell the replica count at the time of the deletion, nor the
revision the deleted pod ran, so those are left out too (when unsure, no
verdict rather than a wrong one). A pod deleted by someone else (the
stable-storage probe, `kubectl delete pod`) has no controller delete event,
so its re-creation is judged.

A pod is also left out when the events cannot vouch for its creation: no
controller create event of this life (events expire after an hour; repeats are
folded into one event with a count; past ten similar events in ten minutes
the API folds them into a "combined" event naming only the latest pod, which
may hide a deletion).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Final, Literal

from probes.facts import LifecycleEvent, PodFacts
from probes.parse import parse_time

CLOCK_SLACK: Final = timedelta(seconds=1)
"""API timestamps are truncated to the second."""
TOGETHER: Final = timedelta(seconds=0.5)
"""Two pods the scheduler placed less than this apart were created in one
burst: the first cannot have been Ready in between (a pod needs a sandbox,
a network and a started container, then the controller must see it Ready,
before OrderedReady creates the next)."""
RELATED_WITHIN_SECONDS: Final = 5
"""OrderedReady creates the next pod within moments of its predecessor's
readiness (plus minReadySeconds); a pod created later than this was asked for
later (a scale-out), so it was not waiting for its predecessor."""


@dataclass(frozen=True)
class CreationCause:
    """Whether a current pod's creation can judge the policy, and why."""

    pod: str
    judged: bool
    why: str


def _controller_events(events: list[LifecycleEvent], statefulset: str) -> list[LifecycleEvent]:
    return [e for e in events if e.object_kind == "StatefulSet" and e.object_name == statefulset]


def _creation_instants(creates: list[LifecycleEvent]) -> list[datetime]:
    """Every time a creation of the name is known to have happened.

    A folded event (count >= 2) shows its first and last occurrence; those
    in between are hidden, but they lie between the two, so taking the first
    as "previous creation" only widens the window searched for a deletion.
    A combined event's first time belongs to another pod: only its last counts.
    """
    instants = []
    for e in creates:
        instants.append(parse_time(e.time))
        if e.first_time and e.count >= 2 and not e.combined:
            instants.append(parse_time(e.first_time))
    return instants


def creation_cause(pod: PodFacts, events: list[LifecycleEvent], statefulset: str) -> CreationCause:
    """Applies the module's rule to one current pod."""
    created = parse_time(pod.created)
    controller = _controller_events(events, statefulset)
    instants = _creation_instants([e for e in controller if e.reason == "created" and e.pod == pod.name])
    if not any(t >= created - CLOCK_SLACK for t in instants):
        return CreationCause(
            pod.name,
            False,
            f"{pod.name}: its creation at {pod.created} is not in the namespace's events "
            "(expired or folded), so a rolling update cannot be ruled out",
        )
    earlier = [t for t in instants if t < created - CLOCK_SLACK]
    previous = max(earlier) if earlier else None

    def after_previous(e: LifecycleEvent) -> bool:
        return previous is None or parse_time(e.time) > previous

    deletions = [e for e in controller if e.reason == "deleted" and e.pod == pod.name and after_previous(e)]
    if deletions:
        return CreationCause(
            pod.name,
            False,
            f"{pod.name}: replaced by the controller (deleted at {deletions[-1].time}, created again at "
            f"{pod.created}), as a rolling update does",
        )
    hidden = [e for e in controller if e.reason == "deleted" and e.combined and after_previous(e)]
    if hidden:
        return CreationCause(
            pod.name,
            False,
            f"{pod.name}: the controller's deletions up to {hidden[-1].time} were folded into one combined "
            "event, which may hide a deletion of this pod",
        )
    return CreationCause(
        pod.name,
        True,
        f"{pod.name}: created at {pod.created} without the controller deleting a pod of that name first",
    )


Relation = Literal["before Ready", "after Ready", "asked for later", "unknown"]


@dataclass(frozen=True)
class CreationStep:
    """A pod and the pod created just before it, among the judged pods."""

    pod: str
    predecessor: str
    relation: Relation
    """before Ready: created while the predecessor was not yet Ready (what Parallel
    does, never OrderedReady); after Ready: created within moments of the
    predecessor's readiness (what OrderedReady does); asked for later: created
    long after, so it was not waiting; unknown: the predecessor's Ready time is
    not that of its first readiness."""
    why: str


def _ready_time_is_first(pod: PodFacts, events: list[LifecycleEvent]) -> str | None:
    """None when pod.ready_since is when the pod first became Ready, else why not.

    The Ready condition keeps only its latest transition: a container restart
    or failed readiness probes (which can take the pod out of Ready and back)
    move it. A Ready pod turns unready only after failureThreshold probes fail
    in a row, so fewer failures in this life (the first probe of a container
    that is still starting often fails) cannot have moved it.
    """
    if pod.ready_since is None:
        return f"{pod.name} is not Ready now, so when it was Ready cannot be told"
    if pod.restarts:
        return f"{pod.name} restarted since ({pod.restarts}x), so its Ready time is that of its latest start"
    created = parse_time(pod.created)
    failures = [
        e
        for e in events
        if e.pod == pod.name
        and e.reason == "unhealthy"
        and (e.object_uid == pod.uid if pod.uid and e.object_uid else parse_time(e.time) >= created)
    ]
    if sum(e.count for e in failures) >= pod.readiness_failure_threshold:
        return (
            f"{pod.name} failed {sum(e.count for e in failures)} readiness probes (last at {failures[-1].time}), "
            "so its Ready time may be a later one"
        )
    return None


def may_have_been_reported_ready(pod: PodFacts, when: datetime) -> bool:
    """Whether the kubelet may have reported `pod` Ready by `when` (a time
    with one-second resolution) although its Ready condition dates from later.

    The Ready condition keeps only its latest transition, and the kubelet has
    been seen to report a new pod Ready as its container started, take it back
    within the second and report it again when the readiness probe passed: a
    watch of the lab cluster's pods (Kubernetes 1.37) showed one StatefulSet
    pod of some 270 go Ready, not Ready and Ready in two seconds, with no
    failed probe. A controller that acted on the first report acted before the
    recorded time. No kubelet reports a pod Ready before its containers run,
    so a time before their start is before Ready for certain; from their start
    on it cannot be told. A document that did not record the start (written
    before it was) cannot raise the doubt.
    """
    return pod.started_at is not None and parse_time(pod.started_at) <= when


def ready_doubt(pod: PodFacts) -> str:
    """Why a time between the pod's start and its recorded Ready time tells nothing."""
    return (
        f"its containers started at {pod.started_at}, and the kubelet may have reported it Ready then "
        f"and again at {pod.ready_since}"
    )


def scheduled_at(pod: PodFacts, events: list[LifecycleEvent]) -> datetime | None:
    """When the scheduler placed this life of the pod, to the microsecond.

    The scheduler records its events through the newer events API, whose
    eventTime keeps microseconds, unlike creation and Ready times (seconds).
    """
    times = [
        parse_time(e.time)
        for e in events
        if e.reason == "scheduled"
        and e.pod == pod.name
        and "." in e.time
        and (e.object_uid == pod.uid if pod.uid and e.object_uid else parse_time(e.time) >= parse_time(pod.created))
    ]
    return max(times) if times else None


def creation_steps(
    pods: list[PodFacts], events: list[LifecycleEvent], min_ready_seconds: int = 0
) -> list[CreationStep]:
    """Consecutive pairs of `pods` in creation order and how each was created
    relative to its predecessor's readiness.

    Creation and Ready times have one-second resolution, and a pod on a fast
    node is Ready within a second, so the same second for both tells nothing.
    The scheduler's microsecond times do: placed less than TOGETHER apart,
    the two were created in one burst (before the first was Ready); placed
    further apart, a creation in the second of the predecessor's readiness or
    later came after it.
    """
    ordered = sorted(pods, key=lambda p: (parse_time(p.created), p.ordinal or 0))
    window = timedelta(seconds=RELATED_WITHIN_SECONDS + min_ready_seconds)
    steps = []
    for before, after in pairwise(ordered):
        placed = scheduled_at(before, events), scheduled_at(after, events)
        gap = placed[1] - placed[0] if placed[0] and placed[1] else None
        if gap is not None and gap < TOGETHER:
            why = f"placed {gap.total_seconds() * 1000:.0f} ms apart"
            steps.append(CreationStep(after.name, before.name, "before Ready", why))
            continue
        unreliable = _ready_time_is_first(before, events)
        if unreliable is not None or before.ready_since is None:
            steps.append(CreationStep(after.name, before.name, "unknown", unreliable or ""))
            continue
        created, ready = parse_time(after.created), parse_time(before.ready_since)
        if created < ready and may_have_been_reported_ready(before, created):
            why = f"created {after.created}, before {before.name}'s Ready time, but {ready_doubt(before)}"
            steps.append(CreationStep(after.name, before.name, "unknown", why))
        elif created < ready:
            why = f"its containers started only at {before.started_at}" if before.started_at else ""
            steps.append(CreationStep(after.name, before.name, "before Ready", why))
        elif created == ready and gap is None:
            why = f"created in the second {before.name} became Ready, and the scheduler's times are gone"
            steps.append(CreationStep(after.name, before.name, "unknown", why))
        elif created - ready <= window:
            why = f"placed {gap.total_seconds():.1f} s apart" if gap is not None else ""
            steps.append(CreationStep(after.name, before.name, "after Ready", why))
        else:
            seconds = (created - ready).total_seconds()
            steps.append(
                CreationStep(
                    after.name, before.name, "asked for later", f"created {seconds:.0f} s after {before.name} was Ready"
                )
            )
    return steps


def describe_step(step: CreationStep) -> str:
    detail = f" ({step.why})" if step.why else ""
    if step.relation == "before Ready":
        return f"{step.pod} before {step.predecessor} was Ready{detail}"
    if step.relation == "after Ready":
        return f"{step.pod} after {step.predecessor} was Ready{detail}"
    if step.relation == "asked for later":
        return f"{step.pod} {step.why} (asked for later: no evidence either way)"
    return f"{step.pod} vs {step.predecessor}: {step.why}"

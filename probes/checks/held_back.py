"""OrderedReady's promise about a pod that is not Ready: the StatefulSet neither
creates a pod above it nor removes one in a scale-in until it is Running and
Ready again (the concept page: web-2 is not launched while web-0 is not Ready;
web-1 is not terminated while web-0 is unhealthy).

Each check rests on evidence from this run:
- held: the controller has seen the spec that asks for more (or fewer) pods
  (status.observedGeneration is the current generation; it acts on a spec
  before it records having seen it), a pod below is not Ready, and the pods
  above it are still missing (or still there);
- broken: the controller created, or removed in a scale-in, a pod above a
  pod that has been Pending since before that, so never Ready in between;
- released: with a pod below that came back from failing to start (an earlier
  pod of its name never started, as the events show), no pod above it was
  removed while the earlier one stood, and each was removed only once the new
  one was Ready (times to the second: a deletion in the second the pod became
  Ready counts as after it).

A pod that ran and then went unready (a failing readiness probe, a crash)
may have been Ready when a pod above it was made, so only a Pending pod,
which never ran in its current life, counts as evidence of a broken promise.
"""

from __future__ import annotations

from kube.objects import ordinal_of
from probes.checks.common import controller_deletions, make_check, worst
from probes.checks.rollout import earlier_lives
from probes.creation import may_have_been_reported_ready, ready_doubt
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


def _wanted(e: Expectations, o: Observation) -> range:
    """The ordinals the StatefulSet itself asks for (its spec, not the stack's: the controller acts on that)."""
    replicas = o.statefulset.replicas if o.statefulset else e.replicas
    return range(e.ordinals_start, e.ordinals_start + replicas)


def _ordinal(p: PodFacts) -> int:
    return p.ordinal if p.ordinal is not None else -1


def _lowest_unready(e: Expectations, o: Observation) -> PodFacts | None:
    wanted = _wanted(e, o)
    unready = [p for p in o.statefulset_pods if not p.ready and _ordinal(p) in wanted]
    return min(unready, key=_ordinal, default=None)


def _stuck(e: Expectations, o: Observation) -> list[PodFacts]:
    """The pods of the asked ordinals that have not run since their creation."""
    wanted = _wanted(e, o)
    return [p for p in o.statefulset_pods if p.never_ran and _ordinal(p) in wanted]


def _why(p: PodFacts) -> str:
    """The pod's state, cut to its reason: the report shows the pod's events and message beside the check."""
    return (p.state or p.phase or "not Ready").split(":", 1)[0]


def _seen(o: Observation) -> tuple[bool, str]:
    """Whether the controller has acted on the StatefulSet's current spec, and the figures that say so."""
    sts = o.statefulset
    assert sts is not None
    seen = sts.observed_generation >= sts.generation > 0
    return (
        seen,
        f"replicas {sts.replicas} (generation {sts.generation}, the controller has seen {sts.observed_generation})",
    )


def _judge_hold(broken: list[str], held: str, o: Observation) -> tuple[Verdict, str]:
    """Failed on any sign the controller went on; else passed on the held pods,
    once the controller has acted on the spec (before that, they prove nothing)."""
    if broken:
        return FAILED, "; ".join(broken)
    seen, figures = _seen(o)
    observed = f"{held}; the StatefulSet asks for {figures}"
    if seen:
        return PASSED, observed
    return INCONCLUSIVE, observed + ": the controller has not acted on this spec yet, so this says nothing"


def _ordered_ready(o: Observation) -> bool:
    return o.statefulset is not None and o.statefulset.pod_management_policy == "OrderedReady"


def check_creation_held(e: Expectations, o: Observation) -> list[Check]:
    """No pod is created above a pod that is not Ready."""
    if not _ordered_ready(o):
        return []
    present = {_ordinal(p) for p in o.statefulset_pods}
    lowest = _lowest_unready(e, o)
    below = _stuck(e, o)
    early = [
        (p, b)
        for b in below
        for p in o.statefulset_pods
        if _ordinal(p) > _ordinal(b) and parse_time(p.created) > parse_time(b.created)
    ]
    missing = [i for i in _wanted(e, o) if lowest is not None and i > _ordinal(lowest) and i not in present]
    if not early and not missing:
        return []
    held = ""
    if lowest is not None:
        names = ", ".join(e.names.pod(i) for i in missing)
        held = f"{names} not created while {lowest.name} is not Ready ({_why(lowest)})"
    broken = [
        f"{p.name} created {p.created}, after {b.name} (created {b.created}), which has not been Ready since: {_why(b)}"
        for p, b in early
    ]
    verdict, observed = _judge_hold(broken, held, o)
    return [
        make_check(
            "with OrderedReady, no pod is created above a pod that is not Ready",
            "statefulset",
            verdict,
            "the missing ordinals above a pod that is not Ready stay missing until it is Ready, though the "
            "controller has seen the spec that asks for them",
            observed,
        )
    ]


def _scale_in_deletions(e: Expectations, o: Observation) -> list[LifecycleEvent]:
    """The StatefulSet controller's deletions of ordinals it no longer asks for."""
    wanted = _wanted(e, o)
    found = []
    for ev in controller_deletions(e, o.events):
        ordinal = ordinal_of(ev.pod, e.statefulset)
        if ordinal is not None and ordinal >= wanted.stop:
            found.append(ev)
    return found


def _stuck_since(p: PodFacts, events: list[LifecycleEvent]) -> list[str]:
    """When each earlier pod of the same name that never started (its events
    have no Started) was first seen: from then until this pod was created, a
    pod that could not start stood in its place."""
    return [
        min((ev.time for ev in events if ev.object_uid == uid), key=parse_time)
        for uid, reasons in earlier_lives(p, events).items()
        if "started" not in reasons
    ]


def check_scale_in_held(e: Expectations, o: Observation) -> list[Check]:
    """No pod is removed by a scale-in above a pod that is not Ready."""
    if not _ordered_ready(o):
        return []
    wanted = _wanted(e, o)
    lowest = _lowest_unready(e, o)
    kept = [p for p in o.statefulset_pods if _ordinal(p) >= wanted.stop]
    below = _stuck(e, o)
    deletions = _scale_in_deletions(e, o)
    early = [(ev, b) for b in below for ev in deletions if parse_time(ev.time) > parse_time(b.created)]
    if not early and not (kept and lowest is not None):
        return []
    held = ""
    if lowest is not None:
        held = f"{', '.join(p.name for p in kept)} kept while {lowest.name} is not Ready ({_why(lowest)})"
    broken = [
        f"{ev.pod} deleted by the controller at {ev.time}, while {b.name} (created {b.created}) had not been Ready: "
        f"{_why(b)}"
        for ev, b in early
    ]
    verdict, observed = _judge_hold(broken, held, o)
    return [
        make_check(
            "with OrderedReady, a scale-in removes no pod above a pod that is not Ready",
            "statefulset",
            verdict,
            "the ordinals above the new replica count stay while a pod below them is not Ready, though the "
            "controller has seen the spec that drops them",
            observed,
        )
    ]


def _released_lines(p: PodFacts, above: list[LifecycleEvent], stuck_since: str) -> list[tuple[Verdict, str]]:
    """The verdict on each scale-in deletion above `p`, whose place a pod that
    could not start held from `stuck_since` until `p` was created."""
    judged: list[tuple[Verdict, str]] = []
    for ev in above:
        went = parse_time(ev.time)
        if parse_time(stuck_since) < went < parse_time(p.created):
            judged.append((FAILED, f"{ev.pod} deleted at {ev.time}, while an earlier {p.name} could not start"))
        elif went >= parse_time(p.created):
            came_back = f"{ev.pod} deleted at {ev.time}, after {p.name} came back (created {p.created})"
            if p.ready_since is not None and went >= parse_time(p.ready_since):
                judged.append((PASSED, f"{came_back} and was Ready ({p.ready_since})"))
            elif p.ready_since is not None and may_have_been_reported_ready(p, went):
                judged.append((INCONCLUSIVE, f"{came_back}, before its Ready time, but {ready_doubt(p)}"))
            else:
                ready = f"Ready only at {p.ready_since}" if p.ready_since else f"still not Ready: {_why(p)}"
                judged.append((FAILED, f"{came_back} but before it was Ready ({ready})"))
    return judged


def check_scale_in_released(e: Expectations, o: Observation) -> list[Check]:
    """A scale-in held back by a pod that could not start goes on only once a new pod
    in its place is Ready: no deletion while the stuck pod stood, none before the new one is Ready."""
    if not _ordered_ready(o):
        return []
    wanted = _wanted(e, o)
    deletions = _scale_in_deletions(e, o)
    judged: list[tuple[Verdict, str]] = []
    for p in o.statefulset_pods:
        if _ordinal(p) not in wanted:
            continue
        above = [ev for ev in deletions if _ordinal(p) < (ordinal_of(ev.pod, e.statefulset) or 0)]
        for since in _stuck_since(p, o.events):
            judged += _released_lines(p, above, since)
    if not judged:
        return []
    return [
        make_check(
            "a scale-in held back by a pod that could not start goes on only once that pod is back and Ready",
            "statefulset",
            worst([v for v, _ in judged]),
            "no pod above it removed while the earlier pod could not start; each removed only after the new one "
            "was Ready (one-second times)",
            "; ".join(line for _, line in judged),
        )
    ]


def check_held_back(e: Expectations, o: Observation) -> list[Check]:
    return check_creation_held(e, o) + check_scale_in_held(e, o) + check_scale_in_released(e, o)

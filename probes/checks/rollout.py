"""How the StatefulSet rolls a new revision out, and what stops it.

- the order of a rolling update: pods replaced from the highest ordinal down,
  each only once the one above it is Ready again (maxUnavailable at a time);
- minReadySeconds: OrderedReady waits that long after a pod is Ready before
  it creates the next, and a rolling update before it replaces the next;
- a forced rollback: a pod that cannot start (an image that cannot be pulled,
  a container that crashes) stops an OrderedReady rollout; reverting the
  template alone does not replace it, because the StatefulSet waits for it to
  be Ready first; deleting it (forceRollback) does.
"""

from __future__ import annotations

import math
from datetime import timedelta
from itertools import pairwise

from kube.objects import CANNOT_START, ordinal_of
from probes.checks.common import controller_deletions, make_check, worst
from probes.creation import creation_steps, may_have_been_reported_ready, ready_doubt
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    PASSED,
    Check,
    Expectations,
    LifecycleEvent,
    Observation,
    PodFacts,
    Verdict,
)
from probes.parse import parse_time
from probes.revisions import fate, template_change

CLOCK_SLACK = timedelta(seconds=1)


def cannot_start(pod: PodFacts) -> str:
    """The reason a pod's container will not start, empty when none."""
    reason = pod.state.removeprefix("Terminating: ").split(":", 1)[0]
    return reason if reason in CANNOT_START else ""


def _stuck(o: Observation) -> list[PodFacts]:
    return [p for p in o.statefulset_pods if cannot_start(p)]


def check_stalled_rollout(e: Expectations, o: Observation) -> list[Check]:
    sts = o.statefulset
    if sts is None or e.update_strategy != "RollingUpdate":
        return []
    stuck = [p for p in _stuck(o) if p.revision == sts.update_revision and sts.update_revision != sts.current_revision]
    if not stuck:
        return []
    first = max(stuck, key=lambda p: p.ordinal or 0)
    below = [p for p in o.statefulset_pods if (p.ordinal or 0) < (first.ordinal or 0)]
    rolled_below = [
        p for p in below if p.revision == sts.update_revision and (p.ordinal or 0) >= e.ordinals_start + e.partition
    ]
    if rolled_below and at_a_time(sts.max_unavailable, e.replicas) > 1:
        return []  # maxUnavailable lets it go on below: probes.checks.unavailable_budget judges how far
    verdict: Verdict = PASSED if not rolled_below else FAILED
    return [
        make_check(
            "a rollout stops at a pod that cannot start; the pods below it keep the old revision",
            "statefulset",
            verdict,
            f"{first.name} waiting ({cannot_start(first)}), the lower ordinals on {sts.current_revision}",
            f"{first.name}: {first.state}; "
            + ", ".join(f"{p.name} @{p.revision}" for p in below)
            + f"; the StatefulSet rolls toward {sts.update_revision}. Revert the image; then forceRollback (see docs)",
        )
    ]


def earlier_lives(pod: PodFacts, events: list[LifecycleEvent]) -> dict[str, list[str]]:
    """The pod's earlier lives under its name, from its own events: uid -> the reasons recorded."""
    lives: dict[str, list[str]] = {}
    for ev in events:
        if ev.object_kind == "Pod" and ev.pod == pod.name and ev.object_uid and ev.object_uid != pod.uid:
            lives.setdefault(ev.object_uid, []).append(ev.reason)
    return lives


def _replaced_by_controller_since(e: Expectations, o: Observation, since: str) -> list[LifecycleEvent]:
    """The StatefulSet controller's pod deletions after `since` (the second of
    `since` itself holds the deletion that made way for a pod created then)."""
    return [ev for ev in controller_deletions(e, o.events) if parse_time(ev.time) > parse_time(since)]


def check_reverted_rollout(e: Expectations, o: Observation) -> list[Check]:
    """A pod stuck on a revision the StatefulSet no longer rolls toward stays:
    OrderedReady waits for it to be Ready before it replaces anything, so the
    revert alone replaces neither it nor any other pod."""
    sts = o.statefulset
    if sts is None or e.force_rollback or e.pod_management_policy != "OrderedReady":
        return []
    left = [p for p in _stuck(o) if p.revision != sts.update_revision]
    if not left:
        return []
    stuck = max(left, key=lambda p: p.ordinal or 0)
    # The template came back, rather than moving on to a third one, when a pod
    # on the update revision is older than the stuck pod.
    back = [
        p
        for p in o.statefulset_pods
        if p.revision == sts.update_revision and parse_time(p.created) < parse_time(stuck.created)
    ]
    replaced = _replaced_by_controller_since(e, o, stuck.created)
    lines = [
        ", ".join(f"{p.name} @{p.revision}: {p.state}" for p in left),
        f"the update revision is {sts.update_revision}"
        + (f", which {', '.join(p.name for p in back)} ran before {stuck.name} was created" if back else ""),
        "the controller deleted since: " + (", ".join(f"{ev.pod} at {ev.time}" for ev in replaced) or "nothing"),
        "Delete it, or set forceRollback true and `pulumi up`",
    ]
    if replaced:
        verdict: Verdict = FAILED
    elif back:
        verdict = PASSED
    else:
        verdict = INCONCLUSIVE
        lines.append("no pod shows the template came back rather than moving on")
    return [
        make_check(
            "reverting the template alone does not replace a pod stuck on the broken revision",
            "statefulset",
            verdict,
            "the stuck pod stays until it is deleted, and the controller deletes nothing while it is stuck",
            "; ".join(lines),
        )
    ]


def check_forced_rollback(e: Expectations, o: Observation) -> list[Check]:
    """forceRollback deletes a pod stuck on a revision the StatefulSet no longer
    rolls toward; the StatefulSet creates it again on the update revision. It
    passes only on a pod that was stuck (an earlier life that never started)
    and runs again as a new pod."""
    sts = o.statefulset
    if sts is None or not e.force_rollback:
        return []
    left = [p for p in _stuck(o) if p.revision != sts.update_revision]
    healed = []
    for pod in o.statefulset_pods:
        never_started = [uid for uid, reasons in earlier_lives(pod, o.events).items() if "started" not in reasons]
        if never_started and pod.revision == sts.update_revision and pod.ready:
            healed.append(f"{pod.name}: an earlier pod ({never_started[-1][:8]}) never started; now a new pod "
                          f"({pod.uid[:8]}) on {pod.revision}, Ready")  # fmt: skip
    if left:
        verdict: Verdict = FAILED
        seen = ", ".join(f"{p.name} @{p.revision}: {p.state}" for p in left)
    elif healed:
        verdict, seen = PASSED, "; ".join(healed)
    else:
        verdict = NOT_APPLICABLE
        seen = "no pod was stuck (every earlier life the events show started): forceRollback had nothing to do"
    return [
        make_check(
            "with forceRollback, no pod stays stuck on a revision the StatefulSet no longer rolls toward",
            "statefulset",
            verdict,
            f"a pod that was stuck created again as a new pod on {sts.update_revision}, Ready; none left stuck",
            seen,
        )
    ]


def check_on_delete(e: Expectations, o: Observation) -> list[Check]:
    """With OnDelete a new template moves no pod: each keeps its revision until
    someone deletes it. The controller deleting a pod is a rollout it must not do."""
    sts = o.statefulset
    if sts is None or e.update_strategy != "OnDelete" or not o.statefulset_pods:
        return []
    change = template_change(sts, o.revisions)
    fates = [fate(p, change) for p in o.statefulset_pods]
    deleted = {ev.pod for ev in _last_rollout(e, o)}
    kept = [why for f, why in fates if f == "kept"]
    rolled = [p.name for p in o.statefulset_pods if p.name in deleted and p.revision == sts.update_revision]
    if rolled:
        verdict: Verdict = FAILED
    elif kept:
        verdict = PASSED
    elif all(f == "unchanged" for f, _ in fates):
        verdict = NOT_APPLICABLE
    else:
        verdict = INCONCLUSIVE
    return [
        make_check(
            "with OnDelete, a new template moves no pod: each keeps its revision until it is deleted",
            "statefulset",
            verdict,
            f"pods on an older template than {sts.update_revision}; the controller deletes none",
            "; ".join(why for _, why in fates)
            + (f"; deleted and created again by the controller: {', '.join(rolled)}" if rolled else ""),
        )
    ]


def at_a_time(max_unavailable: str | None, replicas: int) -> int:
    """How many pods a maxUnavailable value lets the rollout take down at once."""
    if not max_unavailable:
        return 1
    if max_unavailable.endswith("%"):
        return max(1, math.floor(replicas * int(max_unavailable[:-1]) / 100))
    return max(1, int(max_unavailable))


def _last_rollout(e: Expectations, o: Observation) -> list[LifecycleEvent]:
    """The controller's deletions of the current pods' predecessors: the pods a
    rolling update replaced, in the order it deleted them."""
    current = {p.name: p for p in o.statefulset_pods}
    # Only this StatefulSet's own: one deleted and created again under the same
    # name left deletions of its predecessor's pods in the events.
    uid = o.statefulset.uid if o.statefulset else ""
    deletions = [
        ev
        for ev in controller_deletions(e, o.events)
        if (not uid or not ev.object_uid or ev.object_uid == uid)
        and ev.pod in current
        and parse_time(ev.time) <= parse_time(current[ev.pod].created) + CLOCK_SLACK
    ]
    latest: dict[str, LifecycleEvent] = {}
    for ev in deletions:
        latest[ev.pod] = ev
    return sorted(latest.values(), key=lambda ev: (parse_time(ev.time), ev.sequence))


def check_rolling_order(e: Expectations, o: Observation) -> list[Check]:
    sts = o.statefulset
    if sts is None or e.update_strategy != "RollingUpdate":
        return []
    replaced = _last_rollout(e, o)
    if len(replaced) < 2:
        return []
    step = at_a_time(sts.max_unavailable, e.replicas)
    current = {p.name: p for p in o.statefulset_pods}
    ordinals = [ordinal_of(ev.pod, e.statefulset) or 0 for ev in replaced]
    lines: list[str] = []
    verdicts: list[Verdict] = []
    descending = ordinals == sorted(ordinals, reverse=True)
    verdicts.append(PASSED if descending else FAILED)
    lines.append("deleted in the order " + ", ".join(ev.pod for ev in replaced))
    for ev, ordinal in zip(replaced, ordinals, strict=True):
        waited_for = current.get(e.names.pod(ordinal + step))
        if waited_for is None or waited_for.ready_since is None or waited_for.name not in {x.pod for x in replaced}:
            continue
        ready = parse_time(waited_for.ready_since)
        went = parse_time(ev.time)
        if went + CLOCK_SLACK >= ready:
            verdicts.append(PASSED)
            lines.append(f"{ev.pod} deleted at {ev.time[11:19]}, after the new {waited_for.name} was Ready "
                         f"({waited_for.ready_since[11:19]})")  # fmt: skip
        elif may_have_been_reported_ready(waited_for, went):
            verdicts.append(INCONCLUSIVE)
            lines.append(f"{ev.pod} deleted at {ev.time[11:19]}, before the new {waited_for.name}'s Ready time, "
                         f"but {ready_doubt(waited_for)}")  # fmt: skip
        else:
            verdicts.append(FAILED)
            lines.append(f"{ev.pod} deleted at {ev.time[11:19]}, BEFORE the new {waited_for.name} was Ready "
                         f"({waited_for.ready_since[11:19]})")  # fmt: skip
    return [
        make_check(
            "a rolling update replaces pods from the highest ordinal down, each after the one above is Ready again"
            + (f" ({step} at a time)" if step > 1 else ""),
            "statefulset",
            worst(verdicts),
            "descending ordinals; each deletion after its successor's replacement was Ready",
            "; ".join(lines),
        )
    ]


def _down_at_once(replaced: list[LifecycleEvent], current: dict[str, PodFacts], at_start: bool = False) -> int:
    """The most pods a rollout had down at one time: each is down from its
    deletion until its replacement is Ready (second resolution). `at_start`:
    until its replacement's containers started, the earliest the kubelet may
    have reported it Ready (probes.creation.may_have_been_reported_ready), so
    the fewest that may have been down together."""
    spans = []
    for ev in replaced:
        pod = current.get(ev.pod)
        if pod is not None and pod.ready_since is not None:
            end = parse_time(pod.ready_since)
            if at_start and pod.started_at is not None:
                end = min(end, parse_time(pod.started_at))
            spans.append((parse_time(ev.time), end))
    return max((sum(1 for a, b in spans if a <= start < b or a == start) for start, _ in spans), default=0)


def _created_before_ready(pods: list[PodFacts]) -> tuple[list[tuple[PodFacts, PodFacts]], list[str]]:
    """Pairs, in creation order, where a pod was created before the one created
    just before it was Ready (not one at a time); and why the others that were
    created before its recorded Ready time, but after its containers started,
    tell nothing."""
    early, doubtful = [], []
    for prev, later in pairwise(pods):
        ready = parse_time(prev.ready_since) if prev.ready_since else None
        created = parse_time(later.created)
        if ready is not None and created + CLOCK_SLACK <= ready and may_have_been_reported_ready(prev, created):
            doubtful.append(
                f"{later.name} created {later.created}, before {prev.name}'s Ready time, but {ready_doubt(prev)}"
            )
        elif ready is None or created + CLOCK_SLACK <= ready:
            early.append((prev, later))
    return early, doubtful


def check_max_unavailable(e: Expectations, o: Observation) -> list[Check]:
    """maxUnavailable lets that many pods be replaced at once. With Parallel they
    also come back together; with OrderedReady they go together but come back
    one at a time, lowest ordinal first."""
    sts = o.statefulset
    if sts is None or e.update_strategy != "RollingUpdate" or not (e.max_unavailable or sts.max_unavailable):
        return []
    replaced = _last_rollout(e, o)
    if len(replaced) < 2:
        return []
    # The name holds what the stack asked for, whatever the cluster kept of it.
    allowed = at_a_time(e.max_unavailable or sts.max_unavailable, e.replicas)
    current = {p.name: p for p in o.statefulset_pods}
    down, fewest = _down_at_once(replaced, current), _down_at_once(replaced, current, at_start=True)
    wanted = min(allowed, len(replaced))
    honoured = sts.max_unavailable is not None
    # Counted to the recorded Ready times, `down`; to the containers' starts,
    # `fewest`. They differ only where the kubelet may have moved a Ready time.
    verdict: Verdict = FAILED if not honoured or down < wanted or fewest > wanted else PASSED
    lines = [
        f"at most {down} pod(s) down at once while {', '.join(ev.pod for ev in replaced)} were replaced",
        f"the StatefulSet's maxUnavailable: {sts.max_unavailable or 'not set (the cluster dropped the field)'}",
    ]
    if verdict == PASSED and fewest != down:
        verdict = INCONCLUSIVE
        lines[0] += (
            f", but only {fewest} counting each back from its containers' start, when the kubelet may have "
            "reported it Ready (its Ready time is the latest transition)"
        )
    # A replacement not Ready yet is still down: how many were down at once is not known until it is.
    unready = [ev.pod for ev in replaced if ev.pod in current and current[ev.pod].ready_since is None]
    if unready and honoured and down <= wanted:
        verdict = INCONCLUSIVE
        lines[0] = f"{', '.join(ev.pod for ev in replaced)} replaced so far"
        lines.append(f"the rollout has not finished: {', '.join(unready)} not Ready again")
    if e.pod_management_policy == "OrderedReady":
        # Creation times have one-second resolution: pods made in the same
        # second are taken in ordinal order, the order OrderedReady makes them in.
        back = sorted(
            (current[ev.pod] for ev in replaced if ev.pod in current),
            key=lambda p: (parse_time(p.created), p.ordinal or 0),
        )
        lines.append("created again in the order " + ", ".join(p.name for p in back))
        early, doubtful = _created_before_ready(back)
        lines += [f"{later.name} created {later.created}, BEFORE {prev.name} was Ready" for prev, later in early]
        lines += doubtful
        verdict = FAILED if early else INCONCLUSIVE if doubtful and verdict == PASSED else verdict
        name = (
            f"with OrderedReady, maxUnavailable {e.max_unavailable or sts.max_unavailable} takes up to "
            f"{allowed} pods down at once; they come back one at a time"
        )
    else:
        name = f"maxUnavailable {e.max_unavailable or sts.max_unavailable} replaces up to {allowed} pods at once"
    return [
        make_check(name, "statefulset", verdict, f"{wanted} pods down at the same time, never more", "; ".join(lines))
    ]


def check_min_ready_seconds(e: Expectations, o: Observation) -> list[Check]:
    if e.min_ready_seconds <= 0 or e.pod_management_policy != "OrderedReady":
        return []
    steps = [
        s for s in creation_steps(o.statefulset_pods, o.events, e.min_ready_seconds) if s.relation == "after Ready"
    ]
    pods = {p.name: p for p in o.statefulset_pods}
    lines: list[str] = []
    verdicts: list[Verdict] = []
    for s in steps:
        before, after = pods[s.predecessor], pods[s.pod]
        assert before.ready_since is not None
        gap = (parse_time(after.created) - parse_time(before.ready_since)).total_seconds()
        fine = gap + CLOCK_SLACK.total_seconds() >= e.min_ready_seconds
        verdicts.append(PASSED if fine else FAILED)
        lines.append(f"{s.pod} created {gap:.0f} s after {s.predecessor} was Ready")
    return [
        make_check(
            f"OrderedReady creates the next pod only minReadySeconds ({e.min_ready_seconds} s) after one is Ready",
            "statefulset",
            (FAILED if FAILED in verdicts else PASSED) if verdicts else NOT_APPLICABLE,
            f"each pod created at least {e.min_ready_seconds} s after its predecessor became Ready (available)",
            "; ".join(lines) or "no two pods whose creation order tells (created by a rollout or long ago)",
        )
    ]


def check_rollout_waits_min_ready(e: Expectations, o: Observation) -> list[Check]:
    """A rolling update counts a new pod as done only once it has been Ready
    for minReadySeconds (available): only then is the next pod deleted. An API
    server that dropped the field replaces the next pod as soon as one is Ready."""
    sts = o.statefulset
    if sts is None or e.min_ready_seconds <= 0 or e.update_strategy != "RollingUpdate":
        return []
    replaced = _last_rollout(e, o)
    if len(replaced) < 2 or at_a_time(sts.max_unavailable, e.replicas) > 1:
        return []
    current = {p.name: p for p in o.statefulset_pods}
    lines: list[str] = []
    verdicts: list[Verdict] = []
    for done, nxt in pairwise(replaced):
        new = current.get(done.pod)
        if new is None or new.ready_since is None:
            continue
        waited = (parse_time(nxt.time) - parse_time(new.ready_since)).total_seconds()
        verdicts.append(PASSED if waited + CLOCK_SLACK.total_seconds() >= e.min_ready_seconds else FAILED)
        lines.append(f"{nxt.pod} deleted {waited:.0f} s after the new {done.pod} was Ready")
    return [
        make_check(
            f"a rolling update replaces the next pod only minReadySeconds ({e.min_ready_seconds} s) after the new "
            "one is Ready",
            "statefulset",
            worst(verdicts) if verdicts else INCONCLUSIVE,
            f"each pod deleted at least {e.min_ready_seconds} s after the pod replaced before it was Ready again "
            "(available)",
            "; ".join(lines) or "no replaced pod's new Ready time was recorded",
        )
    ]


def check_rollout(e: Expectations, o: Observation) -> list[Check]:
    return (
        check_stalled_rollout(e, o)
        + check_reverted_rollout(e, o)
        + check_forced_rollback(e, o)
        + check_on_delete(e, o)
        + check_rolling_order(e, o)
        + check_max_unavailable(e, o)
        + check_min_ready_seconds(e, o)
        + check_rollout_waits_min_ready(e, o)
    )

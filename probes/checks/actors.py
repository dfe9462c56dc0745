"""Checks about who did something, judged from the audit log (probes.actors):
each request there names its user, and a kubelet's final delete of a pod
says when the pod was gone. The controllers' events cannot tell who deleted
a pod or when it was gone, so without an audit log these checks are left
out (the timeline says which source it used).

- a StatefulSet's scale-in: the StatefulSet controller deletes each pod, and
  only once the pod above it is gone (OrderedReady); with Parallel it deletes
  them all before any is gone;
- a cascading delete: the garbage collector deletes the pods, not the
  lesson's kubectl (which deleted only the StatefulSet);
- an orphaning delete: kubectl deletes the StatefulSet and the garbage
  collector none of its pods;
- a failed node: the node lifecycle controller evicts the Deployment's pods
  that were on it (its taint eviction), nobody else.
"""

from __future__ import annotations

from itertools import pairwise

from probes.checks.common import deletes_of_life, make_check, pod_deletes, worst
from probes.checks.pods import last_scale_in_deletions
from probes.facts import FAILED, INCONCLUSIVE, PASSED, Action, Check, Expectations, Observation, Verdict
from probes.parse import parse_time

AUDITED = "the lab cluster's audit log"
STATEFULSET_CONTROLLER = "the StatefulSet controller"
GARBAGE_COLLECTOR = "the garbage collector"
EVICTORS = ("the node lifecycle controller", "the taint eviction controller")


def audited(o: Observation) -> list[Action]:
    """The observation's actions when the audit log gave them, none otherwise:
    only its times go below a second and only it names every actor."""
    return o.actions if o.actions_source.startswith(AUDITED) else []


def _gone_at(deletes: list[Action]) -> Action | None:
    """The kubelet's final delete: the pod object removed once its container stopped."""
    return next((a for a in deletes if a.user.startswith("system:node:")), None)


def _first_deleters(
    actions: list[Action], pods: list[str], since: str, expected: tuple[str, ...], timed: bool = False
) -> tuple[Verdict, list[str]]:
    """Who first deleted each pod from `since` on: passed when one of the
    `expected` actors did for every pod, failed when someone else did for one,
    inconclusive when the audit log holds no delete of one."""
    verdicts: list[Verdict] = []
    lines: list[str] = []
    for pod in pods:
        deletes = pod_deletes(actions, pod, since)
        if not deletes:
            verdicts.append(INCONCLUSIVE)
            lines.append(f"{pod}: no delete of it in the audit log")
            continue
        first = deletes[0]
        verdicts.append(PASSED if first.actor in expected else FAILED)
        lines.append(f"{pod}: deleted by {first.actor}" + (f" at {first.time[11:23]}" if timed else ""))
    return worst(verdicts), lines


def check_scale_in_by_the_controller(e: Expectations, o: Observation) -> list[Check]:
    deleted = last_scale_in_deletions(e, o.events)
    if not deleted or e.pod_management_policy != "OrderedReady" or not o.actions_source.startswith(AUDITED):
        return []
    lines: list[str] = []
    verdicts: list[Verdict] = []
    gone: dict[str, Action | None] = {}
    asked_of: dict[str, list[Action]] = {}
    for ev in deleted:
        deletes = asked_of[ev.pod] = deletes_of_life(o.actions, ev.pod, ev.time)
        first = deletes[0] if deletes else None
        gone[ev.pod] = _gone_at(deletes)
        if first is None:
            verdicts.append(INCONCLUSIVE)
            lines.append(f"{ev.pod}: no delete of it in the audit log")
            continue
        verdicts.append(PASSED if first.actor == STATEFULSET_CONTROLLER else FAILED)
        lines.append(f"{ev.pod}: deleted by {first.actor} at {first.time[11:23]}")
    for above, below in pairwise(deleted):
        removed, asked = gone[above.pod], asked_of[below.pod]
        if removed is None or not asked:
            verdicts.append(INCONCLUSIVE)
            lines.append(f"when {above.pod} was gone is not in the audit log")
        elif parse_time(removed.time) <= parse_time(asked[0].time):
            verdicts.append(PASSED)
            lines.append(f"{above.pod} gone at {removed.time[11:23]} ({removed.actor}), before {below.pod} was deleted")
        else:
            verdicts.append(FAILED)
            lines.append(f"{below.pod} deleted at {asked[0].time[11:23]}, while {above.pod} was not gone yet")
    verdict = worst(verdicts)
    return [
        make_check(
            "the StatefulSet controller deletes each scale-in pod once the one above it is gone",
            "statefulset",
            verdict,
            "every pod of the scale-in deleted by the StatefulSet controller, each after the pod above it was "
            "removed (its kubelet's final delete)",
            "; ".join(lines),
        )
    ]


def check_parallel_scale_in(e: Expectations, o: Observation) -> list[Check]:
    """Parallel removes the pods of a scale-in all at once: every delete request
    comes before any of those pods is gone, where OrderedReady waits for each.
    The events' one-second times cannot show that on a fast cluster (a pod
    stops within a second), so only the audit log judges it."""
    deleted = last_scale_in_deletions(e, o.events)
    if len(deleted) < 2 or e.pod_management_policy != "Parallel" or not o.actions_source.startswith(AUDITED):
        return []
    lines: list[str] = []
    asked: list[Action] = []
    gone: list[Action] = []
    for ev in deleted:
        deletes = deletes_of_life(o.actions, ev.pod, ev.time)
        removed = _gone_at(deletes)
        if not deletes or removed is None:
            lines.append(f"{ev.pod}: " + ("no delete of it" if not deletes else "not gone") + " in the audit log")
            continue
        asked.append(deletes[0])
        gone.append(removed)
        lines.append(
            f"{ev.pod}: deleted by {deletes[0].actor} at {deletes[0].time[11:23]}, gone at {removed.time[11:23]}"
        )
    if len(asked) < len(deleted):
        verdict: Verdict = INCONCLUSIVE
    else:
        last_asked = max(asked, key=lambda a: parse_time(a.time))
        first_gone = min(gone, key=lambda a: parse_time(a.time))
        together = parse_time(last_asked.time) < parse_time(first_gone.time)
        by_controller = all(a.actor == STATEFULSET_CONTROLLER for a in asked)
        verdict = PASSED if together and by_controller else FAILED
        lines.append(
            f"the last delete ({last_asked.name}) came before the first pod was gone ({first_gone.name})"
            if together
            else f"{last_asked.name} was deleted only after {first_gone.name} was gone: one at a time"
        )
    return [
        make_check(
            "Parallel scale-in deletes its pods without waiting for each other",
            "statefulset",
            verdict,
            "the StatefulSet controller deletes every pod the scale-in removes before any of them is gone",
            "; ".join(lines),
        )
    ]


def check_cascade_by_the_garbage_collector(e: Expectations, o: Observation) -> list[Check]:
    r = o.lesson
    if r is None or r.lesson != "cascade-delete" or e.lesson != "cascade-delete":
        return []
    if not o.actions_source.startswith(AUDITED):
        return []
    pods = sorted(p.name for p in r.before if p.workload == "statefulset")
    if not pods:
        return []
    verdict, lines = _first_deleters(o.actions, pods, r.started, (GARBAGE_COLLECTOR,))
    return [
        make_check(
            "in a cascading delete the garbage collector deletes the pods, not kubectl",
            "statefulset",
            verdict,
            "kubectl deletes the StatefulSet only; the garbage collector deletes each pod it owned",
            "; ".join(lines),
        )
    ]


def _audited_lesson(e: Expectations, o: Observation, lesson: str) -> bool:
    r = o.lesson
    return r is not None and r.lesson == lesson == e.lesson and o.actions_source.startswith(AUDITED)


def check_orphan_by_kubectl(e: Expectations, o: Observation) -> list[Check]:
    if not _audited_lesson(e, o, "orphan") or o.lesson is None:
        return []
    r = o.lesson
    since = parse_time(r.started)
    gone = [
        a for a in o.actions if a.kind == "statefulset" and a.verb == "deleted" and a.name == e.statefulset
        and parse_time(a.time) >= since
    ]  # fmt: skip
    pods = {p.name for p in r.before if p.workload == "statefulset"}
    collected = sorted(
        a.name
        for a in o.actions
        if a.kind == "pod" and a.name in pods and a.actor == GARBAGE_COLLECTOR and parse_time(a.time) >= since
    )
    lines = [
        f"StatefulSet {e.statefulset}: "
        + (f"deleted by {gone[0].actor}" if gone else "no delete of it in the audit log")
    ]
    lines.append("pods deleted by the garbage collector: " + (", ".join(collected) or "none"))
    if collected or (gone and gone[0].actor != "kubectl"):
        verdict: Verdict = FAILED
    else:
        verdict = PASSED if gone else INCONCLUSIVE
    return [
        make_check(
            "an orphaning delete: kubectl deletes the StatefulSet, the garbage collector none of its pods",
            "statefulset",
            verdict,
            f"StatefulSet {e.statefulset} deleted by kubectl (--cascade=orphan); no pod it owned deleted by the "
            "garbage collector",
            "; ".join(lines),
        )
    ]


def check_eviction_by_the_node_lifecycle(e: Expectations, o: Observation) -> list[Check]:
    if not _audited_lesson(e, o, "stop-node") or o.lesson is None:
        return []
    r = o.lesson
    lost = sorted(p.name for p in r.before if p.workload == "deployment" and p.node == r.node)
    if not lost:
        return []
    verdict, lines = _first_deleters(o.actions, lost, r.started, EVICTORS, timed=True)
    return [
        make_check(
            f"the node lifecycle controller evicts the Deployment's pods of the failed {r.node}",
            "deployment",
            verdict,
            f"every Deployment pod of {r.node} deleted by the node lifecycle controller's taint eviction",
            "; ".join(lines),
        )
    ]

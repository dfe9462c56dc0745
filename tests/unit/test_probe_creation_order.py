"""The pod management policy is judged only on pods that a rolling update did
not create (probes.creation). Events are built as the API lists them: repeats
folded into one event with a count, first and last timestamp."""

from __future__ import annotations

from dataclasses import replace
from itertools import count
from typing import Any

from kube.names import LabNames
from probes.checks.pods import check_creation_order
from probes.creation import creation_cause, creation_steps
from probes.facts import FAILED, NOT_APPLICABLE, PASSED, Expectations, LifecycleEvent, PodFacts
from probes.parse import parse_events
from tests.unit.test_probe_checks import sts_pod

ORDERED = Expectations.for_lab(
    LabNames(),
    namespace="default",
    dns_image="docker.io/library/busybox:1.28",
    replicas=3,
    deployment_replicas=2,
    image="registry.k8s.io/nginx-slim:0.24",
    update_strategy="RollingUpdate",
    partition=0,
    pod_management_policy="OrderedReady",
    pvc_retention_when_scaled="Retain",
)
PARALLEL = replace(ORDERED, pod_management_policy="Parallel")
_rv = count(1000)


def t(minute: int, second: int) -> str:
    return f"2026-11-26T10:{minute:02d}:{second:02d}Z"


def controller_event(
    verb: str, pod: str, last: str, *, first: str | None = None, times: int = 1, combined: bool = False
) -> dict[str, Any]:
    """A StatefulSet controller event as `kubectl get events -o json` lists it."""
    message = f"{verb} Pod {pod} in StatefulSet web-sts successful"
    return {
        "reason": "SuccessfulCreate" if verb == "create" else "SuccessfulDelete",
        "involvedObject": {"kind": "StatefulSet", "name": "web-sts", "uid": "sts-uid"},
        "message": ("(combined from similar events): " if combined else "") + message,
        "firstTimestamp": first or last,
        "lastTimestamp": last,
        "count": times,
        "metadata": {"creationTimestamp": first or last, "resourceVersion": str(next(_rv))},
    }


def pod_event(reason: str, pod: str, uid: str, when: str, message: str = "", count: int = 1) -> dict[str, Any]:
    return {
        "reason": reason,
        "involvedObject": {"kind": "Pod", "name": pod, "uid": uid},
        "message": message,
        "firstTimestamp": when,
        "lastTimestamp": when,
        "count": count,
        "metadata": {"creationTimestamp": when, "resourceVersion": str(next(_rv))},
    }


def scheduled_event(pod: PodFacts, offset_ms: int = 40) -> dict[str, Any]:
    """The scheduler's event: recorded through the newer events API, so only
    eventTime is set, to the microsecond."""
    when = pod.created.replace("Z", f".{offset_ms * 1000:06d}Z")
    return {
        "reason": "Scheduled",
        "involvedObject": {"kind": "Pod", "name": pod.name, "uid": pod.uid},
        "message": f"Successfully assigned default/{pod.name} to lab-worker-0",
        "eventTime": when,
        "lastTimestamp": None,
        "firstTimestamp": None,
        "metadata": {"creationTimestamp": pod.created, "resourceVersion": str(next(_rv))},
    }


def placed(pods: list[PodFacts]) -> list[dict[str, Any]]:
    return [scheduled_event(p) for p in pods]


def events(*raw: dict[str, Any]) -> list[LifecycleEvent]:
    return parse_events({"items": list(raw)})


def pod(i: int, created: str, ready: str | None, uid: str = "") -> PodFacts:
    """A StatefulSet pod whose life is told apart by its uid (default: one per creation)."""
    return sts_pod(i, created, ready, uid=uid or f"uid-{i}-{created}")


def verdict_and_evidence(e: Expectations, pods: list[PodFacts], evs: list[LifecycleEvent]) -> tuple[str, str]:
    (check,) = check_creation_order(e, pods, evs)
    return check.verdict, check.observed


def test_ordered_ready_first_creation_passes() -> None:
    pods = [pod(0, t(0, 0), t(0, 2)), pod(1, t(0, 2), t(0, 4)), pod(2, t(0, 4), t(0, 6))]
    evs = events(*(controller_event("create", p.name, p.created) for p in pods), *placed(pods))
    verdict, seen = verdict_and_evidence(ORDERED, pods, evs)
    assert verdict == PASSED
    assert seen == (
        "web-sts-1 after web-sts-0 was Ready (placed 2.0 s apart); "
        "web-sts-2 after web-sts-1 was Ready (placed 2.0 s apart)"
    )


def test_parallel_first_creation_passes() -> None:
    pods = [pod(0, t(0, 0), t(0, 3)), pod(1, t(0, 0), t(0, 3)), pod(2, t(0, 0), t(0, 4))]
    evs = events(*(controller_event("create", p.name, p.created) for p in pods))
    verdict, seen = verdict_and_evidence(PARALLEL, pods, evs)
    assert verdict == PASSED and "web-sts-1 before web-sts-0 was Ready" in seen


def _after_image_rollout() -> tuple[list[PodFacts], list[LifecycleEvent]]:
    """Three pods created together at 10:00, then an image rollout at 10:05:
    the controller deletes web-sts-2, creates it again, waits until it is
    Ready, then web-sts-1, then web-sts-0 (what any policy's rolling update does)."""
    raw = [pod_event("Killing", f"web-sts-{i}", f"old-{i}", t(5, 3 * (2 - i))) for i in range(3)]
    pods = []
    for step, i in enumerate((2, 1, 0)):
        deleted, created, ready = t(5, 3 * step), t(5, 3 * step + 1), t(5, 3 * step + 3)
        raw.append(controller_event("delete", f"web-sts-{i}", deleted))
        # The create event of the first creation and this one fold into one (count 2).
        raw.append(controller_event("create", f"web-sts-{i}", created, first=t(0, 0), times=2))
        pods.append(pod(i, created, ready))
    return sorted(pods, key=lambda p: p.name), events(*raw)


def test_parallel_after_a_rolling_update_is_not_applicable_not_failed() -> None:
    pods, evs = _after_image_rollout()
    assert [s.relation for s in creation_steps(pods, evs)] == ["after Ready", "after Ready"]  # what misled
    verdict, seen = verdict_and_evidence(PARALLEL, pods, evs)
    assert verdict == NOT_APPLICABLE
    for i in range(3):
        assert f"web-sts-{i}: replaced by the controller" in seen


def test_ordered_ready_is_not_proven_by_a_rolling_update_either() -> None:
    pods, evs = _after_image_rollout()
    verdict, seen = verdict_and_evidence(ORDERED, pods, evs)
    assert verdict == NOT_APPLICABLE and "no two pods whose creation order tells the policy" in seen


def test_ordered_ready_pods_created_together_fail() -> None:
    pods = [pod(0, t(0, 0), t(0, 3)), pod(1, t(0, 0), t(0, 3))]
    evs = events(*(controller_event("create", p.name, p.created) for p in pods))
    verdict, seen = verdict_and_evidence(ORDERED, pods, evs)
    assert verdict == FAILED and seen == "web-sts-1 before web-sts-0 was Ready"


def test_scale_out_on_ordered_ready_is_judged_on_the_new_pods() -> None:
    """2 -> 5: web-sts-2 was asked for minutes after web-sts-1 was Ready, so that
    pair tells nothing; the new pods 2, 3, 4 came one after another."""
    old = [pod(0, t(0, 0), t(0, 2)), pod(1, t(0, 2), t(0, 4))]
    new = [pod(2, t(3, 0), t(3, 2)), pod(3, t(3, 2), t(3, 4)), pod(4, t(3, 4), t(3, 6))]
    evs = events(*(controller_event("create", p.name, p.created) for p in old + new), *placed(old + new))
    verdict, seen = verdict_and_evidence(replace(ORDERED, replicas=5), old + new, evs)
    assert verdict == PASSED
    assert "web-sts-3 after web-sts-2 was Ready (placed 2.0 s apart); web-sts-4 after web-sts-3 was Ready" in seen
    assert "web-sts-2 created 176 s after web-sts-1 was Ready (asked for later" in seen
    rushed = [pod(2, t(3, 0), t(3, 2)), pod(3, t(3, 0), t(3, 2)), pod(4, t(3, 0), t(3, 3))]
    evs = events(*(controller_event("create", p.name, p.created) for p in old + rushed))
    verdict, seen = verdict_and_evidence(replace(ORDERED, replicas=5), old + rushed, evs)
    assert verdict == FAILED and "web-sts-3 before web-sts-2 was Ready" in seen


def test_pods_recreated_after_someone_else_deleted_them_are_judged() -> None:
    """The stable-storage probe deletes every pod (kubelet Killing, no controller
    delete); the controller's re-creation shows the policy again."""
    pods = [pod(0, t(2, 0), t(2, 2)), pod(1, t(2, 2), t(2, 4))]
    evs = events(
        pod_event("Killing", "web-sts-0", "old-0", t(1, 59)),
        pod_event("Killing", "web-sts-1", "old-1", t(1, 59)),
        controller_event("create", "web-sts-0", t(2, 0), first=t(0, 0), times=2),
        controller_event("create", "web-sts-1", t(2, 2), first=t(0, 2), times=2),
        *placed(pods),
    )
    assert [creation_cause(p, evs, "web-sts").judged for p in pods] == [True, True]
    assert verdict_and_evidence(ORDERED, pods, evs)[0] == PASSED


def test_a_partitioned_rollout_leaves_the_held_ordinals_to_judge() -> None:
    pods = [pod(0, t(0, 0), t(0, 2)), pod(1, t(0, 2), t(0, 4)), pod(2, t(5, 1), t(5, 3))]
    evs = events(
        controller_event("create", "web-sts-0", t(0, 0)),
        controller_event("create", "web-sts-1", t(0, 2)),
        controller_event("delete", "web-sts-2", t(5, 0)),
        controller_event("create", "web-sts-2", t(5, 1), first=t(0, 4), times=2),
        *placed(pods),
    )
    verdict, seen = verdict_and_evidence(ORDERED, pods, evs)
    assert verdict == PASSED
    assert seen.startswith(
        "web-sts-1 after web-sts-0 was Ready (placed 2.0 s apart); not judged: web-sts-2: replaced by the controller"
    )


def test_a_scale_in_then_scale_out_is_left_out_as_the_rule_cannot_tell_it_from_a_rollout() -> None:
    p = pod(2, t(4, 0), t(4, 2))
    evs = events(
        controller_event("create", "web-sts-2", t(4, 0), first=t(0, 4), times=2),
        controller_event("delete", "web-sts-2", t(2, 0)),
    )
    assert not creation_cause(p, evs, "web-sts").judged


def test_a_deletion_before_the_previous_creation_does_not_count() -> None:
    """deleted (scale-in) at 10:01, created at 10:02, deleted by the probe, created at 10:04."""
    p = pod(2, t(4, 0), t(4, 2))
    evs = events(
        controller_event("delete", "web-sts-2", t(1, 0)),
        controller_event("create", "web-sts-2", t(4, 0), first=t(2, 0), times=2),
    )
    assert creation_cause(p, evs, "web-sts").judged


def test_a_creation_the_events_do_not_show_is_left_out() -> None:
    """Events expire after an hour: without them a rollout cannot be ruled out."""
    pods = [pod(0, t(0, 0), t(0, 2)), pod(1, t(0, 2), t(0, 4))]
    cause = creation_cause(pods[0], [], "web-sts")
    assert not cause.judged and "not in the namespace's events" in cause.why
    assert verdict_and_evidence(ORDERED, pods, [])[0] == NOT_APPLICABLE


def test_a_combined_delete_event_may_hide_a_deletion() -> None:
    p = pod(1, t(5, 4), t(5, 6))
    evs = events(
        controller_event("delete", "web-sts-0", t(5, 6), first=t(5, 0), times=3, combined=True),
        controller_event("create", "web-sts-1", t(5, 4), first=t(0, 0), times=2),
    )
    cause = creation_cause(p, evs, "web-sts")
    assert not cause.judged and "combined" in cause.why


def test_events_of_another_statefulset_do_not_count() -> None:
    p = pod(0, t(0, 0), t(0, 2))
    other = controller_event("delete", "web-sts-0", t(0, 0))
    other["involvedObject"]["name"] = "db"
    evs = events(other, controller_event("create", "web-sts-0", t(0, 0)))
    assert creation_cause(p, evs, "web-sts").judged


def test_a_restarted_predecessor_cannot_judge_the_order() -> None:
    """After a node restart every pod's Ready time is recent: no verdict, not a false failure."""
    pods = [replace(pod(0, t(0, 0), t(9, 0)), restarts=1), pod(1, t(0, 2), t(0, 4))]
    evs = events(*(controller_event("create", p.name, p.created) for p in pods))
    assert [s.relation for s in creation_steps(pods, evs)] == ["unknown"]
    verdict, seen = verdict_and_evidence(ORDERED, pods, evs)
    assert verdict == NOT_APPLICABLE and "restarted" in seen
    assert verdict_and_evidence(PARALLEL, pods, evs)[0] == NOT_APPLICABLE


def test_readiness_failures_enough_to_unready_a_pod_make_its_ready_time_unreliable() -> None:
    pods = [pod(0, t(0, 0), t(0, 30), uid="life-2"), pod(1, t(0, 2), t(0, 4))]
    creates = [controller_event("create", p.name, p.created) for p in pods]
    failed = pod_event("Unhealthy", "web-sts-0", "life-2", t(0, 20), "Readiness probe failed", count=3)
    assert [s.relation for s in creation_steps(pods, events(*creates, failed))] == ["unknown"]
    # The same failures of the pod's previous life (another uid) say nothing about this one.
    earlier = pod_event("Unhealthy", "web-sts-0", "life-1", t(0, 0), "Readiness probe failed", count=3)
    assert [s.relation for s in creation_steps(pods, events(*creates, earlier))] == ["before Ready"]


def test_a_failed_first_probe_of_a_starting_container_leaves_the_ready_time_alone() -> None:
    """A Ready pod turns unready only after failureThreshold (3) failures in a row:
    one failure (the first probe, before nginx listens) cannot have moved it."""
    pods = [pod(0, t(0, 0), t(0, 30), uid="life-2"), pod(1, t(0, 2), t(0, 4))]
    creates = [controller_event("create", p.name, p.created) for p in pods]
    once = pod_event("Unhealthy", "web-sts-0", "life-2", t(0, 1), "Readiness probe failed: connection refused")
    assert [s.relation for s in creation_steps(pods, events(*creates, once))] == ["before Ready"]


def test_same_second_creation_and_readiness_tells_nothing_without_the_schedulers_times() -> None:
    """One-second timestamps: a pod Ready within a second and its successor created
    in that second fit both policies."""
    pods = [pod(0, t(0, 0), t(0, 2)), pod(1, t(0, 2), t(0, 4))]
    assert [s.relation for s in creation_steps(pods, [])] == ["unknown"]


def test_pods_placed_half_a_second_apart_or_more_came_after_the_predecessor_was_ready() -> None:
    pods = [pod(0, t(0, 0), t(0, 0)), pod(1, t(0, 0), t(0, 1))]
    creates = (controller_event("create", p.name, p.created) for p in pods)
    evs = events(*creates, scheduled_event(pods[0], offset_ms=10), scheduled_event(pods[1], offset_ms=700))
    assert [(s.relation, s.why) for s in creation_steps(pods, evs)] == [("after Ready", "placed 0.7 s apart")]
    assert verdict_and_evidence(ORDERED, pods, evs)[0] == PASSED


def test_pods_placed_in_one_burst_were_created_before_the_first_was_ready_even_in_its_second() -> None:
    """A fast node: every pod Ready within the second it was created. Only the
    scheduler's microseconds show that Parallel created them together."""
    pods = [pod(0, t(0, 0), t(0, 0)), pod(1, t(0, 0), t(0, 0))]
    creates = (controller_event("create", p.name, p.created) for p in pods)
    evs = events(*creates, scheduled_event(pods[0], offset_ms=10), scheduled_event(pods[1], offset_ms=42))
    assert [(s.relation, s.why) for s in creation_steps(pods, evs)] == [("before Ready", "placed 32 ms apart")]
    assert verdict_and_evidence(PARALLEL, pods, evs)[0] == PASSED
    assert verdict_and_evidence(ORDERED, pods, evs)[0] == FAILED


def test_min_ready_seconds_widens_the_wait_that_counts_as_ordered() -> None:
    pods = [pod(0, t(0, 0), t(0, 2)), pod(1, t(0, 22), t(0, 24))]
    assert [s.relation for s in creation_steps(pods, [])] == ["asked for later"]
    assert [s.relation for s in creation_steps(pods, [], min_ready_seconds=20)] == ["after Ready"]


# --- the edges of the rule: one-second timestamps, folded events, uids -----------------


def test_a_combined_create_events_first_time_is_another_pods_and_bounds_nothing() -> None:
    """A combined event names only the latest pod: its first time (10:00:00) is
    another pod's creation, so web-sts-1's deletion before it still counts."""
    p = pod(1, t(5, 1), t(5, 3))
    evs = events(
        controller_event("delete", "web-sts-1", "2026-11-26T09:59:50Z"),
        controller_event("create", "web-sts-1", t(5, 1), first=t(0, 0), times=12, combined=True),
    )
    cause = creation_cause(p, evs, "web-sts")
    assert (cause.pod, cause.judged) == ("web-sts-1", False) and "replaced by the controller" in cause.why


def test_a_create_event_a_second_before_the_pods_creation_time_is_its_creation() -> None:
    """The event and the pod's timestamp are each cut to the second: the controller
    deleted web-sts-2 at 10:05:00, its create event says 10:05:01 and the pod 10:05:02.
    It is this life's creation (not an earlier one), so the deletion replaced it."""
    p = pod(2, t(5, 2), t(5, 4))
    evs = events(controller_event("delete", "web-sts-2", t(5, 0)), controller_event("create", "web-sts-2", t(5, 1)))
    cause = creation_cause(p, evs, "web-sts")
    assert (cause.pod, cause.judged) == ("web-sts-2", False) and "replaced by the controller" in cause.why


def test_a_deletion_in_the_second_of_the_previous_creation_is_taken_to_precede_it() -> None:
    """web-sts-2 deleted at 10:00:04 and created in that same second, then created
    again at 10:04 (the probe deleted it): the deletion does not follow the
    previous creation, so this creation is judged."""
    p = pod(2, t(4, 0), t(4, 2))
    evs = events(
        controller_event("delete", "web-sts-2", t(0, 4)),
        controller_event("create", "web-sts-2", t(4, 0), first=t(0, 4), times=2),
    )
    cause = creation_cause(p, evs, "web-sts")
    assert (cause.pod, cause.judged) == ("web-sts-2", True)


def test_each_cause_names_the_pod_it_is_about() -> None:
    p = pod(1, t(5, 4), t(5, 6))
    hidden = events(
        controller_event("delete", "web-sts-0", t(5, 6), first=t(5, 0), times=3, combined=True),
        controller_event("create", "web-sts-1", t(5, 4), first=t(0, 0), times=2),
    )
    assert (creation_cause(p, hidden, "web-sts").pod, creation_cause(p, hidden, "web-sts").judged) == (
        "web-sts-1",
        False,
    )
    assert (creation_cause(p, [], "web-sts").pod, creation_cause(p, [], "web-sts").judged) == ("web-sts-1", False)
    created = events(controller_event("create", "web-sts-1", t(5, 4)))
    cause = creation_cause(p, created, "web-sts")
    assert (cause.pod, cause.judged) == ("web-sts-1", True) and "web-sts-1: created at" in cause.why


def unhealthy(pod_name: str, uid: str, when: str) -> dict[str, Any]:
    return pod_event("Unhealthy", pod_name, uid, when, "Readiness probe failed", count=3)


def test_readiness_failures_without_a_uid_count_from_the_pods_creation_on() -> None:
    """An event that names no uid is told to be of this life by its time: failures
    in the very second web-sts-0 was created count, earlier ones do not."""
    pods = [pod(0, t(0, 10), t(0, 30), uid="life-2"), pod(1, t(0, 12), t(0, 34))]
    creates = [controller_event("create", p.name, p.created) for p in pods]
    this_life = events(*creates, unhealthy("web-sts-0", "", t(0, 10)))
    assert [s.relation for s in creation_steps(pods, this_life)] == ["unknown"]
    before = events(*creates, unhealthy("web-sts-0", "", t(0, 9)))
    assert [s.relation for s in creation_steps(pods, before)] == ["before Ready"]


def test_readiness_failures_of_a_pod_read_without_its_uid_are_told_by_their_time() -> None:
    pods = [pod(0, t(0, 10), t(0, 30), uid="life-2"), pod(1, t(0, 12), t(0, 34))]
    pods[0] = replace(pods[0], uid="")
    creates = [controller_event("create", p.name, p.created) for p in pods]
    failed = events(*creates, unhealthy("web-sts-0", "life-2", t(0, 20)))
    steps = creation_steps(pods, failed)
    assert [(s.pod, s.predecessor, s.relation) for s in steps] == [("web-sts-1", "web-sts-0", "unknown")]
    assert "web-sts-0 failed 3 readiness probes" in steps[0].why


def test_the_schedulers_time_is_matched_by_time_when_the_event_or_the_pod_has_no_uid() -> None:
    """Placed 32 ms apart: one burst. Without uids the scheduler's events are
    still this life's when they are not older than the pod."""
    pods = [pod(0, t(0, 0), t(0, 0)), pod(1, t(0, 0), t(0, 0))]
    creates = [controller_event("create", p.name, p.created) for p in pods]
    placed_events = [scheduled_event(pods[0], offset_ms=10), scheduled_event(pods[1], offset_ms=42)]
    for e in placed_events:
        e["involvedObject"]["uid"] = ""
    assert [s.relation for s in creation_steps(pods, events(*creates, *placed_events))] == ["before Ready"]
    no_pod_uid = [replace(p, uid="") for p in pods]
    with_uids = [scheduled_event(pods[0], offset_ms=10), scheduled_event(pods[1], offset_ms=42)]
    assert [s.relation for s in creation_steps(no_pod_uid, events(*creates, *with_uids))] == ["before Ready"]


def test_a_scheduler_time_exactly_at_the_pods_creation_second_is_this_lifes() -> None:
    pods = [replace(pod(0, t(0, 0), t(0, 0)), uid=""), replace(pod(1, t(0, 0), t(0, 0)), uid="")]
    creates = [controller_event("create", p.name, p.created) for p in pods]
    evs = events(*creates, scheduled_event(pods[0], offset_ms=0), scheduled_event(pods[1], offset_ms=42))
    assert [(s.relation, s.why) for s in creation_steps(pods, evs)] == [("before Ready", "placed 42 ms apart")]


def test_pods_placed_exactly_half_a_second_apart_were_not_one_burst() -> None:
    pods = [pod(0, t(0, 0), t(0, 0)), pod(1, t(0, 0), t(0, 1))]
    evs = events(scheduled_event(pods[0], offset_ms=100), scheduled_event(pods[1], offset_ms=600))
    assert [s.relation for s in creation_steps(pods, evs)] == ["after Ready"]


def test_pods_created_in_one_second_are_taken_in_ordinal_order() -> None:
    """Listed in any order, web-sts-0 and web-sts-1 created in one second pair as
    web-sts-1 after its predecessor web-sts-0."""
    pods = [pod(1, t(0, 0), t(0, 3)), pod(0, t(0, 0), t(0, 3))]
    steps = creation_steps(pods, [])
    assert [(s.pod, s.predecessor, s.relation) for s in steps] == [("web-sts-1", "web-sts-0", "before Ready")]


def test_every_pair_is_judged_after_a_burst_or_an_unknown_one() -> None:
    """Three pods: the first pair placed together, the second created after
    web-sts-1 restarted; each pair gets its step, naming both pods."""
    pods = [pod(0, t(0, 0), t(0, 0)), replace(pod(1, t(0, 0), t(0, 9)), restarts=1), pod(2, t(0, 4), t(0, 6))]
    evs = events(scheduled_event(pods[0], offset_ms=10), scheduled_event(pods[1], offset_ms=42))
    steps = creation_steps(pods, evs)
    assert [(s.pod, s.predecessor, s.relation) for s in steps] == [
        ("web-sts-1", "web-sts-0", "before Ready"),
        ("web-sts-2", "web-sts-1", "unknown"),
    ]
    assert "web-sts-1 restarted" in steps[1].why
    four = [*pods, pod(3, t(0, 8), t(0, 10))]
    assert [s.predecessor for s in creation_steps(four, evs)] == ["web-sts-0", "web-sts-1", "web-sts-2"]


def test_a_creation_in_the_second_of_readiness_without_the_schedulers_times_names_both_pods() -> None:
    pods = [pod(0, t(0, 0), t(0, 2)), pod(1, t(0, 2), t(0, 4))]
    (step,) = creation_steps(pods, [])
    assert (step.pod, step.predecessor, step.relation) == ("web-sts-1", "web-sts-0", "unknown")
    assert "the second web-sts-0 became Ready" in step.why


def test_a_creation_up_to_five_seconds_after_readiness_counts_as_ordered_and_later_as_asked_for() -> None:
    """OrderedReady creates the next pod within moments: 5 s after web-sts-0 was
    Ready still is; 6 s after, web-sts-1 was asked for later (a scale-out)."""
    five = [pod(0, t(0, 0), t(0, 2)), pod(1, t(0, 7), t(0, 9))]
    (step,) = creation_steps(five, [])
    assert (step.relation, step.why) == ("after Ready", "")
    six = [pod(0, t(0, 0), t(0, 2)), pod(1, t(0, 8), t(0, 10))]
    (step,) = creation_steps(six, [])
    assert (step.pod, step.predecessor, step.relation) == ("web-sts-1", "web-sts-0", "asked for later")
    assert "6 s after web-sts-0 was Ready" in step.why


def started(p: PodFacts, at: str) -> PodFacts:
    return replace(p, started_at=at)


def test_a_pod_created_after_its_predecessor_started_but_before_its_recorded_ready_time_tells_nothing() -> None:
    """What the lab cluster showed: web-sts-0's container started at :00 and the
    kubelet reported it Ready, took it back and reported it again at :02; the
    controller had made web-sts-1 at :01 on the first report."""
    first = started(pod(0, t(0, 0), t(0, 2)), t(0, 0))
    second = started(pod(1, t(0, 1), t(0, 3)), t(0, 2))
    evs = events(*(controller_event("create", p.name, p.created) for p in (first, second)), *placed([first, second]))
    verdict, seen = verdict_and_evidence(replace(ORDERED, replicas=2), [first, second], evs)
    assert verdict == NOT_APPLICABLE, seen
    assert (
        "web-sts-1 vs web-sts-0: created 2026-11-26T10:00:01Z, before web-sts-0's Ready time, but its containers "
        "started at 2026-11-26T10:00:00Z, and the kubelet may have reported it Ready then and again at "
        "2026-11-26T10:00:02Z"
    ) in seen


def test_a_pod_created_before_its_predecessors_containers_started_was_created_before_it_was_ready() -> None:
    """A wrong cluster that does not wait (not in one burst, so the scheduler's times do not tell)."""
    first = started(pod(0, t(0, 0), t(0, 4)), t(0, 3))
    second = started(pod(1, t(0, 1), t(0, 5)), t(0, 4))
    evs = events(*(controller_event("create", p.name, p.created) for p in (first, second)), *placed([first, second]))
    verdict, seen = verdict_and_evidence(replace(ORDERED, replicas=2), [first, second], evs)
    assert verdict == FAILED
    assert seen == "web-sts-1 before web-sts-0 was Ready (its containers started only at 2026-11-26T10:00:03Z)"

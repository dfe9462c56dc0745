"""The rollout's own verdicts: the order of a rolling update, minReadySeconds,
a rollout stopped by a pod that cannot start, and a reverted one that stays
stuck until forceRollback; each passes on what the lesson predicts and fails
on the opposite."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from probes.checks.rollout import (
    cannot_start,
    check_forced_rollback,
    check_max_unavailable,
    check_min_ready_seconds,
    check_on_delete,
    check_reverted_rollout,
    check_rolling_order,
    check_rollout_waits_min_ready,
    check_stalled_rollout,
)
from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, PASSED, LifecycleEvent, PodFacts, Revision
from tests.unit.test_probe_checks import STS_FACTS, E, observation, sts_pod

THREE = replace(E, replicas=3)


def rolled(ready: tuple[str, str, str]) -> list[PodFacts]:
    """Three pods a rolling update created again: 2 at :10, 1 at :14, 0 at :18, Ready at `ready`."""
    created = ("2026-11-26T10:00:18Z", "2026-11-26T10:00:14Z", "2026-11-26T10:00:10Z")
    return [sts_pod(i, created[i], ready[i], revision="r2") for i in range(3)]


def deletions(order: list[tuple[int, str]]) -> list[LifecycleEvent]:
    return [
        LifecycleEvent(f"web-sts-{i}", "deleted", at, n, object_kind="StatefulSet", object_name="web-sts")
        for n, (i, at) in enumerate(order)
    ]


def test_a_rolling_update_from_the_top_each_after_its_successor_is_ready_passes() -> None:
    pods = rolled(("2026-11-26T10:00:20Z", "2026-11-26T10:00:16Z", "2026-11-26T10:00:12Z"))
    events = deletions([(2, "2026-11-26T10:00:09Z"), (1, "2026-11-26T10:00:13Z"), (0, "2026-11-26T10:00:17Z")])
    (check,) = check_rolling_order(THREE, observation(statefulset_pods=pods, events=events))
    assert check.verdict == PASSED, check.observed
    assert "deleted in the order web-sts-2, web-sts-1, web-sts-0" in check.observed


def test_a_pod_deleted_before_its_successor_was_ready_fails() -> None:
    pods = rolled(("2026-11-26T10:00:20Z", "2026-11-26T10:00:19Z", "2026-11-26T10:00:12Z"))
    events = deletions([(2, "2026-11-26T10:00:09Z"), (1, "2026-11-26T10:00:13Z"), (0, "2026-11-26T10:00:14Z")])
    (check,) = check_rolling_order(THREE, observation(statefulset_pods=pods, events=events))
    assert check.verdict == FAILED and "BEFORE the new web-sts-1 was Ready" in check.observed


def test_a_deletion_after_the_successors_start_but_before_its_recorded_ready_time_tells_nothing() -> None:
    """web-sts-1's container ran from :14, when the kubelet may already have
    reported it Ready; its Ready condition dates from :19."""
    pods = rolled(("2026-11-26T10:00:20Z", "2026-11-26T10:00:19Z", "2026-11-26T10:00:12Z"))
    pods[1] = replace(pods[1], started_at="2026-11-26T10:00:14Z")
    events = deletions([(2, "2026-11-26T10:00:09Z"), (1, "2026-11-26T10:00:13Z"), (0, "2026-11-26T10:00:14Z")])
    (check,) = check_rolling_order(THREE, observation(statefulset_pods=pods, events=events))
    assert check.verdict == INCONCLUSIVE, check.observed
    assert (
        "web-sts-0 deleted at 10:00:14, before the new web-sts-1's Ready time, but its containers started at "
        "2026-11-26T10:00:14Z"
    ) in check.observed
    pods[1] = replace(pods[1], started_at="2026-11-26T10:00:18Z")
    (check,) = check_rolling_order(THREE, observation(statefulset_pods=pods, events=events))
    assert check.verdict == FAILED and "BEFORE the new web-sts-1 was Ready" in check.observed


def test_an_ascending_rollout_fails() -> None:
    pods = rolled(("2026-11-26T10:00:20Z", "2026-11-26T10:00:16Z", "2026-11-26T10:00:12Z"))
    events = deletions([(0, "2026-11-26T10:00:09Z"), (1, "2026-11-26T10:00:13Z"), (2, "2026-11-26T10:00:17Z")])
    (check,) = check_rolling_order(THREE, observation(statefulset_pods=pods, events=events))
    assert check.verdict == FAILED


def test_pods_no_rollout_replaced_get_no_order_check() -> None:
    assert check_rolling_order(THREE, observation()) == []


WAITING = replace(THREE, min_ready_seconds=5)


def waited_out(gap: int) -> tuple[list[PodFacts], list[LifecycleEvent]]:
    """A rolling update of three pods where each next pod is deleted `gap` s
    after the one replaced before it was Ready again (each new pod created a
    second after its predecessor's deletion and Ready two seconds later)."""
    at = datetime(2026, 11, 26, 10, 0, 9)
    pods: list[PodFacts] = []
    order: list[tuple[int, str]] = []
    for ordinal in (2, 1, 0):
        created, ready = at + timedelta(seconds=1), at + timedelta(seconds=3)
        order.append((ordinal, f"{at:%Y-%m-%dT%H:%M:%S}Z"))
        pods.append(sts_pod(ordinal, f"{created:%Y-%m-%dT%H:%M:%S}Z", f"{ready:%Y-%m-%dT%H:%M:%S}Z", revision="r2"))
        at = ready + timedelta(seconds=gap)
    return sorted(pods, key=lambda p: p.name), deletions(order)


def test_a_rolling_update_that_waits_min_ready_seconds_after_each_new_pod_passes() -> None:
    pods, events = waited_out(5)
    (check,) = check_rollout_waits_min_ready(WAITING, observation(statefulset_pods=pods, events=events))
    assert check.verdict == PASSED
    assert check.observed == (
        "web-sts-1 deleted 5 s after the new web-sts-2 was Ready; "
        "web-sts-0 deleted 5 s after the new web-sts-1 was Ready"
    )


def test_a_rolling_update_that_replaces_the_next_pod_as_soon_as_one_is_ready_fails() -> None:
    """An API server that dropped minReadySeconds: each deletion a second after the Ready."""
    pods, events = waited_out(1)
    (check,) = check_rollout_waits_min_ready(WAITING, observation(statefulset_pods=pods, events=events))
    assert check.verdict == FAILED
    assert "web-sts-1 deleted 1 s after the new web-sts-2 was Ready" in check.observed
    # One second short is within the slack of one-second times; two are not.
    pods, events = waited_out(4)
    (within,) = check_rollout_waits_min_ready(WAITING, observation(statefulset_pods=pods, events=events))
    pods, events = waited_out(3)
    (short,) = check_rollout_waits_min_ready(WAITING, observation(statefulset_pods=pods, events=events))
    assert (within.verdict, short.verdict) == (PASSED, FAILED)


def test_min_ready_seconds_in_a_rollout_is_judged_only_with_two_pods_replaced_and_a_ready_time() -> None:
    pods, events = waited_out(5)
    assert check_rollout_waits_min_ready(WAITING, observation(statefulset_pods=pods, events=events[:1])) == []
    assert check_rollout_waits_min_ready(THREE, observation(statefulset_pods=pods, events=events)) == []
    on_delete = replace(WAITING, update_strategy="OnDelete")
    assert check_rollout_waits_min_ready(on_delete, observation(statefulset_pods=pods, events=events)) == []
    two_at_a_time = observation(
        statefulset=replace(STS_FACTS, max_unavailable="2"), statefulset_pods=pods, events=events
    )
    assert check_rollout_waits_min_ready(WAITING, two_at_a_time) == []
    unready = [replace(p, ready_since=None) for p in pods]
    (check,) = check_rollout_waits_min_ready(WAITING, observation(statefulset_pods=unready, events=events))
    assert (check.verdict, check.observed) == (INCONCLUSIVE, "no replaced pod's new Ready time was recorded")


def stuck(pod: PodFacts, revision: str) -> PodFacts:
    return replace(pod, revision=revision, ready=False, ready_since=None, state="ImagePullBackOff: Back-off pulling")


def test_a_rollout_stops_at_the_pod_that_cannot_start() -> None:
    facts = replace(STS_FACTS, replicas=3, current_revision="r1", update_revision="r2")
    pods = [sts_pod(0, "2026-11-26T10:00:00Z", "2026-11-26T10:00:02Z", revision="r1"),
            sts_pod(1, "2026-11-26T10:00:02Z", "2026-11-26T10:00:04Z", revision="r1"),
            stuck(sts_pod(2, "2026-11-26T10:01:00Z", None), "r2")]  # fmt: skip
    (check,) = check_stalled_rollout(THREE, observation(statefulset=facts, statefulset_pods=pods))
    assert check.verdict == PASSED and "web-sts-2: ImagePullBackOff" in check.observed
    wrong = [replace(pods[0], revision="r2"), pods[1], pods[2]]
    (check,) = check_stalled_rollout(THREE, observation(statefulset=facts, statefulset_pods=wrong))
    assert check.verdict == FAILED


REVERTED_FACTS = replace(STS_FACTS, replicas=3, current_revision="r1", update_revision="r1")
REVERTED = [sts_pod(0, "2026-11-26T10:00:00Z", "2026-11-26T10:00:02Z", revision="r1"),
            sts_pod(1, "2026-11-26T10:00:02Z", "2026-11-26T10:00:04Z", revision="r1"),
            stuck(sts_pod(2, "2026-11-26T10:01:00Z", None, uid="stuck-uid"), "r2")]  # fmt: skip
"""The image broken (r2) at web-sts-2, then reverted to r1: web-sts-2 stays stuck."""


def test_a_reverted_rollout_leaves_its_stuck_pod() -> None:
    (check,) = check_reverted_rollout(THREE, observation(statefulset=REVERTED_FACTS, statefulset_pods=REVERTED))
    assert check.verdict == PASSED and "forceRollback" in check.observed


def test_a_controller_that_replaces_pods_while_one_is_stuck_fails_the_revert_check() -> None:
    """With maxUnavailable 2 the controller does not wait for the stuck pod: it
    replaced web-sts-1 after web-sts-2 was stuck."""
    again = [REVERTED[0], sts_pod(1, "2026-11-26T10:01:31Z", "2026-11-26T10:01:33Z", revision="r1"), REVERTED[2]]
    events = deletions([(1, "2026-11-26T10:01:30Z")])
    (check,) = check_reverted_rollout(
        THREE, observation(statefulset=REVERTED_FACTS, statefulset_pods=again, events=events)
    )
    assert check.verdict == FAILED and "web-sts-1 at 2026-11-26T10:01:30Z" in check.observed


def pod_event(pod: str, reason: str, uid: str, at: str, n: int) -> LifecycleEvent:
    return LifecycleEvent(pod, reason, at, n, object_kind="Pod", object_name=pod, object_uid=uid)


def test_force_rollback_passes_only_on_a_stuck_pod_created_again() -> None:
    forced = replace(THREE, force_rollback=True)
    (check,) = check_forced_rollback(forced, observation(statefulset=REVERTED_FACTS, statefulset_pods=REVERTED))
    assert check.verdict == FAILED, "forceRollback must not leave the stuck pod"
    healed = [*REVERTED[:2], sts_pod(2, "2026-11-26T10:02:00Z", "2026-11-26T10:02:02Z", revision="r1", uid="new")]
    stuck_life = [pod_event("web-sts-2", "scheduled", "stuck-uid", "2026-11-26T10:01:00Z", 1)]
    (check,) = check_forced_rollback(
        forced, observation(statefulset=REVERTED_FACTS, statefulset_pods=healed, events=stuck_life)
    )
    assert check.verdict == PASSED and "never started" in check.observed
    (check,) = check_forced_rollback(forced, observation(statefulset=REVERTED_FACTS, statefulset_pods=healed))
    assert check.verdict == NOT_APPLICABLE, "nothing was ever stuck: forceRollback showed nothing"


def test_min_ready_seconds_spaces_the_creations() -> None:
    slow = replace(E, min_ready_seconds=5)
    pods = [sts_pod(0, "2026-11-26T10:00:00Z", "2026-11-26T10:00:02Z"),
            sts_pod(1, "2026-11-26T10:00:07Z", "2026-11-26T10:00:09Z")]  # fmt: skip
    events = [
        LifecycleEvent(p.name, "created", p.created, i, object_kind="StatefulSet", object_name="web-sts")
        for i, p in enumerate(pods)
    ]
    (check,) = check_min_ready_seconds(slow, observation(statefulset_pods=pods, events=events))
    assert check.verdict == PASSED and "web-sts-1 created 5 s after web-sts-0 was Ready" in check.observed
    hasty = [pods[0], replace(pods[1], created="2026-11-26T10:00:03Z")]
    events = [replace(events[0]), replace(events[1], time="2026-11-26T10:00:03Z")]
    (check,) = check_min_ready_seconds(slow, observation(statefulset_pods=hasty, events=events))
    assert check.verdict == FAILED
    assert check_min_ready_seconds(E, observation()) == []
    assert check_min_ready_seconds(slow, observation(statefulset_pods=[], events=[]))[0].verdict == NOT_APPLICABLE


# --- what each verdict rests on --------------------------------------------------------


def test_a_pod_that_cannot_start_is_named_with_its_reason_even_while_terminating() -> None:
    assert cannot_start(replace(REVERTED[2], state="Terminating: CrashLoopBackOff: back-off 5m")) == "CrashLoopBackOff"
    assert cannot_start(replace(REVERTED[2], state="ContainerCreating: pulling")) == ""
    assert cannot_start(REVERTED[0]) == ""


def test_the_stalled_rollout_evidence_names_the_stuck_pod_the_pods_below_and_the_target() -> None:
    facts = replace(STS_FACTS, replicas=3, current_revision="r1", update_revision="r2")
    pods = [*REVERTED[:2], replace(REVERTED[2], revision="r2")]
    (check,) = check_stalled_rollout(THREE, observation(statefulset=facts, statefulset_pods=pods))
    assert check.expected == "web-sts-2 waiting (ImagePullBackOff), the lower ordinals on r1"
    assert "web-sts-0 @r1, web-sts-1 @r1; the StatefulSet rolls toward r2" in check.observed
    below_partition = [replace(pods[0], revision="r2"), *pods[1:]]
    held = replace(THREE, partition=1)
    (partitioned,) = check_stalled_rollout(held, observation(statefulset=facts, statefulset_pods=below_partition))
    assert partitioned.verdict == PASSED
    assert check_stalled_rollout(THREE, observation(statefulset=replace(facts, current_revision="r2"))) == []
    on_delete = replace(THREE, update_strategy="OnDelete")
    assert check_stalled_rollout(on_delete, observation(statefulset=facts, statefulset_pods=pods)) == []


def test_a_revert_with_no_pod_showing_the_template_came_back_is_inconclusive() -> None:
    """Every pod on the update revision is younger than the stuck one: the template may have moved on."""
    younger = [replace(p, created="2026-11-26T10:02:00Z") for p in REVERTED[:2]]
    (check,) = check_reverted_rollout(
        THREE, observation(statefulset=REVERTED_FACTS, statefulset_pods=[*younger, REVERTED[2]])
    )
    assert check.verdict == INCONCLUSIVE
    assert "no pod shows the template came back rather than moving on" in check.observed
    (passing,) = check_reverted_rollout(THREE, observation(statefulset=REVERTED_FACTS, statefulset_pods=REVERTED))
    assert "web-sts-2 @r2: ImagePullBackOff: Back-off pulling" in passing.observed
    assert "which web-sts-0, web-sts-1 ran before web-sts-2 was created" in passing.observed
    assert "the controller deleted since: nothing" in passing.observed
    forced = replace(THREE, force_rollback=True)
    assert check_reverted_rollout(forced, observation(statefulset=REVERTED_FACTS, statefulset_pods=REVERTED)) == []
    parallel = replace(THREE, pod_management_policy="Parallel")
    assert check_reverted_rollout(parallel, observation(statefulset=REVERTED_FACTS, statefulset_pods=REVERTED)) == []


def test_a_deletion_before_the_stuck_pod_was_created_is_not_held_against_the_revert() -> None:
    events = deletions([(1, "2026-11-26T10:00:59Z"), (2, "2026-11-26T10:01:00Z")])
    (check,) = check_reverted_rollout(
        THREE, observation(statefulset=REVERTED_FACTS, statefulset_pods=REVERTED, events=events)
    )
    assert check.verdict == PASSED


ON_DELETE = replace(THREE, update_strategy="OnDelete")
ON_DELETE_FACTS = replace(
    STS_FACTS, replicas=3, update_strategy="OnDelete", current_revision="r1", update_revision="r2"
)
ON_DELETE_PODS = [sts_pod(i, f"2026-11-26T10:00:0{i}Z", f"2026-11-26T10:00:0{i + 1}Z", revision="r1") for i in range(3)]


def test_with_on_delete_a_new_template_moves_no_pod() -> None:
    (check,) = check_on_delete(ON_DELETE, observation(statefulset=ON_DELETE_FACTS, statefulset_pods=ON_DELETE_PODS))
    assert check.verdict == PASSED
    assert check.expected == "pods on an older template than r2; the controller deletes none"
    assert "web-sts-0 @r1, not the update revision r2" in check.observed


def test_with_on_delete_a_pod_the_controller_replaced_fails() -> None:
    moved = [*ON_DELETE_PODS[:2], replace(ON_DELETE_PODS[2], revision="r2", created="2026-11-26T10:05:00Z")]
    events = deletions([(2, "2026-11-26T10:04:59Z")])
    seen = observation(statefulset=ON_DELETE_FACTS, statefulset_pods=moved, events=events)
    (check,) = check_on_delete(ON_DELETE, seen)
    assert check.verdict == FAILED
    assert check.observed.endswith("; deleted and created again by the controller: web-sts-2")


def test_with_on_delete_and_one_template_there_is_nothing_to_judge() -> None:
    unchanged = replace(ON_DELETE_FACTS, update_revision="r1")
    revisions = [Revision("r1", 1, "2026-11-26T09:59:00Z")]
    seen = observation(statefulset=unchanged, statefulset_pods=ON_DELETE_PODS, revisions=revisions)
    assert check_on_delete(ON_DELETE, seen)[0].verdict == NOT_APPLICABLE
    assert check_on_delete(THREE, seen) == []
    assert check_on_delete(ON_DELETE, observation(statefulset=unchanged, statefulset_pods=[])) == []


def test_max_unavailable_as_a_share_of_the_replicas_rounds_down_to_at_least_one() -> None:
    pods = rolled(("2026-11-26T10:00:20Z", "2026-11-26T10:00:16Z", "2026-11-26T10:00:12Z"))
    events = deletions([(2, "2026-11-26T10:00:09Z"), (1, "2026-11-26T10:00:13Z"), (0, "2026-11-26T10:00:17Z")])
    for share, at_a_time in (("50%", 1), ("10%", 1), ("67%", 2)):
        facts = replace(STS_FACTS, max_unavailable=share)
        (check,) = check_rolling_order(THREE, observation(statefulset=facts, statefulset_pods=pods, events=events))
        assert check.name.endswith(f"({at_a_time} at a time)") == (at_a_time > 1), (share, check.name)


def test_one_pod_at_a_time_with_max_unavailable_two_fails_and_says_how_many_were_down() -> None:
    pods = rolled(("2026-11-26T10:00:20Z", "2026-11-26T10:00:16Z", "2026-11-26T10:00:12Z"))
    events = deletions([(2, "2026-11-26T10:00:09Z"), (1, "2026-11-26T10:00:13Z"), (0, "2026-11-26T10:00:17Z")])
    two = replace(THREE, max_unavailable="2", pod_management_policy="Parallel")
    facts = replace(STS_FACTS, max_unavailable="2")
    (check,) = check_max_unavailable(two, observation(statefulset=facts, statefulset_pods=pods, events=events))
    assert check.name == "maxUnavailable 2 replaces up to 2 pods at once"
    assert check.verdict == FAILED
    assert check.expected == "2 pods down at the same time, never more"
    assert check.observed.startswith(
        "at most 1 pod(s) down at once while web-sts-2, web-sts-1, web-sts-0 were replaced"
    )
    dropped = replace(STS_FACTS, max_unavailable=None)
    (check,) = check_max_unavailable(two, observation(statefulset=dropped, statefulset_pods=pods, events=events))
    assert "the StatefulSet's maxUnavailable: not set (the cluster dropped the field)" in check.observed


def _two_then_one(started: str) -> list[PodFacts]:
    """web-sts-2 and web-sts-1 deleted at :09 and made again at :10, their
    containers started at `started`, Ready (recorded) at :13; web-sts-0
    deleted at :12, Ready again at :15."""
    at = "2026-11-26T10:00:{}Z".format
    return [
        replace(sts_pod(0, at(13), at(15), revision="r2"), started_at=at(14)),
        replace(sts_pod(1, at(10), at(13), revision="r2"), started_at=at(started)),
        replace(sts_pod(2, at(10), at(13), revision="r2"), started_at=at(started)),
    ]


def test_a_third_pod_down_only_by_recorded_ready_times_that_may_have_moved_is_inconclusive() -> None:
    """web-sts-0 went at :12, after the two new pods' containers had started
    (:11), when the kubelet may have reported them Ready, before their Ready time (:13)."""
    two = replace(THREE, max_unavailable="2", pod_management_policy="Parallel")
    facts = replace(STS_FACTS, max_unavailable="2")
    events = deletions([(2, "2026-11-26T10:00:09Z"), (1, "2026-11-26T10:00:09Z"), (0, "2026-11-26T10:00:12Z")])
    doubtful = observation(statefulset=facts, statefulset_pods=_two_then_one("11"), events=events)
    (check,) = check_max_unavailable(two, doubtful)
    assert check.verdict == INCONCLUSIVE, check.observed
    assert check.observed.startswith(
        "at most 3 pod(s) down at once while web-sts-2, web-sts-1, web-sts-0 were replaced, but only 2 counting "
        "each back from its containers' start"
    )
    # Started only at :13, after web-sts-0 went: three were down together for certain.
    (check,) = check_max_unavailable(two, replace(doubtful, statefulset_pods=_two_then_one("13")))
    assert check.verdict == FAILED and "but only" not in check.observed


def test_with_ordered_ready_a_pod_made_after_the_first_ones_start_but_before_its_ready_time_tells_nothing() -> None:
    at = "2026-11-26T10:00:{}Z".format

    def back(started: str) -> list[PodFacts]:
        """web-sts-1 made again at :10 (containers started at `started`, Ready
        recorded at :14), web-sts-2 at :12; web-sts-0 was not replaced."""
        return [
            sts_pod(0, at("01"), at("02")),
            replace(sts_pod(1, at(10), at(14), revision="r2"), started_at=at(started)),
            replace(sts_pod(2, at(12), at(16), revision="r2"), started_at=at(15)),
        ]

    two = replace(THREE, max_unavailable="2")
    facts = replace(STS_FACTS, max_unavailable="2")
    events = deletions([(2, "2026-11-26T10:00:09Z"), (1, "2026-11-26T10:00:09Z")])
    doubtful = observation(statefulset=facts, statefulset_pods=back("11"), events=events)
    (check,) = check_max_unavailable(two, doubtful)
    assert check.verdict == INCONCLUSIVE, check.observed
    assert "web-sts-2 created 2026-11-26T10:00:12Z, before web-sts-1's Ready time, but its containers" in check.observed
    (check,) = check_max_unavailable(two, replace(doubtful, statefulset_pods=back("13")))
    assert check.verdict == FAILED and "web-sts-2 created 2026-11-26T10:00:12Z, BEFORE web-sts-1 was Ready" in (
        check.observed
    )


def test_with_ordered_ready_two_pods_made_in_one_second_count_in_ordinal_order() -> None:
    """A real tour: web-sts-1 and web-sts-0 deleted together, web-sts-0 made and
    Ready within 13:57:46, web-sts-1 made in that second too. Taken by deletion
    order (web-sts-1 first) web-sts-0 looked made before web-sts-1 was Ready."""
    made = {
        "web-sts-0": ("10:00:46", "10:00:46"),
        "web-sts-1": ("10:00:46", "10:00:48"),
        "web-sts-2": ("10:00:42", "10:00:44"),
    }
    pods = [
        replace(p, created=f"2026-11-26T{made[p.name][0]}Z", ready_since=f"2026-11-26T{made[p.name][1]}Z")
        for p in rolled(("", "", ""))
    ]
    events = deletions([(2, "2026-11-26T10:00:41Z"), (1, "2026-11-26T10:00:45Z"), (0, "2026-11-26T10:00:45Z")])
    two = replace(THREE, max_unavailable="2")
    facts = replace(STS_FACTS, max_unavailable="2")
    (check,) = check_max_unavailable(two, observation(statefulset=facts, statefulset_pods=pods, events=events))
    assert "created again in the order web-sts-2, web-sts-0, web-sts-1" in check.observed
    assert "BEFORE" not in check.observed


def test_min_ready_seconds_of_one_second_in_a_rollout_is_judged_and_a_share_of_pods_at_a_time_is_too() -> None:
    pods, events = waited_out(1)
    (one_second,) = check_rollout_waits_min_ready(
        replace(WAITING, min_ready_seconds=1), observation(statefulset_pods=pods, events=events)
    )
    assert one_second.verdict == PASSED
    # maxUnavailable 50% of 3 replicas is one pod at a time: judged as such.
    half = observation(statefulset=replace(STS_FACTS, max_unavailable="50%"), statefulset_pods=pods, events=events)
    (check,) = check_rollout_waits_min_ready(WAITING, half)
    assert check.verdict == FAILED


def test_a_replaced_pod_without_a_ready_time_leaves_the_next_pair_judged() -> None:
    """web-sts-2 has no Ready time recorded; web-sts-0's deletion is still judged against web-sts-1."""
    pods, events = waited_out(5)
    unready = [replace(p, ready_since=None) if p.name == "web-sts-2" else p for p in pods]
    (check,) = check_rollout_waits_min_ready(WAITING, observation(statefulset_pods=unready, events=events))
    assert (check.verdict, check.observed) == (PASSED, "web-sts-0 deleted 5 s after the new web-sts-1 was Ready")

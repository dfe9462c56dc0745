"""OrderedReady holds back creation and scale-in above a pod that is not Ready:
each check passes on the held state the lesson makes (web-sts-0 on an image
that cannot be pulled), fails on a controller that went on regardless, and
says nothing about a pod that may have been Ready when the others moved."""

from __future__ import annotations

from dataclasses import replace

from probes.checks.held_back import check_creation_held, check_scale_in_held, check_scale_in_released
from probes.checks.pods import check_pod_names
from probes.checks.storage import check_claims
from probes.facts import FAILED, INCONCLUSIVE, PASSED, LifecycleEvent, PodFacts, StatefulSetFacts
from tests.unit.test_probe_checks import CLAIMS, DEP, STS_FACTS, E, observation, sts_pod
from tests.unit.test_probe_rollout_checks import deletions, pod_event

ON_DELETE = replace(E, update_strategy="OnDelete")
BROKEN_SINCE = "2026-11-26T10:05:00Z"


def broken_web_sts_0() -> PodFacts:
    """web-sts-0 deleted and created again on an image that cannot be pulled: Pending, never Ready."""
    pod = sts_pod(0, BROKEN_SINCE, None, revision="r-broken", uid="broken-uid")
    return replace(pod, phase="Pending", state="ImagePullBackOff: Back-off pulling image")


HEALTHY_1 = sts_pod(1, "2026-11-26T10:00:02Z", "2026-11-26T10:00:04Z", uid="one-uid")


def asked(replicas: int, observed: int = 7) -> StatefulSetFacts:
    """The StatefulSet after the stack asked for `replicas` (generation 7); the controller has seen `observed`."""
    return replace(STS_FACTS, replicas=replicas, generation=7, observed_generation=observed, update_strategy="OnDelete")


def test_a_missing_pod_above_one_that_is_not_ready_is_held_once_the_controller_has_seen_the_spec() -> None:
    o = observation(statefulset=asked(3), statefulset_pods=[broken_web_sts_0(), HEALTHY_1])
    (check,) = check_creation_held(ON_DELETE, o)
    assert check.verdict == PASSED, check.observed
    assert check.observed.startswith("web-sts-2 not created while web-sts-0 is not Ready (ImagePullBackOff")
    assert "replicas 3 (generation 7, the controller has seen 7)" in check.observed


def test_a_missing_pod_is_no_evidence_before_the_controller_has_seen_the_spec() -> None:
    o = observation(statefulset=asked(3, observed=6), statefulset_pods=[broken_web_sts_0(), HEALTHY_1])
    (check,) = check_creation_held(ON_DELETE, o)
    assert check.verdict == INCONCLUSIVE and "has not acted on this spec yet" in check.observed


def test_a_controller_that_creates_a_pod_above_a_pending_one_fails() -> None:
    """A wrong cluster: web-sts-2 made three seconds after web-sts-0 came back unable to start."""
    made = sts_pod(2, "2026-11-26T10:05:03Z", "2026-11-26T10:05:05Z")
    o = observation(statefulset=asked(3), statefulset_pods=[broken_web_sts_0(), HEALTHY_1, made])
    (check,) = check_creation_held(ON_DELETE, o)
    assert check.verdict == FAILED
    assert "web-sts-2 created 2026-11-26T10:05:03Z, after web-sts-0 (created 2026-11-26T10:05:00Z)" in check.observed


def test_pods_made_before_the_lower_one_came_back_broken_are_no_evidence_against_the_controller() -> None:
    o = observation(statefulset=asked(2), statefulset_pods=[broken_web_sts_0(), HEALTHY_1])
    assert check_creation_held(ON_DELETE, o) == []


def test_a_pod_that_ran_and_went_unready_later_is_not_held_against_the_pods_made_after_it() -> None:
    """web-sts-0 was Ready when web-sts-1 was made and only then began to fail its readiness probe."""
    unready = replace(sts_pod(0, "2026-11-26T10:00:00Z", None), state="Running, not Ready")
    later = sts_pod(1, "2026-11-26T10:00:02Z", "2026-11-26T10:00:04Z")
    assert check_creation_held(E, observation(statefulset=asked(2), statefulset_pods=[unready, later])) == []


def test_parallel_promises_no_hold() -> None:
    parallel = replace(asked(3), pod_management_policy="Parallel")
    o = observation(statefulset=parallel, statefulset_pods=[broken_web_sts_0(), HEALTHY_1])
    assert check_creation_held(E, o) == [] and check_scale_in_held(E, o) == []


def test_a_scale_in_above_a_pod_that_is_not_ready_keeps_its_pods() -> None:
    o = observation(statefulset=asked(1), statefulset_pods=[broken_web_sts_0(), HEALTHY_1])
    (check,) = check_scale_in_held(replace(ON_DELETE, replicas=1), o)
    assert check.verdict == PASSED, check.observed
    assert check.observed.startswith("web-sts-1 kept while web-sts-0 is not Ready (ImagePullBackOff")


def test_a_controller_that_removes_a_pod_above_a_pending_one_fails() -> None:
    events = deletions([(1, "2026-11-26T10:05:30Z")])
    o = observation(statefulset=asked(1), statefulset_pods=[broken_web_sts_0()], events=events)
    (check,) = check_scale_in_held(replace(ON_DELETE, replicas=1), o)
    assert check.verdict == FAILED
    assert "web-sts-1 deleted by the controller at 2026-11-26T10:05:30Z, while web-sts-0" in check.observed


def test_a_kept_pod_is_no_evidence_before_the_controller_has_seen_the_spec() -> None:
    o = observation(statefulset=asked(1, observed=6), statefulset_pods=[broken_web_sts_0(), HEALTHY_1])
    (check,) = check_scale_in_held(replace(ON_DELETE, replicas=1), o)
    assert check.verdict == INCONCLUSIVE


CAME_BACK = sts_pod(0, "2026-11-26T10:07:00Z", "2026-11-26T10:07:02Z", uid="new-uid")
EARLIER_LIFE = [pod_event("web-sts-0", "scheduled", "broken-uid", BROKEN_SINCE, 1)]


def released(deleted_at: str) -> list[LifecycleEvent]:
    return EARLIER_LIFE + deletions([(1, deleted_at)])


def test_the_held_scale_in_goes_on_once_the_pod_below_is_ready_again() -> None:
    o = observation(statefulset=asked(1), statefulset_pods=[CAME_BACK], events=released("2026-11-26T10:07:03Z"))
    (check,) = check_scale_in_released(replace(ON_DELETE, replicas=1), o)
    assert check.verdict == PASSED, check.observed
    assert "web-sts-1 deleted at 2026-11-26T10:07:03Z, after web-sts-0 came back" in check.observed


def test_a_scale_in_while_the_pod_below_could_not_start_fails() -> None:
    """A wrong cluster: web-sts-1 removed a minute after web-sts-0 came back broken, before the repair."""
    o = observation(statefulset=asked(1), statefulset_pods=[CAME_BACK], events=released("2026-11-26T10:06:00Z"))
    (check,) = check_scale_in_released(replace(ON_DELETE, replicas=1), o)
    assert check.verdict == FAILED
    assert check.observed == "web-sts-1 deleted at 2026-11-26T10:06:00Z, while an earlier web-sts-0 could not start"


def test_a_scale_in_that_goes_on_before_the_pod_below_is_ready_fails() -> None:
    o = observation(statefulset=asked(1), statefulset_pods=[CAME_BACK], events=released("2026-11-26T10:07:01Z"))
    (check,) = check_scale_in_released(replace(ON_DELETE, replicas=1), o)
    assert check.verdict == FAILED and "before it was Ready (Ready only at 2026-11-26T10:07:02Z)" in check.observed


def test_a_scale_in_with_no_pod_below_created_again_says_nothing_of_a_hold() -> None:
    first_life = sts_pod(0, "2026-11-26T10:00:00Z", "2026-11-26T10:00:02Z")
    o = observation(
        statefulset=asked(1), statefulset_pods=[first_life], events=deletions([(1, "2026-11-26T10:07:03Z")])
    )
    assert check_scale_in_released(replace(ON_DELETE, replicas=1), o) == []


HOLD_NOTE = "web-sts-0 is not Ready, so OrderedReady creates and removes nothing above it yet"


def test_a_pod_and_claim_missing_above_a_pod_that_is_not_ready_are_inconclusive_not_failed() -> None:
    three = replace(ON_DELETE, replicas=3)
    held = [broken_web_sts_0(), HEALTHY_1]
    names = check_pod_names(three, held, DEP)[0]
    assert (names.verdict, names.observed) == (INCONCLUSIVE, f"web-sts-0, web-sts-1; {HOLD_NOTE}")
    claims = check_claims(three, held, DEP, CLAIMS)[0]
    assert (
        claims.verdict == INCONCLUSIVE and "www-web-sts-2: missing" in claims.observed and HOLD_NOTE in claims.observed
    )


def test_a_pod_missing_below_the_pod_that_is_not_ready_fails_the_names() -> None:
    """A wrong cluster: web-sts-0 is gone while web-sts-1 cannot start; nothing held web-sts-0 back."""
    stuck_1 = replace(sts_pod(1, BROKEN_SINCE, None, uid="u1"), phase="Pending", state="ImagePullBackOff")
    names = check_pod_names(replace(ON_DELETE, replicas=3), [stuck_1], DEP)[0]
    assert names.verdict == FAILED and "not Ready, so OrderedReady" not in names.observed


def test_a_claim_missing_below_the_pod_that_is_not_ready_or_for_a_pod_that_exists_fails() -> None:
    stuck_1 = replace(sts_pod(1, BROKEN_SINCE, None, uid="u1"), phase="Pending", state="ImagePullBackOff")
    ready_0 = sts_pod(0, "2026-11-26T10:00:00Z", "2026-11-26T10:00:02Z")
    without_0 = [c for c in CLAIMS if c.name != "www-web-sts-0"]
    below = check_claims(replace(ON_DELETE, replicas=3), [ready_0, stuck_1], DEP, without_0)[0]
    assert below.verdict == FAILED and "www-web-sts-0: missing" in below.observed
    gone = check_claims(replace(ON_DELETE, replicas=3), [stuck_1], DEP, without_0)[0]
    assert gone.verdict == FAILED, "web-sts-0 and its claim are both gone below the pod that holds the rest back"
    # web-sts-2 was made (against the hold) and has no claim: its claim is not "not made yet".
    made_2 = sts_pod(2, "2026-11-26T10:05:03Z", None)
    above = check_claims(replace(ON_DELETE, replicas=3), [broken_web_sts_0(), HEALTHY_1, made_2], DEP, CLAIMS)[0]
    assert above.verdict == FAILED and "www-web-sts-2: missing" in above.observed


def test_a_release_after_the_new_pods_start_but_before_its_recorded_ready_time_tells_nothing() -> None:
    """The new web-sts-0 ran from :01, when the kubelet may already have reported it Ready (its condition says :02)."""
    came_back = replace(CAME_BACK, started_at="2026-11-26T10:07:01Z")
    o = observation(statefulset=asked(1), statefulset_pods=[came_back], events=released("2026-11-26T10:07:01Z"))
    (check,) = check_scale_in_released(replace(ON_DELETE, replicas=1), o)
    assert check.verdict == INCONCLUSIVE, check.observed
    assert "before its Ready time, but its containers started at 2026-11-26T10:07:01Z" in check.observed
    before_start = replace(CAME_BACK, started_at="2026-11-26T10:07:02Z")
    o = observation(statefulset=asked(1), statefulset_pods=[before_start], events=released("2026-11-26T10:07:01Z"))
    assert check_scale_in_released(replace(ON_DELETE, replicas=1), o)[0].verdict == FAILED

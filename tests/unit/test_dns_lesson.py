"""The dns-after-delete lesson's check: the re-created pod's name ends up with
its new IP; every answer is shown, and how long "not found" lasted is told,
never judged."""

from __future__ import annotations

from dataclasses import replace

from kube.names import LabNames
from lessons.spec import LessonSpec
from probes.checks.dns_lesson import dns_after_delete_checks, timeline
from probes.facts import FAILED, INCONCLUSIVE, NOT_FOUND, PASSED, RESOLVED
from probes.lesson_record import LessonPod, LessonRecord, TimedLookup
from tests.unit.test_probe_checks import E, observation

OLD = LessonPod("web-sts-0", "statefulset", "uid-old", ip="10.244.1.5", ready=True)
NEW = LessonPod("web-sts-0", "statefulset", "uid-new", ip="10.244.2.9", ready=True)
ANSWERS = [
    TimedLookup("2026-12-07T14:00:00.100Z", RESOLVED, ["10.244.1.5"]),
    TimedLookup("2026-12-07T14:00:00.800Z", NOT_FOUND),
    TimedLookup("2026-12-07T14:00:01.500Z", NOT_FOUND),
    TimedLookup("2026-12-07T14:00:03.900Z", NOT_FOUND),
    TimedLookup("2026-12-07T14:00:04.600Z", RESOLVED, ["10.244.2.9"]),
    TimedLookup("2026-12-07T14:00:05.300Z", RESOLVED, ["10.244.2.9"]),
]
DONE = LessonRecord(
    lesson="dns-after-delete",
    started="2026-12-07T14:00:00.000Z",
    finished="2026-12-07T14:00:05.400Z",
    ordinal=0,
    before=[OLD],
    after=[NEW],
    lookups=ANSWERS,
    ready_seen="2026-12-07T14:00:02.700Z",
)


def test_the_old_ip_then_not_found_then_the_new_ip_passes_and_tells_how_long_not_found_lasted() -> None:
    (check,) = dns_after_delete_checks(E, DONE, observation())
    assert check.verdict == PASSED
    assert check.observed == (
        "14:00:00.100 the old IP 10.244.1.5 (1x); 14:00:00.800 not found (3x); 14:00:04.600 the new IP 10.244.2.9 "
        "(2x); web-sts-0 seen Ready at 14:00:02.700; once the new pod was Ready: 'not found' still 1.2 s after it "
        "(1 answer)"
    )


def test_a_cached_old_ip_after_the_new_pod_was_ready_is_told_and_still_passes() -> None:
    """A real run on the lab cluster: CoreDNS kept the old record for its 5 s TTL, and never said "not found"."""
    cached = [
        TimedLookup("2026-12-07T14:00:00.100Z", RESOLVED, ["10.244.1.5"]),
        TimedLookup("2026-12-07T14:00:03.000Z", RESOLVED, ["10.244.1.5"]),
        TimedLookup("2026-12-07T14:00:04.600Z", RESOLVED, ["10.244.2.9"]),
    ]
    (check,) = dns_after_delete_checks(E, replace(DONE, lookups=cached), observation())
    assert check.verdict == PASSED
    assert check.observed.endswith("once the new pod was Ready: the old IP still 0.3 s after it (1 answer)")
    direct = replace(DONE, lookups=[ANSWERS[0], ANSWERS[4]])
    assert dns_after_delete_checks(E, direct, observation())[0].observed.endswith("its IP at the first answer")


def test_a_name_still_giving_the_old_ip_fails() -> None:
    """A cluster DNS serving stale answers (serve_stale) long after the pod went."""
    stale = [*ANSWERS[:1], *(replace(x, outcome=RESOLVED, addresses=["10.244.1.5"]) for x in ANSWERS[1:])]
    problem = "web-sts-0.nginx-sts did not answer with the new pod's IP twice in a row within 180 s"
    (check,) = dns_after_delete_checks(E, replace(DONE, lookups=stale, problem=problem), observation())
    assert check.verdict == FAILED
    assert "14:00:00.100 the old IP 10.244.1.5 (6x)" in check.observed
    assert problem in check.observed


def test_not_found_to_the_end_fails() -> None:
    (check,) = dns_after_delete_checks(E, replace(DONE, lookups=ANSWERS[:4]), observation())
    assert check.verdict == FAILED


def test_without_a_new_pod_seen_ready_there_is_nothing_to_judge() -> None:
    problem = "no new web-sts-0 was Ready within 180 s"
    (check,) = dns_after_delete_checks(E, replace(DONE, ready_seen="", problem=problem), observation())
    assert (check.verdict, check.observed) == (INCONCLUSIVE, problem)
    (same,) = dns_after_delete_checks(E, replace(DONE, after=[OLD]), observation())
    assert same.verdict == INCONCLUSIVE


def test_a_timeline_shows_each_run_of_equal_answers_once() -> None:
    assert timeline(ANSWERS[1:3], "10.244.1.5", "10.244.2.9") == "14:00:00.800 not found (2x)"
    other = [TimedLookup("2026-12-07T14:00:00.100Z", RESOLVED, ["10.0.0.1", "10.0.0.2"])]
    assert timeline(other, "10.244.1.5", "10.244.2.9") == "14:00:00.100 10.0.0.1, 10.0.0.2 (1x)"


def test_the_spec_carries_the_dns_image_only_for_the_lesson_that_uses_it() -> None:
    """A stack whose lesson ran before the image was part of the spec keeps the same command (no rerun)."""
    plain = LessonSpec.for_lab(LabNames(), lesson="delete-pods", namespace="default", replicas=2)
    assert "dns_image" not in plain.to_json()
    looking = replace(plain, lesson="dns-after-delete", ordinal=0, dns_image="docker.io/library/busybox:1.28")
    assert LessonSpec.from_json(looking.to_json()) == looking


def test_both_cached_answers_after_ready_are_told_with_their_counts() -> None:
    both = [
        TimedLookup("2026-12-07T14:00:00.100Z", RESOLVED, ["10.244.1.5"]),
        TimedLookup("2026-12-07T14:00:02.700Z", RESOLVED, ["10.244.1.5"]),
        TimedLookup("2026-12-07T14:00:03.000Z", RESOLVED, ["10.244.1.5"]),
        TimedLookup("2026-12-07T14:00:03.600Z", NOT_FOUND),
        TimedLookup("2026-12-07T14:00:04.600Z", RESOLVED, ["10.244.2.9"]),
    ]
    (check,) = dns_after_delete_checks(E, replace(DONE, lookups=both), observation())
    # The answer asked in the very millisecond the pod was seen Ready is not counted after it.
    assert check.observed.endswith(
        "once the new pod was Ready: the old IP still 0.3 s after it (1 answer), 'not found' still 0.9 s after it "
        "(1 answer)"
    )
    later = [*both[:3], TimedLookup("2026-12-07T14:00:03.300Z", RESOLVED, ["10.244.1.5"]), *both[3:]]
    (check,) = dns_after_delete_checks(E, replace(DONE, lookups=later), observation())
    assert "the old IP still 0.6 s after it (2 answers)" in check.observed


def test_a_failure_without_a_problem_adds_nothing_after_its_evidence_and_expects_the_new_ip() -> None:
    (check,) = dns_after_delete_checks(E, replace(DONE, lookups=ANSWERS[:4]), observation())
    assert check.observed.endswith("once the new pod was Ready: 'not found' still 1.2 s after it (1 answer)")
    assert check.expected == (
        "web-sts-0.nginx-sts ends up answering with the new pod's IP once it is Ready "
        "(on the way the old IP or 'not found', each cached for a while)"
    )

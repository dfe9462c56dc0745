"""The delete-claim lesson's checks: the claim held under its running pod,
then the pod back on a new, empty claim; each fails on the state a wrong
cluster leaves."""

from __future__ import annotations

from dataclasses import replace

from probes.checks.claim_lesson import delete_claim_checks
from probes.facts import FAILED, INCONCLUSIVE, PASSED
from probes.lesson_record import LessonRecord
from tests.unit.test_probe_checks import E, observation

DONE = LessonRecord(
    lesson="delete-claim",
    started="2026-12-07T05:10:00Z",
    finished="2026-12-07T05:10:20Z",
    ordinal=1,
    written={"web-sts-1": "web-sts-1"},
    served_before={"web-sts-1": "web-sts-1"},
    served={"web-sts-1": "<html><head><title>403 Forbidden</title></head></html>"},
    claims_before={"www-web-sts-0": "uid-0", "www-web-sts-1": "uid-1-old"},
    claims_after={"www-web-sts-0": "uid-0", "www-web-sts-1": "uid-1-new"},
    claim_held=True,
)


def verdicts(record: LessonRecord) -> list[str]:
    return [c.verdict for c in delete_claim_checks(E, record, observation())]


def test_a_claim_held_under_its_pod_then_made_anew_and_empty_passes() -> None:
    held, fresh = delete_claim_checks(E, DONE, observation())
    assert (held.verdict, fresh.verdict) == (PASSED, PASSED)
    assert held.observed == "www-web-sts-1: still there, Terminating, while web-sts-1 ran (the same pod)"
    assert fresh.observed.startswith("www-web-sts-1: uid uid-1-old before, uid-1-new after; web-sts-1 wrote")


def test_a_claim_gone_while_its_pod_ran_fails_the_first() -> None:
    """A cluster without the claim protection (its admission plugin turned off)."""
    assert verdicts(replace(DONE, claim_held=False)) == [FAILED, PASSED]


def test_the_same_claim_or_the_old_page_after_the_pod_came_back_fails_the_second() -> None:
    kept = replace(DONE, claims_after=DONE.claims_before)
    assert verdicts(kept) == [PASSED, FAILED]
    still_served = replace(DONE, served={"web-sts-1": "web-sts-1"})
    assert verdicts(still_served) == [PASSED, FAILED]


def test_a_lesson_that_could_not_finish_leaves_both_inconclusive() -> None:
    cut = replace(DONE, claim_held=None, claims_after={}, problem="not within 180s: web-sts-1 Ready again")
    assert verdicts(cut) == [INCONCLUSIVE, INCONCLUSIVE]

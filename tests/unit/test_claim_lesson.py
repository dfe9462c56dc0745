"""The delete-claim lesson's checks: the claim held under its running pod,
then the pod back on a new, empty claim; each fails on the state a wrong
cluster leaves."""

from __future__ import annotations

from dataclasses import replace

from probes.checks.claim_lesson import delete_claim_checks
from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, PASSED, Check
from probes.lesson_record import LessonRecord, VolumeFate
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


OLD_VOLUME = VolumeFate(
    "pvc-uid-1-old", "lab-worker-0", "/opt/local-path-provisioner/pvc-uid-1-old_lab_www-web-sts-1", "Delete"
)
VOLUME = "[statefulset] the deleted claim's volume goes with it (reclaimPolicy Delete), its directory too"


def volume_check(fate: VolumeFate, problem: str = "") -> Check:
    checks = delete_claim_checks(E, replace(DONE, old_volume=fate, problem=problem), observation())
    (check,) = [c for c in checks if f"[{c.workload}] {c.name}" == VOLUME]
    return check


def test_the_old_volume_gone_from_the_api_and_the_disk_passes() -> None:
    check = volume_check(replace(OLD_VOLUME, gone=True, on_disk=False))
    assert check.verdict == PASSED
    assert check.observed == (
        "pvc-uid-1-old (reclaimPolicy Delete) on lab-worker-0 at /opt/local-path-provisioner/pvc-uid-1-old_lab_www-"
        "web-sts-1: gone from the API, and its directory from lab-worker-0's disk"
    )
    assert check.expected == "the volume of the old www-web-sts-1 deleted, and its directory removed from its node"


def test_a_volume_the_api_describes_in_part_says_what_it_lacks() -> None:
    check = volume_check(VolumeFate("pvc-x", "", "", "", gone=True))
    assert check.verdict == NOT_APPLICABLE
    assert (
        check.observed == "pvc-x (reclaimPolicy ?) on ? at ?: a policy that keeps the volume, Released, with its data"
    )


def test_a_directory_left_on_the_disk_fails() -> None:
    """A provisioner whose clean-up did nothing (its helper pod ran in the wrong place, say)."""
    check = volume_check(replace(OLD_VOLUME, gone=True, on_disk=True))
    assert check.verdict == FAILED and "its directory is still on lab-worker-0's disk" in check.observed


def test_a_volume_still_in_the_api_after_the_wait_fails() -> None:
    """The provisioner could not delete it (its helper pod's image cannot be pulled, say)."""
    check = volume_check(replace(OLD_VOLUME, gone=False))
    assert check.verdict == FAILED
    assert check.observed.endswith(": still in the API after the lesson's wait (the provisioner did not delete it)")


def test_off_the_lab_cluster_the_api_alone_says_it() -> None:
    check = volume_check(replace(OLD_VOLUME, gone=True))
    assert check.verdict == PASSED
    assert check.observed.endswith(": gone from the API (only on the lab cluster is the node's disk looked at)")


def test_a_retained_volume_is_not_applicable_and_an_unwaited_one_inconclusive() -> None:
    assert volume_check(replace(OLD_VOLUME, reclaim_policy="Retain")).verdict == NOT_APPLICABLE
    unwaited = volume_check(OLD_VOLUME, problem="web-sts-1 Ready again: not within 180 s")
    assert unwaited.verdict == INCONCLUSIVE
    assert unwaited.observed.endswith(": the lesson did not wait for it (web-sts-1 Ready again: not within 180 s)")
    assert volume_check(OLD_VOLUME).observed.endswith(": the lesson did not wait for it")


def test_a_record_without_the_old_volume_leaves_the_check_out() -> None:
    assert [c.name for c in delete_claim_checks(E, DONE, observation())] == [
        "a claim deleted under its running pod stays, Terminating, until the pod goes",
        "the pod comes back on a new, empty claim: the page it wrote is gone",
    ]


def test_the_record_carries_the_old_volume_through_json() -> None:
    record = replace(DONE, old_volume=replace(OLD_VOLUME, gone=True, on_disk=False))
    assert LessonRecord.from_json(record.to_json()) == record

"""The delete-claim lesson, judged: a claim deleted under its running pod is
held until the pod goes (the claim protection), and the pod then comes back
on a new, empty claim of the same name, without the page it wrote; the old
claim's volume goes with it when its reclaimPolicy is Delete, its directory
removed from the node's disk."""

from __future__ import annotations

from probes.checks.common import make_check
from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, PASSED, Check, Expectations, Observation, Verdict
from probes.lesson_record import LessonRecord, VolumeFate


def _held(claim: str, pod: str, r: LessonRecord) -> tuple[Verdict, str]:
    if r.claim_held is None:
        return INCONCLUSIVE, f"the lesson did not look at {claim} while {pod} ran" + (
            f" ({r.problem})" if r.problem else ""
        )
    if r.claim_held:
        return PASSED, f"{claim}: still there, Terminating, while {pod} ran (the same pod)"
    return FAILED, f"{claim}: gone (or {pod} replaced) before {pod} was deleted"


def _new_and_empty(claim: str, pod: str, r: LessonRecord) -> tuple[Verdict, str]:
    old, new = r.claims_before.get(claim), r.claims_after.get(claim)
    wrote, serves = r.written.get(pod), r.served.get(pod, "(not read)")
    seen = f"{claim}: uid {old or '?'} before, {new or 'none'} after; {pod} wrote {wrote!r}, serves {serves!r} now"
    if r.problem or old is None or new is None or wrote is None:
        return INCONCLUSIVE, seen + (f"; {r.problem}" if r.problem else "")
    if new == old or serves == wrote:
        return FAILED, seen
    return PASSED, seen


def _old_volume(v: VolumeFate, problem: str) -> tuple[Verdict, str]:
    seen = f"{v.name} (reclaimPolicy {v.reclaim_policy or '?'}) on {v.node or '?'} at {v.path or '?'}"
    if v.reclaim_policy != "Delete":
        return NOT_APPLICABLE, seen + ": a policy that keeps the volume, Released, with its data"
    if v.gone is None:
        return INCONCLUSIVE, seen + ": the lesson did not wait for it" + (f" ({problem})" if problem else "")
    if not v.gone:
        return FAILED, seen + ": still in the API after the lesson's wait (the provisioner did not delete it)"
    if v.on_disk is None:
        return PASSED, seen + ": gone from the API (only on the lab cluster is the node's disk looked at)"
    if v.on_disk:
        return FAILED, seen + f": gone from the API, but its directory is still on {v.node}'s disk"
    return PASSED, seen + f": gone from the API, and its directory from {v.node}'s disk"


def _volume_check(claim: str, r: LessonRecord) -> list[Check]:
    """Left out for a record from before the lesson noted the old volume."""
    if r.old_volume is None:
        return []
    verdict, seen = _old_volume(r.old_volume, r.problem)
    return [
        make_check(
            "the deleted claim's volume goes with it (reclaimPolicy Delete), its directory too",
            "statefulset",
            verdict,
            f"the volume of the old {claim} deleted, and its directory removed from its node",
            seen,
        )
    ]


def delete_claim_checks(e: Expectations, r: LessonRecord, o: Observation) -> list[Check]:
    pod = e.names.pod(r.ordinal if r.ordinal is not None else e.ordinals_start)
    claim = e.names.claim_of(pod)
    held, held_seen = _held(claim, pod, r)
    fresh, fresh_seen = _new_and_empty(claim, pod, r)
    return [
        make_check(
            "a claim deleted under its running pod stays, Terminating, until the pod goes",
            "statefulset",
            held,
            f"{claim} kept by the claim protection while {pod} uses it",
            held_seen,
        ),
        make_check(
            "the pod comes back on a new, empty claim: the page it wrote is gone",
            "statefulset",
            fresh,
            f"{pod} on a new {claim} (another uid), no longer serving what it wrote",
            fresh_seen,
        ),
        *_volume_check(claim, r),
    ]

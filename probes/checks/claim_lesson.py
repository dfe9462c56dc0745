"""The delete-claim lesson, judged: a claim deleted under its running pod is
held until the pod goes (the claim protection), and the pod then comes back
on a new, empty claim of the same name, without the page it wrote."""

from __future__ import annotations

from probes.checks.common import make_check
from probes.facts import FAILED, INCONCLUSIVE, PASSED, Check, Expectations, Observation, Verdict
from probes.lesson_record import LessonRecord


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
    ]

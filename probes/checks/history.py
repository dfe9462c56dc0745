"""Revision history: going back to an earlier template.

The StatefulSet keeps one ControllerRevision per pod template it has had. When
the template goes back to one it had before (the config reverted: Pulumi's way
of `kubectl rollout undo`), the controller finds that revision, gives it the
next number and rolls the pods to it: they carry its old hash again. A third
revision for the same template would mean the pods move to something new, not
back. The check is left out where no template came back.
"""

from __future__ import annotations

from probes.checks.common import make_check
from probes.facts import FAILED, PASSED, Check, Expectations, Observation, Revision, Verdict
from probes.parse import parse_time

EXPECTED = (
    "the update revision is the ControllerRevision first made for that template, renumbered, "
    "and no other revision holds the same template"
)


def _describe(r: Revision) -> str:
    return f"{r.name} (#{r.number}, {', '.join(r.images) or 'no image'}, made {r.created[11:19]})"


def _brought_back(update: Revision, revisions: list[Revision]) -> bool:
    """The update revision was made before a revision numbered below it: it came back and got a new number."""
    made = parse_time(update.created)
    return any(r.number < update.number and parse_time(r.created) > made for r in revisions)


def _images_changed_since(earlier: Revision, update: Revision, revisions: list[Revision]) -> bool:
    """Another image came between them: the images went away and came back, not just stayed."""
    return any(earlier.number < r.number < update.number and r.images != update.images for r in revisions)


def check_revision_history(e: Expectations, o: Observation) -> list[Check]:
    del e  # the revisions alone say whether a template came back
    sts, revisions = o.statefulset, o.revisions or []
    update = next((r for r in revisions if sts is not None and r.name == sts.update_revision), None)
    if update is None or any(not r.template for r in revisions):
        return []  # no revisions listed, or listed before their templates were read
    older = [r for r in revisions if r is not update]
    same_template = [r for r in older if r.template == update.template]
    same_images = [r for r in older if r.images == update.images and _images_changed_since(r, update, revisions)]
    back = _brought_back(update, revisions)
    if not back and not same_images:
        return []
    on_it = [p.name for p in o.statefulset_pods if p.revision == update.name]
    lines = [f"update revision {_describe(update)}", "others: " + "; ".join(_describe(r) for r in older)]
    verdict: Verdict
    if same_template:
        verdict = FAILED
        lines.append(f"{', '.join(r.name for r in same_template)} holds the same template: a third revision")
    elif back:
        verdict = PASSED
        lines.append("it is the revision first made for this template, renumbered")
    else:
        verdict = FAILED
        earlier = same_images[-1]
        lines.append(
            f"the images are {earlier.name}'s again, but the template differs in more than the image, "
            f"so the pods move to a new revision, not back to {earlier.name}"
        )
    lines.append(f"pods on it: {', '.join(on_it) or 'none yet'}")
    name = "going back to an earlier template returns the pods to its revision, not a third one"
    return [make_check(name, "statefulset", verdict, EXPECTED, "; ".join(lines))]

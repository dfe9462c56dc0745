"""Which template a StatefulSet pod runs, told from the StatefulSet's
ControllerRevisions rather than from `status.currentRevision`.

`currentRevision` is not "what the pods had before the template changed":
once every pod runs the update revision (a partition lowered to 0 and raised
again, say) the controller moves it to the update revision. A pod below the
partition that was rolled then matches it, so comparing with it proves
nothing. The ControllerRevisions keep the history: each template the
StatefulSet had is one revision, numbered, created when the template first
appeared (a template brought back, by a revert, keeps its object and gets a
new number). So a pod on the update revision that was created after its
revision appeared was created under the new template: below the partition,
it was rolled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from probes.facts import PodFacts, Revision, StatefulSetFacts
from probes.parse import parse_time

Fate = Literal["kept", "rolled", "unchanged", "unknown"]
"""What became of a pod the update strategy should not move: it kept an older
template; it was rolled to the new one; the template never changed (nothing to
keep); or the evidence cannot tell."""


@dataclass(frozen=True)
class TemplateChange:
    """The StatefulSet's latest template change, as far as the evidence shows."""

    update: str
    """The update revision: the template pods are moved to."""
    previous: Revision | None
    """The template before it (the highest-numbered older revision); None: never changed."""
    since: str | None
    """When the template became the update revision, when its revision was made
    for it (not brought back by a revert); None when not known."""
    fallback_current: str | None = None
    """Without the revisions (a document from before they were listed): the
    StatefulSet's currentRevision, the old template only while it differs."""


def template_change(sts: StatefulSetFacts, revisions: list[Revision] | None) -> TemplateChange:
    if revisions is None:
        return TemplateChange(sts.update_revision, None, None, fallback_current=sts.current_revision)
    update = next((r for r in revisions if r.name == sts.update_revision), None)
    if update is None:
        return TemplateChange(sts.update_revision, None, None, fallback_current=sts.current_revision)
    older = [r for r in revisions if r.number < update.number]
    previous = max(older, key=lambda r: r.number) if older else None
    fresh = previous is not None and all(parse_time(r.created) <= parse_time(update.created) for r in older)
    return TemplateChange(sts.update_revision, previous, update.created if fresh else None)


def _fate_without_revisions(pod: PodFacts, change: TemplateChange) -> tuple[Fate, str]:
    if change.fallback_current != change.update:
        return "rolled", f"{pod.name} @{pod.revision}, the update revision"
    return "unknown", (
        f"{pod.name} @{pod.revision}: the revisions were not listed, and once every pod is updated the "
        "current revision is the update revision, so this cannot tell a kept pod from a rolled one"
    )


def _fate_since(pod: PodFacts, since: str) -> tuple[Fate, str]:
    if parse_time(pod.created) >= parse_time(since):
        return "rolled", f"{pod.name} @{pod.revision} created {pod.created}, after the template changed at {since}"
    return "kept", f"{pod.name} @{pod.revision} created {pod.created}, before the template changed"


def fate(pod: PodFacts, change: TemplateChange) -> tuple[Fate, str]:
    """What became of a pod that should keep its template, and the evidence."""
    if pod.revision != change.update:
        return "kept", f"{pod.name} @{pod.revision}, not the update revision {change.update}"
    if change.fallback_current is not None:
        return _fate_without_revisions(pod, change)
    if change.previous is None:
        return "unchanged", f"{pod.name} @{pod.revision}: the StatefulSet has had no other template"
    if change.since is not None:
        return _fate_since(pod, change.since)
    if parse_time(pod.created) < parse_time(change.previous.created):
        return "kept", f"{pod.name} @{pod.revision} since before {change.previous.name} ({change.previous.created})"
    return "unknown", (
        f"{pod.name} @{pod.revision} created {pod.created}: the template came back to {change.update} "
        "at a time no revision records"
    )

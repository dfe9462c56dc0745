"""Who did what to each life of a pod on the timeline: the actions of the
probe document (probes.actors) matched to the life by the pod's name and
the time. A create under a generated name (a Deployment's pods) names no
pod in the audit log; the ReplicaSet controller's event does, so the
controllers' events fill in where the document's actions say nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from probes.actors import actions_from_events
from probes.document import ProbeDocument
from probes.facts import Action
from probes.parse import parse_time

NEAR: timedelta = timedelta(seconds=2)
"""Events and audit entries carry one-second times, and a create's request
comes just before the pod it makes."""


def _created_by(actions: list[Action], pod: str, start: datetime) -> str:
    made = (
        a
        for a in actions
        if a.kind == "pod" and a.verb == "created" and a.name == pod and abs(parse_time(a.time) - start) <= NEAR
    )
    return next((a.actor for a in made), "")


def _ended_by(actions: list[Action], pod: str, start: datetime, end: datetime | None) -> tuple[str, str]:
    """The first delete or eviction of this life: who asked for its end (a kubelet's final removal comes after)."""
    ending = (
        a
        for a in actions
        if a.kind == "pod" and a.verb in ("deleted", "evicted") and a.name == pod and start - NEAR <= parse_time(a.time)
        and (end is None or parse_time(a.time) <= end + NEAR)
    )  # fmt: skip
    first = next(ending, None)
    return (first.verb, first.actor) if first else ("", "")


class Actors:
    """The document's actions, with the controllers' events behind them."""

    def __init__(self, doc: ProbeDocument) -> None:
        self.primary = doc.actions
        self.fallback = actions_from_events(doc.events)
        self.source = doc.actions_source or "the controllers' events (this document names no other source)"

    def of_life(self, pod: str, start: datetime, end: datetime | None) -> str:
        """`created by X; deleted by Y` for the life; empty when nothing is known."""
        parts = []
        created = _created_by(self.primary, pod, start) or _created_by(self.fallback, pod, start)
        if created:
            parts.append(f"created by {created}")
        verb, actor = _ended_by(self.primary, pod, start, end)
        if not actor:
            verb, actor = _ended_by(self.fallback, pod, start, end)
        if actor:
            parts.append(f"{verb} by {actor}")
        return "; ".join(parts)

"""A tour made from recorded lesson documents (tests/fixtures/lessons), no
cluster: every captured step of the tutorial with its real run's document,
one step whose `up` failed against the lesson and left no document, and one
the tour never reached."""

from __future__ import annotations

from labstack.experiments import TUTORIAL, Step
from labstack.step_runner import StepResult
from tests.unit.documents import load
from tour.page import TourRun

BROKEN = "orphan-set-up"
"""A step whose `up` failed against the lesson: no document."""
NOT_RUN = "nodes"
"""A step the tour stopped before."""


def recorded_steps() -> tuple[Step, ...]:
    return tuple(s for s in TUTORIAL if s.captured or s.name in (BROKEN, NOT_RUN))


def recorded_tour() -> TourRun:
    results = {
        s.name: StepResult(s.name, "2026-12-06T22:00:00Z", 30.0 + i, load(s.name))
        for i, s in enumerate(recorded_steps())
        if s.captured
    }
    results[BROKEN] = StepResult(BROKEN, "2026-12-06T22:00:00Z", 12.0, None, problem="up failed: no such cluster")
    return TourRun(
        recorded_steps(), results, seconds=842.0, started_at="2026-12-06T22:00:00Z", notes=["The tour was interrupted."]
    )

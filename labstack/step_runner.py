"""Runs one step of the tutorial (labstack.experiments) on a stack through the
Automation API, as a learner's `make up` (and, after an `up` that fails on
purpose, `make report`) would, and keeps what it showed: the probe document,
how long it took and how its `up` ended. `make tour` and
tests/fixtures/capture_lessons.py both run their steps through here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from labstack.automation import LabStack, StackOperationError
from labstack.experiments import Step
from probes.document import DocumentError, ProbeDocument, document_from_json


@dataclass(frozen=True)
class StepResult:
    """What one step showed."""

    step: str
    """The step's name (labstack.experiments.TUTORIAL)."""
    started_at: str
    """When it began, ISO 8601 UTC."""
    seconds: float
    """How long its `up` (with the refresh before and the report after) took."""
    document: ProbeDocument | None
    """The probe document it ended with; None when there is none to read."""
    up_failure: str = ""
    """How its `up` failed, when it failed as the step means it to."""
    problem: str = ""
    """What went wrong that the step does not mean: an `up` that failed, or did
    not fail, against the lesson, or no probe document. Empty when it ran as meant."""

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "started_at": self.started_at,
            "seconds": self.seconds,
            "document": json.loads(self.document.to_json()) if self.document else None,
            "up_failure": self.up_failure,
            "problem": self.problem,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> StepResult:
        """Read back from `to_json`; DocumentError when the document is of an older lab."""
        stored = raw.get("document")
        return cls(
            step=str(raw["step"]),
            started_at=str(raw["started_at"]),
            seconds=float(raw["seconds"]),
            document=document_from_json(stored) if stored else None,
            up_failure=str(raw.get("up_failure", "")),
            problem=str(raw.get("problem", "")),
        )


def first_line(error: Exception, limit: int = 300) -> str:
    return (str(error).splitlines() or [""])[0][:limit]


def run_step(stack: LabStack, step: Step, going_on: Callable[[], bool] = lambda: True) -> StepResult:
    """Sets the step's config, brings the stack up (refreshing first where it says so)
    and reads the verdicts; a failed `up` is followed by a fresh observation,
    as `make report` makes, so it too ends in verdicts, unless `going_on()`
    says the run is being stopped (Ctrl-C also cancels the `up`)."""
    started_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    start = time.monotonic()
    up_failure = problem = ""
    try:
        if step.config:
            stack.configure(**step.settings)
        try:
            # `make up REFRESH=1` is one `pulumi up --refresh`: the same here.
            stack.up(step.name, refresh=step.refresh)
        except StackOperationError as err:
            if step.up_fails:
                up_failure = first_line(err)
            else:
                problem = f"up failed: {first_line(err)}"
            if not going_on():
                raise StackOperationError("stopped before observing the failed up again") from err
            stack.observe_again()
        else:
            if step.up_fails:
                problem = "up succeeded, but this step's lesson is an up that fails"
        document = stack.probes()
    except (StackOperationError, DocumentError, AssertionError) as err:
        document = None
        problem = problem or f"no verdicts: {first_line(err)}"
    return StepResult(step.name, started_at, round(time.monotonic() - start, 1), document, up_failure, problem)

"""The tour's line per step: step i of n, its verdicts, the time so far and
what is left."""

from __future__ import annotations

import pytest

from labstack.step_runner import StepResult
from probes.facts import counts
from tests.unit.documents import load
from tour.progress import Remaining, clock, estimate_left, progress_line, verdict_summary


def result(step: str = "canary", **changes: object) -> StepResult:
    fields: dict[str, object] = {"document": load(step), "seconds": 41.0} | changes
    return StepResult(step, "2026-12-06T22:00:00Z", **fields)  # type: ignore[arg-type]


def tally(step: str) -> str:
    """The step's verdict counts as the line shows them (the checks may change; the format may not)."""
    return ", ".join(f"{n} {verdict}" for verdict, n in counts(load(step).checks).items() if n)


def test_clock_shows_minutes_and_seconds() -> None:
    assert [clock(s) for s in (0, 42.4, 60, 185, 3599.6)] == ["0s", "42s", "1m00s", "3m05s", "60m00s"]


def test_nothing_is_estimated_before_a_step_ended() -> None:
    assert estimate_left([], Remaining(10, 6, 4)) is None


def test_steps_side_by_side_share_the_lanes_and_the_ones_alone_add_up() -> None:
    assert estimate_left([30.0, 50.0], Remaining(side_by_side=8, alone=6, lanes=4)) == 40 * (8 / 4 + 6)


def test_with_no_lane_left_the_rest_is_counted_one_after_another() -> None:
    assert estimate_left([60.0], Remaining(0, 3, 0)) == 180


def test_the_line_names_the_step_its_verdicts_and_the_time() -> None:
    line = progress_line(7, 35, "staging", result(), elapsed=190, left=500)
    assert line == f"[ 7/35] canary (staging, 41s): {tally('canary')}  3m10s so far, about 8m20s left"


def test_the_last_line_says_done() -> None:
    assert progress_line(3, 3, "staging", result(), 100, 0).endswith("1m40s so far, done")


def test_a_step_whose_up_failed_as_meant_says_so() -> None:
    line = verdict_summary(result("rollback-stalled", up_failure="pulumi up of stack tour-rollback failed"))
    assert line == f"{tally('rollback-stalled')}; up failed, as the lesson means it to"


@pytest.mark.parametrize(
    ("document", "problem", "expected"),
    [
        (None, "up failed: no cluster", "NO VERDICTS (up failed: no cluster)"),
        ("canary", "up succeeded, but this step's lesson is an up that fails", f"{tally('canary')}; up succeeded"),
    ],
)
def test_a_step_that_did_not_run_as_meant_says_what_went_wrong(
    document: str | None, problem: str, expected: str
) -> None:
    shown = verdict_summary(result(document=load(document) if document else None, problem=problem))
    assert shown.startswith(expected)

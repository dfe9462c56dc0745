"""The tour's one line per step: which step of how many, how it ended, the
time so far and about how much is left.

The estimate assumes each step left takes as long as the steps so far did on
average; the experiments still side by side share the run's lanes, and the
ones that must run alone add their steps one after another.
"""

from __future__ import annotations

from dataclasses import dataclass

from labstack.step_runner import StepResult
from probes.facts import counts


def clock(seconds: float) -> str:
    """3m05s, or 42s under a minute."""
    whole = round(seconds)
    return f"{whole // 60}m{whole % 60:02d}s" if whole >= 60 else f"{whole}s"


def step_count(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"


@dataclass(frozen=True)
class Remaining:
    side_by_side: int
    """Steps not yet ended of the experiments that run side by side."""
    alone: int
    """Steps not yet ended of the experiments that run alone."""
    lanes: int
    """How many experiments can still run at once (at least 1)."""


def estimate_left(step_seconds: list[float], remaining: Remaining) -> float | None:
    """Seconds the rest should take; None before any step has ended."""
    if not step_seconds:
        return None
    mean = sum(step_seconds) / len(step_seconds)
    return mean * (remaining.side_by_side / max(remaining.lanes, 1) + remaining.alone)


def verdict_summary(result: StepResult) -> str:
    """The step's verdict counts, or what kept it from having any."""
    if result.document is None:
        return f"NO VERDICTS ({result.problem})" if result.problem else "no verdicts"
    tally = ", ".join(f"{n} {verdict}" for verdict, n in counts(result.document.checks).items() if n)
    summary = tally or "no checks"
    if result.problem:
        summary += f"; {result.problem}"
    elif result.up_failure:
        summary += "; up failed, as the lesson means it to"
    return summary


def progress_line(done: int, total: int, stack: str, result: StepResult, elapsed: float, left: float | None) -> str:
    """`[ 7/35] canary (staging, 41s): 17 passed, ...  3m10s so far, about 8m20s left`."""
    width = len(str(total))
    estimate = "" if left is None else (f", about {clock(left)} left" if done < total else ", done")
    return (
        f"[{done:>{width}}/{total}] {result.step} ({stack}, {clock(result.seconds)}): {verdict_summary(result)}"
        f"  {clock(elapsed)} so far{estimate}"
    )

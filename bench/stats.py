"""Repeated samples and their summary (median and spread)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass
class Series:
    """Wall times of one measured thing, in seconds."""

    name: str
    samples: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.samples.append(round(seconds, 3))

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def spread(self) -> str:
        if not self.samples:
            return "-"
        return f"{min(self.samples):.1f}-{max(self.samples):.1f}"

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "samples": self.samples, "median": self.median}


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.monotonic()
    result = fn()
    return result, time.monotonic() - start


def ratio(a: Series, b: Series) -> float:
    return a.median / b.median if b.median else float("nan")

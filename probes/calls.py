"""How the probes call the cluster: kube.runner, with one time limit per call.

Whatever goes wrong with a call (no kubectl, no answer in time, a refusal) is
a ProbeError naming the call, which `python -m probes observe` reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from kube.runner import Runner

T = TypeVar("T")
R = TypeVar("R")
WORKERS = 8
"""kubectl calls run side by side: each costs a process start, mostly waiting."""


class ProbeError(RuntimeError):
    """The cluster could not be observed; the message says which call failed and why."""


class Kubectl(Runner):
    """Runs kubectl argv lists, each for at most `timeout_seconds`; a failed call is a ProbeError."""

    def __init__(self, timeout_seconds: int) -> None:
        super().__init__(ProbeError, timeout_seconds)


def parallel(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """fn over items, WORKERS at a time, results in the order of items."""
    items = list(items)
    if not items:
        return []
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(items))) as pool:
        return list(pool.map(fn, items))

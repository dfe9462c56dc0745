"""What the processes of one end-to-end run share when pytest-xdist runs the
scenarios side by side: one folder, named by the controlling process, that
holds the copy of the project, the file backend, the locks and the record of
finished tests.

The scenarios mostly wait (for pods, DNS, Pulumi's own start), so several
run at once; what they cannot share is ordered here:
- `lock(name)`: one process at a time (creating the set-up stack, installing
  local-path), across the worker processes;
- `finished(...)` and `wait_for(...)`: the node experiments take workers
  away, so they start only once every other test of the run has ended;
- `teardown_began(...)`, `teardown_ended(...)` and `wait_for_teardowns(...)`:
  a scenario's stacks are destroyed in the background after its test
  (tests/background_teardown.py), and the node experiments wait for those
  destroys too.
Without xdist the one process is both controller and worker, and the same
code holds (each wait is then already satisfied).
"""

from __future__ import annotations

import fcntl
import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

RUN_FOLDER = pytest.StashKey[Path]()
"""Where tests/conftest.py keeps the run's folder in pytest's config."""
FINISHED = "finished-tests"
TIMINGS = "timings"
TIMELINE = "timeline"
"""One JSON line per ended test: its worker, node id, start and end (wall clock)."""
PENDING_TEARDOWNS = "pending-teardowns"
"""A folder with one file per stack whose background destroy has not ended."""


@dataclass(frozen=True)
class SharedRun:
    folder: Path

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """Held by one process of the run at a time; released when the block ends, or the process dies."""
        with (self.folder / f"{name}.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def mark(self, name: str, value: dict[str, str]) -> None:
        (self.folder / f"{name}.json").write_text(json.dumps(value))

    def marked(self, name: str) -> dict[str, str] | None:
        path = self.folder / f"{name}.json"
        return json.loads(path.read_text()) if path.exists() else None

    def finished(self, nodeid: str) -> None:
        # One short line per append: O_APPEND keeps concurrent writers' lines whole.
        with (self.folder / FINISHED).open("a") as handle:
            handle.write(nodeid + "\n")

    def ran(self, worker: str, nodeid: str, start: float, end: float) -> None:
        line = json.dumps({"worker": worker, "test": nodeid, "start": start, "end": end})
        with (self.folder / TIMELINE).open("a") as handle:
            handle.write(line + "\n")

    def timeline(self) -> list[dict[str, object]]:
        path = self.folder / TIMELINE
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def finished_tests(self) -> set[str]:
        path = self.folder / FINISHED
        return set(path.read_text().splitlines()) if path.exists() else set()

    def wait_for(self, nodeids: Iterable[str], timeout: float, poll: float = 2.0) -> list[str]:
        """Waits until every test named has ended; returns those that had not when the time ran out."""
        wanted = set(nodeids)
        return _wait_until_none_left(lambda: sorted(wanted - self.finished_tests()), timeout, poll)

    def teardown_began(self, stack: str) -> None:
        pending = self.folder / PENDING_TEARDOWNS
        pending.mkdir(exist_ok=True)
        (pending / stack).touch()

    def teardown_ended(self, stack: str) -> None:
        (self.folder / PENDING_TEARDOWNS / stack).unlink(missing_ok=True)

    def pending_teardowns(self) -> list[str]:
        pending = self.folder / PENDING_TEARDOWNS
        return sorted(p.name for p in pending.iterdir()) if pending.exists() else []

    def wait_for_teardowns(self, timeout: float, poll: float = 2.0) -> list[str]:
        """Waits until no stack of the run is being destroyed; returns those still
        being destroyed when the time ran out."""
        return _wait_until_none_left(self.pending_teardowns, timeout, poll)

    def record_timings(self, worker: str, rows: list[tuple[float, str, str]]) -> None:
        (self.folder / f"{TIMINGS}-{worker}.json").write_text(json.dumps(rows))

    def timings(self) -> list[tuple[float, str, str]]:
        rows: list[tuple[float, str, str]] = []
        for path in sorted(self.folder.glob(f"{TIMINGS}-*.json")):
            rows += [(float(s), str(stack), str(label)) for s, stack, label in json.loads(path.read_text())]
        return rows


def _wait_until_none_left(left_now: Callable[[], list[str]], timeout: float, poll: float) -> list[str]:
    """Polls `left_now` until it is empty or the time runs out; what was left last."""
    deadline = time.monotonic() + timeout
    while True:
        left = left_now()
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(poll)


def shared_run(config: pytest.Config) -> SharedRun:
    return SharedRun(config.stash[RUN_FOLDER])

"""The background destroys of scenario stacks: each stack destroyed, the last
made first; a failure reported with the stack and its test, never lost; and
the run's record of pending destroys, which the node experiments wait on,
cleared whatever happened."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from tests.background_teardown import BackgroundTeardowns
from tests.shared_run import SharedRun


@dataclass(frozen=True)
class FakeStack:
    name: str


def test_a_tests_stacks_are_destroyed_last_made_first_and_then_no_longer_pending(tmp_path: Path) -> None:
    run = SharedRun(tmp_path)
    removed: list[str] = []
    release = threading.Event()

    def remove(stack: FakeStack) -> None:
        release.wait(timeout=10)
        removed.append(stack.name)

    teardowns = BackgroundTeardowns(run, remove)
    teardowns.submit("tests/e2e/test_x.py::test_a", [FakeStack("e2e-first"), FakeStack("e2e-second")])
    assert run.pending_teardowns() == ["e2e-first", "e2e-second"]
    assert run.wait_for_teardowns(timeout=0.1, poll=0.05) == ["e2e-first", "e2e-second"]
    release.set()
    assert teardowns.finish() == []
    assert removed == ["e2e-second", "e2e-first"]
    assert run.pending_teardowns() == []
    assert run.wait_for_teardowns(timeout=0.1) == []


def test_a_failed_destroy_is_reported_with_its_stack_and_test_and_the_others_still_run(tmp_path: Path) -> None:
    run = SharedRun(tmp_path)
    removed: list[str] = []

    def remove(stack: FakeStack) -> None:
        if stack.name == "e2e-stuck":
            raise RuntimeError("namespace e2e-stuck still terminating after 10m")
        removed.append(stack.name)

    teardowns = BackgroundTeardowns(run, remove)
    teardowns.submit("tests/e2e/test_x.py::test_a", [FakeStack("e2e-kept"), FakeStack("e2e-stuck")])
    teardowns.submit("tests/e2e/test_x.py::test_b", [])
    assert teardowns.finish() == [
        "the stack e2e-stuck of tests/e2e/test_x.py::test_a could not be destroyed: "
        "namespace e2e-stuck still terminating after 10m"
    ]
    assert removed == ["e2e-kept"]
    assert run.pending_teardowns() == []

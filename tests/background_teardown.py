"""A scenario's stacks are destroyed in the background once its test ends.

A destroy is mostly waiting (the namespace controller holds every deletion
for 5 s, then waits for the pods to stop and the claims to go): about 15 s
in which the worker could run the next scenario. So the test's teardown
hands its stacks to a thread of the worker and returns, and the destroy
keeps its full weight as a test of its own:

- every stack is still destroyed with `pulumi destroy` (its guard, drain and
  probe clean-up commands run as on a learner's machine) and then removed;
- the node experiments, which stop and drain workers, wait until no destroy
  of the run is pending (tests/shared_run.py), as they wait for the tests;
- the process waits for its destroys before its session ends, so the set-up
  stack is destroyed last, and a destroy that failed fails the run there,
  naming the stack and the test that made it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, Protocol, TypeVar

from tests.shared_run import SharedRun

DESTROYS_AT_ONCE = 3
"""Per process: each worker's tests follow one another, so more than a few
destroys of one worker rarely overlap."""


class Named(Protocol):
    @property
    def name(self) -> str: ...


Stack = TypeVar("Stack", bound=Named)


class BackgroundTeardowns(Generic[Stack]):
    def __init__(self, run: SharedRun, remove: Callable[[Stack], None]) -> None:
        """`remove(stack)` destroys and removes one stack; it raises what went wrong."""
        self._run = run
        self._remove = remove
        self._pool = ThreadPoolExecutor(max_workers=DESTROYS_AT_ONCE, thread_name_prefix="teardown")
        self._jobs: list[Future[None]] = []
        self._failures: list[str] = []
        self._lock = threading.Lock()

    def submit(self, test: str, stacks: Sequence[Stack]) -> None:
        """Destroys the test's stacks one after another, the last made first (as
        a `with` block would), in the background."""
        if not stacks:
            return
        for stack in stacks:
            self._run.teardown_began(stack.name)  # before the test counts as ended
        self._jobs.append(self._pool.submit(self._tear_down, test, list(reversed(stacks))))

    def _tear_down(self, test: str, stacks: list[Stack]) -> None:
        for stack in stacks:
            try:
                self._remove(stack)
            except Exception as err:  # every failure is reported at the session's end
                with self._lock:
                    self._failures.append(f"the stack {stack.name} of {test} could not be destroyed: {err}")
            finally:
                self._run.teardown_ended(stack.name)

    def finish(self) -> list[str]:
        """Waits for every destroy this process began; what went wrong, one line per stack."""
        for job in self._jobs:
            job.result()
        self._pool.shutdown()
        return list(self._failures)

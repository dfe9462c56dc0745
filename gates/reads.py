"""How a gate reads the cluster: through kube.runner, with the gate's own error.

Whatever goes wrong with a read (no kubectl, no answer in time, a refusal)
becomes a GateError naming it, which `python -m gates` prints as the step's
error: never a traceback.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from kube.runner import CommandError, CommandNotFoundError, Runner, run_bounded


class GateError(RuntimeError):
    """A gate could not reach its goal in time, or could not read the cluster;
    the message says which and why."""


def read_json(argv: list[str], deadline: float) -> dict[str, Any]:
    """The JSON a kubectl `get` printed, or a GateError naming what went wrong."""
    return Runner(GateError, deadline - time.monotonic()).json(argv)


def act(argv: list[str], deadline: float) -> str:
    """What a changing kubectl command (a delete) printed, or a GateError
    naming what went wrong."""
    return Runner(GateError, deadline - time.monotonic()).run(argv)


def follow(argv: list[str], deadline: float, on_line: Callable[[str], None]) -> bool:
    """Runs a watching command (`kubectl rollout status --watch`) until it ends
    or the deadline passes, handing over its lines; whether it succeeded.
    A missing kubectl is a GateError: nothing after it could read the cluster."""
    try:
        run_bounded(argv, deadline - time.monotonic(), on_line=on_line)
    except CommandNotFoundError as err:
        raise GateError(str(err)) from err
    except CommandError:
        return False
    return True

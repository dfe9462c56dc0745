"""Running kubectl (or anything) from a gate: bounded in time, nothing left behind.

Every command runs in its own process group; when the deadline passes the
whole group is killed, so a timed-out gate leaves no kubectl running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time


class GateError(RuntimeError):
    """A gate could not reach its goal in time, or could not read the cluster;
    the message says which and why."""


def run_bounded(argv: list[str], deadline: float, stream: bool = False) -> str:
    """Runs argv until it exits or the deadline passes (then its whole process
    group is killed); returns stdout, echoing it line by line when `stream`."""
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as child:
        try:
            out, err = _communicate(child, deadline, stream)
        except subprocess.TimeoutExpired as expired:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            raise GateError(f"still running at the deadline: {' '.join(argv)}") from expired
    if child.returncode != 0:
        raise GateError(f"{' '.join(argv)} failed: {err.strip()[-600:]}")
    return out


def _communicate(child: subprocess.Popen[str], deadline: float, stream: bool) -> tuple[str, str]:
    if not stream:
        return child.communicate(timeout=max(deadline - time.monotonic(), 0.1))
    assert child.stdout is not None
    lines = []
    # kubectl's own --timeout ends the watch before our deadline; readline
    # blocking past it is only possible if kubectl hangs, and then the
    # communicate below kills it.
    for line in child.stdout:
        lines.append(line)
        print(line.rstrip(), flush=True)
        if time.monotonic() > deadline:
            raise subprocess.TimeoutExpired(child.args, 0)
    _, err = child.communicate(timeout=max(deadline - time.monotonic(), 0.1))
    return "".join(lines), err

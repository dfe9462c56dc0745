"""The one way this project runs kubectl (or any command it depends on).

Every call has a time limit and runs in a process group of its own: when the
limit passes, or the caller is interrupted, the whole group is killed, so
nothing the command started (kubectl's exec streams, a credential plugin)
outlives it. Every way a call can go wrong is a `CommandError` that says
which command, what happened and, for a missing kubectl, how to get one.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
from collections.abc import Callable
from typing import Any

from kube.target import display

STDERR_TAIL = 800
"""Characters of a failed command's stderr kept in its error: the end says why."""


class CommandError(RuntimeError):
    """A command did not succeed; the message names it and says why."""

    def __init__(self, message: str, argv: list[str], stderr: str = "") -> None:
        super().__init__(message)
        self.argv = argv
        self.stderr = stderr


class CommandNotFoundError(CommandError):
    """The program is not installed (not on PATH)."""


class CommandTimedOutError(CommandError):
    """The command was still running at its time limit and was killed."""


class CommandFailedError(CommandError):
    """The command exited non-zero; `stderr` holds what it said."""

    def __init__(self, message: str, argv: list[str], stderr: str, returncode: int) -> None:
        super().__init__(message, argv, stderr)
        self.returncode = returncode


def not_found_message(program: str) -> str:
    if program == "kubectl":
        return "kubectl is not on PATH: run `make toolchain`, or install kubectl"
    return f"{program} is not on PATH"


def _kill_group(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(proc.pid, signal.SIGKILL)


def _start(argv: list[str], with_stdin: bool = False) -> subprocess.Popen[str]:
    try:
        return subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if with_stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    except FileNotFoundError as err:
        raise CommandNotFoundError(not_found_message(argv[0]), argv) from err


def run_bounded(
    argv: list[str], timeout_seconds: float, on_line: Callable[[str], None] | None = None, stdin: str | None = None
) -> str:
    """Runs argv for at most `timeout_seconds` and returns its stdout.

    With `on_line`, each line of stdout is handed over as it arrives (a
    `rollout status --watch` shows its progress while `pulumi up` waits).
    `stdin` is what the command reads (a manifest for `kubectl create -f -`).
    Raises CommandNotFoundError, CommandTimedOutError or CommandFailedError.
    """
    proc = _start(argv, with_stdin=stdin is not None)
    limit = max(timeout_seconds, 0.1)
    try:
        if on_line:
            out, err = _stream(proc, limit, on_line)
        else:
            out, err = proc.communicate(input=stdin, timeout=limit)
    except subprocess.TimeoutExpired as expired:
        _kill_group(proc)
        # A process that left the group may still hold the pipes: do not wait for it.
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.communicate(timeout=5)
        raise CommandTimedOutError(f"timed out after {limit:.0f}s: {display(argv)}", argv) from expired
    except BaseException:
        _kill_group(proc)
        proc.wait()
        raise
    if proc.returncode != 0:
        tail = err.strip()[-STDERR_TAIL:]
        raise CommandFailedError(f"{display(argv)} failed: {tail}", argv, err, proc.returncode)
    return out


def _stream(proc: subprocess.Popen[str], limit: float, on_line: Callable[[str], None]) -> tuple[str, str]:
    assert proc.stdout is not None and proc.stderr is not None
    # Reading line by line cannot time out by itself: a timer kills the group,
    # which closes the pipe and ends the loop.
    killed = threading.Event()

    def expire() -> None:
        killed.set()
        _kill_group(proc)

    timer = threading.Timer(limit, expire)
    timer.start()
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            on_line(line.rstrip("\n"))
        err = proc.stderr.read()
        proc.wait()
    finally:
        timer.cancel()
    if killed.is_set():
        raise subprocess.TimeoutExpired(proc.args, limit)
    return "".join(lines), err


def run_json(argv: list[str], timeout_seconds: float) -> dict[str, Any]:
    """The JSON document a command printed (`kubectl get ... --output=json`)."""
    out = run_bounded(argv, timeout_seconds)
    try:
        document: dict[str, Any] = json.loads(out)
    except json.JSONDecodeError as err:
        raise CommandFailedError(f"{display(argv)} printed no JSON: {out[:200]!r}", argv, "", 0) from err
    return document


JSON_READERS: list[Callable[[list[str], float], dict[str, Any] | None]] = []
"""What answers a `kubectl get` before kubectl is started, in order: each
returns the document, or None to pass (kube.api_reads.enable adds its reader)."""


class Runner:
    """run_bounded and run_json for a caller with an error type of its own: the
    probes, the gates and the lessons each report a failed call in their own
    words (ProbeError, GateError, LessonError), with the command's message."""

    def __init__(self, error: Callable[[str], Exception], timeout_seconds: float) -> None:
        self.error = error
        self.timeout_seconds = timeout_seconds

    def run(self, argv: list[str], timeout_seconds: float | None = None) -> str:
        try:
            return run_bounded(argv, timeout_seconds or self.timeout_seconds)
        except CommandError as err:
            raise self.error(str(err)) from err

    def json(self, argv: list[str], timeout_seconds: float | None = None) -> dict[str, Any]:
        seconds = timeout_seconds or self.timeout_seconds
        try:
            for reader in JSON_READERS:
                answered = reader(argv, seconds)
                if answered is not None:
                    return answered
            return run_json(argv, seconds)
        except CommandError as err:
            raise self.error(str(err)) from err

"""LocalCommand: runs a command on this machine during `pulumi up` only.

A Pulumi dynamic resource with the semantics of pulumi-command's
`local.Command`: nothing runs during preview; the command runs when the
resource is created and again whenever an input (the command or its
`triggers`) changes; its stdout becomes an output. A non-zero exit or a
timeout fails the step with the tail of stderr.

The command is an argv list executed without a shell.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Sequence
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, ResourceProvider, UpdateResult

INPUT_KEYS = ("command", "working_dir", "triggers", "timeout_seconds")


def run_command(props: dict[str, Any]) -> dict[str, Any]:
    """Runs props["command"] and returns the outputs to record."""
    argv = [str(a) for a in props["command"]]
    timeout = int(props["timeout_seconds"])
    started = time.monotonic()
    try:
        done = subprocess.run(
            argv, cwd=props.get("working_dir") or None, capture_output=True, text=True, timeout=timeout, check=False
        )
    except FileNotFoundError as err:
        raise RuntimeError(f"{argv[0]!r} is not on PATH: run `make toolchain` or install it ({err})") from err
    except subprocess.TimeoutExpired as err:
        raise RuntimeError(f"timed out after {timeout}s: {' '.join(argv)}") from err
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-20:])
        raise RuntimeError(f"exit code {done.returncode}: {' '.join(argv)}\n{tail}")
    return {"stdout": done.stdout, "duration_seconds": round(time.monotonic() - started, 3)}


def changed_inputs(olds: dict[str, Any], news: dict[str, Any]) -> list[str]:
    return [k for k in INPUT_KEYS if olds.get(k) != news.get(k)]


class LocalCommandProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(id_=uuid.uuid4().hex, outs={**props, **run_command(props)})

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes = changed_inputs(olds, news)
        return DiffResult(changes=bool(changes), replaces=[], stables=[], delete_before_replace=False)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(outs={**news, **run_command(news)})


class LocalCommand(Resource, module="statefulset-lab", name="LocalCommand"):
    """A command run by `pulumi up` (never by preview) whose stdout is recorded."""

    stdout: pulumi.Output[str]
    """What the command printed on its last run."""
    duration_seconds: pulumi.Output[float]
    """How long its last run took."""

    def __init__(
        self,
        name: str,
        command: pulumi.Input[Sequence[pulumi.Input[str]]],
        triggers: pulumi.Input[dict[str, Any]] | None = None,
        timeout_seconds: int = 300,
        working_dir: str = "",
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            LocalCommandProvider(),
            name,
            {
                "command": command,
                "working_dir": working_dir,
                "triggers": triggers or {},
                "timeout_seconds": timeout_seconds,
                "stdout": None,
                "duration_seconds": None,
            },
            opts,
        )

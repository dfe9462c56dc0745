"""Repairs what an interrupted `pulumi up` leaves behind, before the next one.

An `up` killed outright (SIGKILL, a closed terminal, a crash) leaves two things
in a file backend:

- its lock, `<backend>/.pulumi/locks/<org>/<project>/<stack>/<id>.json`, which
  names the process and machine that took it: every later `up` fails with
  "the stack is currently locked". A lock taken on this machine by a process
  that no longer runs is cleared (`pulumi cancel`); any other lock is explained
  with the one command that clears it, and the `make` target stops.
- its pending operations, in the state until a `pulumi refresh` settles them:
  every later `up` warns about them. They are refreshed away, said in one line.

    python -m labstack.recover STACK    # what `make up` runs before the up

An `up` stopped with Ctrl-C (SIGINT) ends cleanly and leaves neither.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from labstack.pulumi_cli import PulumiError, export_state, pulumi, stack_step

PROJECT = "statefulset-lab"
STARTED_AFTER_LOCK_SLACK_SECONDS = 2.0
"""A process that started this long after the lock was taken did not take it:
its pid was reused."""


@dataclass(frozen=True)
class StackLock:
    """One lock file of a stack, as the file backend writes it."""

    path: Path
    pid: int
    username: str
    hostname: str
    taken_at: datetime | None

    def who(self) -> str:
        return f"{self.username or '?'}@{self.hostname or '?'} (pid {self.pid})"


class Holder(Enum):
    GONE = "its process no longer runs on this machine"
    RUNNING = "its process still runs on this machine"
    ELSEWHERE = "it was taken on another machine"


def parse_timestamp(text: str) -> datetime | None:
    """A Go RFC 3339 time (`2026-12-06T22:43:15.42165859Z`: nanoseconds, `Z`), None
    when it is none; cut to what every Python's fromisoformat reads."""
    found = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)", text.strip())
    if found is None:
        return None
    whole, fraction, zone = found.groups()
    try:
        return datetime.fromisoformat(whole + (fraction or ".0")[:7].ljust(7, "0") + zone.replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_lock(path: Path, text: str) -> StackLock:
    """A lock file's content; a field it lacks reads as empty (or pid 0)."""
    try:
        content = json.loads(text)
    except ValueError:
        content = {}
    content = content if isinstance(content, dict) else {}
    taken_at = parse_timestamp(str(content.get("timestamp", "")))
    pid = content.get("pid")
    return StackLock(
        path=path,
        pid=pid if isinstance(pid, int) else 0,
        username=str(content.get("username", "")),
        hostname=str(content.get("hostname", "")),
        taken_at=taken_at,
    )


def holder_of(lock: StackLock, this_host: str, process_started: float | None) -> Holder:
    """Whether the lock's process still holds it.

    `process_started` is when the process with the lock's pid started here
    (seconds since the epoch), None when no such process runs. A process
    that started after the lock was taken is another one under a reused pid.
    """
    if lock.hostname != this_host:
        return Holder.ELSEWHERE
    if process_started is None or lock.pid <= 0:
        return Holder.GONE
    if lock.taken_at is not None and process_started > lock.taken_at.timestamp() + STARTED_AFTER_LOCK_SLACK_SECONDS:
        return Holder.GONE
    return Holder.RUNNING


def process_started(pid: int, proc: Path = Path("/proc")) -> float | None:
    """When process `pid` started (seconds since the epoch), None when it does not run."""
    if pid <= 0:
        return None
    try:
        stat = (proc / str(pid) / "stat").read_text()
        boot = next(line for line in (proc / "stat").read_text().splitlines() if line.startswith("btime "))
    except (OSError, StopIteration):
        return None
    # The command name (field 2) may hold spaces and parentheses: count from its closing one.
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] == "Z":  # a zombie has ended; only its parent has not reaped it
        return None
    ticks = int(fields[19])
    return int(boot.split()[1]) + ticks / os.sysconf("SC_CLK_TCK")


def backend_root(backend_url: str) -> Path | None:
    """The folder of a file backend (`file://...`), None for any other backend."""
    if not backend_url.startswith("file://"):
        return None
    path = unquote(urlparse(backend_url).netloc + urlparse(backend_url).path)
    return Path(os.path.expanduser(path))


def stack_locks(root: Path, stack: str, project: str = PROJECT) -> list[StackLock]:
    """The locks of `stack` (a plain or fully qualified name) in the backend at `root`."""
    parts = stack.split("/")
    name = parts[-1]
    project = parts[-2] if len(parts) > 1 else project
    organization = parts[0] if len(parts) == 3 else "organization"
    # Project-scoped stacks (today's layout), then the layout of older backends.
    folders = [root / ".pulumi" / "locks" / organization / project / name, root / ".pulumi" / "locks" / name]
    return [parse_lock(path, path.read_text()) for folder in folders for path in sorted(folder.glob("*.json"))]


def pending_operations(state: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The pending operations of an exported state (`pulumi stack export`)."""
    deployment = (state or {}).get("deployment") or {}
    pending = deployment.get("pending_operations") or [] if isinstance(deployment, dict) else []
    return [p for p in pending if isinstance(p, dict)]


def describe_operations(pending: list[dict[str, Any]]) -> str:
    """`2 pending operation(s): creating web-sts-rollout (command:local:Command), ...`"""
    named = [
        f"{op.get('type', '?')} {str(op.get('resource', {}).get('urn', '?')).split('::')[-1]}"
        f" ({op.get('resource', {}).get('type', '?')})"
        for op in pending
    ]
    return f"{len(pending)} pending operation(s): " + ", ".join(named)


def refresh_arguments(stack: str, pending: list[dict[str, Any]]) -> list[str]:
    """The refresh that settles `pending`. A create that was interrupted left
    nothing in the state to refresh; dropping it lets the next `up` create it again."""
    argv = ["refresh", "--yes", "--skip-preview", "--stack", stack]
    if any(op.get("type") == "creating" for op in pending):
        argv.append("--clear-pending-creates")
    return argv


class LockedError(RuntimeError):
    """A lock this machine may not clear; the message says who holds it and how to clear it."""


def clear_stale_locks(stack: str, root: Path, this_host: str, cwd: str, env: Mapping[str, str] | None) -> list[str]:
    """Clears the locks of `stack` whose process is gone; raises LockedError for any other lock."""
    said = []
    for lock in stack_locks(root, stack):
        holder = holder_of(lock, this_host, process_started(lock.pid))
        since = f" since {lock.taken_at:%Y-%m-%d %H:%M:%S %Z}" if lock.taken_at else ""
        if holder is Holder.RUNNING:
            raise LockedError(
                f"stack {stack} is locked by a pulumi still running here, {lock.who()}{since}: wait for it to end, "
                f"or stop it (Ctrl-C in its terminal, or `kill {lock.pid}`), then run this again"
            )
        if holder is Holder.ELSEWHERE:
            raise LockedError(
                f"stack {stack} is locked by {lock.who()}{since}, another machine, which this one cannot ask whether "
                f"that pulumi still runs. Once it has surely ended, clear the lock with: pulumi cancel --yes --stack "
                f"{stack}"
            )
        cancelled = pulumi("cancel", "--yes", "--stack", stack, cwd=cwd, env=env)
        if cancelled.returncode != 0:
            # The file backend keeps the lock's attributes beside it.
            for path in (lock.path, lock.path.with_name(lock.path.name + ".attrs")):
                path.unlink(missing_ok=True)
        said.append(f"cleared the lock of stack {stack} left by {lock.who()}{since}: {holder.value}")
    return said


def settle_pending_operations(stack: str, cwd: str, env: Mapping[str, str] | None) -> list[str]:
    pending = pending_operations(export_state(stack, cwd, env))
    if not pending:
        return []
    done = pulumi(*refresh_arguments(stack, pending), cwd=cwd, env=env)
    if done.returncode != 0:
        raise PulumiError(
            f"stack {stack} has {describe_operations(pending)} from an interrupted up, and `pulumi refresh` "
            f"failed to settle them: {done.stderr.strip() or done.stdout.strip()[-2000:]}"
        )
    return [f"refreshed stack {stack}: its {describe_operations(pending)} came from an interrupted up"]


def recover(stack: str, cwd: str = ".", env: Mapping[str, str] | None = None) -> list[str]:
    """Makes `stack` ready for the next `up`; returns what it did, a line each."""
    environment = env if env is not None else os.environ
    root = backend_root(environment.get("PULUMI_BACKEND_URL", ""))
    said = clear_stale_locks(stack, root, socket.gethostname(), cwd, env) if root is not None else []
    return said + settle_pending_operations(stack, cwd, env)


def main(argv: list[str]) -> int:
    return stack_step("recover", argv, recover, LockedError)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Detached daemons with pid files and one log file each.

No init system is assumed: a daemon runs in its own session, its output goes to
`<state>/logs/<name>.log`, and `<state>/pids/<name>.pid` records its pid and start
time, so a recycled pid is never mistaken for the daemon.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROTATE_LOG_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class PidRecord:
    pid: int
    start_ticks: int
    argv: list[str]
    # What the daemon was started from (argv, env, configs, certificates); a
    # different fingerprint at the next `up` means it must be restarted.
    fingerprint: str


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """(state letter, start time in clock ticks) of a process, or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may contain spaces and parentheses: split after the last ')'.
    fields = raw[raw.rindex(")") + 2 :].split()
    return fields[0], int(fields[19])


def read_pid_file(path: Path) -> PidRecord | None:
    try:
        data = json.loads(path.read_text())
        return PidRecord(int(data["pid"]), int(data["start_ticks"]), list(data["argv"]), str(data["fingerprint"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def running_pid(pid_file: Path) -> int | None:
    """The daemon's pid if it is alive (not a zombie, not a recycled pid), else None."""
    record = read_pid_file(pid_file)
    if record is None:
        return None
    stat = _proc_stat(record.pid)
    if stat is None or stat[0] in ("Z", "X") or stat[1] != record.start_ticks:
        return None
    return record.pid


def _rotate(log_file: Path) -> None:
    if log_file.exists() and log_file.stat().st_size > ROTATE_LOG_BYTES:
        os.replace(log_file, log_file.with_name(log_file.name + ".1"))


@dataclass(frozen=True)
class DaemonLaunch:
    """Everything needed to start one daemon."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log_file: Path
    pid_file: Path
    cwd: Path
    fingerprint: str


def start_daemon(launch: DaemonLaunch) -> subprocess.Popen[bytes]:
    """Starts a daemon in its own session and records it; returns the child handle."""
    launch.log_file.parent.mkdir(parents=True, exist_ok=True)
    launch.pid_file.parent.mkdir(parents=True, exist_ok=True)
    _rotate(launch.log_file)
    with open(launch.log_file, "ab") as log:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        header = f"\n===== labcluster: starting {launch.name} at {stamp}: {' '.join(launch.argv)}\n"
        log.write(header.encode())
        log.flush()
        child = subprocess.Popen(
            launch.argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=launch.cwd,
            env={**os.environ, **launch.env},
            # Its own session: the daemon outlives this command and its terminal.
            start_new_session=True,
        )
    stat = _proc_stat(child.pid)
    record = {
        "pid": child.pid,
        "start_ticks": stat[1] if stat else 0,
        "argv": launch.argv,
        "fingerprint": launch.fingerprint,
    }
    launch.pid_file.write_text(json.dumps(record) + "\n")
    return child


def stop_daemon(pid_file: Path, timeout: float = 20.0) -> bool:
    """SIGTERM, then SIGKILL after `timeout`; returns whether a process was stopped."""
    pid = running_pid(pid_file)
    if pid is None:
        pid_file.unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running_pid(pid_file) is None:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
        while running_pid(pid_file) is not None:
            time.sleep(0.1)
    pid_file.unlink(missing_ok=True)
    return True


def tail(path: Path, lines: int = 25) -> str:
    """The last lines of a log file, or a note that there is none."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64 * 1024))
            text = f.read().decode(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])

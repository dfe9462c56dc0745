"""Recovery from an interrupted `up` (labstack/recover.py): reading the file
backend's lock files, deciding whether a lock's process is gone, and finding
the pending operations an export holds."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from labstack import recover
from labstack.recover import Holder, LockedError, StackLock, holder_of, parse_lock

TAKEN = datetime.fromisoformat("2026-12-06T22:30:00+00:00")


def lock(hostname: str = "lab-host", pid: int = 4242, taken_at: datetime | None = TAKEN) -> StackLock:
    return StackLock(Path("x.json"), pid=pid, username="root", hostname=hostname, taken_at=taken_at)


def test_a_lock_file_names_its_process_machine_and_time() -> None:
    text = json.dumps(
        {"pid": 31337, "username": "root", "hostname": "lab-host", "timestamp": "2026-12-06T22:30:00.123456789Z"}
    )
    parsed = parse_lock(Path("l.json"), text)
    assert (parsed.pid, parsed.username, parsed.hostname) == (31337, "root", "lab-host")
    assert parsed.taken_at == TAKEN.replace(microsecond=123456)
    assert parsed.who() == "root@lab-host (pid 31337)"


def test_a_lock_file_with_offset_timestamp_and_no_fractions_is_read() -> None:
    parsed = parse_lock(
        Path("l.json"), json.dumps({"pid": 1, "hostname": "h", "timestamp": "2026-12-06T23:30:00+01:00"})
    )
    assert parsed.taken_at == TAKEN


def test_go_timestamps_are_read_to_the_microsecond_whatever_their_precision() -> None:
    assert recover.parse_timestamp("2026-12-06T22:30:00.123456789Z") == TAKEN.replace(microsecond=123456)
    assert recover.parse_timestamp("2026-12-06T22:30:00.5Z") == TAKEN.replace(microsecond=500000)
    assert recover.parse_timestamp("2026-12-06T22:30:00Z") == TAKEN
    assert recover.parse_timestamp("6 Dec 2026") is None
    assert recover.parse_timestamp("2026-13-06T22:30:00Z") is None


def test_a_damaged_lock_file_reads_as_a_lock_of_nobody() -> None:
    for text in ("", "not json", "[1, 2]", json.dumps({"pid": "12", "timestamp": "yesterday"})):
        parsed = parse_lock(Path("l.json"), text)
        assert (parsed.pid, parsed.hostname, parsed.taken_at) == (0, "", None)


def test_a_lock_of_this_machine_whose_process_is_gone_may_be_cleared() -> None:
    assert holder_of(lock(), "lab-host", process_started=None) is Holder.GONE
    assert holder_of(lock(pid=0), "lab-host", process_started=TAKEN.timestamp()) is Holder.GONE


def test_a_lock_whose_process_runs_is_held() -> None:
    assert holder_of(lock(), "lab-host", process_started=TAKEN.timestamp() - 3) is Holder.RUNNING
    assert holder_of(lock(taken_at=None), "lab-host", process_started=TAKEN.timestamp() + 600) is Holder.RUNNING


def test_a_process_started_after_the_lock_is_another_one_under_a_reused_pid() -> None:
    assert holder_of(lock(), "lab-host", process_started=TAKEN.timestamp() + 60) is Holder.GONE


def test_a_lock_of_another_machine_is_never_judged_from_here() -> None:
    assert holder_of(lock(hostname="ci-runner"), "lab-host", process_started=None) is Holder.ELSEWHERE


def pid_of_a_finished_process() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_this_process_runs_and_started_before_now_and_a_finished_one_does_not() -> None:
    started = recover.process_started(os.getpid())
    assert started is not None and started <= time.time()
    assert recover.process_started(pid_of_a_finished_process()) is None
    assert recover.process_started(0) is None


def test_only_a_file_backend_has_a_folder_of_locks() -> None:
    assert recover.backend_root("file:///tmp/lab backend") == Path("/tmp/lab backend")
    assert recover.backend_root("file://~/state") == Path(os.path.expanduser("~/state"))
    assert recover.backend_root("https://api.pulumi.com") is None
    assert recover.backend_root("") is None


def write_lock(root: Path, stack: str, pid: int, hostname: str) -> Path:
    folder = root / ".pulumi" / "locks" / "organization" / "statefulset-lab" / stack
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "0b5c6f1e-lock.json"
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    path.write_text(json.dumps({"pid": pid, "username": "root", "hostname": hostname, "timestamp": stamp}))
    return path


def test_the_locks_of_a_stack_are_found_by_its_short_or_full_name(tmp_path: Path) -> None:
    write_lock(tmp_path, "canary", 99, "lab-host")
    write_lock(tmp_path, "seed", 98, "lab-host")
    assert [lk.pid for lk in recover.stack_locks(tmp_path, "canary")] == [99]
    assert [lk.pid for lk in recover.stack_locks(tmp_path, "organization/statefulset-lab/canary")] == [99]
    assert recover.stack_locks(tmp_path, "ondelete") == []


def test_a_lock_held_elsewhere_or_still_running_stops_with_the_command_that_clears_it(tmp_path: Path) -> None:
    write_lock(tmp_path, "canary", 99, "ci-runner")
    with pytest.raises(LockedError, match=r"another machine.*pulumi cancel --yes --stack canary"):
        recover.clear_stale_locks("canary", tmp_path, "lab-host", ".", None)
    write_lock(tmp_path, "seed", os.getpid(), socket.gethostname())
    with pytest.raises(LockedError, match=rf"still running here.*kill {os.getpid()}"):
        recover.clear_stale_locks("seed", tmp_path, socket.gethostname(), ".", None)


COMPONENT = "urn:pulumi:e2e::statefulset-lab::statefulset-lab:workloads:StatefulWebApp"
EXPORT_WITH_PENDING = {
    "version": 3,
    "deployment": {
        "resources": [],
        "pending_operations": [
            {
                "resource": {
                    "urn": f"{COMPONENT}$command:local:Command::web-sts-rollout",
                    "type": "command:local:Command",
                },
                "type": "creating",
            },
            {
                "resource": {
                    "urn": f"{COMPONENT}$kubernetes:apps/v1:StatefulSet::web-sts-statefulset",
                    "type": "kubernetes:apps/v1:StatefulSet",
                },
                "type": "updating",
            },
        ],
    },
}


def test_pending_operations_are_read_from_an_export_and_named() -> None:
    pending = recover.pending_operations(EXPORT_WITH_PENDING)
    assert recover.describe_operations(pending) == (
        "2 pending operation(s): creating web-sts-rollout (command:local:Command), "
        "updating web-sts-statefulset (kubernetes:apps/v1:StatefulSet)"
    )


def test_an_export_without_pending_operations_has_none() -> None:
    assert recover.pending_operations({"deployment": {"resources": []}}) == []
    assert recover.pending_operations({"deployment": None}) == []
    assert recover.pending_operations(None) == []


def test_the_refresh_drops_interrupted_creates_only_when_there_are_some() -> None:
    pending = recover.pending_operations(EXPORT_WITH_PENDING)
    assert recover.refresh_arguments("canary", pending)[-1] == "--clear-pending-creates"
    assert "--clear-pending-creates" not in recover.refresh_arguments("canary", pending[1:])


def test_a_dead_processs_lock_is_cancelled_and_removed_even_when_pulumi_cancel_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_lock(tmp_path, "canary", pid_of_a_finished_process(), socket.gethostname())
    attributes = path.with_name(path.name + ".attrs")
    attributes.write_text("{}")
    asked: list[tuple[str, ...]] = []

    def failing_pulumi(*args: str, **_: object) -> subprocess.CompletedProcess[str]:
        asked.append(args)
        return subprocess.CompletedProcess(args, 1, "", "error: no backend")

    monkeypatch.setattr(recover, "pulumi", failing_pulumi)
    [said] = recover.clear_stale_locks("canary", tmp_path, socket.gethostname(), ".", None)
    assert asked == [("cancel", "--yes", "--stack", "canary")]
    assert not path.exists() and not attributes.exists()
    assert said.startswith("cleared the lock of stack canary left by root@") and "no longer runs" in said

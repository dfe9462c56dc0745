"""Starting daemons: a daemon that dies while starting is reported with its log."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from labcluster.components import ComponentSpec, Probe
from labcluster.daemons import Starter
from labcluster.errors import LabError
from labcluster.paths import LabPaths
from labcluster.processes import stop_daemon


def _paths(tmp_path: Path) -> LabPaths:
    paths = LabPaths(state=tmp_path / "state", cache=tmp_path / "cache")
    paths.state.mkdir(parents=True)
    return paths


def test_a_daemon_that_exits_while_starting_is_reported_with_its_log_tail(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    broken = ComponentSpec(
        name="broken",
        binary="/bin/sh",
        args=("-c", "echo 'fatal: cannot open the thing'; exit 3"),
        probe=Probe("unix", str(tmp_path / "never.sock")),
        from_toolchain=False,
    )
    with pytest.raises(LabError, match="broken exited while starting") as err:
        Starter(paths, lambda _: None, "generation").start_and_wait([broken])
    assert "fatal: cannot open the thing" in err.value.details
    assert str(paths.log_file("broken")) in err.value.fix


def test_a_daemon_that_never_gets_ready_times_out_with_the_last_probe(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    slow = ComponentSpec(
        name="slow",
        binary="/bin/sleep",
        args=("30",),
        probe=Probe("unix", str(tmp_path / "never.sock")),
        ready_timeout=0.5,
        from_toolchain=False,
    )
    try:
        with pytest.raises(LabError, match=r"slow not ready after 0s \(last probe: .*never.sock"):
            Starter(paths, lambda _: None, "generation").start_and_wait([slow])
    finally:
        stop_daemon(paths.pid_file("slow"), timeout=5)


def test_a_daemon_allowed_another_attempt_is_started_again_after_an_early_exit(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    marker, socket_path = tmp_path / "tried", tmp_path / "ready.sock"
    listen = (
        f"import socket, time; s = socket.socket(socket.AF_UNIX); s.bind({str(socket_path)!r}); "
        "s.listen(); time.sleep(30)"
    )
    # Exits the first time (as a kubelet does while containerd's CRI is not ready), serves the second.
    script = f'if [ -e {marker} ]; then exec {sys.executable} -c "{listen}"; fi; touch {marker}; exit 1'
    flaky = ComponentSpec(
        name="flaky",
        binary="/bin/sh",
        args=("-c", script),
        probe=Probe("unix", str(socket_path)),
        ready_timeout=20,
        from_toolchain=False,
        start_attempts=2,
    )
    said: list[str] = []
    try:
        Starter(paths, said.append, "generation").start_and_wait([flaky])
        assert any("flaky exited while starting; starting it again (2/2)" in line for line in said)
    finally:
        stop_daemon(paths.pid_file("flaky"), timeout=5)

"""Starting daemons: a daemon that dies while starting is reported with its log."""

from __future__ import annotations

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

"""`up` refuses to start with a message that names the problem and the fix."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from labcluster import preflight
from labcluster.components import ComponentSpec, Probe
from labcluster.errors import LabError
from labcluster.paths import LabPaths
from labcluster.preflight import require_binaries, require_free_ports, require_root


def test_without_root_the_fix_is_to_run_as_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(LabError, match="needs root") as err:
        require_root()
    assert "sudo make cluster-up" in err.value.fix


def test_missing_toolchain_binaries_point_at_make_toolchain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The Debian packages are checked first; this test is about the toolchain, whatever the host has installed.
    monkeypatch.setattr(preflight, "missing_system_packages", lambda: [])
    paths = LabPaths(state=tmp_path / "state", cache=tmp_path / "cache")
    with pytest.raises(LabError, match="toolchain binaries missing") as err:
        require_binaries(paths)
    assert "make toolchain" in err.value.fix
    assert "kube-apiserver" in err.value.problem
    assert "containerd" in err.value.problem and "runc" in err.value.problem
    assert "cni-bin/bridge" in err.value.problem


def test_a_port_in_use_is_reported_with_the_process_holding_it() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        spec = ComponentSpec("etcd", "etcd", (), Probe("http", ""), listens=(("127.0.0.1", port),))
        with pytest.raises(LabError, match=f"127.0.0.1:{port}, needed by etcd, is in use by {os.getpid()}"):
            require_free_ports([spec])


def test_free_ports_pass() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    require_free_ports([ComponentSpec("x", "x", (), Probe("http", ""), listens=(("127.0.0.1", port),))])

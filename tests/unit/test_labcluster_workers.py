"""The recorded layout, the workers a machine has traces of, and what `status`, `nodes` and `node` say."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from labcluster import status, workers
from labcluster.__main__ import main
from labcluster.nodes import node_plan
from labcluster.paths import LabPaths


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LabPaths:
    # Keep the machine's own namespaces out of what the tests see.
    monkeypatch.setattr(workers, "NETNS_DIR", tmp_path / "netns")
    lab = LabPaths(state=tmp_path / "state", cache=tmp_path / "cache", runtime=tmp_path / "run")
    lab.state.mkdir()
    return lab


def test_the_layout_of_the_last_up_is_read_back(paths: LabPaths) -> None:
    workers.write_layout(paths, node_plan(3))
    assert workers.recorded_plan(paths) == node_plan(3)


def test_a_state_from_before_workers_existed_has_none(paths: LabPaths) -> None:
    assert workers.recorded_plan(paths) == node_plan(0)
    (paths.state / "layout.json").write_text("not json")
    assert workers.recorded_plan(paths) == node_plan(0)


def test_workers_are_found_by_layout_state_directory_or_namespace(paths: LabPaths) -> None:
    workers.write_layout(paths, node_plan(1))
    (paths.state / "nodes" / "lab-worker-2").mkdir(parents=True)
    (paths.state / "nodes" / "not-a-worker").mkdir()
    assert [w.name for w in workers.known_workers(paths)] == ["lab-worker-0", "lab-worker-2"]
    (paths.runtime.parent / "netns").mkdir()
    (paths.runtime.parent / "netns" / "lab-worker-1").touch()
    (paths.runtime.parent / "netns" / "someone-else").touch()
    assert [w.name for w in workers.known_workers(paths)] == ["lab-worker-0", "lab-worker-1", "lab-worker-2"]


def test_nodes_lists_every_node_with_its_address_cidr_namespace_and_state(paths: LabPaths) -> None:
    workers.write_layout(paths, node_plan(2))
    lines = status.nodes_table(paths).splitlines()
    assert lines[0].split()[:4] == ["NAME", "ROLE", "IP", "POD"]
    assert lines[1].split() == [
        "lab-node",
        "control-plane",
        "10.240.0.1",
        "10.244.0.0/24",
        "0/7",
        "up",
        "?",
        "(host)",
        str(paths.state),
    ]
    assert lines[3].split() == [
        "lab-worker-1",
        "worker",
        "10.240.0.12",
        "10.244.2.0/24",
        "0/3",
        "up",
        "?",
        "lab-worker-1",
        str(paths.state / "nodes" / "lab-worker-1"),
    ]


def test_status_shows_every_nodes_daemons_and_fails_while_they_are_stopped(paths: LabPaths) -> None:
    workers.write_layout(paths, node_plan(1))
    text, healthy = status.report(paths)
    assert not healthy
    assert "NODE lab-node (control-plane, 10.240.0.1, pods 10.244.0.0/24)" in text
    assert (
        f"NODE lab-worker-0 (worker, 10.240.0.11, pods 10.244.1.0/24, state {paths.state / 'nodes' / 'lab-worker-0'})"
        in text
    )
    worker_log = paths.state / "nodes" / "lab-worker-0" / "logs" / "kube-proxy.log"
    assert any(
        line.startswith("kube-proxy") and "stopped" in line and str(worker_log) in line for line in text.splitlines()
    )
    assert "not checked (the apiserver is not up)" in text


def test_a_bad_worker_count_stops_up_before_it_starts(
    paths: LabPaths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STATEFULSET_LAB_STATE", str(paths.state))
    monkeypatch.setenv("STATEFULSET_LAB_WORKERS", "5")
    assert main(["up"]) == 1
    err = capsys.readouterr().err
    assert "labcluster: error: STATEFULSET_LAB_WORKERS='5' is not a worker count" in err
    assert "one of 0, 1, 2, 3" in err
    assert not (paths.state / "layout.json").exists()


def test_only_a_worker_of_the_last_up_can_be_stopped(
    paths: LabPaths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STATEFULSET_LAB_STATE", str(paths.state))
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    workers.write_layout(paths, node_plan(1))
    assert main(["node", "stop", "lab-node"]) == 1
    assert "lab-node is the control-plane node" in capsys.readouterr().err
    assert main(["node", "start", "lab-worker-1"]) == 1
    assert "no node 'lab-worker-1'" in capsys.readouterr().err

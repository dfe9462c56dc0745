"""`python -m tour` before it touches a cluster: the plan it prints, and what
it says when the plan, the tools or the cluster are not there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tour.__main__ import main, preflight


def test_the_plan_lists_what_runs_side_by_side_and_what_alone(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--plan", "--only", "parallel nodes"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "10 steps; 10 to run, 0 from the last tour",
        "side by side: parallel (4 steps)",
        "alone, after them: nodes (6 steps)",
    ]


def test_a_wrong_experiment_is_named_with_the_ones_there_are(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--plan", "--exclude", "nodez"]) == 2
    assert "no experiment nodez: the tour's experiments are seed parallel" in capsys.readouterr().err


def test_without_the_toolchain_the_fix_is_make_toolchain(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert preflight() == "pulumi is not on PATH: run `make toolchain` (or the tour through `make tour`)"


def test_an_unreachable_cluster_names_the_kubeconfig_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for tool, script in (("pulumi", "exit 0"), ("kubectl", "echo 'connection refused' >&2; exit 1")):
        (tmp_path / tool).write_text(f"#!/bin/sh\n{script}\n")
        (tmp_path / tool).chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("KUBECONFIG", "/nowhere/admin.kubeconfig")
    problem = preflight()
    assert problem.startswith("cannot reach the cluster of KUBECONFIG=/nowhere/admin.kubeconfig (connection refused)")
    assert problem.endswith("run `make cluster-up` for the lab cluster, or point KUBECONFIG at a running cluster")

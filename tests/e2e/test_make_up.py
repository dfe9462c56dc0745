"""A step as a learner takes it, `make up STACK=... SET="..."`, on the suite's
copy of the project with its Makefile: the set-up says nothing, Pulumi's
output holds no probe document, and the step ends with its verdicts and the
report page; a failed step still shows the last verdicts and keeps the up's
exit code."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from labstack.automation import LabStack

pytestmark = pytest.mark.e2e
BROKEN = "registry.k8s.io/nginx-slim:no-such-tag"
SET_UP_LINES = ("toolchain:", "labcluster [", "lab cluster ", "system-packages:", "Switched to stack")


def make_up(lab: LabStack, settings: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(lab.stack.workspace.env_vars or {})}
    return subprocess.run(
        ["make", "--no-print-directory", "up", f"STACK={lab.name}", f"SET={settings}"],
        cwd=lab.stack.workspace.work_dir, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip


def test_a_step_ends_with_its_verdicts_and_a_failed_one_keeps_its_exit_code(
    scenario_stack: Callable[..., LabStack],
) -> None:
    lab = scenario_stack("make-up")
    first = make_up(lab, "replicas=2")
    lines = first.stdout.splitlines()
    assert first.returncode == 0, first.stdout + first.stderr
    assert not [line for line in lines if line.startswith(SET_UP_LINES)], "the set-up said something"
    assert not [line for line in lines if "schema_version" in line], "the probe document is in Pulumi's output"
    assert "Checks: " in first.stdout and "  PASS  [statefulset] pod names are <statefulset>-<ordinal>" in lines
    assert lines[-2] == f"Report page: out/{lab.name}-report.html"
    assert (Path(lab.stack.workspace.work_dir) / "out" / f"{lab.name}-report.html").exists()

    again = make_up(lab, "")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "The workloads and their pods have not changed since." in again.stdout

    broken = make_up(lab, f"image={BROKEN}")
    failed = re.search(r"This step's `pulumi up` failed \(exit (\d+)\)", broken.stdout)
    assert failed, broken.stdout
    # make exits 2 for a failed recipe, naming the recipe's exit code: the up's.
    assert broken.returncode == 2 and f"Error {failed.group(1)}" in broken.stderr, broken.stderr
    assert "  PASS  [statefulset] pod names are <statefulset>-<ordinal>" in broken.stdout.splitlines()
    lab.configure(image="registry.k8s.io/nginx-slim:0.24", forceRollback="true")
    lab.up("repair the image before the stack is destroyed")

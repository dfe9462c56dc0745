"""`make up` as a learner reads it: the set-up before the up says nothing
unless something is missing or fails, and the step ends with its verdicts,
also after a failed up, whose exit code the recipe keeps.

The set-up's commands are read with `make -n` (nothing runs); the up's own
recipe runs for real with a stand-in `pulumi` that answers `stack export`
with a recorded state (`-o stack` keeps make from setting anything up)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "tests" / "fixtures" / "stack-exports" / "after-up.json"
SET_UP_COMMANDS = [
    "system-packages.sh",
    "toolchain/build.sh",
    "labcluster ensure",
    "stack select",
    "labstack.migrate",
]
"""What runs before the up on the lab cluster: each must say nothing on success."""

FAKE_PULUMI = """#!/bin/sh
shift  # --non-interactive
case "$1" in
  up) echo "Updating (t):"; echo "Resources: 9 unchanged"; exit "${FAKE_UP_EXIT:-0}" ;;
  stack) cat "$FAKE_EXPORT" ;;
  version) echo v3.260.0 ;;
esac
"""


def make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "KUBECONFIG", "PULUMI"))}
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True, text=True, check=False, timeout=120, env={**clean, **(env or {})},
    )  # fmt: skip


def dry_run(goal: str, **env: str) -> list[str]:
    done = make("-n", goal, "STACK=t", env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize("goal", ["up", "demo", "report"])
def test_the_set_up_on_the_lab_cluster_prints_nothing_on_success(goal: str) -> None:
    lines = dry_run(goal)
    for command in SET_UP_COMMANDS:
        found = [line for line in lines if command in line]
        assert found, f"make {goal} no longer runs {command}"
        assert all(line.endswith(">/dev/null") for line in found), found


def test_what_the_recovery_did_to_an_interrupted_up_shows_in_a_quiet_set_up() -> None:
    found = [line for line in dry_run("up") if "labstack.recover" in line]
    assert found and not any(line.endswith(">/dev/null") for line in found), found


def test_the_set_up_on_your_own_cluster_prints_nothing_on_success(tmp_path: Path) -> None:
    lines = dry_run("up", KUBECONFIG=str(tmp_path / "kubeconfig"))
    quiet = [line for line in lines if "toolchain/build.sh" in line or "Using your cluster" in line]
    assert len(quiet) == 2 and all(line.endswith(">/dev/null") for line in quiet), quiet


def test_up_reports_what_it_wrote_and_demo_observes_again_only_if_the_cluster_changed() -> None:
    up = dry_run("up")
    assert up[-1].strip() == ".venv/bin/python -m labstack.report t  --after-up $status --out out"
    assert "up --yes --stack t --policy-pack policy || status=$?" in up[-2]
    assert "--observe-if-changed --after-up $status" in dry_run("demo")[-1]


@pytest.fixture
def stand_in_tools(tmp_path: Path) -> Path:
    """A bin directory with a `pulumi` that answers from the recorded state and a kubectl that fails."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, script in (("pulumi", FAKE_PULUMI), ("kubectl", "#!/bin/sh\nexit 1\n")):
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    return bin_dir


@pytest.mark.parametrize("up_exit", [0, 255])
def test_the_step_ends_with_its_verdicts_and_keeps_the_ups_exit_code(
    stand_in_tools: Path, tmp_path: Path, up_exit: int
) -> None:
    done = make(
        "-o", "stack", "up", "STACK=t", "SET=lesson=drain", f"TOOLCHAIN_BIN={stand_in_tools}", f"OUT={tmp_path}",
        env={"FAKE_EXPORT": str(EXPORT), "FAKE_UP_EXIT": str(up_exit)},
    )  # fmt: skip
    # make itself exits 2 when a recipe fails, naming the recipe's own code.
    assert done.returncode == (2 if up_exit else 0), done.stderr
    assert (f"Error {up_exit}" in done.stderr) == bool(up_exit), done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == ["Updating (t):", "Resources: 9 unchanged"], "make echoes no command of the step"
    assert lines[2].startswith("StatefulSet web-sts vs Deployment web-dep")
    assert any(line.startswith("Checks: ") for line in lines)
    assert lines[-2:] == [f"Report page: {tmp_path}/t-report.html", f"JUnit: {tmp_path}/t-checks.xml"]
    assert ("This step's `pulumi up` failed (exit 255)" in lines[3]) == bool(up_exit)

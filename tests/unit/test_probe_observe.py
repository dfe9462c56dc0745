"""What the probe command does around the checks: kubectl calls that cannot
outlive their timeout, the check gate's exit code, the report's verdict counts."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from probes.__main__ import check_gate, main
from probes.facts import Check, counts, gate_failures, verdict_of
from probes.observe import run_in_own_group

DOCUMENT = Path(__file__).resolve().parents[1] / "fixtures" / "lab-seed" / "probe-document.json"


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent that does not reap."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_timed_out_call_takes_what_it_started_with_it(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    script = f"sleep 60 & echo $! > {pid_file}; wait"
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        run_in_own_group(["sh", "-c", script], 0.5)
    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "the background sleep outlived the timed-out call"


def test_a_call_that_finishes_returns_its_output_and_exit_code() -> None:
    done = run_in_own_group(["sh", "-c", "echo out; echo err >&2; exit 3"], 5)
    assert (done.returncode, done.stdout, done.stderr) == (3, "out\n", "err\n")


def check(name: str, verdict: str) -> dict[str, str]:
    return {"name": name, "workload": "statefulset", "verdict": verdict, "expected": "e", "observed": "o"}


def test_the_gate_stops_on_failed_and_inconclusive_never_on_not_applicable() -> None:
    doc = {"checks": [check("a", "passed"), check("b", "not applicable")]}
    assert check_gate(doc, fail_on_failed_check=True) == (0, [])
    doc["checks"].append(check("c", "inconclusive"))
    doc["checks"].append(check("d", "failed"))
    code, lines = check_gate(doc, fail_on_failed_check=True)
    assert code == 3
    assert lines == [
        "INCONCLUSIVE [statefulset] c: expected e; observed o",
        "FAILED [statefulset] d: expected e; observed o",
    ]
    assert check_gate(doc, fail_on_failed_check=False) == (0, [])


def test_verdicts_are_read_from_older_documents_too() -> None:
    assert verdict_of({"passed": True}) == "passed" and verdict_of({"passed": False}) == "failed"
    assert verdict_of(Check("n", "deployment", "inconclusive", "e", "o")) == "inconclusive"
    old = json.loads(DOCUMENT.read_text())["checks"]
    assert counts(old) == {"passed": len(old), "failed": 0, "inconclusive": 0, "not applicable": 0}
    assert gate_failures([{"passed": False, "name": "x"}]) == [{"passed": False, "name": "x"}]


def test_report_prints_counts_per_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--input", str(DOCUMENT)]) == 0
    out = capsys.readouterr().out
    assert "Checks: 18 passed, 0 failed, 0 inconclusive, 0 not applicable" in out
    assert out.count("  PASS  [") == 18

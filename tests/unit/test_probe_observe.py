"""What the probe command does around the checks: the check gate's exit
code, the report's verdict counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from probes.__main__ import check_gate
from probes.facts import Check, counts, gate_failures, verdict_of
from report.__main__ import main as report_main

DOCUMENT = Path(__file__).resolve().parents[1] / "fixtures" / "lab-seed" / "probe-document.json"


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
    assert report_main(["--input", str(DOCUMENT)]) == 0
    out = capsys.readouterr().out
    assert "Checks: 18 passed, 0 failed, 0 inconclusive, 0 not applicable" in out
    assert out.count("  PASS  [") == 18

"""What the probe command does around the checks: the check gate's exit
code, the report's verdict counts."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from probes.__main__ import check_gate
from probes.facts import Check, Verdict, counts, gate_failures, verdict_of
from report.__main__ import main as report_main
from tests.fixtures.documents import HERE as DOCUMENTS
from tests.fixtures.documents import document

DOCUMENT = Path(__file__).resolve().parents[1] / "fixtures" / "lab-seed" / "probe-document.json"


def check(name: str, verdict: Verdict) -> Check:
    return Check(name, "statefulset", verdict, "e", "o")


def test_the_gate_stops_on_failed_and_inconclusive_never_on_not_applicable() -> None:
    doc = replace(document("stranger"), checks=[check("a", "passed"), check("b", "not applicable")])
    assert check_gate(doc, fail_on_failed_check=True) == (0, [])
    doc = replace(doc, checks=[*doc.checks, check("c", "inconclusive"), check("d", "failed")])
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


def test_an_unobserved_document_stops_the_gate_only_when_asked() -> None:
    doc = document("unobserved")
    code, lines = check_gate(doc, fail_on_failed_check=True)
    assert code == 3 and lines[0].startswith("UNOBSERVED: the probes could not observe the cluster: ")
    assert check_gate(doc, fail_on_failed_check=False) == (0, [])


def test_report_prints_counts_per_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert report_main(["--input", str(DOCUMENTS / "stranger.json")]) == 0
    out = capsys.readouterr().out
    assert "Checks: 16 passed, 1 failed, 0 inconclusive, 0 not applicable" in out
    assert out.count("  PASS  [") == 16


def test_the_report_of_an_older_document_says_how_to_get_a_current_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert report_main(["--input", str(DOCUMENT)]) == 1
    assert "make report STACK=" in capsys.readouterr().err

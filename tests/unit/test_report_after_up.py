"""How `make up` ends: the report of the document the up's probes wrote,
read from the stack's state. After a failed up it still shows the last
verdicts, says they may predate the step, and keeps the up's exit code; a
stack without probes is a note, not a failed step."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from labstack import report
from labstack.probe_state import STACK_TYPE
from labstack.pulumi_cli import resources
from report import RunRecord

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "stack-exports"
AFTER_UP = json.loads((EXPORTS / "after-up.json").read_text())
NO_PROBES = {"version": 3, "deployment": {"resources": [r for r in resources(AFTER_UP) if r["type"] == STACK_TYPE]}}


@pytest.fixture
def stack_state(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The state `pulumi stack export` answers with; the cluster and the CLI are not asked."""
    answer: dict[str, Any] = {"state": AFTER_UP}
    monkeypatch.setattr(report, "export_state", lambda stack, cwd=".", env=None: answer["state"])
    monkeypatch.setattr(report, "status_lines", lambda document: (["Observed 4 s ago."], False))
    monkeypatch.setattr(report, "run_record", lambda stack: RunRecord(stack))

    def must_not_observe(stack: str) -> None:
        raise AssertionError("the report after an up must not run the probes again")

    monkeypatch.setattr(report, "observe_again", must_not_observe)
    return answer


def test_a_successful_up_ends_with_its_verdicts_and_the_page(
    stack_state: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert report.main(["nodes", "--after-up", "0", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Observed 4 s ago." in out and "\nChecks: " in out and "  PASS  [statefulset] " in out
    assert out.splitlines()[1] == "Observed 4 s ago."
    assert f"Report page: {tmp_path / 'nodes-report.html'}" in out.splitlines()


def test_a_failed_up_shows_the_last_verdicts_says_so_and_keeps_its_exit_code(
    stack_state: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert report.main(["nodes", "--observe-if-changed", "--after-up", "255", "--out", str(tmp_path)]) == 255
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == report.failed_up_line(255)
    assert "exit 255" in lines[1] and lines[2] == "Observed 4 s ago."
    assert f"Report page: {tmp_path / 'nodes-report.html'}" in lines
    assert "`pulumi up` failed (exit 255)" in (tmp_path / "nodes-report.html").read_text()


def test_after_an_up_a_stack_without_probes_is_a_note_not_a_failure(
    stack_state: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack_state["state"] = NO_PROBES
    assert report.main(["nodes", "--after-up", "0", "--out", str(tmp_path)]) == 0
    assert "has no probe results" in capsys.readouterr().err
    assert report.main(["nodes", "--after-up", "2", "--out", str(tmp_path)]) == 2
    assert report.main(["nodes", "--out", str(tmp_path)]) == 1, "make report-only of such a stack fails"


def test_a_document_that_cannot_be_read_fails_even_a_successful_up(
    stack_state: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    older = json.loads(json.dumps(AFTER_UP))
    command = next(r for r in older["deployment"]["resources"] if r["type"] == "command:local:Command")
    command["outputs"]["stdout"] = json.dumps({**json.loads(command["outputs"]["stdout"]), "schema_version": 1})
    stack_state["state"] = older
    assert report.main(["nodes", "--after-up", "0", "--out", str(tmp_path)]) == 1
    assert "make report STACK=nodes" in capsys.readouterr().err


def test_no_stack_at_all_names_the_fix(stack_state: dict[str, Any], tmp_path: Path) -> None:
    stack_state["state"] = None
    with pytest.raises(report.ReportError, match=r"run `make up STACK=nodes` first"):
        report.stored_document("nodes")

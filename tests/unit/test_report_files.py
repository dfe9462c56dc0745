"""`make report` writes, next to the text report, the timeline, the report
page and the JUnit file, and names each; the page carries the Pulumi CLI's
and plugins' versions, asked of the CLI without failing the report when it
cannot answer."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from labstack import report
from probes.document import document_from_json
from report.page import RunRecord
from tests.fixtures.documents import load

PLUGIN_LS = """NAME        KIND      VERSION  SIZE    INSTALLED   LAST USED
command     resource  1.2.1    33 MB   1 day ago   1 hour ago
kubernetes  resource  4.25.0   120 MB  1 day ago   1 hour ago
python      language  3.259.0  20 MB   1 day ago   1 hour ago

TOTAL plugin cache size: 173 MB
"""


def test_the_report_writes_the_timeline_the_page_and_the_junit_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = load("pod-away-from-volume")
    files = report.write_report(document_from_json(doc), "seed", tmp_path, ["fresh"], RunRecord("seed", "v3.260.0"))
    assert [f.name for f in files] == ["seed-timeline.svg", "seed-report.html", "seed-checks.xml"]
    assert "StatefulSet web-sts vs Deployment web-dep" in capsys.readouterr().out
    assert ET.fromstring(files[0].read_text()).tag.endswith("svg")
    assert "Pulumi v3.260.0" in files[1].read_text() and "fresh" in files[1].read_text()
    assert len(ET.fromstring(files[2].read_text()).findall("testsuite/testcase")) == len(doc["checks"])


def test_main_names_every_file_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    written = [tmp_path / "seed-timeline.svg", tmp_path / "seed-report.html", tmp_path / "seed-checks.xml"]
    monkeypatch.setattr(report, "report", lambda stack, mode, out, failed_up=0: written)
    assert report.main(["seed", "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"Timeline: {written[0]}" in lines
    assert f"Report page: {written[1]}" in lines
    assert f"JUnit: {written[2]}" in lines


def test_the_resource_plugins_are_read_from_pulumi_plugin_ls() -> None:
    assert report.plugins_of(PLUGIN_LS) == ["command 1.2.1", "kubernetes 4.25.0"]
    assert report.plugins_of("") == []


def test_the_run_record_asks_the_cli_and_survives_its_absence(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {"version": "v3.260.0\n", "plugin": PLUGIN_LS}

    def pulumi(*args: str, **_: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(["pulumi", *args], 0, answers[args[0]], "")

    monkeypatch.setattr(report, "pulumi", pulumi)
    assert report.run_record("seed") == RunRecord("seed", "v3.260.0", ["command 1.2.1", "kubernetes 4.25.0"])

    def missing(*args: str, **_: object) -> subprocess.CompletedProcess[str]:
        raise FileNotFoundError("pulumi")

    monkeypatch.setattr(report, "pulumi", missing)
    assert report.run_record("seed") == RunRecord("seed")

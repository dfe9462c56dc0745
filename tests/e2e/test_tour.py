"""A short `make tour` for real: two experiments of two steps each (`--only parallel ordinals`)
on stacks and namespaces of their own (`e2e-tour-`), side by side, through
`python -m tour` as `make tour` runs it. Its page and JUnit file must hold
every step, each with verdicts; it prints one line per step; and it leaves
no stack behind. It is also where the start ordinal, minReadySeconds and
Parallel's scaling are judged end to end: their steps' checks must pass."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pulumi import automation as auto

from labstack.automation import LabStack
from labstack.experiments import TUTORIAL
from tests.fixtures.documents.page_reader import PageReader
from tour.runner import TourOptions

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
EXPERIMENTS = ("parallel", "ordinals")
STEPS = [step.name for step in TUTORIAL if step.stack in EXPERIMENTS]
PREFIX = "e2e-tour-"


LESSON_VERDICTS = {
    "ordinals": [
        "[statefulset] pod names are <statefulset>-<ordinal>",
        "[statefulset] one Bound claim per ordinal, mounted by its pod",
        "[statefulset] OrderedReady creates the next pod only minReadySeconds (5 s) after one is Ready",
    ],
    "ordinals-rollout": [
        "[statefulset] a rolling update replaces the next pod only minReadySeconds (5 s) after the new one is Ready",
        "[statefulset] ordinals >= start + partition (1) run the new revision, the others keep theirs",
    ],
    "parallel": ["[statefulset] Parallel creates pods without waiting for each other"],
    "parallel-scale-out": [
        "[statefulset] Parallel creates pods without waiting for each other",
        "[deployment] the Deployment scales out all at once",
        "[statefulset] the headless Service's SRV records name each Ready pod",
        "[deployment] the headless Service's SRV records name each Ready pod",
    ],
    "parallel-update": [
        "[statefulset] a rolling update replaces pods from the highest ordinal down, "
        "each after the one above is Ready again"
    ],
    "parallel-scale-in": ["[statefulset] Parallel scale-in deletes its pods without waiting for each other"],
}
"""Checks each step must pass: the start ordinal and minReadySeconds (stacks/Pulumi.ordinals.yaml), Parallel's
scale-out, update (one pod at a time still) and scale-in, the Deployment's scale-out, and the SRV records."""


def passed_checks(suites: ET.Element, step: str) -> set[str]:
    """The names of the checks of one step's test suite that neither failed nor were skipped (JUnit)."""
    (suite,) = [s for s in suites if s.get("name") == f"tour {step}"]
    return {
        f"[{case.get('classname')}] {case.get('name')}"
        for case in suite.findall("testcase")
        if case.find("failure") is None and case.find("skipped") is None and case.find("error") is None
    }


def test_a_short_tour_writes_one_page_and_one_junit_file_with_every_step(setup_stack: LabStack, tmp_path: Path) -> None:
    # The set-up stack has installed local-path: the tour uses it rather than racing it to install its own.
    home, out = tmp_path / "home", tmp_path / "out"
    argv = [sys.executable, "-m", "tour", "--only", *EXPERIMENTS, "--prefix", PREFIX, "--jobs", "2"]
    done = subprocess.run(
        [*argv, "--home", str(home), "--out", str(out)],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("[")]
    assert sorted(line.split()[1] for line in lines) == sorted(STEPS), done.stdout
    assert lines[-1].startswith(f"[{len(STEPS)}/{len(STEPS)}]") and lines[-1].endswith("done"), lines

    page = PageReader((out / "tour.html").read_text())
    steps = {e.attrs["id"] for e in page.find("div", "step")}
    assert steps == {f"step-{name}" for name in STEPS}
    assert len(page.find("div", "check")) > 10 and page.errors == []

    suites = ET.parse(out / "tour-checks.xml").getroot()
    assert {s.get("name") for s in suites} == {f"tour {name}" for name in STEPS}
    for suite in suites:
        assert len(suite.findall("testcase")) > 10, suite.get("name")
        assert suite.get("errors") == "0", ET.tostring(suite, encoding="unicode")[:3000]
    # The tour's steps are the lessons' own: their verdicts are judged here, not again in a scenario of their own.
    for step, checks in LESSON_VERDICTS.items():
        passed = passed_checks(suites, step)
        assert set(checks) <= passed, f"{step}: not passed: {set(checks) - passed}"

    left = auto.LocalWorkspace(work_dir=str(home / "project"), env_vars=TourOptions(home=home).env()).list_stacks()
    assert [s.name for s in left] == [], "the tour destroys and removes every stack it made"

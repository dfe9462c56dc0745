"""The tour's page and JUnit file, made from recorded lesson documents: every
step is there with its commands, verdicts, evidence and timeline; a step
that went wrong or never ran says so; the JUnit file has one test case per
check per step."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from labstack.experiments import sections
from probes.facts import FAILED, GATE_FAILING, INCONCLUSIVE, NOT_APPLICABLE
from tests.fixtures.documents.page_reader import Element, PageReader
from tests.unit.recorded_tour import BROKEN, NOT_RUN, recorded_steps, recorded_tour
from tour.junit import RAN_AS_MEANT, render_tour_junit
from tour.page import render_tour_page, section_anchor, step_anchor


@pytest.fixture(scope="module")
def page() -> PageReader:
    return PageReader(render_tour_page(recorded_tour()))


def step_div(page: PageReader, name: str) -> Element:
    (found,) = [e for e in page.find("div", "step") if e.attrs.get("id") == f"step-{name}"]
    return found


def test_the_page_is_well_formed_and_its_ids_are_unique(page: PageReader) -> None:
    assert page.errors == []
    ids = Counter(e.attrs["id"] for e in page.elements if "id" in e.attrs)
    assert [i for i, n in ids.items() if n > 1] == []


def test_every_step_has_its_section_its_command_and_a_row_at_a_glance(page: PageReader) -> None:
    glance = {a.attrs["href"] for a in page.find("a") if a.within("table", "glance")}
    for step in recorded_steps():
        div = step_div(page, step.name)
        assert step.make_command in div.all_text
        assert div.within("section") is not None
        assert div.within("section").attrs["id"] == section_anchor(step.section)  # type: ignore[union-attr]
        assert f"#{step_anchor(step)}" in glance


def test_the_contents_list_every_section_of_the_tutorial(page: PageReader) -> None:
    (contents,) = [s for s in page.find("section") if s.attrs.get("id") == "contents"]
    for title, _ in sections(recorded_steps()):
        assert title in contents.all_text


def test_each_step_shows_each_of_its_checks_with_its_verdict_and_its_timeline(page: PageReader) -> None:
    run = recorded_tour()
    for step in recorded_steps():
        result = run.results.get(step.name)
        if result is None or result.document is None:
            continue
        div = step_div(page, step.name)
        checks = [e for e in page.find("div", "check") if e.within("div", "step") is div]
        assert len(checks) == len(result.document.checks), step.name
        for shown, check in zip(
            sorted(checks, key=lambda e: int(e.attrs["id"].rsplit("-", 1)[1])), result.document.checks, strict=True
        ):
            assert check.name in shown.all_text and check.verdict.replace(" ", "-") in shown.classes
        assert [s for s in page.find("svg") if s.within("div", "step") is div], f"{step.name} has no timeline"


def test_checks_that_did_not_pass_show_their_evidence_and_open_their_step(page: PageReader) -> None:
    run = recorded_tour()
    failing = [
        s.name
        for s in recorded_steps()
        if (r := run.results.get(s.name)) and r.document and any(c.verdict in GATE_FAILING for c in r.document.checks)
    ]
    assert failing, "the recorded lessons have inconclusive checks (a drained node, a stalled rollout)"
    for name in failing:
        (details,) = [d for d in page.find("details") if d.within("div", "step") is step_div(page, name)]
        assert "open" in details.attrs
        assert [d for d in page.find("div", "detail") if d.within("div", "step") is step_div(page, name)]


def test_a_step_has_the_kubectl_a_learner_would_type(page: PageReader) -> None:
    assert "kubectl delete pod web-sts-2" in step_div(page, "staging-delete-pod").all_text
    assert "kubectl drain" in step_div(page, "drain").all_text
    assert "by hand" not in step_div(page, "adopt").all_text, "adopting has no kubectl of its own"
    assert "kubectl delete pod -l app=nginx-sts" in step_div(page, "delete-pods").all_text, "the stack file's lesson"


def test_a_step_that_went_wrong_and_one_never_reached_say_so(page: PageReader) -> None:
    assert "Did not run as the tutorial says: up failed: no such cluster" in step_div(page, BROKEN).all_text
    assert "Not run: the tour stopped before this step." in step_div(page, NOT_RUN).all_text
    assert "The tour was interrupted." in page.all_text


def test_the_header_counts_every_verdict_and_the_total_time(page: PageReader) -> None:
    run = recorded_tour()
    (overview,) = [s for s in page.find("section") if s.attrs.get("id") == "overview"]
    checks = [c for r in run.results.values() if r.document for c in r.document.checks]
    for verdict in (FAILED, INCONCLUSIVE, NOT_APPLICABLE):
        assert f"{sum(c.verdict == verdict for c in checks)} {verdict}" in overview.all_text
    assert "took 14m02s" in overview.all_text


def test_the_junit_file_has_one_case_per_check_per_step() -> None:
    run = recorded_tour()
    ran = [(s, run.results[s.name]) for s in recorded_steps() if s.name in run.results]
    suites = ET.fromstring(render_tour_junit(ran))
    by_name = {suite.get("name"): suite for suite in suites}
    assert set(by_name) == {f"tour {s.name}" for s, _ in ran}
    for step, result in ran:
        cases = by_name[f"tour {step.name}"].findall("testcase")
        if result.document is None:
            (case,) = cases
            assert case.get("name") == RAN_AS_MEANT and case.find("error") is not None
        else:
            assert [c.get("name") for c in cases] == [c.name for c in result.document.checks]
    total = sum(len(r.document.checks) if r.document else 1 for _, r in ran)
    assert suites.get("tests") == str(total) and suites.get("errors") == "1"


def test_a_step_with_verdicts_that_did_not_run_as_meant_gets_an_error_case_beside_its_checks() -> None:
    run = recorded_tour()
    step = next(s for s in recorded_steps() if s.name == "rollback-stalled")
    result = run.results[step.name]
    wrong = type(result)(**{**result.__dict__, "problem": "up succeeded, but this step's lesson is an up that fails"})
    (suite,) = ET.fromstring(render_tour_junit([(step, wrong)]))
    errors = [c for c in suite.findall("testcase") if c.find("error") is not None]
    assert [c.get("name") for c in errors] == [RAN_AS_MEANT]
    assert suite.get("errors") == "1" and suite.get("tests") == str(len(result.document.checks) + 1)  # type: ignore[union-attr]

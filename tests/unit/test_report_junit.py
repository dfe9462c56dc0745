"""The checks as JUnit XML, from observer documents in every state: it parses,
has one testcase per check named after it, counts what it holds, says what
was expected and observed for every failure and why for every skip, and
turns a run that saw nothing into an error rather than an empty success."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from probes.document import document_from_json
from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, verdict_of
from report.junit import render_junit
from tests.fixtures.documents import NAMES, document, load

OBSERVED = [n for n in NAMES if n != "unobserved"]


def suite_of(xml: str) -> ET.Element:
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    for key in ("tests", "failures", "errors", "skipped"):
        assert root.get(key) == suite.get(key), key
    return suite


@pytest.mark.parametrize("name", OBSERVED)
def test_one_testcase_per_check_named_after_it(name: str) -> None:
    doc = load(name)
    cases = suite_of(render_junit(document_from_json(doc), "seed")).findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [(c["workload"], c["name"]) for c in doc["checks"]]


@pytest.mark.parametrize("name", OBSERVED)
def test_the_suite_counts_what_it_holds(name: str) -> None:
    doc = load(name)
    suite = suite_of(render_junit(document_from_json(doc), "seed"))
    verdicts = [verdict_of(c) for c in doc["checks"]]
    assert suite.get("tests") == str(len(verdicts))
    assert suite.get("failures") == str(verdicts.count(FAILED)) == str(len(suite.findall("testcase/failure")))
    skipped = verdicts.count(INCONCLUSIVE) + verdicts.count(NOT_APPLICABLE)
    assert suite.get("skipped") == str(skipped) == str(len(suite.findall("testcase/skipped")))
    assert suite.get("errors") == "0"


@pytest.mark.parametrize("name", OBSERVED)
def test_failures_say_what_was_expected_and_observed_and_skips_say_why(name: str) -> None:
    doc = load(name)
    cases = suite_of(render_junit(document_from_json(doc), "seed")).findall("testcase")
    for check, case in zip(doc["checks"], cases, strict=True):
        verdict = verdict_of(check)
        if verdict == FAILED:
            (failure,) = case.findall("failure")
            assert failure.get("message") == f"expected {check['expected']}; observed {check['observed']}"
            assert "hint: " in (failure.text or "")
            assert all(e["command"] in (failure.text or "") for e in check.get("evidence", []))
        elif verdict in (INCONCLUSIVE, NOT_APPLICABLE):
            (skipped,) = case.findall("skipped")
            assert skipped.get("message") == f"{verdict}: {check['observed']}"
        else:
            assert list(case) == []


def test_the_fixtures_give_every_kind_of_testcase() -> None:
    xml = "".join(render_junit(document(n), "seed") for n in OBSERVED)
    assert "<failure " in xml and "<skipped " in xml and "inconclusive: " in xml and "not applicable: " in xml


def test_a_run_that_saw_nothing_is_an_error_not_an_empty_success() -> None:
    doc = load("unobserved")
    suite = suite_of(render_junit(document_from_json(doc), "seed"))
    (case,) = suite.findall("testcase")
    (error,) = case.findall("error")
    assert doc["unobserved"] in (error.get("message") or "")
    assert (suite.get("tests"), suite.get("errors"), suite.get("failures")) == ("1", "1", "0")


def test_text_xml_cannot_hold_is_replaced_and_markup_is_escaped() -> None:
    doc = load("orphaned")
    failed = next(c for c in doc["checks"] if verdict_of(c) == FAILED)
    failed["observed"] = "\x1b[31mred\x1b[0m <failure/> & done"
    failed["name"] = 'name with "quotes" and <tags>'
    xml = render_junit(document_from_json(doc), "seed")
    case = next(c for c in suite_of(xml).findall("testcase") if c.get("name") == failed["name"])
    assert case.find("failure").get("message", "").endswith("?[31mred?[0m <failure/> & done")  # type: ignore[union-attr]


def test_the_suite_names_the_stack_and_the_cluster() -> None:
    doc = load("stranger")
    suite = suite_of(render_junit(document_from_json(doc), "seed"))
    assert suite.get("name") == "statefulset-lab seed"
    assert suite.get("hostname") == doc["cluster"]["context"]
    properties = {p.get("name"): p.get("value") for p in suite.findall("properties/property")}
    assert properties["kubernetes.version"] == doc["cluster"]["kubernetes_version"]
    assert properties["observed_at"] == doc["observed_at"]

"""The report page, rendered from observer documents in every state: one
self-contained, well-formed file with its sections in order; every check
under its lesson, with evidence and the pods' events and logs only where a
check failed or was inconclusive and a hint where it failed; text from the
cluster shown as text, never as markup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from probes.document import document_from_json
from probes.facts import FAILED, GATE_FAILING, PASSED, Check, verdict_of
from probes.parse import parse_time
from probes.topics import TOPICS
from report.hints import GENERIC, HINTS, hint_for
from report.page import RunRecord, age, render_page
from report.page_checks import OTHER
from tests.fixtures.documents import NAMES, document, load
from tests.fixtures.documents.page_reader import Element, PageReader
from tests.fixtures.documents.regenerate import SCENARIOS

RUN = RunRecord("seed", "v3.260.0", ["command 1.2.1", "kubernetes 4.25.0"])
OBSERVED = [n for n in NAMES if n != "unobserved"]
HOSTILE = '<script>alert("x")</script>'


def read(doc: dict[str, Any], status: list[str] | None = None) -> PageReader:
    now = parse_time(doc["observed_at"]) + timedelta(minutes=5)
    page = PageReader(render_page(document_from_json(doc), RUN, status, now))
    assert page.errors == []
    return page


def section_of(element: Element) -> str:
    section = element.within("section")
    return section.attrs.get("id", "") if section else ""


def check_div(page: PageReader, index: int) -> Element:
    (found,) = [e for e in page.find("div", "check") if e.attrs.get("id") == f"check-{index}"]
    return found


@pytest.mark.parametrize("name", OBSERVED)
def test_the_page_is_one_well_formed_file_with_its_sections_in_order(name: str) -> None:
    page = read(load(name))
    assert [s.attrs.get("id") for s in page.find("section")] == [
        "overview", "comparison", "checks", "timeline", "topology", "pods",
    ]  # fmt: skip
    assert page.find("style") and len(page.find("svg")) == 2
    assert not page.find("script") and not page.find("link") and not page.find("img")
    links = [e.attrs["href"] for e in page.elements if "href" in e.attrs]
    assert links and all(href.startswith("#") for href in links), "nothing is fetched or linked away"
    assert not [e for e in page.elements if "src" in e.attrs]


@pytest.mark.parametrize("name", OBSERVED)
def test_every_check_is_on_the_page_under_its_lesson(name: str) -> None:
    doc = load(name)
    page = read(doc)
    titles = [h.all_text for h in page.find("h3") if section_of(h) == "checks"]
    expected = [TOPICS[k] for k in TOPICS if any(c.get("topic") == k for c in doc["checks"])]
    assert len(titles) == len(expected) and all(t.startswith(e) for t, e in zip(titles, expected, strict=True))
    for i, check in enumerate(doc["checks"]):
        div = check_div(page, i)
        assert verdict_of(check).replace(" ", "-") in div.classes
        assert check["name"] in div.all_text and check["observed"] in div.all_text
        assert check["workload"] in div.all_text


@pytest.mark.parametrize("name", OBSERVED)
def test_evidence_events_and_logs_only_for_checks_that_did_not_pass(name: str) -> None:
    doc = load(name)
    page = read(doc)
    for i, check in enumerate(doc["checks"]):
        div = check_div(page, i)
        inside = [e for e in page.elements if div in e.ancestors]
        pres = [e for e in inside if e.tag == "pre"]
        if verdict_of(check) not in GATE_FAILING:
            assert not pres and not [e for e in inside if "detail" in e.classes], check["name"]
            continue
        for evidence in check.get("evidence", []):
            assert evidence["command"] in div.all_text
            assert any(evidence["output"].strip() in p.all_text for p in pres)
        for pod in check.get("pods", []):
            if pod in doc.get("diagnostics", {}):
                diagnostics = doc["diagnostics"][pod]
                shown = all(event in div.all_text for event in diagnostics["events"])
                assert shown or f"Events and log of {pod}: shown above" in div.all_text
    # Each pod's events and log appear once, where the first check about it is.
    headings = [h.attrs.get("id") for h in page.find("h4") if h.attrs.get("id", "").startswith("pod-")]
    assert len(headings) == len(set(headings))


def test_the_fixtures_hold_failed_and_inconclusive_checks_with_evidence_and_diagnostics() -> None:
    verdicts = {verdict_of(c) for n in OBSERVED for c in load(n)["checks"]}
    assert {"passed", "failed", "inconclusive", "not applicable"} <= verdicts
    assert any(c.get("evidence") for n in OBSERVED for c in load(n)["checks"] if verdict_of(c) == FAILED)
    assert any(load(n).get("diagnostics") for n in OBSERVED)


@pytest.mark.parametrize("name", OBSERVED)
def test_each_failed_check_gets_its_hint(name: str) -> None:
    doc = load(name)
    page = read(doc)
    for i, check in enumerate(document_from_json(doc).checks):
        hints = [e for e in page.find("div", "hint") if check_div(page, i) in e.ancestors]
        if verdict_of(check) == FAILED:
            assert [h.all_text for h in hints] == [hint_for(check)]
        else:
            assert hints == []
    failed = [c for c in doc["checks"] if verdict_of(c) == FAILED]
    assert len(page.find("div", "hint")) == len(failed)


def test_hints_are_found_by_name_with_numbers_and_names_standing_for_any() -> None:
    def named(name: str) -> Check:
        return Check(name, "statefulset", "failed", "e", "o")

    partition = named("ordinals >= partition (2) run the new revision, the others keep theirs")
    assert hint_for(partition) == HINTS["ordinals >= partition (N) run the new revision, the others keep theirs"]
    stopped = named("while lab-worker-1 is down, web-sts-1 is not replaced: it stays the only web-sts-1")
    assert hint_for(stopped) == HINTS["while * is down, * is not replaced: it stays the only *"]
    assert hint_for(named("a check nobody wrote a hint for")) == GENERIC
    assert all(len(hint) < 260 and "\n" not in hint for hint in HINTS.values()), "one line each"


def hostile(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with markup wherever the cluster or a command supplies text."""
    pod = doc["pods"]["statefulset"][0]
    old = pod["name"]
    pod["name"] = HOSTILE
    pod["state"] = "<img src=x onerror=alert(1)>"
    doc["nodes"][0]["name"] = '"><svg onload=alert(1)>'
    for check in doc["checks"]:
        check["observed"] = check["observed"].replace(old, HOSTILE) + " </pre><script>bad()</script>"
        check["pods"] = [HOSTILE if p == old else p for p in check.get("pods", [])]
        if verdict_of(check) == FAILED:
            check["pods"].append(HOSTILE)
        for evidence in check.get("evidence", []):
            evidence["output"] += "\n</pre><script>alert(2)</script>"
    doc["diagnostics"] = {HOSTILE: {"events": ["<b onclick=x()>event</b>"], "log": "</pre><script>log()</script>"}}
    doc["cluster"]["server"] = "https://<script>server</script>"
    return doc


def test_text_from_the_cluster_is_shown_as_text_never_as_markup() -> None:
    doc = hostile(load("stranger"))
    page = read(doc)
    assert not page.find("script") and not page.find("img")
    assert not [b for b in page.find("b") if "event" in b.all_text]
    svg_children = {e.tag for e in page.elements if e.within("svg")}
    assert "svg" not in svg_children, "a node name opened no svg of its own"
    assert not [e for e in page.elements if any(a.startswith("on") for a in e.attrs)]
    text = page.all_text
    assert HOSTILE in text and "<img src=x onerror=alert(1)>" in text and "</pre><script>bad()</script>" in text
    assert "<b onclick=x()>event</b>" in text and "</pre><script>log()</script>" in text


def test_the_header_says_when_where_and_with_what() -> None:
    doc = load("stranger")
    page = read(doc, ["the cluster has not changed since"])
    (header,) = [s for s in page.find("section") if s.attrs.get("id") == "overview"]
    text = header.all_text
    assert f"{doc['observed_at']} (5 min ago)" in text
    assert "stack seed" in text and doc["cluster"]["context"] in text and doc["cluster"]["server"] in text
    assert f"Kubernetes {doc['cluster']['kubernetes_version']}" in text
    assert "Pulumi v3.260.0" in text and "command 1.2.1, kubernetes 4.25.0" in text
    assert "the cluster has not changed since" in text
    assert "StatefulSet web-sts" in text and "Deployment web-dep" in text
    failing = [i for i, c in enumerate(doc["checks"]) if verdict_of(c) in GATE_FAILING]
    links = [a.attrs["href"] for a in page.find("a") if section_of(a) == "overview"]
    assert [f"#check-{i}" for i in failing] == [href for href in links if href.startswith("#check-")]


def test_the_side_by_side_table_has_the_text_reports_rows() -> None:
    page = read(load("stranger"))
    (table,) = page.find("table", "comparison")
    rows = [e for e in page.elements if e.tag == "tr" and table in e.ancestors]
    labels = [r.all_text for r in rows]
    assert len(rows) == 10 and labels[0].startswith("StatefulSet web-sts")
    assert any("www-web-dep (shared by 2 pods)" in row for row in labels)
    assert any("(one per ordinal)" in row for row in labels)


def test_an_older_document_files_its_checks_under_other() -> None:
    doc = load("lab-seed")
    page = read(doc)
    titles = [h.all_text for h in page.find("h3")]
    assert any(t.startswith(OTHER) for t in titles)
    assert "Kubernetes not recorded" in page.all_text
    assert len(page.find("div", "check")) == len(doc["checks"])
    assert all("passed" in div.classes for div in page.find("div", "check"))


def test_an_unobserved_document_says_so_and_nothing_else() -> None:
    doc = load("unobserved")
    page = read(doc)
    assert [s.attrs.get("id") for s in page.find("section")] == ["overview"]
    assert "Not observed:" in page.all_text and doc["unobserved"] in page.all_text
    assert not page.find("svg") and not page.find("div", "check")


def test_each_section_prints_on_a_page_of_its_own() -> None:
    page = render_page(document("stranger"), RUN)
    css = page[page.index("<style>") : page.index("</style>")]
    assert "@media print" in css and "@page" in css and "size: A4" in css
    assert "page-break-before: always" in css and "break-before: page" in css


def test_age_is_said_in_the_largest_unit_that_fits() -> None:
    then = datetime(2026, 12, 2, 21, 0, tzinfo=UTC)
    assert age(then, then + timedelta(seconds=42)) == "42 s ago"
    assert age(then, then + timedelta(minutes=5, seconds=3)) == "5 min ago"
    assert age(then, then + timedelta(hours=3)) == "3 h ago"
    assert age(then, then + timedelta(days=2)) == "2 days ago"
    assert "clocks disagree" in age(then, then - timedelta(seconds=5))


def test_a_passing_check_shows_what_was_expected_and_observed() -> None:
    doc = load("stranger")
    page = read(doc)
    i, check = next((i, c) for i, c in enumerate(doc["checks"]) if verdict_of(c) == PASSED)
    text = check_div(page, i).all_text
    assert check["expected"] in text and check["observed"] in text


def test_every_regenerated_document_is_among_the_fixtures() -> None:
    assert tuple(SCENARIOS) == NAMES

"""The checks as JUnit XML (`out/<stack>-checks.xml`), the format CI systems
read: one testcase per check, its classname the workload and its name the
check's.

- passed: a plain testcase;
- failed: a <failure> whose message is what was expected and what was
  observed, and whose text adds the hint and the evidence;
- inconclusive and not applicable: <skipped> with the reason (the check's
  observation says why it could not judge, or had nothing to judge);
- a document that could not be observed has no checks; it becomes one
  testcase with an <error>, so a pipeline never reads "nothing failed"
  from a run that saw nothing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from probes.document import ProbeDocument
from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, Check, Verdict
from report.hints import hint_for

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold at all (terminal escapes in a log, say)."""


def xml_text(value: object) -> str:
    """The value as text an XML document can carry."""
    return _NOT_XML.sub("?", str(value))


def failure_message(check: Check) -> str:
    return xml_text(f"expected {check.expected or '-'}; observed {check.observed or '-'}")


def _failure_text(check: Check) -> str:
    lines = [f"hint: {hint_for(check)}"]
    for item in check.evidence:
        lines += ["", f"$ {item.command}", item.output]
    return xml_text("\n".join(lines))


def _testcase(suite: ET.Element, check: Check) -> Verdict:
    """Adds the check's testcase; returns its verdict."""
    verdict = check.verdict
    case = ET.SubElement(suite, "testcase", classname=xml_text(check.workload), name=xml_text(check.name), time="0")
    if verdict == FAILED:
        failure = ET.SubElement(case, "failure", message=failure_message(check), type="failed")
        failure.text = _failure_text(check)
    elif verdict in (INCONCLUSIVE, NOT_APPLICABLE):
        ET.SubElement(case, "skipped", message=xml_text(f"{verdict}: {check.observed or 'no reason given'}"))
    return verdict


def add_testsuite(suites: ET.Element, doc: ProbeDocument, name: str, stack: str) -> dict[str, int]:
    """Adds the document's checks as one <testsuite> called `name`; returns its counts."""
    cluster = doc.cluster
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=xml_text(name),
        timestamp=xml_text(doc.observed_at.removesuffix("Z")),
        hostname=xml_text(cluster.context or "cluster"),
    )
    properties = ET.SubElement(suite, "properties")
    for key, value in (
        ("stack", stack),
        ("observed_at", doc.observed_at),
        ("cluster.server", cluster.server),
        ("kubernetes.version", cluster.kubernetes_version),
    ):
        if value:
            ET.SubElement(properties, "property", name=key, value=xml_text(value))
    verdicts = [_testcase(suite, c) for c in doc.checks]
    errors = 0
    if doc.unobserved:
        case = ET.SubElement(suite, "testcase", classname="cluster", name="the probes list the cluster's objects")
        ET.SubElement(case, "error", message=xml_text(f"not observed: {doc.unobserved}"), type="unobserved")
        errors = 1
    counts = {
        "tests": len(verdicts) + errors,
        "failures": verdicts.count(FAILED),
        "errors": errors,
        "skipped": verdicts.count(INCONCLUSIVE) + verdicts.count(NOT_APPLICABLE),
    }
    set_counts(suite, counts)
    return counts


def set_counts(element: ET.Element, counts: dict[str, int]) -> None:
    for key, value in counts.items():
        element.set(key, str(value))
    element.set("time", element.get("time", "0"))


def xml_document(suites: ET.Element) -> str:
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def render_junit(doc: ProbeDocument, stack: str) -> str:
    """The JUnit XML of the document's checks, one <testsuite> for the stack."""
    suites = ET.Element("testsuites", name="statefulset-lab")
    set_counts(suites, add_testsuite(suites, doc, f"statefulset-lab {stack}", stack))
    return xml_document(suites)

"""The tour's checks as JUnit XML (`out/tour-checks.xml`): one <testsuite>
per step, named after it, whose testcases are the step's checks as
`make report` writes them (report.junit). A step that did not run as the
tutorial means (its `up` failed, or did not fail, against the lesson; no
probe document) gets a testcase with an <error> saying so, so a pipeline
never reads "nothing failed" from a step that showed nothing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from labstack.experiments import Step
from labstack.step_runner import StepResult
from report.junit import add_testsuite, set_counts, xml_document, xml_text

RAN_AS_MEANT = "the step runs as the tutorial says"


def _problem_suite(suites: ET.Element, step: Step, result: StepResult) -> dict[str, int]:
    suite = ET.SubElement(suites, "testsuite", name=xml_text(f"tour {step.name}"))
    case = ET.SubElement(suite, "testcase", classname=xml_text(step.stack), name=RAN_AS_MEANT)
    ET.SubElement(case, "error", message=xml_text(result.problem or "no probe document"), type="step")
    counts = {"tests": 1, "failures": 0, "errors": 1, "skipped": 0}
    set_counts(suite, counts)
    return counts


def render_tour_junit(ran: Iterable[tuple[Step, StepResult]]) -> str:
    suites = ET.Element("testsuites", name="statefulset-lab tour")
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for step, result in ran:
        if result.document is None:
            counts = _problem_suite(suites, step, result)
        else:
            counts = add_testsuite(suites, result.document, f"tour {step.name}", step.stack)
            suite = suites[-1]
            suite.set("time", str(result.seconds))
            if result.problem:
                case = ET.SubElement(suite, "testcase", classname=xml_text(step.stack), name=RAN_AS_MEANT)
                ET.SubElement(case, "error", message=xml_text(result.problem), type="step")
                counts = counts | {"tests": counts["tests"] + 1, "errors": counts["errors"] + 1}
                set_counts(suite, counts)
        total = {key: total[key] + counts[key] for key in total}
    set_counts(suites, total)
    return xml_document(suites)

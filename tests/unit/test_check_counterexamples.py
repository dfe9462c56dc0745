"""Every check can fail: for each check name the code can emit, a state where it
passes and a state a real cluster can be in where it fails
(tests/unit/counterexamples.py). The names come from the source of
probes/checks (tests/unit/check_names.py), so a check added without both
examples fails here."""

from __future__ import annotations

import re

import pytest

from probes.checks import evaluate
from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, PASSED
from tests.unit.check_names import emitted_name_patterns
from tests.unit.counterexamples import EXAMPLES, Example


def _label(example: Example) -> str:
    return f"{example.verdict}: {example.check} ({example.why})"


@pytest.mark.parametrize("example", EXAMPLES, ids=_label)
def test_each_example_gets_its_verdict(example: Example) -> None:
    e, o = example.state()
    found = {f"[{c.workload}] {c.name}": c for c in evaluate(e, o)}
    assert example.check in found, sorted(found)
    check = found[example.check]
    assert check.verdict == example.verdict, check.observed
    assert check.observed.strip(), "a verdict states its evidence"


def _examples_of(pattern: str, verdict: str) -> list[Example]:
    return [x for x in EXAMPLES if x.verdict == verdict and re.fullmatch(pattern, x.check.split("] ", 1)[1])]


CHECK_MODULES = [
    "actors.py",
    "claim_lesson.py",
    "dns.py",
    "dns_lesson.py",
    "held_back.py",
    "history.py",
    "labels.py",
    "lessons.py",
    "nodes.py",
    "pods.py",
    "provisioning.py",
    "rollout.py",
    "srv.py",
    "unavailable_budget.py",
    "storage.py",
    "workloads.py",
]


# One test per module, the names read when it runs: reading them at collection
# would slow every run that leaves these tests out (mutation testing reads a
# mutated copy of probes/checks many times its size).
@pytest.mark.parametrize("module", CHECK_MODULES)
def test_every_check_the_code_can_emit_has_a_passing_and_a_failing_example(module: str) -> None:
    missing = [
        f"the check made at probes/checks/{where} ({pattern}) has no {' or '.join(absent)} example"
        for pattern, where in sorted(emitted_name_patterns().items())
        if where.startswith(f"{module}:") and (absent := [v for v in (PASSED, FAILED) if not _examples_of(pattern, v)])
    ]
    assert not missing, "\n".join(missing)


def test_the_names_are_read_from_every_check_module() -> None:
    """The reader must find the checks of each module, or the test above proves nothing."""
    modules = {where.split(":")[0] for where in emitted_name_patterns().values()}
    assert modules == set(CHECK_MODULES)


@pytest.mark.parametrize("example", EXAMPLES, ids=_label)
def test_every_check_of_every_example_states_a_verdict_what_it_expects_and_what_it_saw(example: Example) -> None:
    """What the report and the JUnit file show of each check: one of the four
    verdicts, and both texts, on the passing and the failing states alike."""
    e, o = example.state()
    for check in evaluate(e, o):
        assert check.verdict in (PASSED, FAILED, INCONCLUSIVE, NOT_APPLICABLE), check
        assert isinstance(check.expected, str) and check.expected.strip(), check
        assert isinstance(check.observed, str) and check.observed.strip(), check

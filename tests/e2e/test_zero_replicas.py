"""Zero replicas are legal: `pulumi up` returns at once and every check
without the pods it needs says "not applicable", none fails."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from labstack.automation import LabStack, assert_checks_pass
from probes.facts import verdict_of

pytestmark = pytest.mark.e2e


def test_zero_replicas_of_both_workloads_give_no_verdict_without_evidence(
    scenario_stack: Callable[..., LabStack],
) -> None:
    stack = scenario_stack("zero", replicas="0", deploymentReplicas="0")
    stack.up("no pods at all")
    assert stack.seconds_of("no pods at all") < 120, stack.timings
    assert_checks_pass(stack)
    verdicts = {name: verdict_of(c) for name, c in stack.checks().items()}
    for name in ("[statefulset] hostname is the pod name", "[deployment] hostname is the pod name"):
        assert verdicts[name] == "not applicable", verdicts

    stack.up("one of each", replicas="1", deploymentReplicas="1")
    verdicts = {name: verdict_of(c) for name, c in stack.checks().items()}
    assert verdicts["[statefulset] hostname is the pod name"] == "passed", verdicts
    assert verdicts["[deployment] one Bound claim shared by every pod"] == "passed", verdicts

"""The probes observe whatever state the workloads are in, through the
stack's own probe command (what `make report` runs)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from labstack.automation import LabStack, assert_checks_pass
from tests.e2e.kube import kubectl

pytestmark = pytest.mark.e2e
SERVICE_CHECK = "[statefulset] the Service's own name resolves to its Ready pods"


def test_a_stranger_with_the_label_is_listed_and_the_service_check_names_it(
    scenario_stack: Callable[..., LabStack],
) -> None:
    ns = "e2e-strangers"
    stack = scenario_stack("strangers")
    stack.up("the seed's set-up")
    kubectl(
        "run", "x", f"--namespace={ns}", "--labels=app=nginx-sts", "--image=registry.k8s.io/nginx-slim:0.24",
        "--image-pull-policy=IfNotPresent",
    )  # fmt: skip
    try:
        kubectl("wait", "--for=condition=Ready", "pod/x", f"--namespace={ns}", "--timeout=120s", timeout=150)
        stack.observe_again()
        document = stack.probes()
        assert [p.name for p in document.pods.strangers] == ["x"]
        assert [p.name for p in document.pods.statefulset] == ["web-sts-0", "web-sts-1"]
        service = stack.checks()[SERVICE_CHECK]
        assert service.verdict == "failed", service
        assert "x (" in service.observed and "does not own" in service.observed
        assert_checks_pass(
            stack,
            "[statefulset] pod names are <statefulset>-<ordinal>",
            "[statefulset] hostname is the pod name",
            "[statefulset] <pod>.<service> resolves to the pod's IP",
        )
    finally:
        kubectl("delete", "pod", "x", f"--namespace={ns}", "--wait=true", "--timeout=60s")
    stack.observe_again()
    assert_checks_pass(stack, SERVICE_CHECK)

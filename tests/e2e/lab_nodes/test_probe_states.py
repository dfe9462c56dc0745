"""States only the lab cluster lets the suite create: no cluster DNS at all."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from labstack.automation import LabStack, assert_checks_pass
from tests.e2e.kube import kubectl, kubectl_json

pytestmark = pytest.mark.e2e


def coredns_replicas() -> int:
    return int(kubectl_json("get", "deployment", "coredns", "--namespace=kube-system")["spec"]["replicas"])


def test_without_coredns_the_dns_checks_are_inconclusive_and_the_rest_is_judged(
    scenario_stack: Callable[..., LabStack],
) -> None:
    stack = scenario_stack("no-dns")
    stack.up("the seed's set-up")
    replicas = coredns_replicas()
    kubectl("scale", "deployment", "coredns", "--namespace=kube-system", "--replicas=0")
    try:
        kubectl(
            "wait", "--for=delete", "pod", "--selector=k8s-app=kube-dns", "--namespace=kube-system", "--timeout=120s",
            timeout=150,
        )  # fmt: skip
        stack.observe_again()
    finally:
        kubectl("scale", "deployment", "coredns", "--namespace=kube-system", f"--replicas={replicas}")
        kubectl("rollout", "status", "deployment/coredns", "--namespace=kube-system", "--timeout=180s", timeout=200)
    checks = stack.checks()
    dns = {name: c for name, c in checks.items() if "resolve" in c.name}
    assert len(dns) == 6
    assert {c.verdict for c in dns.values()} == {"inconclusive"}, dns
    for check in dns.values():
        assert "control kubernetes.default: " in check.observed, check
        assert "kubernetes.default -> " not in check.observed, "the control must not have resolved"
    assert_checks_pass(stack, *(name for name in checks if name not in dns))

"""States only the lab cluster lets the suite create: no cluster DNS at all."""

from __future__ import annotations

import pytest

from tests.e2e.kube import kubectl, kubectl_json
from tests.e2e.lab_nodes.conftest import SplitLab, assert_split, without_lesson

pytestmark = pytest.mark.e2e


def coredns_replicas() -> int:
    return int(kubectl_json("get", "deployment", "coredns", "--namespace=kube-system")["spec"]["replicas"])


def test_without_coredns_the_dns_checks_are_inconclusive_and_the_rest_is_judged(split_lab: SplitLab) -> None:
    assert_split(split_lab)
    without_lesson(split_lab, "no lesson: the set-up's checks")
    stack = split_lab.stack
    before = {name: c.verdict for name, c in stack.checks().items()}
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
    assert len(dns) == 7
    assert {before.get(name) for name in dns} == {"passed"}, "the DNS checks passed while DNS answered"
    assert {c.verdict for c in dns.values()} == {"inconclusive"}, dns
    for check in dns.values():
        assert "control kubernetes.default: " in check.observed, check
        assert "kubernetes.default -> " not in check.observed, "the control must not have resolved"
    # The SRV records are asked of the DNS Service through a port-forward, which finds no pod to forward to.
    srv = {name: c for name, c in checks.items() if "SRV" in c.name}
    assert len(srv) == 2 and {before.get(name) for name in srv} == {"passed"}, srv
    assert {c.verdict for c in srv.values()} == {"inconclusive"}, srv
    for check in srv.values():
        assert "port-forward" in check.observed and "the server gave no answer" in check.observed, check
    # Every other check is judged as it was with DNS answering: an outage of
    # DNS must not turn into a verdict about something else.
    others = {name: c.verdict for name, c in checks.items() if name not in dns and name not in srv}
    assert others == {n: v for n, v in before.items() if n not in dns and n not in srv}, (others, before)
    assert "passed" in others.values() and set(others.values()) <= {"passed", "not applicable"}, others

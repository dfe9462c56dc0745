"""Cluster DNS: CoreDNS answers for cluster.local from pods and nothing else."""

from __future__ import annotations

import pytest

from tests.cluster.kube import Kube, pod

pytestmark = pytest.mark.cluster


def test_a_pod_resolves_the_api_service_by_its_full_name(kube: Kube, namespace: str, toolbox: str) -> None:
    found = kube.exec(namespace, toolbox, "nslookup", "kubernetes.default.svc.cluster.local")
    assert "Address 1: 10.96.0.1 kubernetes.default.svc.cluster.local" in found.stdout


def test_busybox_1_28_resolves_short_names_through_the_search_path(kube: Kube, namespace: str, toolbox: str) -> None:
    found = kube.exec(namespace, toolbox, "nslookup", "kubernetes.default")
    assert "Server:    10.96.0.10" in found.stdout
    assert "Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local" in found.stdout
    assert "Name:      kubernetes.default\n" in found.stdout


def test_busybox_1_28_shell_runs_the_same_nslookup(kube: Kube, namespace: str, toolbox: str) -> None:
    # Debian's busybox shell prefers its own applets; the 1.28 image renames that one away.
    found = kube.exec(namespace, toolbox, "sh", "-c", "nslookup kubernetes.default && command -v nslookup")
    assert "Address 1: 10.96.0.1 kubernetes.default.svc.cluster.local" in found.stdout
    assert found.stdout.rstrip().endswith("/bin/nslookup")


def test_a_failed_lookup_exits_non_zero(kube: Kube, namespace: str, toolbox: str) -> None:
    missing = kube.exec(namespace, toolbox, "nslookup", "no-such-service.nowhere", check=False)
    assert missing.returncode != 0
    assert "can't resolve 'no-such-service.nowhere'" in missing.stderr


def test_names_outside_the_cluster_are_refused_not_forwarded(kube: Kube, namespace: str, toolbox: str) -> None:
    outside = kube.exec(namespace, toolbox, "nslookup", "example.com.", check=False)
    assert outside.returncode != 0


def test_busybox_latest_keeps_its_own_nslookup_which_sends_dotted_names_as_typed(kube: Kube, namespace: str) -> None:
    # Why the lab pins busybox:1.28: newer nslookups skip the search list for names with a dot.
    kube.apply([pod("latest", namespace, "busybox", ["sleep", "3600"])])
    kube.wait_ready(namespace, "app=latest")
    dotted = kube.exec(namespace, "latest", "nslookup", "kubernetes.default", check=False)
    assert dotted.returncode != 0
    assert "REFUSED" in dotted.stdout
    full = kube.exec(namespace, "latest", "nslookup", "kubernetes.default.svc.cluster.local")
    assert "10.96.0.1" in full.stdout

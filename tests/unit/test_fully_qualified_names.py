"""Each StatefulSet pod's fully qualified name, as the tutorial looks it up:
asked by the DNS probe, judged against the pod's IP, with the cluster's
domain from `statefulset-lab:clusterDomain`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from plan.settings import PROJECT, SettingsError, settings_from_config
from probes.checks.dns import check_dns
from probes.dns_plan import CONTROL_QUERY, dns_answers_expected, dns_queries
from probes.facts import FAILED, NOT_FOUND, PASSED, RESOLVED, Check, DnsLookup, Expectations
from tests.unit.test_probe_checks import DEP, STS, E, not_found, observation, seed_dns

FQDN_CHECK = "<pod>.<service>.<namespace>.svc.<cluster domain> resolves to the pod's IP"


def fqdn_check(e: Expectations, dns: list[DnsLookup]) -> Check:
    return next(c for c in check_dns(e, observation(dns=dns)) if c.name == FQDN_CHECK)


def test_the_probe_asks_each_statefulset_pods_fully_qualified_name_and_expects_its_ip() -> None:
    names = [f"{p.name}.nginx-sts.default.svc.cluster.local" for p in STS]
    assert set(names) <= set(dns_queries(E, STS, DEP))
    assert {n: dns_answers_expected(E, STS, DEP)[n] for n in names} == {
        n: p.ip for n, p in zip(names, STS, strict=True)
    }
    assert not any(q.endswith(".svc.cluster.local") and q.startswith("web-dep") for q in dns_queries(E, STS, DEP))


def test_every_name_resolving_to_its_pod_passes_and_shows_the_answers() -> None:
    check = fqdn_check(E, seed_dns())
    assert check.verdict == PASSED
    assert "web-sts-1.nginx-sts.default.svc.cluster.local -> 10.244.0.11" in check.observed
    assert "nginx-sts.default.svc.cluster.local" in check.expected


def test_a_cluster_with_another_domain_fails_until_the_stack_names_it() -> None:
    """A cluster whose kubelets use --cluster-domain=lab.internal: the cluster.local names do not exist."""
    other = replace(E, cluster_domain="lab.internal")
    answers = [not_found(d.query) if d.query.endswith(".svc.cluster.local") else d for d in seed_dns()]
    assert fqdn_check(E, answers).verdict == FAILED
    renamed = [
        DnsLookup(d.query.replace(".cluster.local", ".lab.internal"), 0, d.addresses, RESOLVED)
        if d.query.endswith(".svc.cluster.local")
        else d
        for d in seed_dns()
    ]
    assert fqdn_check(other, renamed).verdict == PASSED


def test_a_name_answered_with_another_pods_ip_fails() -> None:
    name = "web-sts-0.nginx-sts.default.svc.cluster.local"
    swapped = [replace(d, addresses=[STS[1].ip]) if d.query == name else d for d in seed_dns()]
    assert fqdn_check(E, swapped).verdict == FAILED
    assert next(d for d in swapped if d.query == CONTROL_QUERY).outcome != NOT_FOUND


def test_the_cluster_domain_is_read_from_the_stack_and_checked() -> None:
    assert settings_from_config({}).probes.cluster_domain == "cluster.local"
    assert settings_from_config({f"{PROJECT}:clusterDomain": "lab.internal"}).probes.cluster_domain == "lab.internal"
    with pytest.raises(SettingsError, match=f"{PROJECT}:clusterDomain must be a DNS-1123 subdomain"):
        settings_from_config({f"{PROJECT}:clusterDomain": "Cluster_Local"})

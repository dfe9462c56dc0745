"""The DNS lookups a probe run makes, and when their answers are final.

The seed looked up, from a busybox pod: each StatefulSet pod's name under its
Service, each Deployment pod's name (which must not exist), and each
Deployment pod's dashed-IP record under its Service. A StatefulSet pod's
dashed IP is asked under the StatefulSet's own Service, the only one that
selects it: a headless Service publishes a pod with a hostname and a matching
subdomain under that hostname instead, so the answer must be "no such name".
Before them comes a control name that resolves in every cluster, without
which no negative answer counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from probes.facts import DnsLookup, Expectations, PodFacts
from probes.parse import parse_time

RECORDS_DUE_SECONDS: Final = 60
"""A pod Ready this long has its records in cluster DNS: they appear once its
EndpointSlice is written and CoreDNS has seen it, which has taken over 45 s
on a busy two-core machine."""

CONTROL_QUERY: Final = "kubernetes.default"
"""A name that resolves in every cluster whatever the workloads (the API
Service, through the pod's search path). A negative DNS answer counts only
when this resolved in the same run: otherwise DNS may simply not be answering."""


def dashed_ip(ip: str) -> str:
    """A pod IP as the label of its A record under a headless Service (10-244-0-5)."""
    return ip.replace(".", "-")


def published(pods: list[PodFacts]) -> list[PodFacts]:
    """The pods a headless Service publishes records of: Ready, with an IP, not on their way out."""
    return [p for p in pods if p.ready and p.ip and not p.terminating]


def fully_qualified(e: Expectations, pod: PodFacts) -> str:
    """A StatefulSet pod's fully qualified name, as the tutorial looks it up:
    <pod>.<service>.<namespace>.svc.<cluster domain>. With five dots it is
    asked as written before any search domain is tried."""
    return f"{pod.name}.{e.statefulset_service}.{e.namespace}.svc.{e.cluster_domain}"


def dns_queries(e: Expectations, sts: list[PodFacts], dep: list[PodFacts]) -> list[str]:
    """The names the DNS probe looks up, as in the seed's nslookups, after the
    control; then each StatefulSet pod's fully qualified name and each
    headless Service's own name."""
    return (
        [CONTROL_QUERY]
        + [f"{p.name}.{e.statefulset_service}" for p in sts]
        + [f"{p.name}.{e.deployment_service}" for p in dep]
        + [f"{dashed_ip(p.ip)}.{e.deployment_service}" for p in dep if p.ip]
        + [f"{dashed_ip(p.ip)}.{e.statefulset_service}" for p in sts if p.ip]
        + [fully_qualified(e, p) for p in sts]
        + [e.statefulset_service, e.deployment_service]
    )


def dns_answers_expected(e: Expectations, sts: list[PodFacts], dep: list[PodFacts]) -> dict[str, str]:
    """The per-pod queries that must resolve, each to this IP: those of the pods
    the Services publish (a pod that is not Ready has no record)."""
    return (
        {f"{p.name}.{e.statefulset_service}": p.ip for p in published(sts)}
        | {fully_qualified(e, p): p.ip for p in published(sts)}
        | {f"{dashed_ip(p.ip)}.{e.deployment_service}": p.ip for p in published(dep)}
    )


def service_answers_expected(
    e: Expectations, sts: list[PodFacts], dep: list[PodFacts], strangers: Sequence[PodFacts] = ()
) -> dict[str, list[str]]:
    """What each headless Service's own name must resolve to: the IPs of every
    Ready pod it selects, its workload's and any stranger's with its label."""
    by_label = {
        e.statefulset_service: [*sts, *(p for p in strangers if p.workload == "statefulset")],
        e.deployment_service: [*dep, *(p for p in strangers if p.workload == "deployment")],
    }
    return {service: sorted(p.ip for p in published(pods)) for service, pods in by_label.items()}


def dns_settled(
    e: Expectations,
    sts: list[PodFacts],
    dep: list[PodFacts],
    dns: list[DnsLookup],
    strangers: Sequence[PodFacts] = (),
) -> bool:
    """Every answer is final: the control and every positive query resolved (to
    the pod's IP), each Service's name to exactly its Ready pods, and no lookup
    ended in an error. Until then the probe retries."""
    by_query = {d.query: d for d in dns}
    control = by_query.get(CONTROL_QUERY)
    positives_ok = all(
        (d := by_query.get(q)) is not None and d.resolved and d.addresses == [ip]
        for q, ip in dns_answers_expected(e, sts, dep).items()
    )
    services_ok = all(
        (d := by_query.get(service)) is not None and sorted(d.addresses) == ips
        for service, ips in service_answers_expected(e, sts, dep, strangers).items()
    )
    asked = dns_queries(e, sts, dep)
    return (
        control is not None
        and control.resolved
        and positives_ok
        and services_ok
        and all(q in by_query and by_query[q].outcome != "error" for q in asked)
    )


def records_due(pods: Sequence[PodFacts], now: datetime, seconds: float = RECORDS_DUE_SECONDS) -> bool:
    """Every pod that is Ready became Ready at least `seconds` ago (a pod that
    is not has no records to wait for): no answer can still be on its way."""
    return all((now - parse_time(p.ready_since)).total_seconds() >= seconds for p in pods if p.ready_since)

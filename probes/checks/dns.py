"""Checks of the pods' DNS records, as the seed's nslookups showed them."""

from __future__ import annotations

from probes.checks.common import make_check, nothing_to_judge
from probes.dns_plan import CONTROL_QUERY, dashed_ip
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    NOT_FOUND,
    PASSED,
    RESOLVED,
    Check,
    DnsLookup,
    Expectations,
    PodFacts,
    Verdict,
    Workload,
)


def _lookup_text(q: str, d: DnsLookup | None) -> str:
    if d is None:
        return f"{q}: not looked up"
    if d.outcome == RESOLVED:
        return f"{q} -> {', '.join(d.addresses)}"
    if d.outcome == NOT_FOUND:
        return f"{q}: not found ({d.detail})"
    return f"{q}: lookup error ({d.detail})"


def _negative_verdict(queries: list[str], by_query: dict[str, DnsLookup], control_ok: bool) -> Verdict:
    """A name that must not exist: failed when it resolved; passed only when
    the server said it does not exist and the control resolved in this run."""
    found = [by_query.get(q) for q in queries]
    if any(d is not None and d.resolved for d in found):
        return FAILED
    if not control_ok or any(d is None or d.outcome != NOT_FOUND for d in found):
        return INCONCLUSIVE
    return PASSED


def check_dns(e: Expectations, sts: list[PodFacts], dep: list[PodFacts], dns: list[DnsLookup]) -> list[Check]:
    by_query = {d.query: d for d in dns}
    control = by_query.get(CONTROL_QUERY)
    control_ok = control is not None and control.resolved
    control_text = "control " + _lookup_text(CONTROL_QUERY, control)
    if not control_ok:
        control_text += " (DNS did not prove it answers, so no failed lookup below counts as a missing record)"

    def resolves_to(query: str, ip: str) -> bool:
        d = by_query.get(query)
        return bool(ip) and d is not None and d.resolved and d.addresses == [ip]

    def positive(pods: list[PodFacts], queries: list[tuple[str, str]]) -> Verdict:
        if not pods:
            return NOT_APPLICABLE
        return PASSED if all(resolves_to(q, ip) for q, ip in queries) else FAILED

    def seen(queries: list[str], pods: list[PodFacts], workload: Workload, replicas: int) -> str:
        if not pods:
            return nothing_to_judge(workload, replicas)
        return "; ".join(_lookup_text(q, by_query.get(q)) for q in queries)

    sts_names = [(f"{p.name}.{e.statefulset_service}", p.ip) for p in sts]
    dep_names = [f"{p.name}.{e.deployment_service}" for p in dep]
    dep_dashed = [(f"{dashed_ip(p.ip)}.{e.deployment_service}" if p.ip else f"{p.name} (no IP)", p.ip) for p in dep]
    sts_dashed = [f"{dashed_ip(p.ip)}.{e.deployment_service}" if p.ip else f"{p.name} (no IP)" for p in sts]

    def negative(queries: list[str], pods: list[PodFacts]) -> Verdict:
        return NOT_APPLICABLE if not pods else _negative_verdict(queries, by_query, control_ok)

    return [
        make_check(
            "<pod>.<service> resolves to the pod's IP",
            "statefulset",
            positive(sts, sts_names),
            "each pod name resolves to its own IP",
            seen([q for q, _ in sts_names], sts, "statefulset", e.replicas),
        ),
        make_check(
            "<pod>.<service> does not resolve",
            "deployment",
            negative(dep_names, dep),
            "the server answers that no record exists for a Deployment pod's name",
            seen(dep_names, dep, "deployment", e.deployment_replicas) + (f"; {control_text}" if dep else ""),
        ),
        make_check(
            "<dashed-ip>.<service> resolves to the pod's IP",
            "deployment",
            positive(dep, dep_dashed),
            "each pod's dashed IP resolves under its Service",
            seen([q for q, _ in dep_dashed], dep, "deployment", e.deployment_replicas),
        ),
        make_check(
            "a StatefulSet pod's dashed IP does not resolve under the Deployment's Service",
            "statefulset",
            negative(sts_dashed, sts),
            f"the server answers that no such record exists under {e.deployment_service}",
            seen(sts_dashed, sts, "statefulset", e.replicas) + (f"; {control_text}" if sts else ""),
        ),
    ]

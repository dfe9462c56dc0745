"""Checks of the pods' DNS records, as the seed's nslookups showed them, and
of what each headless Service's own name answers.

A lookup only counts as evidence when DNS proved it answers: the control name
resolved in the same run. A pod that is not Ready has no record (a headless
Service publishes Ready pods only), so checks of its record are inconclusive
for it, naming why; the other pods are judged.
"""

from __future__ import annotations

from collections.abc import Callable

from probes.checks.common import make_check, nothing_to_judge
from probes.dns_plan import CONTROL_QUERY, dashed_ip, fully_qualified, published, service_answers_expected
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
    Observation,
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


def _not_published(pod: PodFacts) -> str:
    if not pod.ip:
        return f"{pod.name} has no IP ({pod.state})"
    if pod.terminating:
        return f"{pod.name} is terminating"
    return f"{pod.name} is not Ready ({pod.state}), and a headless Service publishes Ready pods only"


class _Lookups:
    """The run's answers, and whether DNS proved it answers."""

    def __init__(self, dns: list[DnsLookup], dns_error: str) -> None:
        self.by_query = {d.query: d for d in dns}
        self.error = dns_error
        control = self.by_query.get(CONTROL_QUERY)
        self.control_ok = control is not None and control.resolved
        self.control_text = "control " + _lookup_text(CONTROL_QUERY, control)
        if not self.control_ok:
            self.control_text += " (DNS did not prove it answers, so no failed lookup counts as a missing record)"

    def text(self, query: str) -> str:
        return _lookup_text(query, self.by_query.get(query))

    def resolves_to(self, query: str, ip: str) -> bool:
        d = self.by_query.get(query)
        return bool(ip) and d is not None and d.resolved and d.addresses == [ip]


def _positive(
    lookups: _Lookups, pods: list[PodFacts], query_of: Callable[[PodFacts], str], workload: Workload, replicas: int
) -> tuple[Verdict, str]:
    """Each published pod's query resolves to its own IP; the others are not
    judged. A name the run never asked (a document recorded before the probes
    asked it) is no answer either way."""
    if not pods:
        return NOT_APPLICABLE, nothing_to_judge(workload, replicas)
    if lookups.error:
        return INCONCLUSIVE, f"no lookup ran: {lookups.error}"
    judged = published(pods)
    skipped = [p for p in pods if p not in judged]
    seen = [lookups.text(query_of(p)) for p in judged] + [f"not judged: {_not_published(p)}" for p in skipped]
    asked = [p for p in judged if query_of(p) in lookups.by_query]
    wrong = [p for p in asked if not lookups.resolves_to(query_of(p), p.ip)]
    if wrong:
        verdict: Verdict = FAILED if lookups.control_ok else INCONCLUSIVE
    else:
        verdict = INCONCLUSIVE if skipped or len(asked) < len(judged) else PASSED
    if not lookups.control_ok:
        seen.append(lookups.control_text)
    return verdict, "; ".join(seen)


def _negative(
    lookups: _Lookups, pods: list[PodFacts], query_of: Callable[[PodFacts], str], workload: Workload, replicas: int
) -> tuple[Verdict, str]:
    """No pod's query resolves: failed when one did; passed only when the server
    said each does not exist and the control resolved in this run."""
    if not pods:
        return NOT_APPLICABLE, nothing_to_judge(workload, replicas)
    if lookups.error:
        return INCONCLUSIVE, f"no lookup ran: {lookups.error}"
    judged = [p for p in pods if p.ip]
    skipped = [p for p in pods if not p.ip]
    found = [lookups.by_query.get(query_of(p)) for p in judged]
    seen = [lookups.text(query_of(p)) for p in judged] + [f"not judged: {_not_published(p)}" for p in skipped]
    if any(d is not None and d.resolved for d in found):
        verdict: Verdict = FAILED
    elif skipped or not lookups.control_ok or any(d is None or d.outcome != NOT_FOUND for d in found):
        verdict = INCONCLUSIVE
    else:
        verdict = PASSED
    return verdict, "; ".join([*seen, lookups.control_text])


def _service_name(
    lookups: _Lookups, e: Expectations, o: Observation, service: str, workload: Workload
) -> tuple[Verdict, str, str]:
    """The Service's own name resolves to exactly its workload's Ready pods: a
    pod that is not Ready drops out, and a stranger with the label that the
    Service routes to breaks the lab's premise (the check says so and fails)."""
    own = o.statefulset_pods if workload == "statefulset" else o.deployment_pods
    strangers = [p for p in o.strangers if p.workload == workload]
    kind = "StatefulSet" if workload == "statefulset" else "Deployment"
    own_ips = sorted(p.ip for p in published(own))
    selected_ips = service_answers_expected(e, o.statefulset_pods, o.deployment_pods, o.strangers)[service]
    expected = f"{service} -> the IPs of the {kind}'s Ready pods, no others ({', '.join(own_ips) or 'none'})"
    if not own and not strangers:
        replicas = e.replicas if workload == "statefulset" else e.deployment_replicas
        return NOT_APPLICABLE, expected, nothing_to_judge(workload, replicas)
    if lookups.error:
        return INCONCLUSIVE, expected, f"no lookup ran: {lookups.error}"
    d = lookups.by_query.get(service)
    seen = [lookups.text(service)]
    out = [p for p in own if p not in published(own)]
    if out:
        seen.append("not Ready, so left out: " + ", ".join(f"{p.name} ({p.state})" for p in out))
    routed = published(strangers)
    if strangers:
        seen.append(
            f"pods with its label that the {kind} does not own: "
            + ", ".join(f"{p.name} ({p.ip or 'no IP'}, owner {p.owner or 'none'}, {p.state})" for p in strangers)
            + ("; the Service routes to the Ready ones" if routed else "")
        )
    answered = sorted(d.addresses) if d is not None and d.outcome == RESOLVED else []
    final = d is not None and (d.outcome == RESOLVED or (d.outcome == NOT_FOUND and lookups.control_ok))
    if final and answered == own_ips:
        return PASSED, expected, "; ".join(seen)
    if final and answered == selected_ips:
        return FAILED, expected, "; ".join([*seen, "the answer holds pods the lab did not make"])
    if not lookups.control_ok or d is None or d.outcome == "error":
        return INCONCLUSIVE, expected, "; ".join([*seen, lookups.control_text])
    return FAILED, expected, "; ".join(seen)


def check_dns(e: Expectations, o: Observation) -> list[Check]:
    lookups = _Lookups(o.dns, o.dns_error)
    sts, dep = o.statefulset_pods, o.deployment_pods

    def sts_name(p: PodFacts) -> str:
        return f"{p.name}.{e.statefulset_service}"

    def dep_name(p: PodFacts) -> str:
        return f"{p.name}.{e.deployment_service}"

    def dashed(p: PodFacts) -> str:
        return f"{dashed_ip(p.ip)}.{e.deployment_service}"

    def sts_dashed_name(p: PodFacts) -> str:
        return f"{dashed_ip(p.ip)}.{e.statefulset_service}"

    sts_names = _positive(lookups, sts, sts_name, "statefulset", e.replicas)
    sts_fqdns = _positive(lookups, sts, lambda p: fully_qualified(e, p), "statefulset", e.replicas)
    dep_names = _negative(lookups, dep, dep_name, "deployment", e.deployment_replicas)
    dep_dashed = _positive(lookups, dep, dashed, "deployment", e.deployment_replicas)
    sts_dashed = _negative(lookups, sts, sts_dashed_name, "statefulset", e.replicas)
    workloads: tuple[tuple[str, Workload], ...] = (
        (e.statefulset_service, "statefulset"),
        (e.deployment_service, "deployment"),
    )
    return [
        make_check(
            "<pod>.<service> resolves to the pod's IP",
            "statefulset",
            sts_names[0],
            "each pod name resolves to its own IP",
            sts_names[1],
        ),
        make_check(
            "<pod>.<service> does not resolve",
            "deployment",
            dep_names[0],
            "the server answers that no record exists for a Deployment pod's name",
            dep_names[1],
        ),
        make_check(
            "<dashed-ip>.<service> resolves to the pod's IP",
            "deployment",
            dep_dashed[0],
            "each pod's dashed IP resolves under its Service",
            dep_dashed[1],
        ),
        make_check(
            "a StatefulSet pod's dashed IP does not resolve under its own Service",
            "statefulset",
            sts_dashed[0],
            f"the server answers that no such record exists under {e.statefulset_service}: the pod is published "
            "under its name instead",
            sts_dashed[1],
        ),
        *(
            make_check(
                "the Service's own name resolves to its Ready pods",
                workload,
                *_service_name(lookups, e, o, service, workload),
            )
            for service, workload in workloads
        ),
        make_check(
            "<pod>.<service>.<namespace>.svc.<cluster domain> resolves to the pod's IP",
            "statefulset",
            sts_fqdns[0],
            f"each pod's fully qualified name (<pod>.{e.statefulset_service}.{e.namespace}.svc.{e.cluster_domain}) "
            "resolves to its own IP",
            sts_fqdns[1],
        ),
    ]

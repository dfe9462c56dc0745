"""Checks of the headless Services' SRV records (probes.srv asks for them).

A headless Service with a named port publishes one SRV record per Ready pod.
Its target is where the pod is published: a StatefulSet pod by its own name
(`web-sts-0.nginx-sts.<namespace>.svc.<domain>`), because the pod's hostname
and subdomain name it; a Deployment pod, which has neither, by its dashed IP.
"""

from __future__ import annotations

from collections.abc import Callable

from kube.names import SERVICE_PORT, SERVICE_PORT_NAME
from probes.checks.common import make_check, nothing_to_judge
from probes.dns_plan import published
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    PASSED,
    Check,
    Expectations,
    Observation,
    PodFacts,
    SrvLookup,
    Verdict,
    Workload,
)
from probes.srv import srv_target

ANSWERED = ("NOERROR", "NXDOMAIN")
"""Answer codes that say what exists; any other (SERVFAIL, REFUSED) says the server could not tell."""


def _answer_text(d: SrvLookup) -> str:
    if d.error:
        return f"{d.query}: {d.error}"
    if not d.records:
        return f"{d.query}: no records ({d.rcode})"
    return f"{d.query} ({d.rcode}) -> " + ", ".join(f"{r.target}:{r.port}" for r in d.records)


def _judge(
    e: Expectations, o: Observation, srv: list[SrvLookup], workload: Workload, target_of: Callable[[PodFacts], str]
) -> tuple[Verdict, str]:
    service = e.statefulset_service if workload == "statefulset" else e.deployment_service
    found = [d for d in srv if d.service == service]
    own = o.statefulset_pods if workload == "statefulset" else o.deployment_pods
    strangers = [p for p in o.strangers if p.workload == workload]
    if not own and not strangers:
        replicas = e.replicas if workload == "statefulset" else e.deployment_replicas
        return NOT_APPLICABLE, nothing_to_judge(workload, replicas)
    if not found:
        return INCONCLUSIVE, f"no SRV query of {service} ran"
    d = found[0]
    seen = [_answer_text(d)]
    ready = published(own)
    out = [p for p in own if p not in ready]
    if out:
        seen.append("not Ready, so left out: " + ", ".join(f"{p.name} ({p.state})" for p in out))
    if strangers:
        seen.append("pods with its label the lab did not make: " + ", ".join(p.name for p in strangers))
    if d.error or d.rcode not in ANSWERED:
        return INCONCLUSIVE, "; ".join([*seen, "the server gave no answer that says what exists"])
    wanted = sorted(target_of(p) for p in ready)
    answered = sorted(r.target for r in d.records)
    missing = [t for t in wanted if t not in answered]
    extra = [t for t in answered if t not in wanted]
    other_ports = sorted({r.port for r in d.records} - {SERVICE_PORT})
    if missing:
        seen.append("no record for " + ", ".join(missing))
    if extra:
        seen.append("records for no Ready pod of the workload: " + ", ".join(extra))
    if other_ports:
        seen.append(f"port {', '.join(map(str, other_ports))} instead of {SERVICE_PORT}")
    # A pod on a node that stopped answering is Ready until the node controller
    # says otherwise, and its record goes at that moment: between the listing
    # and the query it may have gone. Such a difference proves nothing.
    down = {n.name for n in o.nodes if not n.ready}
    unsettled = {target_of(p) for p in own if p.node in down}
    if (missing or extra) and not other_ports and set(missing) | set(extra) <= unsettled:
        seen.append("those pods are on a node that is not Ready, whose records may have gone since the listing")
        return INCONCLUSIVE, "; ".join(seen)
    return (FAILED if missing or extra or other_ports else PASSED), "; ".join(seen)


def check_srv(e: Expectations, o: Observation) -> list[Check]:
    """One check per workload; none in a document made before SRV records were asked for."""
    if o.srv is None:
        return []
    srv = o.srv
    domain = f"{e.namespace}.svc.{e.cluster_domain}."

    def target(p: PodFacts) -> str:
        return srv_target(e, p)

    port = f"_{SERVICE_PORT_NAME}._tcp"
    cases: list[tuple[Workload, Callable[[PodFacts], str], str]] = [
        (
            "statefulset",
            target,
            f"{port}.{e.statefulset_service}: one record per Ready pod, pointing at the pod's own name "
            f"(<pod>.{e.statefulset_service}.{domain}), port {SERVICE_PORT}",
        ),
        (
            "deployment",
            target,
            f"{port}.{e.deployment_service}: one record per Ready pod, pointing at its dashed IP "
            f"(<dashed-ip>.{e.deployment_service}.{domain}: the pods have no hostname), port {SERVICE_PORT}",
        ),
    ]
    return [
        make_check("the headless Service's SRV records name each Ready pod", workload, verdict, expected, seen)
        for workload, target_of, expected in cases
        for verdict, seen in [_judge(e, o, srv, workload, target_of)]
    ]

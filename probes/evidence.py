"""What a report shows for a check that did not pass: the commands of this run
that decided it with an excerpt of their output, and the recent events and
last log lines of the pods it is about. Collected only for those checks, so
a run where everything passed costs nothing more."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from kube.target import KubectlTarget, display
from probes import commands as cmd
from probes.calls import Kubectl, ProbeError, parallel
from probes.document import PodDiagnostics
from probes.facts import Check, Evidence, Expectations, PodFacts, gate_failures
from probes.gather import Listings, argv_of
from probes.parse import dns_script_blocks
from probes.srv import shown_command as srv_command

LOG_LINES = 20
EVENTS_PER_POD = 10
EXCERPT_CHARACTERS = 1200


def _excerpt(text: str) -> str:
    text = text.strip()
    return text if len(text) <= EXCERPT_CHARACTERS else "..." + text[-EXCERPT_CHARACTERS:]


def _pod_status(item: dict[str, Any]) -> str:
    """The part of a pod's JSON that says where it is and why: node, phase, conditions, containers."""
    status = item.get("status", {})
    summary = {
        "nodeName": item.get("spec", {}).get("nodeName", ""),
        "deletionTimestamp": item["metadata"].get("deletionTimestamp"),
        "phase": status.get("phase"),
        "conditions": [
            {k: c[k] for k in ("type", "status", "reason", "message") if c.get(k)}
            for c in status.get("conditions") or []
        ],
        "containerStatuses": [
            {"ready": c.get("ready"), "restartCount": c.get("restartCount"), "state": c.get("state")}
            for c in status.get("containerStatuses") or []
        ],
    }
    return json.dumps(summary, indent=1)


def _evidence(
    check: Check,
    target: KubectlTarget,
    e: Expectations,
    listed: Listings,
    pods: dict[str, PodFacts],
    dns: tuple[str, str],
) -> list[Evidence]:
    found: list[Evidence] = []
    dns_argv, dns_output = dns
    if "resolve" in check.name and dns_output:
        blocks = [
            f"{query}\n{text}\nexit {code}"
            for query, text, code in dns_script_blocks(dns_output)
            if query in check.observed
        ]
        if blocks:
            found.append(Evidence(dns_argv, _excerpt("\n\n".join(blocks))))
    if "SRV" in check.name:
        # The answer is in the check's own words; what it needs beside them is how it was asked.
        found.append(Evidence(srv_command(target, e), check.observed.split("; ")[0]))
    if check.name.startswith("hostname"):
        for name in check.pods:
            pod = pods.get(name)
            if pod is not None:
                found.append(
                    Evidence(display(cmd.hostname(target, name, e.container)), pod.hostname or pod.hostname_error)
                )
    revisions = listed.revisions.get("items", [])
    if "revision" in check.name and revisions:
        # Which template each revision is, and since when: what judged the held pods.
        table = [
            f"{r['metadata']['name']} revision {r.get('revision')} created {r['metadata'].get('creationTimestamp')}"
            for r in revisions
        ]
        found.append(Evidence(display(argv_of(target, e, "revisions")), _excerpt("\n".join(table))))
    for listing in ("statefulset_pods", "deployment_pods"):
        items = {i["metadata"]["name"]: i for i in getattr(listed, listing).get("items", [])}
        shown = [_pod_status(items[n]) for n in check.pods if n in items]
        if shown:
            found.append(Evidence(display(argv_of(target, e, listing)), _excerpt("\n".join(shown))))
    return found


def with_evidence(
    checks: list[Check],
    target: KubectlTarget,
    e: Expectations,
    listed: Listings,
    pods: list[PodFacts],
    dns: tuple[str, str],
) -> list[Check]:
    """The checks, those that failed or were inconclusive with their evidence."""
    failing = {id(c) for c in gate_failures(checks)}
    by_name = {p.name: p for p in pods}
    return [
        replace(c, evidence=_evidence(c, target, e, listed, by_name, dns)) if id(c) in failing else c for c in checks
    ]


def _events_of(listed: Listings, pod: str) -> list[str]:
    about = [
        ev
        for ev in listed.events.get("items", [])
        if ev.get("involvedObject", {}).get("name") == pod or f" {pod}" in (ev.get("message") or "")
    ]
    about.sort(key=lambda ev: ev.get("lastTimestamp") or ev.get("eventTime") or ev["metadata"]["creationTimestamp"])
    return [
        f"{ev.get('lastTimestamp') or ev.get('eventTime') or ''} {ev.get('type', '')} {ev.get('reason', '')}: "
        f"{(ev.get('message') or '').strip()}"
        for ev in about[-EVENTS_PER_POD:]
    ]


def diagnostics(
    k: Kubectl, target: KubectlTarget, e: Expectations, listed: Listings, checks: list[Check]
) -> dict[str, PodDiagnostics]:
    """Recent events and last log lines of every pod a failed or inconclusive check is about."""
    names = sorted({p for c in gate_failures(checks) for p in c.pods})

    def log_of(pod: str) -> str:
        try:
            return _excerpt(k.run(cmd.logs(target, pod, e.container, LOG_LINES)))
        except ProbeError as err:
            return f"(no log: {err})"

    logs = parallel(log_of, names)
    return {pod: PodDiagnostics(events=_events_of(listed, pod), log=log) for pod, log in zip(names, logs, strict=True)}

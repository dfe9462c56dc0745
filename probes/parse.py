"""Pure parsers: kubectl JSON and in-pod command output to typed facts."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from probes.facts import ClaimFacts, DnsLookup, LifecycleEvent, PodFacts, StatefulSetFacts, Workload

_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_CONTROLLER_POD = re.compile(r"(?:Pod|pod:?)\s+([a-z0-9][a-z0-9.-]*)")
DNS_MARKER = "@@@"


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def ordinal_of(pod_name: str, statefulset: str) -> int | None:
    prefix = f"{statefulset}-"
    if pod_name.startswith(prefix) and pod_name[len(prefix) :].isdigit():
        return int(pod_name[len(prefix) :])
    return None


def _condition_since(pod: dict[str, Any], kind: str) -> str | None:
    for cond in pod.get("status", {}).get("conditions", []) or []:
        if cond.get("type") == kind and cond.get("status") == "True":
            since: str | None = cond.get("lastTransitionTime")
            return since
    return None


def parse_pods(pod_list: dict[str, Any], workload: Workload, statefulset: str = "") -> list[PodFacts]:
    """Pods of one workload, StatefulSet pods by ordinal, others by creation."""
    pods = []
    for item in pod_list.get("items", []):
        meta, spec, status = item["metadata"], item.get("spec", {}), item.get("status", {})
        if meta.get("deletionTimestamp"):
            continue  # already on its way out; not part of the workload's current state
        labels = meta.get("labels", {})
        containers = spec.get("containers", [])
        pods.append(
            PodFacts(
                name=meta["name"],
                workload=workload,
                ordinal=ordinal_of(meta["name"], statefulset) if workload == "statefulset" else None,
                node=spec.get("nodeName", ""),
                ip=status.get("podIP", ""),
                phase=status.get("phase", ""),
                ready=_condition_since(item, "Ready") is not None,
                created=meta["creationTimestamp"],
                scheduled=_condition_since(item, "PodScheduled"),
                ready_since=_condition_since(item, "Ready"),
                image=containers[0]["image"] if containers else "",
                revision=labels.get("controller-revision-hash") or labels.get("pod-template-hash", ""),
                claims=[
                    v["persistentVolumeClaim"]["claimName"]
                    for v in spec.get("volumes", []) or []
                    if "persistentVolumeClaim" in v
                ],
                restarts=sum(int(c.get("restartCount", 0)) for c in status.get("containerStatuses", []) or []),
            )
        )
    return sorted(pods, key=lambda p: (p.ordinal if p.ordinal is not None else -1, p.created, p.name))


def parse_statefulset(sts: dict[str, Any]) -> StatefulSetFacts:
    spec, status = sts.get("spec", {}), sts.get("status", {})
    strategy = spec.get("updateStrategy", {})
    containers = spec.get("template", {}).get("spec", {}).get("containers", [])
    return StatefulSetFacts(
        replicas=int(spec.get("replicas", 1)),
        ready_replicas=int(status.get("readyReplicas", 0)),
        current_revision=status.get("currentRevision", ""),
        update_revision=status.get("updateRevision", ""),
        update_strategy=strategy.get("type", "RollingUpdate"),
        partition=int((strategy.get("rollingUpdate") or {}).get("partition", 0)),
        pod_management_policy=spec.get("podManagementPolicy", "OrderedReady"),
        image=containers[0]["image"] if containers else "",
    )


def _volume_node(pv: dict[str, Any]) -> str | None:
    terms = pv.get("spec", {}).get("nodeAffinity", {}).get("required", {}).get("nodeSelectorTerms", [])
    for term in terms:
        for expr in term.get("matchExpressions", []):
            if expr.get("key") == "kubernetes.io/hostname" and expr.get("values"):
                node: str = expr["values"][0]
                return node
    return None


def parse_claims(pvc_list: dict[str, Any], pv_list: dict[str, Any]) -> list[ClaimFacts]:
    volumes = {pv["metadata"]["name"]: pv for pv in pv_list.get("items", [])}
    claims = []
    for pvc in pvc_list.get("items", []):
        volume_name = pvc.get("spec", {}).get("volumeName", "")
        pv = volumes.get(volume_name, {})
        pv_spec = pv.get("spec", {})
        path = (pv_spec.get("hostPath") or pv_spec.get("local") or {}).get("path")
        claims.append(
            ClaimFacts(
                name=pvc["metadata"]["name"],
                phase=pvc.get("status", {}).get("phase", ""),
                storage_class=pvc.get("spec", {}).get("storageClassName", ""),
                volume=volume_name,
                node=_volume_node(pv) if pv else None,
                host_path=path,
            )
        )
    return sorted(claims, key=lambda c: c.name)


def parse_nslookup(output: str) -> list[str]:
    """IPv4 addresses busybox's nslookup printed for the name (not the server).

    Both output styles are handled: 1.28 (`Address 1: <ip> <name>`) and later
    versions (`Address: <ip>`). The server block comes first, before `Name:`.
    """
    _, found, answer = output.partition("Name:")
    return _IPV4.findall(answer) if found else []


def parse_dns_script_output(output: str) -> list[DnsLookup]:
    """Splits the output of `commands.dns_script` into one lookup per query."""
    lookups = []
    query: str | None = None
    lines: list[str] = []
    for line in output.splitlines():
        if line.startswith(f"{DNS_MARKER} query "):
            query, lines = line[len(f"{DNS_MARKER} query ") :].strip(), []
        elif line.startswith(f"{DNS_MARKER} exit ") and query is not None:
            code = int(line[len(f"{DNS_MARKER} exit ") :].strip())
            lookups.append(DnsLookup(query=query, exit_code=code, addresses=parse_nslookup("\n".join(lines))))
            query = None
        elif query is not None:
            lines.append(line)
    return lookups


_REASONS = {
    "SuccessfulCreate": "created",
    "SuccessfulDelete": "deleted",
    "Scheduled": "scheduled",
    "Started": "started",
    "Killing": "killing",
}


def parse_events(event_list: dict[str, Any]) -> list[LifecycleEvent]:
    """Pod lifecycle events from the controllers, scheduler and kubelet.

    Controller events name the pod in their message; the others are about
    the pod itself. Timestamps have one-second resolution, so events are
    ordered by resourceVersion within the same second.
    """
    events = []
    for ev in event_list.get("items", []):
        reason = _REASONS.get(ev.get("reason", ""))
        if reason is None:
            continue
        obj = ev.get("involvedObject", {})
        if obj.get("kind") == "Pod":
            pod = obj.get("name", "")
        else:
            match = _CONTROLLER_POD.search(ev.get("message", ""))
            if not match:
                continue
            pod = match.group(1)
        time = ev.get("lastTimestamp") or ev.get("eventTime") or ev["metadata"]["creationTimestamp"]
        rv = ev["metadata"].get("resourceVersion", "0")
        events.append(LifecycleEvent(pod=pod, reason=reason, time=time, sequence=int(rv) if rv.isdigit() else 0))
    return sorted(events, key=lambda e: (parse_time(e.time), e.sequence))


def parse_served_pages(outputs: dict[str, str]) -> dict[str, str]:
    """What `curl localhost` returned in each pod, trimmed."""
    return {pod: text.strip() for pod, text in outputs.items()}

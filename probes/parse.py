"""Pure parsers: kubectl JSON and in-pod command output to typed facts."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

from kube.objects import condition_since, is_ready, is_terminating, ordinal_of, pod_state, unschedulable_message
from probes.facts import (
    IDENTITY_LABELS,
    LOOKUP_ERROR,
    NOT_FOUND,
    RESOLVED,
    ClaimFacts,
    DeploymentFacts,
    DnsLookup,
    DnsOutcome,
    LifecycleEvent,
    NodeFacts,
    PodFacts,
    ReplicaSetScaling,
    Revision,
    ServiceFacts,
    StatefulSetFacts,
    Workload,
)

_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_CONTROLLER_POD = re.compile(r"(?:Pod|pod:?)\s+([a-z0-9][a-z0-9.-]*)")
_SCHEDULED_TO = re.compile(r"^Successfully assigned (?:\S+/)?\S+ to (\S+)$")
COMBINED_PREFIX = "(combined from similar events): "
DNS_MARKER = "@@@"


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _int_or_string(value: Any) -> str | None:
    """An IntOrString field (maxSurge: 25% or 1) as written, None when unset."""
    return None if value is None else str(value)


def _owner(item: dict[str, Any]) -> str:
    controller = next((o for o in item["metadata"].get("ownerReferences") or [] if o.get("controller")), None)
    return f"{controller.get('kind', '')}/{controller.get('name', '')}" if controller else ""


def pod_facts(item: dict[str, Any], workload: Workload, statefulset: str = "") -> PodFacts:
    """One pod as the probes see it."""
    meta, spec, status = item["metadata"], item.get("spec", {}), item.get("status", {})
    labels = meta.get("labels", {})
    containers = spec.get("containers", [])
    return PodFacts(
        name=meta["name"],
        workload=workload,
        ordinal=ordinal_of(meta["name"], statefulset) if workload == "statefulset" else None,
        node=spec.get("nodeName", ""),
        ip=status.get("podIP", ""),
        phase=status.get("phase", ""),
        ready=is_ready(item),
        created=meta["creationTimestamp"],
        scheduled=condition_since(item, "PodScheduled"),
        ready_since=condition_since(item, "Ready"),
        image=containers[0]["image"] if containers else "",
        revision=labels.get("controller-revision-hash") or labels.get("pod-template-hash", ""),
        claims=[
            v["persistentVolumeClaim"]["claimName"]
            for v in spec.get("volumes", []) or []
            if "persistentVolumeClaim" in v
        ],
        restarts=sum(int(c.get("restartCount", 0)) for c in status.get("containerStatuses", []) or []),
        uid=meta.get("uid", ""),
        state=("Terminating: " if is_terminating(item) else "") + pod_state(item),
        unschedulable=unschedulable_message(item),
        terminating=is_terminating(item),
        owner=_owner(item),
        readiness_failure_threshold=int(
            ((containers[0].get("readinessProbe") or {}) if containers else {}).get("failureThreshold", 3)
        ),
        identity_labels={k: labels[k] for k in IDENTITY_LABELS if k in labels} if workload == "statefulset" else None,
        started_at=containers_started_at(status),
    )


def containers_started_at(status: dict[str, Any]) -> str | None:
    """The latest start among the pod's containers, None while one is not running."""
    statuses = status.get("containerStatuses") or []
    starts = [str(s) for c in statuses if (s := ((c.get("state") or {}).get("running") or {}).get("startedAt"))]
    return max(starts) if statuses and len(starts) == len(statuses) else None


def by_ordinal(pods: list[PodFacts]) -> list[PodFacts]:
    """StatefulSet pods by ordinal, others by creation."""
    return sorted(pods, key=lambda p: (p.ordinal if p.ordinal is not None else -1, p.created, p.name))


def parse_pods(pod_list: dict[str, Any], workload: Workload, statefulset: str = "") -> list[PodFacts]:
    """The pods of a listing that are not on their way out."""
    items = [i for i in pod_list.get("items", []) if not is_terminating(i)]
    return by_ordinal([pod_facts(i, workload, statefulset) for i in items])


def only_item(listing: dict[str, Any]) -> dict[str, Any] | None:
    """The one object of a listing by name (`--field-selector=metadata.name=...`), None when there is none."""
    items = listing.get("items", [])
    if "items" not in listing and listing.get("metadata"):
        return listing  # a single object, as `kubectl get <kind> <name>` prints it
    return items[0] if items else None


def parse_statefulset(sts: dict[str, Any]) -> StatefulSetFacts:
    spec, status, meta = sts.get("spec", {}), sts.get("status", {}), sts.get("metadata", {})
    strategy = spec.get("updateStrategy", {})
    rolling = strategy.get("rollingUpdate") or {}
    containers = spec.get("template", {}).get("spec", {}).get("containers", [])
    return StatefulSetFacts(
        replicas=int(spec.get("replicas", 1)),
        ready_replicas=int(status.get("readyReplicas", 0)),
        current_revision=status.get("currentRevision", ""),
        update_revision=status.get("updateRevision", ""),
        update_strategy=strategy.get("type", "RollingUpdate"),
        partition=int(rolling.get("partition", 0)),
        pod_management_policy=spec.get("podManagementPolicy", "OrderedReady"),
        image=containers[0]["image"] if containers else "",
        service_name=spec.get("serviceName", ""),
        max_unavailable=_int_or_string(rolling.get("maxUnavailable")),
        min_ready_seconds=int(spec.get("minReadySeconds", 0)),
        uid=meta.get("uid", ""),
        generation=int(meta.get("generation", 0)),
        created=meta.get("creationTimestamp", ""),
        observed_generation=int(status.get("observedGeneration", 0)),
    )


def parse_deployment(deployment: dict[str, Any], pods: list[PodFacts]) -> DeploymentFacts:
    """The Deployment's strategy and status, with the template hashes its current pods carry."""
    spec, status, meta = deployment.get("spec", {}), deployment.get("status", {}), deployment.get("metadata", {})
    strategy = spec.get("strategy", {})
    kind = strategy.get("type", "RollingUpdate")
    rolling = strategy.get("rollingUpdate") or {}
    return DeploymentFacts(
        replicas=int(spec.get("replicas", 1)),
        ready_replicas=int(status.get("readyReplicas", 0)),
        updated_replicas=int(status.get("updatedReplicas", 0)),
        generation=int(meta.get("generation", 0)),
        observed_generation=int(status.get("observedGeneration", 0)),
        strategy=kind,
        # The API server fills in 25%/25% for RollingUpdate; Recreate has none.
        max_surge=_int_or_string(rolling.get("maxSurge")) if kind == "RollingUpdate" else None,
        max_unavailable=_int_or_string(rolling.get("maxUnavailable")) if kind == "RollingUpdate" else None,
        pod_template_hashes=sorted({p.revision for p in pods if p.revision}),
        uid=meta.get("uid", ""),
    )


def parse_services(service_list: dict[str, Any]) -> list[ServiceFacts]:
    return sorted(
        (
            ServiceFacts(
                name=s["metadata"]["name"],
                cluster_ip=s.get("spec", {}).get("clusterIP", ""),
                selector=dict(s.get("spec", {}).get("selector") or {}),
            )
            for s in service_list.get("items", [])
        ),
        key=lambda s: s.name,
    )


def _taint(t: dict[str, Any]) -> str:
    key = t.get("key", "")
    value = t.get("value")
    return f"{key}={value}:{t.get('effect', '')}" if value else f"{key}:{t.get('effect', '')}"


def parse_nodes(node_list: dict[str, Any]) -> list[NodeFacts]:
    nodes = []
    for item in node_list.get("items", []):
        nodes.append(
            NodeFacts(
                name=item["metadata"]["name"],
                ready=is_ready(item),
                unschedulable=bool(item.get("spec", {}).get("unschedulable", False)),
                taints=[_taint(t) for t in item.get("spec", {}).get("taints", []) or []],
                ready_changed=next(
                    (
                        c.get("lastTransitionTime")
                        for c in item.get("status", {}).get("conditions") or []
                        if c.get("type") == "Ready"
                    ),
                    None,
                ),
            )
        )
    return sorted(nodes, key=lambda n: n.name)


def volume_node(pv: dict[str, Any]) -> str | None:
    """The node a node-local volume is pinned to (its required node affinity), None for others."""
    terms = pv.get("spec", {}).get("nodeAffinity", {}).get("required", {}).get("nodeSelectorTerms", [])
    for term in terms:
        for expr in term.get("matchExpressions", []):
            if expr.get("key") == "kubernetes.io/hostname" and expr.get("values"):
                node: str = expr["values"][0]
                return node
    return None


def volume_path(pv: dict[str, Any]) -> str | None:
    """Where a hostPath or local volume lives on its node."""
    spec = pv.get("spec", {})
    found: str | None = (spec.get("hostPath") or spec.get("local") or {}).get("path")
    return found


SELECTED_NODE = "volume.kubernetes.io/selected-node"
"""The node the scheduler chose for a claim's first pod: only a WaitForFirstConsumer
class's claims get it, and their provisioner makes the volume there."""


def parse_claims(pvc_list: dict[str, Any], pv_list: dict[str, Any]) -> list[ClaimFacts]:
    volumes = {pv["metadata"]["name"]: pv for pv in pv_list.get("items", [])}
    claims = []
    for pvc in pvc_list.get("items", []):
        volume_name = pvc.get("spec", {}).get("volumeName", "")
        pv = volumes.get(volume_name, {})
        path = volume_path(pv)
        meta = pvc["metadata"]
        claims.append(
            ClaimFacts(
                name=meta["name"],
                phase=pvc.get("status", {}).get("phase", ""),
                storage_class=pvc.get("spec", {}).get("storageClassName", ""),
                volume=volume_name,
                node=volume_node(pv) if pv else None,
                host_path=path,
                uid=meta.get("uid", ""),
                created=meta.get("creationTimestamp", ""),
                deleting_since=meta.get("deletionTimestamp", ""),
                selected_node=(meta.get("annotations") or {}).get(SELECTED_NODE, ""),
                volume_created=pv.get("metadata", {}).get("creationTimestamp", "") if pv else "",
            )
        )
    return sorted(claims, key=lambda c: c.name)


def parse_revisions(revision_list: dict[str, Any], owner_uid: str) -> list[Revision]:
    """The ControllerRevisions the StatefulSet with `owner_uid` owns, oldest template first."""
    owned = [
        r
        for r in revision_list.get("items", [])
        if any(o.get("uid") == owner_uid for o in r["metadata"].get("ownerReferences") or [])
    ]
    revisions = [
        Revision(
            name=r["metadata"]["name"],
            number=int(r.get("revision", 0)),
            created=r["metadata"]["creationTimestamp"],
            images=_revision_images(r),
            template=_template_digest(r),
        )
        for r in owned
    ]
    return sorted(revisions, key=lambda r: r.number)


def _revision_template(revision: dict[str, Any]) -> dict[str, Any] | None:
    """The pod template a StatefulSet's ControllerRevision stores: its data is a
    patch, {"spec": {"template": {...}}}."""
    template = (revision.get("data") or {}).get("spec", {}).get("template")
    return template if isinstance(template, dict) else None


def _revision_images(revision: dict[str, Any]) -> list[str]:
    template = _revision_template(revision) or {}
    return [c.get("image", "") for c in template.get("spec", {}).get("containers", [])]


def _template_digest(revision: dict[str, Any]) -> str:
    """Equal for equal templates whatever their keys' order; empty when the revision holds none."""
    template = _revision_template(revision)
    if template is None:
        return ""
    canonical = json.dumps(template, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def parse_nslookup(output: str) -> list[str]:
    """IPv4 addresses busybox's nslookup printed for the name (not the server).

    Both output styles are handled: 1.28 (`Address 1: <ip> <name>`) and later
    versions (`Address: <ip>`). The server block comes first, before `Name:`.
    """
    _, found, answer = output.partition("Name:")
    return _IPV4.findall(answer) if found else []


_CANT_RESOLVE = re.compile(r"^nslookup: can't resolve '(?P<name>[^']*)'(?::\s*(?P<why>.+))?$")
_SERVER_CANT_FIND = re.compile(r"^\*\* server can't find (?P<name>.+?):\s*(?P<rcode>[A-Za-z]+)$")
# With verbose resolution errors busybox 1.28 appends gai_strerror(); only
# these texts mean "no such name" (glibc, musl). "Try again" and the like are
# timeouts or server failures.
_NO_SUCH_NAME = ("Name or service not known", "Name does not resolve")


def _names_the_query(name: str, query: str) -> bool:
    """The name a newer busybox reports: the query as typed or with a search suffix."""
    return name.rstrip(".") == query or name.startswith(f"{query}.")


def classify_nslookup(query: str, output: str, exit_code: int | None) -> tuple[DnsOutcome, list[str], str]:
    """What one nslookup proves: (outcome, the answer's IPv4 addresses, the deciding line).

    - resolved: exit 0 and at least one address after `Name:`.
    - not found, only on the server's "no such name": busybox 1.28 prints
      `nslookup: can't resolve '<query>'` and exits 1; newer busybox prints
      `** server can't find <query>: NXDOMAIN` (for every record type it asked).
    - error: everything else, e.g. no nslookup (exit 127), a timeout
      (`connection timed out; no servers could be reached`), SERVFAIL or
      REFUSED, an empty output, exit 0 without an address, a cut-off run.

    busybox 1.28 prints the same `can't resolve` line when the server did not
    answer at all; only the control query of the same run (see checks) tells
    the two apart, which is why a negative check needs it.
    """
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    addresses = parse_nslookup(output)
    last = lines[-1] if lines else "no output"
    if exit_code is None:
        return LOOKUP_ERROR, addresses, f"the lookup did not finish (no end marker); last line: {last}"
    if exit_code == 0 and addresses:
        return RESOLVED, addresses, ""
    cant_resolve = [m for line in lines if (m := _CANT_RESOLVE.match(line))]
    cant_find = [m for line in lines if (m := _SERVER_CANT_FIND.match(line))]
    no_such_name_128 = (
        exit_code == 1
        and bool(cant_resolve)
        and not cant_find
        and all(m["name"] == query and (m["why"] is None or m["why"] in _NO_SUCH_NAME) for m in cant_resolve)
    )
    nxdomain = (
        exit_code in (0, 1)
        and bool(cant_find)
        and not cant_resolve
        and all(m["rcode"] == "NXDOMAIN" and _names_the_query(m["name"], query) for m in cant_find)
    )
    if not addresses and (no_such_name_128 or nxdomain):
        return NOT_FOUND, [], (cant_resolve or cant_find)[0].group(0)
    if exit_code == 0:
        return LOOKUP_ERROR, addresses, f"exit 0 without an address; last line: {last}"
    return LOOKUP_ERROR, addresses, f"exit {exit_code}: {last}"


def lookup_of(query: str, output: str, exit_code: int | None) -> DnsLookup:
    outcome, addresses, detail = classify_nslookup(query, output, exit_code)
    return DnsLookup(query=query, exit_code=exit_code, addresses=addresses, outcome=outcome, detail=detail)


def dns_script_blocks(output: str) -> list[tuple[str, str, int | None]]:
    """The output of `commands.dns_script` as (query, nslookup's output, exit
    code) per lookup; the exit code is None when the lookup's end marker never
    came (the exec was cut off)."""
    blocks: list[tuple[str, str, int | None]] = []
    query: str | None = None
    lines: list[str] = []
    for line in output.splitlines():
        if line.startswith(f"{DNS_MARKER} query "):
            if query is not None:
                blocks.append((query, "\n".join(lines), None))
            query, lines = line[len(f"{DNS_MARKER} query ") :].strip(), []
        elif line.startswith(f"{DNS_MARKER} exit ") and query is not None:
            code = line[len(f"{DNS_MARKER} exit ") :].strip()
            blocks.append((query, "\n".join(lines), int(code) if code.isdigit() else None))
            query = None
        elif query is not None:
            lines.append(line)
    if query is not None:
        blocks.append((query, "\n".join(lines), None))
    return blocks


def parse_dns_script_output(output: str) -> list[DnsLookup]:
    """One lookup per query of `commands.dns_script`'s output. A query whose
    end marker never came is an error, not a missing lookup: the run did ask it."""
    return [lookup_of(query, text, code) for query, text, code in dns_script_blocks(output)]


_LAYOUT = [
    (re.compile(r"^Server: {4}\S+$"), "Server:    <ip>"),
    (re.compile(r"^Name: {6}\S+$"), "Name:      <name>"),
    (re.compile(r"^Address (\d+): (?:\d{1,3}\.){3}\d{1,3} \S+$"), r"Address \1: <ip> <name>"),
    (re.compile(r"^Address (\d+): (?:\d{1,3}\.){3}\d{1,3}$"), r"Address \1: <ip>"),
    (re.compile(r"^nslookup: can't resolve '[^']+'$"), "nslookup: can't resolve '<name>'"),
]


def nslookup_layout(output: str) -> list[str]:
    """The shape of busybox 1.28-style output, values replaced by placeholders
    and spacing kept, so two answers of the same kind compare equal; a line of
    another shape stays as it is."""
    shapes = []
    for line in output.splitlines():
        for pattern, shape in _LAYOUT:
            if pattern.match(line):
                shapes.append(pattern.sub(shape, line))
                break
        else:
            shapes.append(line)
    return shapes


_REASONS = {
    "SuccessfulCreate": "created",
    "SuccessfulDelete": "deleted",
    "Scheduled": "scheduled",
    "Started": "started",
    "Killing": "killing",
    "Unhealthy": "unhealthy",
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
        message = ev.get("message", "") or ""
        if obj.get("kind") == "Pod":
            pod = obj.get("name", "")
        else:
            match = _CONTROLLER_POD.search(message)
            if not match:
                continue
            pod = match.group(1)
        series = ev.get("series") or {}
        time = (
            ev.get("lastTimestamp")
            or series.get("lastObservedTime")
            or ev.get("eventTime")
            or ev["metadata"]["creationTimestamp"]
        )
        scheduled_to = _SCHEDULED_TO.match(message) if reason == "scheduled" else None
        rv = ev["metadata"].get("resourceVersion", "0")
        events.append(
            LifecycleEvent(
                pod=pod,
                reason=reason,
                time=time,
                sequence=int(rv) if rv.isdigit() else 0,
                object_kind=obj.get("kind", ""),
                object_name=obj.get("name", ""),
                object_uid=obj.get("uid", ""),
                first_time=ev.get("firstTimestamp") or ev.get("eventTime") or None,
                count=int(ev.get("count") or series.get("count") or 1),
                combined=message.startswith(COMBINED_PREFIX),
                node=scheduled_to.group(1) if scheduled_to else None,
            )
        )
    return sorted(events, key=lambda e: (parse_time(e.time), e.sequence))


_SCALED = re.compile(r"Scaled (up|down) replica set (\S+) (?:from (\d+) )?to (\d+)")


def parse_scalings(event_list: dict[str, Any]) -> list[ReplicaSetScaling]:
    """The Deployments' `ScalingReplicaSet` events, oldest first: "Scaled up
    replica set web-dep-5d9c7b4f6 from 2 to 4" (older versions without "from 2")."""
    found = []
    for ev in event_list.get("items", []):
        obj = ev.get("involvedObject", {})
        matched = _SCALED.match(ev.get("message") or "")
        if ev.get("reason") != "ScalingReplicaSet" or obj.get("kind") != "Deployment" or not matched:
            continue
        direction, replicaset, before, after = matched.groups()
        time = ev.get("lastTimestamp") or ev.get("eventTime") or ev["metadata"]["creationTimestamp"]
        found.append(
            ReplicaSetScaling(
                deployment=obj.get("name", ""),
                replicaset=replicaset,
                from_replicas=int(before) if before is not None else None,
                to_replicas=int(after),
                up=direction == "up",
                time=time,
            )
        )
    return sorted(found, key=lambda s: parse_time(s.time))


def parse_served_pages(outputs: dict[str, str]) -> dict[str, str]:
    """What `curl localhost` returned in each pod, trimmed."""
    return {pod: text.strip() for pod, text in outputs.items()}

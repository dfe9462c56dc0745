"""The side-by-side StatefulSet/Deployment summary: one row per aspect the
note compares, each cell from what the probe observed. The text report and
the report page show the same rows."""

from __future__ import annotations

from itertools import pairwise

from probes.document import ProbeDocument
from probes.facts import ClaimFacts, DeploymentFacts, NodeFacts, PodFacts, StatefulSetFacts
from probes.parse import parse_time

MISSING = "does not exist"
"""What a cell shows when the object it needs does not exist."""


def creation_summary(pods: list[PodFacts]) -> str:
    """How the current pods were created relative to each other, from their
    creation and Ready timestamps (one-second resolution, so "within N s" is
    an upper bound)."""
    if not pods:
        return "no pods"
    ordered = sorted(pods, key=lambda p: (parse_time(p.created), p.ordinal or 0))
    if len(ordered) == 1:
        return f"1 pod, created {ordered[0].created}"
    first, last = parse_time(ordered[0].created), parse_time(ordered[-1].created)
    span = int((last - first).total_seconds())
    within = f"{len(ordered)} pods created within {span + 1} s"
    ready_times = [p.ready_since for p in ordered if not p.restarts and p.ready_since]
    if len(ready_times) < len(ordered):
        return within + " (not all first Ready times are known)"
    if last < min(parse_time(t) for t in ready_times):
        return within + ", before any was Ready"
    if all(parse_time(b.created) >= parse_time(a.ready_since or "") for a, b in pairwise(ordered)):
        return f"{len(ordered)} pods created one at a time within {span + 1} s, each after the previous was Ready"
    return within + ", some before an earlier one was Ready"


def pods_by_node(pods: list[PodFacts]) -> str:
    by_node: dict[str, list[str]] = {}
    for p in pods:
        by_node.setdefault(p.node or "not scheduled", []).append(p.name)
    return "; ".join(f"{node}: {', '.join(names)}" for node, names in sorted(by_node.items())) or "-"


def _dns_cell(doc: ProbeDocument, queries: list[tuple[str, str]], label: str) -> str:
    """How many of the pods' names resolved to their own pod in this run."""
    if not queries:
        return f"{label}: no pods"
    answers = {d.query: d for d in doc.dns}
    hits = sum(1 for q, ip in queries if (d := answers.get(q)) is not None and d.resolved and d.addresses == [ip])
    return f"{label}: {hits} of {len(queries)} resolve to their pod"


def _storage_cell(pods: list[PodFacts], each: str) -> str:
    if not pods:
        return "-"
    mounts = [tuple(p.claims) for p in pods]
    names = list(dict.fromkeys(c for m in mounts for c in m))
    if not names:
        return "no claims mounted"
    if len(pods) > 1 and len(names) == 1 and all(m == (names[0],) for m in mounts):
        return f"{names[0]} (shared by {len(pods)} pods)"
    if all(len(m) == 1 for m in mounts) and len(set(mounts)) == len(pods):
        return f"{', '.join(names)} (one per {each})"
    return "; ".join(f"{p.name}: {'+'.join(p.claims) or 'none'}" for p in pods)


def _service_cell(doc: ProbeDocument, name: str) -> str:
    found = {s.name: s for s in doc.services}.get(name)
    if found is None:
        return f"{name} (no such Service)"
    return f"{name} (headless)" if found.headless else f"{name} (ClusterIP {found.cluster_ip})"


def _statefulset_strategy(sts: StatefulSetFacts) -> str:
    if sts.update_strategy != "RollingUpdate":
        return sts.update_strategy
    text = f"RollingUpdate, partition {sts.partition}"
    return text + (f", maxUnavailable {sts.max_unavailable}" if sts.max_unavailable else "")


def _deployment_strategy(dep: DeploymentFacts | None) -> str:
    if dep is None:
        return MISSING
    if dep.strategy != "RollingUpdate":
        return dep.strategy
    return f"RollingUpdate, maxSurge {dep.max_surge}, maxUnavailable {dep.max_unavailable}"


def _replicas(facts: StatefulSetFacts | DeploymentFacts | None) -> str:
    return MISSING if facts is None else f"{facts.ready_replicas} of {facts.replicas} Ready"


def _names(pods: list[PodFacts]) -> str:
    return ", ".join(p.name for p in pods) or "-"


def _dashed(ip: str) -> str:
    return ip.replace(".", "-")


def summary_rows(doc: ProbeDocument) -> list[tuple[str, str, str]]:
    """Every cell from what the probe observed; a cell the document has no data
    for says so rather than repeating what the stack asked for."""
    e = doc.expectations
    sts, dep = doc.pods.statefulset, doc.pods.deployment
    sts_facts, dep_facts = doc.statefulset, doc.deployment
    sts_service = sts_facts.service_name if sts_facts else None
    hashes = sorted({p.revision for p in dep if p.revision})
    return [
        ("pods", _names(sts), _names(dep)),
        ("replicas", _replicas(sts_facts), _replicas(dep_facts)),
        (
            "pod management",
            f"{sts_facts.pod_management_policy if sts_facts else MISSING}: {creation_summary(sts)}",
            f"ReplicaSet pod-template-hash {', '.join(hashes) or '-'}: {creation_summary(dep)}",
        ),
        (
            "update strategy",
            _statefulset_strategy(sts_facts) if sts_facts else MISSING,
            _deployment_strategy(dep_facts),
        ),
        (
            "governing service",
            _service_cell(doc, sts_service)
            if sts_service
            else ("spec.serviceName not observed" if sts_facts else "- (no StatefulSet)"),
            f"none; pods behind {_service_cell(doc, e.deployment_service)}",
        ),
        (
            "DNS name per pod",
            _dns_cell(
                doc,
                [(f"{p.name}.{e.statefulset_service}", p.ip) for p in sts],
                f"<pod>.{e.statefulset_service}",
            ),
            _dns_cell(
                doc,
                [(f"{_dashed(p.ip)}.{e.deployment_service}", p.ip) for p in dep if p.ip],
                f"<dashed-ip>.{e.deployment_service}",
            ),
        ),
        ("storage", _storage_cell(sts, "ordinal"), _storage_cell(dep, "pod")),
        ("nodes", pods_by_node(sts), pods_by_node(dep)),
        (
            "images",
            ", ".join(f"{p.ordinal}:{p.image.rsplit('/', 1)[-1]}" for p in sts) or "-",
            ", ".join(sorted({p.image.rsplit("/", 1)[-1] for p in dep})) or "-",
        ),
    ]


def node_line(node: NodeFacts) -> str:
    state = ["Ready" if node.ready else "NotReady"]
    if node.unschedulable:
        state.append("cordoned")
    state += node.taints
    return f"{node.name} ({', '.join(state)})"


def _pod_row(p: PodFacts, claims: dict[str, ClaimFacts], whose: str) -> list[str]:
    claim = p.claims[0] if p.claims else "-"
    hostname = p.hostname or ("-" if not p.hostname_error else "not read")
    found = claims.get(claim)
    return [
        p.name,
        "-" if p.ordinal is None else str(p.ordinal),
        p.node or "-",
        p.ip or "-",
        "yes" if p.ready else "no",
        (f"{whose}; " if whose else "") + (p.state or p.phase or "-"),
        hostname,
        p.image,
        p.revision,
        claim,
        (found.host_path if found else None) or "-",
    ]


def pod_rows(doc: ProbeDocument) -> list[list[str]]:
    """Every pod the run saw: the workloads' own, those on their way out, and
    strangers that only carry a workload's label."""
    claims = {c.name: c for c in doc.claims}
    pods = doc.pods
    rows = [
        ["POD", "ORD", "NODE", "IP", "READY", "STATE", "HOSTNAME", "IMAGE", "REVISION", "CLAIM", "VOLUME DIRECTORY"]
    ]
    rows += [_pod_row(p, claims, "") for p in pods.statefulset + pods.deployment + pods.terminating]
    rows += [_pod_row(p, claims, f"stranger, owner {p.owner or 'none'}") for p in pods.strangers]
    return rows

"""The side-by-side StatefulSet/Deployment report and the pod timeline (SVG).

Both are rendered from the JSON document a probe run produced (the stack
output `probes`), so the report can be re-printed without touching the
cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from html import escape
from itertools import pairwise
from typing import Any

from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, PASSED, Verdict, counts, verdict_of
from probes.parse import parse_time

MARKS: dict[Verdict, str] = {PASSED: "PASS", FAILED: "FAIL", INCONCLUSIVE: "INCONCLUSIVE", NOT_APPLICABLE: "N/A"}
NOT_OBSERVED = "not observed"
"""What a cell shows when the document (an older one) lacks the object it needs."""


def creation_summary(pods: list[dict[str, Any]]) -> str:
    """How the current pods were created relative to each other, from their
    creation and Ready timestamps (one-second resolution, so "within N s" is
    an upper bound)."""
    if not pods:
        return "no pods"
    ordered = sorted(pods, key=lambda p: (parse_time(p["created"]), p.get("ordinal") or 0))
    if len(ordered) == 1:
        return f"1 pod, created {ordered[0]['created']}"
    first, last = parse_time(ordered[0]["created"]), parse_time(ordered[-1]["created"])
    span = int((last - first).total_seconds())
    within = f"{len(ordered)} pods created within {span + 1} s"
    if any(p.get("restarts", 0) or not p.get("ready_since") for p in ordered):
        return within + " (not all first Ready times are known)"
    if last < min(parse_time(p["ready_since"]) for p in ordered):
        return within + ", before any was Ready"
    if all(parse_time(b["created"]) >= parse_time(a["ready_since"]) for a, b in pairwise(ordered)):
        return f"{len(ordered)} pods created one at a time within {span + 1} s, each after the previous was Ready"
    return within + ", some before an earlier one was Ready"


def pods_by_node(pods: list[dict[str, Any]]) -> str:
    by_node: dict[str, list[str]] = {}
    for p in pods:
        by_node.setdefault(p["node"] or "not scheduled", []).append(p["name"])
    return "; ".join(f"{node}: {', '.join(names)}" for node, names in sorted(by_node.items())) or "-"


def _resolved(d: dict[str, Any]) -> bool:
    if "outcome" in d:
        return bool(d["outcome"] == "resolved")
    return d.get("exit_code") == 0 and bool(d.get("addresses"))  # a document from before outcomes


def _dns_cell(doc: dict[str, Any], queries: list[tuple[str, str]], label: str) -> str:
    """How many of the pods' names resolved to their own pod in this run."""
    if not queries:
        return f"{label}: no pods"
    answers = {d["query"]: d for d in doc.get("dns", [])}
    hits = sum(1 for q, ip in queries if (d := answers.get(q)) is not None and _resolved(d) and d["addresses"] == [ip])
    return f"{label}: {hits} of {len(queries)} resolve to their pod"


def _storage_cell(pods: list[dict[str, Any]], each: str) -> str:
    if not pods:
        return "-"
    mounts = [tuple(p["claims"]) for p in pods]
    names = list(dict.fromkeys(c for m in mounts for c in m))
    if not names:
        return "no claims mounted"
    if len(pods) > 1 and len(names) == 1 and all(m == (names[0],) for m in mounts):
        return f"{names[0]} (shared by {len(pods)} pods)"
    if all(len(m) == 1 for m in mounts) and len(set(mounts)) == len(pods):
        return f"{', '.join(names)} (one per {each})"
    return "; ".join(f"{p['name']}: {'+'.join(p['claims']) or 'none'}" for p in pods)


def _service_cell(doc: dict[str, Any], name: str) -> str:
    if "services" not in doc:
        return f"{name} (Service {NOT_OBSERVED})"
    found = {s["name"]: s for s in doc["services"]}.get(name)
    if found is None:
        return f"{name} (no such Service)"
    return f"{name} (headless)" if found["cluster_ip"] == "None" else f"{name} (ClusterIP {found['cluster_ip']})"


def _statefulset_strategy(sts: dict[str, Any]) -> str:
    if sts["update_strategy"] != "RollingUpdate":
        return str(sts["update_strategy"])
    text = f"RollingUpdate, partition {sts['partition']}"
    return text + (f", maxUnavailable {sts['max_unavailable']}" if sts.get("max_unavailable") else "")


def _deployment_strategy(dep: dict[str, Any] | None) -> str:
    if dep is None:
        return NOT_OBSERVED
    if dep["strategy"] != "RollingUpdate":
        return str(dep["strategy"])
    return f"RollingUpdate, maxSurge {dep['max_surge']}, maxUnavailable {dep['max_unavailable']}"


def _summary_rows(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Every cell from what the probe observed; a cell the document has no data
    for says so rather than repeating what the stack asked for."""
    e = doc["expectations"]
    sts, dep = doc["pods"]["statefulset"], doc["pods"]["deployment"]
    sts_facts = doc["statefulset"]
    dep_facts: dict[str, Any] | None = doc.get("deployment")
    sts_service = sts_facts.get("service_name")
    hashes = sorted({p["revision"] for p in dep if p["revision"]})

    def names(pods: list[dict[str, Any]]) -> str:
        return ", ".join(p["name"] for p in pods) or "-"

    def replicas(facts: dict[str, Any] | None) -> str:
        return NOT_OBSERVED if facts is None else f"{facts['ready_replicas']} of {facts['replicas']} Ready"

    def dashed(ip: str) -> str:
        return ip.replace(".", "-")

    return [
        ("pods", names(sts), names(dep)),
        ("replicas", replicas(sts_facts), replicas(dep_facts)),
        (
            "pod management",
            f"{sts_facts['pod_management_policy']}: {creation_summary(sts)}",
            f"ReplicaSet pod-template-hash {', '.join(hashes) or '-'}: {creation_summary(dep)}",
        ),
        ("update strategy", _statefulset_strategy(sts_facts), _deployment_strategy(dep_facts)),
        (
            "governing service",
            _service_cell(doc, sts_service) if sts_service else f"spec.serviceName {NOT_OBSERVED}",
            f"none; pods behind {_service_cell(doc, e['deployment_service'])}",
        ),
        (
            "DNS name per pod",
            _dns_cell(
                doc,
                [(f"{p['name']}.{e['statefulset_service']}", p["ip"]) for p in sts],
                f"<pod>.{e['statefulset_service']}",
            ),
            _dns_cell(
                doc,
                [(f"{dashed(p['ip'])}.{e['deployment_service']}", p["ip"]) for p in dep if p["ip"]],
                f"<dashed-ip>.{e['deployment_service']}",
            ),
        ),
        ("storage", _storage_cell(sts, "ordinal"), _storage_cell(dep, "pod")),
        ("nodes", pods_by_node(sts), pods_by_node(dep)),
        (
            "images",
            ", ".join(f"{p['ordinal']}:{p['image'].rsplit('/', 1)[-1]}" for p in sts) or "-",
            ", ".join(sorted({p["image"].rsplit("/", 1)[-1] for p in dep})) or "-",
        ),
    ]


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _node_line(node: dict[str, Any]) -> str:
    state = ["Ready" if node["ready"] else "NotReady"]
    if node["unschedulable"]:
        state.append("cordoned")
    state += node["taints"]
    return f"{node['name']} ({', '.join(state)})"


def render_text(doc: dict[str, Any]) -> str:
    e = doc["expectations"]
    lines = [
        f"StatefulSet {e['statefulset']} vs Deployment {e['deployment']} "
        f"(namespace {e['namespace']}, observed {doc['observed_at']})",
        "",
    ]
    lines += _table(
        [["", f"StatefulSet {e['statefulset']}", f"Deployment {e['deployment']}"]]
        + [list(r) for r in _summary_rows(doc)]
    )
    if "nodes" in doc:
        lines += ["", "Nodes: " + ("; ".join(_node_line(n) for n in doc["nodes"]) or "none")]
    claims = {c["name"]: c for c in doc["claims"]}
    pod_rows = [["POD", "ORD", "NODE", "IP", "READY", "HOSTNAME", "IMAGE", "REVISION", "CLAIM", "VOLUME DIRECTORY"]]
    for p in doc["pods"]["statefulset"] + doc["pods"]["deployment"]:
        claim = p["claims"][0] if p["claims"] else "-"
        pod_rows.append(
            [
                p["name"],
                "-" if p["ordinal"] is None else str(p["ordinal"]),
                p["node"] or "-",
                p["ip"] or "-",
                "yes" if p["ready"] else "no",
                p["hostname"] or "-",
                p["image"],
                p["revision"],
                claim,
                claims.get(claim, {}).get("host_path") or "-",
            ]
        )
    lines += ["", *_table(pod_rows)]
    checks = doc["checks"]
    tally = counts(checks)
    lines += ["", "Checks: " + ", ".join(f"{n} {verdict}" for verdict, n in tally.items())]
    for c in checks:
        verdict = verdict_of(c)
        lines.append(f"  {MARKS[verdict]}  [{c['workload']}] {c['name']}")
        if verdict in (FAILED, INCONCLUSIVE):
            lines.append(f"        expected: {c['expected']}")
        lines.append(f"        observed: {c['observed']}")
    lines += ["", "Probe steps: " + ", ".join(f"{k} {v:.1f}s" for k, v in doc["durations"].items())]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Span:
    """One life of a pod: from creation to deletion (or to the observation)."""

    pod: str
    workload: str
    start: datetime
    end: datetime
    ended: bool
    scheduled: datetime | None
    ready: datetime | None
    node: str = ""
    """Where this life ran: the live pod's node, or the scheduler's event for an ended one."""


def pod_spans(doc: dict[str, Any]) -> list[Span]:
    """Lives of every pod the events or the live pods know about.

    A StatefulSet re-uses names, so one pod name can have several lives.
    """
    observed = parse_time(doc["observed_at"])
    live = {p["name"]: p for p in doc["pods"]["statefulset"] + doc["pods"]["deployment"]}
    sts_name = doc["expectations"]["statefulset"]
    by_pod: dict[str, list[dict[str, Any]]] = {}
    for ev in doc["events"]:
        by_pod.setdefault(ev["pod"], []).append(ev)
    spans: list[Span] = []
    for pod in sorted(set(by_pod) | set(live)):
        if not (pod.startswith(f"{sts_name}-") or pod.startswith(f"{doc['expectations']['deployment']}-")):
            continue
        workload = (
            "statefulset" if pod.startswith(f"{sts_name}-") and pod[len(sts_name) + 1 :].isdigit() else "deployment"
        )
        start: datetime | None = None
        scheduled: datetime | None = None
        node = ""
        for ev in by_pod.get(pod, []):
            t = parse_time(ev["time"])
            if ev["reason"] == "created":
                start, scheduled, node = t, None, ""
            elif ev["reason"] == "scheduled" and start is not None:
                scheduled, node = t, ev.get("node") or ""
            elif ev["reason"] in ("killing", "deleted") and start is not None:
                spans.append(Span(pod, workload, start, t, True, scheduled, None, node))
                start = None
        if pod in live:
            p = live[pod]
            created = parse_time(p["created"])
            spans.append(
                Span(
                    pod,
                    workload,
                    created,
                    observed,
                    False,
                    parse_time(p["scheduled"]) if p["scheduled"] else None,
                    parse_time(p["ready_since"]) if p["ready_since"] else None,
                    p["node"],
                )
            )
    return sorted(spans, key=lambda s: (s.workload != "statefulset", s.pod, s.start))


def recent(spans: list[Span], observed: datetime, window_seconds: float) -> list[Span]:
    """The lives that overlap the last `window_seconds` before the observation,
    clipped to it, so a long history does not squash what just happened."""
    start = observed - timedelta(seconds=window_seconds)
    kept = []
    for s in spans:
        if s.end < start:
            continue
        kept.append(replace(s, start=max(s.start, start)))
    return kept


def default_window(spans: list[Span], observed: datetime) -> float:
    """Seconds of history worth drawing: the lives of the current pods (and
    whatever ended during them), with a little lead-in; ten minutes when no
    pod is alive."""
    live = [s.start for s in spans if not s.ended]
    if not live:
        return 600.0
    lived = (observed - min(live)).total_seconds()
    return lived + max(5.0, lived * 0.15)


def render_svg(doc: dict[str, Any], window_seconds: float | None = None) -> str:
    """A timeline of the recent past: one row per pod life, labelled with its
    node, bar from created to deleted, with markers for scheduled (circle),
    Ready (diamond) and deleted (cross)."""
    observed = parse_time(doc["observed_at"])
    every = pod_spans(doc)
    window_seconds = window_seconds or default_window(every, observed)
    spans = recent(every, observed, window_seconds)
    row_h, left, width, top = 26, 360, 900, 60
    height = top + row_h * max(len(spans), 1) + 70
    colors = {"statefulset": "#2b6cb0", "deployment": "#c05621"}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 40}" height="{height}" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="13">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="10" y="24" font-size="16" font-weight="bold">Pod lifecycles: StatefulSet '
        f"{escape(doc['expectations']['statefulset'])} vs Deployment {escape(doc['expectations']['deployment'])}"
        f" (the {window_seconds:.0f} s before {escape(doc['observed_at'])})</text>",
    ]
    if not spans:
        out += ['<text x="10" y="60">no pods observed</text>', "</svg>"]
        return "\n".join(out)
    out.append(f'<text x="10" y="{top - 12}" font-weight="bold" fill="#555">node</text>')
    t0 = min(s.start for s in spans)
    t1 = max(s.end for s in spans)
    total = max((t1 - t0).total_seconds(), 1.0)

    def x(t: datetime) -> float:
        return left + width * (t - t0).total_seconds() / total

    for i in range(6):
        tx = left + width * i / 5
        secs = total * i / 5
        out.append(f'<line x1="{tx:.1f}" y1="{top - 8}" x2="{tx:.1f}" y2="{height - 60}" stroke="#ddd"/>')
        out.append(f'<text x="{tx:.1f}" y="{top - 12}" text-anchor="middle" fill="#555">+{secs:.0f}s</text>')
    for row, s in enumerate(spans):
        y = top + row * row_h
        color = colors[s.workload]
        out.append(f'<text x="10" y="{y + 16}" fill="#555">{escape(s.node or "?")}</text>')
        out.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" fill="{color}">{escape(s.pod)}</text>')
        out.append(
            f'<rect x="{x(s.start):.1f}" y="{y + 6}" width="{max(x(s.end) - x(s.start), 2):.1f}" height="12" '
            f'fill="{color}" fill-opacity="{0.35 if s.ended else 0.8}"/>'
        )
        if s.scheduled and s.scheduled >= s.start:
            out.append(f'<circle cx="{x(s.scheduled):.1f}" cy="{y + 12}" r="4" fill="white" stroke="black"/>')
        if s.ready and s.ready >= s.start:
            rx = x(s.ready)
            out.append(f'<path d="M{rx:.1f},{y + 5} l6,7 l-6,7 l-6,-7 z" fill="#2f855a" stroke="black"/>')
        if s.ended:
            ex, ey = x(s.end), y + 12
            out.append(
                f'<path d="M{ex - 5:.1f},{ey - 5} l10,10 M{ex + 5:.1f},{ey - 5} l-10,10" '
                'stroke="#c53030" stroke-width="2"/>'
            )
    ly = height - 30
    out += [
        f'<rect x="10" y="{ly - 10}" width="14" height="12" fill="{colors["statefulset"]}"/>',
        f'<text x="30" y="{ly}">StatefulSet pod</text>',
        f'<rect x="150" y="{ly - 10}" width="14" height="12" fill="{colors["deployment"]}"/>',
        f'<text x="170" y="{ly}">Deployment pod (faded: deleted)</text>',
        f'<circle cx="420" cy="{ly - 4}" r="4" fill="white" stroke="black"/><text x="430" y="{ly}">scheduled</text>',
        f'<path d="M520,{ly - 11} l6,7 l-6,7 l-6,-7 z" fill="#2f855a" stroke="black"/>'
        f'<text x="532" y="{ly}">Ready</text>',
        f'<path d="M600,{ly - 9} l10,10 M610,{ly - 9} l-10,10" stroke="#c53030" stroke-width="2"/>'
        f'<text x="616" y="{ly}">deleted</text>',
        "</svg>",
    ]
    return "\n".join(out)

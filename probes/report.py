"""The side-by-side StatefulSet/Deployment report and the pod timeline (SVG).

Both are rendered from the JSON document a probe run produced (the stack
output `probes`), so the report can be re-printed without touching the
cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from html import escape
from typing import Any

from probes.parse import parse_time


def _summary_rows(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    e = doc["expectations"]
    sts, dep = doc["pods"]["statefulset"], doc["pods"]["deployment"]
    sts_facts = doc["statefulset"]
    claims = {c["name"]: c for c in doc["claims"]}
    shared = claims.get(f"{e['claim_template']}-{e['deployment']}", {})

    def names(pods: list[dict[str, Any]]) -> str:
        return ", ".join(p["name"] for p in pods) or "-"

    def nodes(pods: list[dict[str, Any]]) -> str:
        return ", ".join(sorted({p["node"] for p in pods})) or "-"

    return [
        ("pods", names(sts), names(dep)),
        ("pod management", f"{e['pod_management_policy']} (by ordinal)", "ReplicaSet (all at once)"),
        (
            "update strategy",
            f"{sts_facts['update_strategy']}, partition {sts_facts['partition']}",
            "RollingUpdate, no partition",
        ),
        ("governing service", f"{e['statefulset_service']} (headless)", f"{e['deployment_service']} (headless)"),
        ("DNS name per pod", f"<pod>.{e['statefulset_service']}", f"<dashed-ip>.{e['deployment_service']}"),
        (
            "storage",
            ", ".join(p["claims"][0] for p in sts if p["claims"]) + " (one per ordinal)",
            f"{shared.get('name', '-')} (shared by {len(dep)} pods)",
        ),
        ("nodes", nodes(sts), nodes(dep)),
        (
            "images",
            ", ".join(f"{p['ordinal']}:{p['image'].rsplit('/', 1)[-1]}" for p in sts),
            ", ".join(sorted({p["image"].rsplit("/", 1)[-1] for p in dep})) or "-",
        ),
    ]


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]


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
    failed = [c for c in checks if not c["passed"]]
    lines += ["", f"Checks: {len(checks) - len(failed)} passed, {len(failed)} failed"]
    for c in checks:
        lines.append(f"  {'PASS' if c['passed'] else 'FAIL'}  [{c['workload']}] {c['name']}")
        if not c["passed"]:
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
        for ev in by_pod.get(pod, []):
            t = parse_time(ev["time"])
            if ev["reason"] == "created":
                start, scheduled = t, None
            elif ev["reason"] == "scheduled" and start is not None:
                scheduled = t
            elif ev["reason"] in ("killing", "deleted") and start is not None:
                spans.append(Span(pod, workload, start, t, True, scheduled, None))
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
    """A timeline of the recent past: one row per pod life, bar from created to
    deleted, with markers for scheduled (circle), Ready (diamond) and deleted
    (cross)."""
    observed = parse_time(doc["observed_at"])
    every = pod_spans(doc)
    window_seconds = window_seconds or default_window(every, observed)
    spans = recent(every, observed, window_seconds)
    row_h, left, width, top = 26, 230, 900, 60
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

"""The pod timeline as SVG: one row per life of a pod, from the probe document.

A StatefulSet re-uses names, so one pod name can have several lives; the
events of the namespace tell them apart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from html import escape
from typing import Any

from probes.parse import parse_time


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

"""The pod timeline as SVG: one row per life of a pod, from the probe document.

A StatefulSet re-uses names, so one pod name can have several lives; the
events of the namespace tell them apart (by the pod's uid where the events
carry it, else by their order). A life's marks come from both sources: the
events (scheduled, container started, deleted) and, for a pod still there,
its conditions (scheduled, Ready), so a life whose events were folded away
or never recorded still shows what its pod says.

The picture covers one window, the same for the title, the axis and the
bars: the last `window` seconds before the observation, rounded up to a
whole number of round tick steps (1, 2 or 5 x 10^n seconds).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from html import escape

from probes.document import ProbeDocument
from probes.facts import LifecycleEvent, PodFacts
from probes.parse import parse_time
from report.actors import Actors

WHO_WIDTH = 560
"""The column that names who created and who deleted each life."""
SAME_MOMENT = timedelta(seconds=2)
"""Events carry one-second timestamps and come from different components:
moments this close are one moment (a pod's and its claim's creation events,
a kill and the controller's delete)."""

COLORS = {"statefulset": "#2b6cb0", "deployment": "#c05621"}


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
    started: datetime | None = None
    """When its container started (the kubelet's event); an ended life's Ready time is not kept, this is."""
    deleted: datetime | None = None
    """When its deletion began (killed or deleted); set for a live pod that is terminating too."""
    terminating: bool = False


@dataclass
class _Life:
    """A life being assembled from the events, oldest first."""

    start: datetime
    uid: str = ""
    scheduled: datetime | None = None
    started: datetime | None = None
    deleted: datetime | None = None
    node: str = ""

    @property
    def open(self) -> bool:
        return self.deleted is None


@dataclass(frozen=True)
class _Moment:
    """One thing an event says happened to a pod, at one time."""

    time: datetime
    sequence: int
    reason: str
    uid: str
    node: str


def _moments(events: list[LifecycleEvent]) -> list[_Moment]:
    """The events as moments, oldest first. The API folds repeats of an event
    into one (`count` of them, the first at `first_time`, the last at `time`),
    so a StatefulSet pod created twice under one name has one creation event
    that stands for both creations."""
    found = []
    for ev in events:
        uid = ev.object_uid if ev.object_kind == "Pod" else ""
        times = [ev.time]
        if ev.reason == "created" and ev.count > 1 and ev.first_time:
            times.insert(0, ev.first_time)
        found += [_Moment(parse_time(t), ev.sequence, ev.reason, uid, ev.node or "") for t in times]
    return sorted(found, key=lambda m: (m.time, m.sequence))


def _life_of(lives: list[_Life], uid: str, t: datetime, reason: str) -> _Life | None:
    """The life a pod event belongs to, a new one when it starts one, None for the
    end of a life that began before the kept events."""
    current = lives[-1] if lives else None
    if current is not None and uid and current.uid and uid != current.uid:
        if current.open:
            current.deleted = t
        current = None
    if current is not None and not current.open and reason in ("scheduled", "started"):
        if not (uid and uid == current.uid):
            current = None
        else:
            current.deleted = None  # a kill that restarted a container; the pod lives on
    if current is None and reason not in ("killing", "deleted"):
        current = _Life(start=t)
        lives.append(current)
    return current


def _lives_from_events(events: list[LifecycleEvent]) -> list[_Life]:
    lives: list[_Life] = []
    for m in _moments(events):
        if m.reason == "created":
            current = lives[-1] if lives else None
            if current is None or m.time - current.start > SAME_MOMENT:
                if current is not None and current.open:
                    current.deleted = m.time  # a name is re-used only once its pod is gone
                lives.append(_Life(start=m.time))
            continue
        life = _life_of(lives, m.uid, m.time, m.reason)
        if life is None:
            continue
        life.uid = life.uid or m.uid
        if m.reason == "scheduled":
            life.scheduled, life.node = m.time, m.node or life.node
        elif m.reason == "started":
            life.started = life.started or m.time
        elif m.reason in ("killing", "deleted") and life.open:
            life.deleted = m.time
    return lives


def _is_life_of(life: _Life, pod: PodFacts) -> bool:
    if life.uid and pod.uid:
        return life.uid == pod.uid
    return life.open or abs(life.start - parse_time(pod.created)) <= SAME_MOMENT


def _workload_of(doc: ProbeDocument, pod: str) -> str | None:
    e = doc.expectations
    if pod.startswith(f"{e.statefulset}-") and pod[len(e.statefulset) + 1 :].isdigit():
        return "statefulset"
    if pod.startswith(f"{e.deployment}-"):
        return "deployment"
    if pod.startswith(f"{e.statefulset}-"):
        return "deployment"  # no ordinal: a Deployment named like the StatefulSet, and longer
    return None


def _ended(name: str, workload: str, life: _Life) -> Span:
    assert life.deleted is not None
    return Span(
        pod=name,
        workload=workload,
        start=life.start,
        end=life.deleted,
        ended=True,
        scheduled=life.scheduled,
        ready=None,
        node=life.node,
        started=life.started,
        deleted=life.deleted,
    )


def _live(name: str, workload: str, pod: PodFacts, life: _Life | None, observed: datetime) -> Span:
    """The live pod's life: its own conditions where it has them, its events' marks where not."""
    return Span(
        pod=name,
        workload=workload,
        start=parse_time(pod.created),
        end=observed,
        ended=False,
        scheduled=parse_time(pod.scheduled) if pod.scheduled else (life.scheduled if life else None),
        ready=parse_time(pod.ready_since) if pod.ready_since else None,
        node=pod.node or (life.node if life else ""),
        started=life.started if life else None,
        deleted=life.deleted if life and pod.terminating else None,
        terminating=pod.terminating,
    )


def pod_spans(doc: ProbeDocument) -> list[Span]:
    """Lives of every pod of either workload the events or the live pods know about."""
    observed = parse_time(doc.observed_at)
    pods = doc.pods
    live = {p.name: p for p in pods.statefulset + pods.deployment + pods.terminating}
    by_pod: dict[str, list[LifecycleEvent]] = {}
    for ev in doc.events:
        by_pod.setdefault(ev.pod, []).append(ev)
    spans: list[Span] = []
    for name in sorted(set(by_pod) | set(live)):
        workload = _workload_of(doc, name)
        if workload is None:
            continue
        lives = _lives_from_events(by_pod.get(name, []))
        pod = live.get(name)
        current = next((life for life in reversed(lives) if _is_life_of(life, pod)), None) if pod else None
        # An open life that is not the live pod's has no known end: it is not drawn.
        spans += [_ended(name, workload, life) for life in lives if life is not current and not life.open]
        if pod is not None:
            spans.append(_live(name, workload, pod, current, observed))
    return sorted(spans, key=lambda s: (s.workload != "statefulset", s.pod, s.start))


def recent(spans: list[Span], observed: datetime, window_seconds: float) -> list[Span]:
    """The lives that overlap the last `window_seconds` before the observation,
    clipped to it, so a long history does not squash what just happened."""
    start = observed - timedelta(seconds=window_seconds)
    return [replace(s, start=max(s.start, start)) for s in spans if s.end >= start]


def default_window(spans: list[Span], observed: datetime) -> float:
    """Seconds of history worth drawing: the lives of the current pods (and
    whatever ended during them), with a little lead-in; ten minutes when no
    pod is alive."""
    live = [s.start for s in spans if not s.ended]
    if not live:
        return 600.0
    lived = (observed - min(live)).total_seconds()
    return lived + max(5.0, lived * 0.15)


def tick_step(seconds: float, most_ticks: int = 8) -> float:
    """The smallest round step (1, 2 or 5 x 10^n s) that marks `seconds` with at most `most_ticks` intervals."""
    magnitude = 10 ** math.floor(math.log10(max(seconds, 1.0) / most_ticks))
    for factor in (1, 2, 5, 10):
        if seconds / (factor * magnitude) <= most_ticks:
            return float(factor * magnitude)
    return float(10 * magnitude)  # pragma: no cover - the loop ends at 10, which always fits


def axis(window_seconds: float) -> tuple[float, float]:
    """The drawn window, a whole number of round steps no shorter than asked, and its step."""
    step = tick_step(window_seconds)
    return step * math.ceil(window_seconds / step - 1e-9), step


def _seconds(value: float) -> str:
    return f"{value:.0f}" if value >= 1 else f"{value:g}"


def _scheduled_mark(x: float, y: float) -> str:
    return f'<circle cx="{x:.1f}" cy="{y}" r="4" fill="white" stroke="black"/>'


def _started_mark(x: float, y: float) -> str:
    return f'<path d="M{x:.1f},{y - 5} l5,5 l-5,5 l-5,-5 z" fill="white" stroke="#2f855a" stroke-width="1.5"/>'


def _ready_mark(x: float, y: float) -> str:
    return f'<path d="M{x:.1f},{y - 7} l6,7 l-6,7 l-6,-7 z" fill="#2f855a" stroke="black"/>'


def _deleted_mark(x: float, y: float) -> str:
    return f'<path d="M{x - 5:.1f},{y - 5} l10,10 M{x + 5:.1f},{y - 5} l-10,10" stroke="#c53030" stroke-width="2"/>'


def render_svg(doc: ProbeDocument, window_seconds: float | None = None) -> str:
    """A timeline of the recent past: one row per pod life, labelled with its
    node, bar from created to deleted (or the observation), with every mark
    inside the window: scheduled (circle), container started (hollow
    diamond), Ready (diamond) and deleted (cross)."""
    observed = parse_time(doc.observed_at)
    every = pod_spans(doc)
    span_seconds, step = axis(window_seconds or default_window(every, observed))
    window_start = observed - timedelta(seconds=span_seconds)
    spans = recent(every, observed, span_seconds)
    row_h, left, width, top = 26, 330, 820, 60
    who_x = left + width + 30
    total_width = who_x + WHO_WIDTH
    actors = Actors(doc)
    height = top + row_h * max(len(spans), 1) + 70
    e = doc.expectations
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width}" height="{height}" '
        f'viewBox="0 0 {total_width} {height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="13">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="10" y="24" font-size="16" font-weight="bold">Pod lifecycles: StatefulSet '
        f"{escape(e.statefulset)} vs Deployment {escape(e.deployment)}"
        f" (the {_seconds(span_seconds)} s before {escape(doc.observed_at)})</text>",
    ]
    if not spans:
        out += ['<text x="10" y="60">no pods observed</text>', "</svg>"]
        return "\n".join(out)
    out.append(f'<text x="10" y="{top - 12}" font-weight="bold" fill="#555">node</text>')
    out.append(f'<text x="{who_x}" y="{top - 12}" font-weight="bold" fill="#555">who</text>')

    def x(t: datetime) -> float:
        return left + width * (t - window_start).total_seconds() / span_seconds

    def inside(t: datetime | None) -> bool:
        return t is not None and window_start <= t <= observed

    for i in range(round(span_seconds / step) + 1):
        tx = left + width * i * step / span_seconds
        out.append(f'<line x1="{tx:.1f}" y1="{top - 8}" x2="{tx:.1f}" y2="{height - 60}" stroke="#ddd"/>')
        out.append(f'<text x="{tx:.1f}" y="{top - 12}" text-anchor="middle" fill="#555">+{_seconds(i * step)}s</text>')
    for row, s in enumerate(spans):
        y = top + row * row_h
        color = COLORS[s.workload]
        where = s.node or ("?" if s.ended else "not scheduled")
        out.append(f'<text x="10" y="{y + 16}" fill="#555">{escape(where)}</text>')
        out.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" fill="{color}">{escape(s.pod)}</text>')
        dashed = ' stroke="black" stroke-dasharray="3,2"' if s.terminating else ""
        out.append(
            f'<rect x="{x(s.start):.1f}" y="{y + 6}" width="{max(x(s.end) - x(s.start), 2):.1f}" height="12" '
            f'fill="{color}" fill-opacity="{0.35 if s.ended or s.terminating else 0.8}"{dashed}/>'
        )
        mid = y + 12
        marks = [
            (s.scheduled, _scheduled_mark),
            (s.started, _started_mark),
            (s.ready, _ready_mark),
            (s.deleted if s.deleted else (s.end if s.ended else None), _deleted_mark),
        ]
        out += [draw(x(t), mid) for t, draw in marks if t is not None and inside(t)]
        who = actors.of_life(s.pod, s.start, s.deleted or (s.end if s.ended else None))
        out.append(f'<text class="who" x="{who_x}" y="{y + 16}" font-size="11" fill="#444">{escape(who)}</text>')
    out += _legend(height - 30)
    out.append(
        f'<text x="{who_x}" y="{height - 10}" font-size="11" fill="#555">who: from {escape(actors.source)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def _legend(y: int) -> list[str]:
    """The key under the rows, each item placed after the previous one's text."""
    items: list[tuple[Callable[[float], str], str]] = [
        (
            lambda x: f'<rect x="{x - 7}" y="{y - 10}" width="14" height="12" fill="{COLORS["statefulset"]}"/>',
            "StatefulSet pod",
        ),
        (
            lambda x: f'<rect x="{x - 7}" y="{y - 10}" width="14" height="12" fill="{COLORS["deployment"]}"/>',
            "Deployment pod",
        ),
        (
            lambda x: f'<rect x="{x - 7}" y="{y - 10}" width="14" height="12" fill="#888" fill-opacity="0.35"/>',
            "deleted",
        ),
        (
            lambda x: f'<rect x="{x - 7}" y="{y - 10}" width="14" height="12" fill="#888" fill-opacity="0.35" '
            'stroke="black" stroke-dasharray="3,2"/>',
            "terminating",
        ),
        (lambda x: _scheduled_mark(x, y - 4), "scheduled"),
        (lambda x: _started_mark(x, y - 4), "container started"),
        (lambda x: _ready_mark(x, y - 4), "Ready"),
        (lambda x: _deleted_mark(x, y - 4), "deleted"),
    ]
    out: list[str] = []
    x = 17.0
    for icon, label in items:
        out.append(icon(x) + f'<text x="{x + 12:.0f}" y="{y}">{label}</text>')
        x += 12 + len(label) * 7.8 + 22
    return out

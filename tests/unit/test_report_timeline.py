"""The pod timeline: one row per life of a pod, told apart by the events and
the live pods; round ticks over one window that the title, the axis and the
bars share; every mark a life had inside that window drawn. Built from the
lab's documents: one whose pods were all deleted and re-created (lab-seed),
one where a drained pod lived three times under one name (drained), one
with pods stuck terminating on a stopped node (node-stopped)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest

from probes.document import document_from_json
from probes.parse import parse_time
from report.timeline import Span, axis, default_window, pod_spans, recent, render_svg, tick_step
from tests.fixtures.documents import document, load

SVG = "{http://www.w3.org/2000/svg}"
LEFT, WIDTH = 330, 820
"""Where the drawing's time axis begins and how wide it is."""


def lives(doc: dict[str, Any], pod: str) -> list[Span]:
    return [s for s in pod_spans(document_from_json(doc)) if s.pod == pod]


def at(text: str) -> datetime:
    return parse_time(text)


@pytest.mark.parametrize("seconds", [3, 7, 12, 30, 62, 183, 913, 1050, 3600, 86400])
def test_ticks_are_round_steps_no_more_than_eight(seconds: float) -> None:
    step = tick_step(seconds)
    magnitude = 10 ** math.floor(math.log10(step))
    assert step / magnitude in (1, 2, 5)
    assert seconds / step <= 8
    smaller = {1: 0.5, 2: 1, 5: 2}[round(step / magnitude)] * magnitude
    assert seconds / smaller > 8, "the smallest round step that fits"


def test_the_window_is_a_whole_number_of_steps() -> None:
    assert axis(913) == (1000.0, 200.0)
    assert axis(62) == (70.0, 10.0)
    assert axis(1000) == (1000.0, 200.0)


def test_the_title_names_the_window_the_axis_spans() -> None:
    for name in ("lab-seed", "drained", "node-stopped"):
        root = ET.fromstring(render_svg(document(name)))
        texts = [t.text or "" for t in root.iter(f"{SVG}text")]
        window = float(re.search(r"the (\d+) s before", texts[0]).group(1))  # type: ignore[union-attr]
        ticks = [float(t[1:-1]) for t in texts if re.fullmatch(r"\+\d+s", t)]
        assert ticks[0] == 0 and ticks[-1] == window, name
        steps = {b - a for a, b in pairwise(ticks)}
        assert len(steps) == 1 and tick_step(window) in steps, name


def test_every_bar_lies_inside_the_one_window() -> None:
    for name in ("lab-seed", "drained", "node-stopped", "pod-away-from-volume"):
        root = ET.fromstring(render_svg(document(name)))
        bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "12" and r.get("y") != r.get("x")]
        rows = [r for r in bars if float(r.get("x", 0)) >= LEFT - 0.1]
        assert rows, name
        for bar in rows:
            x, w = float(bar.get("x", 0)), float(bar.get("width", 0))
            assert x >= LEFT - 0.1 and x + w <= LEFT + WIDTH + 2.1, (name, x, w)


def test_pods_deleted_and_re_created_keep_every_mark_of_both_lives() -> None:
    """lab-seed: every pod was deleted at 23:13:41 and created again under its name."""
    doc = load("lab-seed")
    first, second = lives(doc, "web-sts-1")
    assert first.ended and not second.ended
    assert first.scheduled == at("2026-11-26T23:11:22.262479Z")
    assert first.started == at("2026-11-26T23:11:22Z"), "the container's start stands for the unkept Ready"
    assert first.deleted == first.end == at("2026-11-26T23:13:41Z")
    assert second.scheduled == at("2026-11-26T23:13:44Z")
    assert second.ready == at("2026-11-26T23:13:44Z")
    first_0, second_0 = lives(doc, "web-sts-0")
    assert first_0.started is not None and first_0.scheduled is not None
    assert second_0.scheduled is not None and second_0.ready is not None


def marks(svg: str) -> dict[str, int]:
    """How many of each mark the rows (not the legend) carry."""
    root = ET.fromstring(svg)
    height = float(root.get("height", 0))
    found = {"scheduled": 0, "started": 0, "Ready": 0, "deleted": 0}
    for circle in root.iter(f"{SVG}circle"):
        found["scheduled"] += float(circle.get("cy", 0)) < height - 50
    for path in root.iter(f"{SVG}path"):
        y = float(re.match(r"M[\d.]+,([\d.]+)", path.get("d", "")).group(1))  # type: ignore[union-attr]
        if y >= height - 50:
            continue
        if path.get("fill") == "#2f855a":
            found["Ready"] += 1
        elif path.get("stroke") == "#2f855a":
            found["started"] += 1
        elif path.get("stroke") == "#c53030":
            found["deleted"] += 1
    return found


def test_the_picture_draws_every_mark_inside_the_window() -> None:
    doc = load("lab-seed")
    observed = parse_time(doc["observed_at"])
    window = 300.0  # reaches back before the first lives began
    spans = recent(pod_spans(document_from_json(doc)), observed, window)
    start = observed - timedelta(seconds=window)

    def inside(t: datetime | None) -> bool:
        return t is not None and start <= t <= observed

    expected = {
        "scheduled": sum(inside(s.scheduled) for s in spans),
        "started": sum(inside(s.started) for s in spans),
        "Ready": sum(inside(s.ready) for s in spans),
        "deleted": sum(inside(s.deleted) for s in spans),
    }
    assert marks(render_svg(document_from_json(doc), window)) == expected
    assert expected["started"] == len(spans), "every life in this document started its container"
    assert expected["deleted"] == sum(s.ended for s in spans)


def test_a_live_pod_without_its_scheduled_condition_takes_it_from_the_events() -> None:
    doc = load("lab-seed")
    for pod in doc["pods"]["statefulset"]:
        pod["scheduled"] = None
    assert lives(doc, "web-sts-1")[1].scheduled == at("2026-11-26T23:13:44.044450Z")


def test_lives_under_one_name_are_told_apart_by_the_pods_uid() -> None:
    """drained: web-sts-1 ran on lab-worker-1, was re-created there, evicted by the drain, and waits again."""
    doc = load("drained")
    first, second, third = lives(doc, "web-sts-1")
    assert first.ended and first.node == "lab-worker-1"
    assert second.ended and second.scheduled == at("2026-12-02T21:05:56.408251Z")
    assert second.deleted == at("2026-12-02T21:05:59Z")
    assert not third.ended and third.node == "" and third.scheduled is None


def test_a_folded_creation_event_still_starts_the_earlier_life() -> None:
    """The API folds repeated creations of a name into one event: its first
    time is the first life's creation, its last time the live pod's."""
    doc = load("lab-seed")
    doc["events"] = [
        {"pod": "web-sts-0", "reason": "created", "time": "2026-11-26T23:13:42Z", "sequence": 9,
         "first_time": "2026-11-26T23:11:14Z", "count": 2, "object_kind": "StatefulSet", "object_uid": "s"},
        {"pod": "web-sts-0", "reason": "scheduled", "time": "2026-11-26T23:11:17Z", "sequence": 2,
         "object_kind": "Pod", "object_uid": "old", "node": "lab-node"},
        {"pod": "web-sts-0", "reason": "killing", "time": "2026-11-26T23:13:41Z", "sequence": 8,
         "object_kind": "Pod", "object_uid": "old"},
    ]  # fmt: skip
    doc["pods"]["statefulset"][0]["uid"] = "new"
    first, second = lives(doc, "web-sts-0")
    assert first.start == at("2026-11-26T23:11:14Z") and first.node == "lab-node" and first.ended
    assert second.start == at("2026-11-26T23:13:42Z") and not second.ended


def test_pods_stuck_terminating_are_live_and_marked_terminating() -> None:
    doc = load("node-stopped")
    (stuck,) = lives(doc, "web-sts-1")
    assert stuck.terminating and not stuck.ended and stuck.node == "lab-worker-1"
    svg = render_svg(document_from_json(doc))
    assert 'stroke-dasharray="3,2"' in svg


def test_timeline_has_a_life_per_pod_including_deleted_ones() -> None:
    spans = pod_spans(document("lab-seed"))
    names = {s.pod for s in spans}
    assert {"web-sts-0", "web-sts-1", "web-sts-2", "web-sts-3", "web-sts-4"} <= names
    assert any(s.pod == "web-sts-4" and s.ended for s in spans), "the scaled-in pod's life ends"
    assert all(s.start <= s.end for s in spans)


def test_timeline_lives_know_their_node() -> None:
    doc = load("lab-seed")
    assert all(s.node == "lab-node" for s in pod_spans(document_from_json(doc)) if not s.ended)
    for ev in doc["events"]:
        if ev["reason"] == "scheduled":
            ev["node"] = "lab-node"
    assert {s.node for s in pod_spans(document_from_json(doc))} == {"lab-node"}


def test_timeline_is_well_formed_svg_with_a_row_per_life() -> None:
    doc = load("lab-seed")
    root = ET.fromstring(render_svg(document_from_json(doc), 600))
    labels = [t.text for t in root.iter(f"{SVG}text")]
    spans = pod_spans(document_from_json(doc))
    assert sum(label in {s.pod for s in spans} for label in labels) == len(spans)
    assert "lab-node" in labels and "node" in labels


def test_timeline_shows_only_the_recent_window() -> None:
    doc = load("lab-seed")
    observed = parse_time(doc["observed_at"])
    spans = recent(pod_spans(document_from_json(doc)), observed, 5)
    assert spans and all(s.start >= observed - timedelta(seconds=5) for s in spans)
    assert all(s.end >= observed - timedelta(seconds=5) for s in spans)
    assert len(spans) < len(pod_spans(document_from_json(doc)))


def test_default_window_covers_the_current_pods_lives() -> None:
    doc = load("lab-seed")
    observed = parse_time(doc["observed_at"])
    spans = pod_spans(document_from_json(doc))
    oldest_live = min(s.start for s in spans if not s.ended)
    window = default_window(spans, observed)
    assert (observed - oldest_live).total_seconds() < window < 600

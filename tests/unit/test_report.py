"""The report and timeline, rendered from a probe document of the lab cluster."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

from probes.parse import parse_time
from probes.report import default_window, pod_spans, recent, render_svg, render_text

DOCUMENT = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "lab-seed" / "probe-document.json").read_text()
)


def test_report_sets_the_workloads_side_by_side_and_lists_every_check() -> None:
    text = render_text(DOCUMENT)
    assert "StatefulSet web-sts" in text and "Deployment web-dep" in text
    assert "www-web-sts-0, www-web-sts-1, www-web-sts-2 (one per ordinal)" in text
    assert "www-web-dep (shared by 2 pods)" in text
    total = len(DOCUMENT["checks"])
    failed = sum(not c["passed"] for c in DOCUMENT["checks"])
    assert f"Checks: {total - failed} passed, {failed} failed" in text
    assert text.count("  PASS  ") + text.count("  FAIL  ") == total


def test_failed_checks_show_what_was_expected() -> None:
    doc = json.loads(json.dumps(DOCUMENT))
    doc["checks"][0]["passed"] = False
    text = render_text(doc)
    assert "FAIL  [statefulset] pod names are <statefulset>-<ordinal>" in text
    assert f"expected: {doc['checks'][0]['expected']}" in text


def test_timeline_has_a_life_per_pod_including_deleted_ones() -> None:
    spans = pod_spans(DOCUMENT)
    names = {s.pod for s in spans}
    assert {"web-sts-0", "web-sts-1", "web-sts-2", "web-sts-3", "web-sts-4"} <= names
    assert any(s.pod == "web-sts-4" and s.ended for s in spans), "the scaled-in pod's life ends"
    assert all(s.start <= s.end for s in spans)


def test_timeline_is_well_formed_svg_with_a_row_per_life() -> None:
    svg = render_svg(DOCUMENT)
    root = ET.fromstring(svg)
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert sum(label in {s.pod for s in pod_spans(DOCUMENT)} for label in labels) == len(pod_spans(DOCUMENT))


def test_timeline_shows_only_the_recent_window() -> None:
    observed = parse_time(DOCUMENT["observed_at"])
    spans = recent(pod_spans(DOCUMENT), observed, 5)
    assert spans and all(s.start >= observed - timedelta(seconds=5) for s in spans)
    assert all(s.end >= observed - timedelta(seconds=5) for s in spans)
    assert len(spans) < len(pod_spans(DOCUMENT))


def test_default_window_covers_the_current_pods_lives() -> None:
    observed = parse_time(DOCUMENT["observed_at"])
    spans = pod_spans(DOCUMENT)
    oldest_live = min(s.start for s in spans if not s.ended)
    window = default_window(spans, observed)
    assert (observed - oldest_live).total_seconds() < window < 600

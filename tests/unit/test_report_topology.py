"""The topology picture: each pod in its node's column, each volume on its
node, a line from every pod to the volume it mounts; pods the scheduler has
not placed and strangers in columns of their own; a pod on another node than
its volume drawn in red."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from probes.document import document_from_json
from report.topology import AWAY, STRANGERS, UNPLACED, render_topology
from tests.fixtures.documents import load

SVG = "{http://www.w3.org/2000/svg}"


def picture(doc: dict[str, Any]) -> tuple[dict[str, tuple[float, float]], dict[str, float], list[ET.Element]]:
    """Column name -> (left, right); drawn pod or volume name -> its left edge; the lines."""
    root = ET.fromstring(render_topology(document_from_json(doc)))
    frames = [r for r in root.iter(f"{SVG}rect") if r.get("y") == "4"]
    headers = [t for t in root.iter(f"{SVG}text") if t.get("y") == "26"]
    columns = {
        (h.text or ""): (float(f.get("x", 0)), float(f.get("x", 0)) + float(f.get("width", 0)))
        for f, h in zip(frames, headers, strict=True)
    }
    placed = {}
    for group in root.iter(f"{SVG}g"):
        title, rect = group.find(f"{SVG}title"), group.find(f"{SVG}rect")
        if title is not None and rect is not None and group.get("class", "").split()[0] in ("pod", "volume"):
            placed[(title.text or "").split(":")[0]] = float(rect.get("x", 0))
    lines = [p for p in root.findall(f"{SVG}path") if p.get("marker-end")]  # not the legend's
    return columns, placed, lines


def column_of(columns: dict[str, tuple[float, float]], x: float) -> str:
    return next(name for name, (left, right) in columns.items() if left <= x <= right)


def test_pods_and_volumes_sit_in_their_nodes_columns() -> None:
    doc = load("stranger")
    columns, placed, _ = picture(doc)
    assert list(columns) == ["lab-node", "lab-worker-0", "lab-worker-1", STRANGERS]
    for pod in doc["pods"]["statefulset"] + doc["pods"]["deployment"]:
        assert column_of(columns, placed[pod["name"]]) == pod["node"]
    for claim in doc["claims"]:
        assert column_of(columns, placed[claim["name"]]) == claim["node"]
    assert column_of(columns, placed["x"]) == STRANGERS


def test_every_mounted_volume_is_joined_to_its_pods() -> None:
    doc = load("stranger")
    _, _, lines = picture(doc)
    mounts = sum(len(p["claims"]) for p in doc["pods"]["statefulset"] + doc["pods"]["deployment"])
    assert len(lines) == mounts
    assert all(line.get("stroke") != AWAY for line in lines), "every pod runs on its volume's node"


def test_the_deployments_pods_share_one_volume_on_their_node_and_each_statefulset_pod_has_its_own() -> None:
    doc = load("stranger")
    root = ET.fromstring(render_topology(document_from_json(doc)))
    ends: dict[str | None, list[str]] = {}
    for line in root.findall(f"{SVG}path"):
        if line.get("marker-end"):
            # A bracket ends on the right edge of its volume, at the volume's middle.
            end = re.findall(r"[\d.]+", line.get("d", ""))
            ends.setdefault(line.get("stroke"), []).append(end[-1])
    deployment, statefulset = ends["#c05621"], ends["#2b6cb0"]
    assert len(deployment) == 2 and len(set(deployment)) == 1, "both lines end at one volume"
    assert len(statefulset) == 2 and len(set(statefulset)) == 2, "one volume each"


def test_pods_the_scheduler_has_not_placed_wait_apart_for_their_volumes_node() -> None:
    doc = load("node-stopped")
    columns, placed, lines = picture(doc)
    assert UNPLACED in columns
    pending = [p for p in doc["pods"]["deployment"] if not p["node"]]
    assert pending and all(column_of(columns, placed[p["name"]]) == UNPLACED for p in pending)
    waiting = [line for line in lines if line.get("stroke-dasharray") and line.get("stroke") != AWAY]
    assert len(waiting) == len(pending)
    terminating = {p["name"] for p in doc["pods"]["terminating"]}
    assert all(column_of(columns, placed[name]) == "lab-worker-1" for name in terminating)


def test_a_pod_away_from_its_volume_stands_out_in_red() -> None:
    doc = load("pod-away-from-volume")
    columns, placed, lines = picture(doc)
    assert column_of(columns, placed["web-sts-1"]) == "lab-worker-0"
    assert column_of(columns, placed["www-web-sts-1"]) == "lab-worker-1"
    assert len([line for line in lines if line.get("stroke") == AWAY]) == 1


def test_an_older_document_without_nodes_takes_them_from_the_pods() -> None:
    doc = load("lab-seed")
    columns, placed, lines = picture(doc)
    assert list(columns) == ["lab-node"]
    assert len(lines) == len(doc["pods"]["statefulset"]) + len(doc["pods"]["deployment"])
    assert "www-web-sts-4" in placed, "a claim no pod mounts any more is still drawn"

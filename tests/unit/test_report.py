"""The text report, rendered from a probe document of the lab cluster (an
older document, from before verdicts and the Deployment/Service/node facts)
brought up to the current shape; the older document itself is refused with
the way to a current one."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from probes.document import DocumentError, document_from_json
from probes.facts import PodFacts
from report.summary import creation_summary
from report.text import render_text as render_document
from tests.fixtures.documents import lab_seed_as_current

DOCUMENT = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "lab-seed" / "probe-document.json").read_text()
)


def render_text(doc: dict[str, Any]) -> str:
    return render_document(document_from_json(doc))


def current(doc: dict[str, Any] = DOCUMENT) -> dict[str, Any]:
    """The fixture brought up to the current schema."""
    return lab_seed_as_current(doc)


def row(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(label))


def cells(text: str, label: str) -> list[str]:
    """The label, StatefulSet and Deployment cells of a summary row."""
    return re.split(r"\s{2,}", row(text, label))


def test_report_sets_the_workloads_side_by_side_and_lists_every_check() -> None:
    text = render_text(current())
    assert "StatefulSet web-sts" in text and "Deployment web-dep" in text
    assert "www-web-sts-0, www-web-sts-1, www-web-sts-2 (one per ordinal)" in text
    assert "www-web-dep (shared by 2 pods)" in text
    total = len(DOCUMENT["checks"])
    assert f"Checks: {total} passed, 0 failed, 0 inconclusive, 0 not applicable" in text
    assert text.count("  PASS  [") == total


def test_an_older_document_is_refused_naming_how_to_get_a_current_one() -> None:
    with pytest.raises(DocumentError, match=r"schema version 1 .* `make report STACK="):
        render_text(copy.deepcopy(DOCUMENT))


def test_each_verdict_has_its_mark_and_failed_or_inconclusive_checks_show_the_expectation() -> None:
    doc = current()
    doc["checks"][0]["verdict"] = "failed"
    doc["checks"][1]["verdict"] = "inconclusive"
    doc["checks"][2]["verdict"] = "not applicable"
    text = render_text(doc)
    assert "FAIL  [statefulset] pod names are <statefulset>-<ordinal>" in text
    assert "INCONCLUSIVE  [deployment] pod names are <deployment>-<template-hash>-<random>" in text
    assert "N/A  [statefulset] OrderedReady creates each pod after its predecessor is Ready" in text
    assert f"expected: {doc['checks'][0]['expected']}" in text
    assert f"expected: {doc['checks'][1]['expected']}" in text
    assert f"expected: {doc['checks'][2]['expected']}" not in text
    total = len(doc["checks"])
    assert f"Checks: {total - 3} passed, 1 failed, 1 inconclusive, 1 not applicable" in text


def test_the_deployment_column_shows_the_observed_strategy() -> None:
    text = render_text(current())
    assert row(text, "update strategy").endswith("RollingUpdate, maxSurge 25%, maxUnavailable 25%")
    recreate = current()
    recreate["deployment"] |= {"strategy": "Recreate", "max_surge": None, "max_unavailable": None}
    assert cells(render_text(recreate), "update strategy")[2] == "Recreate"


def test_the_statefulset_column_shows_the_observed_object() -> None:
    doc = current()
    doc["statefulset"] |= {"update_strategy": "OnDelete", "pod_management_policy": "Parallel"}
    text = render_text(doc)
    assert "OnDelete" in row(text, "update strategy") and "partition" not in row(text, "update strategy")
    assert cells(text, "pod management")[1].startswith("Parallel: ")
    doc["services"][1]["cluster_ip"] = "10.96.7.7"
    assert "nginx-sts (ClusterIP 10.96.7.7)" in row(render_text(doc), "governing service")


def test_pod_management_cells_describe_the_observed_creation() -> None:
    text = render_text(current())
    assert "OrderedReady: 3 pods created one at a time within 4 s, each after the previous was Ready" in text
    assert "2 pods created within 2 s, before any was Ready" in row(text, "pod management")


def test_creation_summary_is_derived_from_timestamps() -> None:
    def pod(created: str, ready: str | None, restarts: int = 0) -> PodFacts:
        return PodFacts(
            name="p", workload="deployment", ordinal=None, node="", ip="", phase="Running", ready=True,
            created=created, scheduled=None, ready_since=ready, image="", revision="", claims=[], restarts=restarts,
        )  # fmt: skip

    assert creation_summary([]) == "no pods"
    together = [
        pod("2026-11-26T10:00:00Z", "2026-11-26T10:00:03Z"),
        pod("2026-11-26T10:00:00Z", "2026-11-26T10:00:02Z"),
    ]
    assert creation_summary(together) == "2 pods created within 1 s, before any was Ready"
    overlapping = [
        pod("2026-11-26T10:00:00Z", "2026-11-26T10:00:01Z"),
        pod("2026-11-26T10:00:02Z", "2026-11-26T10:00:05Z"),
        pod("2026-11-26T10:00:03Z", "2026-11-26T10:00:06Z"),
    ]
    assert creation_summary(overlapping).endswith("some before an earlier one was Ready")
    assert "not all first Ready times are known" in creation_summary([*together[:1], pod("2026-11-26T10:00:05Z", None)])


def test_dns_cells_count_what_resolved() -> None:
    doc = current()
    doc["dns"] = [d for d in doc["dns"] if not d["query"].startswith("web-sts-1.")]
    assert "<pod>.nginx-sts: 2 of 3 resolve to their pod" in row(render_text(doc), "DNS name per pod")


def test_nodes_row_and_node_list_show_where_pods_run() -> None:
    doc = current()
    doc["pods"]["statefulset"][1]["node"] = "worker-2"
    doc["nodes"].append({"name": "worker-2", "ready": True, "unschedulable": True, "taints": ["x=y:NoSchedule"]})
    text = render_text(doc)
    assert "lab-node: web-sts-0, web-sts-2; worker-2: web-sts-1" in row(text, "nodes")
    assert "Nodes: lab-node (Ready); worker-2 (Ready, cordoned, x=y:NoSchedule)" in text

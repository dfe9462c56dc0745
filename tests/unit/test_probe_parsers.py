"""Probe parsers against output captured from the lab cluster
(tests/fixtures/lab-seed: the seed stack scaled 2 -> 5 -> 3 with the
stable-storage probe; see tests/fixtures/capture.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from probes.parse import (
    ordinal_of,
    parse_claims,
    parse_dns_script_output,
    parse_events,
    parse_nslookup,
    parse_pods,
    parse_statefulset,
    parse_time,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = FIXTURES / "lab-seed"


def load(name: str) -> Any:
    return json.loads((SEED / name).read_text())


def test_statefulset_pods_come_out_by_ordinal_with_their_facts() -> None:
    pods = parse_pods(load("pods-statefulset.json"), "statefulset", "web-sts")
    assert [p.name for p in pods] == ["web-sts-0", "web-sts-1", "web-sts-2"]
    assert [p.ordinal for p in pods] == [0, 1, 2]
    for p in pods:
        assert p.ready and p.phase == "Running" and p.node == "lab-node"
        assert p.ip.startswith("10.244.") and p.claims == [f"www-{p.name}"]
        assert p.revision.startswith("web-sts-") and p.image == "registry.k8s.io/nginx-slim:0.24"
        assert p.ready_since is not None and parse_time(p.ready_since) >= parse_time(p.created)


def test_deployment_pods_have_no_ordinal_and_share_the_claim() -> None:
    pods = parse_pods(load("pods-deployment.json"), "deployment")
    assert len(pods) == 2
    assert all(p.ordinal is None and p.claims == ["www-web-dep"] for p in pods)
    assert all(p.name.startswith(f"web-dep-{p.revision}-") for p in pods)


def test_pods_on_their_way_out_are_not_counted() -> None:
    doc = load("pods-statefulset.json")
    doc["items"][0]["metadata"]["deletionTimestamp"] = "2026-11-26T23:14:00Z"
    assert [p.name for p in parse_pods(doc, "statefulset", "web-sts")] == ["web-sts-1", "web-sts-2"]


def test_statefulset_status_and_strategy() -> None:
    sts = parse_statefulset(load("statefulset.json"))
    assert (sts.replicas, sts.ready_replicas, sts.partition) == (3, 3, 0)
    assert sts.update_strategy == "RollingUpdate" and sts.pod_management_policy == "OrderedReady"
    assert sts.current_revision == sts.update_revision != ""


def test_claims_join_their_volume_path_and_node() -> None:
    claims = {c.name: c for c in parse_claims(load("claims.json"), load("volumes.json"))}
    assert {"www-web-dep", "www-web-sts-0", "www-web-sts-1", "www-web-sts-2", "www-web-sts-3", "www-web-sts-4"} <= set(
        claims
    )
    for c in claims.values():
        assert c.phase == "Bound" and c.storage_class == "local-path" and c.node == "lab-node"
        assert c.host_path == f"/opt/local-path-provisioner/{c.volume}_default_{c.name}"


def test_busybox_1_28_style_output_gives_the_answer_not_the_server() -> None:
    lookups = {d.query: d for d in parse_dns_script_output((SEED / "dns-script-output.txt").read_text())}
    pods = {p.name: p.ip for p in parse_pods(load("pods-statefulset.json"), "statefulset", "web-sts")}
    for name, ip in pods.items():
        assert lookups[f"{name}.nginx-sts"].resolved and lookups[f"{name}.nginx-sts"].addresses == [ip]
    dep = parse_pods(load("pods-deployment.json"), "deployment")
    for p in dep:
        assert not lookups[f"{p.name}.nginx-dep"].resolved
        assert lookups[f"{p.ip.replace('.', '-')}.nginx-dep"].addresses == [p.ip]


def test_newer_busybox_failures_parse_as_unresolved() -> None:
    lookups = parse_dns_script_output((FIXTURES / "busybox-1.35-applet-nslookup.txt").read_text())
    assert [(d.query, d.exit_code, d.addresses) for d in lookups] == [
        ("web-sts-0.nginx-sts", 1, []),
        ("10-244-0-31.nginx-dep", 1, []),
    ]


def test_newer_busybox_answer_style_is_understood() -> None:
    text = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb-sts-0.nginx-sts.default.svc.cluster.local\n"
    assert parse_nslookup(text + "Address: 10.244.0.9\n") == ["10.244.0.9"]


def test_events_give_the_scale_in_order_and_pod_lives() -> None:
    events = parse_events(load("events.json"))
    deletes = [e.pod for e in events if e.reason == "deleted" and ordinal_of(e.pod, "web-sts") in (3, 4)]
    assert deletes[-2:] == ["web-sts-4", "web-sts-3"]
    assert {"created", "scheduled", "started", "killing", "deleted"} <= {e.reason for e in events}
    times = [(parse_time(e.time), e.sequence) for e in events]
    assert times == sorted(times)


def test_ordinal_is_only_for_the_statefulset_own_pods() -> None:
    assert ordinal_of("web-sts-12", "web-sts") == 12
    assert ordinal_of("web-sts-x", "web-sts") is None
    assert ordinal_of("web-dep-5cb9-abcde", "web-sts") is None


def test_restarts_are_counted_per_pod() -> None:
    doc = load("pods-statefulset.json")
    assert [p.restarts for p in parse_pods(doc, "statefulset", "web-sts")] == [0, 0, 0]
    doc["items"][1]["status"]["containerStatuses"][0]["restartCount"] = 2
    assert [p.restarts for p in parse_pods(doc, "statefulset", "web-sts")] == [0, 2, 0]

"""Probe parsers against real output: captured from the lab cluster
(tests/fixtures/lab-seed: the seed stack scaled 2 -> 5 -> 3 with the
stable-storage probe; see tests/fixtures/capture.py) and printed by busybox
1.28 in the seed note (tests/fixtures/seed-busybox-1.28)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kube.objects import ordinal_of
from probes.facts import LOOKUP_ERROR, NOT_FOUND, RESOLVED
from probes.parse import (
    classify_nslookup,
    dns_script_blocks,
    nslookup_layout,
    parse_claims,
    parse_deployment,
    parse_dns_script_output,
    parse_events,
    parse_nodes,
    parse_nslookup,
    parse_pods,
    parse_services,
    parse_statefulset,
    parse_time,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = FIXTURES / "lab-seed"
NOTE = FIXTURES / "seed-busybox-1.28"


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


def test_a_pods_start_is_its_running_containers_latest_and_unknown_while_one_is_not_running() -> None:
    doc = load("pods-statefulset.json")
    started = {p.name: p.started_at for p in parse_pods(doc, "statefulset", "web-sts")}
    for item in doc["items"]:
        (status,) = item["status"]["containerStatuses"]
        assert started[item["metadata"]["name"]] == status["state"]["running"]["startedAt"]
    first = doc["items"][0]
    (status,) = first["status"]["containerStatuses"]
    sidecar = {"name": "side", "state": {"running": {"startedAt": "2099-01-01T00:00:00Z"}}}
    first["status"]["containerStatuses"] = [status, sidecar]
    assert parse_pods({"items": [first]}, "statefulset", "web-sts")[0].started_at == "2099-01-01T00:00:00Z"
    first["status"]["containerStatuses"] = [status, {"name": "side", "state": {"waiting": {"reason": "x"}}}]
    assert parse_pods({"items": [first]}, "statefulset", "web-sts")[0].started_at is None
    first["status"]["containerStatuses"] = []
    assert parse_pods({"items": [first]}, "statefulset", "web-sts")[0].started_at is None


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
        # The provisioner names the volume, and so its directory, after the claim's uid.
        assert c.uid and c.volume == f"pvc-{c.uid}" and c.created and not c.deleting_since


def test_a_claim_someone_deleted_while_its_pod_runs_carries_its_deletion_time() -> None:
    listing = load("claims.json")
    item = next(i for i in listing["items"] if i["metadata"]["name"] == "www-web-sts-1")
    item["metadata"] |= {"deletionTimestamp": "2026-12-06T22:00:00Z", "finalizers": ["kubernetes.io/pvc-protection"]}
    claims = {c.name: c for c in parse_claims(listing, load("volumes.json"))}
    assert claims["www-web-sts-1"].deleting_since == "2026-12-06T22:00:00Z"
    assert claims["www-web-sts-1"].phase == "Bound", "pvc-protection keeps it Bound while the pod runs"


def test_busybox_1_28_style_output_gives_the_answer_not_the_server() -> None:
    lookups = {d.query: d for d in parse_dns_script_output((SEED / "dns-script-output.txt").read_text())}
    pods = {p.name: p.ip for p in parse_pods(load("pods-statefulset.json"), "statefulset", "web-sts")}
    for name, ip in pods.items():
        assert lookups[f"{name}.nginx-sts"].outcome == RESOLVED and lookups[f"{name}.nginx-sts"].addresses == [ip]
    dep = parse_pods(load("pods-deployment.json"), "deployment")
    for p in dep:
        assert lookups[f"{p.name}.nginx-dep"].outcome == NOT_FOUND
        assert lookups[f"{p.ip.replace('.', '-')}.nginx-dep"].addresses == [p.ip]
    for ip in pods.values():
        assert lookups[f"{ip.replace('.', '-')}.nginx-dep"].outcome == NOT_FOUND


# The seed note's answers: (file, exit status, outcome, addresses).
SEED_ANSWERS = [
    ("web-sts-0.nginx-sts", 0, RESOLVED, ["172.16.25.222"]),
    ("web-sts-1.nginx-sts", 0, RESOLVED, ["172.16.40.87"]),
    ("web-dep-74f5674789-2b7px.nginx-dep", 1, NOT_FOUND, []),
    ("web-dep-74f5674789-hlvgd.nginx-dep", 1, NOT_FOUND, []),
    ("172-16-40-90.nginx-dep", 0, RESOLVED, ["172.16.40.90"]),
    ("172-16-25-222.nginx-dep", 1, NOT_FOUND, []),
]


@pytest.mark.parametrize(("query", "exit_code", "outcome", "addresses"), SEED_ANSWERS)
def test_the_seed_notes_busybox_1_28_answers_give_the_right_facts(
    query: str, exit_code: int, outcome: str, addresses: list[str]
) -> None:
    text = (NOTE / f"{query}.txt").read_text()
    assert classify_nslookup(query, text, exit_code)[:2] == (outcome, addresses)
    framed = f"@@@ query {query}\n{text}@@@ exit {exit_code}\n"
    (lookup,) = parse_dns_script_output(framed)
    assert (lookup.query, lookup.outcome, lookup.addresses) == (query, outcome, addresses)
    if outcome == NOT_FOUND:
        assert lookup.detail == f"nslookup: can't resolve '{query}'"


def test_the_seed_notes_answers_have_the_busybox_1_28_layout() -> None:
    hit = nslookup_layout((NOTE / "web-sts-1.nginx-sts.txt").read_text())
    miss = nslookup_layout((NOTE / "172-16-25-222.nginx-dep.txt").read_text())
    server = ["Server:    <ip>", "Address 1: <ip> <name>", ""]
    assert hit == [*server, "Name:      <name>", "Address 1: <ip> <name>"]
    assert miss == [*server, "nslookup: can't resolve '<name>'"]
    assert nslookup_layout((NOTE / "172-16-40-90.nginx-dep.txt").read_text()) == hit
    assert nslookup_layout((NOTE / "web-dep-74f5674789-hlvgd.nginx-dep.txt").read_text()) == miss


def test_the_lab_clusters_nslookup_prints_the_seed_layout() -> None:
    """tests/fixtures/lab-seed was captured with the lab cluster's stand-in for busybox 1.28."""
    lab = {q: text for q, text, _ in dns_script_blocks((SEED / "dns-script-output.txt").read_text())}
    seed_hit = nslookup_layout((NOTE / "web-sts-0.nginx-sts.txt").read_text())
    seed_miss = nslookup_layout((NOTE / "web-dep-74f5674789-2b7px.nginx-dep.txt").read_text())
    assert nslookup_layout(lab["web-sts-0.nginx-sts"]) == seed_hit
    assert nslookup_layout(lab["web-dep-5cb9c96945-zxdh6.nginx-dep"]) == seed_miss


NEWER_SERVER = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"


@pytest.mark.parametrize(
    ("output", "exit_code", "outcome"),
    [
        # newer busybox: the server said the name does not exist (for A and AAAA)
        (
            NEWER_SERVER + "** server can't find x.nginx-dep: NXDOMAIN\n\n** server can't find x.nginx-dep: NXDOMAIN\n",
            1,
            NOT_FOUND,
        ),
        (NEWER_SERVER + "** server can't find x.nginx-dep.default.svc.cluster.local: NXDOMAIN\n", 1, NOT_FOUND),
        # errors: not a negative answer
        ("sh: /bin/nslookup: not found\n", 127, LOOKUP_ERROR),
        (";; connection timed out; no servers could be reached\n", 1, LOOKUP_ERROR),
        (NEWER_SERVER + "** server can't find x.nginx-dep: SERVFAIL\n", 1, LOOKUP_ERROR),
        (
            NEWER_SERVER + "** server can't find x.nginx-dep: NXDOMAIN\n** server can't find x.nginx-dep: SERVFAIL\n",
            1,
            LOOKUP_ERROR,
        ),
        ("", 1, LOOKUP_ERROR),
        ("", 0, LOOKUP_ERROR),
        ("Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\nnslookup: can't resolve 'x.nginx-dep'\n", 2, LOOKUP_ERROR),
        ("nslookup: can't resolve 'other.nginx-dep'\n", 1, LOOKUP_ERROR),
        ("nslookup: can't resolve 'x.nginx-dep': Try again\n", 1, LOOKUP_ERROR),
        ("nslookup: can't resolve 'x.nginx-dep': Name or service not known\n", 1, NOT_FOUND),
        ("Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\nnslookup: can't resolve 'x.nginx-dep'\n", 1, NOT_FOUND),
    ],
)
def test_only_a_no_such_name_answer_is_not_found(output: str, exit_code: int, outcome: str) -> None:
    assert classify_nslookup("x.nginx-dep", output, exit_code)[0] == outcome


def test_a_lookup_without_its_end_marker_is_an_error() -> None:
    cut = "@@@ query a.nginx-sts\nServer:    10.96.0.10\n@@@ query b.nginx-sts\nServer:    10.96.0.10\n"
    lookups = parse_dns_script_output(cut)
    assert [(d.query, d.exit_code, d.outcome) for d in lookups] == [
        ("a.nginx-sts", None, LOOKUP_ERROR),
        ("b.nginx-sts", None, LOOKUP_ERROR),
    ]
    assert "no end marker" in lookups[0].detail


def test_newer_busybox_refused_answers_are_errors_not_negative_answers() -> None:
    """REFUSED says the server would not answer, not that the name does not exist."""
    lookups = parse_dns_script_output((FIXTURES / "busybox-1.35-applet-nslookup.txt").read_text())
    assert [(d.query, d.exit_code, d.addresses, d.outcome) for d in lookups] == [
        ("web-sts-0.nginx-sts", 1, [], LOOKUP_ERROR),
        ("10-244-0-31.nginx-dep", 1, [], LOOKUP_ERROR),
    ]
    assert lookups[0].detail == "exit 1: ** server can't find web-sts-0.nginx-sts: REFUSED"


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


def test_statefulset_facts_name_the_governing_service() -> None:
    sts = parse_statefulset(load("statefulset.json"))
    assert sts.service_name == "nginx-sts" and sts.min_ready_seconds == 0


def test_deployment_facts_come_from_the_object() -> None:
    pods = parse_pods(load("pods-deployment.json"), "deployment")
    rolling = {
        "metadata": {"generation": 3},
        "spec": {
            "replicas": 2,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
        },
        "status": {"readyReplicas": 2, "updatedReplicas": 2, "observedGeneration": 3},
    }
    facts = parse_deployment(rolling, pods)
    assert (facts.strategy, facts.max_surge, facts.max_unavailable) == ("RollingUpdate", "25%", "1")
    assert (facts.replicas, facts.ready_replicas, facts.generation, facts.observed_generation) == (2, 2, 3, 3)
    assert facts.pod_template_hashes == sorted({p.revision for p in pods}) != []
    recreate = {"spec": {"replicas": 2, "strategy": {"type": "Recreate"}}, "status": {}}
    facts = parse_deployment(recreate, [])
    assert (facts.strategy, facts.max_surge, facts.max_unavailable, facts.pod_template_hashes) == (
        "Recreate", None, None, [])  # fmt: skip


def test_services_tell_headless_from_cluster_ip() -> None:
    services = parse_services(
        {
            "items": [
                {"metadata": {"name": "nginx-sts"}, "spec": {"clusterIP": "None", "selector": {"app": "nginx-sts"}}},
                {"metadata": {"name": "web"}, "spec": {"clusterIP": "10.96.3.4"}},
            ]
        }
    )
    assert [(s.name, s.headless, s.selector) for s in services] == [
        ("nginx-sts", True, {"app": "nginx-sts"}),
        ("web", False, {}),
    ]


def test_nodes_that_take_new_pods() -> None:
    def node(name: str, ready: str = "True", **spec: Any) -> dict[str, Any]:
        return {
            "metadata": {"name": name},
            "spec": spec,
            "status": {"conditions": [{"type": "Ready", "status": ready}]},
        }

    nodes = parse_nodes(
        {
            "items": [
                node("worker-1"),
                node("worker-2", ready="False"),
                node("worker-3", unschedulable=True),
                node("control", taints=[{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]),
                node("worker-4", taints=[{"key": "team", "value": "x", "effect": "PreferNoSchedule"}]),
            ]
        }
    )
    assert [n.name for n in nodes if n.takes_new_pods] == ["worker-1", "worker-4"]
    assert nodes[0].taints == ["node-role.kubernetes.io/control-plane:NoSchedule"]
    assert nodes[4].taints == ["team=x:PreferNoSchedule"]


def test_events_keep_what_the_creation_rule_needs() -> None:
    events = parse_events(load("events.json"))
    folded = [e for e in events if e.pod == "web-sts-0" and e.reason == "created" and e.count == 2]
    assert [(e.object_kind, e.object_name, e.first_time, e.time) for e in folded] == [
        ("StatefulSet", "web-sts", "2026-11-26T23:11:14Z", "2026-11-26T23:13:43Z")
    ]
    combined = [e for e in events if e.combined]
    assert [(e.pod, e.reason) for e in combined] == [("web-sts-2", "created")]
    scheduled = [e for e in events if e.reason == "scheduled" and e.pod == "web-sts-1"]
    assert {e.node for e in scheduled} == {"lab-node"}
    unhealthy = [e for e in events if e.reason == "unhealthy" and e.pod == "web-sts-0"]
    assert unhealthy and all(e.object_uid for e in unhealthy)


def test_pods_carry_their_uid() -> None:
    pods = parse_pods(load("pods-statefulset.json"), "statefulset", "web-sts")
    assert all(len(p.uid) == 36 for p in pods)

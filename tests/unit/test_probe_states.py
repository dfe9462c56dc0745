"""The observer in every state a lesson leads to, on kubectl output captured
from the lab cluster in that state (tests/fixtures/state-*): it always
writes a document with verdicts, never abandons the run for one pod, and
gives the node lessons' verdicts of their own."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kube.names import LabNames
from kube.target import KubectlTarget
from probes.facts import Expectations
from probes.observe import observe
from tests.unit.fake_kubectl import FIXTURES, Behaviour, FakeKubectl, install

E = Expectations.for_lab(
    LabNames(),
    namespace="default",
    dns_image="docker.io/library/busybox:1.28",
    replicas=2,
    deployment_replicas=2,
    image="registry.k8s.io/nginx-slim:0.24",
    update_strategy="RollingUpdate",
    partition=0,
    pod_management_policy="OrderedReady",
    pvc_retention_when_scaled="Retain",
)
WAITS_FOR_ITS_NODE = (
    "[statefulset] a pod whose volume's node is unavailable waits for that node, never re-created elsewhere"
)
ONE_PER_ORDINAL = (
    "[statefulset] at most one pod per ordinal: a pod on a failed node is not replaced while it may still run"
)
REPLACED = "[deployment] pods the volume's node cannot run are replaced under new names, and wait Pending for it"


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **behaviour: Any) -> tuple[dict[str, Any], FakeKubectl]:
    """The document as the probe command prints it (its stored JSON), and the stand-in kubectl."""
    fake = install(tmp_path, monkeypatch, Behaviour(**behaviour))
    stored: dict[str, Any] = json.loads(observe(KubectlTarget(namespace="default"), E, 20).to_json())
    return stored, fake


def verdicts(document: dict[str, Any]) -> dict[str, str]:
    return {f"[{c['workload']}] {c['name']}": c["verdict"] for c in document["checks"]}


def check(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in document["checks"] if f"[{c['workload']}] {c['name']}" == name)


def test_a_stopped_worker_yields_verdicts_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document, fake = run(tmp_path, monkeypatch, fixtures="state-node-stopped")
    found = verdicts(document)
    assert found[WAITS_FOR_ITS_NODE] == found[ONE_PER_ORDINAL] == found[REPLACED] == "passed"
    assert "before lab-worker-1 went NotReady" in check(document, ONE_PER_ORDINAL)["observed"]
    stuck = {p["name"]: p for p in document["pods"]["terminating"]}
    assert stuck["web-sts-1"]["node"] == "lab-worker-1" and stuck["web-sts-1"]["state"].startswith("Terminating")
    pending = document["pods"]["deployment"]
    assert len(pending) == 2 and all(
        "didn't match PersistentVolume's node affinity" in p["unschedulable"] for p in pending
    )
    # Nothing runs in a pod that is not placed, nor in one on the failed node.
    assert fake.exec_targets() == ["web-sts-0"]
    assert found["[deployment] hostname is the pod name"] == "inconclusive"
    assert "is not scheduled" in check(document, "[deployment] hostname is the pod name")["observed"]
    assert found["[statefulset] pod names are <statefulset>-<ordinal>"] == "passed"


def test_a_drained_worker_leaves_its_pods_pending_on_their_volumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document, _ = run(tmp_path, monkeypatch, fixtures="state-drained")
    found = verdicts(document)
    assert found[WAITS_FOR_ITS_NODE] == found[REPLACED] == "passed"
    assert ONE_PER_ORDINAL not in found, "no node failed: the check's premise does not hold"
    assert "web-sts-1 Pending, not placed" in check(document, WAITS_FOR_ITS_NODE)["observed"]
    assert found["[deployment] all pods run on the node of the shared volume"] == "inconclusive"


def test_a_pod_away_from_its_volume_fails_the_node_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The wrong outcome: web-sts-1 placed on another worker while its volume's node is cordoned."""
    moved = tmp_path / "fixtures"
    pods = json.loads((FIXTURES / "state-drained" / "pods-statefulset.json").read_text())
    for item in pods["items"]:
        if item["metadata"]["name"] == "web-sts-1":
            item["spec"]["nodeName"] = "lab-worker-0"
            item["status"]["conditions"] = [{"type": "PodScheduled", "status": "True"}]
    copy_fixtures(moved, "state-drained", {"pods-statefulset.json": pods})
    document, _ = run(tmp_path, monkeypatch, fixtures=str(moved))
    assert verdicts(document)[WAITS_FOR_ITS_NODE] == "failed"
    assert "web-sts-1 runs on lab-worker-0, away from its volume" in check(document, WAITS_FOR_ITS_NODE)["observed"]


def test_a_stranger_with_the_label_is_listed_and_never_exec_d(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document, fake = run(tmp_path, monkeypatch, fixtures="state-stranger")
    assert [p["name"] for p in document["pods"]["strangers"]] == ["x"]
    assert document["pods"]["strangers"][0]["owner"] == ""
    assert "x" not in fake.exec_targets()
    assert [p["name"] for p in document["pods"]["statefulset"]] == ["web-sts-0", "web-sts-1"]
    assert verdicts(document)["[statefulset] pod names are <statefulset>-<ordinal>"] == "passed"


def test_a_missing_statefulset_is_reported_and_what_it_left_is_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document, _ = run(tmp_path, monkeypatch, fixtures="state-orphaned")
    found = verdicts(document)
    assert document["statefulset"] is None
    assert found["[statefulset] the StatefulSet exists"] == "failed"
    assert "pods left behind: web-sts-1" in check(document, "[statefulset] the StatefulSet exists")["observed"]
    assert found["[statefulset] hostname is the pod name"] == "passed"
    assert found["[deployment] the Deployment exists"] == "passed"


def test_one_failing_exec_is_a_fact_about_one_pod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document, _ = run(tmp_path, monkeypatch, fixtures="state-stranger", failing_execs=["web-sts-1"])
    hostnames = check(document, "[statefulset] hostname is the pod name")
    assert hostnames["verdict"] == "inconclusive"
    assert (
        "web-sts-0: web-sts-0" in hostnames["observed"] and "error dialing backend: web-sts-1" in hostnames["observed"]
    )
    assert verdicts(document)["[deployment] hostname is the pod name"] == "passed"


def test_a_dns_pod_that_cannot_start_leaves_the_dns_checks_inconclusive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document, _ = run(tmp_path, monkeypatch, fixtures="state-stranger", dns_pod_fails=True)
    assert "did not start" in document["dns_error"]
    dns = [c for c in document["checks"] if "resolve" in c["name"]]
    assert len(dns) == 7 and {c["verdict"] for c in dns} == {"inconclusive"}
    assert verdicts(document)["[statefulset] one Bound claim per ordinal, mounted by its pod"] == "passed"


def test_an_unreachable_cluster_gives_a_document_that_says_so_without_verdicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document, _ = run(tmp_path, monkeypatch, fixtures="state-stranger", unreachable=True)
    assert "was refused" in document["unobserved"]
    assert document["checks"] == [] and document["observed_at"]


def copy_fixtures(dest: Path, source: str, replaced: dict[str, Any]) -> None:
    dest.mkdir(parents=True)
    for path in (FIXTURES / source).iterdir():
        content = replaced.get(path.name)
        dest.joinpath(path.name).write_text(json.dumps(content) if content is not None else path.read_text())


def test_checks_that_did_not_pass_carry_their_evidence_and_their_pods_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document, _ = run(tmp_path, monkeypatch, fixtures="state-node-stopped")
    hostnames = check(document, "[deployment] hostname is the pod name")
    assert hostnames["verdict"] == "inconclusive" and hostnames["topic"] == "identity"
    assert len(hostnames["pods"]) == 2
    commands = [e["command"] for e in hostnames["evidence"]]
    assert any(c.endswith("-- hostname") for c in commands), commands
    assert any("get pods --selector=app=nginx-dep --output=json" in c for c in commands), commands
    assert "didn't match PersistentVolume's node affinity" in json.dumps(hostnames["evidence"])
    assert set(hostnames["pods"]) <= set(document["diagnostics"])
    assert all(c["evidence"] == [] for c in document["checks"] if c["verdict"] == "passed")
    assert document["cluster"] == {
        "context": "lab",
        "server": "https://10.240.0.1:6443",
        "kubernetes_version": "v1.34.4",
    }


PARTITION_3 = "[statefulset] ordinals >= partition (3) run the new revision, the others keep theirs"


def test_a_partition_the_cluster_ignored_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Captured: partition 3 and the 0.21 image (nothing moved), then partition 0
    (every pod rolled) and partition 3 again. The controller moved currentRevision
    to the update revision, so every pod matches it; the ControllerRevisions show
    the pods were created after the new template appeared."""
    e = replace(E, replicas=3, partition=3, image="registry.k8s.io/nginx-slim:0.21")
    fake = install(tmp_path, monkeypatch, Behaviour(fixtures="state-partition-ignored"))
    document = json.loads(observe(KubectlTarget(namespace="default"), e, 20).to_json())
    assert document["statefulset"]["current_revision"] == document["statefulset"]["update_revision"]
    assert [r["number"] for r in document["revisions"]] == [1, 2]
    partition = check(document, PARTITION_3)
    assert partition["verdict"] == "failed", partition["observed"]
    assert "after the template changed" in partition["observed"]
    assert any("controllerrevisions" in evidence["command"] for evidence in partition["evidence"])
    assert ["get", "controllerrevisions"] in [call[:2] for call in fake.calls()]


PER_ORDINAL = "[statefulset] one Bound claim per ordinal, mounted by its pod"


def test_a_claim_deleted_while_its_pod_runs_fails_the_claim_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Captured: `kubectl delete pvc www-web-sts-1` while web-sts-1 runs; pvc-protection keeps it, Bound."""
    document, _ = run(tmp_path, monkeypatch, fixtures="state-claim-deleting")
    claims = {c["name"]: c for c in document["claims"]}
    assert claims["www-web-sts-1"]["phase"] == "Bound" and claims["www-web-sts-1"]["deleting_since"]
    per_ordinal = check(document, PER_ORDINAL)
    assert per_ordinal["verdict"] == "failed" and "www-web-sts-1: Bound" in per_ordinal["observed"]
    assert "BEING DELETED" in per_ordinal["observed"]


def test_the_claim_made_anew_when_the_pod_came_back_is_named_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Captured next: web-sts-1 deleted; the StatefulSet made a new www-web-sts-1, Pending."""
    document, _ = run(tmp_path, monkeypatch, fixtures="state-claim-recreated")
    per_ordinal = check(document, PER_ORDINAL)
    assert per_ordinal["verdict"] == "failed"
    assert "www-web-sts-1" in per_ordinal["observed"] and "a new, empty claim" in per_ordinal["observed"]

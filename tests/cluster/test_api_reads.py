"""The probes' and gates' own listings against the real API: what kubectl
prints for the same `get`, and kubectl's words for a refusal."""

from __future__ import annotations

import json
import subprocess

import pytest

from kube import api_reads, runner
from kube.runner import JSON_READERS, CommandFailedError
from kube.target import KubectlTarget, kubectl
from labcluster.paths import LabPaths
from plan import cluster_facts
from tests.cluster.kube import Kube, pod

pytestmark = pytest.mark.cluster


def _without_moving_parts(document: dict[str, object]) -> str:
    """The document without what changes between two reads a moment apart."""
    for item in document["items"]:  # type: ignore[attr-defined]
        item["metadata"].pop("resourceVersion", None)
        if item["kind"] == "Node":
            item.pop("status", None)  # heartbeats
    return json.dumps(document, sort_keys=True)


def test_each_listing_reads_what_kubectl_prints(kube: Kube, namespace: str, lab_paths: LabPaths) -> None:
    kube.apply([pod("listed-a", namespace, "busybox:1.28", ["sleep", "3600"])])
    kube.wait_ready(namespace, "app=listed-a")
    target = KubectlTarget(namespace=namespace, kubeconfig=str(lab_paths.admin_kubeconfig))
    dns = KubectlTarget(namespace="kube-system", kubeconfig=str(lab_paths.admin_kubeconfig))
    gets = [
        kubectl(target, "get", "pods", "--selector=app=listed-a", "--output=json"),
        kubectl(target, "get", "pods", "--field-selector=metadata.name=listed-a", "--output=json"),
        kubectl(dns, "get", "services", "--output=json"),
        kubectl(target, "get", "nodes", "--output=json", namespaced=False),
        # The gates' kind of listing: several kinds, one selector, in kubectl's order.
        kubectl(dns, "get", "deployment,replicasets,pods", "--selector=k8s-app=kube-dns", "--output=json"),
    ]
    for argv in gets:
        printed = json.loads(subprocess.run(argv, capture_output=True, text=True, check=True).stdout)
        read = api_reads.read(argv, 30)
        assert read is not None, argv
        assert read["items"], argv
        assert _without_moving_parts(read) == _without_moving_parts(printed), argv


def test_a_refused_listing_is_worded_as_kubectl_words_it(lab_paths: LabPaths) -> None:
    target = KubectlTarget(namespace="no-such-namespace", kubeconfig=str(lab_paths.admin_kubeconfig))
    argv = kubectl(target, "get", "statefulsets.apps.no-such-group", "--output=json")
    assert api_reads.read(argv, 30) is None, "a kind it does not know is kubectl's to answer"
    argv = kubectl(target, "get", "pods", "--selector=a b c", "--output=json")
    with pytest.raises(CommandFailedError) as refused:
        api_reads.read(argv, 30)
    by_kubectl = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert by_kubectl.returncode != 0
    # kubectl puts the server's message after words of its own about the selector.
    assert "Error from server (BadRequest): " in str(refused.value)
    assert "Error from server (BadRequest): " in by_kubectl.stderr
    assert str(refused.value).split("(BadRequest): ")[1] in by_kubectl.stderr


def test_enabling_twice_registers_the_reader_once() -> None:
    had = list(JSON_READERS)
    try:
        api_reads.enable()
        api_reads.enable()
        assert JSON_READERS.count(api_reads.read) == 1
    finally:
        JSON_READERS[:] = had


ProgramFacts = tuple[
    tuple[list[cluster_facts.ExistingObject], cluster_facts.ExistingObject | None],
    cluster_facts.ExistingObject | None,
    list[str],
]


def test_the_programs_cluster_facts_are_the_same_read_either_way(
    namespace: str, lab_paths: LabPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The storage plan's reads from the program's own process against
    kubectl's: the classes, a namespace that exists, one that does not, the nodes."""
    target = KubectlTarget(namespace=namespace, kubeconfig=str(lab_paths.admin_kubeconfig))

    def facts() -> ProgramFacts:
        return (
            cluster_facts.read_storage_facts(target, namespace),
            cluster_facts.read_namespace(target, "no-such-namespace-here"),
            cluster_facts.read_node_names(target),
        )

    ran: list[list[str]] = []

    def run_bounded(argv: list[str], seconds: float) -> str:
        ran.append(argv)
        return runner.run_bounded(argv, seconds)

    monkeypatch.setattr(cluster_facts, "run_bounded", run_bounded)
    by_api = facts()
    assert ran == [], "the lab's kubeconfig is one this process can use: no kubectl"
    monkeypatch.setattr(cluster_facts, "shared_access_for", lambda kubeconfig, context: None)
    by_kubectl = facts()
    assert len(ran) == 4
    assert by_api == by_kubectl
    (classes, found), missing, nodes = by_api
    assert found is not None and found.name == namespace and missing is None
    assert classes and nodes

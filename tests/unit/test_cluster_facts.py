"""The program's reads before it plans: from its own process where the
kubeconfig allows it, else kubectl, with the same facts and the same words
for a refusal (against the real API: tests/cluster/test_api_reads.py)."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from kube import api_reads
from kube.runner import CommandFailedError
from kube.target import KubectlTarget
from plan import cluster_facts
from plan.cluster_facts import ClusterUnreachableError, ExistingObject

T = KubectlTarget(namespace="lab", kubeconfig="/k", context="c")
CLASS = {
    "metadata": {
        "name": "local-path",
        "annotations": {"storageclass.kubernetes.io/is-default-class": "true", "statefulset-lab/owner": "o/s"},
    }
}


def _server(monkeypatch: pytest.MonkeyPatch, answers: dict[str, tuple[int, str, dict[str, Any]]]) -> list[str]:
    """A stand-in API server answering GETs of `answers`' paths; the paths asked, in order."""
    asked: list[str] = []

    def exchange(access: object, path: str, headers: dict[str, str], timeout: float) -> tuple[int, str, bytes]:
        asked.append(path)
        status, reason, body = answers[path]
        return status, reason, json.dumps(body).encode()

    monkeypatch.setattr(cluster_facts, "shared_access_for", lambda kubeconfig, context: SimpleNamespace(token=""))
    monkeypatch.setattr(api_reads, "_exchange", exchange)
    monkeypatch.setattr(cluster_facts, "run_bounded", lambda argv, seconds: pytest.fail(f"kubectl ran: {argv}"))
    return asked


def test_the_classes_and_a_missing_namespace_are_read_from_the_api(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _server(
        monkeypatch,
        {
            "/apis/storage.k8s.io/v1/storageclasses": (200, "OK", {"items": [CLASS]}),
            "/api/v1/namespaces/local-path-storage": (404, "Not Found", {"reason": "NotFound", "message": "gone"}),
        },
    )
    classes, namespace = cluster_facts.read_storage_facts(T, "local-path-storage")
    assert classes == [ExistingObject(name="local-path", owner="o/s", is_default=True)]
    assert namespace is None
    assert sorted(asked) == ["/api/v1/namespaces/local-path-storage", "/apis/storage.k8s.io/v1/storageclasses"]


def test_a_namespace_that_exists_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    _server(monkeypatch, {"/api/v1/namespaces/x": (200, "OK", {"metadata": {"name": "x"}})})
    assert cluster_facts.read_namespace(T, "x") == ExistingObject(name="x", owner="")


def test_a_refusal_names_the_right_to_grant(monkeypatch: pytest.MonkeyPatch) -> None:
    message = (
        'storageclasses.storage.k8s.io is forbidden: User "learner" cannot list resource "storageclasses" '
        'in API group "storage.k8s.io" at the cluster scope'
    )
    _server(
        monkeypatch,
        {"/apis/storage.k8s.io/v1/storageclasses": (403, "Forbidden", {"reason": "Forbidden", "message": message})},
    )
    with pytest.raises(ClusterUnreachableError, match=r"may not list storageclasses.*grant that user get/list"):
        cluster_facts.read_storage_classes(T)


def test_a_404_that_is_not_a_missing_object_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy in front of the API answering 404 is not "no such namespace"."""
    _server(monkeypatch, {"/api/v1/namespaces/x": (404, "Not Found", {"message": "no route"})})
    with pytest.raises(ClusterUnreachableError, match="cannot read namespace x"):
        cluster_facts.read_namespace(T, "x")


def test_an_unreachable_server_says_how_to_start_the_lab_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    def exchange(access: object, path: str, headers: dict[str, str], timeout: float) -> tuple[int, str, bytes]:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(cluster_facts, "shared_access_for", lambda kubeconfig, context: SimpleNamespace(token=""))
    monkeypatch.setattr(api_reads, "_exchange", exchange)
    with pytest.raises(ClusterUnreachableError, match=r"Connection refused.*make cluster-up"):
        cluster_facts.read_node_names(T)


def test_without_usable_credentials_kubectl_reads_the_same_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[list[str]] = []

    def run_bounded(argv: list[str], seconds: float) -> str:
        ran.append(argv)
        if "namespace" in argv:
            return ""  # --ignore-not-found: nothing printed
        return json.dumps({"items": [CLASS]})

    monkeypatch.setattr(cluster_facts, "shared_access_for", lambda kubeconfig, context: None)
    monkeypatch.setattr(cluster_facts, "run_bounded", run_bounded)
    classes, namespace = cluster_facts.read_storage_facts(T, "local-path-storage")
    assert classes == [ExistingObject(name="local-path", owner="o/s", is_default=True)] and namespace is None
    assert [argv.count("get") for argv in ran] == [1, 1]
    assert any("--ignore-not-found" in argv for argv in ran)


def test_kubectls_refusal_is_explained_the_same_way(monkeypatch: pytest.MonkeyPatch) -> None:
    def run_bounded(argv: list[str], seconds: float) -> str:
        said = 'Error from server (Forbidden): nodes is forbidden: User "u" cannot list resource "nodes"'
        raise CommandFailedError("kubectl failed", argv, said, 1)

    monkeypatch.setattr(cluster_facts, "shared_access_for", lambda kubeconfig, context: None)
    monkeypatch.setattr(cluster_facts, "run_bounded", run_bounded)
    with pytest.raises(ClusterUnreachableError, match="may not list nodes"):
        cluster_facts.read_node_names(T)

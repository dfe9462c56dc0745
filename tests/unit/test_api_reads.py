"""Which kubectl gets the probes and gates answer themselves, and the shape
of the answer (the real API's answers: tests/cluster/test_api_reads.py)."""

from __future__ import annotations

import http.client
import threading
from typing import Any

import pytest

from kube import api_reads
from kube.api_reads import parse_get
from kube.runner import JSON_READERS, Runner
from kube.target import KubectlTarget, kubectl
from probes import commands as cmd

T = KubectlTarget(namespace="lab", kubeconfig="/k", context="c")


def test_the_probes_listings_become_list_paths_with_their_selectors() -> None:
    get = parse_get(cmd.pods_of(T, "nginx-sts"))
    assert get is not None and (get.kubeconfig, get.context) == ("/k", "c")
    assert [get.path(k) for k in get.kinds] == ["/api/v1/namespaces/lab/pods?labelSelector=app%3Dnginx-sts"]
    get = parse_get(cmd.statefulset(T, "web-sts"))
    assert get is not None
    assert [get.path(k) for k in get.kinds] == [
        "/apis/apps/v1/namespaces/lab/statefulsets?fieldSelector=metadata.name%3Dweb-sts"
    ]
    get = parse_get(cmd.nodes(T))
    assert get is not None and [get.path(k) for k in get.kinds] == ["/api/v1/nodes"]


def test_a_gates_listing_of_several_kinds_keeps_their_order() -> None:
    get = parse_get(kubectl(T, "get", "deployment,replicasets,pods", "--selector=app=x", "--output=json"))
    assert get is not None
    assert [k.kind for k in get.kinds] == ["Deployment", "ReplicaSet", "Pod"]


@pytest.mark.parametrize(
    "argv",
    [
        kubectl(T, "get", "pods", "--output=yaml"),  # not JSON
        kubectl(T, "get", "pods"),  # a table
        kubectl(T, "get", "pod", "web-sts-0", "--output=json"),  # by name: one object, not a list
        kubectl(T, "get", "statefulsets.apps", "--output=json"),  # a kind spelled as kubectl resolves it
        kubectl(T, "get", "pods", "--all-namespaces", "--output=json"),  # a flag without a value
        kubectl(T, "get", "pods", "--sort-by=.metadata.name", "--output=json"),  # a flag it does not honour
        kubectl(T, "delete", "pods", "--output=json"),
        kubectl(KubectlTarget(namespace="lab"), "get", "pods", "--output=json", namespaced=False),  # whose namespace?
        ["sh", "-c", "kubectl get pods --output=json"],
    ],
)
def test_anything_else_is_left_to_kubectl(argv: list[str]) -> None:
    assert parse_get(argv) is None


def test_the_answer_has_kubectls_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    listed = {
        "/apis/apps/v1/namespaces/lab/deployments?labelSelector=app%3Dx": [{"metadata": {"name": "d"}}],
        "/api/v1/namespaces/lab/pods?labelSelector=app%3Dx": [
            {"metadata": {"name": "p", "managedFields": [{"manager": "kubelet"}]}, "spec": {}}
        ],
    }

    def get_json(access: object, path: str, argv: list[str], deadline: float) -> dict[str, Any]:
        return {"kind": "SomeList", "items": listed[path]}

    monkeypatch.setattr(api_reads, "shared_access_for", lambda kubeconfig, context: object())
    monkeypatch.setattr(api_reads, "get_json", get_json)
    answer = api_reads.read(kubectl(T, "get", "deployment,pods", "--selector=app=x", "--output=json"), 5)
    assert answer == {
        "apiVersion": "v1",
        "kind": "List",
        "metadata": {"resourceVersion": ""},
        "items": [
            {"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "d"}},
            {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "p"}, "spec": {}},
        ],
    }


def test_without_credentials_it_can_use_the_get_is_kubectls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_reads, "shared_access_for", lambda kubeconfig, context: None)
    assert api_reads.read(cmd.pods_of(T, "nginx-sts"), 5) is None


def test_a_runner_asks_the_readers_first_and_runs_kubectl_when_they_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[list[str]] = []

    def run_json(argv: list[str], seconds: float) -> dict[str, str]:
        ran.append(argv)
        return {"from": "kubectl"}

    monkeypatch.setattr("kube.runner.run_json", run_json)
    monkeypatch.setattr("kube.runner.JSON_READERS", [])
    runner = Runner(RuntimeError, 5)
    assert runner.json(["kubectl", "get", "pods"]) == {"from": "kubectl"}
    readers: list[Any] = [lambda argv, seconds: None, lambda argv, seconds: {"from": "reader"}]
    monkeypatch.setattr("kube.runner.JSON_READERS", readers)
    assert runner.json(["kubectl", "get", "pods"]) == {"from": "reader"}
    assert len(ran) == 1
    assert api_reads.read not in JSON_READERS, "only `python -m probes` and `python -m gates` switch it on"


class _Socket:
    def settimeout(self, seconds: float) -> None:
        pass


class _ServerSide:
    """What a stand-in connection's server does: it closes kept connections
    when `closes_kept` is set, and counts the requests that reached it."""

    closes_kept = True
    answered = 0


class _StandInConnection:
    def __init__(self, access: object, timeout: float) -> None:
        self._access, self.timeout = access, timeout
        self.sock: _Socket | None = None

    def request(self, method: str, path: str, headers: dict[str, str]) -> None:
        if self.sock is not None and _ServerSide.closes_kept:
            raise http.client.RemoteDisconnected("Remote end closed connection without response")
        if self.sock is None:
            self.sock = _Socket()
        _ServerSide.answered += 1

    def getresponse(self) -> Any:
        class Response:
            status, reason = 200, "OK"

            @staticmethod
            def read() -> bytes:
                return b"{}"

        return Response

    def close(self) -> None:
        self.sock = None


def test_a_kept_connection_the_server_closed_is_opened_once_more(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_reads, "_Connection", _StandInConnection)
    monkeypatch.setattr(api_reads, "_kept", threading.local())
    monkeypatch.setattr(_ServerSide, "answered", 0)
    access: Any = object()
    assert api_reads._exchange(access, "/api", {}, 5) == (200, "OK", b"{}")
    kept = api_reads._kept.connection
    assert api_reads._exchange(access, "/api", {}, 5) == (200, "OK", b"{}")
    assert api_reads._kept.connection is kept
    assert _ServerSide.answered == 2


def test_a_new_connection_that_fails_is_not_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    class Refused(_StandInConnection):
        def request(self, method: str, path: str, headers: dict[str, str]) -> None:
            _ServerSide.answered += 1
            raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(api_reads, "_Connection", Refused)
    monkeypatch.setattr(api_reads, "_kept", threading.local())
    monkeypatch.setattr(_ServerSide, "answered", 0)
    with pytest.raises(ConnectionRefusedError):
        api_reads._exchange(object(), "/api", {}, 5)  # type: ignore[arg-type]
    assert _ServerSide.answered == 1


def test_another_cluster_gets_its_own_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_reads, "_Connection", _StandInConnection)
    monkeypatch.setattr(api_reads, "_kept", threading.local())
    monkeypatch.setattr(_ServerSide, "closes_kept", False)
    first: Any = object()
    second: Any = object()
    api_reads._exchange(first, "/api", {}, 5)
    kept = api_reads._kept.connection
    api_reads._exchange(first, "/api", {}, 5)
    assert api_reads._kept.connection is kept
    api_reads._exchange(second, "/api", {}, 5)
    assert api_reads._kept.connection is not kept and api_reads._kept.connection._access is second
    assert kept.sock is None

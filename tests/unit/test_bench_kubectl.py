"""The benchmark's kubectl talks to the cluster the rest of the lab does."""

from __future__ import annotations

from bench.runs import kubectl_argv


def test_the_benchmarks_kubectl_uses_the_context_kube_context_names() -> None:
    argv = kubectl_argv("get", "nodes", environ={"KUBE_CONTEXT": "lab"})
    assert argv[:2] == ["kubectl", "--context=lab"]
    assert argv[-2:] == ["get", "nodes"]
    assert "--request-timeout=60s" in argv


def test_without_kube_context_the_benchmarks_kubectl_keeps_the_current_context() -> None:
    argv = kubectl_argv("get", "nodes", environ={})
    assert not any(a.startswith("--context") for a in argv)
    assert not any(a.startswith("--namespace") for a in argv)

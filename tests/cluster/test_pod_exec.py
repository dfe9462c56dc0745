"""The probes' exec client against the real API: the same answers as kubectl exec."""

from __future__ import annotations

import pytest

from kube.api_access import api_access
from labcluster.paths import LabPaths
from probes.pod_exec import PodExecError, run_in_pod
from tests.cluster.kube import Kube, pod

pytestmark = pytest.mark.cluster


def test_the_exec_stream_answers_as_kubectl_exec_does(kube: Kube, namespace: str, lab_paths: LabPaths) -> None:
    kube.apply([pod("exec-me", namespace, "busybox:1.28", ["sleep", "3600"])])
    kube.wait_ready(namespace, "app=exec-me")
    access = api_access([str(lab_paths.admin_kubeconfig)])
    assert access is not None, "the lab's admin kubeconfig (client certificate) is one the client honours"
    assert run_in_pod(access, namespace, "exec-me", "main", ["hostname"], 30) == (
        0,
        kube.exec(namespace, "exec-me", "hostname").stdout,
        "",
    )
    code, out, err = run_in_pod(access, namespace, "exec-me", "main", ["sh", "-c", "echo o; echo e >&2; exit 4"], 30)
    by_kubectl = kube.exec(namespace, "exec-me", "sh", "-c", "echo o; echo e >&2; exit 4", check=False)
    assert (code, out, err) == (4, "o\n", "e\n")
    # kubectl adds a line of its own to the command's stderr.
    assert (by_kubectl.returncode, by_kubectl.stdout) == (code, out) and by_kubectl.stderr.startswith(err)
    with pytest.raises(PodExecError, match=r"refused: HTTP/1\.1 404"):
        run_in_pod(access, namespace, "no-such-pod", "main", ["hostname"], 30)

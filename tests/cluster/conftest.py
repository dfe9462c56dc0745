"""Cluster tests: they need the embedded lab cluster and fail at once, with the fix, without it.

Every test module works in a namespace of its own that is deleted afterwards, so
the tests leave nothing behind in the cluster.
"""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from labcluster import workers
from labcluster.nodes import NodePlan, node_volumes_dir
from labcluster.paths import LabPaths
from tests.cluster.kube import Kube, pod

BUSYBOX_1_28 = "busybox:1.28"


@pytest.fixture(scope="session")
def lab_paths() -> LabPaths:
    return LabPaths.from_env()


@pytest.fixture(scope="session")
def kube(lab_paths: LabPaths) -> Kube:
    kubectl = lab_paths.toolchain_bin / "kubectl"
    if not kubectl.exists():
        pytest.fail(f"{kubectl} is missing: run `make toolchain`, then `make cluster-up`", pytrace=False)
    if not lab_paths.admin_kubeconfig.exists():
        pytest.fail(
            f"the lab cluster has never been started ({lab_paths.admin_kubeconfig} is missing): run `make cluster-up`",
            pytrace=False,
        )
    argv = [
        str(kubectl),
        f"--kubeconfig={lab_paths.admin_kubeconfig}",
        "--request-timeout=10s",
        "get",
        "--raw",
        "/readyz",
    ]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(
            f"the lab cluster is not up ({done.stderr.strip()}): run `make cluster-up` "
            "(`make cluster-status` shows which component is down)",
            pytrace=False,
        )
    return Kube(kubectl, lab_paths.admin_kubeconfig)


@pytest.fixture(scope="module")
def namespace(kube: Kube) -> Iterator[str]:
    name = f"lab-cluster-test-{secrets.token_hex(4)}"
    kube.run("create", "namespace", name)
    yield name
    kube.run("delete", "namespace", name, "--wait=true", "--timeout=180s", timeout=200)


@pytest.fixture(scope="module")
def toolbox(kube: Kube, namespace: str) -> str:
    """A busybox:1.28 pod to run probes in, as the lab's DNS checks do."""
    kube.apply([pod("toolbox", namespace, BUSYBOX_1_28, ["sleep", "3600"])])
    kube.wait_ready(namespace, "app=toolbox")
    return "toolbox"


@pytest.fixture(scope="session")
def lab_nodes(lab_paths: LabPaths) -> NodePlan:
    """The nodes of the last `make cluster-up` (the layout it records in the state)."""
    return workers.recorded_plan(lab_paths)


@pytest.fixture(scope="session")
def volumes_dir_of(lab_paths: LabPaths) -> Callable[[str], Path]:
    """Where, seen from this host, a node's pods find what they see as /opt/local-path-provisioner:
    the host's own directory for the control-plane node, $STATE/nodes/<name>/local-path for a worker."""
    return lambda node_name: node_volumes_dir(lab_paths, node_name)

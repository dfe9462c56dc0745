"""A StatefulSet with a volumeClaimTemplate on `local-path` gets Bound PVCs whose
directories appear under /opt/local-path-provisioner of the pod's node (on a worker,
its own directory: $STATE/nodes/<name>/local-path seen from the host), and its pods
resolve by name.

The provisioner is not part of the cluster (the Pulumi program installs it); when no
`local-path` StorageClass exists this module installs local-path-storage.yaml for
the test and removes it afterwards, after the test's volumes are gone.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from labcluster.nodes import NodePlan
from tests.cluster.conftest import BUSYBOX_1_28
from tests.cluster.kube import Kube, pod
from tests.shared_run import shared_run

pytestmark = pytest.mark.cluster

MANIFEST = Path(__file__).with_name("local-path-storage.yaml")
REPLICAS = 2


@pytest.fixture(scope="module")
def local_path_class(kube: Kube, request: pytest.FixtureRequest) -> Iterator[str]:
    # The lock the end-to-end set-up stack takes to install local-path: run
    # side by side, only one of the two installs it, and this module's own
    # install stays until its tests are done.
    with ExitStack() as held:
        held.enter_context(shared_run(request.config).lock("local-path"))
        existing = kube.run("get", "storageclass", "local-path", "--ignore-not-found", "-o", "name").stdout.strip()
        if existing:
            held.close()
            yield "local-path"  # someone else's install (the Pulumi program): use it, leave it
            return
        kube.run("apply", "-f", str(MANIFEST))
        kube.wait_ready("local-path-storage", "app=local-path-provisioner")
        yield "local-path"
        kube.run("delete", "-f", str(MANIFEST), "--wait=true", "--timeout=120s", timeout=150)


def _volumes_of(kube: Kube, namespace: str) -> list[str]:
    return [
        pv["metadata"]["name"]
        for pv in kube.get("pv")["items"]
        if pv["spec"].get("claimRef", {}).get("namespace") == namespace
    ]


@pytest.fixture(scope="module")
def sts_namespace(kube: Kube, local_path_class: str) -> Iterator[str]:
    """A namespace whose volumes are gone before the provisioner is (set up after it)."""
    name = f"lab-cluster-sts-{secrets.token_hex(4)}"
    kube.run("create", "namespace", name)
    yield name
    kube.run("delete", "namespace", name, "--wait=true", "--timeout=180s", timeout=200)
    # reclaimPolicy Delete: the provisioner's teardown helper removes each directory,
    # then the PV; uninstalling it earlier would strand Released volumes.
    _wait_for("the test's volumes deleted", lambda: not _volumes_of(kube, name), 120)


def _statefulset(namespace: str, storage_class: str) -> list[dict[str, Any]]:
    labels = {"app": "nginx-sts"}
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "nginx-sts", "namespace": namespace},
        "spec": {"clusterIP": "None", "selector": labels, "ports": [{"name": "web", "port": 80}]},
    }
    statefulset = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "web-sts", "namespace": namespace},
        "spec": {
            "serviceName": "nginx-sts",
            "replicas": REPLICAS,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "terminationGracePeriodSeconds": 1,
                    "containers": [
                        {
                            "name": "nginx",
                            "image": "k8s.gcr.io/nginx-slim:0.8",
                            "imagePullPolicy": "IfNotPresent",
                            "ports": [{"name": "web", "containerPort": 80}],
                            "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}],
                        }
                    ],
                },
            },
            "volumeClaimTemplates": [
                {
                    "metadata": {"name": "www"},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "storageClassName": storage_class,
                        "resources": {"requests": {"storage": "1Gi"}},
                    },
                }
            ],
        },
    }
    return [service, statefulset]


def _wait_for(what: str, condition: Callable[[], bool], timeout: float = 180) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"{what} not reached after {timeout:.0f}s")
        time.sleep(0.5)
    return time.monotonic() - started


def test_statefulset_claims_bind_to_directories_under_opt_local_path_provisioner(
    kube: Kube, sts_namespace: str, local_path_class: str, volumes_dir_of: Callable[[str], Path]
) -> None:
    namespace = sts_namespace
    claims = [f"www-web-sts-{i}" for i in range(REPLICAS)]
    started = time.monotonic()
    kube.apply([*_statefulset(namespace, local_path_class), pod("toolbox", namespace, BUSYBOX_1_28, ["sleep", "3600"])])

    def all_bound() -> bool:
        items = kube.get("pvc", "-n", namespace)["items"]
        bound = {c["metadata"]["name"] for c in items if c["status"].get("phase") == "Bound"}
        return set(claims) <= bound

    _wait_for("every claim Bound", all_bound)
    print(f"\n{REPLICAS} StatefulSet claims Bound through local-path after {time.monotonic() - started:.1f}s")
    kube.wait_ready(namespace, "app=nginx-sts")

    for ordinal, claim in enumerate(claims):
        pod_name = f"web-sts-{ordinal}"
        volumes_dir = volumes_dir_of(kube.get("pod", "-n", namespace, pod_name)["spec"]["nodeName"])
        directories = list(volumes_dir.glob(f"pvc-*_{namespace}_{claim}"))
        assert len(directories) == 1, f"no directory for {claim} under {volumes_dir}"
        # What the pod writes into its volume is in that host directory.
        kube.exec(namespace, pod_name, "sh", "-c", "hostname > /usr/share/nginx/html/index.html")
        assert (directories[0] / "index.html").read_text().strip() == pod_name
        assert kube.exec(namespace, pod_name, "curl", "-s", "localhost").stdout.strip() == pod_name

    # Each pod has a stable DNS name under the headless Service, found through the search path.
    pod_ip = kube.get("pod", "-n", namespace, "web-sts-0")["status"]["podIP"]
    kube.wait_ready(namespace, "app=toolbox")
    found = kube.exec(namespace, "toolbox", "nslookup", "web-sts-0.nginx-sts")
    assert f"Address 1: {pod_ip} web-sts-0.nginx-sts.{namespace}.svc.cluster.local" in found.stdout


def test_deleting_the_claims_removes_their_directories(
    kube: Kube, sts_namespace: str, lab_nodes: NodePlan, volumes_dir_of: Callable[[str], Path]
) -> None:
    namespace = sts_namespace
    # Runs after the StatefulSet test: reclaimPolicy Delete makes the provisioner's
    # teardown helper remove the directories, which also keeps the cluster clean.
    kube.run("delete", "statefulset", "-n", namespace, "web-sts", "--wait=true", "--timeout=60s")
    kube.run("delete", "pvc", "-n", namespace, "--all", "--wait=true", "--timeout=60s")
    _wait_for("volumes deleted", lambda: not _volumes_of(kube, namespace), 120)
    for node in lab_nodes.nodes:
        assert not list(volumes_dir_of(node.name).glob(f"pvc-*_{namespace}_*")), node.name

"""The lab's nodes: every node Ready and labelled, the workloads on the workers, pods,
Services and DNS across nodes, each worker's own host paths, and each worker's network
namespace as closed as the host's (listeners, egress guard).

Tests that need workers are skipped on a cluster started with STATEFULSET_LAB_WORKERS=0.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from labcluster import topology
from labcluster.addons import control_plane_taint, control_plane_toleration
from labcluster.network import GUARD_CHAIN, GUARD_TABLE
from labcluster.nodes import Node, NodePlan, namespace_entry, node_paths
from labcluster.paths import LabPaths
from labcluster.processes import running_pid
from tests.cluster.conftest import BUSYBOX_1_28
from tests.cluster.kube import Kube, pod

pytestmark = pytest.mark.cluster

NGINX = "registry.k8s.io/nginx-slim:0.24"
# TEST-NET-3: documentation space, nobody's address.
OUTSIDE = "203.0.113.1"


def on_node(obj: dict[str, Any], node: Node) -> dict[str, Any]:
    """The pod pinned to `node` (tolerating the control plane's taint when that is the node)."""
    spec = obj["spec"]
    spec["nodeSelector"] = {topology.HOSTNAME_LABEL: node.name}
    if not node.is_worker:
        spec["tolerations"] = [control_plane_toleration()]
    return obj


def _workers(plan: NodePlan, at_least: int = 1) -> tuple[Node, ...]:
    if len(plan.workers) < at_least:
        pytest.skip(f"needs {at_least} workers; the lab cluster runs {len(plan.workers)} (STATEFULSET_LAB_WORKERS)")
    return plan.workers


def _pod_ip(kube: Kube, namespace: str, name: str) -> str:
    return str(kube.get("pod", "-n", namespace, name)["status"]["podIP"])


def _node_of(kube: Kube, namespace: str, name: str) -> str:
    return str(kube.get("pod", "-n", namespace, name)["spec"]["nodeName"])


def _curl(kube: Kube, namespace: str, client: str, url: str, timeout: float = 20) -> str:
    """The body of the first successful GET: new endpoints and Services take a moment."""
    deadline = time.monotonic() + timeout
    while True:
        answer = kube.exec(namespace, client, "curl", "-sf", "--max-time", "5", url, check=False)
        if answer.returncode == 0 or time.monotonic() > deadline:
            assert answer.returncode == 0, f"{client} -> {url}: curl exit {answer.returncode} {answer.stderr}"
            return answer.stdout.strip()
        time.sleep(0.5)


def test_every_node_is_ready_and_known_by_its_name_and_address(kube: Kube, lab_nodes: NodePlan) -> None:
    registered = {item["metadata"]["name"]: item for item in kube.get("nodes")["items"]}
    assert set(registered) == {node.name for node in lab_nodes.nodes}
    for node in lab_nodes.nodes:
        item = registered[node.name]
        assert item["metadata"]["labels"][topology.HOSTNAME_LABEL] == node.name
        addresses = {a["type"]: a["address"] for a in item["status"]["addresses"]}
        assert addresses["InternalIP"] == node.ip
        ready = next(c for c in item["status"]["conditions"] if c["type"] == "Ready")
        assert ready["status"] == "True", (node.name, ready)


def test_the_control_plane_node_carries_its_role_only_with_workers(kube: Kube, lab_nodes: NodePlan) -> None:
    control = kube.get("node", topology.NODE_NAME)
    labels = control["metadata"]["labels"]
    taints = control["spec"].get("taints") or []
    has_workers = bool(lab_nodes.workers)
    assert (labels.get(topology.CONTROL_PLANE_ROLE) == "") is has_workers
    assert (control_plane_taint() in taints) is has_workers
    if has_workers:
        coredns = kube.get("pods", "-n", "kube-system", "-l", "k8s-app=kube-dns")["items"]
        assert coredns and {p["spec"]["nodeName"] for p in coredns} == {topology.NODE_NAME}


def test_workloads_are_scheduled_on_the_workers(kube: Kube, namespace: str, lab_nodes: NodePlan) -> None:
    workers = _workers(lab_nodes)
    replicas = 2 * len(workers)
    labels = {"app": "spread"}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "spread", "namespace": namespace},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "terminationGracePeriodSeconds": 1,
                    "containers": [{"name": "main", "image": BUSYBOX_1_28, "command": ["sleep", "3600"]}],
                },
            },
        },
    }
    kube.apply([deployment])
    kube.wait_ready(namespace, "app=spread")
    nodes = [p["spec"]["nodeName"] for p in kube.get("pods", "-n", namespace, "-l", "app=spread")["items"]]
    assert len(nodes) == replicas
    assert set(nodes) <= {w.name for w in workers}, nodes


@pytest.fixture(scope="module")
def across(kube: Kube, namespace: str, lab_nodes: NodePlan) -> dict[str, str]:
    """An nginx server on the last worker, behind a Service; clients on the first worker
    (another node when there are two workers) and on the control-plane node."""
    workers = _workers(lab_nodes)
    server_node, client_node = workers[-1], workers[0]
    labels = {"app": "far-web"}
    server = on_node(pod("far-web", namespace, NGINX), server_node)
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "far-web", "namespace": namespace},
        "spec": {"selector": labels, "ports": [{"port": 8080, "targetPort": 80}]},
    }
    clients = [
        on_node(pod("near-client", namespace, NGINX), client_node),
        on_node(pod("control-client", namespace, NGINX), lab_nodes.control_plane),
        on_node(pod("dns-client", namespace, BUSYBOX_1_28, ["sleep", "3600"]), client_node),
    ]
    kube.apply([server, service, *clients])
    for name in ("far-web", "near-client", "control-client", "dns-client"):
        kube.wait_ready(namespace, f"app={name}")
    # The page names the server pod, so each answer proves which pod served it.
    kube.exec(namespace, "far-web", "sh", "-c", "hostname > /usr/share/nginx/html/index.html")
    return {"server_ip": _pod_ip(kube, namespace, "far-web"), "server_node": server_node.name}


def test_pods_reach_a_pod_on_another_node(
    kube: Kube, namespace: str, lab_nodes: NodePlan, across: dict[str, str]
) -> None:
    if len(lab_nodes.workers) >= 2:
        assert _node_of(kube, namespace, "near-client") != across["server_node"]
    assert _node_of(kube, namespace, "control-client") == topology.NODE_NAME
    for client in ("near-client", "control-client"):
        assert _curl(kube, namespace, client, f"http://{across['server_ip']}/") == "far-web", client


def test_a_worker_pod_reaches_a_service_on_another_node_by_address_and_name(
    kube: Kube, namespace: str, across: dict[str, str]
) -> None:
    cluster_ip = kube.get("service", "-n", namespace, "far-web")["spec"]["clusterIP"]
    for url in (
        f"http://{cluster_ip}:8080/",
        f"http://far-web.{namespace}.svc.cluster.local:8080/",
        "http://far-web:8080/",
    ):
        assert _curl(kube, namespace, "near-client", url) == "far-web", url


def test_a_worker_pod_resolves_names_through_coredns_on_the_control_plane(
    kube: Kube, namespace: str, across: dict[str, str]
) -> None:
    found = kube.exec(namespace, "dns-client", "nslookup", "kubernetes.default")
    assert "Address 1: 10.96.0.1 kubernetes.default.svc.cluster.local" in found.stdout
    found = kube.exec(namespace, "dns-client", "nslookup", "far-web")
    cluster_ip = kube.get("service", "-n", namespace, "far-web")["spec"]["clusterIP"]
    assert f"Address 1: {cluster_ip} far-web.{namespace}.svc.cluster.local" in found.stdout


@pytest.fixture
def host_dir(lab_nodes: NodePlan, volumes_dir_of: Callable[[str], Path]) -> Iterator[str]:
    """A directory name under /opt/local-path-provisioner, removed from every node afterwards."""
    name = f"lab-cluster-test-{secrets.token_hex(4)}"
    yield name
    for node in lab_nodes.nodes:
        shutil.rmtree(volumes_dir_of(node.name) / name, ignore_errors=True)


def _host_path_pod(name: str, namespace: str, node: Node, directory: str, command: str) -> dict[str, Any]:
    obj = on_node(pod(name, namespace, BUSYBOX_1_28, ["sh", "-c", command + "; sleep 3600"]), node)
    obj["spec"]["containers"][0]["volumeMounts"] = [{"name": "data", "mountPath": "/data"}]
    obj["spec"]["volumes"] = [
        {
            "name": "data",
            "hostPath": {"path": f"/opt/local-path-provisioner/{directory}", "type": "DirectoryOrCreate"},
        }
    ]
    return obj


def test_a_host_path_written_on_one_worker_is_not_seen_on_another(
    kube: Kube, namespace: str, lab_nodes: NodePlan, volumes_dir_of: Callable[[str], Path], host_dir: str
) -> None:
    first, second = _workers(lab_nodes, at_least=2)[:2]
    kube.apply([_host_path_pod("writer", namespace, first, host_dir, "echo written-on-first > /data/note")])
    kube.wait_ready(namespace, "app=writer")
    kube.apply([_host_path_pod("reader", namespace, second, host_dir, "true")])
    kube.wait_ready(namespace, "app=reader")
    assert kube.exec(namespace, "writer", "cat", "/data/note").stdout.strip() == "written-on-first"
    assert kube.exec(namespace, "reader", "ls", "-A", "/data").stdout.strip() == ""
    # Seen from the host: the first worker's own directory holds it, nobody else's does.
    assert (volumes_dir_of(first.name) / host_dir / "note").read_text().strip() == "written-on-first"
    assert not (volumes_dir_of(second.name) / host_dir / "note").exists()
    assert not (volumes_dir_of(lab_nodes.control_plane.name) / host_dir).exists()


def _listening(prefix: list[str]) -> dict[int, set[str]]:
    done = subprocess.run([*prefix, "ss", "-H", "-ltnup"], capture_output=True, text=True, check=True)
    found: dict[int, set[str]] = {}
    for line in done.stdout.splitlines():
        address = line.split()[4].rsplit(":", 1)[0]
        for pid in re.findall(r"pid=(\d+)", line):
            found.setdefault(int(pid), set()).add(address)
    return found


def test_nothing_in_a_worker_listens_outside_its_loopback_and_node_address(
    lab_paths: LabPaths, lab_nodes: NodePlan
) -> None:
    for worker in _workers(lab_nodes):
        entry = namespace_entry(lab_paths, worker)
        assert entry is not None
        listening = _listening(entry.net_argv())
        every = set().union(*listening.values()) if listening else set()
        assert every <= {topology.LOOPBACK, worker.ip}, (worker.name, listening)
        own = node_paths(lab_paths, worker)
        kubelet = running_pid(own.pid_file("kubelet"))
        assert kubelet is not None, f"{worker.name} kubelet is not running"
        assert worker.ip in listening.get(kubelet, set()), (worker.name, listening)


def _guard(prefix: list[str]) -> tuple[bool, int]:
    """Whether the guard is first in FORWARD, and how many packets it has dropped."""
    forward = subprocess.run(
        [*prefix, "iptables", "-w", "-t", GUARD_TABLE, "-S", "FORWARD"], capture_output=True, text=True, check=True
    )
    first = next((r for r in forward.stdout.splitlines() if r.startswith("-A")), "")
    listing = subprocess.run(
        [*prefix, "iptables", "-w", "-t", GUARD_TABLE, "-L", GUARD_CHAIN, "-v", "-n", "-x"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rejected = sum(int(line.split()[0]) for line in listing.splitlines() if "DROP" in line)
    return first == f"-A FORWARD -j {GUARD_CHAIN}", rejected


def test_pods_on_every_node_cannot_send_packets_off_this_machine(
    kube: Kube, namespace: str, lab_paths: LabPaths, lab_nodes: NodePlan
) -> None:
    for node in lab_nodes.nodes:
        name = f"egress-{node.name}"
        kube.apply([on_node(pod(name, namespace, NGINX), node)])
        kube.wait_ready(namespace, f"app={name}")
        entry = namespace_entry(lab_paths, node)
        prefix = entry.net_argv() if entry else []
        # The guard must be in place before trying: a broken guard must not let a packet out.
        first, before = _guard(prefix)
        assert first, f"the egress guard is not first in FORWARD on {node.name}"
        attempt = kube.exec(namespace, name, "curl", "-s", "--max-time", "5", f"http://{OUTSIDE}/", check=False)
        assert attempt.returncode != 0, node.name
        assert _guard(prefix)[1] > before, f"no packet dropped on {node.name}"
        # The apiserver stays reachable, and turns away anonymous callers.
        status = kube.exec(
            namespace, name, "curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", f"{topology.APISERVER_URL}/livez"
        )
        assert status.stdout == "401", node.name


def test_a_worker_itself_cannot_send_packets_off_this_machine(lab_paths: LabPaths, lab_nodes: NodePlan) -> None:
    worker = _workers(lab_nodes)[0]
    entry = namespace_entry(lab_paths, worker)
    assert entry is not None
    # The worker's own traffic goes through the host, whose guard stops the node network.
    _, before = _guard([])
    attempt = subprocess.run(
        [*entry.net_argv(), "curl", "-s", "--noproxy", "*", "--max-time", "5", f"http://{OUTSIDE}/"],
        capture_output=True,
        check=False,
    )
    assert attempt.returncode != 0
    assert _guard([])[1] > before

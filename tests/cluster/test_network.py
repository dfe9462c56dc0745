"""The lab's network stays on this machine: the control plane's servers bind to loopback
or the lab's own address, and its pods cannot send packets anywhere but to pods and to
this host (test_nodes.py checks every worker the same way)."""

from __future__ import annotations

import re
import subprocess

import pytest

from labcluster import topology
from labcluster.addons import control_plane_toleration
from labcluster.network import GUARD_CHAIN, GUARD_TABLE
from labcluster.paths import LabPaths
from labcluster.processes import running_pid
from tests.cluster.kube import Kube, pod

pytestmark = pytest.mark.cluster

LAB_DAEMONS = (
    "etcd",
    "containerd",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kubelet",
    "kube-proxy",
)


def _listening_addresses_by_pid() -> dict[int, set[str]]:
    done = subprocess.run(["ss", "-H", "-ltnup"], capture_output=True, text=True, check=True)
    found: dict[int, set[str]] = {}
    for line in done.stdout.splitlines():
        fields = line.split()
        address = fields[4].rsplit(":", 1)[0]
        for pid in re.findall(r"pid=(\d+)", line):
            found.setdefault(int(pid), set()).add(address)
    return found


def test_every_lab_daemon_listens_only_on_loopback_or_the_lab_address(kube: Kube, lab_paths: LabPaths) -> None:
    listening = _listening_addresses_by_pid()
    for name in LAB_DAEMONS:
        pid = running_pid(lab_paths.pid_file(name))
        assert pid is not None, f"{name} is not running"
        assert listening.get(pid, set()) <= {"127.0.0.1", topology.NODE_IP}, (name, listening.get(pid))


def _rejected_packets() -> int:
    listing = subprocess.run(
        ["iptables", "-w", "-t", GUARD_TABLE, "-L", GUARD_CHAIN, "-v", "-n", "-x"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sum(int(line.split()[0]) for line in listing.splitlines() if "DROP" in line)


def test_pods_cannot_send_packets_off_this_machine(kube: Kube, namespace: str) -> None:
    # The guard must be in place before trying: a broken guard must not let a packet out.
    forward = subprocess.run(
        ["iptables", "-w", "-t", GUARD_TABLE, "-S", "FORWARD"], capture_output=True, text=True, check=True
    )
    first_rule = next(r for r in forward.stdout.splitlines() if r.startswith("-A"))
    assert first_rule == f"-A FORWARD -j {GUARD_CHAIN}"
    # On the control-plane node, whose pods this host's own guard stops.
    egress = pod("egress", namespace, "registry.k8s.io/nginx-slim:0.24")
    egress["spec"]["nodeSelector"] = {topology.HOSTNAME_LABEL: topology.NODE_NAME}
    egress["spec"]["tolerations"] = [control_plane_toleration()]
    kube.apply([egress])
    kube.wait_ready(namespace, "app=egress")
    before = _rejected_packets()
    # 203.0.113.1 is TEST-NET-3: documentation space, nobody's address.
    attempt = kube.exec(namespace, "egress", "curl", "-s", "--max-time", "5", "http://203.0.113.1/", check=False)
    assert attempt.returncode != 0
    assert _rejected_packets() > before
    # The host itself stays reachable: the apiserver answers, and turns away anonymous callers.
    status = kube.exec(
        namespace, "egress", "curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", f"{topology.APISERVER_URL}/livez"
    )
    assert status.stdout == "401"

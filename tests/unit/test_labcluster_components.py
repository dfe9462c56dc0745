"""The daemons' command lines: loopback or the node's lab address only, secure defaults, workers through nsenter."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

from labcluster import topology
from labcluster.components import TOOLCHAIN_BINARIES, ComponentSpec, component_specs, worker_specs
from labcluster.nodes import node_plan
from labcluster.paths import LabPaths

PATHS = LabPaths(state=Path("/var/lib/statefulset-lab"), cache=Path("/root/.cache/statefulset-lab"))
ALLOWED_HOSTS = {topology.LOOPBACK, topology.NODE_IP}


def _args(name: str) -> list[str]:
    spec = next(s for s in component_specs(PATHS) if s.name == name)
    return list(spec.args)


def test_components_start_in_dependency_order() -> None:
    names = [s.name for s in component_specs(PATHS)]
    assert names.index("etcd") < names.index("kube-apiserver") < names.index("kubelet")
    assert names.index("containerd") < names.index("kubelet")


def test_every_listen_address_is_loopback_or_the_lab_node_address() -> None:
    for spec in component_specs(PATHS):
        assert spec.listens or spec.name == "containerd"
        for host, _port in spec.listens:
            assert host in ALLOWED_HOSTS, (spec.name, host)


def test_no_command_line_names_a_wildcard_or_foreign_address() -> None:
    lab = [topology.POD_NETWORK, topology.SERVICE_CIDR, topology.NODE_NETWORK, f"{topology.LOOPBACK}/32"]
    specs = component_specs(PATHS) + [
        s for w in node_plan(topology.MAX_WORKERS).workers for s in worker_specs(PATHS, w)
    ]
    for spec in specs:
        for arg in spec.args:
            for found in re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", arg):
                address = ipaddress.ip_address(found)
                # 0.0.0.0 (a wildcard) is in none of them.
                assert any(address in ipaddress.ip_network(net) for net in lab), (spec.label, arg)


def test_apiserver_has_tls_client_certificates_rbac_and_no_anonymous_access() -> None:
    args = _args("kube-apiserver")
    assert "--anonymous-auth=false" in args
    assert "--authorization-mode=Node,RBAC" in args
    assert any(a.startswith("--client-ca-file=") for a in args)
    assert any(a.startswith("--tls-cert-file=") for a in args)
    assert f"--bind-address={topology.NODE_IP}" in args
    assert not any(a.startswith(("--insecure", "--disable-admission-plugins")) for a in args)


def test_etcd_requires_client_certificates() -> None:
    args = _args("etcd")
    assert "--client-cert-auth=true" in args
    assert f"--listen-client-urls=https://127.0.0.1:{topology.ETCD_CLIENT_PORT}" in args


def test_containerd_cannot_reach_a_registry() -> None:
    spec = next(s for s in component_specs(PATHS) if s.name == "containerd")
    assert spec.env["HTTPS_PROXY"].startswith("http://127.0.0.1:")


def test_containerd_is_the_toolchains_as_are_its_shim_runc_and_ctr() -> None:
    spec = next(s for s in component_specs(PATHS) if s.name == "containerd")
    assert spec.from_toolchain
    assert spec.argv(PATHS.toolchain_bin)[0] == str(PATHS.toolchain_bin / "containerd")
    assert {"containerd", "containerd-shim-runc-v2", "ctr", "runc"} <= set(TOOLCHAIN_BINARIES)


def test_toolchain_binaries_come_from_the_bin_dir() -> None:
    spec = next(s for s in component_specs(PATHS) if s.name == "kubelet")
    assert spec.argv(PATHS.toolchain_bin)[0] == str(PATHS.toolchain_bin / "kubelet")


WORKER = node_plan(2).workers[1]


def _worker(name: str) -> ComponentSpec:
    return next(s for s in worker_specs(PATHS, WORKER) if s.name == name)


def test_a_worker_runs_containerd_kubelet_and_kube_proxy_in_that_order() -> None:
    assert [s.name for s in worker_specs(PATHS, WORKER)] == ["containerd", "kubelet", "kube-proxy"]
    assert {s.label for s in worker_specs(PATHS, WORKER)} == {
        "lab-worker-1/containerd",
        "lab-worker-1/kubelet",
        "lab-worker-1/kube-proxy",
    }


def test_a_worker_daemon_is_started_through_nsenter_into_the_workers_namespaces() -> None:
    argv = _worker("kubelet").argv(PATHS.toolchain_bin)
    separator = argv.index("--")
    assert argv[:separator] == [
        "/usr/bin/nsenter",
        "--net=/run/netns/lab-worker-1",
        "--mount=/run/statefulset-lab/mntns/lab-worker-1",
        f"--wd={PATHS.state / 'nodes' / 'lab-worker-1'}",
    ]
    assert argv[separator + 1] == str(PATHS.toolchain_bin / "kubelet")
    assert "--hostname-override=lab-worker-1" in argv
    assert f"--node-ip={WORKER.ip}" in argv
    assert f"--root-dir={PATHS.state / 'nodes' / 'lab-worker-1' / 'kubelet'}" in argv
    assert _worker("kubelet").binary_path(PATHS.toolchain_bin) == str(PATHS.toolchain_bin / "kubelet")


def test_control_plane_daemons_run_without_a_namespace_prefix() -> None:
    for spec in component_specs(PATHS):
        assert spec.enter is None and spec.node == "" and spec.label == spec.name
        assert spec.argv(PATHS.toolchain_bin)[0] == spec.binary_path(PATHS.toolchain_bin)


def test_a_worker_listens_only_on_its_own_address_or_its_own_loopback() -> None:
    for spec in worker_specs(PATHS, WORKER):
        for host, _port in spec.listens:
            assert host in {WORKER.ip, topology.LOOPBACK}, (spec.name, host)


def test_the_host_probes_a_worker_through_its_node_address_or_its_socket() -> None:
    assert _worker("kubelet").probe.target == f"http://{WORKER.ip}:{topology.KUBELET_HEALTHZ_PORT}/healthz"
    assert _worker("kube-proxy").probe.target == f"http://{WORKER.ip}:{topology.KUBE_PROXY_HEALTHZ_PORT}/healthz"
    containerd = _worker("containerd")
    assert containerd.probe.target == str(PATHS.runtime / "nodes" / "lab-worker-1" / "containerd" / "containerd.sock")
    assert containerd.env["HTTPS_PROXY"].startswith("http://127.0.0.1:")
    assert f"--config={PATHS.state / 'nodes' / 'lab-worker-1' / 'config' / 'containerd.toml'}" in containerd.args


def test_a_failed_node_is_noticed_and_evicted_within_seconds() -> None:
    manager = _args("kube-controller-manager")
    assert f"--node-monitor-grace-period={topology.NODE_MONITOR_GRACE_SECONDS}s" in manager
    assert f"--node-monitor-period={topology.NODE_MONITOR_PERIOD_SECONDS}s" in manager
    assert f"--cluster-cidr={topology.POD_NETWORK}" in manager
    apiserver = _args("kube-apiserver")
    for kind in ("not-ready", "unreachable"):
        assert f"--default-{kind}-toleration-seconds={topology.EVICTION_TOLERATION_SECONDS}" in apiserver
    # Noticed after the grace period, evicted a toleration later: well under two minutes.
    assert topology.NODE_MONITOR_GRACE_SECONDS + topology.EVICTION_TOLERATION_SECONDS < 60


def test_every_kubelet_notices_a_dead_apiserver_connection_within_the_grace_period() -> None:
    # The controller-manager's help: the grace period must exceed client-go's HTTP/2
    # read-idle plus ping timeouts, or a dropped connection looks like a lost node.
    kubelets = [s for s in component_specs(PATHS) if s.name == "kubelet"] + [_worker("kubelet")]
    for kubelet in kubelets:
        timeouts = int(kubelet.env["HTTP2_READ_IDLE_TIMEOUT_SECONDS"]) + int(kubelet.env["HTTP2_PING_TIMEOUT_SECONDS"])
        assert timeouts < topology.NODE_MONITOR_GRACE_SECONDS

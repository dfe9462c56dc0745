"""Rendered configs of containerd, CNI, kubelet, kube-proxy and the scheduler, per node."""

from __future__ import annotations

import ipaddress
import json
import tomllib
from pathlib import Path
from typing import Any

from labcluster import topology
from labcluster.configs import (
    SANDBOX_IMAGE,
    render_cni_conflist,
    render_containerd_config,
    render_kube_proxy_config,
    render_kubelet_config,
    render_kubelet_resolv_conf,
    render_scheduler_config,
    rendered_configs,
    worker_configs,
)
from labcluster.nodes import node_paths, node_plan
from labcluster.paths import LabPaths

PATHS = LabPaths(state=Path("/var/lib/statefulset-lab"), cache=Path("/root/.cache/statefulset-lab"))


def _kubelet() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render_kubelet_config(PATHS))
    return parsed


def _containerd(paths: LabPaths = PATHS) -> dict[str, Any]:
    parsed: dict[str, Any] = tomllib.loads(render_containerd_config(paths))
    return parsed


def test_containerd_config_is_version_3_with_the_cri_plugins_of_containerd_2() -> None:
    config = _containerd()
    assert config["version"] == 3
    assert set(config["plugins"]) == {
        "io.containerd.internal.v1.opt",
        "io.containerd.grpc.v1.cri",
        "io.containerd.cri.v1.images",
        "io.containerd.cri.v1.runtime",
    }


def test_containerd_uses_cgroupfs_the_sandbox_image_and_the_lab_cni_dir() -> None:
    config = _containerd()
    images = config["plugins"]["io.containerd.cri.v1.images"]
    runtime = config["plugins"]["io.containerd.cri.v1.runtime"]
    assert images["pinned_images"] == {"sandbox": SANDBOX_IMAGE}
    assert images["snapshotter"] == "overlayfs"
    assert runtime["containerd"]["runtimes"]["runc"]["options"]["SystemdCgroup"] is False
    assert runtime["cni"] == {
        "bin_dirs": [str(PATHS.cache / "toolchain" / "cni-bin")],
        "conf_dir": str(PATHS.cni_conf_dir),
        "max_conf_num": 1,
    }
    assert config["plugins"]["io.containerd.grpc.v1.cri"]["stream_server_address"] == "127.0.0.1"
    assert config["grpc"]["address"] == str(PATHS.containerd_socket)


def test_containerd_runs_the_toolchains_shim_and_runc_by_path() -> None:
    runc = _containerd()["plugins"]["io.containerd.cri.v1.runtime"]["containerd"]["runtimes"]["runc"]
    assert runc["runtime_type"] == "io.containerd.runc.v2"
    assert runc["runtime_path"] == str(PATHS.toolchain_bin / "containerd-shim-runc-v2")
    assert runc["options"]["BinaryName"] == str(PATHS.toolchain_bin / "runc")


def test_containerd_clamps_oom_scores_and_keeps_pod_netns_under_its_state() -> None:
    config = _containerd()
    runtime = config["plugins"]["io.containerd.cri.v1.runtime"]
    assert config["oom_score"] == 0
    assert runtime["restrict_oom_score_adj"] is True
    assert runtime["netns_mounts_under_state_dir"] is True


def test_containerd_has_no_nri_socket_for_the_nodes_to_share() -> None:
    assert "io.containerd.nri.v1.nri" in _containerd()["disabled_plugins"]


def test_kubelet_may_run_on_cgroup_v1() -> None:
    assert _kubelet()["failCgroupV1"] is False


def test_kubelet_runs_on_cgroupfs_without_swap_checks_or_image_gc() -> None:
    kubelet = _kubelet()
    assert kubelet["cgroupDriver"] == "cgroupfs"
    assert kubelet["failSwapOn"] is False
    assert kubelet["imageGCHighThresholdPercent"] == 100
    assert kubelet["clusterDNS"] == [topology.DNS_SERVICE_IP]
    assert kubelet["clusterDomain"] == "cluster.local"


def test_kubelet_evicts_only_on_a_nearly_full_disk() -> None:
    thresholds = _kubelet()["evictionHard"]
    for signal in ("nodefs.available", "imagefs.available"):
        assert int(thresholds[signal].rstrip("%")) <= 1


def test_kubelet_serves_only_on_the_lab_address_and_authorizes_through_the_apiserver() -> None:
    kubelet = _kubelet()
    assert kubelet["address"] == topology.NODE_IP
    assert kubelet["healthzBindAddress"] == "127.0.0.1"
    assert kubelet["readOnlyPort"] == 0
    assert kubelet["authentication"]["anonymous"]["enabled"] is False
    assert kubelet["authorization"]["mode"] == "Webhook"


def test_pod_resolv_conf_has_no_loopback_and_no_host_resolver() -> None:
    nameservers = [
        line.split()[1] for line in render_kubelet_resolv_conf().splitlines() if line.startswith("nameserver")
    ]
    assert nameservers == [topology.DNS_SERVICE_IP]
    assert not any(ipaddress.ip_address(ns).is_loopback for ns in nameservers)


def test_cni_network_is_a_bridge_with_host_local_addresses_in_the_pod_cidr() -> None:
    conflist = json.loads(render_cni_conflist(PATHS))
    bridge = conflist["plugins"][0]
    assert bridge["type"] == "bridge"
    assert bridge["ipam"]["type"] == "host-local"
    assert bridge["ipam"]["ranges"] == [[{"subnet": topology.POD_CIDR}]]
    assert bridge["ipMasq"] is False


def test_kube_proxy_uses_iptables_and_leaves_conntrack_sysctls_alone() -> None:
    proxy = json.loads(render_kube_proxy_config(PATHS))
    assert proxy["mode"] == "iptables"
    assert proxy["conntrack"]["maxPerCore"] == 0
    assert proxy["nodePortAddresses"] == [f"{topology.NODE_IP}/32"]
    assert proxy["clusterCIDR"] == topology.POD_NETWORK


def test_scheduler_runs_without_leader_election() -> None:
    scheduler = json.loads(render_scheduler_config(PATHS))
    assert scheduler["leaderElection"] == {"leaderElect": False}


def test_every_rendered_file_lives_under_the_state_dir() -> None:
    assert all(PATHS.state in path.parents for path in rendered_configs(PATHS))


def test_address_ranges_do_not_overlap() -> None:
    ranges = [ipaddress.ip_network(r) for r in (topology.POD_NETWORK, topology.SERVICE_CIDR, topology.NODE_NETWORK)]
    for i, a in enumerate(ranges):
        for b in ranges[i + 1 :]:
            assert not a.overlaps(b)
    assert ipaddress.IPv4Address(topology.NODE_IP) in ipaddress.IPv4Network(topology.NODE_NETWORK)
    assert ipaddress.IPv4Network(topology.POD_CIDR).subnet_of(ipaddress.IPv4Network(topology.POD_NETWORK))
    service = ipaddress.IPv4Network(topology.SERVICE_CIDR)
    assert ipaddress.IPv4Address(topology.DNS_SERVICE_IP) in service
    assert ipaddress.IPv4Address(topology.API_SERVICE_IP) == service.network_address + 1


WORKER = node_plan(3).workers[2]
WORKER_STATE = PATHS.state / "nodes" / "lab-worker-2"


def _worker_kubelet() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render_kubelet_config(PATHS, WORKER))
    return parsed


def test_a_worker_kubelet_has_its_own_address_pods_certificates_runtime_and_cgroup_root() -> None:
    kubelet = _worker_kubelet()
    assert kubelet["address"] == kubelet["healthzBindAddress"] == "10.240.0.13"
    assert kubelet["podCIDR"] == "10.244.3.0/24"
    assert kubelet["cgroupRoot"] == "/lab-worker-2"
    assert kubelet["tlsCertFile"] == str(WORKER_STATE / "pki" / "kubelet-server.crt")
    assert (
        kubelet["containerRuntimeEndpoint"]
        == f"unix://{PATHS.runtime / 'nodes' / 'lab-worker-2' / 'containerd' / 'containerd.sock'}"
    )
    assert kubelet["podLogsDir"] == str(WORKER_STATE / "logs" / "pods")
    assert kubelet["resolvConf"] == str(WORKER_STATE / "config" / "kubelet-resolv.conf")
    # Clients are verified against the one cluster CA.
    assert kubelet["authentication"]["x509"]["clientCAFile"] == str(PATHS.pki / "ca.crt")


def test_the_control_plane_kubelet_keeps_the_default_cgroup_root_and_loopback_health() -> None:
    kubelet = _kubelet()
    assert "cgroupRoot" not in kubelet
    assert kubelet["podCIDR"] == topology.POD_CIDR
    assert kubelet["tlsCertFile"] == str(PATHS.pki / "kubelet-server.crt")


def test_kubelet_status_and_lease_fit_the_controller_managers_grace_period() -> None:
    for kubelet in (_kubelet(), _worker_kubelet()):
        lease = kubelet["nodeLeaseDurationSeconds"]
        update = int(kubelet["nodeStatusUpdateFrequency"].rstrip("s"))
        # The kubelet renews its lease every quarter of the duration: several renewals
        # (and status updates) fit in the grace period, so one slow one is no failure.
        assert lease == topology.NODE_LEASE_DURATION_SECONDS
        assert 3 * (lease / 4) <= topology.NODE_MONITOR_GRACE_SECONDS
        assert 4 * update <= topology.NODE_MONITOR_GRACE_SECONDS
        assert update > topology.NODE_MONITOR_PERIOD_SECONDS


def test_a_worker_kube_proxy_answers_for_its_own_node_only() -> None:
    proxy = json.loads(render_kube_proxy_config(PATHS, WORKER))
    assert proxy["hostnameOverride"] == "lab-worker-2"
    assert proxy["bindAddress"] == "10.240.0.13"
    assert proxy["nodePortAddresses"] == ["10.240.0.13/32"]
    assert proxy["healthzBindAddress"] == f"10.240.0.13:{topology.KUBE_PROXY_HEALTHZ_PORT}"
    assert proxy["metricsBindAddress"].startswith("127.0.0.1:")
    assert proxy["clusterCIDR"] == topology.POD_NETWORK
    assert proxy["clientConnection"]["kubeconfig"] == str(WORKER_STATE / "kubeconfigs" / "kube-proxy.kubeconfig")


def test_a_worker_pod_network_uses_its_own_cidr_and_address_store() -> None:
    bridge = json.loads(render_cni_conflist(PATHS, WORKER))["plugins"][0]
    assert bridge["ipam"]["ranges"] == [[{"subnet": "10.244.3.0/24"}]]
    assert bridge["ipam"]["dataDir"] == str(WORKER_STATE / "cni" / "ipam")
    assert bridge["bridge"] == topology.POD_BRIDGE


def test_a_worker_containerd_has_its_own_root_state_socket_and_runc_root() -> None:
    own = node_paths(PATHS, WORKER)
    config = tomllib.loads(worker_configs(PATHS, WORKER)[own.config / "containerd.toml"])
    assert config["root"] == str(own.containerd_root)
    assert config["state"] == str(own.containerd_state)
    assert config["grpc"]["address"] == str(own.containerd_socket)
    runc = config["plugins"]["io.containerd.cri.v1.runtime"]["containerd"]["runtimes"]["runc"]["options"]
    assert runc["Root"] == str(own.runtime / "runc")
    assert runc["BinaryName"] == str(PATHS.toolchain_bin / "runc")


def test_every_worker_file_lives_under_the_workers_state_dir() -> None:
    files = worker_configs(PATHS, WORKER)
    assert all(WORKER_STATE in path.parents for path in files)
    assert not any(path.name == "kube-scheduler.json" for path in files)

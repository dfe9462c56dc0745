"""Rendered configs of containerd, CNI, kubelet, kube-proxy and the scheduler."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import tomllib

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
)
from labcluster.paths import LabPaths

PATHS = LabPaths(state=Path("/var/lib/statefulset-lab"), cache=Path("/root/.cache/statefulset-lab"))


def _kubelet() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render_kubelet_config(PATHS))
    return parsed


def test_containerd_uses_cgroupfs_the_sandbox_image_and_the_lab_cni_dir() -> None:
    config = tomllib.loads(render_containerd_config(PATHS))
    cri = config["plugins"]["io.containerd.grpc.v1.cri"]
    assert cri["sandbox_image"] == SANDBOX_IMAGE
    assert cri["containerd"]["runtimes"]["runc"]["options"]["SystemdCgroup"] is False
    assert cri["cni"] == {"bin_dir": "/usr/lib/cni", "conf_dir": str(PATHS.cni_conf_dir), "max_conf_num": 1}
    assert cri["stream_server_address"] == "127.0.0.1"
    assert config["grpc"]["address"] == str(PATHS.containerd_socket)


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
    assert proxy["clusterCIDR"] == topology.POD_CIDR


def test_scheduler_runs_without_leader_election() -> None:
    scheduler = json.loads(render_scheduler_config(PATHS))
    assert scheduler["leaderElection"] == {"leaderElect": False}


def test_every_rendered_file_lives_under_the_state_dir() -> None:
    assert all(PATHS.state in path.parents for path in rendered_configs(PATHS))


def test_address_ranges_do_not_overlap() -> None:
    ranges = [ipaddress.ip_network(r) for r in (topology.POD_CIDR, topology.SERVICE_CIDR, f"{topology.NODE_IP}/32")]
    for i, a in enumerate(ranges):
        for b in ranges[i + 1 :]:
            assert not a.overlaps(b)
    service = ipaddress.IPv4Network(topology.SERVICE_CIDR)
    assert ipaddress.IPv4Address(topology.DNS_SERVICE_IP) in service
    assert ipaddress.IPv4Address(topology.API_SERVICE_IP) == service.network_address + 1

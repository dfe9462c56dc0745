"""The node plan: names, addresses, pod CIDRs, routes, paths and the worker count."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from labcluster import topology
from labcluster.errors import LabError
from labcluster.nodes import (
    CONTROL_PLANE,
    Route,
    chosen_worker_count,
    layout_record,
    namespace_entry,
    node_paths,
    node_plan,
    node_volumes_dir,
    parse_worker_count,
    private_mounts,
    recorded_worker_count,
    worker_index,
)
from labcluster.paths import LabPaths

PATHS = LabPaths(state=Path("/var/lib/statefulset-lab"), cache=Path("/root/.cache/statefulset-lab"))


@pytest.mark.parametrize("workers", range(topology.MAX_WORKERS + 1))
def test_every_node_has_its_own_name_address_and_pod_cidr(workers: int) -> None:
    plan = node_plan(workers)
    nodes = plan.nodes
    assert len(nodes) == workers + 1
    assert len({n.name for n in nodes}) == len({n.ip for n in nodes}) == len({n.pod_cidr for n in nodes}) == len(nodes)
    cidrs = [ipaddress.IPv4Network(n.pod_cidr) for n in nodes]
    for i, a in enumerate(cidrs):
        assert a.subnet_of(ipaddress.IPv4Network(topology.POD_NETWORK))
        assert all(not a.overlaps(b) for b in cidrs[i + 1 :])
    for node in nodes:
        assert ipaddress.ip_address(node.ip) in ipaddress.ip_network(topology.NODE_NETWORK)


def test_without_workers_the_control_plane_is_todays_single_node() -> None:
    plan = node_plan(0)
    assert plan.workers == ()
    assert plan.control_plane == CONTROL_PLANE
    assert (CONTROL_PLANE.name, CONTROL_PLANE.ip, CONTROL_PLANE.pod_cidr) == (
        topology.NODE_NAME,
        topology.NODE_IP,
        topology.POD_CIDR,
    )
    assert not CONTROL_PLANE.is_worker
    assert CONTROL_PLANE.netns == CONTROL_PLANE.cgroup_root == ""
    assert plan.host_routes() == []
    assert node_paths(PATHS, CONTROL_PLANE) == PATHS
    assert namespace_entry(PATHS, CONTROL_PLANE) is None


def test_workers_follow_the_hard_way_numbering() -> None:
    workers = node_plan(3).workers
    assert [(w.name, w.ip, w.pod_cidr) for w in workers] == [
        ("lab-worker-0", "10.240.0.11", "10.244.1.0/24"),
        ("lab-worker-1", "10.240.0.12", "10.244.2.0/24"),
        ("lab-worker-2", "10.240.0.13", "10.244.3.0/24"),
    ]
    first = workers[0]
    assert (first.netns, first.host_veth, first.cgroup_root) == ("lab-worker-0", "lab-worker-0", "/lab-worker-0")
    assert first.pod_gateway == "10.244.1.1"
    assert len(first.host_veth) <= 15  # the kernel's interface name limit


def test_the_host_address_makes_the_node_subnet_on_link() -> None:
    plan = node_plan(2)
    assert plan.host_address == "10.240.0.1/24"
    assert plan.address_of(plan.workers[1]) == "10.240.0.12/24"


def test_host_reaches_each_workers_pods_through_that_worker() -> None:
    assert node_plan(2).host_routes() == [Route("10.244.1.0/24", "10.240.0.11"), Route("10.244.2.0/24", "10.240.0.12")]


def test_a_worker_goes_through_the_host_except_straight_to_the_other_workers_pods() -> None:
    plan = node_plan(3)
    routes = plan.worker_routes(plan.workers[1])
    assert routes[0] == Route("default", "10.240.0.1")
    assert routes[1:] == [Route("10.244.1.0/24", "10.240.0.11"), Route("10.244.3.0/24", "10.240.0.13")]
    assert Route("10.244.1.0/24", "10.240.0.11").argv() == [
        "ip",
        "route",
        "replace",
        "10.244.1.0/24",
        "via",
        "10.240.0.11",
    ]


def test_routes_of_workers_beyond_the_count_are_the_ones_to_remove() -> None:
    assert node_plan(1).absent_pod_cidrs() == ["10.244.2.0/24", "10.244.3.0/24"]
    assert node_plan(topology.MAX_WORKERS).absent_pod_cidrs() == []


def test_a_worker_keeps_its_files_under_its_own_state_and_runtime_dirs() -> None:
    worker = node_plan(1).workers[0]
    own = node_paths(PATHS, worker)
    assert own.state == PATHS.state / "nodes" / "lab-worker-0"
    assert own.runtime == PATHS.runtime / "nodes" / "lab-worker-0"
    assert own.volumes == own.state / "local-path"
    assert own.cache == PATHS.cache
    assert own.pid_file("kubelet") == own.state / "pids" / "kubelet.pid"
    assert len(str(own.containerd_socket)) < 100
    assert node_volumes_dir(PATHS, "lab-worker-0") == own.volumes
    assert node_volumes_dir(PATHS, topology.NODE_NAME) == PATHS.volumes


def test_a_workers_mount_namespace_shows_its_own_directories_at_the_shared_host_paths() -> None:
    worker = node_plan(1).workers[0]
    mounts = dict((target, source) for source, target in private_mounts(PATHS, worker))
    assert mounts[PATHS.volumes] == node_paths(PATHS, worker).volumes
    assert mounts[Path("/var/lib/kubelet")].is_relative_to(node_paths(PATHS, worker).state)
    assert Path("/var/lib/cni") in mounts and Path("/var/log/containers") in mounts


def test_worker_daemons_enter_the_workers_namespaces_through_nsenter() -> None:
    worker = node_plan(1).workers[0]
    entry = namespace_entry(PATHS, worker)
    assert entry is not None
    assert entry.argv() == [
        "/usr/bin/nsenter",
        "--net=/run/netns/lab-worker-0",
        "--mount=/run/statefulset-lab/mntns/lab-worker-0",
        f"--wd={PATHS.state / 'nodes' / 'lab-worker-0'}",
        "--",
    ]
    assert entry.net_argv() == ["/usr/bin/nsenter", "--net=/run/netns/lab-worker-0", "--"]
    assert entry.mount_argv() == ["/usr/bin/nsenter", "--mount=/run/statefulset-lab/mntns/lab-worker-0", "--"]


@pytest.mark.parametrize("raw", ["0", "1", "2", "3", " 2 "])
def test_worker_counts_zero_to_three_are_accepted(raw: str) -> None:
    assert parse_worker_count(raw) == int(raw)


@pytest.mark.parametrize("raw", ["4", "-1", "two", "1.5", "02", "10"])
def test_any_other_worker_count_names_the_variable_and_the_allowed_values(raw: str) -> None:
    with pytest.raises(LabError) as err:
        parse_worker_count(raw)
    assert f"STATEFULSET_LAB_WORKERS={raw!r}" in err.value.problem
    assert "0, 1, 2, 3" in err.value.fix


def test_the_variable_wins_then_the_last_up_then_two() -> None:
    assert chosen_worker_count({"STATEFULSET_LAB_WORKERS": "0"}, recorded=3) == 0
    assert chosen_worker_count({}, recorded=3) == 3
    assert chosen_worker_count({"STATEFULSET_LAB_WORKERS": ""}, recorded=1) == 1
    assert chosen_worker_count({}, recorded=None) == 2
    with pytest.raises(LabError):
        chosen_worker_count({"STATEFULSET_LAB_WORKERS": "9"}, recorded=1)


def test_the_layout_record_gives_back_its_worker_count() -> None:
    record = layout_record(node_plan(2), PATHS)
    assert recorded_worker_count(record) == 2
    assert [n["name"] for n in record["nodes"]] == ["lab-node", "lab-worker-0", "lab-worker-1"]
    assert record["nodes"][2]["state"] == str(PATHS.state / "nodes" / "lab-worker-1")
    garbage: list[object] = [None, [], {"workers": "2"}, {"workers": 7}, {"workers": True}]
    for candidate in garbage:
        assert recorded_worker_count(candidate) is None


def test_only_names_of_possible_workers_are_workers() -> None:
    assert worker_index("lab-worker-2") == 2
    for name in ("lab-worker-3", "lab-worker-", "lab-node", "lab-worker-01", "x-lab-worker-1"):
        assert worker_index(name) is None


def test_naming_the_control_plane_or_an_unknown_node_as_a_worker_is_an_error() -> None:
    plan = node_plan(2)
    assert plan.worker("lab-worker-1") == plan.workers[1]
    with pytest.raises(LabError, match="control-plane node") as err:
        plan.worker("lab-node")
    assert "lab-worker-0, lab-worker-1" in err.value.problem
    with pytest.raises(LabError, match="no node 'lab-worker-2'"):
        plan.worker("lab-worker-2")

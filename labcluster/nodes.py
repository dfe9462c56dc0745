"""The node plan: which nodes the lab cluster has, with each one's names, addresses and paths.

Pure. `node_plan(workers)` turns a worker count (0..3) into:
- the control-plane node `lab-node`: the host's own network and mount namespaces,
  10.240.0.1 on the bridge `lab-node0`, pods 10.244.0.0/24, state directly in $STATE;
- workers `lab-worker-N`: a network namespace of that name (/run/netns/lab-worker-N),
  a veth of that name on `lab-node0` whose other end, `eth0`, carries
  10.240.0.(11+N)/24, pods 10.244.(1+N).0/24, a mount namespace kept in
  /run/statefulset-lab/mntns/lab-worker-N, a cgroup root `/lab-worker-N`, state in
  $STATE/nodes/lab-worker-N and runtime files in /run/statefulset-lab/nodes/lab-worker-N.

Also the routes between the nodes' pod CIDRs, the worker count chosen from
STATEFULSET_LAB_WORKERS or the state, and the layout record `up` keeps in the state.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import topology
from .errors import LabError
from .paths import LabPaths

NETNS_DIR = Path("/run/netns")
NSENTER = "/usr/bin/nsenter"
# Host paths the kubelet, containerd and the CNI library use whatever their configuration
# says. Shared, two kubelets would collide: each wipes /var/lib/kubelet/device-plugins
# at start and listens there. A worker gets its own directory at each of these places
# (under $STATE/nodes/<name>/host), bind-mounted in its mount namespace.
NODE_OWN_HOST_DIRS = {
    Path("/var/lib/kubelet"): "var-lib-kubelet",
    Path("/var/lib/cni"): "var-lib-cni",
    Path("/var/log/containers"): "var-log-containers",
}
# The worker's end of its veth, inside the worker's network namespace.
WORKER_INTERFACE = "eth0"


@dataclass(frozen=True)
class Addressing:
    """What every node's names and addresses derive from; the defaults are the lab's."""

    control_plane: str = topology.NODE_NAME
    worker_prefix: str = topology.WORKER_PREFIX
    bridge: str = topology.NODE_BRIDGE
    node_network: str = topology.NODE_NETWORK
    host_ip: str = topology.NODE_IP
    first_worker_host: int = topology.FIRST_WORKER_HOST
    # Split into /24s: the first is the control plane's, worker N gets number 1+N.
    pod_network: str = topology.POD_NETWORK


LAB_ADDRESSING = Addressing()


@dataclass(frozen=True)
class Node:
    """One node: its name, address, pod CIDR and, for a worker, its ordinal."""

    name: str
    ip: str
    pod_cidr: str
    # None for the control-plane node, which runs in the host's own namespaces.
    worker_index: int | None = None

    @property
    def is_worker(self) -> bool:
        return self.worker_index is not None

    @property
    def role(self) -> str:
        return "worker" if self.is_worker else "control-plane"

    @property
    def netns(self) -> str:
        """The worker's network namespace name (`ip netns`); empty for the control plane."""
        return self.name if self.is_worker else ""

    @property
    def host_veth(self) -> str:
        """The host's end of the worker's veth, a port of the node bridge."""
        return self.name if self.is_worker else ""

    @property
    def cgroup_root(self) -> str:
        """The kubelet's cgroupRoot: a tree of its own per worker; empty keeps the default."""
        return f"/{self.name}" if self.is_worker else ""

    @property
    def pod_gateway(self) -> str:
        """The pod bridge's address, the first of the pod CIDR (as the CNI bridge plugin picks it)."""
        return str(ipaddress.ip_network(self.pod_cidr).network_address + 1)


@dataclass(frozen=True)
class Route:
    """`ip route replace <destination> via <via>`; destination "default" for the default route."""

    destination: str
    via: str

    def argv(self) -> list[str]:
        return ["ip", "route", "replace", self.destination, "via", self.via]


@dataclass(frozen=True)
class NodePlan:
    """The control-plane node and the workers, with the networks they share."""

    control_plane: Node
    workers: tuple[Node, ...]
    addressing: Addressing = field(default=LAB_ADDRESSING)

    @property
    def nodes(self) -> tuple[Node, ...]:
        return (self.control_plane, *self.workers)

    @property
    def bridge(self) -> str:
        return self.addressing.bridge

    @property
    def node_network(self) -> str:
        return self.addressing.node_network

    @property
    def pod_network(self) -> str:
        return self.addressing.pod_network

    @property
    def prefix_length(self) -> int:
        return ipaddress.ip_network(self.node_network).prefixlen

    @property
    def host_address(self) -> str:
        """The control-plane node's address with the node subnet's prefix: workers are on-link."""
        return f"{self.control_plane.ip}/{self.prefix_length}"

    def address_of(self, node: Node) -> str:
        return f"{node.ip}/{self.prefix_length}"

    def node(self, name: str) -> Node:
        for node in self.nodes:
            if node.name == name:
                return node
        names = ", ".join(n.name for n in self.nodes)
        raise LabError(f"the lab cluster has no node {name!r} (nodes: {names})", "run `python -m labcluster nodes`")

    def worker(self, name: str) -> Node:
        node = self.node(name)
        if not node.is_worker:
            workers = ", ".join(w.name for w in self.workers) or "none"
            raise LabError(
                f"{name} is the control-plane node; only workers can be stopped and started (workers: {workers})",
                "name a worker, or use `make cluster-down` / `make cluster-up` for the whole cluster",
            )
        return node

    def host_routes(self) -> list[Route]:
        """On the host: each worker's pod CIDR through that worker (the control plane's is on lab-cni0)."""
        return [Route(w.pod_cidr, w.ip) for w in self.workers]

    def worker_routes(self, node: Node) -> list[Route]:
        """In a worker: everything through the host, the other workers' pod CIDRs straight to them.

        Direct routes keep worker-to-worker pod traffic symmetric (bridged on lab-node0
        both ways), so conntrack on the host sees both directions of every flow.
        """
        direct = [Route(w.pod_cidr, w.ip) for w in self.workers if w != node]
        return [Route("default", self.control_plane.ip), *direct]

    def absent_pod_cidrs(self) -> list[str]:
        """Pod CIDRs of the workers a larger plan would have: their routes must go."""
        present = {w.pod_cidr for w in self.workers}
        every = node_plan(topology.MAX_WORKERS, self.addressing).workers
        return [w.pod_cidr for w in every if w.pod_cidr not in present]


def node_plan(workers: int, addressing: Addressing = LAB_ADDRESSING) -> NodePlan:
    """The control-plane node and `workers` workers (0..MAX_WORKERS)."""
    if not 0 <= workers <= topology.MAX_WORKERS:
        raise ValueError(f"worker count {workers} outside 0..{topology.MAX_WORKERS}")
    pod_cidrs = ipaddress.ip_network(addressing.pod_network).subnets(new_prefix=24)
    control_cidr = str(next(pod_cidrs))
    base = ipaddress.ip_network(addressing.node_network).network_address
    control = Node(addressing.control_plane, addressing.host_ip, control_cidr)
    nodes = tuple(
        Node(
            name=f"{addressing.worker_prefix}{index}",
            ip=str(base + addressing.first_worker_host + index),
            pod_cidr=str(next(pod_cidrs)),
            worker_index=index,
        )
        for index in range(workers)
    )
    return NodePlan(control, nodes, addressing)


CONTROL_PLANE = node_plan(0).control_plane


def worker_index(name: str, addressing: Addressing = LAB_ADDRESSING) -> int | None:
    """The ordinal in a worker's name (`lab-worker-2` -> 2), None for any other name."""
    match = re.fullmatch(re.escape(addressing.worker_prefix) + r"(\d)", name)
    if match is None or int(match.group(1)) >= topology.MAX_WORKERS:
        return None
    return int(match.group(1))


ALLOWED_COUNTS = ", ".join(str(n) for n in range(topology.MAX_WORKERS + 1))


def parse_worker_count(raw: str) -> int:
    """STATEFULSET_LAB_WORKERS as a number of workers, or a LabError naming the allowed values."""
    value = raw.strip()
    if value.isdigit() and len(value) == 1 and int(value) <= topology.MAX_WORKERS:
        return int(value)
    raise LabError(
        f"{topology.WORKERS_ENV}={raw!r} is not a worker count",
        f"set {topology.WORKERS_ENV} to one of {ALLOWED_COUNTS} (or unset it: the count of the last "
        f"`up`, else {topology.DEFAULT_WORKERS})",
    )


def chosen_worker_count(env: Mapping[str, str], recorded: int | None) -> int:
    """The variable when set (an empty one counts as unset), else the last `up`'s count, else the default."""
    raw = env.get(topology.WORKERS_ENV, "")
    if raw:
        return parse_worker_count(raw)
    if recorded is not None:
        return recorded
    return topology.DEFAULT_WORKERS


def node_paths(cluster: LabPaths, node: Node) -> LabPaths:
    """Where a node keeps its files: the cluster's own paths for the control plane; for a
    worker the same layout under $STATE/nodes/<name> and <runtime>/nodes/<name>, with its
    PV directories (what its pods see as /opt/local-path-provisioner) in <state>/local-path."""
    return worker_paths(cluster, node.name) if node.is_worker else cluster


def worker_paths(cluster: LabPaths, name: str) -> LabPaths:
    state = cluster.state / "nodes" / name
    runtime = cluster.runtime / "nodes" / name
    return LabPaths(state=state, cache=cluster.cache, runtime=runtime, volumes=state / "local-path")


def private_mounts(cluster: LabPaths, node: Node) -> list[tuple[Path, Path]]:
    """(directory of the worker's own, where its mount namespace shows it): its PV directories
    at /opt/local-path-provisioner, then its own copies of the shared host directories."""
    own = worker_paths(cluster, node.name)
    host = own.state / "host"
    return [(own.volumes, cluster.volumes)] + [(host / name, target) for target, name in NODE_OWN_HOST_DIRS.items()]


def mount_namespace_dir(cluster: LabPaths) -> Path:
    """A private mount holding the files that keep the workers' mount namespaces alive."""
    return cluster.runtime / "mntns"


def mount_namespace_file(cluster: LabPaths, node: Node) -> Path:
    return mount_namespace_dir(cluster) / node.name


def netns_file(node: Node) -> Path:
    return NETNS_DIR / node.netns


@dataclass(frozen=True)
class NamespaceEntry:
    """How to run a command inside a worker: nsenter into its network and mount namespaces.

    nsenter execs the command (no fork without a PID namespace), so a pid file
    records the daemon itself.
    """

    net: Path
    mount: Path
    workdir: Path

    def argv(self) -> list[str]:
        return [NSENTER, f"--net={self.net}", f"--mount={self.mount}", f"--wd={self.workdir}", "--"]

    def net_argv(self) -> list[str]:
        """Only the network namespace: for ip, iptables and sysctls."""
        return [NSENTER, f"--net={self.net}", "--"]

    def mount_argv(self) -> list[str]:
        """Only the mount namespace: for mount and umount."""
        return [NSENTER, f"--mount={self.mount}", "--"]


def namespace_entry(cluster: LabPaths, node: Node) -> NamespaceEntry | None:
    """None for the control plane, which runs in the host's namespaces."""
    if not node.is_worker:
        return None
    return NamespaceEntry(netns_file(node), mount_namespace_file(cluster, node), node_paths(cluster, node).state)


def node_volumes_dir(cluster: LabPaths, node_name: str, addressing: Addressing = LAB_ADDRESSING) -> Path:
    """Where, seen from the host, a node's pods find what they see as /opt/local-path-provisioner."""
    if worker_index(node_name, addressing) is None:
        return cluster.volumes
    return worker_paths(cluster, node_name).volumes


LAYOUT_FILE = "layout.json"


def layout_record(plan: NodePlan, cluster: LabPaths) -> dict[str, Any]:
    """What `up` records in the state: the worker count and every node's addresses and state."""
    return {
        "workers": len(plan.workers),
        "nodes": [
            {
                "name": node.name,
                "role": node.role,
                "ip": node.ip,
                "pod_cidr": node.pod_cidr,
                "state": str(node_paths(cluster, node).state),
            }
            for node in plan.nodes
        ],
    }


def recorded_worker_count(record: object) -> int | None:
    """The worker count of a layout record, None when the record is missing or not one."""
    if not isinstance(record, dict):
        return None
    count = record.get("workers")
    if isinstance(count, int) and not isinstance(count, bool) and 0 <= count <= topology.MAX_WORKERS:
        return count
    return None

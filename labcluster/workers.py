"""Worker nodes on this machine: preparing, stopping and removing one, and the recorded layout.

- `prepare`: a worker's namespaces and cgroup root (namespaces.py), its PKI
  (kubelet client and serving certificates from the cluster CA), kubeconfigs and
  configs under $STATE/nodes/<name>; returns the fingerprint its daemons start from.
- `stop`: kube-proxy, kubelet, the containers (through containerd, then whatever
  is left in the worker's pod cgroups) and containerd: a crashed node. Its
  namespaces, state, images and volumes stay.
- `remove`: stop, then its namespaces, cgroup root and state go.
- The layout `up` records in $STATE/layout.json, and every worker this machine
  still has traces of (layout, state directories, namespaces), for `down`/`reset`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import namespaces, topology
from .certs import Pki, node_cert_plan
from .components import worker_specs
from .configs import worker_configs
from .daemons import Say, generation_fingerprint, stop_node
from .files import write_if_changed, write_private
from .kubeconfig import render_kubeconfig
from .mounts import is_mounted, remove_tree
from .nodes import (
    LAYOUT_FILE,
    NETNS_DIR,
    Node,
    NodePlan,
    layout_record,
    mount_namespace_dir,
    mount_namespace_file,
    netns_file,
    node_paths,
    node_plan,
    recorded_worker_count,
    worker_index,
)
from .paths import LabPaths


def _write_kubeconfigs(cluster: LabPaths, node: Node) -> None:
    own = node_paths(cluster, node)
    own.kubeconfigs.mkdir(mode=0o700, parents=True, exist_ok=True)
    ca = (cluster.pki / "ca.crt").read_bytes()
    # The worker's own kubelet identity; kube-proxy shares the cluster's.
    identities = {"kubelet": own.pki / "kubelet-client", "kube-proxy": cluster.pki / "kube-proxy"}
    for user, stem in identities.items():
        text = render_kubeconfig(
            server=topology.APISERVER_URL,
            ca_pem=ca,
            user=user,
            client_cert_pem=stem.with_suffix(".crt").read_bytes(),
            client_key_pem=stem.with_suffix(".key").read_bytes(),
        )
        write_private(own.kubeconfigs / f"{user}.kubeconfig", text)


def _prepare_dirs(own: LabPaths) -> None:
    for directory in (own.state, own.logs, own.pids, own.config, own.pod_logs, own.volumes, own.runtime):
        directory.mkdir(parents=True, exist_ok=True)


def namespaces_alive(cluster: LabPaths, node: Node) -> bool:
    return is_mounted(netns_file(node), "nsfs") and is_mounted(mount_namespace_file(cluster, node), "nsfs")


def prepare(cluster: LabPaths, plan: NodePlan, node: Node, say: Say) -> str:
    """Everything a worker's daemons need before they start; returns their fingerprint."""
    own = node_paths(cluster, node)
    if not namespaces_alive(cluster, node):
        # Daemons still running in a namespace nobody can enter again must not
        # outlive it unnoticed: stop them, they start again inside the new one.
        stop_node(own, worker_specs(cluster, node), say)
    _prepare_dirs(own)
    namespaces.ensure_network(cluster, plan, node)
    namespaces.ensure_mount_namespace(cluster, node)
    namespaces.ensure_cgroup_root(node)
    pki = Pki(own.pki, node_cert_plan(node), issuers=cluster.pki)
    issued = pki.ensure()
    if issued:
        say(f"issued certificates of {node.name}: {', '.join(issued)}")
    _write_kubeconfigs(cluster, node)
    for path, text in worker_configs(cluster, node).items():
        write_if_changed(path, text)
    return generation_fingerprint(own)


def stop(cluster: LabPaths, node: Node, say: Say) -> None:
    """The worker's daemons and containers, as if the node had crashed; everything else stays."""
    stop_node(node_paths(cluster, node), worker_specs(cluster, node), say)
    namespaces.kill_pods(node)


def remove(cluster: LabPaths, node: Node, say: Say) -> None:
    """Stops the worker and deletes its namespaces, cgroup root and state (`up` deletes its
    Node object once the apiserver answers)."""
    stop(cluster, node, say)
    namespaces.release_mount_namespace(cluster, node)
    namespaces.kill_all(namespaces.pids_in_namespace(netns_file(node), "net"), f"the network of {node.name}")
    namespaces.remove_network(node)
    namespaces.remove_cgroup_root(node)
    own = node_paths(cluster, node)
    for directory in (own.state, own.runtime):
        remove_tree(directory)
    say(f"removed worker {node.name}")


def read_layout(cluster: LabPaths) -> dict[str, Any] | None:
    try:
        record = json.loads((cluster.state / LAYOUT_FILE).read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def write_layout(cluster: LabPaths, plan: NodePlan) -> None:
    write_if_changed(cluster.state / LAYOUT_FILE, json.dumps(layout_record(plan, cluster), indent=2) + "\n")


def recorded_plan(cluster: LabPaths) -> NodePlan:
    """The layout of the last `up`; a state from before workers existed has none."""
    return node_plan(recorded_worker_count(read_layout(cluster)) or 0)


def _names_in(directory: Path) -> set[str]:
    return {entry.name for entry in directory.iterdir()} if directory.is_dir() else set()


def known_workers(cluster: LabPaths) -> list[Node]:
    """Every worker with a trace on this machine: recorded, with a state directory or a namespace."""
    names = _names_in(cluster.state / "nodes") | _names_in(NETNS_DIR) | _names_in(mount_namespace_dir(cluster))
    indexes = {w.worker_index for w in recorded_plan(cluster).workers}
    indexes |= {index for index in map(worker_index, names) if index is not None}
    every = node_plan(topology.MAX_WORKERS).workers
    return [w for w in every if w.worker_index in indexes]

"""`status` and `nodes`: every node's daemons up or down with their logs and memory, and the cluster checks.

A component is "up" (running and its probe answers), "unhealthy" (running, probe
fails), "died" (its pid file is there but the process is gone: the tail of its log
is shown) or "stopped" (cleanly stopped by `down` or `node stop`, or never started).
The nodes are those of the last `up` (the layout in the state).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import topology, workers
from .components import ComponentSpec, component_specs, worker_specs
from .health import check
from .memory import kubepods_stat, mib, pods_rss_bytes, rss_bytes, shim_pids
from .nodes import Node, NodePlan, node_paths
from .paths import LabPaths
from .processes import running_pid, tail
from .readiness import dns_answers, node_conditions


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    state: str
    pid: int | None
    detail: str
    log: str


@dataclass(frozen=True)
class NodeStatus:
    """One node of the plan, where its files are, and its daemons' states."""

    node: Node
    paths: LabPaths
    components: list[ComponentStatus]

    @property
    def up_count(self) -> int:
        return sum(c.state == "up" for c in self.components)


def specs_of(paths: LabPaths, node: Node) -> list[ComponentSpec]:
    return worker_specs(paths, node) if node.is_worker else component_specs(paths)


def component_statuses(paths: LabPaths, node: Node | None = None) -> list[ComponentStatus]:
    """The daemons of one node (the control plane's by default)."""
    plan_node = node or workers.recorded_plan(paths).control_plane
    own = node_paths(paths, plan_node)
    found = []
    for spec in specs_of(paths, plan_node):
        pid_file = own.pid_file(spec.name)
        log = str(own.log_file(spec.name))
        pid = running_pid(pid_file)
        if pid is None:
            state = "died" if pid_file.exists() else "stopped"
            found.append(ComponentStatus(spec.name, state, None, "", log))
            continue
        ready, seen = check(spec.probe, paths)
        found.append(ComponentStatus(spec.name, "up" if ready else "unhealthy", pid, seen, log))
    return found


def node_statuses(paths: LabPaths, plan: NodePlan) -> list[NodeStatus]:
    return [NodeStatus(node, node_paths(paths, node), component_statuses(paths, node)) for node in plan.nodes]


def _apiserver_up(statuses: list[NodeStatus]) -> bool:
    return any(c.name == "kube-apiserver" and c.state == "up" for s in statuses for c in s.components)


def _heading(status: NodeStatus) -> str:
    node = status.node
    where = f", state {status.paths.state}" if node.is_worker else ""
    return f"NODE {node.name} ({node.role}, {node.ip}, pods {node.pod_cidr}{where})"


def _memory_line(statuses: list[NodeStatus]) -> str:
    daemons = sum(rss_bytes(c.pid) for s in statuses for c in s.components if c.pid)
    shims = [pid for s in statuses for pid in shim_pids(s.paths)]
    shims_rss = sum(rss_bytes(pid) for pid in shims)
    pods = sum(pods_rss_bytes(kubepods_stat(s.node.cgroup_root)) for s in statuses)
    return (
        f"memory: daemons {mib(daemons)}, {len(shims)} containerd shims {mib(shims_rss)}, "
        f"pods {mib(pods)} (RSS; total {mib(daemons + shims_rss + pods)})"
    )


def report(paths: LabPaths) -> tuple[str, bool]:
    """The status text and whether the whole cluster is up and healthy."""
    plan = workers.recorded_plan(paths)
    statuses = node_statuses(paths, plan)
    lines = [f"lab cluster {topology.CLUSTER_NAME} (state: {paths.state}, {len(plan.workers)} workers)"]
    for status in statuses:
        lines += ["", _heading(status), f"{'COMPONENT':<26}{'STATE':<11}{'PID':<9}{'RSS':<10}LOG"]
        for c in status.components:
            rss = rss_bytes(c.pid) if c.pid else 0
            lines.append(f"{c.name:<26}{c.state:<11}{c.pid or '-'!s:<9}{mib(rss) if rss else '-':<10}{c.log}")
    healthy = all(c.state == "up" for s in statuses for c in s.components)
    api_up = _apiserver_up(statuses)
    lines.append("")
    if api_up:
        conditions = node_conditions(paths) or {}
        for node in plan.nodes:
            ready, detail = conditions.get(node.name, (False, "not registered"))
            lines.append(f"{'node ' + node.name:<26}{_ready_word(ready):<11}{detail}")
            healthy = healthy and ready
        answers, seen = dns_answers()
        lines.append(f"{'CoreDNS ' + topology.DNS_SERVICE_IP:<26}{'answering' if answers else 'silent':<11}{seen}")
        lines.append(f"{'CoreDNS pod logs':<26}{'':<11}{paths.pod_logs}")
        healthy = healthy and answers
    else:
        lines.append("nodes and CoreDNS: not checked (the apiserver is not up)")
    lines.append(_memory_line(statuses))
    for status in statuses:
        for c in status.components:
            if c.state in ("died", "unhealthy"):
                detail = f" ({c.detail})" if c.detail else ""
                lines += ["", f"--- {status.node.name} {c.name} {c.state}{detail}; last lines of {c.log}:"]
                lines.append(tail(status.paths.log_file(c.name), 15))
    lines.append("")
    lines.append(f"kubeconfig: {paths.admin_kubeconfig} (context {topology.CONTEXT_NAME})")
    if not healthy:
        lines.append("to start or repair it: make cluster-up (a stopped worker: python -m labcluster node start NAME)")
    return "\n".join(lines), healthy


def _ready_word(ready: bool) -> str:
    return "Ready" if ready else "NotReady"


def nodes_table(paths: LabPaths) -> str:
    """One line per node: role, address, pod CIDR, daemons up, Ready, network namespace, state."""
    plan = workers.recorded_plan(paths)
    statuses = node_statuses(paths, plan)
    conditions = node_conditions(paths) if _apiserver_up(statuses) else None
    header = f"{'NAME':<14}{'ROLE':<15}{'IP':<13}{'POD CIDR':<16}{'DAEMONS':<10}{'READY':<10}{'NETNS':<14}STATE"
    lines = [header]
    for status in statuses:
        node = status.node
        ready = "?" if conditions is None else _ready_word(conditions.get(node.name, (False, ""))[0])
        daemons = f"{status.up_count}/{len(status.components)} up"
        netns = node.netns or "(host)"
        lines.append(
            f"{node.name:<14}{node.role:<15}{node.ip:<13}{node.pod_cidr:<16}{daemons:<10}{ready:<10}{netns:<14}"
            f"{status.paths.state}"
        )
    return "\n".join(lines)

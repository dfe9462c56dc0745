"""`status`: each component up or down with its log and memory, and the cluster-level checks.

A component is "up" (running and its probe answers), "unhealthy" (running, probe
fails), "died" (its pid file is there but the process is gone: the tail of its log
is shown) or "stopped" (cleanly stopped by `down`, or never started).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import topology
from .components import component_specs
from .health import check
from .memory import mib, pods_rss_bytes, rss_bytes, shim_pids
from .paths import LabPaths
from .processes import running_pid, tail
from .readiness import dns_answers, node_ready


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    state: str
    pid: int | None
    detail: str
    log: str


def component_statuses(paths: LabPaths) -> list[ComponentStatus]:
    found = []
    for spec in component_specs(paths):
        pid_file = paths.pid_file(spec.name)
        log = str(paths.log_file(spec.name))
        pid = running_pid(pid_file)
        if pid is None:
            state = "died" if pid_file.exists() else "stopped"
            found.append(ComponentStatus(spec.name, state, None, "", log))
            continue
        ready, seen = check(spec.probe, paths)
        found.append(ComponentStatus(spec.name, "up" if ready else "unhealthy", pid, seen, log))
    return found


def report(paths: LabPaths) -> tuple[str, bool]:
    """The status text and whether the whole cluster is up and healthy."""
    statuses = component_statuses(paths)
    lines = [f"lab cluster {topology.CLUSTER_NAME} (state: {paths.state})", ""]
    lines.append(f"{'COMPONENT':<26}{'STATE':<11}{'PID':<9}{'RSS':<10}LOG")
    daemons_rss = 0
    for s in statuses:
        rss = rss_bytes(s.pid) if s.pid else 0
        daemons_rss += rss
        lines.append(f"{s.name:<26}{s.state:<11}{s.pid or '-'!s:<9}{mib(rss) if rss else '-':<10}{s.log}")
    healthy = all(s.state == "up" for s in statuses)
    api_up = any(s.name == "kube-apiserver" and s.state == "up" for s in statuses)
    lines.append("")
    if api_up:
        ready, detail = node_ready(paths)
        lines.append(f"{'node ' + topology.NODE_NAME:<26}{'Ready' if ready else 'NotReady':<11}{detail}")
        answers, seen = dns_answers()
        state = "answering" if answers else "silent"
        lines.append(f"{'CoreDNS ' + topology.DNS_SERVICE_IP:<26}{state:<11}{seen}")
        lines.append(f"{'CoreDNS pod logs':<26}{'':<11}{paths.pod_logs}")
        healthy = healthy and ready and answers
    else:
        lines.append("node and CoreDNS: not checked (the apiserver is not up)")
    shims = shim_pids(paths)
    shims_rss = sum(rss_bytes(pid) for pid in shims)
    pods_rss = pods_rss_bytes()
    lines.append(
        f"memory: daemons {mib(daemons_rss)}, {len(shims)} containerd shims {mib(shims_rss)}, "
        f"pods {mib(pods_rss)} (RSS; total {mib(daemons_rss + shims_rss + pods_rss)})"
    )
    for s in statuses:
        if s.state in ("died", "unhealthy"):
            lines.append("")
            detail = f" ({s.detail})" if s.detail else ""
            lines.append(f"--- {s.name} {s.state}{detail}; last lines of {s.log}:")
            lines.append(tail(paths.log_file(s.name), 15))
    lines.append("")
    lines.append(f"kubeconfig: {paths.admin_kubeconfig} (context {topology.CONTEXT_NAME})")
    if not healthy:
        lines.append("to start or repair it: make cluster-up")
    return "\n".join(lines), healthy

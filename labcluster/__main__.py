"""Command line: python -m labcluster up|ensure|down|status|nodes|reset|kubeconfig, node stop|start NAME.

`up` starts the control plane and STATEFULSET_LAB_WORKERS workers (0..3; unset: the
count of the last `up`, else 2), and starts any of them that is stopped.
`ensure` (what `make up`, `make demo` and `make report` run) does the same only
when the cluster is entirely down; otherwise it changes nothing and names
each stopped worker in one line, so that an experiment's stopped node stays
stopped.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from . import cluster, status, topology
from .daemons import Say
from .errors import LabError
from .paths import LabPaths


def _say_with_clock() -> Say:
    started = time.monotonic()

    def say(message: str) -> None:
        print(f"labcluster [{time.monotonic() - started:5.1f}s] {message}", flush=True)

    return say


def _up(paths: LabPaths) -> int:
    report = cluster.up(paths, _say_with_clock())
    timings = ", ".join(f"{k} {v}s" for k, v in report.timings.items())
    state = f"started {', '.join(report.started)}" if report.started else "was already running"
    nodes = ", ".join(node.name for node in report.plan.nodes)
    print(
        f"\nlab cluster {topology.CLUSTER_NAME} is up ({state}): nodes {nodes} Ready, "
        f"CoreDNS answering at {topology.DNS_SERVICE_IP}\n"
        f"  apiserver   {topology.APISERVER_URL}\n"
        f"  kubeconfig  {paths.admin_kubeconfig} (context {topology.CONTEXT_NAME}, mode 0600)\n"
        f"              export KUBECONFIG={paths.admin_kubeconfig}\n"
        f"  logs        {paths.logs} (a worker's: {paths.state / 'nodes'}/<name>/logs)\n"
        f"  timings     {timings} (seconds since `up` began)"
    )
    return 0


def _ensure(paths: LabPaths) -> int:
    report, stopped = cluster.ensure(paths, _say_with_clock())
    if report is not None:
        nodes = ", ".join(node.name for node in report.plan.nodes)
        print(f"lab cluster {topology.CLUSTER_NAME} started: nodes {nodes} Ready")
    for name in stopped:
        print(
            f"labcluster: worker {name} is stopped and stays so (`make node-start NODE={name}` starts it)",
            file=sys.stderr,
        )
    return 0


def _down(paths: LabPaths) -> int:
    cluster.down(paths, _say_with_clock())
    print(f"lab cluster stopped; state kept in {paths.state} (`make cluster-up` resumes it)")
    return 0


def _reset(paths: LabPaths) -> int:
    cluster.reset(paths, _say_with_clock())
    print("lab cluster reset: state, volumes and network setup removed (image cache kept)")
    return 0


def _status(paths: LabPaths) -> int:
    text, healthy = status.report(paths)
    print(text)
    return 0 if healthy else 1


def _nodes(paths: LabPaths) -> int:
    print(status.nodes_table(paths))
    return 0


def _node(paths: LabPaths, action: str, name: str) -> int:
    say = _say_with_clock()
    if action == "stop":
        cluster.stop_worker(paths, name, say)
        print(f"worker {name} stopped (kubelet, kube-proxy, containers, containerd); state kept")
        print(f"the node turns NotReady within {topology.NODE_MONITOR_GRACE_SECONDS}s")
    else:
        started = cluster.start_worker(paths, name, say)
        what = f"started {', '.join(started)}" if started else "was already running"
        print(f"worker {name} is Ready ({what})")
    return 0


def _kubeconfig(paths: LabPaths) -> int:
    if not paths.admin_kubeconfig.exists():
        raise LabError(f"{paths.admin_kubeconfig} does not exist yet", "run `make cluster-up`")
    print(paths.admin_kubeconfig)
    return 0


COMMANDS = {
    "up": (_up, "start the cluster (idempotent); returns when every node is Ready and DNS answers"),
    "ensure": (_ensure, "start the cluster only if it is entirely down; name stopped workers, start none"),
    "down": (_down, "stop every component and container, keeping state"),
    "status": (_status, "show every node's components and logs, the nodes and CoreDNS"),
    "nodes": (_nodes, "list the nodes: role, address, pod CIDR, daemons, readiness, state directory"),
    "reset": (_reset, "stop and delete all state, PV directories and network setup"),
    "kubeconfig": (_kubeconfig, "print the admin kubeconfig path"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labcluster", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text)
    node = sub.add_parser("node", help="stop a worker as if it crashed, or start it again (state kept)")
    node.add_argument("action", choices=("stop", "start"))
    node.add_argument("name", help="a worker, e.g. lab-worker-0 (see `nodes`)")
    args = parser.parse_args(argv)
    paths = LabPaths.from_env()
    try:
        if args.command == "node":
            return _node(paths, args.action, args.name)
        return COMMANDS[args.command][0](paths)
    except LabError as err:
        print(err.render(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("labcluster: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as other CLIs do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())

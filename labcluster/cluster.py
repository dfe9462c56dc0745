"""The lab cluster's lifecycle: `up`, `down`, `reset`, and stopping or starting one worker.

`up` is idempotent: it chooses the worker count (STATEFULSET_LAB_WORKERS, else the
last `up`'s, else 2) and records the layout, removes workers beyond that count,
(re)writes every node's PKI, kubeconfigs, configs and namespaces, restarts only the
daemons that are not running or were started from other files, imports only
missing images into each node's containerd, applies the add-ons and the
control-plane node's role, and returns once every node is Ready and CoreDNS
answers. `down` stops every node's daemons and containers but keeps all state, the
workers' namespaces included; `reset` also deletes the state, the workers'
namespaces and cgroups, the PV directories and the host network setup.
`stop_worker` stops one worker as if it had crashed; `start_worker` brings it back.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from . import addons, images, kubectl, network, topology, workers
from .certs import Pki
from .components import ComponentSpec, component_specs, worker_specs
from .configs import rendered_configs
from .daemons import Say, Starter, generation_fingerprint, restart_outdated, stop_node
from .errors import LabError
from .files import write_if_changed, write_private
from .kubeconfig import render_kubeconfig
from .mounts import remove_tree
from .nodes import Node, NodePlan, chosen_worker_count, namespace_entry, node_paths, node_plan, recorded_worker_count
from .paths import LabPaths
from .preflight import require_binaries, require_free_ports, require_root
from .processes import running_pid, tail
from .readiness import dns_answers, dns_diagnosis, node_ready, nodes_ready, wait_for

STATE_MARKER = ".statefulset-lab-state"
# Client identities with a kubeconfig of their own: file name -> certificate name.
KUBECONFIG_CERTS = {
    "kube-controller-manager": "kube-controller-manager",
    "kube-scheduler": "kube-scheduler",
    "kubelet": "kubelet-client",
    "kube-proxy": "kube-proxy",
}


@contextmanager
def state_lock(paths: LabPaths, say: Say, timeout: float = 600) -> Iterator[None]:
    """One lifecycle command at a time per state directory; a second one waits its turn."""
    paths.state.mkdir(parents=True, exist_ok=True)
    with open(paths.state / "lock", "w") as lock:
        deadline = time.monotonic() + timeout
        waiting = False
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as err:
                if time.monotonic() > deadline:
                    raise LabError(
                        f"another labcluster command has held {paths.state / 'lock'} for {timeout:.0f}s",
                        "wait for it to finish (or stop it), then retry",
                    ) from err
                if not waiting:
                    say("waiting for another labcluster command on this state directory")
                    waiting = True
                time.sleep(0.5)
        yield


def _prepare_dirs(paths: LabPaths) -> None:
    for directory in (paths.state, paths.logs, paths.pids, paths.config):
        directory.mkdir(parents=True, exist_ok=True)
    paths.kubeconfigs.mkdir(mode=0o700, exist_ok=True)
    paths.kubeconfigs.chmod(0o700)
    (paths.state / STATE_MARKER).touch()
    paths.etcd_data.mkdir(mode=0o700, exist_ok=True)
    paths.etcd_data.chmod(0o700)
    paths.volumes.mkdir(parents=True, exist_ok=True)
    paths.pod_logs.mkdir(parents=True, exist_ok=True)


def write_kubeconfigs(paths: LabPaths, pki: Pki) -> None:
    ca = pki.cert("ca").read_bytes()

    def render(cert: str, user: str) -> str:
        return render_kubeconfig(
            server=topology.APISERVER_URL,
            ca_pem=ca,
            user=user,
            client_cert_pem=pki.cert(cert).read_bytes(),
            client_key_pem=pki.key(cert).read_bytes(),
        )

    write_private(paths.admin_kubeconfig, render("admin", topology.ADMIN_USER))
    for name, cert in KUBECONFIG_CERTS.items():
        write_private(paths.kubeconfigs / f"{name}.kubeconfig", render(cert, name))


def write_configs(paths: LabPaths) -> None:
    for path, text in rendered_configs(paths).items():
        write_if_changed(path, text)


@dataclass(frozen=True)
class UpReport:
    """What `up` did: the daemons it started, when each milestone was reached, the nodes."""

    started: list[str]
    timings: dict[str, float]
    plan: NodePlan


@dataclass(frozen=True)
class NodeRun:
    """One node's daemons as `up` starts them: its paths, specs and file fingerprint."""

    node: Node
    paths: LabPaths
    specs: list[ComponentSpec]
    generation: str

    def pick(self, *names: str) -> list[ComponentSpec]:
        by_name = {spec.name: spec for spec in self.specs}
        return [by_name[name] for name in names]


def choose_plan(paths: LabPaths) -> NodePlan:
    """The nodes of this `up`: the variable's worker count, else the last `up`'s, else the default."""
    return node_plan(chosen_worker_count(os.environ, recorded_worker_count(workers.read_layout(paths))))


def _prepare(paths: LabPaths, plan: NodePlan, say: Say) -> str:
    """Directories, host network, PKI, kubeconfigs and configs; returns their fingerprint."""
    _prepare_dirs(paths)
    network.setup(plan)
    pki = Pki(paths.pki)
    issued = pki.ensure()
    if issued:
        say(f"issued certificates: {', '.join(issued)}")
    write_kubeconfigs(paths, pki)
    write_configs(paths)
    return generation_fingerprint(paths)


def _tagged(say: Say, node: Node) -> Say:
    if not node.is_worker:
        return say
    return lambda message: say(f"{node.name}: {message}")


def apply_control_plane_role(paths: LabPaths, has_workers: bool, attempts: int = 5) -> None:
    """Label and taint the control-plane node when there are workers, untaint it when not.

    The patch names the Node's resourceVersion; on a conflict (the node controller
    changed the taints meanwhile) it is computed again from the new Node.
    """
    for _ in range(attempts):
        node = kubectl.kubectl_json(paths, "get", "node", topology.NODE_NAME)
        if node is None:
            raise LabError(f"cannot read node {topology.NODE_NAME}", f"see {paths.log_file('kube-apiserver')}")
        patch = addons.role_patch(node, has_workers)
        if patch is None:
            return
        done = kubectl.kubectl(paths, "patch", "node", topology.NODE_NAME, "--type=merge", "-p", json.dumps(patch))
        if done.returncode == 0:
            return
        if "the object has been modified" not in done.stderr:
            raise LabError(f"patching node {topology.NODE_NAME} failed", "", done.stderr)
    raise LabError(f"node {topology.NODE_NAME} kept changing while its role was applied", "run `make cluster-up` again")


def _wait_for_workloads(paths: LabPaths, plan: NodePlan, mark: Callable[[str], None]) -> None:
    """Every node Ready, the control plane's role, then CoreDNS answering through its Service."""
    names = [node.name for node in plan.nodes]
    kubelet_logs = [str(node_paths(paths, node).log_file("kubelet")) for node in plan.nodes]
    try:
        wait_for("every node Ready", lambda: nodes_ready(paths, names), 120)
        mark("nodes_ready")
        apply_control_plane_role(paths, bool(plan.workers))
        wait_for("CoreDNS answering", dns_answers, 180)
        mark("coredns_answering")
    except LabError as err:
        err.fix = f"read the kubelet logs ({', '.join(kubelet_logs)}) and the CoreDNS pod's log under {paths.pod_logs}"
        err.details = dns_diagnosis(paths) + "\n--- kubelet log:\n" + tail(paths.log_file("kubelet"), 15)
        raise


def _delete_absent_nodes(paths: LabPaths, plan: NodePlan) -> None:
    """Node objects of workers the plan no longer has (their kubelets are stopped)."""
    present = {w.name for w in plan.workers}
    absent = [w.name for w in node_plan(topology.MAX_WORKERS).workers if w.name not in present]
    kubectl.kubectl(paths, "delete", "node", *absent, "--ignore-not-found", "--wait=false")


def _prepare_nodes(paths: LabPaths, plan: NodePlan, say: Say) -> list[NodeRun]:
    """Records the layout, removes workers beyond it, prepares every node and stops its
    outdated daemons; the control plane's run comes first."""
    leaving = [w for w in workers.known_workers(paths) if w not in plan.workers]
    _prepare_dirs(paths)
    workers.write_layout(paths, plan)
    for node in leaving:
        workers.remove(paths, node, say)
    control = NodeRun(plan.control_plane, paths, component_specs(paths), _prepare(paths, plan, say))
    runs = [control] + [
        NodeRun(node, node_paths(paths, node), worker_specs(paths, node), workers.prepare(paths, plan, node, say))
        for node in plan.workers
    ]
    for run in runs:
        restart_outdated(run.paths, run.specs, run.generation, say)
    if all(running_pid(run.paths.pid_file(s.name)) is not None for run in runs for s in run.specs):
        say("already running: every component is up")
    # A worker's ports are in its own network namespace, which holds nothing else.
    require_free_ports([s for s in control.specs if running_pid(paths.pid_file(s.name)) is None])
    return runs


def _start_daemons(
    paths: LabPaths, plan: NodePlan, runs: list[NodeRun], say: Say, mark: Callable[[str], None]
) -> list[str]:
    """etcd and every containerd first; then the image imports run while the apiserver
    starts; the kubelets, which need the images, start last. Returns what was started."""
    bundles = images.lab_bundles(paths)
    for bundle in bundles:
        images.ensure_archive(paths, bundle, say)
    control, others = runs[0], runs[1:]
    starters = {run.node.name: Starter(run.paths, say, run.generation) for run in runs}
    control_starter = starters[control.node.name]
    control_starter.start_and_wait(control.pick("etcd", "containerd"))
    for run in others:
        starters[run.node.name].start_and_wait(run.pick("containerd"))
    with ThreadPoolExecutor(max_workers=len(runs)) as pool:
        importing: list[tuple[Node, Future[list[str]]]] = [
            (run.node, pool.submit(images.import_missing, run.paths, bundles, _tagged(say, run.node))) for run in runs
        ]
        control_starter.start_and_wait(control.pick("kube-apiserver"))
        mark("apiserver_ready")
        kubectl.apply(paths, addons.lab_addons(bool(plan.workers)), "the lab add-ons (CoreDNS, RBAC)")
        _delete_absent_nodes(paths, plan)
        apiserver_clients = ("kube-controller-manager", "kube-scheduler", "kube-proxy")
        for spec in control.pick(*apiserver_clients):
            control_starter.start(spec)
        for node, future in importing:
            imported = future.result()
            if imported:
                say(f"imported images into {node.name}: {', '.join(imported)}")
    mark("images_imported")
    control_starter.start_and_wait(control.pick(*apiserver_clients, "kubelet"))
    for run in others:
        for spec in run.pick("kubelet", "kube-proxy"):
            starters[run.node.name].start(spec)
    for run in others:
        for spec in run.pick("kubelet", "kube-proxy"):
            starters[run.node.name].wait_ready(spec)
    return [label for starter in starters.values() for label in starter.children]


def up(paths: LabPaths, say: Say) -> UpReport:
    """Brings the cluster up (idempotent); returns what it started and its timings."""
    t0 = time.monotonic()
    timings: dict[str, float] = {}

    def mark(milestone: str) -> None:
        timings[milestone] = round(time.monotonic() - t0, 1)

    # A bad STATEFULSET_LAB_WORKERS fails before anything else is looked at.
    plan = choose_plan(paths)
    require_root()
    require_binaries(paths)
    with state_lock(paths, say):
        runs = _prepare_nodes(paths, plan, say)
        started = _start_daemons(paths, plan, runs, say, mark)
        _wait_for_workloads(paths, plan, mark)
        if started:
            record = {"started": started, "seconds_since_up": timings, "workers": len(plan.workers)}
            (paths.logs / "last-up.json").write_text(json.dumps(record, indent=2) + "\n")
        return UpReport(started, timings, plan)


def _guard_prefix(paths: LabPaths, node: Node) -> list[str]:
    entry = namespace_entry(paths, node)
    return entry.net_argv() if entry else []


def _stop_everything(paths: LabPaths, say: Say) -> None:
    """The workers first, then the control plane's daemons in reverse start order."""
    for node in reversed(workers.known_workers(paths)):
        workers.stop(paths, node, say)
    stop_node(paths, component_specs(paths), say)


def down(paths: LabPaths, say: Say) -> None:
    """Stops every daemon and container; state, namespaces, images and volumes stay."""
    require_root()
    with state_lock(paths, say):
        _stop_everything(paths, say)


def reset(paths: LabPaths, say: Say) -> None:
    """Stops the cluster and deletes its state, workers, PV directories and network setup."""
    require_root()
    if paths.state.exists() and any(paths.state.iterdir()) and not (paths.state / STATE_MARKER).exists():
        raise LabError(
            f"{paths.state} does not look like a lab state directory (no {STATE_MARKER})",
            "point STATEFULSET_LAB_STATE at the lab's state directory",
        )
    with state_lock(paths, say):
        for node in reversed(workers.known_workers(paths)):
            workers.remove(paths, node, say)
        stop_node(paths, component_specs(paths), say)
        kube_proxy = paths.toolchain_bin / "kube-proxy"
        if kube_proxy.exists():
            subprocess.run([str(kube_proxy), "--cleanup"], capture_output=True, check=False, timeout=60)
        network.teardown(node_plan(topology.MAX_WORKERS))
        # The lock file goes with the state directory; holding it until then keeps
        # an `up` from starting half-way through.
        for directory in (paths.state, paths.runtime):
            remove_tree(directory)
            say(f"deleted {directory}")
        if paths.volumes.is_dir():
            for volume in sorted(paths.volumes.iterdir()):
                if volume.is_dir() and not volume.is_symlink():
                    remove_tree(volume)
                else:
                    volume.unlink()
            say(f"emptied {paths.volumes}")


def stopped_workers(paths: LabPaths) -> list[str]:
    """Workers of the recorded layout whose kubelet is not running (stopped by `node stop`, or died)."""
    plan = workers.recorded_plan(paths)
    return [n.name for n in plan.workers if running_pid(node_paths(paths, n).pid_file("kubelet")) is None]


def is_down(paths: LabPaths) -> bool:
    """No lab cluster runs: never started, stopped with `down`, or the machine rebooted."""
    return not (paths.state / STATE_MARKER).exists() or running_pid(paths.pid_file("kube-apiserver")) is None


def ensure(paths: LabPaths, say: Say) -> tuple[UpReport | None, list[str]]:
    """Starts the cluster when it is entirely down, else leaves it as it is: a
    stopped worker stays stopped (an experiment may have stopped it). Returns
    the `up` report (None when nothing was started) and the stopped workers."""
    if is_down(paths):
        return up(paths, say), []
    return None, stopped_workers(paths)


def stop_worker(paths: LabPaths, name: str, say: Say) -> None:
    """Stops one worker's kubelet, kube-proxy, containers and containerd, as a crash would."""
    require_root()
    with state_lock(paths, say):
        node = workers.recorded_plan(paths).worker(name)
        workers.stop(paths, node, say)


def start_worker(paths: LabPaths, name: str, say: Say) -> list[str]:
    """Starts one worker again (idempotent) and waits until its node is Ready; returns what it started."""
    require_root()
    workers.recorded_plan(paths).worker(name)
    require_binaries(paths)
    with state_lock(paths, say):
        plan = workers.recorded_plan(paths)
        node = plan.worker(name)
        if running_pid(paths.pid_file("kube-apiserver")) is None:
            raise LabError("the control plane is not running", "run `make cluster-up` (it starts every worker too)")
        own = node_paths(paths, node)
        run = NodeRun(node, own, worker_specs(paths, node), workers.prepare(paths, plan, node, say))
        restart_outdated(own, run.specs, run.generation, say)
        starter = Starter(own, say, run.generation)
        starter.start_and_wait(run.pick("containerd"))
        bundles = images.lab_bundles(paths)
        imported = images.import_missing(own, bundles, _tagged(say, node))
        if imported:
            say(f"imported images into {node.name}: {', '.join(imported)}")
        starter.start_and_wait(run.pick("kubelet", "kube-proxy"))
        network.ensure_egress_guard(plan, _guard_prefix(paths, node))
        try:
            wait_for(f"node {name} Ready", lambda: node_ready(paths, name), 120)
        except LabError as err:
            err.fix = f"read {own.log_file('kubelet')}"
            err.details = tail(own.log_file("kubelet"), 15)
            raise
        return list(starter.children)

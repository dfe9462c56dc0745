"""The lab cluster's lifecycle: `up`, `down` and `reset`.

`up` is idempotent: it (re)writes the PKI, kubeconfigs and configs, restarts only
the daemons that are not running or were started from other files, imports only
missing images, applies the add-ons, and returns once the node is Ready and
CoreDNS answers. `down` stops the daemons and every container but keeps all state;
`reset` also deletes the state, the PV directories and the host network setup.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from . import addons, images, kubectl, network, topology
from .certs import Pki
from .components import component_specs
from .configs import rendered_configs
from .daemons import Say, Starter, generation_fingerprint, restart_outdated
from .errors import LabError
from .files import write_if_changed, write_private
from .kubeconfig import render_kubeconfig
from .mounts import remove_tree
from .paths import LabPaths
from .preflight import require_binaries, require_free_ports, require_root
from .processes import running_pid, stop_daemon, tail
from .readiness import dns_answers, dns_diagnosis, node_ready, wait_for

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
    """What `up` did: the daemons it started and when each milestone was reached."""

    started: list[str]
    timings: dict[str, float]


def _prepare(paths: LabPaths, say: Say) -> str:
    """Directories, host network, PKI, kubeconfigs and configs; returns their fingerprint."""
    _prepare_dirs(paths)
    network.setup()
    pki = Pki(paths.pki)
    issued = pki.ensure()
    if issued:
        say(f"issued certificates: {', '.join(issued)}")
    write_kubeconfigs(paths, pki)
    write_configs(paths)
    return generation_fingerprint(paths)


def _wait_for_workloads(paths: LabPaths, mark: Callable[[str], None]) -> None:
    """The node Ready, then CoreDNS answering through its Service, or a diagnosis."""
    try:
        wait_for("node Ready", lambda: node_ready(paths), 120)
        mark("node_ready")
        wait_for("CoreDNS answering", dns_answers, 180)
        mark("coredns_answering")
    except LabError as err:
        err.fix = f"read {paths.log_file('kubelet')} and the CoreDNS pod's log under {paths.pod_logs}"
        err.details = dns_diagnosis(paths) + "\n--- kubelet log:\n" + tail(paths.log_file("kubelet"), 15)
        raise


def up(paths: LabPaths, say: Say) -> UpReport:
    """Brings the cluster up (idempotent); returns what it started and its timings."""
    t0 = time.monotonic()
    timings: dict[str, float] = {}

    def mark(milestone: str) -> None:
        timings[milestone] = round(time.monotonic() - t0, 1)

    require_root()
    require_binaries(paths)
    with state_lock(paths, say):
        generation = _prepare(paths, say)
        specs = component_specs(paths)
        by_name = {spec.name: spec for spec in specs}
        restart_outdated(paths, specs, generation, say)
        to_start = [s for s in specs if running_pid(paths.pid_file(s.name)) is None]
        if not to_start:
            say("already running: every component is up")
        require_free_ports(to_start)
        bundles = images.lab_bundles(paths)
        for bundle in bundles:
            images.ensure_archive(paths, bundle, say)

        # etcd and containerd first; then the image import runs while the apiserver
        # starts; the kubelet, which needs the images, starts last.
        starter = Starter(paths, say, generation)
        starter.start_and_wait([by_name["etcd"], by_name["containerd"]])
        with ThreadPoolExecutor(max_workers=1) as pool:
            importing = pool.submit(images.import_missing, paths, bundles, say)
            starter.start_and_wait([by_name["kube-apiserver"]])
            mark("apiserver_ready")
            kubectl.apply(paths, addons.lab_addons(), "the lab add-ons (CoreDNS, RBAC)")
            apiserver_clients = ("kube-controller-manager", "kube-scheduler", "kube-proxy")
            for name in apiserver_clients:
                starter.start(by_name[name])
            imported = importing.result()
        if imported:
            say(f"imported images: {', '.join(imported)}")
        mark("images_imported")
        starter.start_and_wait([by_name[name] for name in (*apiserver_clients, "kubelet")])
        _wait_for_workloads(paths, mark)

        report = UpReport(list(starter.children), timings)
        if report.started:
            record = {"started": report.started, "seconds_since_up": timings}
            (paths.logs / "last-up.json").write_text(json.dumps(record, indent=2) + "\n")
        return report


def _stop_containers(paths: LabPaths, say: Say) -> None:
    """Kills every container containerd runs for Kubernetes (the kubelet is already down).

    containerd's CRI plugin deletes a task once it sees it exit; leftovers after a
    few seconds are force-deleted.
    """
    ctr = ["ctr", "--address", str(paths.containerd_socket), "-n", images.CONTAINERD_NAMESPACE, "tasks"]

    def running_tasks() -> list[str]:
        listed = subprocess.run([*ctr, "ls", "-q"], capture_output=True, text=True, check=False, timeout=30)
        return listed.stdout.split()

    tasks = running_tasks()
    if not tasks:
        return
    say(f"stopping {len(tasks)} containers")
    for task in tasks:
        subprocess.run([*ctr, "kill", "--all", "--signal", "SIGKILL", task], capture_output=True, check=False)
    deadline = time.monotonic() + 10
    while tasks and time.monotonic() < deadline:
        time.sleep(0.2)
        tasks = running_tasks()
    for task in tasks:
        subprocess.run([*ctr, "delete", "--force", task], capture_output=True, check=False, timeout=30)


def _stop_everything(paths: LabPaths, say: Say) -> None:
    """Daemons in reverse start order; the containers once the kubelet is gone."""
    for spec in reversed(component_specs(paths)):
        if spec.name == "containerd" and running_pid(paths.pid_file(spec.name)) is not None:
            _stop_containers(paths, say)
        if stop_daemon(paths.pid_file(spec.name)):
            say(f"stopped {spec.name}")


def down(paths: LabPaths, say: Say) -> None:
    """Stops every daemon and container; state, images and volumes stay."""
    require_root()
    with state_lock(paths, say):
        _stop_everything(paths, say)


def reset(paths: LabPaths, say: Say) -> None:
    """Stops the cluster and deletes its state, its PV directories and its network setup."""
    require_root()
    if paths.state.exists() and any(paths.state.iterdir()) and not (paths.state / STATE_MARKER).exists():
        raise LabError(
            f"{paths.state} does not look like a lab state directory (no {STATE_MARKER})",
            "point STATEFULSET_LAB_STATE at the lab's state directory",
        )
    with state_lock(paths, say):
        _stop_everything(paths, say)
        kube_proxy = paths.toolchain_bin / "kube-proxy"
        if kube_proxy.exists():
            subprocess.run([str(kube_proxy), "--cleanup"], capture_output=True, check=False, timeout=60)
        network.teardown()
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

"""Starting and stopping one node's daemons, and knowing when one must be restarted.

- `Starter` starts daemons that are not running and waits for their readiness
  probes; a daemon that exits or never gets ready fails `up` with its log tail.
- Fingerprints: a daemon records what it was started from (binary, command line,
  environment, and a digest of every certificate, kubeconfig and config file of
  its node: the control plane's in $STATE, a worker's in $STATE/nodes/<name>);
  `restart_outdated` stops the ones whose fingerprint no longer matches.
- `stop_node`: the daemons in reverse start order, and the containers through
  containerd once the kubelet is gone.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from collections.abc import Callable

from .components import ComponentSpec
from .errors import LabError
from .health import check
from .images import ctr_argv
from .paths import LabPaths
from .processes import DaemonLaunch, read_pid_file, running_pid, start_daemon, stop_daemon, tail

Say = Callable[[str], None]


def generation_fingerprint(paths: LabPaths) -> str:
    """A digest of every certificate, kubeconfig and config file of one node's daemons."""
    digest = hashlib.sha256()
    for directory in (paths.pki, paths.kubeconfigs, paths.config):
        for path in sorted(directory.iterdir()) if directory.is_dir() else ():
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def component_fingerprint(spec: ComponentSpec, paths: LabPaths, generation: str) -> str:
    """What a daemon runs from: its binary (a rebuilt toolchain resolves elsewhere),
    command line, environment and the generation of its files."""
    argv = spec.argv(paths.toolchain_bin)
    payload = json.dumps([os.path.realpath(spec.binary_path(paths.toolchain_bin)), argv, spec.env, generation])
    return hashlib.sha256(payload.encode()).hexdigest()


class Starter:
    """Starts daemons and waits for them, failing with the log of one that dies."""

    def __init__(self, paths: LabPaths, say: Say, generation: str) -> None:
        self.paths = paths
        self.say = say
        self.generation = generation
        self.children: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, spec: ComponentSpec) -> None:
        if running_pid(self.paths.pid_file(spec.name)) is not None:
            return
        launch = DaemonLaunch(
            name=spec.name,
            argv=spec.argv(self.paths.toolchain_bin),
            env=spec.env,
            log_file=self.paths.log_file(spec.name),
            pid_file=self.paths.pid_file(spec.name),
            cwd=self.paths.state,
            fingerprint=component_fingerprint(spec, self.paths, self.generation),
        )
        self.children[spec.label] = start_daemon(launch)
        self.say(f"started {spec.label} (pid {self.children[spec.label].pid})")

    def start_and_wait(self, specs: list[ComponentSpec]) -> None:
        """Starts those not running, then waits until every one is ready."""
        for spec in specs:
            self.start(spec)
        for spec in specs:
            self.wait_ready(spec)

    def _alive(self, spec: ComponentSpec) -> bool:
        child = self.children.get(spec.label)
        if child is not None:
            return child.poll() is None
        return running_pid(self.paths.pid_file(spec.name)) is not None

    def wait_ready(self, spec: ComponentSpec) -> None:
        log = self.paths.log_file(spec.name)
        deadline = time.monotonic() + spec.ready_timeout
        attempt = 1
        while True:
            ready, seen = check(spec.probe, self.paths)
            if ready:
                return
            if not self._alive(spec) and attempt < spec.start_attempts and time.monotonic() < deadline:
                attempt += 1
                self.say(f"{spec.label} exited while starting; starting it again ({attempt}/{spec.start_attempts})")
                time.sleep(1)
                self.start(spec)
                continue
            if not self._alive(spec):
                raise LabError(
                    f"{spec.label} exited while starting",
                    f"read its log: {log} (last lines below)",
                    tail(log),
                )
            if time.monotonic() > deadline:
                raise LabError(
                    f"{spec.label} not ready after {spec.ready_timeout:.0f}s (last probe: {seen})",
                    f"read its log: {log} (last lines below)",
                    tail(log),
                )
            time.sleep(0.2)


def restart_outdated(paths: LabPaths, specs: list[ComponentSpec], generation: str, say: Say) -> None:
    """Stops running daemons whose command line or files changed since they started."""
    for spec in reversed(specs):
        pid_file = paths.pid_file(spec.name)
        record = read_pid_file(pid_file)
        if record is None or running_pid(pid_file) is None:
            continue
        if record.fingerprint != component_fingerprint(spec, paths, generation):
            say(f"restarting {spec.label}: its binary, command line, config or certificates changed")
            stop_daemon(pid_file)


def stop_containers(paths: LabPaths, say: Say) -> None:
    """Kills every container a node's containerd runs for Kubernetes (the kubelet is already down).

    containerd's CRI plugin deletes a task once it sees it exit; leftovers after a
    few seconds are force-deleted.
    """
    ctr = [*ctr_argv(paths), "tasks"]

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


def stop_node(paths: LabPaths, specs: list[ComponentSpec], say: Say) -> None:
    """One node's daemons in reverse start order; its containers once the kubelet is gone."""
    for spec in reversed(specs):
        if spec.name == "containerd" and running_pid(paths.pid_file(spec.name)) is not None:
            stop_containers(paths, say)
        if stop_daemon(paths.pid_file(spec.name)):
            say(f"stopped {spec.label}")

"""Starting the lab's daemons and knowing when one must be restarted.

- `Starter` starts daemons that are not running and waits for their readiness
  probes; a daemon that exits or never gets ready fails `up` with its log tail.
- Fingerprints: a daemon records what it was started from (binary, command line,
  environment, and a digest of every certificate, kubeconfig and config file);
  `restart_outdated` stops the ones whose fingerprint no longer matches.
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
from .paths import LabPaths
from .processes import DaemonLaunch, read_pid_file, running_pid, start_daemon, stop_daemon, tail

Say = Callable[[str], None]


def generation_fingerprint(paths: LabPaths) -> str:
    """A digest of every certificate, kubeconfig and config file the daemons read."""
    digest = hashlib.sha256()
    for directory in (paths.pki, paths.kubeconfigs, paths.config):
        for path in sorted(directory.iterdir()):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def component_fingerprint(spec: ComponentSpec, paths: LabPaths, generation: str) -> str:
    """What a daemon runs from: its binary (a rebuilt toolchain resolves elsewhere),
    command line, environment and the generation of its files."""
    argv = spec.argv(paths.toolchain_bin)
    payload = json.dumps([os.path.realpath(argv[0]), argv, spec.env, generation])
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
        self.children[spec.name] = start_daemon(launch)
        self.say(f"started {spec.name} (pid {self.children[spec.name].pid})")

    def start_and_wait(self, specs: list[ComponentSpec]) -> None:
        """Starts those not running, then waits until every one is ready."""
        for spec in specs:
            self.start(spec)
        for spec in specs:
            self.wait_ready(spec)

    def _alive(self, spec: ComponentSpec) -> bool:
        child = self.children.get(spec.name)
        if child is not None:
            return child.poll() is None
        return running_pid(self.paths.pid_file(spec.name)) is not None

    def wait_ready(self, spec: ComponentSpec) -> None:
        log = self.paths.log_file(spec.name)
        deadline = time.monotonic() + spec.ready_timeout
        while True:
            ready, seen = check(spec.probe, self.paths)
            if ready:
                return
            if not self._alive(spec):
                raise LabError(
                    f"{spec.name} exited while starting",
                    f"read its log: {log} (last lines below)",
                    tail(log),
                )
            if time.monotonic() > deadline:
                raise LabError(
                    f"{spec.name} not ready after {spec.ready_timeout:.0f}s (last probe: {seen})",
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
            say(f"restarting {spec.name}: its binary, command line, config or certificates changed")
            stop_daemon(pid_file)

"""The storage guard and drain of a stack that installed local-path-provisioner.

Both are `local.Command`s with nothing to do on `up` and their work in
`delete`, placed in the graph so that a destroy (or an `up` that stops
installing local-path) runs them at the right moment:

- the guard depends on everything else, so it is removed first. While
  another namespace still has claims or volumes on the class (other stacks
  of the lab use it with `installLocalPath: auto`), its delete fails, naming
  them, and the destroy stops with nothing of this stack deleted.
- the drain depends on the installation, and the stack's namespace and
  workloads depend on it, so it is removed after them and before the
  provisioner: it waits until the provisioner has deleted the volumes of the
  stack's own deleted claims, which nobody could delete once it is gone.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pulumi_command import local

from components.local_commands import gate_command, kubectl_environment, run_during_up
from gates.storage_users import GuardSpec
from kube.target import KubectlTarget


def _on_delete(
    name: str, gate: str, spec: GuardSpec, target: KubectlTarget, depends_on: Sequence[pulumi.Resource]
) -> local.Command:
    """A command that does nothing on `up` and runs `gate` when it is removed."""
    return run_during_up(
        name,
        None,
        triggers=[],
        environment=kubectl_environment(target),
        log=local.Logging.STDERR,
        delete=gate_command(gate, spec.to_json()),
        opts=pulumi.ResourceOptions(depends_on=list(depends_on)),
    )


def storage_guard(
    name: str, spec: GuardSpec, target: KubectlTarget, everything_else: Sequence[pulumi.Resource]
) -> local.Command:
    """The guard, a resource of the stack itself (a child of the storage
    component would depend on itself); `everything_else` are the stack's
    other resources, which are deleted only after the guard let the
    deletion through."""
    return _on_delete(name, "storage-users", spec, target, everything_else)


def storage_drain(name: str, spec: GuardSpec, target: KubectlTarget, installation: pulumi.Resource) -> local.Command:
    """The drain; make the stack's namespace and workloads depend on it."""
    return _on_delete(name, "storage-drain", spec, target, [installation])

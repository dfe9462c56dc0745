"""The storage guard of a stack that installed local-path-provisioner.

Other stacks of the lab (`installLocalPath: auto`) put their claims on the
class this stack installed. A `local.Command` with nothing to do on `up` and
a `delete` that runs `python -m gates storage-users`: when this stack is
destroyed (or stops installing local-path), the guard is removed first,
before anything else of the stack, because it depends on everything else.
While another namespace still has claims or volumes on the class, the
guard's delete fails, naming them, and the destroy stops with nothing of
this stack deleted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

import pulumi
from pulumi_command import local

from components.kubectl import KubectlTarget
from components.local_commands import kubectl_environment, project_python, run_during_up, shell_line
from gates.storage_users import GuardSpec


def guard_command(spec: GuardSpec) -> str:
    return shell_line([project_python(), "-m", "gates", "storage-users", json.dumps(asdict(spec), sort_keys=True)])


def storage_guard(
    name: str,
    spec: GuardSpec,
    target: KubectlTarget,
    everything_else: Sequence[pulumi.Resource],
) -> local.Command:
    """The guard, a resource of the stack itself (a child of the storage
    component would depend on itself); `everything_else` are the stack's
    other resources, which are deleted only after the guard let the
    deletion through."""
    return run_during_up(
        name,
        None,
        triggers=[],
        environment=kubectl_environment(target),
        log=local.Logging.STDERR,
        delete=guard_command(spec),
        opts=pulumi.ResourceOptions(depends_on=list(everything_else)),
    )

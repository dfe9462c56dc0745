"""The rollout gate: `pulumi up` waits until a workload's rollout is really over.

The Kubernetes provider's own StatefulSet wait judges readiness from status
fields alone and never compares `status.observedGeneration` with the object's
`metadata.generation`. Right after an update the status still describes the
previous, finished rollout, so the wait passes at once while the controller
has not even started (`pulumi up` returned with 2 of 3 pods ready and the
current revision behind). The gate closes that gap for every workload: a
`local.Command` that runs `python -m gates rollout` after each change of the
workload's spec (its uid or generation moved) and returns only when
`rollout.progress` says the goal of the update strategy is reached.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import pulumi
import pulumi_kubernetes as k8s
from pulumi_command import local

from components.kubectl import KubectlTarget
from components.labels import selector
from components.local_commands import kubectl_environment, project_python, run_during_up, shell_line

ROLLOUT_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class GateSpec:
    """What the gate waits for (the JSON that `python -m gates rollout` reads)."""

    kind: str
    name: str
    namespace: str
    selector: str
    timeout_seconds: int = ROLLOUT_TIMEOUT_SECONDS
    on_delete: bool = False
    context: str = ""


def gate_command(spec: GateSpec) -> str:
    """The gate's shell line; the spec travels as one JSON argument."""
    return shell_line([project_python(), "-m", "gates", "rollout", json.dumps(asdict(spec), sort_keys=True)])


def rollout_gate(
    name: str,
    kind: str,
    workload: k8s.apps.v1.StatefulSet | k8s.apps.v1.Deployment,
    app: str,
    target: KubectlTarget,
    parent: pulumi.Resource,
    on_delete: bool = False,
) -> local.Command:
    """A gate on `workload`, a child of `parent`, that runs again
    whenever the workload is replaced (uid) or its spec changes (generation)."""
    meta = workload.metadata
    spec = pulumi.Output.all(meta.name, meta.namespace).apply(
        lambda names: GateSpec(
            kind=kind,
            name=names[0],
            namespace=names[1],
            selector=selector(app),
            on_delete=on_delete,
            context=target.context,
        )
    )
    return run_during_up(
        name,
        spec.apply(gate_command),
        triggers=[meta.uid, meta.generation],
        environment=kubectl_environment(target),
        # Its progress lines ("web-sts-1 to be Ready") show while `up` waits.
        log=local.Logging.STDOUT_AND_STDERR,
        opts=pulumi.ResourceOptions(parent=parent),
    )

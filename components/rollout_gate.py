"""The rollout gate: `pulumi up` waits until a workload's rollout is really over.

The Kubernetes provider's own StatefulSet wait judges readiness from status
fields alone and never compares `status.observedGeneration` with the object's
`metadata.generation`. Right after an update the status still describes the
previous, finished rollout, so the wait passes at once while the controller
has not even started (`pulumi up` returned with 2 of 3 pods ready and the
current revision behind). The gate closes that gap for every workload: a
`local.Command` that runs `python -m gates rollout` after each change of the
workload's spec (its uid or generation moved) and returns only when
`gates.rollout_progress` says the goal of the update strategy is reached.
What it waits for is a `gates.rollout_wait.RolloutSpec`, the contract the
gate itself reads.
"""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s
from pulumi_command import local

from components.local_commands import gate_command, kubectl_environment, run_during_up
from gates.rollout_wait import RolloutSpec
from kube.labels import selector
from kube.target import KubectlTarget


def rollout_gate(
    name: str,
    kind: str,
    workload: k8s.apps.v1.StatefulSet | k8s.apps.v1.Deployment,
    app: str,
    target: KubectlTarget,
    parent: pulumi.Resource,
    on_delete: bool = False,
    force_rollback: bool = False,
) -> local.Command:
    """A gate on `workload`, a child of `parent`, that runs again
    whenever the workload is replaced (uid) or its spec changes (generation)."""
    meta = workload.metadata
    spec = pulumi.Output.all(meta.name, meta.namespace).apply(
        lambda names: RolloutSpec(
            kind=kind,
            name=names[0],
            namespace=names[1],
            selector=selector(app),
            on_delete=on_delete,
            context=target.context,
            force_rollback=force_rollback,
        )
    )
    return run_during_up(
        name,
        spec.apply(lambda s: gate_command("rollout", s.to_json())),
        triggers=[meta.uid, meta.generation],
        environment=kubectl_environment(target),
        # Its progress lines ("web-sts-1 to be Ready") show while `up` waits.
        log=local.Logging.STDOUT_AND_STDERR,
        opts=pulumi.ResourceOptions(parent=parent),
    )

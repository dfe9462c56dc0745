"""Pure builders of the two web workloads' specs (no resources, no I/O).

Both workloads run the same nginx container serving a volume mounted at
/usr/share/nginx/html, like the seed's nginx-slim pods; what differs is where
the volume comes from (one claim per ordinal vs one shared claim).
"""

from __future__ import annotations

import json

from pulumi_kubernetes.apps.v1 import (
    RollingUpdateStatefulSetStrategyArgs,
    StatefulSetPersistentVolumeClaimRetentionPolicyArgs,
    StatefulSetUpdateStrategyArgs,
)
from pulumi_kubernetes.core.v1 import (
    ContainerArgs,
    ContainerPortArgs,
    ProbeArgs,
    TCPSocketActionArgs,
    TopologySpreadConstraintArgs,
    VolumeMountArgs,
)
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs

from kube.names import LabNames
from plan.settings import LabSettings

WAIT_FOR_ANNOTATION = "pulumi.com/waitFor"
DELETION_ANNOTATION = "pulumi.com/deletionPropagationPolicy"
GOVERNING_SERVICE_ANNOTATION = "statefulset-lab/governing-service"


def nginx_container(image: str, names: LabNames) -> ContainerArgs:
    """The web container, serving the volume. Ready once nginx accepts
    connections: an empty new volume has no index.html, so an HTTP probe of /
    would get 403 and keep the pod (and an ordered StatefulSet) from ever
    progressing."""
    return ContainerArgs(
        name=names.container,
        image=image,
        # Images on the lab cluster are imported, never pulled.
        image_pull_policy="IfNotPresent",
        ports=[ContainerPortArgs(container_port=80, name="web")],
        volume_mounts=[VolumeMountArgs(name=names.volume, mount_path=names.document_root)],
        # Probed every second: an OrderedReady StatefulSet creates each pod only
        # once the one before is Ready, so the probe's period adds up per ordinal.
        # Five misses in a row (with 2 s each to answer) before a running pod
        # counts as not Ready, so a busy machine does not make it flap.
        readiness_probe=ProbeArgs(
            tcp_socket=TCPSocketActionArgs(port=80), period_seconds=1, timeout_seconds=2, failure_threshold=5
        ),
    )


HOSTNAME_TOPOLOGY_KEY = "kubernetes.io/hostname"


def topology_spread(settings: LabSettings, pod_labels: dict[str, str]) -> list[TopologySpreadConstraintArgs] | None:
    """With spreadAcrossNodes: at most one pod more on any node than on another
    (a hard constraint: a pod that would break it stays Pending)."""
    if not settings.spread_across_nodes:
        return None
    return [
        TopologySpreadConstraintArgs(
            max_skew=1,
            topology_key=HOSTNAME_TOPOLOGY_KEY,
            when_unsatisfiable="DoNotSchedule",
            label_selector=LabelSelectorArgs(match_labels=pod_labels),
        )
    ]


def update_strategy(settings: LabSettings) -> StatefulSetUpdateStrategyArgs:
    if settings.update_strategy == "OnDelete":
        return StatefulSetUpdateStrategyArgs(type="OnDelete")
    max_unavailable = settings.max_unavailable
    return StatefulSetUpdateStrategyArgs(
        type="RollingUpdate",
        rolling_update=RollingUpdateStatefulSetStrategyArgs(
            partition=settings.partition,
            # A count is an integer to the API, a percentage a string.
            max_unavailable=(max_unavailable if max_unavailable.endswith("%") else int(max_unavailable))
            if max_unavailable
            else None,
        ),
    )


def retention_policy(settings: LabSettings) -> StatefulSetPersistentVolumeClaimRetentionPolicyArgs:
    return StatefulSetPersistentVolumeClaimRetentionPolicyArgs(
        when_deleted=settings.pvc_retention_when_deleted,
        when_scaled=settings.pvc_retention_when_scaled,
    )


# Replaces the provider's own readiness wait: the condition only asks that the
# controller wrote a status; the rollout gate then waits for the real goal.
# `pulumi.com/waitFor` (unlike skipAwait) leaves the delete wait alone, so a
# replace still waits for the old object to go.
GATE_WAITS = {WAIT_FOR_ANNOTATION: json.dumps(["jsonpath={.status.observedGeneration}"])}

PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce"
# The stack's values win over a change made behind its back. A `kubectl scale`
# makes kubectl the manager of .spec.replicas (through the scale subresource);
# without this, the next `pulumi up --refresh` that puts the stack's replicas
# back fails with a Server-Side Apply field conflict instead.
OWN_FIELDS = {PATCH_FORCE_ANNOTATION: "true"}


def statefulset_annotations(settings: LabSettings) -> dict[str, str]:
    """How the provider waits for, deletes and takes back the StatefulSet.

    The deletion policy is read from the live object when it is deleted, so
    it must be applied by an `up` before the `destroy` (or replace) it is for.

    The provider's own StatefulSet wait passes on the status of the previous
    rollout (it never compares observedGeneration with the generation) and,
    with a partition, waits for currentRevision == updateRevision, which
    never comes: the rollout gate waits instead.
    """
    return {DELETION_ANNOTATION: settings.statefulset_deletion, **GATE_WAITS, **OWN_FIELDS}


def deployment_annotations(service_name: str) -> dict[str, str]:
    """The Deployment's Service, the gate's wait instead of the provider's, and
    the stack's fields taken back from whoever changed them.

    The provider's Deployment wait also waits for the claims the pod template
    mounts to be Bound, and a claim of a WaitForFirstConsumer class is never
    bound while no pod uses it: with `deploymentReplicas: 0` it would wait
    for its ten-minute timeout. The gate waits for what a rollout promises.
    """
    return {GOVERNING_SERVICE_ANNOTATION: service_name, **GATE_WAITS, **OWN_FIELDS}

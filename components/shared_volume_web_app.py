"""SharedVolumeWebApp: the Deployment `web-dep` and its one claim `www-web-dep`.

Every replica mounts the same ReadWriteOnce claim. On a local-path volume that
works only because all replicas land on the node the volume is pinned to,
which is part of what the lab contrasts with the StatefulSet. A rollout gate
(components/rollout_gate.py) makes `pulumi up` wait until no pod of an older
ReplicaSet is left.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s
from pulumi_kubernetes.apps.v1 import DeploymentSpecArgs
from pulumi_kubernetes.core.v1 import (
    PersistentVolumeClaimSpecArgs,
    PersistentVolumeClaimVolumeSourceArgs,
    PodSpecArgs,
    PodTemplateSpecArgs,
    VolumeArgs,
    VolumeResourceRequirementsArgs,
)
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs, ObjectMetaArgs

from components import web_workload_specs as specs
from components.rollout_gate import rollout_gate
from kube.labels import labels
from kube.names import LabNames
from kube.target import KubectlTarget
from plan.settings import LabSettings


@dataclass(frozen=True)
class SharedVolumeWebAppArgs:
    """Inputs of SharedVolumeWebApp."""

    settings: LabSettings
    """Deployment replicas, image, namespace, claim size."""
    names: LabNames
    """The Deployment's name, its headless Service (under which the pods get
    their dashed-IP records), the shared claim www-<name>, the container."""
    storage_class_name: pulumi.Input[str] | None
    """StorageClass of the shared claim; None names none (the cluster's default class)."""
    namespace: pulumi.Input[str]
    """Namespace (an output of the Namespace resource when the program owns it)."""
    kubectl: KubectlTarget
    """Where the rollout gate's kubectl looks (the provider's cluster and context)."""


class SharedVolumeWebApp(pulumi.ComponentResource):
    """nginx pods with generated names that all serve one shared volume."""

    name: pulumi.Output[str]
    """The Deployment's name."""
    claim_name: pulumi.Output[str]
    """The shared PersistentVolumeClaim's name."""
    uid: pulumi.Output[str]
    """The Deployment's UID; it changes when the Deployment is replaced."""
    generation: pulumi.Output[int]
    """metadata.generation of the Deployment: moves on every spec change."""

    def __init__(
        self,
        name: str,
        args: SharedVolumeWebAppArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("statefulset-lab:workloads:SharedVolumeWebApp", name, None, opts)
        s = args.settings
        own = args.names.deployment
        claim = k8s.core.v1.PersistentVolumeClaim(
            f"{name}-claim",
            metadata=ObjectMetaArgs(name=args.names.shared_claim, namespace=args.namespace),
            spec=PersistentVolumeClaimSpecArgs(
                access_modes=["ReadWriteOnce"],
                storage_class_name=args.storage_class_name,
                resources=VolumeResourceRequirementsArgs(requests={"storage": s.storage.size}),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        deployment = k8s.apps.v1.Deployment(
            f"{name}-deployment",
            metadata=ObjectMetaArgs(
                name=own.workload,
                namespace=args.namespace,
                labels=labels(own.app),
                annotations=specs.deployment_annotations(own.service),
            ),
            spec=DeploymentSpecArgs(
                replicas=s.deployment_replicas,
                selector=LabelSelectorArgs(match_labels=labels(own.app)),
                template=PodTemplateSpecArgs(
                    metadata=ObjectMetaArgs(labels=labels(own.app)),
                    spec=PodSpecArgs(
                        containers=[specs.nginx_container(s.image, args.names)],
                        volumes=[
                            VolumeArgs(
                                name=args.names.volume,
                                persistent_volume_claim=PersistentVolumeClaimVolumeSourceArgs(
                                    claim_name=claim.metadata.name
                                ),
                            )
                        ],
                    ),
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.name = deployment.metadata.name
        self.claim_name = claim.metadata.name
        self.uid = deployment.metadata.uid
        self.generation = deployment.metadata.generation
        if not s.renders_only:
            rollout_gate(f"{name}-rollout", "deployment", deployment, own.app, args.kubectl, parent=self)
        self.register_outputs(
            {"name": self.name, "claim_name": self.claim_name, "uid": self.uid, "generation": self.generation}
        )

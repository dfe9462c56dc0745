"""StatefulWebApp: the StatefulSet `web-sts` with one claim per ordinal.

Creates the StatefulSet (serviceName from its headless Service, a
volumeClaimTemplate `www` so pod N gets claim `www-web-sts-N`) and its
rollout gate (components/rollout_gate.py), which makes `pulumi up` wait for
what the update strategy really promises: every ordinal >= partition on the
new revision, every replica Ready, nothing left over from a scale-in.

podManagementPolicy (like serviceName and the claim templates) is immutable:
changing it replaces the StatefulSet. The name is fixed, so the replace
deletes the old StatefulSet (and its pods) first, then creates the new one,
which adopts the existing claims www-web-sts-N and their data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s
from pulumi_kubernetes.apps.v1 import StatefulSetOrdinalsArgs, StatefulSetSpecArgs
from pulumi_kubernetes.core.v1 import (
    PersistentVolumeClaimSpecArgs,
    PodSpecArgs,
    PodTemplateSpecArgs,
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
class StatefulWebAppArgs:
    """Inputs of StatefulWebApp."""

    settings: LabSettings
    """Replicas, image, update strategy, partition, policy, retention, namespace."""
    names: LabNames
    """The StatefulSet's name (pods are <name>-<ordinal>), its headless Service
    (which gives the pods their DNS names; named, so the StatefulSet need not
    wait for it), the claim template (claims www-<name>-<ordinal>), the container."""
    storage_class_name: pulumi.Input[str] | None
    """StorageClass the claim template names; None names none, and the cluster's
    default class serves the claims (useDefaultStorageClass)."""
    namespace: pulumi.Input[str]
    """Namespace (an output of the Namespace resource when the program owns it)."""
    kubectl: KubectlTarget
    """Where the rollout gate's kubectl looks (the provider's cluster and context)."""


class StatefulWebApp(pulumi.ComponentResource):
    """nginx pods with stable names, DNS records and storage per ordinal."""

    name: pulumi.Output[str]
    """The StatefulSet's name."""
    uid: pulumi.Output[str]
    """The StatefulSet's UID; it changes when the StatefulSet is replaced."""
    generation: pulumi.Output[int]
    """metadata.generation: moves on every spec change."""

    def __init__(self, name: str, args: StatefulWebAppArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("statefulset-lab:workloads:StatefulWebApp", name, None, opts)
        s = args.settings
        own = args.names.statefulset
        statefulset = k8s.apps.v1.StatefulSet(
            f"{name}-statefulset",
            metadata=ObjectMetaArgs(
                name=own.workload,
                namespace=args.namespace,
                labels=labels(own.app),
                annotations=specs.statefulset_annotations(s),
            ),
            spec=StatefulSetSpecArgs(
                service_name=own.service,
                replicas=s.replicas,
                pod_management_policy=s.pod_management_policy,
                update_strategy=specs.update_strategy(s),
                min_ready_seconds=s.min_ready_seconds,
                ordinals=StatefulSetOrdinalsArgs(start=s.ordinals_start) if s.ordinals_start else None,
                persistent_volume_claim_retention_policy=specs.retention_policy(s),
                selector=LabelSelectorArgs(match_labels=labels(own.app)),
                template=PodTemplateSpecArgs(
                    metadata=ObjectMetaArgs(labels=labels(own.app)),
                    spec=PodSpecArgs(
                        containers=[specs.nginx_container(s.image, args.names)],
                        topology_spread_constraints=specs.topology_spread(s, labels(own.app)),
                    ),
                ),
                volume_claim_templates=[
                    k8s.core.v1.PersistentVolumeClaimArgs(
                        metadata=ObjectMetaArgs(name=args.names.volume),
                        spec=PersistentVolumeClaimSpecArgs(
                            access_modes=["ReadWriteOnce"],
                            storage_class_name=args.storage_class_name,
                            resources=VolumeResourceRequirementsArgs(requests={"storage": s.storage.size}),
                        ),
                    )
                ],
            ),
            # The fixed name cannot exist twice: a replace must delete first.
            opts=pulumi.ResourceOptions(parent=self, delete_before_replace=True),
        )
        self.name = statefulset.metadata.name
        self.uid = statefulset.metadata.uid
        self.generation = statefulset.metadata.generation
        if not s.renders_only:
            rollout_gate(
                f"{name}-rollout",
                "statefulset",
                statefulset,
                own.app,
                args.kubectl,
                parent=self,
                on_delete=s.update_strategy == "OnDelete",
                force_rollback=s.force_rollback,
            )
        self.register_outputs({"name": self.name, "uid": self.uid, "generation": self.generation})

"""LocalPathStorage: rancher/local-path-provisioner and its StorageClass.

Creates the namespace `local-path-storage` (privileged Pod Security, since the
helper pods mount host paths), a service account with a Role and ClusterRole,
the ConfigMap `local-path-config`, the provisioner Deployment with its health
probes, and the StorageClass (`rancher.io/local-path`, WaitForFirstConsumer,
Delete), optionally marked as the cluster default.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s
from pulumi_kubernetes.apps.v1 import DeploymentSpecArgs
from pulumi_kubernetes.core.v1 import (
    ConfigMapVolumeSourceArgs,
    ContainerArgs,
    ContainerPortArgs,
    EnvVarArgs,
    EnvVarSourceArgs,
    HTTPGetActionArgs,
    ObjectFieldSelectorArgs,
    PodSpecArgs,
    PodTemplateSpecArgs,
    ProbeArgs,
    VolumeArgs,
    VolumeMountArgs,
)
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs, ObjectMetaArgs
from pulumi_kubernetes.rbac.v1 import PolicyRuleArgs, RoleRefArgs, SubjectArgs

from components import local_path_specs as specs
from kube.labels import labels
from kube.storage_names import PROVISIONER_NAMESPACE

APP = "local-path-provisioner"
SERVICE_ACCOUNT = "local-path-provisioner-service-account"
ROLE = "local-path-provisioner-role"
BINDING = "local-path-provisioner-bind"


@dataclass(frozen=True)
class LocalPathStorageArgs:
    """Inputs of LocalPathStorage."""

    image: str
    """Provisioner image, e.g. docker.io/rancher/local-path-provisioner:v0.0.37."""
    storage_class_name: str
    """Name of the StorageClass the provisioner serves (the stack's storageClassName)."""
    make_default: bool = True
    """Annotate the class as the cluster's default StorageClass."""
    node_path: str = specs.DEFAULT_NODE_PATH
    """Host directory under which every volume gets its own directory."""
    owner: str = ""
    """Stack that installs it, recorded on the cluster-wide objects so other
    stacks use the installation instead of colliding with it."""


def _rules(rules: list[tuple[list[str], list[str], list[str]]]) -> list[PolicyRuleArgs]:
    return [PolicyRuleArgs(api_groups=g, resources=r, verbs=v) for g, r, v in rules]


# On a busy 2-core lab cluster the provisioner's /ready often answered later
# than the kubelet's default 1 s ("Client.Timeout exceeded" in the kubelet's
# log), so the pod flapped to not-ready while it provisioned fine.
PROBE_TIMEOUT_SECONDS = 5


def _http_probe(path: str, initial_delay: int, period: int, failures: int = 3) -> ProbeArgs:
    return ProbeArgs(
        http_get=HTTPGetActionArgs(path=path, port="health"),
        initial_delay_seconds=initial_delay,
        period_seconds=period,
        timeout_seconds=PROBE_TIMEOUT_SECONDS,
        failure_threshold=failures,
    )


class LocalPathStorage(pulumi.ComponentResource):
    """A dynamically provisioning StorageClass backed by node-local directories."""

    storage_class_name: pulumi.Output[str]
    """Name of the StorageClass, known once the class exists."""
    namespace: pulumi.Output[str]
    """Namespace the provisioner runs in."""

    def __init__(self, name: str, args: LocalPathStorageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("statefulset-lab:storage:LocalPathStorage", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        ns = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata=ObjectMetaArgs(
                name=PROVISIONER_NAMESPACE,
                # The helper pods mount host paths, which baseline and
                # restricted Pod Security reject.
                labels={"pod-security.kubernetes.io/enforce": "privileged"},
                annotations=specs.owner_annotations(args.owner),
            ),
            opts=child,
        )
        namespace = ns.metadata.name
        account = k8s.core.v1.ServiceAccount(
            f"{name}-account",
            metadata=ObjectMetaArgs(name=SERVICE_ACCOUNT, namespace=namespace),
            opts=child,
        )
        role = k8s.rbac.v1.Role(
            f"{name}-role",
            metadata=ObjectMetaArgs(name=ROLE, namespace=namespace),
            rules=_rules(specs.NAMESPACED_RULES),
            opts=child,
        )
        cluster_role = k8s.rbac.v1.ClusterRole(
            f"{name}-cluster-role",
            metadata=ObjectMetaArgs(name=ROLE),
            rules=_rules(specs.CLUSTER_RULES),
            opts=child,
        )
        subject = SubjectArgs(kind="ServiceAccount", name=account.metadata.name, namespace=namespace)
        role_binding = k8s.rbac.v1.RoleBinding(
            f"{name}-role-binding",
            metadata=ObjectMetaArgs(name=BINDING, namespace=namespace),
            role_ref=RoleRefArgs(api_group="rbac.authorization.k8s.io", kind="Role", name=role.metadata.name),
            subjects=[subject],
            opts=child,
        )
        cluster_binding = k8s.rbac.v1.ClusterRoleBinding(
            f"{name}-cluster-role-binding",
            metadata=ObjectMetaArgs(name=BINDING),
            role_ref=RoleRefArgs(
                api_group="rbac.authorization.k8s.io", kind="ClusterRole", name=cluster_role.metadata.name
            ),
            subjects=[subject],
            opts=child,
        )
        config = k8s.core.v1.ConfigMap(
            f"{name}-config",
            metadata=ObjectMetaArgs(name=specs.CONFIG_MAP_NAME, namespace=namespace),
            data=specs.config_map_data(args.node_path),
            opts=child,
        )
        deployment = k8s.apps.v1.Deployment(
            f"{name}-provisioner",
            metadata=ObjectMetaArgs(name=APP, namespace=namespace),
            spec=DeploymentSpecArgs(
                replicas=1,
                selector=LabelSelectorArgs(match_labels=labels(APP)),
                template=PodTemplateSpecArgs(
                    metadata=ObjectMetaArgs(labels=labels(APP)),
                    spec=PodSpecArgs(
                        service_account_name=account.metadata.name,
                        containers=[self._container(args.image)],
                        volumes=[
                            VolumeArgs(
                                name="config-volume",
                                config_map=ConfigMapVolumeSourceArgs(name=config.metadata.name),
                            )
                        ],
                    ),
                ),
            ),
            # The provisioner cannot list PVs or create helper pods before its
            # permissions exist; nothing in its spec references them.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[role_binding, cluster_binding]),
        )
        storage_class = k8s.storage.v1.StorageClass(
            f"{name}-class",
            metadata=ObjectMetaArgs(
                name=args.storage_class_name,
                annotations={
                    **specs.storage_class_annotations(args.make_default),
                    **specs.owner_annotations(args.owner),
                },
            ),
            provisioner=specs.PROVISIONER_NAME,
            volume_binding_mode="WaitForFirstConsumer",
            reclaim_policy="Delete",
            # A class without a running provisioner leaves claims Pending.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[deployment]),
        )
        self.storage_class_name = storage_class.metadata.name
        self.namespace = namespace
        self.register_outputs({"storage_class_name": self.storage_class_name, "namespace": namespace})

    @staticmethod
    def _container(image: str) -> ContainerArgs:
        return ContainerArgs(
            name=APP,
            image=image,
            image_pull_policy="IfNotPresent",
            command=["local-path-provisioner", "--debug", "start", "--config", "/etc/config/config.json"],
            ports=[ContainerPortArgs(name="health", container_port=specs.HEALTH_PORT, protocol="TCP")],
            startup_probe=_http_probe("/health", initial_delay=5, period=5, failures=12),
            liveness_probe=_http_probe("/health", initial_delay=10, period=10),
            readiness_probe=_http_probe("/ready", initial_delay=5, period=10),
            volume_mounts=[VolumeMountArgs(name="config-volume", mount_path="/etc/config/")],
            env=[
                EnvVarArgs(
                    name="POD_NAMESPACE",
                    value_from=EnvVarSourceArgs(field_ref=ObjectFieldSelectorArgs(field_path="metadata.namespace")),
                ),
                EnvVarArgs(name="CONFIG_MOUNT_PATH", value="/etc/config/"),
                EnvVarArgs(name="HEALTH_PORT", value=str(specs.HEALTH_PORT)),
            ],
        )

"""The cluster the program talks to: one Kubernetes provider, and the kubectl
target the rollout gate and probes use, both from the same kubeconfig and
context so they can never look at different clusters."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from kube.target import KubectlTarget
from plan.settings import LabSettings


def kubernetes_provider(name: str, settings: LabSettings) -> k8s.Provider:
    cluster = settings.cluster
    return k8s.Provider(
        name,
        # None leaves the provider on $KUBECONFIG / ~/.kube/config, as kubectl.
        kubeconfig=cluster.kubeconfig or None,
        context=cluster.context or None,
        render_yaml_to_directory=cluster.render_yaml_to_directory or None,
    )


def kubectl_target(settings: LabSettings) -> KubectlTarget:
    return KubectlTarget(
        namespace=settings.namespace,
        kubeconfig=settings.cluster.kubeconfig,
        context=settings.cluster.context,
    )


def component_options(
    provider: k8s.Provider, depends_on: list[pulumi.Resource] | None = None
) -> pulumi.ResourceOptions:
    """Options for a top-level component: its children use `provider`."""
    return pulumi.ResourceOptions(providers=[provider], depends_on=depends_on or None)

"""The lab's namespace, created by the program unless it is a built-in one
(`default`) or the stack says it already exists."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

from plan.settings import LabSettings


def lab_namespace(
    settings: LabSettings, provider: k8s.Provider, depends_on: list[pulumi.Resource] | None = None
) -> pulumi.Input[str]:
    """The namespace name to give every namespaced object: an output of the
    Namespace resource when the program creates it, so they wait for it."""
    if not settings.owns_namespace:
        return settings.namespace
    namespace = k8s.core.v1.Namespace(
        "lab-namespace",
        metadata=ObjectMetaArgs(name=settings.namespace),
        opts=pulumi.ResourceOptions(provider=provider, depends_on=depends_on or None),
    )
    name: pulumi.Output[str] = namespace.metadata.name
    return name

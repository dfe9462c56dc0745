"""HeadlessService: the governing Service of a workload's pods.

`clusterIP: None` gives each ready pod DNS records instead of one virtual IP:
for a StatefulSet `<pod>.<service>` (the pod's hostname and subdomain), for any
pod `<dashed-ip>.<service>`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s
from pulumi_kubernetes.core.v1 import ServicePortArgs, ServiceSpecArgs
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

from kube.labels import labels
from kube.names import SERVICE_PORT, SERVICE_PORT_NAME, WorkloadNames


@dataclass(frozen=True)
class HeadlessServiceArgs:
    """Inputs of HeadlessService."""

    workload: WorkloadNames
    """The workload whose pods it governs: the Service's fixed name (DNS records
    hang below it: nginx-sts, nginx-dep) and the `app` label it selects."""
    namespace: pulumi.Input[str]
    """Namespace of the Service and its pods."""


class HeadlessService(pulumi.ComponentResource):
    """A Service with no cluster IP, port 80 named `web`."""

    name: pulumi.Output[str]
    """The Service's name, for a StatefulSet's serviceName."""

    def __init__(self, name: str, args: HeadlessServiceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("statefulset-lab:network:HeadlessService", name, None, opts)
        service = k8s.core.v1.Service(
            f"{name}-service",
            metadata=ObjectMetaArgs(
                name=args.workload.service, namespace=args.namespace, labels=labels(args.workload.app)
            ),
            spec=ServiceSpecArgs(
                cluster_ip="None",
                ports=[ServicePortArgs(port=SERVICE_PORT, name=SERVICE_PORT_NAME)],
                selector=labels(args.workload.app),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.name = service.metadata.name
        self.register_outputs({"name": self.name})

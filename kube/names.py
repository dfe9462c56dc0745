"""The lab's object names, written once.

The program names its objects from one `LabNames`, and hands the same value
to the probes, so what the checks expect is what was created. A workload's
pods carry the label `app: <its Service's name>`, as in the seed: the label
is derived from the Service name, never written beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

SERVICE_PORT = 80
SERVICE_PORT_NAME = "web"
"""The headless Services' one port. It has a name so that the cluster DNS
publishes SRV records for it: `_web._tcp.<service>.<namespace>.svc.<domain>`."""


@dataclass(frozen=True)
class WorkloadNames:
    """A workload and the headless Service that governs its pods."""

    workload: str
    """The StatefulSet's or Deployment's name (web-sts, web-dep)."""
    service: str
    """Its headless Service (nginx-sts, nginx-dep); DNS records hang below it."""

    @property
    def app(self) -> str:
        """The `app` label of its pods, which the Service selects: the Service's own name."""
        return self.service


@dataclass(frozen=True)
class LabNames:
    """Every fixed name of the lab's Kubernetes objects."""

    statefulset: WorkloadNames = WorkloadNames("web-sts", "nginx-sts")
    deployment: WorkloadNames = WorkloadNames("web-dep", "nginx-dep")
    volume: str = "www"
    """The claim template of the StatefulSet and the volume of both pod templates:
    StatefulSet pod N mounts claim www-web-sts-N, every Deployment pod www-web-dep."""
    container: str = "nginx"
    """The web container of both workloads, where the probes run their commands."""
    document_root: str = "/usr/share/nginx/html"
    """Where the volume is mounted and nginx serves from."""

    @property
    def shared_claim(self) -> str:
        """The one claim every Deployment pod mounts."""
        return f"{self.volume}-{self.deployment.workload}"

    def claim_of(self, pod: str) -> str:
        """The claim a StatefulSet pod's claim template gives it."""
        return f"{self.volume}-{pod}"

    def pod(self, ordinal: int) -> str:
        """The StatefulSet's pod of this ordinal: its name is its identity."""
        return f"{self.statefulset.workload}-{ordinal}"

    def claim_of_ordinal(self, ordinal: int) -> str:
        """The claim of this ordinal, whether or not its pod exists (a scale-in keeps it)."""
        return self.claim_of(self.pod(ordinal))

    def deployment_pod_prefix(self, template_hash: str) -> str:
        """How the names of the Deployment's pods of one pod template (ReplicaSet) begin."""
        return f"{self.deployment.workload}-{template_hash}-"

    def is_ordinal_claim(self, claim: str) -> bool:
        """Whether the claim template made this claim for some ordinal of the StatefulSet."""
        prefix = self.claim_of(self.pod(0)).removesuffix("0")
        return claim.startswith(prefix) and claim[len(prefix) :].isdigit()

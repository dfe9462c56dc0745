"""The typed facts one probe run produces; `asdict` makes the JSON document."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Workload = Literal["statefulset", "deployment"]


@dataclass(frozen=True)
class Expectations:
    """What the stack configured, i.e. what the checks hold the cluster to."""

    namespace: str
    replicas: int
    deployment_replicas: int
    image: str
    update_strategy: str
    partition: int
    pod_management_policy: str
    pvc_retention_when_scaled: str
    statefulset: str = "web-sts"
    deployment: str = "web-dep"
    statefulset_service: str = "nginx-sts"
    deployment_service: str = "nginx-dep"
    claim_template: str = "www"
    stable_storage: bool = False
    dns_image: str = "docker.io/library/busybox:1.28"


@dataclass(frozen=True)
class PodFacts:
    name: str
    workload: Workload
    ordinal: int | None
    node: str
    ip: str
    phase: str
    ready: bool
    created: str
    scheduled: str | None
    ready_since: str | None
    image: str
    revision: str
    claims: list[str]
    hostname: str | None = None
    restarts: int = 0
    """Container restarts: after one, ready_since is the latest start's, not the first."""


@dataclass(frozen=True)
class StatefulSetFacts:
    replicas: int
    ready_replicas: int
    current_revision: str
    update_revision: str
    update_strategy: str
    partition: int
    pod_management_policy: str
    image: str


@dataclass(frozen=True)
class ClaimFacts:
    name: str
    phase: str
    storage_class: str
    volume: str
    node: str | None
    host_path: str | None


@dataclass(frozen=True)
class DnsLookup:
    query: str
    exit_code: int
    addresses: list[str]

    @property
    def resolved(self) -> bool:
        return self.exit_code == 0 and bool(self.addresses)


@dataclass(frozen=True)
class LifecycleEvent:
    """One controller or kubelet event about a pod, oldest first by `sequence`."""

    pod: str
    reason: str
    time: str
    sequence: int


@dataclass(frozen=True)
class StableStorageRun:
    """What each pod served before and after all pods were deleted."""

    last_writer: str
    before: dict[str, str]
    after: dict[str, str]
    deployment_pods_after: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    name: str
    workload: Workload
    passed: bool
    expected: str
    observed: str


def to_json_ready(value: Any) -> Any:
    """Dataclasses (nested) to plain dicts and lists."""
    if isinstance(value, list):
        return [to_json_ready(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json_ready(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    return value

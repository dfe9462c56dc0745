"""Typed, validated settings of one stack, built before any resource exists.

`settings_from_config` turns the raw stack config (key -> string, as Pulumi
passes it) into a frozen `LabSettings`. Every problem found is reported at once
in a `SettingsError` that names the full config key and the allowed values, so
a bad stack file fails in preview with nothing touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar, cast

PROJECT = "statefulset-lab"

UpdateStrategy = Literal["RollingUpdate", "OnDelete"]
PodManagementPolicy = Literal["OrderedReady", "Parallel"]
RetentionPolicy = Literal["Retain", "Delete"]
InstallMode = Literal["auto", "true", "false"]
DeletionPropagation = Literal["foreground", "background", "orphan"]

UPDATE_STRATEGIES: tuple[UpdateStrategy, ...] = ("RollingUpdate", "OnDelete")
POD_MANAGEMENT_POLICIES: tuple[PodManagementPolicy, ...] = ("OrderedReady", "Parallel")
RETENTION_POLICIES: tuple[RetentionPolicy, ...] = ("Retain", "Delete")
INSTALL_MODES: tuple[InstallMode, ...] = ("auto", "true", "false")
DELETION_PROPAGATIONS: tuple[DeletionPropagation, ...] = ("foreground", "background", "orphan")

DEFAULT_IMAGE = "registry.k8s.io/nginx-slim:0.24"
DEFAULT_PROVISIONER_IMAGE = "docker.io/rancher/local-path-provisioner:v0.0.37"
DEFAULT_DNS_PROBE_IMAGE = "docker.io/library/busybox:1.28"

# RFC 1123 label: what Kubernetes accepts for namespaces and what DNS needs for
# `<pod>.<service>.<namespace>.svc` to resolve.
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
# DNS-1123 subdomain, for StorageClass names.
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
# [registry[:port]/]path[:tag][@digest], the grammar of docker/distribution.
_IMAGE_REF = re.compile(
    r"^(?:(?P<registry>[a-zA-Z0-9.-]+(?::[0-9]+)?)/)?"
    r"(?P<path>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?"
    r"(?:@(?P<digest>sha256:[0-9a-f]{64}))?$"
)
_QUANTITY = re.compile(r"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")


@dataclass(frozen=True)
class ProbeSettings:
    """What the verification probes do and how their results are treated."""

    enabled: bool = True
    """Run the kubectl probes after the workloads are up."""
    stable_storage: bool = False
    """Run the destructive stable-storage probe (writes index.html, deletes pods)."""
    run_id: str = ""
    """Any change re-runs every probe on the next `pulumi up` (make report sets it)."""
    fail_on_failed_check: bool = False
    """Fail `pulumi up` when a check fails, instead of only reporting it."""
    dns_image: str = DEFAULT_DNS_PROBE_IMAGE
    """Image of the short-lived pod that runs nslookup (busybox 1.28 has a working one)."""
    timeout_seconds: int = 180
    """Upper bound for each probe step; a step that takes longer fails."""


@dataclass(frozen=True)
class ClusterSettings:
    """Which cluster the program talks to; the probes use the same one."""

    kubeconfig: str = ""
    """Path of the kubeconfig; empty means $KUBECONFIG or ~/.kube/config."""
    context: str = ""
    """Context within the kubeconfig; empty means its current context."""
    render_yaml_to_directory: str = ""
    """Write the manifests to this directory instead of applying them (no probes)."""


@dataclass(frozen=True)
class StorageSettings:
    """The StorageClass the workloads' volumes come from."""

    install_local_path: InstallMode = "auto"
    """Install rancher/local-path-provisioner: auto (unless the cluster already
    has it from elsewhere), true (always; fail if present) or false."""
    storage_class_name: str = "local-path"
    """Class the PVCs use: ours when installed, an existing one otherwise."""
    make_default: bool = True
    """Mark the installed class as the cluster's default StorageClass."""
    provisioner_image: str = DEFAULT_PROVISIONER_IMAGE
    """Image of the provisioner Deployment."""
    size: str = "1Gi"
    """Requested size of every volume claim."""


BUILT_IN_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})


@dataclass(frozen=True)
class LabSettings:
    """Everything one stack can change about the lab."""

    namespace: str = "default"
    """Namespace of the Services, workloads and claims."""
    create_namespace: bool = True
    """Create the namespace (never for `default`); off when it already exists."""
    replicas: int = 2
    """Pods of the StatefulSet web-sts."""
    image: str = DEFAULT_IMAGE
    """Image of both web workloads."""
    update_strategy: UpdateStrategy = "RollingUpdate"
    """StatefulSet update strategy."""
    partition: int = 0
    """Lowest ordinal a RollingUpdate moves to the new revision (0..replicas)."""
    pod_management_policy: PodManagementPolicy = "OrderedReady"
    """One pod at a time (OrderedReady) or all at once (Parallel); immutable."""
    min_ready_seconds: int = 0
    """Seconds a new pod must stay Ready before it counts as available."""
    pvc_retention_when_deleted: RetentionPolicy = "Retain"
    """What happens to claim-template PVCs when the StatefulSet is deleted."""
    pvc_retention_when_scaled: RetentionPolicy = "Retain"
    """What happens to claim-template PVCs of ordinals removed by scale-in."""
    statefulset_deletion: DeletionPropagation = "foreground"
    """How deleting the StatefulSet treats its pods: foreground (pods first),
    background (pods after) or orphan (pods stay, like kubectl --cascade=orphan)."""
    deployment_replicas: int = 2
    """Pods of the Deployment web-dep, all sharing the one claim www-web-dep."""
    storage: StorageSettings = StorageSettings()
    cluster: ClusterSettings = ClusterSettings()
    probes: ProbeSettings = ProbeSettings()

    @property
    def renders_only(self) -> bool:
        """Manifests go to a directory; nothing reaches a cluster, so nothing is probed."""
        return bool(self.cluster.render_yaml_to_directory)

    @property
    def owns_namespace(self) -> bool:
        """Whether the program creates (and on destroy deletes) the namespace."""
        return self.create_namespace and self.namespace not in BUILT_IN_NAMESPACES


class SettingsError(ValueError):
    """One or more config values are invalid; the message lists each of them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"invalid stack config ({len(problems)} problem(s)):\n{listing}\n"
            f"Fix with `pulumi config set {PROJECT}:<key> <value>` or edit stacks/Pulumi.<stack>.yaml."
        )


T = TypeVar("T")


class _Reader:
    """Reads raw config values by short key, collecting every problem found."""

    def __init__(self, raw: Mapping[str, object]) -> None:
        self._raw = raw
        self.problems: list[str] = []
        self.used: set[str] = set()

    def _get(self, key: str) -> str | None:
        full = f"{PROJECT}:{key}"
        self.used.add(full)
        value = self._raw.get(full)
        return None if value is None else str(value)

    def _fail(self, key: str, message: str, default: T) -> T:
        self.problems.append(f"{PROJECT}:{key} {message}")
        return default

    def string(self, key: str, default: str, check: Callable[[str], str | None] | None = None) -> str:
        value = self._get(key)
        if value is None:
            return default
        problem = check(value) if check else None
        return self._fail(key, problem, default) if problem else value

    def integer(self, key: str, default: int, minimum: int = 0) -> int:
        value = self._get(key)
        if value is None:
            return default
        try:
            number = int(value.strip())
        except ValueError:
            return self._fail(key, f"must be a whole number >= {minimum}, got {value!r}", default)
        if number < minimum:
            return self._fail(key, f"must be a whole number >= {minimum}, got {number}", default)
        return number

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        return self._fail(key, f"must be true or false, got {value!r}", default)

    def choice(self, key: str, default: T, allowed: tuple[T, ...]) -> T:
        value = self._get(key)
        if value is None:
            return default
        if value in allowed:
            return cast(T, value)
        listing = ", ".join(str(a) for a in allowed)
        return self._fail(key, f"must be one of {listing}, got {value!r}", default)


def check_dns_label(value: str) -> str | None:
    if len(value) <= 63 and _DNS_LABEL.match(value):
        return None
    return (
        f"must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending "
        f"with a letter or digit, at most 63 characters), got {value!r}"
    )


def check_dns_subdomain(value: str) -> str | None:
    if len(value) <= 253 and _DNS_SUBDOMAIN.match(value):
        return None
    return f"must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.'), got {value!r}"


def check_image_reference(value: str) -> str | None:
    if len(value) <= 255 and _IMAGE_REF.match(value):
        return None
    return (
        f"must be an image reference like registry.k8s.io/nginx-slim:0.24 "
        f"([registry/]path[:tag][@sha256:digest], lowercase path), got {value!r}"
    )


def check_quantity(value: str) -> str | None:
    if _QUANTITY.match(value):
        return None
    return f"must be a Kubernetes quantity such as 1Gi or 500Mi, got {value!r}"


def check_path(value: str) -> str | None:
    if "\n" in value or "\0" in value:
        return f"must be a file path, got {value!r}"
    return None


def check_context_name(value: str) -> str | None:
    if value != value.strip() or "\n" in value or "\0" in value:
        return f"must be a context name from the kubeconfig, got {value!r}"
    return None


def check_run_id(value: str) -> str | None:
    if len(value) <= 128 and "\n" not in value:
        return None
    return f"must be a short single-line string, got {value!r}"


# Every key of the project's namespace, as declared in Pulumi.yaml.
KNOWN_KEYS = frozenset(
    f"{PROJECT}:{k}"
    for k in (
        "namespace",
        "createNamespace",
        "replicas",
        "image",
        "updateStrategy",
        "partition",
        "podManagementPolicy",
        "minReadySeconds",
        "pvcRetentionWhenDeleted",
        "pvcRetentionWhenScaled",
        "statefulSetDeletion",
        "deploymentReplicas",
        "installLocalPath",
        "storageClassName",
        "defaultStorageClass",
        "provisionerImage",
        "storageSize",
        "kubeconfig",
        "context",
        "renderYamlToDirectory",
        "probes",
        "probeStableStorage",
        "probeRunId",
        "failOnFailedCheck",
        "dnsProbeImage",
        "probeTimeoutSeconds",
    )
)


def settings_from_config(raw: Mapping[str, object]) -> LabSettings:
    """Builds and validates the settings from raw config (full key -> value).

    Raises SettingsError listing every invalid value and unknown key.
    """
    r = _Reader(raw)
    defaults = LabSettings()
    replicas = r.integer("replicas", defaults.replicas)
    partition = r.integer("partition", defaults.partition)
    strategy = r.choice("updateStrategy", defaults.update_strategy, UPDATE_STRATEGIES)
    settings = LabSettings(
        namespace=r.string("namespace", defaults.namespace, check_dns_label),
        create_namespace=r.boolean("createNamespace", defaults.create_namespace),
        replicas=replicas,
        image=r.string("image", defaults.image, check_image_reference),
        update_strategy=strategy,
        partition=partition,
        pod_management_policy=r.choice("podManagementPolicy", defaults.pod_management_policy, POD_MANAGEMENT_POLICIES),
        min_ready_seconds=r.integer("minReadySeconds", defaults.min_ready_seconds),
        pvc_retention_when_deleted=r.choice(
            "pvcRetentionWhenDeleted", defaults.pvc_retention_when_deleted, RETENTION_POLICIES
        ),
        pvc_retention_when_scaled=r.choice(
            "pvcRetentionWhenScaled", defaults.pvc_retention_when_scaled, RETENTION_POLICIES
        ),
        statefulset_deletion=r.choice("statefulSetDeletion", defaults.statefulset_deletion, DELETION_PROPAGATIONS),
        deployment_replicas=r.integer("deploymentReplicas", defaults.deployment_replicas),
        storage=StorageSettings(
            install_local_path=r.choice("installLocalPath", "auto", INSTALL_MODES),
            storage_class_name=r.string("storageClassName", "local-path", check_dns_subdomain),
            make_default=r.boolean("defaultStorageClass", True),
            provisioner_image=r.string("provisionerImage", DEFAULT_PROVISIONER_IMAGE, check_image_reference),
            size=r.string("storageSize", "1Gi", check_quantity),
        ),
        cluster=ClusterSettings(
            kubeconfig=r.string("kubeconfig", "", check_path),
            context=r.string("context", "", check_context_name),
            render_yaml_to_directory=r.string("renderYamlToDirectory", "", check_path),
        ),
        probes=ProbeSettings(
            enabled=r.boolean("probes", True),
            stable_storage=r.boolean("probeStableStorage", False),
            run_id=r.string("probeRunId", "", check_run_id),
            fail_on_failed_check=r.boolean("failOnFailedCheck", False),
            dns_image=r.string("dnsProbeImage", DEFAULT_DNS_PROBE_IMAGE, check_image_reference),
            timeout_seconds=r.integer("probeTimeoutSeconds", 180, minimum=10),
        ),
    )
    if partition > replicas:
        r.problems.append(f"{PROJECT}:partition must be between 0 and {PROJECT}:replicas ({replicas}), got {partition}")
    if partition and strategy == "OnDelete":
        r.problems.append(
            f"{PROJECT}:partition applies only to updateStrategy RollingUpdate; "
            f"set it to 0 or use RollingUpdate (got partition {partition} with OnDelete)"
        )
    unknown = sorted(k for k in raw if k.startswith(f"{PROJECT}:") and k not in KNOWN_KEYS)
    for key in unknown:
        r.problems.append(f"{key} is not a setting of this project (see Pulumi.yaml for the keys)")
    if r.problems:
        raise SettingsError(r.problems)
    return settings

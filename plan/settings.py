"""Typed, validated settings of one stack, built before any resource exists.

`settings_from_config` turns the raw stack config (key -> string, as Pulumi
passes it, or a YAML scalar) into a frozen `LabSettings`. Every problem found is
reported at once in a `SettingsError` that names the full config key, the value
and what is allowed, so a bad stack file fails in preview with nothing touched.

The module reads nothing itself: what validation needs from the machine (where
`~` points, which files exist, the contexts of a kubeconfig) comes through a
`KubeconfigLookup`, implemented by `kube.kubeconfig.LocalKubeconfigs`.

The keys it knows are the keys it reads: `known_keys()` is derived from the
reader, so a key is written here once, in its reader call (and declared in
Pulumi.yaml, which a unit test holds against `known_keys()`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Protocol, TypeVar, cast

from kube.kubeconfig import KubeconfigError
from kube.storage_names import PROVISIONER_NAMESPACE
from probes.lesson_catalogue import CATALOGUE, LESSONS, LessonName

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

# Every pattern is applied with fullmatch: `$` would also match before a
# trailing newline, and "lab\n" is not a namespace.
# RFC 1123 label: what Kubernetes accepts for namespaces and what DNS needs for
# `<pod>.<service>.<namespace>.svc` to resolve.
_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
# DNS-1123 subdomain, for StorageClass names.
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
# [registry[:port]/]path[:tag][@digest], the grammar of docker/distribution.
# ASCII: without it \w would accept letters of any script in a tag.
_IMAGE_REF = re.compile(
    r"(?:(?P<registry>[a-zA-Z0-9.-]+(?::[0-9]+)?)/)?"
    r"(?P<path>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
    r"(?::(?P<tag>\w[\w.-]{0,127}))?"
    r"(?:@(?P<digest>sha256:[0-9a-f]{64}))?",
    re.ASCII,
)
_QUANTITY = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]+)?)(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?")
_QUANTITY_FACTORS = {
    "": 1,
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "P": 10**15,
    "E": 10**18,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
    "Pi": 2**50,
    "Ei": 2**60,
}
# Only ASCII digits: int() would also take "٣", "+3", "-0", "1_000" and " 3\n".
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")
# C0 and C1 control characters (newline, tab, NUL, ...): meaningless in every
# free-form value of this project.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")

MAX_REPLICAS = 100
"""Bound of replicas and deploymentReplicas: the lab runs on one to three small
nodes; 100 is what the benchmarks go up to, anything above is a typo."""
MAX_MIN_READY_SECONDS = 86_400
"""One day: each new pod holds the rollout that long, so more is a unit mistake."""
PROBE_TIMEOUT_SECONDS_RANGE = (10, 3_600)
"""Below 10 s a cold DNS probe pod cannot start; above an hour a hung step holds the up."""
MAX_STORAGE_BYTES = 2**40
"""1Ti: each claim is a directory on a lab node's disk."""
MAX_ORDINALS_START = 10_000
"""Pod names stay short enough for a DNS label; a larger start is a typo."""


@dataclass(frozen=True)
class ProbeSettings:
    """What the verification probes do and how their results are treated."""

    enabled: bool = True
    """Run the kubectl probes after the workloads are up."""
    stable_storage: bool = False
    """Run the destructive stable-storage probe (writes index.html, deletes pods)."""
    run_id: str = ""
    """Any change re-runs every probe on the next `pulumi up` (`make report`
    re-runs them without it, by replacing the probe command)."""
    fail_on_failed_check: bool = False
    """Fail `pulumi up` when a check fails, instead of only reporting it."""
    dns_image: str = DEFAULT_DNS_PROBE_IMAGE
    """Image of the short-lived pod that runs nslookup (busybox 1.28 has a working one)."""
    cluster_domain: str = "cluster.local"
    """The cluster's DNS domain, the end of each pod's fully qualified name."""
    timeout_seconds: int = 180
    """Upper bound for each probe step; a step that takes longer fails."""


@dataclass(frozen=True)
class LessonSettings:
    """The action of the current step of an experiment (probes.lesson_catalogue)."""

    name: LessonName = "none"
    """Which lesson runs after the rollout, once per change of these settings."""
    ordinal: int | None = None
    """The StatefulSet pod it acts on (or whose node); None: the lesson's default."""
    run_id: str = ""
    """Any change runs the lesson again."""


@dataclass(frozen=True)
class ClusterSettings:
    """Which cluster the program talks to; the probes use the same one."""

    kubeconfig: str = ""
    """Absolute path of the kubeconfig (`~` expanded, a relative path taken from
    the project directory); empty means $KUBECONFIG or ~/.kube/config."""
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
    use_default_class: bool = False
    """The claims name no class, so the cluster's default StorageClass serves them
    (the seed's set-up); storage_class_name then only says what to install."""
    provisioner_image: str = DEFAULT_PROVISIONER_IMAGE
    """Image of the provisioner Deployment."""
    size: str = "1Gi"
    """Requested size of every volume claim."""


BUILT_IN_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})
# Kubernetes' own namespaces, where the lab's objects would sit among the
# cluster's components; the lab may not use them (nor the provisioner's).
KUBERNETES_NAMESPACES = BUILT_IN_NAMESPACES - {"default"}


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
    """Lowest ordinal a RollingUpdate moves to the new revision (0..100; at or above replicas it holds every pod)."""
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
    spread_across_nodes: bool = False
    """Hard topology spread of the StatefulSet's pods on kubernetes.io/hostname:
    one pod per node, so it needs as many schedulable nodes as replicas."""
    ordinals_start: int = 0
    """The first ordinal: pods and claims are numbered from it (spec.ordinals.start)."""
    max_unavailable: str = ""
    """RollingUpdate: how many pods (or what percentage) may be down at once; empty: one."""
    force_rollback: bool = False
    """Let the rollout gate delete pods stuck on a revision that is no longer
    the update revision, which a reverted OrderedReady rollout never replaces."""
    lesson: LessonSettings = LessonSettings()
    storage: StorageSettings = StorageSettings()
    cluster: ClusterSettings = ClusterSettings()
    probes: ProbeSettings = ProbeSettings()

    @property
    def renders_only(self) -> bool:
        """Manifests go to a directory; nothing reaches a cluster, so nothing is probed."""
        return bool(self.cluster.render_yaml_to_directory)

    @property
    def ordinals(self) -> range:
        """The ordinals of the StatefulSet's pods."""
        return range(self.ordinals_start, self.ordinals_start + self.replicas)

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


class KubeconfigLookup(Protocol):
    """What validating `kubeconfig` and `context` needs to know about the machine
    the program runs on (components.kubeconfig_contexts reads it)."""

    def resolve(self, path: str) -> str:
        """The absolute form of a configured path: `~` and `~user` expanded, a
        relative path taken from the project directory (the program's cwd)."""

    def is_file(self, path: str) -> bool:
        """Whether `path` is an existing file."""

    def default_files(self) -> tuple[str, ...]:
        """The kubeconfigs kubectl and the provider read when none is configured:
        the files of $KUBECONFIG, else ~/.kube/config."""

    def contexts(self, files: Sequence[str]) -> list[str]:
        """Context names defined by `files`, merged as kubectl merges them
        (missing files skipped). Raises KubeconfigError when one cannot be read
        or parsed, or when none of them exists."""


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        # As Pulumi passes a YAML boolean to the program.
        return "true" if value else "false"
    return str(value)


def _whole_number(value: object) -> int | None:
    # bool is a subclass of int, but `replicas: true` is not one replica.
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
        return int(value)
    return None


class _Reader:
    """Reads raw config values by short key, collecting every problem found."""

    def __init__(self, raw: Mapping[str, object]) -> None:
        self._raw = raw
        self.problems: list[str] = []
        self.failed: set[str] = set()
        self.read: list[str] = []
        """Every key asked for, in order: the keys this project knows."""

    def _get(self, key: str) -> object | None:
        self.read.append(f"{PROJECT}:{key}")
        return self._raw.get(f"{PROJECT}:{key}")

    def fail(self, key: str, message: str, default: T) -> T:
        self.problems.append(f"{PROJECT}:{key} {message}")
        self.failed.add(key)
        return default

    def string(self, key: str, default: str, check: Callable[[str], str | None]) -> str:
        value = self._get(key)
        if value is None:
            return default
        text = _as_text(value)
        problem = check(text)
        if problem is None:
            return text
        if text != text.strip():
            problem += " (remove the whitespace around it)"
        return self.fail(key, problem, default)

    def integer(self, key: str, default: int, minimum: int, maximum: int) -> int:
        value = self._get(key)
        if value is None:
            return default
        number = _whole_number(value)
        if number is not None and minimum <= number <= maximum:
            return number
        return self.fail(key, f"must be a whole number between {minimum} and {maximum}, got {value!r}", default)

    def optional_integer(self, key: str, minimum: int, maximum: int) -> int | None:
        """A whole number, or None when the key is unset or empty."""
        value = self._get(key)
        if value is None or value == "":
            return None
        number = _whole_number(value)
        if number is not None and minimum <= number <= maximum:
            return number
        return self.fail(key, f"must be empty or a whole number between {minimum} and {maximum}, got {value!r}", None)

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return self.fail(key, f"must be true or false, got {value!r}", default)

    def choice(self, key: str, default: T, allowed: tuple[T, ...]) -> T:
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, str) and value in allowed:
            return cast(T, value)
        listing = ", ".join(str(a) for a in allowed)
        return self.fail(key, f"must be one of {listing}, got {value!r}", default)


def _is_clean(value: str) -> bool:
    return value == value.strip() and not _CONTROL_CHARACTER.search(value)


def check_dns_label(value: str) -> str | None:
    if len(value) <= 63 and _DNS_LABEL.fullmatch(value):
        return None
    return (
        f"must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending "
        f"with a letter or digit, at most 63 characters), got {value!r}"
    )


def check_namespace(value: str) -> str | None:
    problem = check_dns_label(value)
    if problem:
        return problem
    if value in KUBERNETES_NAMESPACES:
        return (
            f"must not be one of Kubernetes' own namespaces ({', '.join(sorted(KUBERNETES_NAMESPACES))}); "
            f"use default or a namespace of the lab's own, got {value!r}"
        )
    if value == PROVISIONER_NAMESPACE:
        return (
            f"must not be {PROVISIONER_NAMESPACE}, the namespace of the local-path provisioner that the "
            f"program's storage installation creates and deletes; use default or a namespace of the "
            f"lab's own, got {value!r}"
        )
    return None


def check_dns_subdomain(value: str) -> str | None:
    if len(value) <= 253 and _DNS_SUBDOMAIN.fullmatch(value):
        return None
    return f"must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.'), got {value!r}"


def check_image_reference(value: str) -> str | None:
    if len(value) <= 255 and _IMAGE_REF.fullmatch(value):
        return None
    return (
        f"must be an image reference like registry.k8s.io/nginx-slim:0.24 "
        f"([registry/]path[:tag][@sha256:digest], lowercase path, ASCII tag), got {value!r}"
    )


def check_storage_size(value: str) -> str | None:
    match = _QUANTITY.fullmatch(value) if len(value) <= 32 else None
    if match and 0 < Fraction(match["number"]) * _QUANTITY_FACTORS[match["suffix"] or ""] <= MAX_STORAGE_BYTES:
        return None
    return f"must be a Kubernetes quantity above 0 and at most 1Ti, such as 1Gi or 500Mi, got {value!r}"


_MAX_UNAVAILABLE = re.compile(r"[1-9][0-9]{0,2}%?")


def check_max_unavailable(value: str) -> str | None:
    number = value.removesuffix("%")
    if value == "" or (
        _MAX_UNAVAILABLE.fullmatch(value) and int(number) <= (100 if value.endswith("%") else MAX_REPLICAS)
    ):
        return None
    return f"must be empty, a number of pods from 1 to {MAX_REPLICAS}, or a percentage from 1% to 100%, got {value!r}"


def check_path(value: str) -> str | None:
    if _is_clean(value):
        return None
    return f"must be a file path without surrounding whitespace or control characters, got {value!r}"


def check_context_name(value: str) -> str | None:
    if _is_clean(value):
        return None
    return f"must be a context name without surrounding whitespace or control characters, got {value!r}"


def check_run_id(value: str) -> str | None:
    if len(value) <= 128 and _is_clean(value):
        return None
    return f"must be a single-line string of at most 128 characters without surrounding whitespace, got {value!r}"


def check_kubeconfig_file(written: str, resolved: str, exists: bool) -> str | None:
    """The problem with a configured kubeconfig path, given whether its resolved form exists."""
    if exists:
        return None
    shown = repr(written) if resolved == written else f"{written!r} ({resolved})"
    return (
        f"must be the path of an existing kubeconfig file, got {shown}, which does not exist; "
        f"fix it with `pulumi config set {PROJECT}:kubeconfig <path>` (a relative path is taken from "
        f"the project directory) or drop it with `pulumi config rm {PROJECT}:kubeconfig` to use "
        f"$KUBECONFIG or ~/.kube/config"
    )


def check_context_listed(context: str, contexts: Sequence[str], files: Sequence[str]) -> str | None:
    """The problem with a configured context, given the contexts its kubeconfig files define."""
    if context in contexts:
        return None
    where = files[0] if len(files) == 1 else "the kubeconfigs " + ", ".join(files)
    if not contexts:
        return f"must be a context of {where}, which defines none, got {context!r}"
    return f"must be a context of {where}, one of {', '.join(contexts)}, got {context!r}"


# The program gives its Kubernetes provider every setting explicitly; an
# explicit provider reads no `kubernetes:*` stack config (only a default
# provider would), so such a key would silently do nothing.
_PROVIDER_KEYS_OF_THE_PROJECT = frozenset({"kubeconfig", "context", "namespace", "renderYamlToDirectory"})


def check_provider_keys(keys: Sequence[str]) -> list[str]:
    """A problem for each `kubernetes:*` key, naming the project key to use instead."""
    problems = []
    for key in sorted(k for k in keys if k.startswith("kubernetes:")):
        # `kubernetes:config:context` is the older spelling of `kubernetes:context`.
        name = key.rsplit(":", 1)[-1]
        ignored = (
            f"{key} has no effect: the program builds its own Kubernetes provider, which reads no kubernetes:* keys"
        )
        if name in _PROVIDER_KEYS_OF_THE_PROJECT:
            problems.append(
                f"{ignored}; set {PROJECT}:{name} instead "
                f"(`pulumi config rm {key} && pulumi config set {PROJECT}:{name} <value>`)"
            )
        else:
            problems.append(f"{ignored}; remove it (`pulumi config rm {key}`)")
    return problems


def _cluster_settings(r: _Reader, lookup: KubeconfigLookup | None) -> ClusterSettings:
    written = r.string("kubeconfig", "", check_path)
    context = r.string("context", "", check_context_name)
    render = r.string("renderYamlToDirectory", "", check_path)
    if lookup is None:
        return ClusterSettings(kubeconfig=written, context=context, render_yaml_to_directory=render)
    # Resolved once here, so the provider and every kubectl call get the same file.
    kubeconfig = lookup.resolve(written) if written else ""
    if kubeconfig:
        problem = check_kubeconfig_file(written, kubeconfig, lookup.is_file(kubeconfig))
        if problem:
            r.fail("kubeconfig", problem, "")
    # With a bad kubeconfig, the file the context belongs to is unknown.
    if context and "kubeconfig" not in r.failed:
        files = (kubeconfig,) if kubeconfig else lookup.default_files()
        try:
            problem = check_context_listed(context, lookup.contexts(files), files)
        except KubeconfigError as err:
            problem = f"{context!r} cannot be checked: {err}"
        if problem:
            r.fail("context", problem, "")
    return ClusterSettings(kubeconfig=kubeconfig, context=context, render_yaml_to_directory=render)


def _read_settings(r: _Reader, lookup: KubeconfigLookup | None) -> LabSettings:
    """Reads every key, each with the default of the field it fills."""
    d = LabSettings()
    replicas = r.integer("replicas", d.replicas, 0, MAX_REPLICAS)
    partition = r.integer("partition", d.partition, 0, MAX_REPLICAS)
    strategy = r.choice("updateStrategy", d.update_strategy, UPDATE_STRATEGIES)
    settings = LabSettings(
        namespace=r.string("namespace", d.namespace, check_namespace),
        create_namespace=r.boolean("createNamespace", d.create_namespace),
        replicas=replicas,
        image=r.string("image", d.image, check_image_reference),
        update_strategy=strategy,
        partition=partition,
        pod_management_policy=r.choice("podManagementPolicy", d.pod_management_policy, POD_MANAGEMENT_POLICIES),
        min_ready_seconds=r.integer("minReadySeconds", d.min_ready_seconds, 0, MAX_MIN_READY_SECONDS),
        pvc_retention_when_deleted=r.choice(
            "pvcRetentionWhenDeleted", d.pvc_retention_when_deleted, RETENTION_POLICIES
        ),
        pvc_retention_when_scaled=r.choice("pvcRetentionWhenScaled", d.pvc_retention_when_scaled, RETENTION_POLICIES),
        statefulset_deletion=r.choice("statefulSetDeletion", d.statefulset_deletion, DELETION_PROPAGATIONS),
        deployment_replicas=r.integer("deploymentReplicas", d.deployment_replicas, 0, MAX_REPLICAS),
        spread_across_nodes=r.boolean("spreadAcrossNodes", d.spread_across_nodes),
        ordinals_start=r.integer("ordinalsStart", d.ordinals_start, 0, MAX_ORDINALS_START),
        max_unavailable=r.string("maxUnavailable", d.max_unavailable, check_max_unavailable),
        force_rollback=r.boolean("forceRollback", d.force_rollback),
        lesson=LessonSettings(
            name=r.choice("lesson", d.lesson.name, LESSONS),
            ordinal=r.optional_integer("lessonOrdinal", 0, MAX_ORDINALS_START + MAX_REPLICAS),
            run_id=r.string("lessonRunId", d.lesson.run_id, check_run_id),
        ),
        storage=StorageSettings(
            install_local_path=r.choice("installLocalPath", d.storage.install_local_path, INSTALL_MODES),
            storage_class_name=r.string("storageClassName", d.storage.storage_class_name, check_dns_subdomain),
            make_default=r.boolean("defaultStorageClass", d.storage.make_default),
            use_default_class=r.boolean("useDefaultStorageClass", d.storage.use_default_class),
            provisioner_image=r.string("provisionerImage", d.storage.provisioner_image, check_image_reference),
            size=r.string("storageSize", d.storage.size, check_storage_size),
        ),
        cluster=_cluster_settings(r, lookup),
        probes=ProbeSettings(
            enabled=r.boolean("probes", d.probes.enabled),
            stable_storage=r.boolean("probeStableStorage", d.probes.stable_storage),
            run_id=r.string("probeRunId", d.probes.run_id, check_run_id),
            fail_on_failed_check=r.boolean("failOnFailedCheck", d.probes.fail_on_failed_check),
            dns_image=r.string("dnsProbeImage", d.probes.dns_image, check_image_reference),
            cluster_domain=r.string("clusterDomain", d.probes.cluster_domain, check_dns_subdomain),
            timeout_seconds=r.integer("probeTimeoutSeconds", d.probes.timeout_seconds, *PROBE_TIMEOUT_SECONDS_RANGE),
        ),
    )
    # A partition above the replicas is what Kubernetes accepts: every pod is
    # held (the policy pack's partition-holds-every-pod says so in the preview).
    if partition and strategy == "OnDelete":
        r.problems.append(
            f"{PROJECT}:partition applies only to updateStrategy RollingUpdate; "
            f"set it to 0 or use RollingUpdate (got partition {partition} with OnDelete)"
        )
    if settings.max_unavailable and strategy == "OnDelete":
        r.problems.append(
            f"{PROJECT}:maxUnavailable applies only to updateStrategy RollingUpdate; remove it or use RollingUpdate "
            f"(got maxUnavailable {settings.max_unavailable} with OnDelete)"
        )
    if not {"lesson", "lessonOrdinal", "replicas", "ordinalsStart"} & r.failed:
        r.problems.extend(check_lesson(settings))
    return settings


def check_lesson(settings: LabSettings) -> list[str]:
    """Whether the lesson can act on this stack: the pod it names exists, and
    it is given a pod where it needs one."""
    lesson = CATALOGUE[settings.lesson.name]
    ordinal = settings.lesson.ordinal
    ordinals = settings.ordinals
    span = f"{ordinals.start}..{ordinals.stop - 1}" if ordinals else "none: replicas is 0"
    # A lessonOrdinal left over from an earlier step is ignored by a lesson
    # that takes none: the next step may use it again.
    if lesson.ordinal == "none":
        return []
    if lesson.ordinal == "required" and ordinal is None:
        return [
            f"{PROJECT}:lesson {lesson.name} {lesson.does}: set {PROJECT}:lessonOrdinal to the ordinal of "
            f"that pod (web-sts-<ordinal>, one of {span})"
        ]
    if not ordinals:
        return [f"{PROJECT}:lesson {lesson.name} needs a StatefulSet pod, and replicas is 0"]
    if ordinal is not None and ordinal not in ordinals:
        return [
            f"{PROJECT}:lessonOrdinal must be the ordinal of an existing StatefulSet pod ({span}, from "
            f"{PROJECT}:ordinalsStart and {PROJECT}:replicas), got {ordinal}"
        ]
    return []


def known_keys() -> frozenset[str]:
    """Every key of the project's namespace: those the reader asks for."""
    reader = _Reader({})
    _read_settings(reader, None)
    return frozenset(reader.read)


def settings_from_config(raw: Mapping[str, object], lookup: KubeconfigLookup | None = None) -> LabSettings:
    """Builds and validates the settings from raw config (full key -> value).

    `lookup` answers what the `kubeconfig` and `context` checks need from the
    machine; the program always passes one. Without it, those two are checked
    only as strings and the kubeconfig path is kept as written.

    Raises SettingsError listing every invalid value and unknown key.
    """
    r = _Reader(raw)
    settings = _read_settings(r, lookup)
    known = set(r.read)
    unknown = sorted(k for k in raw if k.startswith(f"{PROJECT}:") and k not in known)
    for key in unknown:
        r.problems.append(f"{key} is not a setting of this project (see Pulumi.yaml for the keys)")
    r.problems.extend(check_provider_keys(list(raw)))
    if r.problems:
        raise SettingsError(r.problems)
    return settings

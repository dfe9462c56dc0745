"""The typed facts one probe run produces; probes.document holds them as the probe document.

A check's verdict is one of four words. Only "passed" says the cluster showed
what the lab expects; "failed" says it showed something else; "inconclusive"
says the run could not tell (e.g. DNS did not answer the control query);
"not applicable" says the check had nothing to judge (e.g. no pods because
replicas is 0). Consumers gate on `gate_failures`: failed and inconclusive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeVar

from kube.names import LabNames, WorkloadNames
from probes.lesson_record import LessonRecord

Workload = Literal["statefulset", "deployment"]

Verdict = Literal["passed", "failed", "inconclusive", "not applicable"]
PASSED: Final = "passed"
FAILED: Final = "failed"
INCONCLUSIVE: Final = "inconclusive"
NOT_APPLICABLE: Final = "not applicable"
VERDICTS: Final[tuple[Verdict, ...]] = (PASSED, FAILED, INCONCLUSIVE, NOT_APPLICABLE)
GATE_FAILING: Final[tuple[Verdict, ...]] = (FAILED, INCONCLUSIVE)
"""Verdicts a check gate must stop on: a gate that cannot prove something must not let it through."""

DnsOutcome = Literal["resolved", "not found", "error"]
RESOLVED: Final = "resolved"
NOT_FOUND: Final = "not found"
LOOKUP_ERROR: Final = "error"


@dataclass(frozen=True)
class Expectations:
    """What the stack configured, i.e. what the checks hold the cluster to.

    It travels to `python -m probes observe` as one JSON argument and is
    stored in the probe document, flat, as the report reads it. The names
    come from the program's `LabNames` (`for_lab`), never from defaults here.
    """

    namespace: str
    replicas: int
    deployment_replicas: int
    image: str
    update_strategy: str
    partition: int
    pod_management_policy: str
    pvc_retention_when_scaled: str
    statefulset: str
    deployment: str
    statefulset_service: str
    deployment_service: str
    claim_template: str
    container: str
    document_root: str
    dns_image: str
    cluster_domain: str = "cluster.local"
    """The cluster's DNS domain: each pod's fully qualified name ends in svc.<it>."""
    stable_storage: bool = False
    spread_across_nodes: bool = False
    """The StatefulSet has a hard topology spread (maxSkew 1) on kubernetes.io/hostname."""
    pvc_retention_when_deleted: str = "Retain"
    ordinals_start: int = 0
    """The first ordinal: pods are <statefulset>-<start>..<start+replicas-1>."""
    min_ready_seconds: int = 0
    force_rollback: bool = False
    max_unavailable: str = ""
    lesson: str = "none"
    """The lesson the stack runs (probes.lesson_catalogue.LESSONS); its record comes on stdin."""
    claims_name_class: bool = True
    """The claims name their StorageClass; False: they name none (useDefaultStorageClass)."""
    default_class: str = ""
    """The cluster's default class the plan expects to serve claims that name none."""

    @property
    def ordinals(self) -> range:
        return range(self.ordinals_start, self.ordinals_start + self.replicas)

    @classmethod
    def for_lab(cls, names: LabNames, **settings: Any) -> Expectations:
        """The expectations of the lab named `names`, with the stack's settings."""
        return cls(
            statefulset=names.statefulset.workload,
            deployment=names.deployment.workload,
            statefulset_service=names.statefulset.service,
            deployment_service=names.deployment.service,
            claim_template=names.volume,
            container=names.container,
            document_root=names.document_root,
            **settings,
        )

    @property
    def names(self) -> LabNames:
        return LabNames(
            statefulset=WorkloadNames(self.statefulset, self.statefulset_service),
            deployment=WorkloadNames(self.deployment, self.deployment_service),
            volume=self.claim_template,
            container=self.container,
            document_root=self.document_root,
        )


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
    uid: str = ""
    """Tells this life of the pod from an earlier pod of the same name in the events."""
    state: str = ""
    """What `kubectl describe` would show first: Running, a waiting container's
    reason (CrashLoopBackOff: ...), the scheduler's refusal (unschedulable: ...)."""
    unschedulable: str = ""
    """The scheduler's message while the pod waits unplaced, empty otherwise."""
    terminating: bool = False
    """Its deletion was asked for; it is on its way out (or stuck on a failed node)."""
    owner: str = ""
    """Kind/name of its controller (StatefulSet/web-sts, ReplicaSet/web-dep-5cb9c96945), empty for none."""
    hostname_error: str = ""
    """Why `hostname` could not be read in it (not running, its node is down, the exec failed)."""
    readiness_failure_threshold: int = 3
    """Its readiness probe's failureThreshold: how many failures in a row make a Ready pod unready."""
    identity_labels: dict[str, str] | None = None
    """The StatefulSet controller's identity labels it carries (IDENTITY_LABELS,
    those it has); None where the document did not record them."""
    started_at: str | None = None
    """When its containers had all started in this life (the latest start),
    None while one is not running, or where the document did not record it."""

    @property
    def runs(self) -> bool:
        """A container of it runs, so a command can run in it."""
        return self.phase == "Running" and not self.terminating and bool(self.node)

    @property
    def never_ran(self) -> bool:
        """Pending and never Ready in this life: down since its creation (an
        image that cannot be pulled, a container that cannot start)."""
        return self.phase == "Pending" and not self.ready and self.ready_since is None


POD_NAME_LABEL: Final = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL: Final = "apps.kubernetes.io/pod-index"
IDENTITY_LABELS: Final = (POD_NAME_LABEL, POD_INDEX_LABEL)
"""The labels the StatefulSet controller gives each pod: its name (so a
Service can select one pod) and, since Kubernetes 1.28, its ordinal."""


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
    service_name: str = ""
    """spec.serviceName: the governing Service whose DNS names the pods get."""
    max_unavailable: str | None = None
    """spec.updateStrategy.rollingUpdate.maxUnavailable, when set."""
    min_ready_seconds: int = 0
    """OrderedReady waits this long after a pod is Ready before creating the next."""
    uid: str = ""
    generation: int = 0
    created: str = ""
    observed_generation: int = 0
    """status.observedGeneration: the controller has acted on the spec up to this
    generation (0 in a document made before it was recorded)."""


@dataclass(frozen=True)
class DeploymentFacts:
    replicas: int
    ready_replicas: int
    updated_replicas: int
    generation: int
    observed_generation: int
    strategy: str
    """RollingUpdate or Recreate."""
    max_surge: str | None
    max_unavailable: str | None
    pod_template_hashes: list[str]
    """The pod-template-hash labels (one per ReplicaSet) of the current pods."""
    uid: str = ""


@dataclass(frozen=True)
class ServiceFacts:
    name: str
    cluster_ip: str
    """"None" for a headless Service."""
    selector: dict[str, str]

    @property
    def headless(self) -> bool:
        return self.cluster_ip == "None"


@dataclass(frozen=True)
class NodeFacts:
    name: str
    ready: bool
    unschedulable: bool
    taints: list[str]
    """Each as key[=value]:Effect."""
    ready_changed: str | None = None
    """When its Ready condition last changed (when it went NotReady, if it is)."""

    @property
    def available(self) -> bool:
        """Ready and not cordoned: a pod can start on it."""
        return self.ready and not self.unschedulable

    @property
    def takes_new_pods(self) -> bool:
        """Ready, not cordoned and without a taint that keeps untolerating pods off it."""
        return (
            self.ready
            and not self.unschedulable
            and not any(t.endswith((":NoSchedule", ":NoExecute")) for t in self.taints)
        )


@dataclass(frozen=True)
class ClaimFacts:
    name: str
    phase: str
    storage_class: str
    volume: str
    node: str | None
    host_path: str | None
    uid: str = ""
    """The claim's own uid: a dynamically provisioned volume's directory is named after it."""
    created: str = ""
    deleting_since: str = ""
    """metadata.deletionTimestamp: its deletion was asked for; pvc-protection keeps it
    (Terminating) while a pod mounts it, and it goes with that pod."""
    on_disk: bool | None = None
    """Whether its volume's directory is on its node's disk, as the lab cluster's
    host sees that node's /opt/local-path-provisioner; None where nobody looked
    (another cluster, a volume with no node or no host path)."""
    selected_node: str = ""
    """The node the scheduler chose for the claim's pod (volume.kubernetes.io/selected-node):
    set only when the class waits for the first consumer; empty otherwise or in older documents."""
    volume_created: str = ""
    """When its volume (the PV) was made; empty while it has none, or in older documents."""


@dataclass(frozen=True)
class DnsLookup:
    """One nslookup of the DNS probe.

    `outcome` is what the answer proves: "resolved" (exit 0 and addresses),
    "not found" (the server said the name does not exist) or "error" (anything
    else: no nslookup, a timeout, SERVFAIL, a cut-off run); `detail` is the line
    or reason that decided it. `exit_code` is None when the run ended before
    the lookup's end marker.
    """

    query: str
    exit_code: int | None
    addresses: list[str]
    outcome: DnsOutcome = LOOKUP_ERROR
    detail: str = ""

    @property
    def resolved(self) -> bool:
        return self.outcome == RESOLVED


@dataclass(frozen=True)
class SrvTarget:
    """One SRV record of a headless Service: the name it points at and the port."""

    target: str
    """Fully qualified, with its final dot, as the server wrote it."""
    port: int


@dataclass(frozen=True)
class SrvLookup:
    """The SRV query of one headless Service's named port, asked of the cluster
    DNS from the probes' own process (probes.srv says why not from the pod)."""

    service: str
    query: str
    rcode: str = ""
    """The server's answer code (NOERROR, NXDOMAIN, ...); empty when no answer came."""
    records: list[SrvTarget] = field(default_factory=list)
    error: str = ""
    """Why no answer came: the port-forward or the query failed."""


@dataclass(frozen=True)
class ReplicaSetScaling:
    """A Deployment's `ScalingReplicaSet` event: it set one of its ReplicaSets' replicas."""

    deployment: str
    replicaset: str
    from_replicas: int | None
    """None where the message does not say (older Kubernetes versions wrote only the new count)."""
    to_replicas: int
    up: bool
    time: str


@dataclass(frozen=True)
class LifecycleEvent:
    """One controller, scheduler or kubelet event about a pod, oldest first by `sequence`.

    The API folds repeats of an event into one object: `count` occurrences,
    the first at `first_time`, the last at `time`. Past ten similar events in
    ten minutes it also folds different messages into one "combined" event
    that names only the latest pod, so a combined event may hide others.
    """

    pod: str
    reason: str
    time: str
    sequence: int
    object_kind: str = "Pod"
    """Pod for the pod's own events; StatefulSet or ReplicaSet for its controller's."""
    object_name: str = ""
    object_uid: str = ""
    first_time: str | None = None
    count: int = 1
    combined: bool = False
    node: str | None = None
    """For "scheduled": the node the pod was assigned to."""


ActionVerb = Literal["created", "deleted", "evicted"]


@dataclass(frozen=True)
class Action:
    """One create, delete or eviction of a pod, a claim or the StatefulSet, and who did it."""

    time: str
    verb: ActionVerb
    kind: str
    """pod, claim or statefulset."""
    name: str
    """Empty for a create under a generated name (a Deployment's pods): the request names none."""
    actor: str
    """Who, in words: the StatefulSet controller, the garbage collector, kubectl, a kubelet."""
    user: str = ""
    """The API user behind it, as the audit log names it (empty from events)."""


@dataclass(frozen=True)
class Revision:
    """One ControllerRevision of the StatefulSet: a pod template it had, and when."""

    name: str
    """The revision's name, which its pods carry as controller-revision-hash."""
    number: int
    """Its .revision: the higher, the newer the template."""
    created: str
    """When the StatefulSet got this template (a revision brought back gets no new one: its number moves)."""
    images: list[str] = field(default_factory=list)
    """The template's container images, in order; empty in a document from before they were read."""
    template: str = ""
    """A digest of the whole pod template the revision holds: two revisions with the
    same digest hold the same template. Empty in a document from before it was read."""


@dataclass(frozen=True)
class StableStorageRun:
    """What each pod served before and after all pods were deleted."""

    last_writer: str
    before: dict[str, str]
    after: dict[str, str]
    deployment_pods_after: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Observation:
    """Everything one probe run saw."""

    statefulset: StatefulSetFacts | None
    """None: the StatefulSet does not exist."""
    deployment: DeploymentFacts | None
    """None: the Deployment does not exist."""
    statefulset_pods: list[PodFacts]
    """Its pods (or, while it does not exist, the pods it left behind), not terminating."""
    deployment_pods: list[PodFacts]
    claims: list[ClaimFacts]
    dns: list[DnsLookup]
    events: list[LifecycleEvent]
    stable_storage: StableStorageRun | None
    nodes: list[NodeFacts] = field(default_factory=list)
    terminating: list[PodFacts] = field(default_factory=list)
    """Pods of either workload on their way out (or stuck on a failed node)."""
    strangers: list[PodFacts] = field(default_factory=list)
    """Pods that carry a workload's label but are not its own."""
    dns_error: str = ""
    """Why no lookup could run (the DNS pod did not start, its exec failed)."""
    srv: list[SrvLookup] | None = None
    """The headless Services' SRV records, asked once the lookups settled; None in a document made before they were."""
    scalings: list[ReplicaSetScaling] | None = None
    """The Deployment's scaling of its ReplicaSets, oldest first; None in a document made before they were read."""
    services: list[ServiceFacts] = field(default_factory=list)
    lesson: LessonRecord | None = None
    """What the stack's lesson step did, when the stack runs one."""
    stable_storage_error: str = ""
    """Why the stable-storage run (probeStableStorage) did not finish; its checks then say so."""
    revisions: list[Revision] | None = None
    """The StatefulSet's ControllerRevisions, oldest first; None when not listed (a document from before they were)."""
    actions: list[Action] = field(default_factory=list)
    """Who created, deleted or evicted the namespace's pods and claims (probes.actors), oldest first."""
    actions_source: str = ""
    """Where `actions` came from: the lab cluster's audit log, or the controllers' events."""


@dataclass(frozen=True)
class Evidence:
    """What decided a check that did not pass: a command this run ran, and an excerpt of what it printed."""

    command: str
    output: str


@dataclass(frozen=True)
class Check:
    name: str
    workload: Workload
    verdict: Verdict
    expected: str
    observed: str
    """The evidence for the verdict; for "not applicable" and "inconclusive", why."""
    topic: str = ""
    """The report topic it is filed under: a key of probes.topics.TOPICS."""
    pods: list[str] = field(default_factory=list)
    """The pods the verdict is about."""
    evidence: list[Evidence] = field(default_factory=list)
    """For a check that failed or was inconclusive: the commands and output that decided it."""


def verdict_of(check: Check | Mapping[str, Any]) -> Verdict:
    """The verdict of a check, also from a document written before verdicts
    existed (`passed: true/false`)."""
    if isinstance(check, Check):
        return check.verdict
    verdict = check.get("verdict")
    if verdict in VERDICTS:
        return verdict  # type: ignore[no-any-return]
    return PASSED if check.get("passed") is True else FAILED


def counts(checks: Iterable[Check | Mapping[str, Any]]) -> dict[Verdict, int]:
    """How many checks have each verdict; every verdict is a key, in VERDICTS order."""
    tally: dict[Verdict, int] = dict.fromkeys(VERDICTS, 0)
    for check in checks:
        tally[verdict_of(check)] += 1
    return tally


CheckLike = TypeVar("CheckLike", Check, Mapping[str, Any])


def gate_failures(checks: Iterable[CheckLike]) -> list[CheckLike]:
    """The checks a gate must stop on: failed or inconclusive, never not applicable."""
    return [c for c in checks if verdict_of(c) in GATE_FAILING]

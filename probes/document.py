"""The probe document: what one probe run hands to everyone after it.

`observe()` returns a `ProbeDocument`; the probe command prints it as JSON,
the stack's state keeps it as that command's stdout (labstack.probe_state),
`make report` reads it back, and every reader (the report, the JUnit file,
the freshness check, the program's outputs) takes the typed document, never
its JSON.

Older versions also kept it as the stack output `probes`, in JSON Lines: one
`{"<section>": ...}` per line, so that Pulumi took it for text and shortened
it. `read_document` still reads that form.

A document carries its schema version; one without it, or of another
version, or missing a section, was written by an older lab: reading it
raises a DocumentError that says to observe again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, Final

from probes import facts
from probes.codec import DocumentShapeError, from_json_value, to_json_value
from probes.lesson_record import LessonRecord

SCHEMA_VERSION: Final = 2
"""Version 1 is the document before it carried a version."""
AGAIN: Final = "observe again to write a current one: `make report STACK=<stack>`"

PROBES_COMPONENT_TYPE = "statefulset-lab:probes:VerificationProbes"
"""The Pulumi type of the component that runs the probes: `make report` finds
the probe command in the stack's state as its child."""
OBSERVE_SUFFIX = "-observe"
"""How the probe command's resource name ends (`<component>-observe`)."""


class DocumentError(ValueError):
    """A stored probe document cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class ClusterFacts:
    """The cluster the run talked to."""

    context: str
    server: str = ""
    kubernetes_version: str = ""


@dataclass(frozen=True)
class WorkloadIdentity:
    """Which object a workload is (a new uid: deleted and created again) and
    which spec it runs (a new generation: changed)."""

    uid: str
    generation: int


@dataclass(frozen=True)
class Fingerprint:
    """What identifies the state a run judged: the workloads' identities and
    generations and `<name>/<uid>` of every pod with either workload's label.
    labstack.freshness compares it with the cluster later."""

    statefulset: WorkloadIdentity | None
    deployment: WorkloadIdentity | None
    pods: list[str]


@dataclass(frozen=True)
class PodSections:
    """The pods the run saw, by what they are to the workloads."""

    statefulset: list[facts.PodFacts] = field(default_factory=list)
    deployment: list[facts.PodFacts] = field(default_factory=list)
    terminating: list[facts.PodFacts] = field(default_factory=list)
    strangers: list[facts.PodFacts] = field(default_factory=list)
    """Pods with a workload's label that it does not own."""


@dataclass(frozen=True)
class PodDiagnostics:
    """Recent events and the last log lines of a pod a check that did not pass is about."""

    events: list[str]
    log: str


@dataclass(frozen=True)
class ProbeDocument:
    """One probe run. A run that could not list the cluster says why in
    `unobserved` and has no checks; its other sections are empty."""

    schema_version: int
    observed_at: str
    expectations: facts.Expectations
    cluster: ClusterFacts
    checks: list[facts.Check]
    verdict_counts: dict[facts.Verdict, int]
    unobserved: str = ""
    fingerprint: Fingerprint | None = None
    statefulset: facts.StatefulSetFacts | None = None
    revisions: list[facts.Revision] | None = None
    """The StatefulSet's ControllerRevisions; None in a document made before they were listed."""
    deployment: facts.DeploymentFacts | None = None
    services: list[facts.ServiceFacts] = field(default_factory=list)
    lesson: LessonRecord | None = None
    nodes: list[facts.NodeFacts] = field(default_factory=list)
    pods: PodSections = field(default_factory=PodSections)
    claims: list[facts.ClaimFacts] = field(default_factory=list)
    dns: list[facts.DnsLookup] = field(default_factory=list)
    dns_error: str = ""
    srv: list[facts.SrvLookup] | None = None
    events: list[facts.LifecycleEvent] = field(default_factory=list)
    scalings: list[facts.ReplicaSetScaling] | None = None
    actions: list[facts.Action] = field(default_factory=list)
    actions_source: str = ""
    stable_storage: facts.StableStorageRun | None = None
    stable_storage_error: str = ""
    diagnostics: dict[str, PodDiagnostics] = field(default_factory=dict)
    durations: dict[str, float] = field(default_factory=dict)
    """Wall time of each probe step, seconds."""
    dns_attempts: int = 0
    dns_ended: str = ""
    """How the wait for settled DNS answers ended (report.text.DNS_ENDINGS)."""
    dns_probe_run: str = ""

    @property
    def observed(self) -> bool:
        return not self.unobserved

    def to_json(self) -> str:
        return json.dumps(to_json_value(self), sort_keys=True)


def observed_sections(observation: facts.Observation) -> dict[str, Any]:
    """The document's sections that are the observation's facts as they are
    (the workloads, Services, nodes, claims, DNS, events, the lesson's record):
    every field the two share by name. The pods are sorted into PodSections
    by the observer itself."""
    shared = {f.name for f in fields(ProbeDocument)} & {f.name for f in fields(facts.Observation)}
    return {name: getattr(observation, name) for name in sorted(shared)}


def document_from_json(raw: Any) -> ProbeDocument:
    """The document from its parsed JSON; DocumentError when an older lab wrote it."""
    if not isinstance(raw, dict):
        raise DocumentError(f"a probe document is a JSON object, not {type(raw).__name__}")
    version = raw.get("schema_version", 1)
    if version != SCHEMA_VERSION:
        raise DocumentError(
            f"the probe document has schema version {version} and this lab reads version {SCHEMA_VERSION}: {AGAIN}"
        )
    try:
        return from_json_value(ProbeDocument, raw)
    except DocumentShapeError as err:
        raise DocumentError(
            f"the probe document does not fit schema version {SCHEMA_VERSION} ({err}): {AGAIN}"
        ) from err


def _sections(stored: object) -> dict[str, Any]:
    if isinstance(stored, dict):
        return stored
    text = str(stored).strip()
    if text.startswith('"'):
        return _sections(json.loads(text))
    merged: dict[str, Any] = {}
    decoder = json.JSONDecoder()
    position = 0
    while position < len(text):
        value, position = decoder.raw_decode(text, position)
        if not isinstance(value, dict):
            raise DocumentError("a probe document is made of JSON objects")
        merged.update(value)
        while position < len(text) and text[position].isspace():
            position += 1
    return merged


def read_document(stored: object) -> ProbeDocument | None:
    """The document from any way it reaches a reader: one JSON object (the
    probe command's stdout), its parsed form, or an older stack's `probes`
    output (JSON Lines, or that text as a JSON string). None when there is none (empty text,
    `null`): the probes are off or have not run."""
    if stored is None or str(stored).strip() in ("", "null"):
        return None
    sections = _sections(stored)
    return document_from_json(sections) if sections else None

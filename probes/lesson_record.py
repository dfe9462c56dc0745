"""What a lesson's action did and saw: the record `python -m lessons` prints
and the probes judge (the probe command reads it on stdin).

A lesson is the action of one step of an experiment (delete a pod, drain a
node, delete the StatefulSet, ...), run once per change of the stack's lesson
settings, after the rollout gates and before the probes. It records the
pods before and after, what it wrote and what was served, and when each pod
ended, so the checks can tell what the action changed from what it kept.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from probes.lesson_catalogue import LessonName


@dataclass(frozen=True)
class LessonPod:
    """One pod as the lesson saw it."""

    name: str
    workload: str
    uid: str
    ip: str = ""
    node: str = ""
    revision: str = ""
    claims: list[str] = field(default_factory=list)
    ready: bool = False
    owner: str = ""


@dataclass(frozen=True)
class VolumeFate:
    """delete-claim: the deleted claim's volume (its PV), and what became of it."""

    name: str
    node: str
    path: str
    reclaim_policy: str
    gone: bool | None = None
    """The PV was gone from the API within the lesson's wait; None: not waited for (a policy that keeps it)."""
    on_disk: bool | None = None
    """Its directory was still on its node's disk afterwards; None: nobody looked (only the lab
    cluster's host sees its nodes' disks)."""


@dataclass(frozen=True)
class TimedLookup:
    """dns-after-delete: one lookup of the pod's name, and when the lesson asked it."""

    at: str
    """UTC, to the millisecond."""
    outcome: str
    """As probes.facts.DnsLookup's: resolved, not found or error."""
    addresses: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Ended:
    pod: str
    at: str
    """When the lesson saw it gone (UTC, to the millisecond)."""


@dataclass(frozen=True)
class LessonRecord:
    lesson: LessonName
    started: str
    finished: str
    ordinal: int | None = None
    """The ordinal the lesson acted on, where it acts on one pod or its node."""
    node: str = ""
    """The node the lesson drained, stopped or started."""
    before: list[LessonPod] = field(default_factory=list)
    after: list[LessonPod] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)
    """The page each pod wrote into its volume before the action (pod -> text)."""
    served: dict[str, str] = field(default_factory=dict)
    """What each pod served after the action settled (pod -> text)."""
    served_before: dict[str, str] = field(default_factory=dict)
    """What each pod served once the pages were written, before the action (pod -> text)."""
    ended: list[Ended] = field(default_factory=list)
    """Pods that went away during the action, in the order they went."""
    claims_before: dict[str, str] = field(default_factory=dict)
    """Claim name -> uid before the action."""
    claims_after: dict[str, str] = field(default_factory=dict)
    claim_held: bool | None = None
    """delete-claim: the deleted claim was still there, Terminating, while its pod ran."""
    old_volume: VolumeFate | None = None
    """delete-claim: the deleted claim's volume, and whether it went with the claim."""
    lookups: list[TimedLookup] = field(default_factory=list)
    """dns-after-delete: the pod's name, looked up before the delete and all along after it."""
    ready_seen: str = ""
    """dns-after-delete: when the lesson first saw the new pod Ready (UTC, to the millisecond)."""
    steps: list[str] = field(default_factory=list)
    """What the action ran, in order, as shell lines."""
    problem: str = ""
    """Why the action could not do all it meant to (its checks are then inconclusive)."""

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LessonRecord:
        raw: dict[str, Any] = json.loads(text)
        return cls(
            **{
                **raw,
                "before": [LessonPod(**p) for p in raw.get("before", [])],
                "after": [LessonPod(**p) for p in raw.get("after", [])],
                "ended": [Ended(**e) for e in raw.get("ended", [])],
                "old_volume": VolumeFate(**raw["old_volume"]) if raw.get("old_volume") else None,
                "lookups": [TimedLookup(**x) for x in raw.get("lookups", [])],
            }
        )

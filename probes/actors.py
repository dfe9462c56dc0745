"""Who created, deleted or evicted each pod and claim of the namespace.

On the lab cluster the kube-apiserver keeps an audit log of those writes
(labcluster/audit.py): every request names its user, so a deletion by the
StatefulSet controller, the garbage collector, a kubelet, the learner's
kubectl or Pulumi's provider tells itself apart. Elsewhere the controllers'
own events are all there is: they name the pods the StatefulSet and
ReplicaSet controllers created and deleted, and nothing else.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

from labcluster.audit import AUDIT_LOG_NAME
from labcluster.paths import lab_cluster_paths
from probes.facts import Action, ActionVerb, LifecycleEvent
from probes.parse import parse_time

WINDOW: Final = timedelta(hours=1)
"""How far back the actions go: as long as the cluster keeps events by default."""

SYSTEM_ACCOUNTS: Final = "system:serviceaccount:kube-system:"
CONTROLLERS: Final = {
    "statefulset-controller": "the StatefulSet controller",
    "replicaset-controller": "the ReplicaSet controller",
    "deployment-controller": "the Deployment controller",
    "generic-garbage-collector": "the garbage collector",
    "taint-eviction-controller": "the taint eviction controller",
    "node-controller": "the node lifecycle controller",
    "persistent-volume-binder": "the volume binder",
    "pvc-protection-controller": "the claim protection controller",
}
KINDS: Final = {"pods": "pod", "persistentvolumeclaims": "claim", "statefulsets": "statefulset"}
BY_EVENTS: Final = {"StatefulSet": "the StatefulSet controller", "ReplicaSet": "the ReplicaSet controller"}
FROM_EVENTS: Final = (
    "the controllers' events (no audit log of this cluster: only the controllers' own creates and deletes)"
)


def _system_user(user: str) -> str | None:
    """A cluster component by its API user; None for anyone else."""
    if user.startswith(SYSTEM_ACCOUNTS):
        account = user.removeprefix(SYSTEM_ACCOUNTS)
        return CONTROLLERS.get(account, f"the {account} controller")
    if user.startswith("system:serviceaccount:local-path-storage:"):
        return "the local-path provisioner"
    if user.startswith("system:node:"):
        return f"the kubelet of {user.removeprefix('system:node:')}"
    return "the scheduler" if user == "system:kube-scheduler" else None


def actor_name(user: str, user_agent: str = "") -> str:
    """The API user of a request, in words: a component by its user, a
    person's tool (kubectl, Pulumi's provider) by its user agent."""
    component = _system_user(user)
    if component is not None:
        return component
    program = user_agent.split("/", 1)[0]
    if program == "kubectl":
        return "kubectl"
    if "pulumi" in user_agent.lower():
        return "Pulumi's kubernetes provider"
    return f"{user} ({program})" if program else user


def _verb(entry: dict[str, Any]) -> ActionVerb | None:
    ref = entry.get("objectRef") or {}
    sub, verb = ref.get("subresource", ""), entry.get("verb")
    if verb == "create" and sub == "eviction":
        return "evicted"
    if verb == "create" and not sub:
        return "created"
    if verb == "delete" and not sub:
        return "deleted"
    return None


def actions_from_audit(lines: Iterable[str], namespace: str, since: datetime) -> list[Action]:
    """The successful creates, deletes and evictions of the namespace's pods
    and claims in the audit log's JSON lines, oldest first."""
    marker = f'"namespace":"{namespace}"'
    found = []
    for line in lines:
        if marker not in line:  # most lines are another namespace's: skip them unparsed
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line the apiserver was still writing
        ref = entry.get("objectRef") or {}
        verb = _verb(entry)
        code = (entry.get("responseStatus") or {}).get("code", 0)
        when = entry.get("requestReceivedTimestamp", "")
        if ref.get("namespace") != namespace or ref.get("resource") not in KINDS or verb is None:
            continue
        if not 200 <= code < 300 or not when or parse_time(when) < since:
            continue
        user = (entry.get("user") or {}).get("username", "")
        found.append(
            Action(
                when,
                verb,
                KINDS[ref["resource"]],
                ref.get("name", ""),
                actor_name(user, entry.get("userAgent", "")),
                user,
            )
        )
    return sorted(found, key=lambda a: parse_time(a.time))


def actions_from_events(events: list[LifecycleEvent]) -> list[Action]:
    """The pods the StatefulSet and ReplicaSet controllers say they created and deleted."""
    return [
        Action(ev.time, "created" if ev.reason == "created" else "deleted", "pod", ev.pod, BY_EVENTS[ev.object_kind])
        for ev in events
        if ev.reason in ("created", "deleted") and ev.object_kind in BY_EVENTS
    ]


def lab_audit_log(environ: dict[str, str] | None = None) -> Path | None:
    """The lab cluster's audit log, when the probes run against the lab cluster (as `make` says)."""
    cluster = lab_cluster_paths(os.environ if environ is None else environ)
    if cluster is None:
        return None
    log = cluster.logs / AUDIT_LOG_NAME
    return log if log.is_file() else None


def _audit_lines(log: Path) -> Iterable[str]:
    """The rotated files (audit-<time>.log, oldest first) and then the current one."""
    for path in [*sorted(log.parent.glob(f"{log.stem}-*{log.suffix}")), log]:
        with path.open(encoding="utf-8", errors="replace") as handle:
            yield from handle


def gather_actions(
    namespace: str, events: list[LifecycleEvent], now: datetime, log: Path | None
) -> tuple[list[Action], str]:
    """The actions and their source: the audit log where there is one, else the events."""
    if log is not None:
        try:
            return actions_from_audit(
                _audit_lines(log), namespace, now - WINDOW
            ), f"the lab cluster's audit log ({log})"
        except OSError as err:
            return actions_from_events(events), f"{FROM_EVENTS}; the audit log {log} could not be read: {err}"
    return actions_from_events(events), FROM_EVENTS

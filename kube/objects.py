"""Reading Kubernetes objects as kubectl returns them (JSON): conditions,
deletion, ownership and StatefulSet ordinals. Pure functions."""

from __future__ import annotations

import re
from typing import Any

KubeObject = dict[str, Any]


def _true_condition(obj: KubeObject, kind: str) -> dict[str, Any] | None:
    for cond in obj.get("status", {}).get("conditions") or []:
        if cond.get("type") == kind and cond.get("status") == "True":
            found: dict[str, Any] = cond
            return found
    return None


def condition_since(obj: KubeObject, kind: str) -> str | None:
    """When the object's condition `kind` last became True, or None while it is not True."""
    cond = _true_condition(obj, kind)
    return None if cond is None else cond.get("lastTransitionTime")


def is_ready(obj: KubeObject) -> bool:
    """The Ready condition of a pod or a node is True."""
    return _true_condition(obj, "Ready") is not None


def is_terminating(obj: KubeObject) -> bool:
    """Deletion was asked for: the object is on its way out."""
    return bool(obj.get("metadata", {}).get("deletionTimestamp"))


def ordinal_of(pod_name: str, statefulset: str) -> int | None:
    """The ordinal of a StatefulSet pod's name (`web-sts-3` -> 3), None for any other name."""
    prefix = f"{statefulset}-"
    suffix = pod_name[len(prefix) :]
    if pod_name.startswith(prefix) and suffix.isascii() and suffix.isdigit():
        return int(suffix)
    return None


def owner_uids(obj: KubeObject) -> list[str]:
    """UIDs of the objects that own this one (its controller among them)."""
    return [str(o.get("uid", "")) for o in obj.get("metadata", {}).get("ownerReferences") or []]


# The scheduler's finding that no node fits ("0/3 nodes are available: ...")
# lasts until something changes (a node uncordoned or started). Any other
# refusal is a race the scheduler retries on its own, such as a volume
# binding that lost one ("... www-web-dep is out of sync"), seen with a
# hundred pods scheduled at once.
_NO_NODE_FITS = re.compile(r"\b\d+/\d+ nodes are available")
# A pod whose volume's node cannot take it (older and newer wordings).
_PINNED_TO_ITS_VOLUME = re.compile(r"volume node affinity conflict|didn't match PersistentVolume's node affinity")


def no_node_fits(message: str) -> bool:
    """The scheduler's message (`unschedulable_message`) says no node can take the pod, not a passing race."""
    return bool(_NO_NODE_FITS.search(message))


def pinned_to_its_volume(message: str) -> bool:
    """The scheduler's message says the pod's volume lives on a node that cannot take it."""
    return bool(_PINNED_TO_ITS_VOLUME.search(message))


def unschedulable_message(pod: KubeObject) -> str:
    """The scheduler's reason a pod waits unplaced (`0/3 nodes are available: ...`), empty otherwise."""
    for cond in pod.get("status", {}).get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("status") == "False":
            return str(cond.get("message") or cond.get("reason") or "unschedulable")
    return ""


CANNOT_START = (
    "ErrImagePull",
    "ImagePullBackOff",
    "ErrImageNeverPull",
    "InvalidImageName",
    "CrashLoopBackOff",
    "CreateContainerError",
    "CreateContainerConfigError",
    "RunContainerError",
)
"""Waiting reasons of a container that will not start by itself."""


def cannot_start_reason(pod: KubeObject) -> str:
    """The waiting reason of a container of the pod that will not start by itself, empty when none."""
    for container in pod.get("status", {}).get("containerStatuses") or []:
        waiting = container.get("state", {}).get("waiting") or {}
        if waiting.get("reason") in CANNOT_START:
            return str(waiting["reason"])
    return ""


def pod_state(pod: KubeObject) -> str:
    """A short account of a pod, what `kubectl describe` would show first: a
    waiting container's reason, the scheduler's refusal, or the phase."""
    status = pod.get("status", {})
    for container in status.get("containerStatuses") or []:
        waiting = container.get("state", {}).get("waiting")
        if waiting:
            return f"{waiting.get('reason', 'waiting')}: {waiting.get('message', '')}".rstrip(": ")
    unplaced = unschedulable_message(pod)
    if unplaced:
        return f"unschedulable: {unplaced}"
    phase = str(status.get("phase", "unknown"))
    if phase == "Running" and not is_ready(pod):
        return "Running, not Ready"
    return phase

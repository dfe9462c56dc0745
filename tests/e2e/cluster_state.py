"""What a person would look at with kubectl, as small typed helpers."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tests.e2e.kube import kubectl_json


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Pod:
    name: str
    uid: str
    image: str
    created: datetime
    ready_since: datetime | None
    started: datetime | None = None
    """When its first container started running, None while it is not."""


def pods(namespace: str, app: str) -> list[Pod]:
    items = kubectl_json("get", "pods", "--namespace", namespace, "--selector", f"app={app}")["items"]
    found = []
    for item in items:
        if item["metadata"].get("deletionTimestamp"):
            continue
        ready = next(
            (
                c["lastTransitionTime"]
                for c in item["status"].get("conditions", [])
                if c["type"] == "Ready" and c["status"] == "True"
            ),
            None,
        )
        found.append(
            Pod(
                name=item["metadata"]["name"],
                uid=item["metadata"]["uid"],
                image=item["spec"]["containers"][0]["image"],
                created=parse_time(item["metadata"]["creationTimestamp"]),
                ready_since=parse_time(ready) if ready else None,
                started=_started(item),
            )
        )
    return sorted(found, key=lambda p: p.name)


def _started(item: dict[str, Any]) -> datetime | None:
    statuses = item["status"].get("containerStatuses") or []
    running = statuses[0].get("state", {}).get("running") if statuses else None
    return parse_time(running["startedAt"]) if running and running.get("startedAt") else None


def images_by_pod(namespace: str, app: str = "nginx-sts") -> dict[str, str]:
    return {p.name: p.image.rsplit(":", 1)[-1] for p in pods(namespace, app)}


def claims(namespace: str) -> dict[str, dict[str, Any]]:
    return {c["metadata"]["name"]: c for c in kubectl_json("get", "pvc", "--namespace", namespace)["items"]}


def statefulset(namespace: str) -> dict[str, Any]:
    return kubectl_json("get", "statefulset", "web-sts", "--namespace", namespace)


def controller_pod_events(namespace: str, kind: str, verb: str) -> list[str]:
    """Pods the StatefulSet (or ReplicaSet) controller created/deleted, oldest first."""
    items = kubectl_json("get", "events", "--namespace", namespace)["items"]
    picked = []
    for ev in items:
        if ev["involvedObject"]["kind"] != kind:
            continue
        reason = "SuccessfulCreate" if verb == "create" else "SuccessfulDelete"
        if ev["reason"] != reason:
            continue
        words = ev["message"].replace(":", " ").split()
        pod = words[words.index("Pod" if kind == "StatefulSet" else "pod") + 1]
        stamp = ev.get("lastTimestamp") or ev.get("eventTime") or ev["metadata"]["creationTimestamp"]
        picked.append((parse_time(stamp), int(ev["metadata"]["resourceVersion"]), pod))
    return [pod for _, _, pod in sorted(picked)]


def wait_until(condition: Callable[[], bool], timeout_seconds: float, what: str) -> None:
    """Polls `condition` once a second; fails with `what` when it never holds."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(1)
    raise AssertionError(f"not within {timeout_seconds}s: {what}")

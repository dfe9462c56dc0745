"""Cluster-level readiness: every node Ready, CoreDNS answering, and a diagnosis when not."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from . import kubectl, topology
from .dnsquery import query_a
from .errors import LabError
from .paths import LabPaths

API_NAME = f"kubernetes.default.svc.{topology.CLUSTER_DOMAIN}"


def ready_condition(node: dict[str, Any]) -> tuple[bool, str]:
    for condition in node.get("status", {}).get("conditions", []):
        if condition.get("type") == "Ready":
            return condition.get("status") == "True", str(condition.get("message", ""))
    return False, "no Ready condition yet"


def node_ready(paths: LabPaths, name: str = topology.NODE_NAME) -> tuple[bool, str]:
    node = kubectl.kubectl_json(paths, "get", "node", name)
    if node is None:
        return False, "node not registered yet"
    return ready_condition(node)


def node_conditions(paths: LabPaths) -> dict[str, tuple[bool, str]] | None:
    """Every registered node's Ready condition, None when the apiserver does not answer."""
    listing = kubectl.kubectl_json(paths, "get", "nodes")
    if listing is None:
        return None
    return {item["metadata"]["name"]: ready_condition(item) for item in listing.get("items", [])}


def nodes_ready(paths: LabPaths, names: list[str]) -> tuple[bool, str]:
    """Whether every named node is Ready; else which ones are not, and why."""
    found = node_conditions(paths)
    if found is None:
        return False, "the apiserver does not answer"
    missing = [
        f"{name}: {found[name][1] if name in found else 'not registered yet'}"
        for name in names
        if not found.get(name, (False, ""))[0]
    ]
    return not missing, "; ".join(missing) or "all Ready"


def dns_answers() -> tuple[bool, str]:
    try:
        answer = query_a(topology.DNS_SERVICE_IP, API_NAME)
    except OSError as err:
        return False, f"no answer from {topology.DNS_SERVICE_IP}: {err}"
    ok = answer.rcode == "NOERROR" and topology.API_SERVICE_IP in answer.addresses
    return ok, f"{answer.rcode} {', '.join(answer.addresses)}"


def wait_for(what: str, probe: Callable[[], tuple[bool, str]], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        ok, seen = probe()
        if ok:
            return seen
        if time.monotonic() > deadline:
            raise LabError(f"{what} not reached after {timeout:.0f}s (last seen: {seen})", "")
        time.sleep(0.5)


def dns_diagnosis(paths: LabPaths) -> str:
    pods = kubectl.kubectl(paths, "get", "pods", "-n", "kube-system", "-l", "k8s-app=kube-dns", "-o", "wide")
    events = kubectl.kubectl(paths, "get", "events", "-n", "kube-system", "--sort-by=.lastTimestamp")
    return pods.stdout + pods.stderr + "\n" + "\n".join(events.stdout.splitlines()[-15:])

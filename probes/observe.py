"""One probe run: gather what the cluster shows, parse it into facts, judge
the facts, and return the probe document.

Order: the destructive stable-storage run first (when enabled), so everything
after it observes the settled state; then every listing at once; then the
hostnames (one exec per pod) while the DNS probe pod starts; then all DNS
lookups from that pod, repeated until the answers settle. The DNS pod is
deleted whatever happens.

Exit codes of `python -m probes observe`: 0 observed (checks may still have
failed), 2 could not observe (cluster unreachable, kubectl missing, a step
timed out), 3 observed with a failed or inconclusive check and
--fail-on-failed-check.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from kube.target import KubectlTarget
from probes.calls import Kubectl, ProbeError
from probes.checks import evaluate
from probes.dns_plan import dns_queries, dns_settled
from probes.dns_pod import DnsProbePod
from probes.facts import Expectations, Observation, counts, to_json_ready
from probes.gather import list_objects
from probes.hostnames import api_access_of, with_hostnames
from probes.parse import (
    parse_claims,
    parse_deployment,
    parse_events,
    parse_nodes,
    parse_pods,
    parse_services,
    parse_statefulset,
)
from probes.stable_storage import run_stable_storage

__all__ = ["ProbeError", "observe"]
T = TypeVar("T")


class Timer:
    """Wall time of each probe step, for the report and the benchmark."""

    def __init__(self) -> None:
        self.steps: dict[str, float] = {}

    def step(self, name: str, fn: Callable[[], T]) -> T:
        start = time.monotonic()
        try:
            return fn()
        finally:
            self.steps[name] = round(time.monotonic() - start, 3)


def observe(target: KubectlTarget, e: Expectations, timeout: int) -> dict[str, Any]:
    k = Kubectl(timeout)
    timer = Timer()
    storage = (
        timer.step("stable_storage", lambda: run_stable_storage(k, target, e, timeout)) if e.stable_storage else None
    )
    listed = timer.step("list_objects", lambda: list_objects(k, target, e))
    sts_pods = parse_pods(listed.statefulset_pods, "statefulset", e.statefulset)
    dep_pods = parse_pods(listed.deployment_pods, "deployment")
    dns_pod = DnsProbePod(k, target, e.dns_image, timeout)
    try:
        # The hostnames are read while the DNS pod starts; the lookups come
        # after them (run side by side, the two fight for the same CPU and the
        # lookups time out).
        with ThreadPoolExecutor(max_workers=1) as pool:
            dns_ready = pool.submit(timer.step, "dns_pod_start", dns_pod.start)
            access = api_access_of(target)
            named = timer.step("hostnames", lambda: with_hostnames(k, target, access, sts_pods + dep_pods, e.container))
            dns_ready.result()
        sts_pods, dep_pods = named[: len(sts_pods)], named[len(sts_pods) :]
        dns, attempts = timer.step(
            "dns_lookups",
            lambda: dns_pod.lookup_until_settled(
                dns_queries(e, sts_pods, dep_pods), lambda found: dns_settled(e, sts_pods, dep_pods, found)
            ),
        )
    finally:
        dns_pod.delete()
    observation = Observation(
        statefulset=parse_statefulset(listed.statefulset),
        statefulset_pods=sts_pods,
        deployment_pods=dep_pods,
        claims=parse_claims(listed.claims, listed.volumes),
        dns=dns,
        events=parse_events(listed.events),
        stable_storage=storage,
        nodes=parse_nodes(listed.nodes),
    )
    checks = evaluate(e, observation)
    document: dict[str, Any] = to_json_ready(
        {
            "observed_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "expectations": e,
            "statefulset": observation.statefulset,
            "deployment": parse_deployment(listed.deployment, dep_pods),
            "services": parse_services(listed.services),
            "nodes": observation.nodes,
            "pods": {"statefulset": sts_pods, "deployment": dep_pods},
            "claims": observation.claims,
            "dns": observation.dns,
            "events": observation.events,
            "stable_storage": storage,
            "checks": checks,
            "verdict_counts": counts(checks),
            "durations": timer.steps,
            "dns_attempts": attempts,
            "dns_probe_run": dns_pod.run_token,
        }
    )
    return document

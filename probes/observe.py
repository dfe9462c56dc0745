"""One probe run: gather what the cluster shows, parse it into facts, judge
the facts, and return the probe document.

Order: the destructive stable-storage run first (when enabled), so everything
after it observes the settled state; then every listing at once; then the
hostnames (one exec per pod that runs) while the DNS probe pod starts; then
all DNS lookups from that pod, repeated until the answers settle. The DNS pod
is deleted whatever happens. Then the headless Services' SRV records, asked
of the cluster DNS through a port-forward (probes.srv).

Any state of the workloads is observed: a pod that is Pending, terminating,
on a failed node or not running is a fact of the document, and so is an exec
or a lookup that failed; only a run that cannot list the objects at all (no
API server, no kubectl) is unobserved, and its document says so, with no
verdicts, rather than leaving the previous run's in place.

Exit codes of `python -m probes observe`: 0 observed (checks may still have
failed) or unobserved (the document says why), 3 with a failed or
inconclusive check, or unobserved, and --fail-on-failed-check.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from kube.api_access import shared_access_for
from kube.target import KubectlTarget
from probes.actors import gather_actions, lab_audit_log
from probes.calls import Kubectl, ProbeError
from probes.checks import evaluate
from probes.dns_plan import CONTROL_QUERY, dns_queries, dns_settled, records_due
from probes.dns_pod import DnsProbePod
from probes.document import (
    SCHEMA_VERSION,
    ClusterFacts,
    Fingerprint,
    PodSections,
    ProbeDocument,
    WorkloadIdentity,
    observed_sections,
)
from probes.evidence import diagnostics, with_evidence
from probes.facts import DnsLookup, Expectations, Observation, PodFacts, counts
from probes.gather import Listings, cluster_of, list_objects
from probes.hostnames import with_hostnames
from probes.lesson_record import LessonRecord
from probes.node_disk import lab_disk_lookup, with_disk
from probes.ownership import deployment_pods, statefulset_pods
from probes.parse import (
    only_item,
    parse_claims,
    parse_deployment,
    parse_events,
    parse_nodes,
    parse_revisions,
    parse_scalings,
    parse_services,
    parse_statefulset,
)
from probes.srv import lookup_srv, published_targets
from probes.stable_storage import run_stable_storage

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


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def unobserved(e: Expectations, target: KubectlTarget, why: str) -> ProbeDocument:
    """The document of a run that could not list the cluster's objects: no verdicts, and why."""
    return ProbeDocument(
        schema_version=SCHEMA_VERSION,
        observed_at=now(),
        expectations=e,
        cluster=ClusterFacts(context=target.context),
        unobserved=why,
        checks=[],
        verdict_counts=counts([]),
    )


def fingerprint(listed: Listings, pods: list[PodFacts]) -> Fingerprint:
    """What identifies the state this run judged: the workloads' identities and
    generations and the uid of every pod with either workload's label. Whoever
    shows the document later compares it with the cluster (labstack.freshness)
    to tell whether the verdicts still describe it."""

    def identity(listing: dict[str, Any]) -> WorkloadIdentity | None:
        item = only_item(listing)
        if item is None:
            return None
        return WorkloadIdentity(uid=item["metadata"].get("uid", ""), generation=item["metadata"].get("generation", 0))

    return Fingerprint(
        statefulset=identity(listed.statefulset),
        deployment=identity(listed.deployment),
        pods=sorted(f"{p.name}/{p.uid}" for p in pods),
    )


def _lookups(
    dns_pod: DnsProbePod, e: Expectations, sts: list[PodFacts], dep: list[PodFacts], strangers: list[PodFacts]
) -> tuple[list[DnsLookup], int, str, str]:
    """The lookups, the rounds they took, how the wait ended, and why none
    could run (empty when they ran)."""
    try:
        lookups, rounds, ended = dns_pod.lookup_until_settled(
            dns_queries(e, sts, dep),
            lambda found: dns_settled(e, sts, dep, found, strangers),
            CONTROL_QUERY,
            lambda: records_due([*sts, *dep, *strangers], datetime.now(UTC)),
        )
    except ProbeError as err:
        return [], 0, "", f"the lookups from {dns_pod.name} failed: {err}"
    return lookups, rounds, ended, ""


def observe(target: KubectlTarget, e: Expectations, timeout: int, lesson: LessonRecord | None = None) -> ProbeDocument:
    k = Kubectl(timeout)
    timer = Timer()
    storage_error = ""
    storage = None
    if e.stable_storage:
        try:
            storage = timer.step("stable_storage", lambda: run_stable_storage(k, target, e, timeout))
        except ProbeError as err:
            storage_error = str(err)
    try:
        listed = timer.step("list_objects", lambda: list_objects(k, target, e))
    except ProbeError as err:
        return unobserved(e, target, str(err))
    statefulset, deployment = only_item(listed.statefulset), only_item(listed.deployment)
    sts = statefulset_pods(listed.statefulset_pods, statefulset, e.statefulset)
    dep = deployment_pods(listed.deployment_pods, listed.replicasets, deployment)
    nodes = parse_nodes(listed.nodes)
    down = {n.name for n in nodes if not n.ready}
    dns_pod = DnsProbePod(k, target, e.dns_image, timeout)
    dns: list[DnsLookup] = []
    rounds, dns_ended, dns_error = 0, "", ""
    try:
        # The hostnames are read while the DNS pod starts; the lookups come
        # after them (run side by side, the two fight for the same CPU and the
        # lookups time out).
        with ThreadPoolExecutor(max_workers=1) as pool:
            dns_ready = pool.submit(timer.step, "dns_pod_start", dns_pod.start)
            access = shared_access_for(target.kubeconfig, target.context)
            named = timer.step(
                "hostnames", lambda: with_hostnames(k, target, access, sts.current + dep.current, e.container, down)
            )
            try:
                dns_ready.result()
            except ProbeError as err:
                dns_error = f"the DNS probe pod {dns_pod.name} did not start: {err}"
        sts_current, dep_current = named[: len(sts.current)], named[len(sts.current) :]
        strangers = sts.strangers + dep.strangers
        if not dns_error:
            dns, rounds, dns_ended, dns_error = timer.step(
                "dns_lookups", lambda: _lookups(dns_pod, e, sts_current, dep_current, strangers)
            )
    finally:
        try:
            dns_pod.delete()
        except ProbeError as err:
            dns_error = dns_error or f"the DNS probe pod {dns_pod.name} could not be deleted: {err}"
    # After the lookups settled: the SRV records follow the same endpoints.
    published = published_targets(e, [*sts_current, *dep_current, *strangers])
    srv = timer.step("srv_lookups", lambda: lookup_srv(target, e, timeout, published))
    events = parse_events(listed.events)
    actions, actions_source = gather_actions(e.namespace, events, datetime.now(UTC), lab_audit_log())
    observation = Observation(
        statefulset=parse_statefulset(statefulset) if statefulset else None,
        deployment=parse_deployment(deployment, dep_current) if deployment else None,
        statefulset_pods=sts_current,
        deployment_pods=dep_current,
        claims=with_disk(parse_claims(listed.claims, listed.volumes), lab_disk_lookup()),
        dns=dns,
        events=events,
        scalings=parse_scalings(listed.events),
        actions=actions,
        actions_source=actions_source,
        stable_storage=storage,
        nodes=nodes,
        terminating=sts.terminating + dep.terminating,
        strangers=strangers,
        dns_error=dns_error,
        srv=srv,
        services=parse_services(listed.services),
        lesson=lesson,
        revisions=parse_revisions(listed.revisions, statefulset["metadata"].get("uid", "")) if statefulset else [],
        stable_storage_error=storage_error,
    )
    every_pod = [*sts_current, *dep_current, *observation.terminating, *strangers]
    queries = dns_queries(e, sts_current, dep_current)
    checks = with_evidence(
        evaluate(e, observation), target, e, listed, every_pod, (dns_pod.shown_command(queries), dns_pod.last_output)
    )
    return ProbeDocument(
        schema_version=SCHEMA_VERSION,
        observed_at=now(),
        expectations=e,
        cluster=cluster_of(listed, target.context),
        fingerprint=fingerprint(listed, every_pod),
        pods=PodSections(
            statefulset=sts_current,
            deployment=dep_current,
            terminating=observation.terminating,
            strangers=strangers,
        ),
        **observed_sections(observation),
        checks=checks,
        verdict_counts=counts(checks),
        diagnostics=timer.step("diagnostics", lambda: diagnostics(k, target, e, listed, checks)),
        durations=timer.steps,
        dns_attempts=rounds,
        dns_ended=dns_ended,
        dns_probe_run=dns_pod.run_token,
    )

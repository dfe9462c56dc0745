"""Runs the probes against the cluster and prints one JSON document.

Order: the destructive stable-storage run first (when enabled), so everything
after it observes the settled state; then pods, StatefulSet, Deployment,
Services, claims, volumes, nodes and events in parallel; then hostnames (one
exec per pod, 16 at a time, through the API's exec stream where the kubeconfig
allows: probes.pod_exec) while the DNS probe pod starts; then all DNS lookups
in one exec. The DNS pod has a
unique name, a label naming this run, and a deadline after which the kubelet
stops it; it is deleted whatever happens here.

Every kubectl call runs in a process group of its own with a hard timeout; on
timeout the whole group is killed, so nothing it started outlives the probe.

Exit codes: 0 observed (checks may still have failed), 2 could not observe
(cluster unreachable, kubectl missing, a step timed out), 3 observed with a
failed or inconclusive check and --fail-on-failed-check.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import ssl
import subprocess
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from components.kubeconfig_contexts import LocalKubeconfigs
from components.kubectl import KubectlTarget, display
from probes import commands as cmd
from probes.checks import Observation, dns_queries, dns_settled, evaluate
from probes.facts import DnsLookup, Expectations, PodFacts, StableStorageRun, counts, to_json_ready
from probes.parse import (
    parse_claims,
    parse_deployment,
    parse_dns_script_output,
    parse_events,
    parse_nodes,
    parse_pods,
    parse_served_pages,
    parse_services,
    parse_statefulset,
)
from probes.pod_exec import ApiAccess, PodExecError, api_access, run_in_pod

T = TypeVar("T")
R = TypeVar("R")
WORKERS = 8


class ProbeError(RuntimeError):
    """The cluster could not be observed; the message says which call failed and why."""


def _kill_group(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(proc.pid, signal.SIGKILL)


def run_in_own_group(argv: list[str], timeout_seconds: float) -> subprocess.CompletedProcess[str]:
    """Runs argv in a new session (its own process group) and waits at most
    `timeout_seconds`; on timeout, or if this process is interrupted, kills
    the whole group, so helpers the command started (kubectl's exec streams,
    a credential plugin) die with it. Raises subprocess.TimeoutExpired."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout_seconds)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        # A process that left the group may still hold the pipes: do not wait for it.
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.communicate(timeout=5)
        raise
    except BaseException:
        _kill_group(proc)
        proc.wait()
        raise
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


class Kubectl:
    """Runs kubectl argv lists with a hard timeout per call."""

    def __init__(self, timeout_seconds: int) -> None:
        self.timeout_seconds = timeout_seconds

    def run(self, argv: list[str]) -> str:
        try:
            done = run_in_own_group(argv, self.timeout_seconds)
        except FileNotFoundError as err:
            raise ProbeError("kubectl is not on PATH: run `make toolchain` or install kubectl") from err
        except subprocess.TimeoutExpired as err:
            raise ProbeError(f"timed out after {self.timeout_seconds}s: {display(argv)}") from err
        if done.returncode != 0:
            raise ProbeError(f"{display(argv)} failed: {done.stderr.strip()[-800:]}")
        return done.stdout

    def json(self, argv: list[str]) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.run(argv))
        return result


def parallel(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    items = list(items)
    if not items:
        return []
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(items))) as pool:
        return list(pool.map(fn, items))


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


def wait_for_replacements(
    k: Kubectl, target: KubectlTarget, app: str, old_uids: set[str], count: int, timeout_seconds: int
) -> None:
    """Waits until `count` pods of `app` are Ready, none of them an old one."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        items = k.json(cmd.pods_of(target, app)).get("items", [])
        live = [i for i in items if not i["metadata"].get("deletionTimestamp")]
        fresh = [i for i in live if i["metadata"]["uid"] not in old_uids]
        ready = [
            i
            for i in fresh
            if any(c.get("type") == "Ready" and c.get("status") == "True" for c in i["status"].get("conditions", []))
        ]
        if len(live) == count and len(ready) == count:
            return
        time.sleep(1)
    raise ProbeError(f"pods of app={app} did not all come back Ready within {timeout_seconds}s")


def run_stable_storage(k: Kubectl, target: KubectlTarget, e: Expectations, timeout: int) -> StableStorageRun:
    """The seed's stable-storage lab: write hostnames, read, delete all pods, read again."""
    sts_app, dep_app = labels_of(e)
    sts_items = k.json(cmd.pods_of(target, sts_app))["items"]
    dep_items = k.json(cmd.pods_of(target, dep_app))["items"]
    sts_pods = sorted(i["metadata"]["name"] for i in sts_items if not i["metadata"].get("deletionTimestamp"))
    dep_pods = sorted(i["metadata"]["name"] for i in dep_items if not i["metadata"].get("deletionTimestamp"))
    parallel(lambda p: k.run(cmd.write_hostname_page(target, p)), sts_pods)
    for pod in dep_pods:  # one after another: the last one's name is what all serve
        k.run(cmd.write_hostname_page(target, pod))
    last_writer = dep_pods[-1] if dep_pods else ""
    before = parse_served_pages(
        dict(
            zip(
                sts_pods + dep_pods,
                parallel(lambda p: k.run(cmd.read_page(target, p)), sts_pods + dep_pods),
                strict=True,
            )
        )
    )
    old_uids = {i["metadata"]["uid"] for i in sts_items + dep_items}
    parallel(lambda app: k.run(cmd.delete_pods(target, app, timeout)), [sts_app, dep_app])
    parallel(
        lambda wl: wait_for_replacements(k, target, wl[0], old_uids, wl[1], timeout),
        [(sts_app, len(sts_pods)), (dep_app, len(dep_pods))],
    )
    new_dep = sorted(
        i["metadata"]["name"]
        for i in k.json(cmd.pods_of(target, dep_app))["items"]
        if not i["metadata"].get("deletionTimestamp")
    )
    after = parse_served_pages(
        dict(
            zip(
                sts_pods + new_dep, parallel(lambda p: k.run(cmd.read_page(target, p)), sts_pods + new_dep), strict=True
            )
        )
    )
    return StableStorageRun(last_writer=last_writer, before=before, after=after, deployment_pods_after=new_dep)


def labels_of(e: Expectations) -> tuple[str, str]:
    """The `app` labels of the two workloads: their Services' names, as in the seed."""
    return e.statefulset_service, e.deployment_service


def start_dns_pod(k: Kubectl, target: KubectlTarget, e: Expectations, token: str, timeout: int) -> None:
    deadline = cmd.dns_pod_deadline_seconds(timeout, DNS_SETTLE_SECONDS)
    k.run(cmd.start_dns_pod(target, dns_pod_name(token), e.dns_image, token, deadline))
    k.run(cmd.wait_ready(target, dns_pod_name(token), timeout))


def dns_pod_name(token: str) -> str:
    return f"probe-dns-{token}"


EXECS_AT_ONCE = 16


def hostname_of(k: Kubectl, target: KubectlTarget, access: ApiAccess | None, pod: str) -> str:
    """`hostname` run in the pod: through the API stream when the kubeconfig
    allows it (a fraction of a kubectl's cost), else, or if that fails, kubectl."""
    if access is not None:
        try:
            code, out, err = run_in_pod(
                access, target.namespace, pod, cmd.WEB_CONTAINER, ["hostname"], k.timeout_seconds
            )
        except PodExecError:
            pass  # kubectl tries again and, if it fails too, says why in its own words
        else:
            if code != 0:
                raise ProbeError(f"hostname in {pod} exited {code}: {err.strip()[-300:]}")
            return out.strip()
    return k.run(cmd.hostname(target, pod)).strip()


def with_hostnames(k: Kubectl, target: KubectlTarget, access: ApiAccess | None, pods: list[PodFacts]) -> list[PodFacts]:
    with ThreadPoolExecutor(max_workers=max(1, min(EXECS_AT_ONCE, len(pods)))) as pool:
        names = list(pool.map(lambda p: hostname_of(k, target, access, p.name), pods))
    return [PodFacts(**{**p.__dict__, "hostname": h}) for p, h in zip(pods, names, strict=True)]


def api_access_of(target: KubectlTarget) -> ApiAccess | None:
    """The API server and credentials kubectl would use, when this process can use them too."""
    files = [target.kubeconfig] if target.kubeconfig else list(LocalKubeconfigs().default_files())
    try:
        return api_access(files, target.context)
    except (OSError, ValueError, ssl.SSLError):
        return None


DNS_SETTLE_SECONDS = 45


def lookup_until_settled(
    k: Kubectl, target: KubectlTarget, pod: str, e: Expectations, sts: list[PodFacts], dep: list[PodFacts]
) -> tuple[list[DnsLookup], int]:
    """All lookups, repeated until the control and every name that must
    resolve do and no lookup ended in an error, or the settle time is up
    (then the last answers stand).

    Cluster DNS is eventually consistent: a pod's records appear only after
    it is Ready, its EndpointSlice is updated and CoreDNS has seen it (and a
    negative answer may be cached for a few seconds), as a person waiting a
    moment before their nslookup would find.
    """
    deadline = time.monotonic() + DNS_SETTLE_SECONDS
    attempts = 0
    while True:
        attempts += 1
        lookups = parse_dns_script_output(k.run(cmd.exec_dns(target, pod, dns_queries(e, sts, dep))))
        if dns_settled(e, sts, dep, lookups) or time.monotonic() > deadline:
            return lookups, attempts
        time.sleep(2)


def observe(target: KubectlTarget, e: Expectations, timeout: int) -> dict[str, Any]:
    k = Kubectl(timeout)
    timer = Timer()
    sts_app, dep_app = labels_of(e)
    storage = (
        timer.step("stable_storage", lambda: run_stable_storage(k, target, e, timeout)) if e.stable_storage else None
    )
    (sts_json, dep_json, sts_pods_json, dep_pods_json, pvc_json, pv_json, events_json, svc_json, nodes_json) = (
        timer.step(
            "list_objects",
            lambda: parallel(
                k.json,
                [
                    cmd.statefulset(target, e.statefulset),
                    cmd.deployment(target, e.deployment),
                    cmd.pods_of(target, sts_app),
                    cmd.pods_of(target, dep_app),
                    cmd.claims(target),
                    cmd.volumes(target),
                    cmd.events(target),
                    cmd.services(target),
                    cmd.nodes(target),
                ],
            ),
        )
    )
    sts_pods = parse_pods(sts_pods_json, "statefulset", e.statefulset)
    dep_pods = parse_pods(dep_pods_json, "deployment")
    token = secrets.token_hex(4)
    try:
        # The hostnames are read while the DNS pod starts; the lookups come
        # after them (run side by side, the two fight for the same CPU and the
        # lookups time out).
        with ThreadPoolExecutor(max_workers=1) as pool:
            dns_ready = pool.submit(timer.step, "dns_pod_start", lambda: start_dns_pod(k, target, e, token, timeout))
            access = api_access_of(target)
            named = timer.step("hostnames", lambda: with_hostnames(k, target, access, sts_pods + dep_pods))
            dns_ready.result()
        sts_pods, dep_pods = named[: len(sts_pods)], named[len(sts_pods) :]
        dns, attempts = timer.step(
            "dns_lookups", lambda: lookup_until_settled(k, target, dns_pod_name(token), e, sts_pods, dep_pods)
        )
    finally:
        # Always removed; a failure to remove it is an error of its own.
        k.run(cmd.delete_pod_now(target, dns_pod_name(token)))
    observation = Observation(
        statefulset=parse_statefulset(sts_json),
        statefulset_pods=sts_pods,
        deployment_pods=dep_pods,
        claims=parse_claims(pvc_json, pv_json),
        dns=dns,
        events=parse_events(events_json),
        stable_storage=storage,
        nodes=parse_nodes(nodes_json),
    )
    checks = evaluate(e, observation)
    document: dict[str, Any] = to_json_ready(
        {
            "observed_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "expectations": e,
            "statefulset": observation.statefulset,
            "deployment": parse_deployment(dep_json, dep_pods),
            "services": parse_services(svc_json),
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
            "dns_probe_run": token,
        }
    )
    return document

"""The headless Services' SRV records, asked of the cluster DNS.

The DNS probe pod runs busybox 1.28, as the seed did, and its nslookup cannot
ask for a record type. So the SRV queries go from the probes' own process to
the cluster DNS Service through `kubectl port-forward`, which carries TCP only
(DNS answers over TCP as well). They reach the server the pods ask and need
nothing but kubectl, so they work on any cluster the probes can list.

They are asked after the pods' lookups settled: the records follow the same
endpoints as the Service's own name, which the lookups waited for. But the
DNS server caches each answer for its record's TTL (5 s on the lab cluster),
SRV answers apart from the A answers the lookups read, so an SRV answer that
does not name the pods the listing saw Ready is asked once more after
RECHECK_SECONDS, and the newer answer is the one judged.
"""

from __future__ import annotations

import queue
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from kube.names import SERVICE_PORT_NAME
from kube.target import KubectlTarget, display
from labcluster.dnsquery import SrvAnswer, query_srv_tcp
from probes import commands as cmd
from probes.calls import ProbeError
from probes.dns_plan import dashed_ip, fully_qualified, published
from probes.facts import Expectations, PodFacts, SrvLookup, SrvTarget

FORWARDING = re.compile(r"Forwarding from 127\.0\.0\.1:(\d+) ")
QUERY_SECONDS = 5.0
RECHECK_SECONDS = 6.0
"""Longer than the lab cluster's record TTL (5 s): a cached answer has expired by then."""


def srv_query(e: Expectations, service: str) -> str:
    """The SRV name of a headless Service's named TCP port."""
    return f"_{SERVICE_PORT_NAME}._tcp.{service}.{e.namespace}.svc.{e.cluster_domain}"


def _lines(stream: Iterator[str], into: queue.Queue[str | None]) -> None:
    for line in stream:
        into.put(line)
    into.put(None)


@contextmanager
def forwarded_port(argv: list[str], timeout_seconds: float) -> Iterator[int]:
    """Runs a `kubectl port-forward` for as long as the block runs and yields
    the local port it printed; ProbeError when it prints none in time."""
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stderr is not None
        printed: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_lines, args=(process.stdout, printed), daemon=True).start()
        while True:
            try:
                line = printed.get(timeout=timeout_seconds)
            except queue.Empty:
                raise ProbeError(f"{display(argv)} printed no forwarded port within {timeout_seconds:g}s") from None
            if line is None:
                process.wait(timeout=5)
                said = process.stderr.read().strip() or f"exit code {process.returncode}"
                raise ProbeError(f"{display(argv)} ended before forwarding: {said}{_why(said)}")
            found = FORWARDING.match(line)
            if found:
                break
        yield int(found.group(1))
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _why(said: str) -> str:
    """What kubectl's refusal means for the SRV checks, where it says little."""
    if "timed out waiting for the condition" in said:
        return (
            f" (no running pod behind {cmd.CLUSTER_DNS_NAMESPACE}/{cmd.CLUSTER_DNS_SERVICE} within "
            f"{cmd.FORWARD_POD_WAIT_SECONDS} s: is the cluster DNS running?)"
        )
    if "forbidden" not in said.lower():
        return ""
    # A user who is not the cluster's admin.
    return (
        f" (the SRV records need the right to port-forward to the cluster DNS: get on services and pods and "
        f"create on pods/portforward in {cmd.CLUSTER_DNS_NAMESPACE}; without it these checks stay inconclusive)"
    )


def lookup(service: str, query: str, ask: Callable[[str], SrvAnswer]) -> SrvLookup:
    """One Service's SRV query; a query that gets no answer is a lookup with an error."""
    try:
        answer = ask(query)
    except (OSError, ValueError, IndexError) as err:
        return SrvLookup(service, query, error=f"no answer: {err}")
    return SrvLookup(service, query, answer.rcode, [SrvTarget(r.target, r.port) for r in answer.records])


def srv_target(e: Expectations, pod: PodFacts) -> str:
    """Where a headless Service's SRV record points for a Ready pod: a StatefulSet
    pod by its own name, a Deployment pod (no hostname) by its dashed IP."""
    if pod.workload == "statefulset":
        return fully_qualified(e, pod) + "."
    return f"{dashed_ip(pod.ip)}.{e.deployment_service}.{e.namespace}.svc.{e.cluster_domain}."


def published_targets(e: Expectations, pods: list[PodFacts]) -> dict[str, set[str]]:
    """The SRV targets each headless Service should answer with for the pods the
    listing saw (those of either workload's label that are Ready and not leaving)."""
    services = {"statefulset": e.statefulset_service, "deployment": e.deployment_service}
    targets: dict[str, set[str]] = {service: set() for service in services.values()}
    for pod in published(pods):
        targets[services[pod.workload]].add(srv_target(e, pod))
    return targets


def _disagrees(found: SrvLookup, published: set[str] | None) -> bool:
    return published is not None and not found.error and {r.target for r in found.records} != published


def lookup_srv(
    target: KubectlTarget,
    e: Expectations,
    timeout_seconds: float,
    published: dict[str, set[str]] | None = None,
    pause: Callable[[float], None] = time.sleep,
) -> list[SrvLookup]:
    """Both headless Services' SRV records, through one port-forward. `published`:
    the targets each Service's Ready pods should have; an answer that differs is
    asked again once its cached copy has expired."""
    services = [e.statefulset_service, e.deployment_service]
    argv = cmd.forward_cluster_dns(target)
    try:
        with forwarded_port(argv, timeout_seconds) as port:

            def ask(service: str) -> SrvLookup:
                return lookup(
                    service, srv_query(e, service), lambda q: query_srv_tcp("127.0.0.1", port, q, QUERY_SECONDS)
                )

            found = [ask(s) for s in services]
            if any(_disagrees(d, (published or {}).get(d.service)) for d in found) and published is not None:
                pause(RECHECK_SECONDS)
                found = [ask(d.service) if _disagrees(d, published.get(d.service)) else d for d in found]
            return found
    except ProbeError as err:
        return [SrvLookup(s, srv_query(e, s), error=str(err)) for s in services]


def shown_command(target: KubectlTarget, e: Expectations) -> str:
    """What the report shows as the run's SRV command."""
    queries = " and ".join(srv_query(e, s) for s in (e.statefulset_service, e.deployment_service))
    return f"{display(cmd.forward_cluster_dns(target))}, then SRV queries over TCP for {queries}"

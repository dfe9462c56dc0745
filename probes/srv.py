"""The headless Services' SRV records, asked of the cluster DNS.

The DNS probe pod runs busybox 1.28, as the seed did, and its nslookup cannot
ask for a record type. So the SRV queries go from the probes' own process to
the cluster DNS Service through `kubectl port-forward`, which carries TCP only
(DNS answers over TCP as well). They reach the server the pods ask and need
nothing but kubectl, so they work on any cluster the probes can list.

They are asked once, after the pods' lookups settled: the records follow the
same endpoints as the Service's own name, which the lookups waited for.
"""

from __future__ import annotations

import queue
import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from kube.names import SERVICE_PORT_NAME
from kube.target import KubectlTarget, display
from labcluster.dnsquery import SrvAnswer, query_srv_tcp
from probes import commands as cmd
from probes.calls import ProbeError
from probes.facts import Expectations, SrvLookup, SrvTarget

FORWARDING = re.compile(r"Forwarding from 127\.0\.0\.1:(\d+) ")
QUERY_SECONDS = 5.0


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


def lookup_srv(target: KubectlTarget, e: Expectations, timeout_seconds: float) -> list[SrvLookup]:
    """Both headless Services' SRV records, through one port-forward."""
    services = [e.statefulset_service, e.deployment_service]
    argv = cmd.forward_cluster_dns(target)
    try:
        with forwarded_port(argv, timeout_seconds) as port:
            return [
                lookup(s, srv_query(e, s), lambda q: query_srv_tcp("127.0.0.1", port, q, QUERY_SECONDS))
                for s in services
            ]
    except ProbeError as err:
        return [SrvLookup(s, srv_query(e, s), error=str(err)) for s in services]


def shown_command(target: KubectlTarget, e: Expectations) -> str:
    """What the report shows as the run's SRV command."""
    queries = " and ".join(srv_query(e, s) for s in (e.statefulset_service, e.deployment_service))
    return f"{display(cmd.forward_cluster_dns(target))}, then SRV queries over TCP for {queries}"

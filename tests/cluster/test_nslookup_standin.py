"""The lab cluster's nslookup (labcluster/go/nslookup, in its busybox:1.28 image)
answers like the real busybox 1.28 of the seed note: the probes' own DNS script
runs it, the probes' parser reads it, and each kind of answer gives the facts,
layout and error line of the seed's answer of the same kind
(tests/fixtures/seed-busybox-1.28)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from probes.commands import dns_script
from probes.dns_plan import CONTROL_QUERY, dashed_ip
from probes.facts import NOT_FOUND, RESOLVED, DnsLookup
from probes.parse import dns_script_blocks, lookup_of, nslookup_layout
from tests.cluster.kube import Kube, pod

pytestmark = pytest.mark.cluster

IMAGE = "docker.io/library/busybox:1.28"
NOTE = Path(__file__).resolve().parents[1] / "fixtures" / "seed-busybox-1.28"
IPV4 = re.compile(r"^(?:\d{1,3}\.){3}\d{1,3}$")


@dataclass(frozen=True)
class Answer:
    query: str
    text: str
    lookup: DnsLookup

    @property
    def layout(self) -> list[str]:
        return nslookup_layout(self.text)

    def answer_line(self) -> str:
        """The `Address 1:` line after `Name:`."""
        return self.text.split("Name:", 1)[1].splitlines()[1]


def seed(query: str, exit_code: int) -> Answer:
    text = (NOTE / f"{query}.txt").read_text()
    return Answer(query, text, lookup_of(query, text, exit_code))


# One real answer of each kind; the exit codes are busybox 1.28's (see the fixtures' README).
SEED_HIT = seed("web-sts-1.nginx-sts", 0)
SEED_NAME_MISS = seed("web-dep-74f5674789-2b7px.nginx-dep", 1)
SEED_DASHED_HIT = seed("172-16-40-90.nginx-dep", 0)
SEED_DASHED_MISS = seed("172-16-25-222.nginx-dep", 1)


@dataclass(frozen=True)
class StandIn:
    namespace: str
    pod_ip: str
    control: Answer
    name_miss: Answer
    dashed_hit: Answer
    dashed_miss: Answer


def _headless(name: str, namespace: str, app: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"clusterIP": "None", "selector": {"app": app}, "ports": [{"name": "web", "port": 80}]},
    }


@pytest.fixture(scope="module")
def standin(kube: Kube, namespace: str) -> Iterator[StandIn]:
    """A busybox:1.28 pod behind a headless Service `standin` (as a Deployment
    pod behind nginx-dep), and a headless Service `standin-other` that selects
    no pod (as nginx-dep does not select a StatefulSet pod); the lookups of the
    probes' DNS script, run from a second pod as the seed's `dns-test` pod did
    (in the pod itself, its own /etc/hosts would name its address), repeated
    until the pod's record is served."""
    kube.apply(
        [
            pod("standin", namespace, IMAGE, ["sleep", "3600"]),
            pod("dns-test", namespace, IMAGE, ["sleep", "3600"]),
            _headless("standin", namespace, "standin"),
            _headless("standin-other", namespace, "no-such-app"),
        ]
    )
    kube.wait_ready(namespace, "app=standin")
    kube.wait_ready(namespace, "app=dns-test")
    ip = kube.get("pod", "-n", namespace, "standin")["status"]["podIP"]
    queries = [CONTROL_QUERY, "no-such-pod.standin", f"{dashed_ip(ip)}.standin", f"{dashed_ip(ip)}.standin-other"]
    deadline = time.monotonic() + 60
    while True:
        out = kube.exec(namespace, "dns-test", "sh", "-c", dns_script(queries)).stdout
        answers = {q: Answer(q, text, lookup_of(q, text, code)) for q, text, code in dns_script_blocks(out)}
        assert list(answers) == queries, out
        # The pod's record appears once its endpoint is published; until then it is a miss.
        if answers[queries[2]].lookup.resolved or time.monotonic() > deadline:
            break
        time.sleep(1)
    yield StandIn(namespace, ip, *(answers[q] for q in queries))


def test_a_name_that_resolves_gives_the_facts_of_the_seeds_hit(standin: StandIn) -> None:
    got, want = standin.control.lookup, SEED_HIT.lookup
    assert (got.outcome, got.exit_code) == (want.outcome, want.exit_code) == (RESOLVED, 0)
    assert len(got.addresses) == len(want.addresses) == 1
    assert IPV4.match(got.addresses[0]) and IPV4.match(want.addresses[0])
    assert standin.control.layout == SEED_HIT.layout


def test_a_name_that_does_not_exist_gives_the_seeds_cant_resolve(standin: StandIn) -> None:
    got, want = standin.name_miss.lookup, SEED_NAME_MISS.lookup
    assert (got.outcome, got.exit_code, got.addresses) == (want.outcome, want.exit_code, want.addresses)
    assert got.outcome == NOT_FOUND
    assert got.detail == f"nslookup: can't resolve '{standin.name_miss.query}'"
    assert want.detail == f"nslookup: can't resolve '{SEED_NAME_MISS.query}'"
    assert standin.name_miss.layout == SEED_NAME_MISS.layout


def test_a_dashed_ip_under_its_service_resolves_like_the_seeds(standin: StandIn) -> None:
    got, want = standin.dashed_hit.lookup, SEED_DASHED_HIT.lookup
    assert (got.outcome, got.exit_code) == (want.outcome, want.exit_code) == (RESOLVED, 0)
    assert got.addresses == [standin.pod_ip] and want.addresses == ["172.16.40.90"]
    assert standin.dashed_hit.layout == SEED_DASHED_HIT.layout
    # Both name the address by its record: <dashed-ip>.<service>.<namespace>.svc.cluster.local.
    assert SEED_DASHED_HIT.answer_line() == f"Address 1: 172.16.40.90 {SEED_DASHED_HIT.query}.default.svc.cluster.local"
    assert standin.dashed_hit.answer_line() == (
        f"Address 1: {standin.pod_ip} {standin.dashed_hit.query}.{standin.namespace}.svc.cluster.local"
    )


def test_a_dashed_ip_under_another_service_does_not_exist_like_the_seeds(standin: StandIn) -> None:
    got, want = standin.dashed_miss.lookup, SEED_DASHED_MISS.lookup
    assert (got.outcome, got.exit_code, got.addresses) == (want.outcome, want.exit_code, want.addresses)
    assert got.outcome == NOT_FOUND
    assert got.detail == f"nslookup: can't resolve '{standin.dashed_miss.query}'"
    assert standin.dashed_miss.layout == SEED_DASHED_MISS.layout

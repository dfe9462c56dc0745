"""The headless Services' SRV records: the wire format, the port-forward, and the checks."""

from __future__ import annotations

import socket
import struct
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from kube.target import KubectlTarget
from labcluster.dnsquery import SrvAnswer, SrvRecord, decode_srv_response, encode_query, query_srv_tcp, read_name
from probes import srv
from probes.calls import ProbeError
from probes.checks.srv import check_srv
from probes.commands import forward_cluster_dns
from probes.dns_plan import dashed_ip
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    PASSED,
    NodeFacts,
    Observation,
    PodFacts,
    SrvLookup,
    SrvTarget,
)
from probes.srv import forwarded_port, lookup, srv_query
from tests.unit.test_probe_checks import DEP, STS, E, by_name, observation

DOMAIN = "default.svc.cluster.local."
STS_QUERY = srv_query(E, "nginx-sts")
DEP_QUERY = srv_query(E, "nginx-dep")


def _srv_response(query: bytes, rcode: int, records: list[tuple[int, str]]) -> bytes:
    """A response as CoreDNS writes it: the question's name compressed in each answer."""
    counts = struct.pack("!HHHH", 1, len(records), 0, 0)
    answers = b""
    for port, target in records:
        labels = b"".join(bytes([len(x)]) + x.encode() for x in target.strip(".").split("."))
        rdata = struct.pack("!HHH", 0, 100, port) + labels + b"\0"
        answers += b"\xc0\x0c" + struct.pack("!HHIH", 33, 1, 30, len(rdata)) + rdata
    return query[:2] + struct.pack("!H", 0x8180 | rcode) + counts + query[12:] + answers


def test_an_srv_response_yields_each_target_and_port() -> None:
    query = encode_query(STS_QUERY, 11, 33)
    answer = decode_srv_response(_srv_response(query, 0, [(80, "web-sts-0.nginx-sts." + DOMAIN)]), 11)
    assert answer.rcode == "NOERROR"
    assert answer.records == (SrvRecord(0, 100, 80, "web-sts-0.nginx-sts." + DOMAIN),)


def test_a_name_follows_its_compression_pointer_and_a_pointer_loop_is_refused() -> None:
    message = b"\x03abc\x00" + b"\x01x\xc0\x00"
    assert read_name(message, 5) == ("x.abc.", 9)
    with pytest.raises(ValueError, match="loops"):
        read_name(b"\xc0\x00", 0)


def test_an_srv_query_over_tcp_frames_each_message_by_its_length() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def answer_once() -> None:
        conn, _ = server.accept()
        with conn:
            (length,) = struct.unpack("!H", conn.recv(2))
            query = conn.recv(length)
            response = _srv_response(query, 0, [(80, "10-244-0-20.nginx-dep." + DOMAIN)])
            conn.sendall(struct.pack("!H", len(response)) + response)

    thread = threading.Thread(target=answer_once)
    thread.start()
    try:
        answer = query_srv_tcp("127.0.0.1", port, DEP_QUERY, timeout=5)
    finally:
        thread.join()
        server.close()
    assert [r.target for r in answer.records] == ["10-244-0-20.nginx-dep." + DOMAIN]


def _fake_kubectl(tmp_path: Path, script: str) -> list[str]:
    path = tmp_path / "kubectl.py"
    path.write_text(textwrap.dedent(script))
    return [sys.executable, str(path)]


def test_the_forwarded_port_is_read_from_kubectls_first_line_and_the_forward_is_stopped(tmp_path: Path) -> None:
    argv = _fake_kubectl(
        tmp_path,
        """
        import time
        print("Forwarding from 127.0.0.1:45123 -> 53", flush=True)
        print("Forwarding from [::1]:45123 -> 53", flush=True)
        time.sleep(60)
        """,
    )
    with forwarded_port(argv, 10) as port:
        assert port == 45123


def test_a_forward_that_fails_says_what_kubectl_said(tmp_path: Path) -> None:
    argv = _fake_kubectl(
        tmp_path,
        """
        import sys
        print('error: services "kube-dns" not found', file=sys.stderr)
        sys.exit(1)
        """,
    )
    with (
        pytest.raises(ProbeError, match='ended before forwarding: error: services "kube-dns" not found'),
        forwarded_port(argv, 10),
    ):
        pass


def test_a_forward_with_no_dns_pod_to_reach_says_so_and_waits_only_briefly(tmp_path: Path) -> None:
    """CoreDNS scaled to nothing: kubectl waits for a running pod, then gives up."""
    argv = _fake_kubectl(
        tmp_path,
        """
        import sys
        print("error: timed out waiting for the condition", file=sys.stderr)
        sys.exit(1)
        """,
    )
    with pytest.raises(ProbeError) as gave_up, forwarded_port(argv, 10):
        pass
    assert "no running pod behind kube-system/kube-dns within 10 s: is the cluster DNS running?" in str(gave_up.value)
    assert "--pod-running-timeout=10s" in forward_cluster_dns(KubectlTarget(namespace="lab"))


def test_a_forward_the_user_may_not_make_names_the_right_it_needs(tmp_path: Path) -> None:
    """A learner with `edit` in their namespace only: nothing in kube-system."""
    argv = _fake_kubectl(
        tmp_path,
        """
        import sys
        print('Error from server (Forbidden): services "kube-dns" is forbidden: User "learner" cannot get '
              'resource "services" in API group "" in the namespace "kube-system"', file=sys.stderr)
        sys.exit(1)
        """,
    )
    with pytest.raises(ProbeError) as refused, forwarded_port(argv, 10):
        pass
    assert "cannot get resource" in str(refused.value)
    assert "get on services and pods and create on pods/portforward in kube-system" in str(refused.value)


def test_a_forward_that_prints_no_port_in_time_is_a_probe_error(tmp_path: Path) -> None:
    argv = _fake_kubectl(tmp_path, "import time\ntime.sleep(60)\n")
    with pytest.raises(ProbeError, match=r"printed no forwarded port within 0\.5s"), forwarded_port(argv, 0.5):
        pass


def test_a_query_without_an_answer_is_a_lookup_with_its_error() -> None:
    def refused(_: str) -> object:
        raise ConnectionRefusedError("connection refused")

    found = lookup("nginx-sts", STS_QUERY, refused)  # type: ignore[arg-type]
    assert found == SrvLookup("nginx-sts", STS_QUERY, error="no answer: connection refused")


# --- the checks ------------------------------------------------------------------


def by_pod_name(p: PodFacts) -> SrvTarget:
    return SrvTarget(f"{p.name}.nginx-sts.{DOMAIN}", 80)


def by_dashed(p: PodFacts) -> SrvTarget:
    return SrvTarget(f"{dashed_ip(p.ip)}.nginx-dep.{DOMAIN}", 80)


def answered(sts: list[SrvTarget], dep: list[SrvTarget], rcode: str = "NOERROR") -> list[SrvLookup]:
    return [SrvLookup("nginx-sts", STS_QUERY, rcode, sts), SrvLookup("nginx-dep", DEP_QUERY, rcode, dep)]


def srv_checks(o: Observation) -> dict[str, str]:
    return {name: c.verdict + ": " + c.observed for name, c in by_name(check_srv(E, o)).items()}


NAME = "the headless Service's SRV records name each Ready pod"


def test_records_at_each_pods_own_name_and_at_each_dashed_ip_pass() -> None:
    o = observation(srv=answered([by_pod_name(p) for p in STS], [by_dashed(p) for p in DEP]))
    checks = by_name(check_srv(E, o))
    assert {k: c.verdict for k, c in checks.items()} == {
        f"[statefulset] {NAME}": PASSED,
        f"[deployment] {NAME}": PASSED,
    }
    assert f"{STS_QUERY} (NOERROR) -> web-sts-0.nginx-sts.{DOMAIN}:80, web-sts-1.nginx-sts.{DOMAIN}:80" == (
        checks[f"[statefulset] {NAME}"].observed
    )


def test_statefulset_pods_published_by_dashed_ip_fail() -> None:
    """serviceName naming another Service: the pods have no subdomain under this one."""
    o = observation(srv=answered([SrvTarget(f"{dashed_ip(p.ip)}.nginx-sts.{DOMAIN}", 80) for p in STS], []))
    found = srv_checks(o)[f"[statefulset] {NAME}"]
    assert found.startswith(FAILED)
    assert f"no record for web-sts-0.nginx-sts.{DOMAIN}, web-sts-1.nginx-sts.{DOMAIN}" in found
    assert f"records for no Ready pod of the workload: 10-244-0-10.nginx-sts.{DOMAIN}" in found


def test_deployment_pods_published_by_their_names_fail() -> None:
    """A cluster DNS with `endpoint_pod_names`: records name the pods, not their IPs."""
    o = observation(srv=answered([], [SrvTarget(f"{p.name}.nginx-dep.{DOMAIN}", 80) for p in DEP]))
    assert srv_checks(o)[f"[deployment] {NAME}"].startswith(FAILED)


def test_a_record_for_a_pod_that_is_not_ready_fails_and_the_pod_is_named() -> None:
    """publishNotReadyAddresses on the Service: the unready pod is published too."""
    unready = [STS[0], replace(STS[1], ready=False, state="Running, not Ready")]
    o = observation(statefulset_pods=unready, srv=answered([by_pod_name(p) for p in STS], []))
    found = srv_checks(o)[f"[statefulset] {NAME}"]
    assert found.startswith(FAILED)
    assert "not Ready, so left out: web-sts-1 (Running, not Ready)" in found
    assert f"records for no Ready pod of the workload: web-sts-1.nginx-sts.{DOMAIN}" in found


def test_a_missing_record_of_a_pod_on_a_node_that_is_not_ready_proves_nothing() -> None:
    """A stopped worker: its pod was Ready in the listing, and its record went before the query."""
    on_stopped = [STS[0], replace(STS[1], node="lab-worker-1")]
    nodes = [NodeFacts("lab-node", True, False, []), NodeFacts("lab-worker-1", False, False, [])]
    o = observation(statefulset_pods=on_stopped, nodes=nodes, srv=answered([by_pod_name(STS[0])], []))
    found = srv_checks(o)[f"[statefulset] {NAME}"]
    assert found.startswith(INCONCLUSIVE)
    assert "on a node that is not Ready" in found
    # The same missing record with the node Ready is a failure.
    ready = [NodeFacts("lab-node", True, False, []), NodeFacts("lab-worker-1", True, False, [])]
    assert srv_checks(replace(o, nodes=ready))[f"[statefulset] {NAME}"].startswith(FAILED)


def test_a_record_on_another_port_fails() -> None:
    o = observation(srv=answered([SrvTarget(t.target, 8080) for t in map(by_pod_name, STS)], []))
    assert "port 8080 instead of 80" in srv_checks(o)[f"[statefulset] {NAME}"]


def test_no_answer_or_a_server_failure_is_inconclusive_and_nothing_to_judge_is_not_applicable() -> None:
    failing = observation(srv=answered([], [], rcode="SERVFAIL"))
    assert srv_checks(failing)[f"[statefulset] {NAME}"].startswith(INCONCLUSIVE)
    forward_failed = [
        SrvLookup(s, q, error="no answer: timed out") for s, q in (("nginx-sts", STS_QUERY), ("nginx-dep", DEP_QUERY))
    ]
    assert "no answer: timed out" in srv_checks(observation(srv=forward_failed))[f"[deployment] {NAME}"]
    assert srv_checks(observation(srv=[]))[f"[statefulset] {NAME}"] == f"{INCONCLUSIVE}: no SRV query of nginx-sts ran"
    none = observation(statefulset_pods=[], srv=answered([], [by_dashed(p) for p in DEP], rcode="NXDOMAIN"))
    assert srv_checks(none)[f"[statefulset] {NAME}"].startswith(NOT_APPLICABLE)


def test_no_pod_ready_and_no_record_passes_on_the_servers_word() -> None:
    """No Ready pod: the server answers that no record exists, which a Service publishing unready pods would not."""
    unready = [replace(p, ready=False, state="Pending") for p in STS]
    o = observation(statefulset_pods=unready, srv=answered([], [by_dashed(p) for p in DEP]))
    o = replace(o, srv=[SrvLookup("nginx-sts", STS_QUERY, "NXDOMAIN", []), o.srv[1]])  # type: ignore[index]
    assert srv_checks(o)[f"[statefulset] {NAME}"].startswith(PASSED)


def test_a_document_made_before_srv_records_were_asked_has_no_srv_checks() -> None:
    assert check_srv(E, observation()) == []


def test_a_stranger_with_the_label_gets_a_record_and_fails_the_check_naming_it() -> None:
    """Someone else's Ready pod labelled app=nginx-sts: the Service publishes it too."""
    stranger = replace(STS[0], name="impostor", ordinal=None, ip="10.244.0.99", owner="", workload="statefulset")
    other = replace(DEP[0], name="dep-impostor", ip="10.244.0.98")  # the Deployment's: not the StatefulSet's concern
    records = [*map(by_pod_name, STS), SrvTarget(f"10-244-0-99.nginx-sts.{DOMAIN}", 80)]
    o = observation(strangers=[stranger, other], srv=answered(records, [by_dashed(p) for p in DEP]))
    assert srv_checks(o)[f"[statefulset] {NAME}"] == (
        f"{FAILED}: {STS_QUERY} (NOERROR) -> web-sts-0.nginx-sts.{DOMAIN}:80, web-sts-1.nginx-sts.{DOMAIN}:80, "
        f"10-244-0-99.nginx-sts.{DOMAIN}:80; pods with its label the lab did not make: impostor; "
        f"records for no Ready pod of the workload: 10-244-0-99.nginx-sts.{DOMAIN}"
    )


def test_nothing_to_judge_names_the_workload_and_its_replicas() -> None:
    none = observation(statefulset_pods=[], deployment_pods=[], srv=answered([], [], rcode="NXDOMAIN"))
    assert srv_checks(none) == {
        f"[statefulset] {NAME}": f"{NOT_APPLICABLE}: no StatefulSet pods (replicas 2): nothing to judge",
        f"[deployment] {NAME}": f"{NOT_APPLICABLE}: no Deployment pods (replicas 2): nothing to judge",
    }


def test_an_inconclusive_difference_on_a_stopped_node_says_so_in_the_same_words_as_its_evidence() -> None:
    on_stopped = [STS[0], replace(STS[1], node="lab-worker-1")]
    nodes = [NodeFacts("lab-node", True, False, []), NodeFacts("lab-worker-1", False, False, [])]
    o = observation(statefulset_pods=on_stopped, nodes=nodes, srv=answered([by_pod_name(STS[0])], []))
    assert srv_checks(o)[f"[statefulset] {NAME}"] == (
        f"{INCONCLUSIVE}: {STS_QUERY} (NOERROR) -> web-sts-0.nginx-sts.{DOMAIN}:80; "
        f"no record for web-sts-1.nginx-sts.{DOMAIN}; "
        "those pods are on a node that is not Ready, whose records may have gone since the listing"
    )


def _asking(answers: dict[str, list[SrvAnswer]], asked: list[str]) -> Callable[..., SrvAnswer]:
    """A DNS server whose answers for each query come in turn (the last one repeats)."""

    def ask(host: str, port: int, query: str, seconds: float) -> SrvAnswer:
        asked.append(query)
        turn = answers[query]
        return turn.pop(0) if len(turn) > 1 else turn[0]

    return ask


def _records(*targets: str) -> SrvAnswer:
    return SrvAnswer("NOERROR", tuple(SrvRecord(0, 100, 80, t) for t in targets))


@contextmanager
def _no_forward(argv: list[str], seconds: float) -> Iterator[int]:
    yield 5353


def _looked_up(
    monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[SrvAnswer]]
) -> tuple[list[SrvLookup], list[str], list[float]]:
    asked: list[str] = []
    paused: list[float] = []
    monkeypatch.setattr(srv, "forwarded_port", _no_forward)
    monkeypatch.setattr(srv, "query_srv_tcp", _asking(answers, asked))
    found = srv.lookup_srv(KubectlTarget("default"), E, 10, srv.published_targets(E, [*STS, *DEP]), paused.append)
    return found, asked, paused


STS_TARGETS = [f"{p.name}.nginx-sts.{DOMAIN}" for p in STS]
DEP_TARGETS = [f"{dashed_ip(p.ip)}.nginx-dep.{DOMAIN}" for p in DEP]


def test_answers_that_name_the_ready_pods_are_asked_for_once(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {STS_QUERY: [_records(*STS_TARGETS)], DEP_QUERY: [_records(*DEP_TARGETS)]}
    found, asked, paused = _looked_up(monkeypatch, answers)
    assert asked == [STS_QUERY, DEP_QUERY] and paused == []
    assert sorted(r.target for r in found[1].records) == sorted(DEP_TARGETS)


def test_an_answer_the_server_cached_before_a_change_is_asked_again_once_it_has_expired(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The Deployment's Service selected the StatefulSet's pods a moment ago: the
    server still holds that answer; asked again after the TTL, it names the right pods."""
    answers = {STS_QUERY: [_records(*STS_TARGETS)], DEP_QUERY: [_records(*STS_TARGETS), _records(*DEP_TARGETS)]}
    found, asked, paused = _looked_up(monkeypatch, answers)
    assert asked == [STS_QUERY, DEP_QUERY, DEP_QUERY] and paused == [srv.RECHECK_SECONDS]
    assert sorted(r.target for r in found[1].records) == sorted(DEP_TARGETS)


def test_an_answer_still_wrong_after_the_wait_is_the_one_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {STS_QUERY: [_records(*STS_TARGETS)], DEP_QUERY: [_records(*STS_TARGETS)]}
    found, asked, paused = _looked_up(monkeypatch, answers)
    assert asked == [STS_QUERY, DEP_QUERY, DEP_QUERY] and paused == [srv.RECHECK_SECONDS]
    assert sorted(r.target for r in found[1].records) == sorted(STS_TARGETS)

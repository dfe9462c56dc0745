"""How the DNS wait ends is recorded, so a report never says "settled" when
the window ran out or cluster DNS never answered."""

from __future__ import annotations

import pytest

from kube.target import KubectlTarget
from probes import dns_pod
from probes.calls import Kubectl
from probes.dns_pod import DnsProbePod
from probes.facts import RESOLVED, DnsLookup
from report.text import DNS_ENDINGS

CONTROL = "kubernetes.default"


class Clock:
    """A monotonic clock that moves only when the wait sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def waited(monkeypatch: pytest.MonkeyPatch, answers: list[DnsLookup], settled: bool) -> tuple[int, str]:
    clock = Clock()
    monkeypatch.setattr("probes.dns_pod.time.monotonic", clock.monotonic)
    monkeypatch.setattr("probes.dns_pod.time.sleep", clock.sleep)
    pod = DnsProbePod(Kubectl(5), KubectlTarget(namespace="lab"), "busybox", 5)
    monkeypatch.setattr(pod, "lookup", lambda queries: answers)
    _, rounds, ended = pod.lookup_until_settled([CONTROL, "web-sts-0.nginx-sts"], lambda found: settled, CONTROL)
    return rounds, ended


def test_answers_that_settle_end_the_wait_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [DnsLookup(CONTROL, 0, ["10.96.0.1"], RESOLVED)]
    assert waited(monkeypatch, answers, settled=True) == (1, "settled")


def test_answers_that_never_settle_end_when_the_window_runs_out(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [DnsLookup(CONTROL, 0, ["10.96.0.1"], RESOLVED)]
    rounds, ended = waited(monkeypatch, answers, settled=False)
    assert ended == "window"
    assert rounds == dns_pod.DNS_SETTLE_SECONDS // 2 + 2


def test_a_control_name_that_never_resolves_ends_the_wait_early(monkeypatch: pytest.MonkeyPatch) -> None:
    rounds, ended = waited(monkeypatch, [DnsLookup(CONTROL, 1, [])], settled=False)
    assert ended == "silent"
    assert rounds < dns_pod.DNS_SETTLE_SECONDS // 2


def test_every_ending_has_its_own_words_in_the_report() -> None:
    words = [DNS_ENDINGS[e] for e in ("settled", "window", "silent")]
    assert len(set(words)) == 3
    assert "settled" not in DNS_ENDINGS["window"] + DNS_ENDINGS["silent"]

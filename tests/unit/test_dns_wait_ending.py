"""How the DNS wait ends is recorded, so a report never says "settled" when
the window ran out or cluster DNS never answered."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from kube.target import KubectlTarget
from probes import dns_pod
from probes.calls import Kubectl
from probes.dns_plan import RECORDS_DUE_SECONDS, records_due
from probes.dns_pod import DnsProbePod
from probes.facts import NOT_FOUND, RESOLVED, DnsLookup, PodFacts
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


def waited(
    monkeypatch: pytest.MonkeyPatch,
    answers: list[DnsLookup] | Callable[[], list[DnsLookup]],
    settled: bool,
    records_due: bool = False,
) -> tuple[int, str]:
    clock = Clock()
    monkeypatch.setattr("probes.dns_pod.time.monotonic", clock.monotonic)
    monkeypatch.setattr("probes.dns_pod.time.sleep", clock.sleep)
    pod = DnsProbePod(Kubectl(5), KubectlTarget(namespace="lab"), "busybox", 5)
    monkeypatch.setattr(pod, "lookup", lambda queries: answers() if callable(answers) else answers)
    _, rounds, ended = pod.lookup_until_settled(
        [CONTROL, "web-sts-0.nginx-sts"], lambda found: settled, CONTROL, lambda: records_due
    )
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


WRONG = [DnsLookup(CONTROL, 0, ["10.96.0.1"], RESOLVED), DnsLookup("web-sts-0.nginx-sts", 1, [], NOT_FOUND)]


def test_wrong_answers_that_stop_changing_end_the_wait_once_every_record_is_due(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert waited(monkeypatch, WRONG, settled=False, records_due=True) == (dns_pod.STEADY_ROUNDS, "steady")


def test_wrong_answers_wait_out_the_window_while_a_record_may_still_be_on_its_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rounds, ended = waited(monkeypatch, WRONG, settled=False, records_due=False)
    assert ended == "window"
    assert rounds == dns_pod.DNS_SETTLE_SECONDS // 2 + 2


def test_answers_that_keep_changing_are_not_steady(monkeypatch: pytest.MonkeyPatch) -> None:
    rounds_seen = itertools.count()

    def alternating() -> list[DnsLookup]:
        address = ["10.200.1.5"] if next(rounds_seen) % 2 else []
        return [
            WRONG[0],
            DnsLookup("web-sts-0.nginx-sts", 0 if address else 1, address, RESOLVED if address else NOT_FOUND),
        ]

    assert waited(monkeypatch, alternating, settled=False, records_due=True)[1] == "window"


def test_records_are_due_only_when_every_ready_pod_has_been_ready_long_enough() -> None:
    now = datetime(2026, 12, 6, 12, 0, 0, tzinfo=UTC)
    old = _pod("web-sts-0", "2026-12-06T11:58:00Z")
    young = _pod("web-sts-1", "2026-12-06T11:59:30Z")
    pending = _pod("web-sts-2", None)
    assert records_due([old, pending], now)
    assert not records_due([old, young], now)
    assert records_due([old, young], now + timedelta(seconds=RECORDS_DUE_SECONDS))


def _pod(name: str, ready_since: str | None) -> PodFacts:
    fields = {f.name: None for f in dataclasses.fields(PodFacts) if f.default is dataclasses.MISSING}
    return dataclasses.replace(PodFacts(**fields), name=name, ready_since=ready_since)  # type: ignore[arg-type]


def test_every_ending_has_its_own_words_in_the_report() -> None:
    words = [DNS_ENDINGS[e] for e in ("settled", "window", "silent", "steady")]
    assert len(set(words)) == 4
    assert "settled" not in DNS_ENDINGS["window"] + DNS_ENDINGS["silent"] + DNS_ENDINGS["steady"]

"""The check of the dns-after-delete lesson (lessons/dns_after_delete.py): a
deleted StatefulSet pod's name, looked up all along while the pod goes and
comes back, ends up answering with the new pod's IP.

How soon is not promised, so it is not judged: the evidence shows every
answer in order, and how long the old IP or "not found" was still answered
after the new pod was Ready (the cluster DNS caches both: CoreDNS for the
records' TTL and its zone's SOA minimum).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from probes.checks.common import make_check
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    NOT_FOUND,
    PASSED,
    RESOLVED,
    Check,
    Expectations,
    Observation,
    Verdict,
)
from probes.lesson_record import LessonRecord, TimedLookup
from probes.parse import parse_time


def _answer(x: TimedLookup, old_ip: str, new_ip: str) -> str:
    if x.outcome != RESOLVED:
        return x.outcome
    ip = ", ".join(x.addresses)
    return f"the old IP {ip}" if x.addresses == [old_ip] else f"the new IP {ip}" if x.addresses == [new_ip] else ip


def timeline(lookups: list[TimedLookup], old_ip: str, new_ip: str) -> str:
    """The answers in order, each run of equal answers once: when it began, how many."""
    runs = []
    for said, group in groupby(lookups, key=lambda x: _answer(x, old_ip, new_ip)):
        found = list(group)
        runs.append(f"{found[0].at[11:23]} {said} ({len(found)}x)")
    return "; ".join(runs)


def _after_ready(lookups: list[TimedLookup], ready_seen: str, old_ip: str) -> str:
    """What the name still answered once the new pod was Ready: a cached old
    record, or a cached "not found"; how long after, and how many answers."""
    late = [x for x in lookups if x.at > ready_seen]
    said = []
    kinds: list[tuple[str, Callable[[TimedLookup], bool]]] = [
        ("the old IP", lambda x: x.outcome == RESOLVED and x.addresses == [old_ip]),
        ("'not found'", lambda x: x.outcome == NOT_FOUND),
    ]
    for what, matches in kinds:
        found = [x for x in late if matches(x)]
        if found:
            lingered = (parse_time(found[-1].at) - parse_time(ready_seen)).total_seconds()
            answers = f"{len(found)} answer" + ("s" if len(found) > 1 else "")
            said.append(f"{what} still {lingered:.1f} s after it ({answers})")
    return "once the new pod was Ready: " + (", ".join(said) if said else "its IP at the first answer")


def _judged(e: Expectations, r: LessonRecord) -> tuple[Verdict, str, str]:
    """The verdict, what was expected and what was seen."""
    pod = e.names.pod(r.ordinal or 0)  # the lesson requires its ordinal
    name = f"{pod}.{e.statefulset_service}"
    old = next((p for p in r.before if p.name == pod), None)
    new = next((p for p in r.after if p.name == pod), None)
    expected = (
        f"{name} ends up answering with the new pod's IP once it is Ready "
        "(on the way the old IP or 'not found', each cached for a while)"
    )
    if old is None or new is None or new.uid == old.uid or not r.ready_seen or not r.lookups:
        return INCONCLUSIVE, expected, r.problem or f"no new {pod} was seen Ready, so there is no answer to judge"
    seen = f"{timeline(r.lookups, old.ip, new.ip)}; {pod} seen Ready at {r.ready_seen[11:23]}"
    seen += f"; {_after_ready(r.lookups, r.ready_seen, old.ip)}"
    last = r.lookups[-1]
    if last.outcome == RESOLVED and last.addresses == [new.ip]:
        return PASSED, expected, seen
    return FAILED, expected, seen + (f"; {r.problem}" if r.problem else "")


def dns_after_delete_checks(e: Expectations, r: LessonRecord, o: Observation) -> list[Check]:
    return [
        make_check(
            "looked up all along, a re-created pod's name answers with its new IP (how soon is not promised)",
            "statefulset",
            *_judged(e, r),
        )
    ]

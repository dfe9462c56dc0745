"""The checks section of the report page: the checks grouped by the topic
they belong to (probes.topics.TOPICS, in the tutorial's order; checks of an
older document, which have no topic, under "Other"), each with its verdict,
what was expected and what was observed.

A check that failed or was inconclusive also shows what decided it: the
commands the run ran with an excerpt of their output, and the recent events
and last log lines of the pods it is about (shown once per pod; later checks
about the same pod link to them). A failed check gets a one-line hint.
"""

from __future__ import annotations

import re
from html import escape

from probes.document import PodDiagnostics, ProbeDocument
from probes.facts import FAILED, GATE_FAILING, Check, Evidence, Verdict, counts
from probes.topics import TOPICS
from report.hints import hint_for
from report.marks import MARKS

OTHER = "Other"


def verdict_class(verdict: str) -> str:
    return verdict.replace(" ", "-")


def mark_html(verdict: Verdict) -> str:
    return f'<span class="mark {verdict_class(verdict)}">{MARKS[verdict]}</span>'


def workload_html(workload: str) -> str:
    css = "sts" if workload == "statefulset" else "dep"
    return f'<span class="workload {css}">{escape(workload)}</span>'


def anchor(prefix: str, name: str) -> str:
    """An id safe in HTML and in a URL fragment, whatever the name holds."""
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '-', name)}"


def check_anchor(index: int, prefix: str = "") -> str:
    """`prefix` keeps the ids of several documents' checks on one page apart."""
    return f"{prefix}check-{index}"


def by_topic(checks: list[Check]) -> list[tuple[str, list[tuple[int, Check]]]]:
    """(title, [(index in the document, check)]) per topic with checks, in TOPICS order, then Other."""
    groups: dict[str, list[tuple[int, Check]]] = {key: [] for key in TOPICS}
    other: list[tuple[int, Check]] = []
    for i, check in enumerate(checks):
        groups.get(check.topic, other).append((i, check))
    titled = [(TOPICS[key], found) for key, found in groups.items() if found]
    return titled + ([(OTHER, other)] if other else [])


def _tally(checks: list[Check]) -> str:
    return ", ".join(f"{n} {verdict}" for verdict, n in counts(checks).items() if n)


def _evidence(evidence: list[Evidence]) -> str:
    if not evidence:
        return ""
    parts = ["<h4>Evidence</h4>"]
    for item in evidence:
        parts.append(f'<div class="mono">$ {escape(item.command)}</div>')
        parts.append(f"<pre>{escape(item.output)}</pre>")
    return "".join(parts)


def _event_line(line: str) -> str:
    css = ' class="warning"' if " Warning " in f" {line} " else ""
    return f"<li{css}>{escape(line)}</li>"


def _diagnostics(pods: list[str], diagnostics: dict[str, PodDiagnostics], shown: set[str], prefix: str) -> str:
    parts = []
    for pod in pods:
        found = diagnostics.get(pod)
        if found is None:
            continue
        if pod in shown:
            parts.append(
                f'<p class="see-above">Events and log of {escape(pod)}: '
                f'<a href="#{anchor(prefix + "pod", pod)}">shown above</a>.</p>'
            )
            continue
        shown.add(pod)
        events, log = found.events, found.log
        parts.append(f'<h4 id="{anchor(prefix + "pod", pod)}">Pod {escape(pod)}: recent events</h4>')
        parts.append(
            f'<ul class="events">{"".join(_event_line(e) for e in events)}</ul>' if events else "<p>no events</p>"
        )
        parts.append(f"<h4>Pod {escape(pod)}: last log lines</h4>")
        parts.append(f"<pre>{escape(log)}</pre>" if log.strip() else "<p>no log lines</p>")
    return "".join(parts)


def check_html(
    index: int, check: Check, diagnostics: dict[str, PodDiagnostics], shown: set[str], prefix: str = ""
) -> str:
    """One check: its mark, workload and name; expected and observed; and for
    one that did not pass, its hint (failed only), evidence and pods' diagnostics."""
    verdict = check.verdict
    lines = [
        f'<div class="check {verdict_class(verdict)}" id="{check_anchor(index, prefix)}">',
        f'<div class="title">{mark_html(verdict)}{workload_html(check.workload)}'
        f'<span class="name">{escape(check.name)}</span></div>',
        f'<div class="line"><b>expected</b> {escape(check.expected)}</div>',
        f'<div class="line"><b>observed</b> {escape(check.observed)}</div>',
    ]
    if verdict == FAILED:
        lines.append(f'<div class="hint">{escape(hint_for(check))}</div>')
    if verdict in GATE_FAILING:
        detail = _evidence(check.evidence) + _diagnostics(check.pods, diagnostics, shown, prefix)
        if detail:
            lines.append(f'<div class="detail">{detail}</div>')
    lines.append("</div>")
    return "\n".join(lines)


def render_checks(doc: ProbeDocument, prefix: str = "") -> str:
    """The checks section's content, after its heading; `prefix` starts each id in it."""
    checks = doc.checks
    if not checks:
        return "<p>No checks in this document.</p>"
    diagnostics = doc.diagnostics
    shown: set[str] = set()
    parts = []
    for title, found in by_topic(checks):
        parts.append(f'<h3>{escape(title)}<span class="tally">{escape(_tally([c for _, c in found]))}</span></h3>')
        parts += [check_html(i, c, diagnostics, shown, prefix) for i, c in found]
    return "\n".join(parts)

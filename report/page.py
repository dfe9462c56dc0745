"""The report as one self-contained HTML page (`out/<stack>-report.html`):
inline CSS and SVG, no script, nothing fetched, so it opens from disk, in
CI artifacts and on paper alike.

Its sections, each an A4 page when printed:
- the header: what was observed when (and how long ago), the stack, the
  cluster, the versions, the verdicts at a glance;
- the side-by-side StatefulSet/Deployment table (the text report's rows);
- the checks by topic, with evidence, events, logs and hints where one did not pass;
- the timeline of the pods' lives;
- the topology: nodes, their pods and the volume each pod mounts;
- the pods' table, as in the text report.

A document that could not be observed gets the header and the reason, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape

from probes.document import ProbeDocument
from probes.facts import GATE_FAILING, counts
from probes.parse import parse_time
from report.page_checks import check_anchor, mark_html, render_checks, verdict_class, workload_html
from report.page_style import CSS
from report.summary import pod_rows, summary_rows
from report.timeline import render_svg
from report.topology import render_topology


@dataclass(frozen=True)
class RunRecord:
    """What the report command knows that the probe document does not: the
    stack and the tools that made it."""

    stack: str
    """The Pulumi stack whose probe document this is."""
    pulumi_version: str = ""
    """`pulumi version`, empty when it could not be asked."""
    plugins: list[str] = field(default_factory=list)
    """The resource plugins `pulumi plugin ls` lists, as "name version"."""


def age(observed: datetime, now: datetime) -> str:
    """How long before `now` the observation was, in the largest unit that fits."""
    seconds = int((now - observed).total_seconds())
    if seconds < 0:
        return "in the future: the clocks disagree"
    for unit, size in (("day", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            amount = seconds // size
            return f"{amount} {unit}{'s' if unit == 'day' and amount > 1 else ''} ago"
    return f"{seconds} s ago"


def _fact(term: str, value: str) -> str:
    return f"<dt>{escape(term)}</dt><dd>{value}</dd>"


def _versions(doc: ProbeDocument, run: RunRecord) -> str:
    parts = [
        f"Kubernetes {escape(doc.cluster.kubernetes_version or 'not recorded')}",
        f"Pulumi {escape(run.pulumi_version or 'not known')}",
    ]
    if run.plugins:
        parts.append("plugins " + escape(", ".join(run.plugins)))
    return " · ".join(parts)


def _header(doc: ProbeDocument, run: RunRecord, status: list[str], now: datetime) -> str:
    e = doc.expectations
    observed = doc.observed_at
    when = f"{escape(observed)} ({age(parse_time(observed), now)})" if observed else "not recorded"
    cluster = doc.cluster
    where = escape(cluster.context or "current context")
    if cluster.server:
        where += f" · <span class='mono'>{escape(cluster.server)}</span>"
    parts = [
        '<section id="overview">',
        f'<h1><span class="sts">StatefulSet {escape(e.statefulset)}</span> vs '
        f'<span class="dep">Deployment {escape(e.deployment)}</span></h1>',
        f'<p class="lead">namespace {escape(e.namespace)} · stack {escape(run.stack)}</p>',
        '<dl class="facts">',
        _fact("Observed", when),
        *([_fact("Since then", "<br>".join(escape(line) for line in status))] if status else []),
        _fact("Stack", escape(run.stack)),
        _fact("Cluster", where),
        _fact("Versions", _versions(doc, run)),
        "</dl>",
    ]
    if doc.unobserved:
        parts.append(
            '<div class="unobserved"><b>Not observed:</b> the probes could not list the cluster\'s objects: '
            f"{escape(doc.unobserved)}<br>No verdicts: nothing this run saw can be judged. "
            "Check the cluster, then <code>make report</code> again.</div>"
        )
    else:
        parts.append(_at_a_glance(doc))
        parts.append(
            '<nav><a href="#comparison">Side by side</a><a href="#checks">Checks</a>'
            '<a href="#timeline">Timeline</a><a href="#topology">Nodes, pods and volumes</a>'
            '<a href="#pods">Pods</a></nav>'
        )
    parts.append("</section>")
    return "\n".join(parts)


def _at_a_glance(doc: ProbeDocument) -> str:
    tallies = "".join(
        f'<span class="mark {verdict_class(verdict) if n else "none"}">{n} {escape(verdict)}</span>'
        for verdict, n in counts(doc.checks).items()
    )
    parts = [f'<div class="tallies">{tallies}</div>']
    stopping = [(i, c) for i, c in enumerate(doc.checks) if c.verdict in GATE_FAILING]
    if stopping:
        parts.append('<h4>Did not pass</h4><ul class="stopping">')
        parts += [
            f"<li>{mark_html(c.verdict)} {workload_html(c.workload)}"
            f'<a href="#{check_anchor(i)}">{escape(c.name)}</a></li>'
            for i, c in stopping
        ]
        parts.append("</ul>")
    return "\n".join(parts)


def _comparison(doc: ProbeDocument) -> str:
    e = doc.expectations
    rows = "".join(
        f"<tr><td>{escape(label)}</td><td>{escape(sts)}</td><td>{escape(dep)}</td></tr>"
        for label, sts, dep in summary_rows(doc)
    )
    return (
        '<section id="comparison"><h2>Side by side</h2>'
        '<p class="lead">Every cell is what the probes observed in the cluster, not what the stack asked for.</p>'
        '<table class="comparison"><thead><tr><th></th>'
        f'<th class="sts">StatefulSet {escape(e.statefulset)}</th>'
        f'<th class="dep">Deployment {escape(e.deployment)}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


PAGE_POD_COLUMNS = ("POD", "ORD", "NODE", "IP", "READY", "STATE", "HOSTNAME", "REVISION", "CLAIM", "VOLUME DIRECTORY")
"""The text report's pod columns but the image, which the side-by-side table shows."""
WRAPPING = {
    "STATE": "wraps state",
    "HOSTNAME": "wraps",
    "REVISION": "wraps",
    "CLAIM": "wraps",
    "VOLUME DIRECTORY": "wraps dir",
}
"""The columns whose text may run over several lines; the others are short and stay on one."""


def _pods_table(doc: ProbeDocument) -> str:
    head, *rows = pod_rows(doc)
    shown = [head.index(column) for column in PAGE_POD_COLUMNS]
    header = "".join(f"<th>{escape(head[i])}</th>" for i in shown)

    def cell(row: list[str], i: int) -> str:
        css = WRAPPING.get(head[i])
        return f"<td class='{css}'>{escape(row[i])}</td>" if css else f"<td>{escape(row[i])}</td>"

    body = "".join(f"<tr>{''.join(cell(r, i) for i in shown)}</tr>" for r in rows)
    return f'<table class="pods"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'


def render_page(
    doc: ProbeDocument, run: RunRecord, status: list[str] | None = None, now: datetime | None = None
) -> str:
    """The page of a probe document; `status` lines (how fresh the observation
    is) go under the title, `now` is when the page is made (for the age)."""
    e = doc.expectations
    title = f"StatefulSet {e.statefulset} vs Deployment {e.deployment}: stack {run.stack}"
    sections = [_header(doc, run, status or [], now or datetime.now(UTC))]
    if not doc.unobserved:
        sections += [
            _comparison(doc),
            f'<section id="checks"><h2>Checks by topic</h2>{render_checks(doc)}</section>',
            '<section id="timeline" class="wide"><h2>Timeline</h2>'
            '<p class="lead">Each row is one life of a pod; a StatefulSet re-uses names, so a name can have '
            f'several.</p><div class="picture">{render_svg(doc)}</div></section>',
            '<section id="topology" class="wide"><h2>Nodes, pods and volumes</h2>'
            '<p class="lead">Which node each pod runs on and which volume (claim and host directory) it mounts: '
            "the Deployment's pods share one volume and sit on its node; each StatefulSet pod has its own.</p>"
            f'<div class="picture">{render_topology(doc)}</div></section>',
            '<section id="pods" class="wide"><h2>Pods</h2><p class="lead">Every pod the probes saw: the workloads\' '
            f"own, those on their way out, and strangers that only carry a workload's label.</p>{_pods_table(doc)}"
            "</section>",
        ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<style>{CSS}</style></head><body>",
            *sections,
            "<footer>Written by <code>make report</code> from the stack's probe document.</footer>",
            "</body></html>",
            "",
        ]
    )

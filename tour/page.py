"""The tour as one self-contained page (`out/tour.html`), made of the
report page's parts (report.page_checks, report.timeline, the page's style).

- the header: how many steps of how many experiments, the total time, every
  verdict counted, and a table of every step's verdicts at a glance;
- the contents, by the tutorial's sections;
- each section with its steps, each step with the command a learner types
  (and the kubectl that does the same, where there is one), its config
  change, how its `up` ended, its checks by topic with evidence and hints,
  and its pods' timeline.

Like the report page it has no script and fetches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from labstack.experiments import Step, sections, stack_file_config
from labstack.step_runner import StepResult
from probes.facts import GATE_FAILING, VERDICTS, Verdict, counts
from report.page_checks import render_checks, verdict_class
from report.page_style import CSS
from report.timeline import render_svg
from tour.kubectl import kubectl_equivalent
from tour.progress import clock

DOCS = "../docs/experiments.md"
"""Where the page links each section to: the checkout's docs, from out/tour.html."""
TOUR_CSS = """
table.glance td, table.glance th { padding: 3px 8px; white-space: nowrap; }
table.glance td.count { text-align: right; }
table.glance td.count.zero { color: #cbd5e0; }
table.glance a { color: var(--ink); }
ol.contents li { margin: 2px 0; }
ol.contents ol { margin: 2px 0 6px; }
.step { border-top: 1px solid var(--rule); padding: 12px 0 4px; }
.step h3 { margin-top: 4px; }
.step .says { color: var(--muted); margin: 0 0 6px; }
.step pre.command { background: #2d3748; }
.step .config { margin: 4px 0; font-size: 13px; }
.step .problem { border: 2px solid #e53e3e; background: #fff5f5; border-radius: 6px; padding: 6px 10px; }
.step .expected-failure { background: #fefcbf; border-radius: 6px; padding: 6px 10px; font-size: 13px; }
.step details { margin: 8px 0; }
.step summary { cursor: pointer; font-weight: bold; color: var(--muted); }
"""


@dataclass(frozen=True)
class TourRun:
    """What one tour did."""

    steps: tuple[Step, ...]
    """Every step of the tour, in the tutorial's order."""
    results: dict[str, StepResult]
    """By step name; a step without one did not run (the tour stopped first)."""
    seconds: float
    """Wall time of the run."""
    started_at: str
    namespace_prefix: str = "tour-"
    notes: list[str] = field(default_factory=list)
    """What the reader should know about the run as a whole (stopped early, a stack left behind)."""


def step_anchor(step: Step) -> str:
    return f"step-{step.name}"


def section_anchor(title: str) -> str:
    """GitHub's anchor of a heading, which docs/experiments.md's links use too."""
    return re.sub(r"[^a-z0-9 -]", "", title.lower()).replace(" ", "-")


def _tally(found: dict[Verdict, int]) -> str:
    return "".join(
        f'<span class="mark {verdict_class(verdict) if n else "none"}">{n} {escape(verdict)}</span>'
        for verdict, n in found.items()
    )


def verdicts_of_step(result: StepResult | None) -> dict[Verdict, int]:
    return counts(result.document.checks) if result and result.document else dict.fromkeys(VERDICTS, 0)


def _glance_row(number: int, step: Step, result: StepResult | None) -> str:
    found = verdicts_of_step(result)
    cells = "".join(
        f'<td class="count {verdict_class(v)}{" zero" if not n else ""}">{n}</td>' for v, n in found.items()
    )
    if result is None:
        state = "not run"
    elif result.problem:
        state = "<b>did not run as meant</b>"
    else:
        state = clock(result.seconds)
    return (
        f'<tr><td>{number}</td><td><a href="#{step_anchor(step)}">{escape(step.name)}</a></td>'
        f"<td>{escape(step.stack)}</td>{cells}<td>{state}</td></tr>"
    )


def _header(run: TourRun) -> str:
    ran = [run.results[s.name] for s in run.steps if s.name in run.results]
    total: dict[Verdict, int] = dict.fromkeys(VERDICTS, 0)
    for result in ran:
        for verdict, n in verdicts_of_step(result).items():
            total[verdict] += n
    stacks = len({s.stack for s in run.steps})
    head = "".join(f"<th>{escape(v)}</th>" for v in VERDICTS)
    rows = "".join(_glance_row(i, s, run.results.get(s.name)) for i, s in enumerate(run.steps, 1))
    notes = "".join(f'<div class="unobserved">{escape(note)}</div>' for note in run.notes)
    return (
        '<section id="overview"><h1>The StatefulSet lab, start to finish</h1>'
        f'<p class="lead">{len(ran)} of {len(run.steps)} steps of {stacks} experiments, '
        f"each on a stack and namespace of its own ({escape(run.namespace_prefix)}&lt;stack&gt;), "
        f"started {escape(run.started_at)}. The whole tour took <b>{clock(run.seconds)}</b>; "
        f"its steps, side by side, took {clock(sum(r.seconds for r in ran))} between them.</p>"
        f'{notes}<div class="tallies">{_tally(total)}</div>'
        f'<h4>Every step at a glance</h4><table class="glance"><thead><tr><th>#</th><th>step</th><th>stack</th>'
        f"{head}<th>time</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _contents(run: TourRun) -> str:
    items = []
    for title, steps in sections(run.steps):
        inner = "".join(f'<li><a href="#{step_anchor(s)}">{escape(s.name)}</a>: {escape(s.says)}</li>' for s in steps)
        items.append(f'<li><a href="#{section_anchor(title)}">{escape(title)}</a><ol>{inner}</ol></li>')
    return f'<section id="contents"><h2>Contents</h2><ol class="contents">{"".join(items)}</ol></section>'


def _config_change(step: Step, namespace: str) -> str:
    if step.config:
        change = " ".join(f"{key}={value}" for key, value in step.config)
        return f'<div class="config"><b>config change</b> <code>{escape(change)}</code></div>'
    start = stack_file_config(step.stack) | {"namespace": namespace}
    listed = " ".join(f"{key}={value}" for key, value in start.items())
    return (
        f'<div class="config"><b>starts from</b> <code>stacks/Pulumi.{escape(step.stack)}.yaml</code>: '
        f"<code>{escape(listed)}</code></div>"
    )


def _outcome(result: StepResult) -> str:
    parts = []
    if result.problem:
        parts.append(f'<div class="problem"><b>Did not run as the tutorial says:</b> {escape(result.problem)}</div>')
    if result.up_failure:
        parts.append(
            '<div class="expected-failure"><b>up failed, as this step means it to:</b> '
            f"{escape(result.up_failure)}</div>"
        )
    return "".join(parts)


def _step(number: int, step: Step, result: StepResult | None, prefix: str) -> str:
    namespace = prefix + step.stack
    kubectl = kubectl_equivalent(step)
    parts = [
        f'<div class="step" id="{step_anchor(step)}">',
        f'<h3>{number}. {escape(step.name)}<span class="tally">{escape(step.stack)}</span></h3>',
        f'<p class="says">{escape(step.says)}</p>',
        f'<pre class="command">{escape(chr(10).join(step.commands))}</pre>',
    ]
    if kubectl:
        lines = [f"# by hand, in namespace {namespace}:", *kubectl]
        parts.append(f'<pre class="command kubectl">{escape(chr(10).join(lines))}</pre>')
    parts.append(_config_change(step, namespace))
    if result is None:
        parts.append("<p>Not run: the tour stopped before this step.</p></div>")
        return "\n".join(parts)
    parts.append(_outcome(result))
    document = result.document
    if document is None:
        parts.append("</div>")
        return "\n".join(parts)
    found = verdicts_of_step(result)
    opened = " open" if any(found[v] for v in GATE_FAILING) or result.problem else ""
    summary = ", ".join(f"{n} {v}" for v, n in found.items() if n) or "no checks"
    parts += [
        f'<div class="tallies">{_tally(found)}<span class="mark none">{clock(result.seconds)}</span></div>',
        f'<details class="checks"{opened}><summary>Checks: {escape(summary)}</summary>'
        f"{render_checks(document, prefix=step.name + '-')}</details>",
        f'<div class="picture">{render_svg(document)}</div>' if document.observed else "",
        "</div>",
    ]
    return "\n".join(parts)


def render_tour_page(run: TourRun) -> str:
    numbers = {s.name: i for i, s in enumerate(run.steps, 1)}
    body = [_header(run), _contents(run)]
    for title, steps in sections(run.steps):
        body.append(
            f'<section id="{section_anchor(title)}" class="wide"><h2>{escape(title)}</h2>'
            f'<p class="lead">Walked through in <a href="{DOCS}#{section_anchor(title)}">docs/experiments.md</a>.</p>'
        )
        body += [_step(numbers[s.name], s, run.results.get(s.name), run.namespace_prefix) for s in steps]
        body.append("</section>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<title>The StatefulSet lab, start to finish: make tour</title>",
            f"<style>{CSS}{TOUR_CSS}</style></head><body>",
            *body,
            "<footer>Written by <code>make tour</code> from each step's probe document.</footer>",
            "</body></html>",
            "",
        ]
    )

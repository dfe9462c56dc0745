"""The side-by-side StatefulSet/Deployment report as text, rendered from the
probe document the stack's state keeps, so it can be printed again without
touching the cluster."""

from __future__ import annotations

from probes.document import ProbeDocument
from probes.facts import FAILED, INCONCLUSIVE, counts
from report.marks import MARKS
from report.summary import node_line, pod_rows, summary_rows

# How the DNS wait ended, as the text report says it (documents written before
# the ending was recorded say nothing about it).
DNS_ENDINGS = {
    "settled": "until the answers settled",
    "window": "(the settle window ran out: the last answers stand)",
    "silent": "(cluster DNS never answered the control name: the wait stopped)",
    "steady": "(the answers stopped changing, and every Ready pod's records were due: they stand)",
    "": "",
}


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _header(doc: ProbeDocument) -> str:
    e = doc.expectations
    return (
        f"StatefulSet {e.statefulset} vs Deployment {e.deployment} "
        f"(namespace {e.namespace}, observed {doc.observed_at})"
    )


def render_text(doc: ProbeDocument, status: list[str] | None = None) -> str:
    """The report; `status` lines (how old the observation is, what changed
    since) go right under the title."""
    lines = [_header(doc), *(status or [])]
    if doc.unobserved:
        lines += ["", f"NOT OBSERVED: the probes could not list the cluster's objects: {doc.unobserved}"]
        lines += ["No verdicts: nothing this run saw can be judged. Check the cluster, then `make report` again."]
        return "\n".join(lines) + "\n"
    e = doc.expectations
    lines.append("")
    lines += _table(
        [["", f"StatefulSet {e.statefulset}", f"Deployment {e.deployment}"]] + [list(r) for r in summary_rows(doc)]
    )
    lines += ["", "Nodes: " + ("; ".join(node_line(n) for n in doc.nodes) or "none")]
    lines += ["", *_table(pod_rows(doc))]
    checks = doc.checks
    tally = counts(checks)
    lines += ["", "Checks: " + ", ".join(f"{n} {verdict}" for verdict, n in tally.items())]
    for c in checks:
        lines.append(f"  {MARKS[c.verdict]}  [{c.workload}] {c.name}")
        if c.verdict in (FAILED, INCONCLUSIVE):
            lines.append(f"        expected: {c.expected}")
        lines.append(f"        observed: {c.observed}")
    lines += ["", "Probe steps: " + ", ".join(f"{k} {v:.1f}s" for k, v in doc.durations.items())]
    if doc.dns_attempts:
        waited = doc.durations.get("dns_lookups", 0.0)
        ending = DNS_ENDINGS[doc.dns_ended]
        lines.append(f"DNS lookups: {doc.dns_attempts} round(s) over {waited:.1f} s {ending}".rstrip())
    if doc.dns_error:
        lines.append(f"DNS: {doc.dns_error}")
    return "\n".join(lines) + "\n"

"""Where a side-by-side run's wall time went: for each worker, how long it
was busy with tests and when it ran out of them, and when the node
experiments (which need the cluster to themselves) began and ended. The
slowest tests and operations say what is long; this says what was waited for."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.shared_run import SharedRun


def summarize_timeline(
    run: SharedRun, terminalreporter: pytest.TerminalReporter, serial_prefix: str, unit_prefix: str
) -> None:
    rows = run.timeline()
    if all(str(row["test"]).startswith(unit_prefix) for row in rows):
        return  # nothing ran side by side with a cluster
    terminalreporter.write_sep("=", "side-by-side timeline (seconds from the first test's start)")
    for line in timeline_lines(rows, serial_prefix, unit_prefix):
        terminalreporter.write_line(line)


def timeline_lines(rows: list[dict[str, object]], serial_prefix: str, unit_prefix: str) -> list[str]:
    """The summary's lines, times in seconds from the first test's start."""
    began = min(float(r["start"]) for r in rows)  # type: ignore[arg-type]
    per_worker: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for row in rows:
        start, end = float(row["start"]) - began, float(row["end"]) - began  # type: ignore[arg-type]
        per_worker[str(row["worker"])].append((start, end, str(row["test"])))
    lines = []
    for worker, spans in sorted(per_worker.items()):
        busy = sum(end - start for start, end, _ in spans)
        cluster = [end for _, end, test in spans if not test.startswith(unit_prefix)]
        last_cluster = f", its last cluster test ended at {max(cluster):.0f}" if cluster else ""
        lines.append(
            f"{worker}: {len(spans)} tests, busy {busy:.0f} s, done at {max(e for _, e, _ in spans):.0f}{last_cluster}"
        )
    spans = [span for worker_spans in per_worker.values() for span in worker_spans]
    serial = [end for _, end, test in spans if test.startswith(serial_prefix)]
    others = [end for _, end, test in spans if not test.startswith((serial_prefix, unit_prefix))]
    if serial and others:
        # The node experiments' first test includes its wait for every other cluster test.
        lines.append(
            f"node experiments: after the other cluster tests ended at {max(others):.0f}, until {max(serial):.0f}"
        )
    return lines

"""BENCHMARKS.md from one benchmark run's results."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.stats import Series, ratio

NOOP_UP_SECONDS = 2.0
"""The no-op `up` the benchmark holds Pulumi to on this machine."""


@dataclass(frozen=True)
class Target:
    measurement: str
    value: float
    unit: str
    limit: str
    met: bool

    def row(self) -> str:
        shown = f"{self.value:.2f}x" if self.unit == "x" else f"{self.value:.1f} s"
        return _row([self.measurement, shown, self.limit, "met" if self.met else "**missed**"])


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _series_table(series: list[Series]) -> list[str]:
    lines = [_row(["measurement", "median (s)", "spread (s)", "samples"]), _row(["---", "---:", "---:", "---:"])]
    for s in series:
        lines.append(_row([s.name, f"{s.median:.1f}", s.spread, str(len(s.samples))]))
    return lines


def probe_series(probes: dict[str, list[dict[str, Any]]]) -> dict[str, Series]:
    return {r: Series(f"probes {r}", [run["total"] for run in samples]) for r, samples in probes.items()}


def targets(
    series: dict[str, Series], scaling: dict[str, dict[str, Series]], probes: dict[str, list[dict[str, Any]]]
) -> list[Target]:
    up, kubectl = series["pulumi up"], series["kubectl apply + rollout status"]
    noop, noop_kubectl = series["no-op pulumi up"], series["no-op kubectl apply"]
    found = [
        Target(
            "pulumi up / (kubectl apply + rollout status)",
            ratio(up, kubectl),
            "x",
            "<= 1.15x",
            ratio(up, kubectl) <= 1.15,
        ),
        Target(
            "no-op pulumi up (probes on)", noop.median, "s", f"<= {NOOP_UP_SECONDS:g} s", noop.median <= NOOP_UP_SECONDS
        ),
        Target(
            "no-op pulumi up / no-op kubectl apply",
            ratio(noop, noop_kubectl),
            "x",
            "<= 1.5x",
            ratio(noop, noop_kubectl) <= 1.5,
        ),
    ]
    by_replicas = probe_series(probes)
    base = by_replicas.get("2")
    for replicas, limit in (("30", 2.0), ("100", 4.0)):
        if base is not None and replicas in by_replicas:
            value = ratio(by_replicas[replicas], base)
            found.append(
                Target(f"probes at {replicas} / at 2 replicas", value, "x", f"<= {limit:.1f}x", value <= limit)
            )
    overheads = {r: rows["total"].median - rows["floor"].median for r, rows in scaling.items()}
    if len(overheads) >= 2:
        first, last = next(iter(overheads)), list(overheads)[-1]
        growth = overheads[last] - overheads[first]
        found.append(
            Target(
                f"pulumi overhead over the floor, {last} vs {first} replicas",
                growth,
                "s",
                "does not grow (within 1 s)",
                growth <= 1.0,
            )
        )
    return found


def write_markdown(
    path: Path,
    results: dict[str, Any],
    series: dict[str, Series],
    scaling: dict[str, dict[str, Series]],
    probes: dict[str, list[dict[str, Any]]],
) -> None:
    v = results["versions"]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; "
        f"{results['runs']} alternating runs per measurement. Machine: {v['machine']}. "
        f"Pulumi {v['pulumi']}, kubectl {v['kubectl']}, cluster {v['kubernetes server']}, Python {v['python']}.",
        "Every sample is in `bench/results.json`. These machines are noisy: read the ratios, not the seconds.",
        "Where the time goes, and why the gaps that remain stay: [docs/performance.md](docs/performance.md).",
        "",
        "## Targets",
        "",
        _row(["measurement", "this run", "target", ""]),
        _row(["---", "---:", "---", "---"]),
        *(t.row() for t in targets(series, scaling, probes)),
        "",
        "## Deploy: the seed's workloads into a fresh namespace",
        "",
        "Both sides create the same objects (namespace, two headless Services, the StatefulSet, the Deployment and",
        "its claim), rendered by the program itself for kubectl, and wait for the same thing: kubectl with",
        "`kubectl rollout status` of both workloads, Pulumi with its rollout gates (every replica Ready on the new",
        "revision, nothing of an older one left). Probes off; local-path-provisioner already installed.",
        "",
        *_series_table([series["pulumi up"], series["kubectl apply + rollout status"]]),
        "",
        "Where Pulumi's time goes (medians; the two workloads' spans overlap):",
        "",
        *_series_table(
            [
                series["pulumi startup"],
                series["pulumi StatefulSet create"],
                series["pulumi StatefulSet gate"],
                series["pulumi Deployment create"],
                series["pulumi Deployment gate"],
            ]
        ),
        "",
        "`startup` is CLI start, language host, program and plugin start until the first resource operation;",
        "`create` is the provider creating the object; `gate` is the rollout gate waiting for the rollout.",
        "Every `pulumi` run is the CLI itself (`pulumi up --yes --skip-preview`), timed from start to exit.",
        "",
        "## Floor: what the StatefulSet controller itself needs",
        "",
        "First StatefulSet pod created to last pod Ready (OrderedReady, 2 replicas): no tool can be faster.",
        "",
        *_series_table([series["controller floor (pulumi runs)"], series["controller floor (kubectl runs)"]]),
        "",
        "## Pulumi's overhead by replica count",
        "",
        "`pulumi up` into a fresh namespace (probes off) at N StatefulSet replicas, against the controller floor",
        "of that same run; the overhead is what Pulumi adds on top.",
        "",
        _row(["replicas", "pulumi up median (s)", "floor median (s)", "overhead (s)", "samples"]),
        _row(["---:", "---:", "---:", "---:", "---:"]),
    ]
    for replicas, rows in scaling.items():
        up, floor = rows["total"], rows["floor"]
        lines.append(
            _row(
                [
                    replicas,
                    f"{up.median:.1f}",
                    f"{floor.median:.1f}",
                    f"{up.median - floor.median:.1f}",
                    str(len(up.samples)),
                ]
            )
        )
    lines += [
        "",
        "## No-op: a second run with nothing changed",
        "",
        "The Pulumi stack has its probes on (they ran once before and do not run again); kubectl applies the",
        "same files once more.",
        "",
        *_series_table([series["no-op pulumi preview"], series["no-op pulumi up"], series["no-op kubectl apply"]]),
        "",
        "## Probes by replica count (each workload at N pods; the probe step only)",
        "",
        _row(["replicas", "median (s)", "spread (s)", "vs 2 replicas", "slowest step (median s)", "failed checks"]),
        _row(["---:", "---:", "---:", "---:", "---", "---"]),
    ]
    by_replicas = probe_series(probes)
    base = by_replicas.get("2")
    for replicas, samples in probes.items():
        s = by_replicas[replicas]
        steps: dict[str, list[float]] = {}
        for run in samples:
            for step, secs in run["steps"].items():
                steps.setdefault(step, []).append(secs)
        slowest = max(steps.items(), key=lambda kv: statistics.median(kv[1]))
        failed = sorted({c for run in samples for c in run["failed_checks"]})
        lines.append(
            _row(
                [
                    replicas,
                    f"{s.median:.1f}",
                    s.spread,
                    f"{ratio(s, base):.2f}x" if base else "-",
                    f"{slowest[0]} {statistics.median(slowest[1]):.1f}",
                    ", ".join(failed) or "none",
                ]
            )
        )
    lines += ["", "## Suite and cluster", "", *_series_table([series["unit suite"]]), ""]
    if "cluster_up_seconds" in results:
        lines.append(
            f"Lab cluster `up` from stopped (toolchain and images built): {results['cluster_up_seconds']:.1f} s."
        )
        lines.append("")
    path.write_text("\n".join(lines))

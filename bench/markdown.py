"""BENCHMARKS.md from one benchmark run's results."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.stats import Series, ratio

TARGETS = """Targets: `pulumi up` within 1.2x of kubectl apply + rollout status; probes at 30 replicas
within 3x of 2 replicas; no-op up under 15 s; unit suite under 10 s."""


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _series_table(series: list[Series]) -> list[str]:
    lines = [_row(["measurement", "median (s)", "spread (s)", "samples"]), _row(["---", "---:", "---:", "---:"])]
    for s in series:
        lines.append(_row([s.name, f"{s.median:.1f}", s.spread, str(len(s.samples))]))
    return lines


def write_markdown(
    path: Path, results: dict[str, Any], series: dict[str, Series], probes: dict[str, list[dict[str, Any]]]
) -> None:
    v = results["versions"]
    up, kubectl = series["pulumi up"], series["kubectl apply + rollout status"]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; "
        f"{results['runs']} alternating runs per measurement. Machine: {v['machine']}. "
        f"Pulumi {v['pulumi']}, kubectl {v['kubectl']}, cluster {v['kubernetes server']}, Python {v['python']}.",
        "Every sample is in `bench/results.json`. These machines are noisy: read the ratios, not the seconds.",
        "",
        TARGETS,
        "",
        "## Deploy: the seed's workloads into a fresh namespace",
        "",
        "Both sides create the same objects (two headless Services, the StatefulSet, the Deployment, its claim and",
        "the namespace), rendered by the program itself for kubectl. local-path-provisioner is already installed.",
        "",
        *_series_table([up, kubectl]),
        "",
        f"**Ratio pulumi up / kubectl: {ratio(up, kubectl):.2f}x** (target 1.2x).",
        "",
        "Where Pulumi's time goes (medians):",
        "",
        *_series_table(
            [series["pulumi startup"], series["pulumi StatefulSet await"], series["pulumi Deployment await"]]
        ),
        "",
        "`startup` is CLI start, language host, program and plugin start until the first resource operation; the",
        "awaits are the provider waiting for the StatefulSet and Deployment to be ready (they overlap).",
        "",
        "## Floor: what the StatefulSet controller itself needs",
        "",
        "First StatefulSet pod created to last pod Ready (OrderedReady, 2 replicas): no tool can be faster.",
        "",
        *_series_table([series["controller floor (pulumi runs)"], series["controller floor (kubectl runs)"]]),
        "",
        "## No-op: a second run with nothing changed",
        "",
        *_series_table([series["no-op pulumi preview"], series["no-op pulumi up"]]),
        "",
        "## Probes by replica count (each workload at N pods)",
        "",
        _row(["replicas", "median (s)", "spread (s)", "vs 2 replicas", "slowest step (median s)", "failed checks"]),
        _row(["---:", "---:", "---:", "---:", "---", "---"]),
    ]
    base = None
    for replicas, samples in probes.items():
        s = Series(f"probes {replicas}", [r["total"] for r in samples])
        base = base or s
        steps: dict[str, list[float]] = {}
        for r in samples:
            for step, secs in r["steps"].items():
                steps.setdefault(step, []).append(secs)
        slowest = max(steps.items(), key=lambda kv: statistics.median(kv[1]))
        failed = sorted({c for r in samples for c in r["failed_checks"]})
        lines.append(
            _row(
                [
                    replicas,
                    f"{s.median:.1f}",
                    s.spread,
                    f"{ratio(s, base):.2f}x",
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

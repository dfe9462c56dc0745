"""make bench: runs every benchmark on the current cluster and writes
BENCHMARKS.md (tables) and bench/results.json (every sample).

    python -m bench [--runs N] [--probe-replicas 2,10,30,100] [--scale-replicas 2,10,30]
                    [--skip-cluster-restart]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from bench import runs
from bench.markdown import write_markdown
from bench.stats import Series
from labstack.automation import copy_project, lab_stack
from labstack.pulumi_home import run_env

ROOT = Path(__file__).resolve().parents[1]


def versions() -> dict[str, str]:
    def out(*argv: str) -> str:
        return subprocess.run(argv, capture_output=True, text=True, check=False).stdout.strip()

    server = json.loads(out("kubectl", "version", "--output", "json") or "{}").get("serverVersion", {})
    return {
        "pulumi": out("pulumi", "version"),
        "kubectl": json.loads(out("kubectl", "version", "--client", "--output", "json"))["clientVersion"]["gitVersion"],
        "kubernetes server": server.get("gitVersion", "unreachable"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB",
    }


# Each measurement's key in a run's result, and its series' name.
PULUMI_KEYS = {
    "total": "pulumi up",
    "startup": "pulumi startup",
    "statefulset_create": "pulumi StatefulSet create",
    "statefulset_gate": "pulumi StatefulSet gate",
    "deployment_create": "pulumi Deployment create",
    "deployment_gate": "pulumi Deployment gate",
    "floor": "controller floor (pulumi runs)",
    "noop_preview": "no-op pulumi preview",
    "noop_up": "no-op pulumi up",
}
KUBECTL_KEYS = {
    "total": "kubectl apply + rollout status",
    "floor": "controller floor (kubectl runs)",
    "noop_apply": "no-op kubectl apply",
}
SERIES = (*PULUMI_KEYS.values(), *KUBECTL_KEYS.values(), "unit suite")


def measure(
    args: argparse.Namespace,
    workspace: Path,
    env: dict[str, str],
    manifests: Path,
    series: dict[str, Series],
    scaling: dict[str, dict[str, Series]],
    probes: dict[str, list[dict[str, Any]]],
) -> None:
    for i in range(args.runs):
        print(f"bench: deploy run {i + 1}/{args.runs}", flush=True)
        runs.delete_namespace("bench-kubectl")
        k = runs.kubectl_deploy(manifests, "bench-kubectl")
        for key, name in KUBECTL_KEYS.items():
            series[name].add(k[key])
        runs.delete_namespace("bench-kubectl")
        p = runs.pulumi_deploy(workspace, env, "bench-pulumi", with_noop=True)
        for key, name in PULUMI_KEYS.items():
            series[name].add(p[key])
    runs.delete_namespace("bench-kubectl")
    for replicas in (int(r) for r in args.scale_replicas.split(",")):
        rows = scaling.setdefault(str(replicas), {"total": Series("up"), "floor": Series("floor")})
        for i in range(args.runs):
            print(f"bench: pulumi up at {replicas} replicas, run {i + 1}/{args.runs}", flush=True)
            p = runs.pulumi_deploy(workspace, env, f"bench-scale-{replicas}", replicas=replicas)
            rows["total"].add(p["total"])
            rows["floor"].add(p["floor"])
    for replicas in (int(r) for r in args.probe_replicas.split(",")):
        print(f"bench: probes at {replicas} replicas", flush=True)
        probes[str(replicas)] = runs.probe_runs(workspace, env, replicas, args.runs)
    for i in range(args.runs):
        print(f"bench: unit suite {i + 1}/{args.runs}", flush=True)
        series["unit suite"].add(runs.unit_suite_seconds())


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each measurement")
    parser.add_argument("--probe-replicas", default="2,10,30,100")
    parser.add_argument("--scale-replicas", default="2,10,30", help="replicas of the pulumi up vs floor rows")
    parser.add_argument("--skip-cluster-restart", action="store_true", help="do not time labcluster down/up")
    args = parser.parse_args()
    results: dict[str, Any] = {"versions": versions(), "runs": args.runs}
    series = {name: Series(name) for name in SERIES}
    scaling: dict[str, dict[str, Series]] = {}
    probes: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="statefulset-lab-bench-") as tmp:
        work = Path(tmp)
        env = run_env(work, "statefulset-lab-bench")
        workspace = copy_project(work / "project")
        manifests = runs.render_manifests(workspace, env, "bench-kubectl", work / "rendered")
        # local-path is installed once for every measurement (or the cluster's is used).
        with lab_stack(
            workspace,
            "bench-storage",
            env,
            namespace="bench-storage",
            probes="false",
            replicas="0",
            deploymentReplicas="0",
        ) as storage:
            storage.up("storage")
            measure(args, workspace, env, manifests, series, scaling, probes)
    if not args.skip_cluster_restart and os.environ.get("STATEFULSET_LAB_CLUSTER") == "1":
        print("bench: lab cluster down/up", flush=True)
        results["cluster_up_seconds"] = runs.cluster_restart_seconds()
    results["series"] = [s.as_dict() for s in series.values()]
    results["scaling"] = {r: {k: s.as_dict() for k, s in rows.items()} for r, rows in scaling.items()}
    results["probes"] = probes
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    write_markdown(ROOT / "BENCHMARKS.md", results, series, scaling, probes)
    print(f"bench: wrote {ROOT / 'BENCHMARKS.md'} and bench/results.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

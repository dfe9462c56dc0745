"""`make tour`: every step of docs/experiments.md on the cluster, one page.

    python -m tour [--only STACK ...] [--exclude STACK ...] [--from STEP] [--jobs N] [--out DIR]

Runs the tutorial's experiments (labstack.experiments) on stacks and
namespaces of their own (tour.runner), printing one line per step, then
writes `<out>/tour.html` (tour.page) and `<out>/tour-checks.xml`
(tour.junit). It exits non-zero when a step did not run as the tutorial
says or the tour stopped early; verdicts alone do not fail it (the page
shows them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from labstack.experiments import TUTORIAL
from tour.junit import render_tour_junit
from tour.page import TourRun, render_tour_page
from tour.plan import PlanError, TourPlan, plan_tour, select
from tour.progress import clock, step_count
from tour.runner import Tour, TourError, TourOptions, default_home


def _words(values: list[str]) -> list[str]:
    """`--only "a b" c` and `ONLY="a b"` alike: names split on spaces and commas."""
    return [name for value in values for name in value.replace(",", " ").split()]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tour", description="run every step of the tutorial, one page")
    parser.add_argument("--only", nargs="*", default=[], help="only these experiments (stack names)")
    parser.add_argument("--exclude", nargs="*", default=[], help="leave out these experiments (stack names)")
    parser.add_argument("--from", dest="start", default="", help="resume from this step (name or number)")
    parser.add_argument("--jobs", type=int, default=4, help="experiments side by side at most (default 4)")
    parser.add_argument("--prefix", default="tour-", help="of the tour's stack and namespace names")
    parser.add_argument("--out", default="out", help="directory of tour.html and tour-checks.xml")
    parser.add_argument("--home", default="", help="the tour's backend and results (default: the state dir)")
    parser.add_argument("--plan", action="store_true", help="print the plan and stop")
    return parser.parse_args(argv)


def preflight() -> str:
    """What keeps the tour from starting, with the fix; "" when nothing does."""
    for tool in ("pulumi", "kubectl"):
        if shutil.which(tool) is None:
            return f"{tool} is not on PATH: run `make toolchain` (or the tour through `make tour`)"
    context = os.environ.get("KUBE_CONTEXT", "")
    argv = ["kubectl", *(["--context", context] if context else []), "--request-timeout=10s", "get", "--raw", "/readyz"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        where = os.environ.get("KUBECONFIG", "~/.kube/config")
        return (
            f"cannot reach the cluster of KUBECONFIG={where} ({done.stderr.strip()[:300]}): "
            "run `make cluster-up` for the lab cluster, or point KUBECONFIG at a running cluster"
        )
    return ""


def describe(plan: TourPlan) -> list[str]:
    lines = [f"{len(plan.steps)} steps; {len(plan.to_run)} to run, {len(plan.reused)} from the last tour"]
    lines += [f"side by side: {e.stack} ({step_count(len(e.steps))})" for e in plan.side_by_side]
    lines += [f"alone, after them: {e.stack} ({step_count(len(e.steps))})" for e in plan.alone]
    return lines


def write(run: TourRun, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    page, junit = out / "tour.html", out / "tour-checks.xml"
    page.write_text(render_tour_page(run))
    ran = [(s, run.results[s.name]) for s in run.steps if s.name in run.results]
    junit.write_text(render_tour_junit(ran))
    return page, junit


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        plan = plan_tour(select(_words(args.only), _words(args.exclude), TUTORIAL), args.start)
    except PlanError as err:
        print(f"tour: {err}", file=sys.stderr)
        return 2
    if args.plan:
        print("\n".join(describe(plan)))
        return 0
    problem = preflight()
    if problem:
        print(f"tour: {problem}", file=sys.stderr)
        return 1
    options = TourOptions(
        home=Path(args.home) if args.home else default_home(),
        prefix=args.prefix,
        jobs=args.jobs,
        context=os.environ.get("KUBE_CONTEXT", ""),
    )
    try:
        tour = Tour(plan, options, say=lambda line: print(line, flush=True))
    except TourError as err:
        print(f"tour: {err}", file=sys.stderr)
        return 1
    run = tour.run()
    page, junit = write(run, Path(args.out))
    ran = [run.results[s.name] for s in plan.to_run if s.name in run.results]
    problems = [r for r in ran if r.problem]
    print(f"\ntour: {len(ran)} of {len(plan.to_run)} steps in {clock(run.seconds)}; page: {page}; JUnit: {junit}")
    for result in problems:
        print(f"tour: {result.step} did not run as the tutorial says: {result.problem}", file=sys.stderr)
    return 0 if len(ran) == len(plan.to_run) and not problems and not run.notes else 1


if __name__ == "__main__":
    sys.exit(main())

"""The share of mutants the unit tests kill, per module, from `mutmut results`.

`make mutation` runs mutmut (configured in pyproject.toml) and then this:

    .venv/bin/python -m tests.mutation_summary --min 90

A mutant counts as killed when a test failed on it, it ran past its time limit
(a mutated loop that never ends is caught too) or the type checker refused it.
The share is of the mutants run; those not run yet (a run stopped early, or
one limited to some mutants by name) are counted apart. Survivors are listed
by name (`mutmut show <name>` prints the change); the exit status is 1 when
the overall share is below `--min`, or when some mutant was never run.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

KILLED = {"killed", "timeout", "caught by type check"}
NOT_RUN = {"not checked", "check was interrupted by user"}

# mutmut names a mutant <module>.x_<function>__mutmut_<n>, or
# <module>.xǁ<Class>ǁ<method>__mutmut_<n> for a method.
MUTANT_NAME = re.compile(r"^(?P<module>[\w.]+?)\.x[_ǁ](?P<function>.+)__mutmut_\d+$")
RESULT_LINE = re.compile(r"^\s+(?P<name>\S+): (?P<status>.+)$")


@dataclass(frozen=True)
class Result:
    mutant: str
    module: str
    status: str


def parse_results(lines: Iterable[str]) -> list[Result]:
    """Each `    <mutant>: <status>` line of `mutmut results --all true`."""
    found = []
    for line in lines:
        match = RESULT_LINE.match(line)
        name = MUTANT_NAME.match(match["name"]) if match else None
        if match and name:
            found.append(Result(match["name"], name["module"], match["status"].strip()))
    return found


@dataclass(frozen=True)
class Share:
    killed: int
    total: int

    @property
    def percent(self) -> float:
        return 100 * self.killed / self.total if self.total else 100.0


def shares(results: list[Result]) -> dict[str, Share]:
    """Killed / run per module, and for all of them under "all"."""
    killed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for r in results:
        for key in (r.module, "all"):
            total[key] += r.status not in NOT_RUN
            killed[key] += r.status in KILLED
    return {key: Share(killed[key], total[key]) for key in total}


def not_run(results: list[Result]) -> Counter[str]:
    return Counter(key for r in results if r.status in NOT_RUN for key in (r.module, "all"))


def report(results: list[Result]) -> str:
    by_module = shares(results)
    waiting = not_run(results)
    width = max(len(m) for m in by_module)
    lines = [f"{'module':<{width}}  killed / run   share  not run"]
    for module in [*sorted(m for m in by_module if m != "all"), "all"]:
        s = by_module[module]
        lines.append(f"{module:<{width}}  {s.killed:>6} / {s.total:<5} {s.percent:5.1f}%  {waiting[module]:>7}")
    left: defaultdict[str, list[str]] = defaultdict(list)
    for r in results:
        if r.status not in KILLED and r.status not in NOT_RUN:
            left[r.status].append(r.mutant)
    for status, names in sorted(left.items()):
        lines.append(f"\n{status} ({len(names)}):")
        lines += [f"  {n}" for n in names]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=0.0, help="the least overall share killed, in percent")
    parser.add_argument("--mutmut", default=str(Path(sys.executable).with_name("mutmut")), help="the mutmut command")
    args = parser.parse_args(argv)
    listing = subprocess.run([args.mutmut, "results", "--all", "true"], capture_output=True, text=True, check=True)
    results = parse_results(listing.stdout.splitlines())
    if not results:
        print("no mutation results: run `make mutation` (mutmut run) first", file=sys.stderr)
        return 1
    print(report(results))
    overall = shares(results)["all"]
    never_run = [r.mutant for r in results if r.status in NOT_RUN]
    if never_run:
        print(f"\n{len(never_run)} mutants were not run to the end: run `make mutation` again", file=sys.stderr)
        return 1
    if overall.percent < args.min:
        print(f"\n{overall.percent:.1f}% killed, below the minimum of {args.min:g}%", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line of the probes.

    python -m probes observe --expect JSON [--context C] [--timeout N]
                             [--fail-on-failed-check] [--lesson-record-on-stdin]

`observe` is what the program's probe resource runs during `pulumi up`; the
report of its document is rendered on the host (`python -m report`).
The kubeconfig comes from the environment (KUBECONFIG), as for every command
`pulumi up` launches.

With --fail-on-failed-check, `observe` exits 3 when any check is failed or
inconclusive (a gate that cannot prove something must not let it through);
"not applicable" never fails it.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from types import FrameType

from kube import api_reads
from kube.target import KubectlTarget
from probes.calls import ProbeError
from probes.document import ProbeDocument
from probes.facts import Expectations, gate_failures
from probes.lesson_record import LessonRecord
from probes.observe import observe


def _observe(args: argparse.Namespace) -> int:
    expectations = Expectations(**json.loads(args.expect))
    target = KubectlTarget(
        namespace=expectations.namespace, context=args.context, request_timeout_seconds=min(args.timeout, 60)
    )
    # A terminated probe unwinds like an exception, so the DNS pod is deleted
    # on the way out and the running kubectl's process group is killed.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    lesson = LessonRecord.from_json(sys.stdin.read()) if args.lesson_record_on_stdin else None
    try:
        doc = observe(target, expectations, args.timeout, lesson)
    except ProbeError as err:
        print(f"probes: could not observe the cluster: {err}", file=sys.stderr)
        return 2
    code, complaints = check_gate(doc, fail_on_failed_check=args.fail_on_failed_check)
    if code == 0:
        print(doc.to_json())
    # A failing run's error shows its whole output: the complaints, not the document.
    for line in complaints:
        print(line, file=sys.stderr)
    return code


def check_gate(document: ProbeDocument, *, fail_on_failed_check: bool) -> tuple[int, list[str]]:
    """The exit code of `observe` for a document and the lines it prints on
    stderr: 3 and one line per failed or inconclusive check (or the reason the
    run observed nothing) when asked to fail on them, else 0 and nothing."""
    if document.unobserved and fail_on_failed_check:
        return 3, [f"UNOBSERVED: the probes could not observe the cluster: {document.unobserved}"]
    stoppers = gate_failures(document.checks)
    if not (stoppers and fail_on_failed_check):
        return 0, []
    return 3, [
        f"{c.verdict.upper()} [{c.workload}] {c.name}: expected {c.expected}; observed {c.observed}" for c in stoppers
    ]


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    del frame
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m probes")
    sub = parser.add_subparsers(dest="command", required=True)
    obs = sub.add_parser("observe", help="observe the lab's workloads and print one JSON document")
    obs.add_argument("--expect", required=True, help="JSON of probes.facts.Expectations")
    obs.add_argument("--context", default="")
    obs.add_argument("--timeout", type=int, default=180, help="upper bound of each step, seconds")
    obs.add_argument(
        "--fail-on-failed-check", action="store_true", help="exit 3 when a check is failed or inconclusive"
    )
    obs.add_argument(
        "--lesson-record-on-stdin", action="store_true", help="judge the lesson whose record comes on stdin"
    )
    obs.set_defaults(fn=_observe)
    args = parser.parse_args(argv)
    return int(args.fn(args))


if __name__ == "__main__":
    # Only as a process of its own (what `pulumi up` starts): the listings
    # are then read from the API by this process, not by a kubectl each.
    api_reads.enable()
    sys.exit(main())

"""`make report` and the end of `make up`: render a stack's probe document.

    python -m labstack.report STACK [--observe | --observe-if-changed] [--after-up CODE] [--out DIR]

The document is the one the stack's state keeps (labstack.probe_state: the
probe command's stdout). With --observe the stack's probe command runs
again: it is found in the stack's state (the `local.Command` child of the
VerificationProbes component), and replaced with `pulumi up --target <its
urn> --replace <its urn>`, which runs it and nothing else: no workload, gate
or lesson of the stack changes. --observe-if-changed (what `make demo` does)
runs it only when the workloads or their pods changed since the stored
document was made (labstack.freshness), or when it has no verdicts. Then the
document is rendered: the text report on stdout, headed by how old the
observation is and whether the cluster changed since, and the files in DIR:
the timeline picture, the report page (one self-contained HTML file) and
the checks as JUnit XML for CI.

--after-up CODE is how `make up` ends: the `pulumi up` before it exited
with CODE. The report then never observes after a failed up (it shows the
last probe run that completed, and says so), a stack without probe results
is a note rather than an error, and the exit code is the up's when it failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from labstack.freshness import status_lines
from labstack.probe_state import document_in_state, probe_command_urn
from labstack.pulumi_cli import PulumiError, export_state, pulumi
from probes.document import DocumentError, ProbeDocument
from report import RunRecord, render_junit, render_page, render_svg, render_text

LABELS = {"-timeline.svg": "Timeline", "-report.html": "Report page", "-checks.xml": "JUnit"}
"""What main calls each written file, by the end of its name."""


class ReportError(RuntimeError):
    """The report cannot be made; the message says why and what to do."""


class NoProbeResultsError(ReportError):
    """The stack exists but holds no probe document: probes off, or never run."""


def state_of(stack: str, cwd: str = ".", env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The stack's exported state; a ReportError when there is no such stack."""
    state = export_state(stack, cwd, env)
    if state is None:
        raise ReportError(f"there is no stack {stack}: run `make up STACK={stack}` first")
    return state


def observe_again(stack: str, cwd: str = ".", env: Mapping[str, str] | None = None) -> None:
    """Runs the stack's probe command again, and only it."""
    urn = probe_command_urn(state_of(stack, cwd, env))
    if urn is None:
        raise NoProbeResultsError(
            f"stack {stack} has no probe command (probes are off, or it was never brought up): "
            f"`pulumi config set --stack {stack} probes true` and `make up STACK={stack}`"
        )
    done = pulumi(
        "up", "--yes", "--skip-preview", "--stack", stack, "--target", urn, "--replace", urn, cwd=cwd, env=env
    )
    if done.returncode != 0:
        raise ReportError(f"the probes of stack {stack} could not run:\n{done.stdout[-3000:]}{done.stderr[-2000:]}")


def stored_document(stack: str, cwd: str = ".", env: Mapping[str, str] | None = None) -> ProbeDocument:
    """The probe document of the stack's last probe run, read from its state."""
    try:
        document = document_in_state(state_of(stack, cwd, env))
    except DocumentError as err:
        raise ReportError(f"stack {stack}: {err}".replace("<stack>", stack)) from err
    if document is None:
        raise NoProbeResultsError(f"stack {stack} has no probe results (probes disabled or not run yet)")
    return document


def plugins_of(listed: str) -> list[str]:
    """The resource plugins in `pulumi plugin ls` output (NAME KIND VERSION ... columns), as "name version"."""
    rows = [line.split() for line in listed.splitlines()]
    return sorted(f"{row[0]} {row[2]}" for row in rows if len(row) > 2 and row[1] == "resource")


def run_record(stack: str, cwd: str = ".", env: Mapping[str, str] | None = None) -> RunRecord:
    """The stack and the Pulumi CLI and plugin versions, for the report page;
    a version that cannot be asked is left out rather than failing the report."""
    try:
        version = pulumi("version", cwd=cwd, env=env)
        listed = pulumi("plugin", "ls", cwd=cwd, env=env)
    except OSError:
        return RunRecord(stack)
    return RunRecord(
        stack,
        version.stdout.strip() if version.returncode == 0 else "",
        plugins_of(listed.stdout) if listed.returncode == 0 else [],
    )


def write_report(
    document: ProbeDocument, stack: str, out: Path, status: list[str], run: RunRecord | None = None
) -> list[Path]:
    """Prints the text report and writes the timeline, the report page and the
    JUnit file; returns the files written."""
    sys.stdout.write(render_text(document, status))
    out.mkdir(parents=True, exist_ok=True)
    timeline = out / f"{stack}-timeline.svg"
    timeline.write_text(render_svg(document))
    page = out / f"{stack}-report.html"
    page.write_text(render_page(document, run or run_record(stack), status))
    junit = out / f"{stack}-checks.xml"
    junit.write_text(render_junit(document, stack))
    return [timeline, page, junit]


def report(stack: str, mode: str, out: Path, failed_up: int = 0) -> list[Path]:
    """Observes again as `mode` says (always, if-changed, never) and renders.
    After a failed up (`failed_up`, its exit code) it only renders, and says
    that the verdicts may predate the step."""
    if failed_up:
        mode = "never"
    if mode == "always":
        print(f"report: observing the cluster of stack {stack} again", flush=True)
        observe_again(stack)
    document = stored_document(stack) if mode != "if-changed" else _stored_or_none(stack)
    status, changed = status_lines(document) if document and document.observed else ([], True)
    if mode == "if-changed" and changed:
        print(f"report: the cluster changed since the last probe run of {stack}: observing it again", flush=True)
        observe_again(stack)
        document = stored_document(stack)
        status, _ = status_lines(document)
    assert document is not None
    if failed_up:
        status = [failed_up_line(failed_up), *status]
    return write_report(document, stack, out, status)


def failed_up_line(code: int) -> str:
    return (
        f"This step's `pulumi up` failed (exit {code}): these are the verdicts of the stack's last "
        "completed probe run, which may be from before the step."
    )


def _stored_or_none(stack: str) -> ProbeDocument | None:
    try:
        return stored_document(stack)
    except ReportError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labstack.report")
    parser.add_argument("stack")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--observe", action="store_true", help="run the stack's probes again first")
    when.add_argument(
        "--observe-if-changed", action="store_true", help="run them again only if the workloads changed since"
    )
    parser.add_argument("--out", default="out", help="directory of the written files")
    parser.add_argument(
        "--after-up",
        type=int,
        metavar="EXIT_CODE",
        help="the exit code of the `pulumi up` this report ends: never observe after a failed one, exit with its code",
    )
    args = parser.parse_args(argv)
    mode = "always" if args.observe else "if-changed" if args.observe_if_changed else "never"
    after_up: int | None = args.after_up
    try:
        files = report(args.stack, mode, Path(args.out), failed_up=after_up or 0)
    except (ReportError, PulumiError) as err:
        print(f"report: {err}", file=sys.stderr)
        # After an up, a stack without probe results (probes off) is no failure of the step.
        if after_up is not None and (after_up or isinstance(err, NoProbeResultsError)):
            return after_up
        return 1
    print()
    for path in files:
        label = next((name for end, name in LABELS.items() if path.name.endswith(end)), "Written")
        print(f"{label}: {path}")
    return after_up or 0


if __name__ == "__main__":
    sys.exit(main())

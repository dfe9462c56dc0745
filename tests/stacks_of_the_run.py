"""The stacks of one end-to-end run, across its worker processes: the set-up
stack that every scenario's storage comes from (made by whichever worker
needs it first, destroyed by the controlling process at the very end), and
the timings of every stack's pulumi operations for the run's summary."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pulumi import automation as auto

from labstack.automation import LabStack, StackOperationError
from labstack.pulumi_home import run_env
from tests.shared_run import SharedRun

SET_UP_STACK = "e2e-setup"
SET_UP_MADE = "set-up-stack"
"""Marked once the set-up stack exists in the run's backend (its `up` may still have failed)."""
SET_UP_READY = "set-up-stack-ready"

STACKS_OF_THE_RUN: list[LabStack] = []
"""Every stack this process made, for the summary of where the run's time went."""


def pulumi_env(run: SharedRun) -> dict[str, str]:
    return run_env(run.folder, "statefulset-lab-e2e")


def context_config() -> dict[str, str]:
    context = os.environ.get("KUBE_CONTEXT", "")
    return {"context": context} if context else {}


def open_stack(workspace: Path, name: str, env: dict[str, str]) -> LabStack:
    stack = auto.create_or_select_stack(
        stack_name=name, work_dir=str(workspace), opts=auto.LocalWorkspaceOptions(env_vars=env)
    )
    lab = LabStack(stack)
    STACKS_OF_THE_RUN.append(lab)
    return lab


def set_up_stack(run: SharedRun, workspace: Path) -> LabStack:
    """The seed's set-up with the destructive storage probe, which installs
    local-path for every other scenario: brought up once per run, under the
    lock a cluster test installing local-path itself also takes."""
    with run.lock("local-path"):
        lab = open_stack(workspace, SET_UP_STACK, pulumi_env(run))
        if run.marked(SET_UP_READY) is None:
            run.mark(SET_UP_MADE, {"workspace": str(workspace)})
            lab.configure(namespace="e2e-setup", probeStableStorage="true", **context_config())
            lab.up("set-up")
            run.mark(SET_UP_READY, {})
    return lab


def destroy_set_up_stack(run: SharedRun) -> str:
    """Destroys the set-up stack if this run made it; what went wrong, or ""."""
    made = run.marked(SET_UP_MADE)
    if made is None:
        return ""
    lab = open_stack(Path(made["workspace"]), SET_UP_STACK, pulumi_env(run))
    try:
        lab.destroy()
    except StackOperationError as err:
        return f"the set-up stack {SET_UP_STACK} could not be destroyed: {err}"
    lab.stack.workspace.remove_stack(SET_UP_STACK)
    return ""


def record_timings(run: SharedRun, process: str) -> None:
    rows = [(seconds, lab.name, label) for lab in STACKS_OF_THE_RUN for label, seconds in lab.timings]
    run.record_timings(process, rows)


def summarize_timings(run: SharedRun, terminalreporter: pytest.TerminalReporter) -> None:
    """The slowest pulumi operations of the run (each `up`, refresh, destroy by
    its step's label), beside pytest's slowest tests: where a test's time went."""
    rows = sorted(run.timings(), reverse=True)
    if not rows:
        return
    terminalreporter.write_sep("=", f"slowest pulumi operations (all {len(rows)}: {sum(r[0] for r in rows):.0f} s)")
    for seconds, stack, label in rows[:25]:
        terminalreporter.write_line(f"{seconds:7.1f}s  {stack}: {label}")

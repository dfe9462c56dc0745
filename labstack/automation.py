"""Drives real `pulumi up`s of the project through the Automation API, for the
end-to-end suite and the benchmarks.

Each LabStack is one stack of a private copy of the project (so stack files
never land in the checkout). Every operation keeps the engine's output and
times itself, and a failure raises with that output, not just a message.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from labstack.probe_state import document_in_state
from labstack.report import ReportError, observe_again
from probes.document import ProbeDocument
from probes.facts import Check

ROOT = Path(__file__).resolve().parents[1]
PROJECT_FILES = [
    "Pulumi.yaml",
    "__main__.py",
    "kube",
    "components",
    "plan",
    "probes",
    "gates",
    "lessons",
    "labcluster",
    # The node lessons start lab workers through labcluster, which reads the
    # pinned image versions from here.
    "toolchain/versions.env",
    "stacks",
    # The policy pack `make up` and LabStack.policy_packs run; its virtualenv is the checkout's.
    "policy",
]
FRONT_DOOR_FILES = ["Makefile", "toolchain", "labstack", "report", "requirements.txt", "requirements-dev.txt"]
"""What `make` needs beside the program, for tests of the make targets themselves."""
PROJECT = "statefulset-lab"
POLICY_VENV = "policy/.venv"
"""The policy pack's own virtualenv (`make policy-venv`)."""


def copy_project(dest: Path, with_front_door: bool = False) -> Path:
    """A working copy of the program whose virtualenv is the checkout's (and,
    `with_front_door`, the Makefile and what its targets run)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES + (FRONT_DOOR_FILES if with_front_door else []):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".venv"), dirs_exist_ok=True)
        else:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    (dest / POLICY_VENV).symlink_to(ROOT / POLICY_VENV)
    return dest


class StackOperationError(AssertionError):
    """A pulumi operation failed; the message carries the engine's output."""


@dataclass
class LabStack:
    """One stack of the lab, with its outputs and a log of what the engine said."""

    stack: auto.Stack
    log: list[str] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)
    """Every operation's label and seconds, in order: a label may repeat ("observe again")."""
    policy_packs: list[str] = field(default_factory=list)
    """Policy packs every preview and up runs (`with_advice()` adds the lab's, as `make up` does)."""

    @property
    def name(self) -> str:
        return self.stack.name

    def with_advice(self) -> LabStack:
        """Runs the lab's policy pack (policy/) on every later preview and up, as `make up` does."""
        self.policy_packs = [str(Path(self.stack.workspace.work_dir) / "policy")]
        return self

    def configure(self, **values: str) -> None:
        self.stack.set_all_config({f"{PROJECT}:{k}": auto.ConfigValue(value=v) for k, v in values.items()})

    def unset(self, *keys: str) -> None:
        self.stack.remove_all_config([f"{PROJECT}:{k}" for k in keys])

    def _record(self, line: str) -> None:
        self.log.append(line.rstrip())

    def _fail(self, operation: str, err: Exception) -> StackOperationError:
        tail = "\n".join(self.log[-60:])
        return StackOperationError(
            f"pulumi {operation} of stack {self.name} failed: {err}\n--- engine output ---\n{tail}"
        )

    def up(self, label: str = "up", refresh: bool = False, **config: str) -> None:
        """`pulumi up`; `refresh` makes it `pulumi up --refresh` (`make up REFRESH=1`)."""
        if config:
            self.configure(**config)
        packs = [arg for pack in self.policy_packs for arg in ("--policy-pack", pack)]
        with self._timed(label):
            self._operation("up", ["up", "--yes", "--skip-preview", *packs, *(["--refresh"] if refresh else [])])

    def _operation(self, operation: str, args: list[str]) -> None:
        """One CLI operation on this stack, its output kept. The Automation
        API's own `up`, `refresh` and `destroy` follow each with three more
        CLI runs (the outputs twice, the last update's summary), about a CPU
        second that the suite and `make up` rarely read:
        `last_resource_changes` asks for the summary where it is needed."""
        workspace = self.stack.workspace
        try:
            workspace.pulumi_command.run(
                [*args, "--color=never", "--stack", self.name],
                workspace.work_dir,
                dict(workspace.env_vars or {}),
                on_output=self._record,
            )
        except auto.errors.CommandError as err:
            raise self._fail(operation, err) from err

    def last_resource_changes(self) -> dict[str, int]:
        """What the stack's last update did, by kind of change ("same", "create", ...)."""
        summary = self.stack.info()
        if summary is None:
            return {}
        # The kinds come as plain strings or as the str enum OpType: its value either way.
        return {getattr(kind, "value", kind): count for kind, count in (summary.resource_changes or {}).items()}

    @contextmanager
    def _timed(self, label: str) -> Iterator[None]:
        """Records how long the operation took under `label`, even when it fails."""
        start = time.monotonic()
        try:
            yield
        finally:
            self.timings.append((label, round(time.monotonic() - start, 1)))

    def seconds_of(self, label: str) -> float:
        """How long the last operation under `label` took."""
        return next(seconds for name, seconds in reversed(self.timings) if name == label)

    def refresh(self) -> None:
        """`pulumi refresh`: the state learns what was deleted outside Pulumi (the next `up` creates it again)."""
        with self._timed("refresh"):
            self._operation("refresh", ["refresh", "--yes", "--skip-preview"])

    def preview(self) -> auto.PreviewResult:
        try:
            return self.stack.preview(on_output=self._record, color="never", policy_packs=self.policy_packs or None)
        except auto.errors.CommandError as err:
            raise self._fail("preview", err) from err

    def destroy(self) -> None:
        with self._timed("destroy"):
            self._operation("destroy", ["destroy", "--yes", "--skip-preview"])

    def observe_again(self) -> None:
        """Runs the stack's own probe command again, as `make report` does."""
        env = {**os.environ, **(self.stack.workspace.env_vars or {})}
        with self._timed("observe again"):
            try:
                observe_again(self.name, cwd=self.stack.workspace.work_dir, env=env)
            except ReportError as err:
                raise StackOperationError(f"re-running the probes of stack {self.name} failed: {err}") from err

    def outputs(self) -> dict[str, Any]:
        return {k: v.value for k, v in self.stack.outputs().items()}

    def probes(self) -> ProbeDocument:
        """The document of the stack's last probe run, from its state, where `make report` reads it."""
        document = document_in_state({"deployment": self.stack.export_stack().deployment})
        if document is None:
            raise AssertionError(
                f"stack {self.name} has no probe document; engine output:\n" + "\n".join(self.log[-40:])
            )
        return document

    def checks(self) -> dict[str, Check]:
        return {f"[{c.workload}] {c.name}": c for c in self.probes().checks}


def assert_checks_pass(stack: LabStack, *names: str) -> None:
    """The named checks (all when none are named) exist and none failed or was
    inconclusive; a named check must have passed outright, while an unnamed
    one may also be "not applicable" (no evidence in this run, e.g. pods a
    rolling update re-created say nothing about the creation policy)."""
    checks = stack.checks()
    wanted = list(names) or list(checks)
    missing = [n for n in wanted if n not in checks]
    allowed = {"passed"} if names else {"passed", "not applicable"}
    bad = [checks[n] for n in wanted if n in checks and checks[n].verdict not in allowed]
    if missing or bad:
        lines = [f"stack {stack.name}: missing checks {missing}" if missing else f"stack {stack.name}:"]
        lines += [
            f"{c.verdict.upper()} {c.workload}: {c.name}\n  expected: {c.expected}\n  observed: {c.observed}"
            for c in bad
        ]
        lines.append("all checks: " + json.dumps({n: c.verdict for n, c in sorted(checks.items())}, indent=1))
        raise AssertionError("\n".join(lines))


def open_lab_stack(workspace: Path, name: str, env: dict[str, str], **config: str) -> LabStack:
    """A fresh stack with its config set; `remove_lab_stack` undoes it."""
    stack = auto.create_or_select_stack(
        stack_name=name, work_dir=str(workspace), opts=auto.LocalWorkspaceOptions(env_vars=env)
    )
    lab = LabStack(stack)
    lab.configure(**config)
    return lab


def remove_lab_stack(lab: LabStack) -> None:
    """Destroys the stack's resources, then removes the stack, even when the destroy failed."""
    try:
        lab.destroy()
    finally:
        lab.stack.workspace.remove_stack(lab.stack.name)


@contextmanager
def lab_stack(workspace: Path, name: str, env: dict[str, str], **config: str) -> Iterator[LabStack]:
    """A fresh stack that is destroyed and removed afterwards, even on failure."""
    lab = open_lab_stack(workspace, name, env, **config)
    try:
        yield lab
    finally:
        remove_lab_stack(lab)

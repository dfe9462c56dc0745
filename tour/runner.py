"""Runs a planned tour (tour.plan) on the cluster through the Automation API.

Everything it makes lives under its own home (`<state dir>/tour`): a private
copy of the project, a file backend, and each step's result as JSON (for
`FROM=`). Each experiment gets a stack and a namespace of its own,
`<prefix><stack>`, so the learner's stacks are never touched.

The claims need a StorageClass before any experiment's preview: the
cluster's local-path when it has one (`make demo` installs it), else a
storage stack (no pods, no probes) installs it first and is destroyed last. Every experiment's stack is destroyed
when its steps end, and every stack the tour made is destroyed on the way
out, even after a failure or Ctrl-C; stacks a killed run left behind are
destroyed before the next run starts.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from pulumi import automation as auto

from labstack.automation import StackOperationError, copy_project, lab_stack
from labstack.experiments import Experiment, Step, stack_file_config
from labstack.pulumi_home import run_env
from labstack.step_runner import StepResult, run_step
from plan.settings import StorageSettings
from probes.document import DocumentError
from tour.page import TourRun
from tour.plan import TourPlan
from tour.progress import Remaining, estimate_left, progress_line, step_count

STORAGE = "storage"
"""The suffix of the stack that installs the StorageClass when the cluster has none."""
STORAGE_CLASS = StorageSettings.storage_class_name
"""The class every experiment's claims ask for (no stack file names another)."""


class TourError(RuntimeError):
    """The tour cannot run; the message says what to do."""


def has_storage_class(name: str, context: str = "") -> bool:
    argv = ["kubectl", *(["--context", context] if context else []), "--request-timeout=20s"]
    done = subprocess.run([*argv, "get", "storageclass", name, "-o", "name"], capture_output=True, check=False)
    return done.returncode == 0


def default_home() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "statefulset-lab" / "tour"


@dataclass(frozen=True)
class TourOptions:
    home: Path
    """Where the tour keeps its project copy, backend and step results."""
    prefix: str = "tour-"
    """Of its stacks' and namespaces' names."""
    jobs: int = 4
    """Experiments run side by side at most."""
    context: str = ""
    """The kubeconfig context (KUBE_CONTEXT); the current one when empty."""

    @property
    def backend(self) -> Path:
        return self.home / "backend"

    @property
    def results(self) -> Path:
        return self.home / "results"

    def env(self) -> dict[str, str]:
        return run_env(self.home, "statefulset-lab-tour")

    def stack_config(self, stack: str) -> dict[str, str]:
        """The experiment's starting config in its own namespace, on the storage stack's class."""
        own = {"namespace": self.prefix + stack, "installLocalPath": "false"}
        return stack_file_config(stack) | own | ({"context": self.context} if self.context else {})


def load_results(options: TourOptions, steps: tuple[Step, ...]) -> dict[str, StepResult]:
    """The last run's results of these steps; TourError naming what is missing."""
    found: dict[str, StepResult] = {}
    for step in steps:
        path = options.results / f"{step.name}.json"
        if not path.exists():
            raise TourError(
                f"no result of step {step.name} from an earlier tour: start earlier (FROM=) or from the top"
            )
        try:
            found[step.name] = StepResult.from_json(json.loads(path.read_text()))
        except (DocumentError, ValueError, KeyError) as err:
            raise TourError(f"the stored result of step {step.name} cannot be read ({err}): run it again") from err
    return found


@dataclass
class Progress:
    """Counts the steps as they end and prints one line for each, from any thread."""

    plan: TourPlan
    started: float
    say: Callable[[str], None]
    lanes: int
    ended: list[StepResult] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def step_ended(self, experiment: Experiment, result: StepResult) -> None:
        with self.lock:
            self.ended.append(result)
            done = {r.step for r in self.ended}
            side = sum(1 for e in self.plan.side_by_side for s in e.steps if s.name not in done)
            alone = sum(1 for e in self.plan.alone for s in e.steps if s.name not in done)
            running = sum(1 for e in self.plan.side_by_side if any(s.name not in done for s in e.steps))
            left = estimate_left([r.seconds for r in self.ended], Remaining(side, alone, min(self.lanes, running)))
            elapsed = time.monotonic() - self.started
            self.say(progress_line(len(done), len(self.plan.to_run), experiment.stack, result, elapsed, left))


def clean_leftovers(workspace: Path, options: TourOptions, say: Callable[[str], None]) -> None:
    """Destroys the stacks an earlier tour could not (killed before its clean-up): the storage stack last."""
    listing = auto.LocalWorkspace(work_dir=str(workspace), env_vars=options.env())
    names = sorted(s.name for s in listing.list_stacks() if s.name.startswith(options.prefix))
    names.sort(key=lambda name: name == options.prefix + STORAGE)
    for name in names:
        say(f"tour: destroying {name}, left behind by an earlier tour")
        stack = auto.select_stack(
            stack_name=name, work_dir=str(workspace), opts=auto.LocalWorkspaceOptions(env_vars=options.env())
        )
        stack.destroy(color="never")
        stack.workspace.remove_stack(name)


@contextmanager
def stop_on_interrupt(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C sets `stop` at once (the experiments look at it between steps), then interrupts the main thread."""

    def interrupted(signum: int, frame: FrameType | None) -> None:
        stop.set()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Tour:
    def __init__(self, plan: TourPlan, options: TourOptions, say: Callable[[str], None] = print) -> None:
        self.plan, self.options, self.say = plan, options, say
        self.results: dict[str, StepResult] = load_results(options, plan.reused)
        self.notes: list[str] = []
        self.stop = threading.Event()
        self.started_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        self.started = time.monotonic()
        self.progress = Progress(plan, self.started, say, max(1, options.jobs))

    def _keep(self, result: StepResult) -> None:
        self.results[result.step] = result
        self.options.results.mkdir(parents=True, exist_ok=True)
        (self.options.results / f"{result.step}.json").write_text(json.dumps(result.to_json()) + "\n")

    def run_experiment(self, workspace: Path, experiment: Experiment) -> None:
        name = self.options.prefix + experiment.stack
        if self.stop.is_set():
            return
        try:
            with lab_stack(workspace, name, self.options.env(), **self.options.stack_config(experiment.stack)) as lab:
                for step in experiment.steps:
                    if self.stop.is_set():
                        return
                    result = run_step(lab, step, going_on=lambda: not self.stop.is_set())
                    self._keep(result)
                    self.progress.step_ended(experiment, result)
        except StackOperationError as err:
            self.notes.append(f"stack {name} could not be destroyed: {str(err).splitlines()[0]}")
            self.say(f"tour: {self.notes[-1]}")

    def _side_by_side(self, workspace: Path) -> None:
        with ThreadPoolExecutor(max_workers=max(1, self.options.jobs), thread_name_prefix="experiment") as pool:
            running = [pool.submit(self.run_experiment, workspace, e) for e in self.plan.side_by_side]
            try:
                wait(running)
            except KeyboardInterrupt:
                self.stop.set()
                self.say("tour: interrupted: the running steps end, then every stack of the tour is destroyed")
                wait(running)
                raise

    def run(self) -> TourRun:
        workspace = self._fresh_workspace()
        clean_leftovers(workspace, self.options, self.say)
        try:
            with stop_on_interrupt(self.stop), ExitStack() as storage:
                self._provide_storage(workspace, storage)
                self._side_by_side(workspace)
                for experiment in self.plan.alone:
                    if not self.stop.is_set():
                        self.say(f"tour: {experiment.stack} takes a node away: it runs alone, now")
                        self.run_experiment(workspace, experiment)
        except KeyboardInterrupt:
            self.notes.append("The tour was interrupted (Ctrl-C); the steps after that did not run.")
        except StackOperationError as err:
            self.notes.append(f"The tour stopped: {str(err).splitlines()[0]}")
            self.say(f"tour: the tour stopped: {err}")
        return TourRun(
            steps=self.plan.steps,
            results=self.results,
            seconds=round(time.monotonic() - self.started, 1),
            started_at=self.started_at,
            namespace_prefix=self.options.prefix,
            notes=self.notes,
        )

    def _provide_storage(self, workspace: Path, storage: ExitStack) -> None:
        """The StorageClass of the experiments' claims: the cluster's, or the storage stack's (destroyed last)."""
        to_run = step_count(len(self.plan.to_run))
        if has_storage_class(STORAGE_CLASS, self.options.context):
            self.say(f"tour: {to_run} to run, on the cluster's StorageClass {STORAGE_CLASS}")
            return
        name = self.options.prefix + STORAGE
        config = {
            "namespace": name,
            "replicas": "0",
            "deploymentReplicas": "0",
            "probes": "false",
            **({"context": self.options.context} if self.options.context else {}),
        }
        stack = storage.enter_context(lab_stack(workspace, name, self.options.env(), **config))
        storage.callback(self.say, f"tour: destroying {name}, the last of the tour's stacks")
        self.say(f"tour: {to_run} to run; first {name} installs the StorageClass {STORAGE_CLASS}")
        stack.up("storage")

    def _fresh_workspace(self) -> Path:
        """The project copied afresh; the stack files of the tour's stacks stay (a
        leftover stack's passphrase salt is in its file)."""
        folder = self.options.home / "project"
        if folder.exists():
            for entry in folder.iterdir():
                if entry.is_symlink() or entry.is_file():
                    entry.unlink()
                elif entry.name != "stacks":
                    shutil.rmtree(entry)
        self.options.backend.mkdir(parents=True, exist_ok=True)
        return copy_project(folder)

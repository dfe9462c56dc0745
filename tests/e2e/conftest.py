"""Session set-up of the end-to-end suite: the tools and the cluster must be
there, or every test fails at once with the fix; a private copy of the project
and a file backend of its own, shared by the run's workers; the local-path
storage installed once by the set-up stack, which the other scenarios' stacks
use (tests/stacks_of_the_run.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from labstack.automation import LabStack, copy_project, open_lab_stack, remove_lab_stack
from tests import stacks_of_the_run
from tests.background_teardown import BackgroundTeardowns
from tests.shared_run import SharedRun, shared_run
from tests.stacks_of_the_run import STACKS_OF_THE_RUN, context_config

ROOT = Path(__file__).resolve().parents[2]


def _pin(package: str) -> str:
    return next(
        line.split("==")[1].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.startswith(f"{package}==")
    )


PINNED_PULUMI = _pin("pulumi")
PINNED_PLUGINS = {"kubernetes": _pin("pulumi-kubernetes"), "command": _pin("pulumi-command")}


def installed_plugins() -> str:
    """`pulumi plugin ls`: the language host and providers every stack of the run uses."""
    return subprocess.run(["pulumi", "plugin", "ls"], capture_output=True, text=True, check=False).stdout


def _require_tools() -> None:
    for tool in ("pulumi", "kubectl"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not on PATH: run `make toolchain` (or the suite through `make e2e`)", pytrace=False)
    version = subprocess.run(["pulumi", "version"], capture_output=True, text=True, check=False).stdout.strip()
    if version != f"v{PINNED_PULUMI}":
        pytest.fail(
            f"pulumi on PATH is {version}, the project pins v{PINNED_PULUMI}: run `make toolchain`", pytrace=False
        )
    listed = [line.split() for line in installed_plugins().splitlines()]
    for name, pinned in PINNED_PLUGINS.items():
        if not any(row[:3] == [name, "resource", pinned] for row in listed):
            pytest.fail(f"the {name} plugin v{pinned} is not installed: run `make toolchain`", pytrace=False)


def pytest_report_header() -> list[str]:
    """The Pulumi CLI, language host and plugins the run uses, at the top of its log (`make e2e` runs
    without -q so that it shows)."""
    if shutil.which("pulumi") is None:
        return ["pulumi: not on PATH"]
    cli = Path(os.path.realpath(shutil.which("pulumi") or ""))
    version = subprocess.run([str(cli), "version"], capture_output=True, text=True, check=False).stdout.strip()
    lines = [f"pulumi {version} ({cli})"]
    host = cli.parent / ".python-host"
    lines.append(f"python language host: {host.read_text().strip() if host.exists() else 'bundled with the CLI'}")
    rows = installed_plugins().splitlines()[1:]
    lines += [f"plugin: {row}" for row in rows if row.strip() and not row.startswith("TOTAL")]
    return lines


def _require_cluster() -> None:
    context = os.environ.get("KUBE_CONTEXT", "")
    argv = ["kubectl", *(["--context", context] if context else []), "--request-timeout=10s", "get", "--raw", "/readyz"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        where = os.environ.get("KUBECONFIG", "~/.kube/config")
        pytest.fail(
            f"cannot reach the cluster of KUBECONFIG={where}: {done.stderr.strip()}\n"
            "Run `make cluster-up` for the lab cluster, or point KUBECONFIG at a running cluster.",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def run(request: pytest.FixtureRequest) -> SharedRun:
    return shared_run(request.config)


@pytest.fixture(scope="session")
def workspace(run: SharedRun) -> Path:
    """One copy of the project for every worker of the run: stacks are files of their own in it."""
    _require_tools()
    _require_cluster()
    folder = run.folder / "project"
    with run.lock("workspace"):
        if run.marked("workspace") is None:
            shutil.rmtree(folder, ignore_errors=True)
            copy_project(folder, with_front_door=True)
            run.mark("workspace", {})
    return folder


@pytest.fixture(scope="session")
def pulumi_env(run: SharedRun) -> dict[str, str]:
    return stacks_of_the_run.pulumi_env(run)


@pytest.fixture(scope="session")
def setup_stack(workspace: Path, run: SharedRun) -> LabStack:
    """Scenario 1's stack: the seed's set-up with the destructive storage probe.

    It installs local-path-provisioner, which every other scenario uses, so it
    lives for the whole run (across the workers) and is destroyed last.
    """
    return stacks_of_the_run.set_up_stack(run, workspace)


@pytest.fixture(scope="session")
def background_teardowns(run: SharedRun) -> Iterator[BackgroundTeardowns[LabStack]]:
    """This process's destroys of finished scenarios' stacks; waited for when
    its session ends, where a destroy that failed fails the run."""
    teardowns = BackgroundTeardowns(run, remove_lab_stack)
    yield teardowns
    failures = teardowns.finish()
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


@pytest.fixture
def scenario_stack(
    request: pytest.FixtureRequest,
    workspace: Path,
    pulumi_env: dict[str, str],
    setup_stack: LabStack,
    background_teardowns: BackgroundTeardowns[LabStack],
) -> Iterator[Callable[..., LabStack]]:
    """A factory of stacks for one scenario, each in its own namespace, on the
    storage class the set-up stack installed; all destroyed once the test
    ends, even when it fails (in the background: tests/background_teardown.py)."""
    made: list[LabStack] = []

    def make(name: str, **config: str) -> LabStack:
        settings = {"namespace": f"e2e-{name}", "installLocalPath": "false", **context_config(), **config}
        stack = open_lab_stack(workspace, f"e2e-{name}", pulumi_env, **settings)
        made.append(stack)
        STACKS_OF_THE_RUN.append(stack)
        return stack

    try:
        yield make
    finally:
        background_teardowns.submit(request.node.nodeid, made)

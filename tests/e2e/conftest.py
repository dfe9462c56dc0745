"""Session set-up of the end-to-end suite: the tools and the cluster must be
there, or every test fails at once with the fix; a private copy of the project
and a file backend of its own; the local-path storage installed once by the
set-up stack, which the other scenarios' stacks use."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from labstack.automation import LabStack, copy_project, lab_stack

ROOT = Path(__file__).resolve().parents[2]
STACKS_OF_THE_RUN: list[LabStack] = []
"""Every stack the fixtures made, for the summary of where the run's time went."""


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
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_tools()
    _require_cluster()
    return copy_project(tmp_path_factory.mktemp("project"), with_front_door=True)


@pytest.fixture(scope="session")
def pulumi_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    backend = tmp_path_factory.mktemp("backend")
    return {
        "PULUMI_BACKEND_URL": f"file://{backend}",
        "PULUMI_CONFIG_PASSPHRASE": "statefulset-lab-e2e",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }


def context_config() -> dict[str, str]:
    context = os.environ.get("KUBE_CONTEXT", "")
    return {"context": context} if context else {}


@pytest.fixture(scope="session")
def setup_stack(workspace: Path, pulumi_env: dict[str, str]) -> Iterator[LabStack]:
    """Scenario 1's stack: the seed's set-up with the destructive storage probe.

    It installs local-path-provisioner, which every other scenario uses, so it
    lives for the whole session and is destroyed last.
    """
    with lab_stack(
        workspace, "e2e-setup", pulumi_env, namespace="e2e-setup", probeStableStorage="true", **context_config()
    ) as stack:
        STACKS_OF_THE_RUN.append(stack)
        stack.up("set-up")
        yield stack


@pytest.fixture
def scenario_stack(
    workspace: Path, pulumi_env: dict[str, str], setup_stack: LabStack
) -> Iterator[Callable[..., LabStack]]:
    """A factory of stacks for one scenario, each in its own namespace, on the
    storage class the set-up stack installed; all destroyed when the test ends,
    even when it fails."""
    with ExitStack() as stacks:

        def make(name: str, **config: str) -> LabStack:
            settings = {"namespace": f"e2e-{name}", "installLocalPath": "false", **context_config(), **config}
            stack = stacks.enter_context(lab_stack(workspace, f"e2e-{name}", pulumi_env, **settings))
            STACKS_OF_THE_RUN.append(stack)
            return stack

        yield make


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The node experiments take workers away: they run after every other
    scenario, so that no other stack's pods are caught on a drained or failed node."""
    items.sort(key=lambda item: "lab_nodes" in item.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The slowest pulumi operations of the run (each `up`, refresh, destroy by
    its step's label), beside pytest's slowest tests: where a test's time went."""
    rows = sorted(
        ((seconds, stack.name, label) for stack in STACKS_OF_THE_RUN for label, seconds in stack.timings.items()),
        reverse=True,
    )
    if not rows:
        return
    terminalreporter.write_sep("=", f"slowest pulumi operations (all {len(rows)}: {sum(r[0] for r in rows):.0f} s)")
    for seconds, stack, label in rows[:25]:
        terminalreporter.write_line(f"{seconds:7.1f}s  {stack}: {label}")

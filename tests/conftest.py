"""What every test run shares: the project root on the import path, and, for
the cluster and end-to-end tests that pytest-xdist runs side by side, the
run's shared folder (tests/shared_run.py), their order and groups, and the
teardown of the set-up stack once every worker is done."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest
from xdist.scheduler import LoadGroupScheduling  # type: ignore[import-untyped]

# The program's packages (components, probes, labstack, labcluster) live at the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.run_timeline import summarize_timeline
from tests.shared_run import RUN_FOLDER, shared_run
from tests.stacks_of_the_run import destroy_set_up_stack, record_timings, summarize_timings

WORKER_INPUT = "statefulset_lab_run_folder"

# Where a scenario runs longest first, the side-by-side run ends soonest: the
# long lesson scenarios lead, the short cluster tests fill the gaps, and the
# node experiments (which wait for every other cluster test) come next to
# last. In `make test` the unit tests come last: they need no cluster, so the
# workers the node experiments leave idle run them meanwhile.
LONG_FIRST = [
    # By the time their tests took in the last clean-clone runs, longest first:
    # sabotage four of 2-2.5 min, lessons up to 3 min, make up 2.5 min, ...
    "tests/e2e/test_sabotage.py",
    "tests/e2e/test_lessons.py",
    "tests/e2e/test_make_up.py",
    "tests/e2e/test_interrupted_up.py",
    "tests/e2e/test_rollout_waits.py",
    "tests/e2e/test_tour.py",
    "tests/e2e/test_policy_and_deletion_scenarios.py",
    "tests/e2e/test_upgrade_from_dynamic_probes.py",
    "tests/e2e/test_setup_scenario.py",
    "tests/e2e/test_scaling_scenario.py",
]
NODE_EXPERIMENTS = "tests/e2e/lab_nodes/"
UNIT_TESTS = "tests/unit/"
SERIAL_GROUPS = {
    # Each uses or changes the one set-up stack: one at a time, in one worker.
    "tests/e2e/test_setup_scenario.py": "set-up-stack",
    "tests/e2e/test_storage_guard.py": "set-up-stack",
    # Installs local-path itself when no stack has: its tests belong together.
    "tests/cluster/test_statefulset_storage.py": "cluster-storage",
    NODE_EXPERIMENTS: "node-experiments",
}


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _worker_id(config: pytest.Config) -> str:
    return str(config.workerinput["workerid"]) if is_worker(config) else "main"  # type: ignore[attr-defined]


def pytest_configure(config: pytest.Config) -> None:
    if is_worker(config):
        folder = Path(config.workerinput[WORKER_INPUT])  # type: ignore[attr-defined]
    else:
        folder = Path(tempfile.mkdtemp(prefix="statefulset-lab-run-"))
    config.stash[RUN_FOLDER] = folder


def pytest_configure_node(node: pytest.Item) -> None:
    """pytest-xdist: every worker learns the controller's shared folder."""
    node.workerinput[WORKER_INPUT] = str(node.config.stash[RUN_FOLDER])  # type: ignore[attr-defined]


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """Groups kept whole, in the order above (xdist would otherwise put the
    largest groups first, and the node experiments would wait on tests queued
    behind them in their own worker)."""
    config.option.loadscopereorder = False
    return LoadGroupScheduling(config, log)


def _rank(item: pytest.Item) -> tuple[int, int]:
    path = item.nodeid.split("::")[0]
    if path.startswith(UNIT_TESTS):
        return (4, 0)
    if path.startswith(NODE_EXPERIMENTS):
        return (3, 0)
    if path in LONG_FIRST:
        return (0, LONG_FIRST.index(path))
    if path.startswith("tests/e2e/"):
        return (1, 0)
    return (2, 0)


def _group_of(item: pytest.Item) -> str:
    path = item.nodeid.split("::")[0]
    for prefix, group in SERIAL_GROUPS.items():
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            return group
    # A cluster test module shares one namespace and toolbox pod: keep it in one worker.
    return f"cluster-{Path(path).stem}" if path.startswith("tests/cluster/") else ""


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not any(item.nodeid.startswith(("tests/e2e/", "tests/cluster/")) for item in items):
        return
    items.sort(key=_rank)
    for item in items:
        group = _group_of(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> object:
    """Every ended test (its teardown too) is recorded for the node experiments'
    wait, and with its start and end for the run's timeline."""
    start = time.time()
    try:
        return (yield)
    finally:
        run = shared_run(item.config)
        run.finished(item.nodeid)
        run.ran(_worker_id(item.config), item.nodeid, start, time.time())


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The set-up stack outlives every scenario of every worker: the one
    process that is no worker destroys it, after they all ended."""
    run = shared_run(session.config)
    if is_worker(session.config):
        record_timings(run, _worker_id(session.config))
        return
    problem = destroy_set_up_stack(run)
    record_timings(run, "controller")
    if problem:
        session.config.get_terminal_writer().line(problem, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if is_worker(config):
        return
    summarize_timings(shared_run(config), terminalreporter)
    summarize_timeline(shared_run(config), terminalreporter, NODE_EXPERIMENTS, UNIT_TESTS)


def pytest_unconfigure(config: pytest.Config) -> None:
    if not is_worker(config) and RUN_FOLDER in config.stash:
        shutil.rmtree(config.stash[RUN_FOLDER], ignore_errors=True)

"""The side-by-side end-to-end run's shared pieces: locks across processes,
the record of ended tests the node experiments wait on, and the order and
groups the scheduler gets."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from tests.conftest import _group_of, _rank
from tests.e2e.lab_nodes.conftest import needs_the_cluster
from tests.shared_run import SharedRun


def _hold_lock(folder: str, seconds: float, started: multiprocessing.synchronize.Event) -> None:
    with SharedRun(Path(folder)).lock("storage"):
        started.set()
        time.sleep(seconds)


def test_a_lock_held_by_another_process_makes_the_next_holder_wait(tmp_path: Path) -> None:
    started = multiprocessing.Event()
    other = multiprocessing.Process(target=_hold_lock, args=(str(tmp_path), 0.6, started))
    other.start()
    assert started.wait(10)
    begun = time.monotonic()
    with SharedRun(tmp_path).lock("storage"):
        waited = time.monotonic() - begun
    other.join()
    assert waited >= 0.3, f"took the lock after {waited:.2f} s while another process held it"


def test_locks_of_different_names_do_not_wait_for_each_other(tmp_path: Path) -> None:
    run = SharedRun(tmp_path)
    with run.lock("storage"):
        begun = time.monotonic()
        with run.lock("workspace"):
            assert time.monotonic() - begun < 0.5


def test_the_wait_ends_when_every_named_test_has_ended(tmp_path: Path) -> None:
    run = SharedRun(tmp_path)
    run.finished("tests/e2e/test_a.py::test_one")
    run.finished("tests/e2e/test_b.py::test_two")
    assert run.wait_for(["tests/e2e/test_a.py::test_one", "tests/e2e/test_b.py::test_two"], timeout=1) == []


def test_the_wait_names_the_tests_still_running_when_its_time_runs_out(tmp_path: Path) -> None:
    run = SharedRun(tmp_path)
    run.finished("tests/e2e/test_a.py::test_one")
    left = run.wait_for(["tests/e2e/test_a.py::test_one", "tests/e2e/test_b.py::test_two"], timeout=0.2, poll=0.05)
    assert left == ["tests/e2e/test_b.py::test_two"]


def test_marks_and_timings_travel_through_the_folder(tmp_path: Path) -> None:
    run = SharedRun(tmp_path)
    assert run.marked("set-up-stack") is None
    run.mark("set-up-stack", {"workspace": "/somewhere"})
    assert run.marked("set-up-stack") == {"workspace": "/somewhere"}
    run.record_timings("gw0", [(12.5, "e2e-updates", "canary")])
    run.record_timings("gw1", [(3.0, "e2e-zero", "up")])
    assert sorted(run.timings()) == [(3.0, "e2e-zero", "up"), (12.5, "e2e-updates", "canary")]


class _Item:
    def __init__(self, nodeid: str) -> None:
        self.nodeid = nodeid


@pytest.mark.parametrize(
    "nodeids",
    [
        [
            "tests/e2e/lab_nodes/test_node_lessons.py::test_drain",
            "tests/cluster/test_dns.py::test_one",
            "tests/e2e/test_zero_replicas.py::test_zero",
            "tests/unit/test_probe_checks.py::test_one",
            "tests/e2e/test_lessons.py::test_staging",
        ]
    ],
)
def test_long_scenarios_lead_the_node_experiments_follow_and_the_unit_tests_fill_their_time(
    nodeids: list[str],
) -> None:
    ordered = sorted((_Item(n) for n in nodeids), key=_rank)  # type: ignore[arg-type]
    assert [i.nodeid.split("::")[0] for i in ordered] == [
        "tests/e2e/test_lessons.py",
        "tests/e2e/test_zero_replicas.py",
        "tests/cluster/test_dns.py",
        "tests/e2e/lab_nodes/test_node_lessons.py",
        "tests/unit/test_probe_checks.py",
    ]


def test_the_node_experiments_wait_for_every_cluster_test_but_not_for_unit_tests() -> None:
    assert needs_the_cluster("tests/e2e/test_lessons.py::test_staging")
    assert needs_the_cluster("tests/cluster/test_dns.py::test_one")
    assert not needs_the_cluster("tests/e2e/lab_nodes/test_node_lessons.py::test_drain")
    assert not needs_the_cluster("tests/unit/test_probe_checks.py::test_one")


def test_what_shares_a_stack_or_takes_nodes_away_stays_in_one_group() -> None:
    def group(nodeid: str) -> str:
        return _group_of(_Item(nodeid))  # type: ignore[arg-type]

    assert group("tests/e2e/test_setup_scenario.py::test_x") == group("tests/e2e/test_storage_guard.py::test_y")
    assert group("tests/e2e/lab_nodes/test_probe_states.py::t") == group("tests/e2e/lab_nodes/test_node_lessons.py::t")
    assert group("tests/cluster/test_dns.py::a") == group("tests/cluster/test_dns.py::b") != ""
    assert group("tests/e2e/test_lessons.py::test_staging") == ""  # each scenario on its own

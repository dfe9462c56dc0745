"""The run's timeline summary: each worker's busy time and last cluster test,
and the node experiments' tail after the other cluster tests."""

from tests.run_timeline import timeline_lines


def _row(worker: str, test: str, start: float, end: float) -> dict[str, object]:
    return {"worker": worker, "test": test, "start": 1000 + start, "end": 1000 + end}


def test_each_worker_busy_time_and_the_node_experiments_tail() -> None:
    rows = [
        _row("gw0", "tests/e2e/test_a.py::t", 0, 100),
        _row("gw0", "tests/unit/test_u.py::t", 100, 130),
        _row("gw1", "tests/e2e/test_b.py::t", 5, 300),
        _row("gw2", "tests/e2e/lab_nodes/test_n.py::t", 10, 500),
    ]
    lines = timeline_lines(rows, "tests/e2e/lab_nodes/", "tests/unit/")
    assert lines == [
        "gw0: 2 tests, busy 130 s, done at 130, its last cluster test ended at 100",
        "gw1: 1 tests, busy 295 s, done at 300, its last cluster test ended at 300",
        "gw2: 1 tests, busy 490 s, done at 500, its last cluster test ended at 500",
        "node experiments: after the other cluster tests ended at 300, until 500",
    ]


def test_a_unit_only_run_has_no_node_line() -> None:
    lines = timeline_lines([_row("main", "tests/unit/test_u.py::t", 0, 2)], "tests/e2e/lab_nodes/", "tests/unit/")
    assert lines == ["main: 1 tests, busy 2 s, done at 2"]

"""The one command runner: a call cannot outlive its time limit (nor can
anything it started), a failure says what the command said, and a missing
kubectl names the fix."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kube.runner import (
    CommandFailedError,
    CommandNotFoundError,
    CommandTimedOutError,
    Runner,
    run_bounded,
    run_json,
)


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for whoever inherited it to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def wait_gone(pid: int) -> bool:
    deadline = time.monotonic() + 5
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


@pytest.mark.parametrize("streamed", [False, True])
def test_a_timed_out_call_takes_what_it_started_with_it(tmp_path: Path, streamed: bool) -> None:
    pid_file = tmp_path / "pid"
    argv = ["/bin/sh", "-c", f"sleep 60 & echo $! > {pid_file}; wait"]
    started = time.monotonic()
    with pytest.raises(CommandTimedOutError, match=r"timed out after 1s: /bin/sh -c"):
        run_bounded(argv, 0.6, on_line=(lambda line: None) if streamed else None)
    assert time.monotonic() - started < 10
    assert wait_gone(int(pid_file.read_text())), "the background sleep outlived the timed-out call"


def test_a_call_that_finishes_returns_its_output() -> None:
    assert run_bounded(["/bin/sh", "-c", "echo out; echo err >&2"], 5) == "out\n"


def test_a_failing_command_fails_with_its_stderr_and_exit_code() -> None:
    with pytest.raises(CommandFailedError, match="boom") as failed:
        run_bounded(["/bin/sh", "-c", "echo boom >&2; exit 3"], 5)
    assert (failed.value.returncode, failed.value.stderr) == (3, "boom\n")


def test_streamed_lines_arrive_as_they_come_and_the_output_is_kept() -> None:
    seen: list[tuple[str, float]] = []
    started = time.monotonic()
    out = run_bounded(
        ["/bin/sh", "-c", "echo one; sleep 0.5; echo two"],
        5,
        on_line=lambda line: seen.append((line, time.monotonic())),
    )
    assert out == "one\ntwo\n"
    assert [line for line, _ in seen] == ["one", "two"]
    assert seen[0][1] - started < 0.4, "the first line was handed over before the command ended"


def test_a_missing_kubectl_names_the_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandNotFoundError, match=r"kubectl is not on PATH: run `make toolchain`, or install kubectl"):
        run_bounded(["kubectl", "version"], 5)


def test_output_that_is_not_json_is_a_failure_naming_the_command() -> None:
    with pytest.raises(CommandFailedError, match="printed no JSON: 'hello"):
        run_json(["/bin/echo", "hello"], 5)


class LessonLikeError(RuntimeError):
    pass


def test_a_runner_reports_a_failed_call_in_its_callers_error_with_the_commands_words() -> None:
    runner = Runner(LessonLikeError, 5)
    assert runner.run(["/bin/echo", "out"]) == "out\n"
    assert runner.json(["/bin/echo", '{"kind": "Pod"}']) == {"kind": "Pod"}
    with pytest.raises(LessonLikeError, match="boom"):
        runner.run(["/bin/sh", "-c", "echo boom >&2; exit 3"])
    with pytest.raises(LessonLikeError, match="JSON"):
        runner.json(["/bin/echo", "hello"])

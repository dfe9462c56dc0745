"""LocalCommand's provider: runs argv without a shell, fails loudly."""

from __future__ import annotations

import sys

import pytest

from components.local_command import LocalCommandProvider, changed_inputs, run_command


def props(*argv: str, timeout: int = 10) -> dict[str, object]:
    return {"command": list(argv), "triggers": {}, "timeout_seconds": timeout, "working_dir": ""}


def test_stdout_is_recorded() -> None:
    assert run_command(props("echo", "hello; $(id)"))["stdout"] == "hello; $(id)\n"


def test_non_zero_exit_fails_with_the_stderr_tail() -> None:
    with pytest.raises(RuntimeError, match=r"exit code 3: .*\nboom"):
        run_command(props(sys.executable, "-c", "import sys; sys.stderr.write('boom\\n'); sys.exit(3)"))


def test_a_command_past_its_timeout_fails() -> None:
    with pytest.raises(RuntimeError, match="timed out after 1s"):
        run_command(props("sleep", "5", timeout=1))


def test_a_missing_program_names_the_fix() -> None:
    with pytest.raises(RuntimeError, match="not on PATH: run `make toolchain`"):
        run_command(props("no-such-kubectl-here"))


def test_working_dir_is_honoured(tmp_path: object) -> None:
    out = run_command({**props("pwd"), "working_dir": str(tmp_path)})
    assert out["stdout"].strip() == str(tmp_path)


def test_only_input_changes_rerun_the_command() -> None:
    old = {**props("echo", "a"), "stdout": "a\n", "duration_seconds": 0.1}
    assert changed_inputs(old, props("echo", "a")) == []
    assert changed_inputs(old, props("echo", "b")) == ["command"]
    assert changed_inputs(old, {**props("echo", "a"), "triggers": {"run_id": "2"}}) == ["triggers"]


def test_diff_reports_an_update_never_a_replace() -> None:
    diff = LocalCommandProvider().diff("id", props("echo", "a"), props("echo", "b"))
    assert diff.changes is True and diff.replaces == []

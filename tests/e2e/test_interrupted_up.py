"""An `up` interrupted mid-rollout, as a learner would interrupt it, is
repaired by the next `make up` with no step by hand.

Killed outright (SIGKILL to the whole session of `make up` while the rollout
gate waits), Pulumi leaves the stack locked and operations pending: the next
`make up` clears the dead process's lock, refreshes the pending operations
away, and ends converged. Stopped with Ctrl-C (SIGINT to the session), the
`up` ends cleanly by itself: no lock is left behind, and the next `make up`
converges too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from labstack import recover
from labstack.automation import LabStack
from tests.e2e.rollout_state import deployment_rollout_problems, statefulset_rollout_problems

pytestmark = pytest.mark.e2e
OLD_IMAGE, NEW_IMAGE = "registry.k8s.io/nginx-slim:0.24", "registry.k8s.io/nginx-slim:0.21"
PENDING_WARNING = "pending operations from previous deployment"
MAKE_UP_SECONDS = 600


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"gave up after {seconds:.0f} s waiting for {what}")


def command_lines() -> dict[int, list[str]]:
    lines = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                lines[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            except OSError:
                continue
    return lines


def statefulset_gate_waiting(namespace: str) -> bool:
    """A rollout gate of this namespace's StatefulSet is running."""
    return any(
        "gates" in argv and "rollout" in argv and any(f'"namespace": "{namespace}"' in a for a in argv)
        and any('"kind": "statefulset"' in a for a in argv)
        for argv in command_lines().values()
    )  # fmt: skip


def session_members(session: int) -> list[int]:
    members = []
    for pid in command_lines():
        try:
            if os.getsid(pid) == session:
                members.append(pid)
        except OSError:
            continue
    return members


def start_make_up(stack: LabStack, log: Path, *settings: str) -> subprocess.Popen[bytes]:
    """`make up` of the stack in its workspace, as a learner starts it in a terminal: its own session."""
    env = {**os.environ, **(stack.stack.workspace.env_vars or {})}
    argv = ["make", "--no-print-directory", "up", f"STACK={stack.name}", f"SET={' '.join(settings)}"]
    with log.open("wb") as out:
        return subprocess.Popen(
            argv, cwd=stack.stack.workspace.work_dir, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def make_up(stack: LabStack, log: Path, *settings: str) -> str:
    process = start_make_up(stack, log, *settings)
    code = process.wait(timeout=MAKE_UP_SECONDS)
    output = log.read_text()
    assert code == 0, f"make up failed after the interruption:\n{output}"
    return output


def locks_of(stack: LabStack) -> list[recover.StackLock]:
    root = recover.backend_root((stack.stack.workspace.env_vars or {}).get("PULUMI_BACKEND_URL", ""))
    assert root is not None, "the suite's backend is a file backend"
    return recover.stack_locks(root, stack.name)


def pending_in(stack: LabStack) -> list[dict[str, object]]:
    return recover.pending_operations({"deployment": stack.stack.export_stack().deployment})


def interrupt_mid_rollout(stack: LabStack, namespace: str, log: Path, sig: signal.Signals) -> int:
    """Starts `make up` of a new image, sends `sig` to its whole session the moment the
    StatefulSet's rollout gate waits, and returns make's exit code once every process of it ended."""
    process = start_make_up(stack, log, f"image={NEW_IMAGE}")
    try:
        wait_for(
            lambda: statefulset_gate_waiting(namespace) or process.poll() is not None,
            300,
            "the StatefulSet's rollout gate to wait",
        )
    except AssertionError:
        process.kill()
        raise
    if process.poll() is not None:
        raise AssertionError(f"make up ended before its rollout gate waited:\n{log.read_text()}")
    for pid in session_members(process.pid):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            continue
    code = process.wait(timeout=300)
    wait_for(lambda: not session_members(process.pid), 120, "every process of the interrupted up to end")
    return code


def assert_converged(stack: LabStack, namespace: str, output: str) -> None:
    problems = statefulset_rollout_problems(namespace, NEW_IMAGE) + deployment_rollout_problems(namespace, NEW_IMAGE)
    assert not problems, f"the next make up did not converge: {problems}\n{output}"
    assert pending_in(stack) == [], "pending operations are left in the state"
    assert locks_of(stack) == [], "a lock is left behind"
    assert PENDING_WARNING not in output, f"the up still warned about pending operations:\n{output}"


def rolled_out_stack(scenario_stack: Callable[..., LabStack], name: str) -> tuple[LabStack, str]:
    """A stack of 3 replicas on the old image (probes off: the rollout is the point), and its namespace."""
    stack = scenario_stack(name, replicas="3", probes="false", image=OLD_IMAGE)
    stack.up("3 replicas")
    return stack, stack.stack.get_config("statefulset-lab:namespace").value


def test_an_up_killed_mid_rollout_is_repaired_by_the_next_make_up(
    scenario_stack: Callable[..., LabStack], tmp_path: Path
) -> None:
    stack, namespace = rolled_out_stack(scenario_stack, "recover-kill")
    code = interrupt_mid_rollout(stack, namespace, tmp_path / "killed.log", signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert [lock.hostname for lock in locks_of(stack)], "a killed up leaves its lock (what the next up trips on)"

    output = make_up(stack, tmp_path / "next.log", f"image={NEW_IMAGE}")
    assert f"recover: cleared the lock of stack {stack.name}" in output, output
    assert_converged(stack, namespace, output)


def test_an_up_stopped_with_ctrl_c_mid_rollout_ends_cleanly_and_the_next_make_up_converges(
    scenario_stack: Callable[..., LabStack], tmp_path: Path
) -> None:
    stack, namespace = rolled_out_stack(scenario_stack, "recover-sigint")
    code = interrupt_mid_rollout(stack, namespace, tmp_path / "interrupted.log", signal.SIGINT)
    interrupted = (tmp_path / "interrupted.log").read_text()
    assert code != 0, f"make up carried on through Ctrl-C:\n{interrupted}"
    assert locks_of(stack) == [], f"Ctrl-C left the stack locked:\n{interrupted}"

    output = make_up(stack, tmp_path / "next.log", f"image={NEW_IMAGE}")
    assert "recover: cleared the lock" not in output, output
    assert_converged(stack, namespace, output)

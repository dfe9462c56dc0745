"""The commands `pulumi up` runs through local.Command: every value one
argument whatever it holds, kubectl flags in `--flag=value` form, and inputs
that do not move with the checkout or the virtualenv."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from components.local_commands import gate_command, kubectl_environment, project_python, shell_line
from components.verification_probes import VerificationProbesArgs, cleanup_argv, observe_argv
from gates.rollout_wait import RolloutSpec
from kube.names import LabNames
from kube.target import KubectlTarget, kubectl
from plan.settings import LabSettings, ProbeSettings
from tests.unit.program_harness import ROOT, run_program

HOSTILE = [
    "lab; touch /tmp/pwned",
    "$(touch /tmp/pwned)",
    "`touch /tmp/pwned`",
    'it\'s "quoted"',
    "two\nlines",
    "-leading-dash",
    "--kubeconfig=/etc/shadow",
    "*",
    "a\\b",
    "",
]


def probe_args(settings: LabSettings, target: KubectlTarget) -> VerificationProbesArgs:
    return VerificationProbesArgs(
        settings=settings,
        names=LabNames(),
        kubectl=target,
        triggers=[],
    )


def argv_as_the_shell_passes_it(line: str, tmp_path: Path) -> list[str]:
    """Runs `line` with /bin/sh -c, as local.Command does, with its program
    (whatever the first word is) replaced by one that prints its argv."""
    printer = tmp_path / "print-argv"
    printer.write_text(f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    printer.chmod(0o755)
    first, _, rest = line.partition(" ")
    assert shlex.split(first) == [shlex.split(line)[0]], "the program itself needs no quoting"
    done = subprocess.run(
        ["/bin/sh", "-c", f"{shlex.quote(str(printer))} {rest}"], capture_output=True, text=True, check=True
    )
    return [shlex.split(line)[0], *json.loads(done.stdout)]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_in_every_probe_key_reach_the_probes_as_single_arguments(value: str, tmp_path: Path) -> None:
    settings = LabSettings(
        namespace=value,
        image=value,
        probes=ProbeSettings(dns_image=value, run_id=value, fail_on_failed_check=True),
    )
    target = KubectlTarget(namespace=value, context=value, kubeconfig=value)
    argv = observe_argv(probe_args(settings, target))
    assert argv_as_the_shell_passes_it(shell_line(argv), tmp_path) == argv
    assert not value or f"--context={value}" in argv
    expect = json.loads(next(a for a in argv if a.startswith("--expect=")).removeprefix("--expect="))
    assert expect["namespace"] == expect["image"] == expect["dns_image"] == value


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_reach_the_rollout_gate_as_one_json_argument(value: str, tmp_path: Path) -> None:
    spec = RolloutSpec(kind="statefulset", name="web-sts", namespace=value, selector=f"app={value}", context=value)
    argv = argv_as_the_shell_passes_it(gate_command("rollout", spec.to_json()), tmp_path)
    assert argv[1:4] == ["-m", "gates", "rollout"] and len(argv) == 5
    assert json.loads(argv[4])["namespace"] == value and json.loads(argv[4])["context"] == value


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_reach_the_cleanup_kubectl_as_single_arguments(value: str, tmp_path: Path) -> None:
    argv = cleanup_argv(KubectlTarget(namespace=value, context=value, kubeconfig=value))
    assert argv_as_the_shell_passes_it(shell_line(argv), tmp_path) == argv
    if value:
        assert {f"--namespace={value}", f"--context={value}", f"--kubeconfig={value}"} <= set(argv)


def test_kubectl_flags_carry_their_values_in_one_argument() -> None:
    target = KubectlTarget(namespace="-n", kubeconfig="-k", context="--context", request_timeout_seconds=15)
    assert kubectl(target, "get", "pods") == [
        "kubectl", "--kubeconfig=-k", "--context=--context", "--namespace=-n",
        "--request-timeout=15s", "get", "pods"]  # fmt: skip


def test_empty_kubeconfig_and_context_leave_kubectl_defaults() -> None:
    assert kubectl(KubectlTarget(namespace="default"), "version") == [
        "kubectl", "--namespace=default", "--request-timeout=30s", "version"]  # fmt: skip
    assert kubectl_environment(KubectlTarget(namespace="default")) == {}


def test_the_kubeconfig_travels_in_the_environment() -> None:
    assert kubectl_environment(KubectlTarget(namespace="default", kubeconfig="/k/it's")) == {"KUBECONFIG": "/k/it's"}


def test_the_probe_python_is_named_relative_to_the_project() -> None:
    assert project_python("/home/a/lab/.venv/bin/python", Path("/home/a/lab")) == ".venv/bin/python"
    assert project_python("/opt/py/bin/python3", Path("/home/a/lab")) == "/opt/py/bin/python3"


def test_moving_the_checkout_or_rebuilding_the_venv_changes_no_command_input() -> None:
    here = project_python("/srv/one/statefulset-lab/.venv/bin/python", Path("/srv/one/statefulset-lab"))
    moved = project_python("/home/b/copy/.venv/bin/python", Path("/home/b/copy"))
    assert here == moved
    run = run_program({"probeStableStorage": "true"})
    for command in run.all("command:local:Command"):
        text = json.dumps(command.inputs)
        assert str(ROOT) not in text, f"{command.name} carries the checkout's path: {text}"


def test_the_probe_run_is_quiet_and_cleans_up_its_dns_pods() -> None:
    probe = run_program({"namespace": "lab-a"}).one("command:local:Command", "probes-observe")
    assert probe.inputs["logging"] == "stderr"
    assert probe.inputs["addPreviousOutputInEnv"] is False
    delete = shlex.split(probe.inputs["delete"])
    assert delete[:3] == ["kubectl", "--namespace=lab-a", "--request-timeout=30s"]
    assert delete[3:] == [
        "delete",
        "pod",
        "--selector=statefulset-lab/probe=dns",
        "--ignore-not-found",
        "--wait=false",
    ]


def test_probe_command_asks_to_fail_only_when_configured() -> None:
    target = KubectlTarget(namespace="default")
    assert "--fail-on-failed-check" not in observe_argv(probe_args(LabSettings(), target))
    failing = LabSettings(probes=ProbeSettings(fail_on_failed_check=True))
    assert observe_argv(probe_args(failing, target))[-1] == "--fail-on-failed-check"

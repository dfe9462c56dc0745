"""kubectl argv builders and the in-pod DNS script: timeouts, quoting and
`--flag=value` for every probe flag that takes a value."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

from kube.names import LabNames
from kube.target import KubectlTarget, display, kubectl
from probes import commands as cmd
from probes.dns_plan import dashed_ip

HOSTILE = "lab; touch /tmp/pwned-$(id -u)"
T = KubectlTarget(namespace="lab")
SHARED_VALUE_FLAGS = ("--kubeconfig", "--context", "--namespace")
# kubectl flags of the probes that take no value.
BOOLEAN_FLAGS = {"--ignore-not-found", "--command"}


def joined(argv: list[str]) -> list[str]:
    """argv with the shared builder's `--flag value` pairs written `--flag=value`,
    so these tests hold for either spelling of components/kubectl.py."""
    out: list[str] = []
    args = iter(argv)
    for arg in args:
        out.append(f"{arg}={next(args)}" if arg in SHARED_VALUE_FLAGS else arg)
    return out


def probe_flags(argv: list[str], namespaced: bool = True) -> list[str]:
    """The part of a probe argv after the shared prefix and before `--`."""
    prefix = kubectl(T, namespaced=namespaced)
    assert argv[: len(prefix)] == prefix
    tail = argv[len(prefix) :]
    return tail[: tail.index("--")] if "--" in tail else tail


def test_every_call_names_its_cluster_namespace_and_timeout() -> None:
    target = KubectlTarget(namespace="lab", kubeconfig="/k/config", context="kind-kind", request_timeout_seconds=15)
    assert joined(kubectl(target, "get", "pods")) == [
        "kubectl", "--kubeconfig=/k/config", "--context=kind-kind", "--namespace=lab",
        "--request-timeout=15s", "get", "pods"]  # fmt: skip


def test_empty_kubeconfig_and_context_leave_kubectl_defaults() -> None:
    assert joined(kubectl(KubectlTarget(namespace="default"), "version")) == [
        "kubectl", "--namespace=default", "--request-timeout=30s", "version"]  # fmt: skip


def test_cluster_scoped_calls_carry_no_namespace() -> None:
    for argv in (cmd.volumes(T), cmd.nodes(T)):
        assert not any(a.startswith("--namespace") for a in argv)


def test_every_probe_flag_with_a_value_is_written_flag_equals_value() -> None:
    """A value that starts with `-` must arrive as the flag's value, never as a flag of its own."""
    namespaced = [
        cmd.pods_of(T, "nginx-sts"),
        cmd.statefulset(T, "web-sts"),
        cmd.deployment(T, "web-dep"),
        cmd.services(T),
        cmd.claims(T),
        cmd.events(T),
        cmd.hostname(T, "web-sts-0", "nginx"),
        cmd.write_hostname_page(T, "web-sts-0", LabNames()),
        cmd.read_page(T, "web-sts-0", "nginx"),
        cmd.delete_pods(T, "nginx-sts", 60),
        cmd.start_dns_pod(T, "probe-dns-ab12", "busybox:1.28", "ab12", 420),
        cmd.wait_ready(T, "probe-dns-ab12", 30),
        cmd.delete_pod_now(T, "probe-dns-ab12"),
        cmd.delete_dns_probe_pods(T),
        cmd.exec_dns(T, "probe-dns-ab12", ["kubernetes.default"]),
    ]
    flags = [a for argv in namespaced for a in probe_flags(argv) if a.startswith("-")]
    flags += [a for argv in (cmd.volumes(T), cmd.nodes(T)) for a in probe_flags(argv, False) if a.startswith("-")]
    assert flags, "the probes pass flags"
    assert [f for f in flags if "=" not in f and f not in BOOLEAN_FLAGS] == []
    assert not [f for f in flags if not f.startswith("--")], "no short flags"


def test_a_value_starting_with_a_dash_stays_a_value() -> None:
    assert "--selector=app=-rf" in cmd.pods_of(T, "-rf")
    assert "--selector=app=--all" in cmd.delete_pods(T, "--all", 60)
    assert "--container=-x" in cmd.exec_in(T, "web-sts-0", "-x", "true")


def test_hostile_values_stay_single_arguments_and_are_quoted_for_display() -> None:
    argv = cmd.pods_of(KubectlTarget(namespace=HOSTILE), HOSTILE)
    assert f"--namespace={HOSTILE}" in joined(argv)
    assert f"--selector=app={HOSTILE}" in argv
    assert shlex.split(display(argv)) == argv


def test_waits_and_deletes_have_timeouts() -> None:
    assert "--timeout=60s" in cmd.delete_pods(T, "nginx-sts", 60)
    assert "--timeout=30s" in cmd.wait_ready(T, "probe-dns-1", 30)
    assert any(a.startswith("--request-timeout=") for a in cmd.hostname(T, "p", "nginx"))


def test_dns_pod_is_labelled_with_its_run_never_pulls_and_has_a_deadline() -> None:
    argv = cmd.start_dns_pod(T, "probe-dns-ab12", "docker.io/library/busybox:1.28", "ab12", 420)
    assert "--image-pull-policy=IfNotPresent" in argv and "--restart=Never" in argv
    assert "--labels=statefulset-lab/probe=dns,statefulset-lab/probe-run=ab12" in argv
    (overrides,) = [a for a in argv if a.startswith("--overrides=")]
    assert json.loads(overrides.removeprefix("--overrides=")) == {
        "apiVersion": "v1",
        "spec": {"activeDeadlineSeconds": 420, "terminationGracePeriodSeconds": 1},
    }
    assert argv[-3:] == ["--", "sleep", "420"]


def test_dns_pod_deadline_covers_start_settling_and_one_more_exec() -> None:
    assert cmd.dns_pod_deadline_seconds(180, 45) == 405


def test_every_dns_probe_pod_of_the_namespace_can_be_deleted_at_once() -> None:
    assert probe_flags(cmd.delete_dns_probe_pods(T)) == [
        "delete", "pod", "--selector=statefulset-lab/probe=dns", "--ignore-not-found", "--wait=false"]  # fmt: skip


def test_deployment_services_and_nodes_are_fetched_as_json() -> None:
    found = ["get", "deployments", "--field-selector=metadata.name=web-dep", "--output=json"]
    assert probe_flags(cmd.deployment(T, "web-dep")) == found, "a missing Deployment is an empty list, not an error"
    assert probe_flags(cmd.services(T)) == ["get", "services", "--output=json"]
    assert probe_flags(cmd.nodes(T), namespaced=False) == ["get", "nodes", "--output=json"]


def test_dns_script_runs_each_query_literally(tmp_path: Path) -> None:
    """Runs the script with a stand-in nslookup: a query full of shell syntax
    must arrive as one literal argument and execute nothing."""
    marker = tmp_path / "pwned"
    fake = tmp_path / "nslookup"
    fake.write_text(
        '#!/bin/sh\necho "Name: $1"\n[ "$1" = ok.nginx-sts ] && echo "Address 1: 10.0.0.7" && exit 0\nexit 1\n'
    )
    fake.chmod(0o755)
    queries = ["ok.nginx-sts", f"x$(touch {marker}).nginx-dep", f"y; touch {marker}"]
    out = subprocess.run(
        ["sh", "-c", cmd.dns_script(queries).replace("/bin/nslookup", str(fake))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert not marker.exists()
    assert f"@@@ query x$(touch {marker}).nginx-dep" in out
    assert out.count("@@@ exit 1") == 2 and out.count("@@@ exit 0") == 1


def test_dashed_ip_is_the_record_label_of_a_pod_ip() -> None:
    assert dashed_ip("10.244.0.17") == "10-244-0-17"

"""kubectl argv builders and the in-pod DNS script: timeouts and quoting."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from components.kubectl import KubectlTarget, display
from probes import commands as cmd

HOSTILE = "lab; touch /tmp/pwned-$(id -u)"


def test_cluster_scoped_calls_carry_no_namespace() -> None:
    assert "--namespace" not in cmd.volumes(KubectlTarget(namespace="lab"))


def test_hostile_values_stay_single_arguments_and_are_quoted_for_display() -> None:
    argv = cmd.pods_of(KubectlTarget(namespace=HOSTILE), HOSTILE)
    assert f"--namespace={HOSTILE}" in argv and f"app={HOSTILE}" in argv
    assert shlex.split(display(argv)) == argv


def test_waits_and_deletes_have_timeouts() -> None:
    t = KubectlTarget(namespace="lab")
    assert "--timeout=60s" in cmd.delete_pods(t, "nginx-sts", 60)
    assert "--timeout=30s" in cmd.wait_ready(t, "probe-dns-1", 30)
    assert cmd.hostname(t, "p")[2].startswith("--request-timeout=")


def test_dns_pod_is_labelled_and_never_pulls() -> None:
    argv = cmd.start_dns_pod(KubectlTarget(namespace="lab"), "probe-dns-ab12", "docker.io/library/busybox:1.28")
    assert "--image-pull-policy=IfNotPresent" in argv and "--restart=Never" in argv
    assert "--labels=statefulset-lab/probe=dns" in argv
    assert argv[-3:] == ["--", "sleep", "600"]


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
    assert cmd.dashed_ip("10.244.0.17") == "10-244-0-17"

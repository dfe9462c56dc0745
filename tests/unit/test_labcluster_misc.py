"""Small pure parts: versions, kubeconfigs, pid files, mount paths, image keys."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import yaml

from labcluster import topology
from labcluster.images import bundle_key
from labcluster.kubeconfig import render_kubeconfig
from labcluster.memory import is_shim_of
from labcluster.mounts import _unescape
from labcluster.processes import DaemonLaunch, running_pid, start_daemon, stop_daemon, tail
from labcluster.versions import parse_versions


def test_versions_file_lines_are_parsed_and_comments_ignored() -> None:
    text = "# comment\nKUBERNETES_VERSION=v1.34.4\nCOREDNS_VERSION=v1.12.4  # pinned\n\nlower=x\n"
    assert parse_versions(text) == {"KUBERNETES_VERSION": "v1.34.4", "COREDNS_VERSION": "v1.12.4"}


def test_kubeconfig_is_yaml_with_the_lab_context_and_embedded_certificates() -> None:
    text = render_kubeconfig(
        server=topology.APISERVER_URL, ca_pem=b"CA", user="me", client_cert_pem=b"CERT", client_key_pem=b"KEY"
    )
    config = yaml.safe_load(text)
    assert config["current-context"] == topology.CONTEXT_NAME
    assert config["clusters"][0]["cluster"]["server"] == "https://10.240.0.1:6443"
    assert base64.b64decode(config["users"][0]["user"]["client-key-data"]) == b"KEY"


def test_image_bundle_key_depends_on_names_and_inputs() -> None:
    key = bundle_key("b", ("x:1",), {"bin": "aa"})
    assert key == bundle_key("b", ("x:1",), {"bin": "aa"})
    assert key != bundle_key("b", ("x:2",), {"bin": "aa"})
    assert key != bundle_key("b", ("x:1",), {"bin": "ab"})


def test_a_shim_is_told_by_its_program_name_and_its_containerds_socket() -> None:
    socket = Path("/run/statefulset-lab/containerd/containerd.sock")
    shim = "/root/.cache/statefulset-lab/toolchain/containerd-v2.4.2/containerd-shim-runc-v2"
    args = f"{shim}\0-namespace\0k8s.io\0-id\0abc\0-address\0{socket}\0".encode()
    assert is_shim_of(args, socket)
    assert not is_shim_of(args, Path("/run/statefulset-lab/nodes/lab-worker-0/containerd/containerd.sock"))
    assert not is_shim_of(f"/usr/bin/sleep\0-address\0{socket}\0".encode(), socket)


def test_mountinfo_escapes_are_decoded() -> None:
    assert _unescape("/var/lib/with\\040space") == "/var/lib/with space"


def test_a_daemon_is_tracked_by_its_pid_file_and_stopped(tmp_path: Path) -> None:
    launch = DaemonLaunch(
        name="sleeper",
        argv=[sys.executable, "-c", "import time; print('hello', flush=True); time.sleep(60)"],
        env={},
        log_file=tmp_path / "logs" / "sleeper.log",
        pid_file=tmp_path / "pids" / "sleeper.pid",
        cwd=tmp_path,
        fingerprint="f",
    )
    child = start_daemon(launch)
    try:
        assert running_pid(launch.pid_file) == child.pid
        assert stop_daemon(launch.pid_file, timeout=5)
        child.wait(5)
        assert running_pid(launch.pid_file) is None
        assert "starting sleeper" in tail(launch.log_file)
    finally:
        if child.poll() is None:
            child.kill()


def test_a_recycled_pid_is_not_mistaken_for_the_daemon(tmp_path: Path) -> None:
    other = subprocess.Popen(["sleep", "30"])
    try:
        pid_file = tmp_path / "x.pid"
        pid_file.write_text(f'{{"pid": {other.pid}, "start_ticks": 1, "argv": [], "fingerprint": ""}}')
        assert running_pid(pid_file) is None
    finally:
        other.kill()
        other.wait()

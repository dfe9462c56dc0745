"""The probes' exec client: which kubeconfigs it honours (and which it leaves
to kubectl), its request, and how it reads the stream's frames and status."""

from __future__ import annotations

import base64
import io
import json
import struct
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from kube.api_access import ApiAccess, api_access
from probes.pod_exec import (
    PodExecError,
    _collect,
    exec_path,
    exit_code,
    read_frame,
    upgrade_request,
)


@pytest.fixture(scope="module")
def pem(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A self-signed certificate and its key, as a cluster CA and a client identity."""
    d = tmp_path_factory.mktemp("pki")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"), "-subj", "/CN=test", "-days", "1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return {"cert": (d / "cert.pem").read_bytes(), "key": (d / "key.pem").read_bytes()}


def kubeconfig(
    tmp_path: Path, name: str, cluster: Mapping[str, object], user: Mapping[str, object], current: str = "lab"
) -> str:
    path = tmp_path / name
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "c", "cluster": dict(cluster)}],
                "users": [{"name": "u", "user": dict(user)}],
                "contexts": [{"name": "lab", "context": {"cluster": "c", "user": "u"}}],
                "current-context": current,
            }
        )
    )
    return str(path)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_client_certificates_given_inline_are_honoured(tmp_path: Path, pem: dict[str, bytes]) -> None:
    cluster = {"server": "https://10.240.0.1:6443", "certificate-authority-data": b64(pem["cert"])}
    user = {"client-certificate-data": b64(pem["cert"]), "client-key-data": b64(pem["key"])}
    access = api_access([kubeconfig(tmp_path, "k", cluster, user)])
    assert access is not None and (access.host, access.port, access.token) == ("10.240.0.1", 6443, "")


def test_a_token_from_a_file_relative_to_the_kubeconfig_is_honoured(tmp_path: Path, pem: dict[str, bytes]) -> None:
    (tmp_path / "ca.crt").write_bytes(pem["cert"])
    (tmp_path / "token").write_text("abc.def\n")
    config = kubeconfig(
        tmp_path, "k", {"server": "https://api.lab:8443", "certificate-authority": "ca.crt"}, {"tokenFile": "token"}
    )
    access = api_access([config])
    assert access is not None and access.token == "abc.def" and access.port == 8443


@pytest.mark.parametrize(
    ("cluster", "user"),
    [
        ({"server": "https://a:6443"}, {"exec": {"command": "aws"}}),
        ({"server": "https://a:6443"}, {"auth-provider": {"name": "gcp"}}),
        ({"server": "https://a:6443", "proxy-url": "http://proxy:3128"}, {"token": "t"}),
        ({"server": "http://a:8080"}, {"token": "t"}),
    ],
    ids=["exec plugin", "auth provider", "proxy", "plain http"],
)
def test_what_only_kubectl_implements_is_left_to_kubectl(
    tmp_path: Path, cluster: dict[str, object], user: dict[str, object]
) -> None:
    assert api_access([kubeconfig(tmp_path, "k", {**cluster, "insecure-skip-tls-verify": True}, user)]) is None


def test_files_merge_as_kubectl_merges_them(tmp_path: Path) -> None:
    first = kubeconfig(
        tmp_path, "a", {"server": "https://first:6443", "insecure-skip-tls-verify": True}, {"token": "one"}, current=""
    )
    second = kubeconfig(
        tmp_path, "b", {"server": "https://second:6443", "insecure-skip-tls-verify": True}, {"token": "two"}
    )
    access = api_access([first, second])
    assert access is not None and (access.host, access.token) == ("first", "one")
    assert api_access([first, second], context="missing") is None


def test_the_upgrade_request_asks_for_the_v4_stream_and_sends_the_token() -> None:
    access = ApiAccess("h", 6443, None, "h", token="t")  # type: ignore[arg-type]
    request = upgrade_request(access, exec_path("lab", "web-sts-0", "nginx", ["hostname"]), "key").decode()
    first, *headers = request.split("\r\n")
    path = "/api/v1/namespaces/lab/pods/web-sts-0/exec?container=nginx&stdout=true&stderr=true&command=hostname"
    assert first == f"GET {path} HTTP/1.1"
    assert {"Upgrade: websocket", "Sec-WebSocket-Protocol: v4.channel.k8s.io", "Authorization: Bearer t"} <= set(
        headers
    )
    assert request.endswith("\r\n\r\n")


def frame(opcode: int, payload: bytes) -> bytes:
    head = bytes([0x80 | opcode])
    if len(payload) < 126:
        return head + bytes([len(payload)]) + payload
    return head + bytes([126]) + struct.pack("!H", len(payload)) + payload


def test_frames_are_read_with_short_and_long_lengths() -> None:
    big = b"\x01" + b"x" * 300
    stream = io.BytesIO(frame(2, b"\x01web-sts-0\n") + frame(2, big))
    assert read_frame(stream) == (2, b"\x01web-sts-0\n")
    assert read_frame(stream) == (2, big)


def test_stdout_stderr_and_the_exit_code_are_collected() -> None:
    status = {"metadata": {}, "status": "Failure", "reason": "NonZeroExitCode",
              "details": {"causes": [{"reason": "ExitCode", "message": "3"}]}}  # fmt: skip
    stream = io.BytesIO(
        frame(2, b"\x01")
        + frame(2, b"\x01out\n")
        + frame(2, b"\x02err\n")
        + frame(2, b"\x03" + json.dumps(status).encode())
    )
    assert _collect(stream) == (3, "out\n", "err\n")


def test_a_stream_that_ends_before_its_status_is_an_error() -> None:
    with pytest.raises(PodExecError, match="ended early"):
        _collect(io.BytesIO(frame(2, b"\x01out\n")))


def test_success_is_exit_zero_and_any_other_failure_is_an_error() -> None:
    assert exit_code({"status": "Success"}) == 0
    with pytest.raises(PodExecError, match="container not found"):
        exit_code({"status": "Failure", "message": "container not found"})

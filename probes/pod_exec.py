"""Runs a command in a pod through the Kubernetes API, without a kubectl process.

The probes run `hostname` in every pod. Measured on the lab cluster, one
`kubectl exec` costs about 0.12 s of CPU, half of it starting kubectl itself
(a Go program that reads its config and asks for the pod first); at 100
replicas of each workload that half alone is ten seconds. This client opens
the exec stream itself: one HTTPS request upgraded to a WebSocket
(`v4.channel.k8s.io`: frames of stdout, stderr and a final status), from
threads of this one process.

The server and credentials come from kube.api_access, which honours only the
kubeconfigs it can exactly; for any other, the caller uses kubectl.
"""

from __future__ import annotations

import base64
import json
import secrets
import socket
import ssl
import struct
import urllib.parse
from typing import Any

from kube.api_access import ApiAccess

CHANNEL_STDOUT, CHANNEL_STDERR, CHANNEL_STATUS = 1, 2, 3
OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG = 8, 9, 10


class PodExecError(RuntimeError):
    """The exec could not be run (connection, TLS, refused upgrade)."""


def exec_path(namespace: str, pod: str, container: str, command: list[str]) -> str:
    query = [("container", container), ("stdout", "true"), ("stderr", "true")]
    query += [("command", part) for part in command]
    quoted = urllib.parse.quote
    return f"/api/v1/namespaces/{quoted(namespace)}/pods/{quoted(pod)}/exec?{urllib.parse.urlencode(query)}"


def upgrade_request(access: ApiAccess, path: str, key: str) -> bytes:
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {access.host}:{access.port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: v4.channel.k8s.io",
    ]
    if access.token:
        lines.append(f"Authorization: Bearer {access.token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_frame(stream: Any) -> tuple[int, bytes]:
    """(opcode, payload) of the next frame a server sends (unmasked)."""
    head = _read_exactly(stream, 2)
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if length == 126:
        length = struct.unpack("!H", _read_exactly(stream, 2))[0]
    elif length == 127:
        length = struct.unpack("!Q", _read_exactly(stream, 8))[0]
    mask = _read_exactly(stream, 4) if head[1] & 0x80 else b""
    payload = _read_exactly(stream, length)
    if mask:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return opcode, payload


def _read_exactly(stream: Any, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise PodExecError("the exec stream ended early")
    return bytes(data)


def exit_code(status: dict[str, Any]) -> int:
    """The command's exit code from the stream's final Status object."""
    if status.get("status") == "Success":
        return 0
    for cause in (status.get("details") or {}).get("causes") or []:
        if cause.get("reason") == "ExitCode":
            return int(cause.get("message", "1"))
    raise PodExecError(f"exec failed: {status.get('message', status)}")


def run_in_pod(
    access: ApiAccess, namespace: str, pod: str, container: str, command: list[str], timeout: float
) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `command` in the pod's container."""
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    try:
        raw = socket.create_connection((access.host, access.port), timeout=timeout)
        with access.tls.wrap_socket(raw, server_hostname=access.server_name) as conn:
            conn.sendall(upgrade_request(access, exec_path(namespace, pod, container, command), key))
            stream = conn.makefile("rb")
            status_line = stream.readline().decode(errors="replace").strip()
            headers = []
            while (line := stream.readline()) not in (b"\r\n", b"\n", b""):
                headers.append(line)
            if " 101 " not in f"{status_line} ":
                # The server keeps the connection open: read only the body it announced.
                length = next(
                    (int(h.split(b":", 1)[1]) for h in headers if h.lower().startswith(b"content-length:")), 0
                )
                body = stream.read(min(length, 2000)).decode(errors="replace")
                raise PodExecError(f"exec in {namespace}/{pod} refused: {status_line} {body}".strip())
            return _collect(stream)
    except (OSError, ssl.SSLError) as err:
        raise PodExecError(f"exec in {namespace}/{pod}: {err}") from err


def _collect(stream: Any) -> tuple[int, str, str]:
    out, err, status = bytearray(), bytearray(), None
    while True:
        try:
            opcode, payload = read_frame(stream)
        except PodExecError:
            if status is None:
                raise
            break  # the server may close without a close frame once the status is sent
        if opcode == OPCODE_CLOSE:
            break
        if opcode in (OPCODE_PING, OPCODE_PONG) or not payload:
            continue
        channel, data = payload[0], payload[1:]
        if channel == CHANNEL_STDOUT:
            out += data
        elif channel == CHANNEL_STDERR:
            err += data
        elif channel == CHANNEL_STATUS and data:
            status = json.loads(data)
    if status is None:
        raise PodExecError("the exec stream closed without a status")
    return exit_code(status), out.decode(errors="replace"), err.decode(errors="replace")

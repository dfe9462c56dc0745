"""Readiness probes of the daemons (HTTP, HTTPS with the admin certificate, sockets)."""

from __future__ import annotations

import socket
import ssl
import urllib.error
import urllib.request

from .components import Probe
from .paths import LabPaths


def _admin_tls(paths: LabPaths) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(paths.pki / "ca.crt"))
    context.load_cert_chain(str(paths.pki / "admin.crt"), str(paths.pki / "admin.key"))
    return context


def _self_signed_tls() -> ssl.SSLContext:
    # controller-manager and scheduler serve /healthz on loopback with a certificate
    # they generate at start; there is nothing to verify it against.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def check(probe: Probe, paths: LabPaths, timeout: float = 2.0) -> tuple[bool, str]:
    """(ready, what was seen) for one probe."""
    if probe.kind == "unix":
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            try:
                sock.connect(probe.target)
            except OSError as err:
                return False, f"{probe.target}: {err}"
        return True, "socket accepts connections"
    context: ssl.SSLContext | None = None
    if probe.kind == "https-client":
        context = _admin_tls(paths)
    elif probe.kind == "https-local":
        context = _self_signed_tls()
    # No proxy from the environment: every probe targets this machine.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context))
    try:
        with opener.open(probe.target, timeout=timeout) as reply:
            body = reply.read(200).decode(errors="replace").strip()
            return reply.status == 200, f"{reply.status} {body}"
    except urllib.error.HTTPError as err:
        return False, f"{probe.target}: HTTP {err.code}"
    except (OSError, ssl.SSLError) as err:
        return False, f"{probe.target}: {err}"

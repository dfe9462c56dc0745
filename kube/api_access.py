"""How this process reaches the API server itself, without a kubectl process:
the server and credentials of a kubeconfig context, when they are what this
client can honour exactly (a server and CA or insecure-skip-tls-verify, a
client certificate or bearer token, from data or files). Anything else (exec
plugins, auth providers, proxies) gives None, and the caller uses kubectl.
The files are read by kube.kubeconfig, as the settings' checks read them.
"""

from __future__ import annotations

import base64
import os
import ssl
import tempfile
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kube.kubeconfig import LocalKubeconfigs, read_merged

# Fields of a kubeconfig user this client does not implement: kubectl does.
UNSUPPORTED_USER_FIELDS = ("exec", "auth-provider", "username", "password", "as", "impersonate")


@dataclass(frozen=True)
class ApiAccess:
    """How to reach and authenticate to the API server."""

    host: str
    port: int
    tls: ssl.SSLContext
    server_name: str
    token: str = ""


def _pem(entry: dict[str, Any], data_key: str, file_key: str) -> bytes | None:
    """The PEM given inline (`data_key`, base64) or as a file (`file_key`)."""
    if entry.get(data_key):
        return base64.b64decode(entry[data_key])
    if entry.get(file_key):
        return Path(os.path.join(entry["_dir"], str(entry[file_key]))).read_bytes()
    return None


def _load_client_certificate(tls: ssl.SSLContext, cert: bytes, key: bytes) -> None:
    """ssl reads a client certificate only from files: they exist, private to
    this process, for the moment it takes to load them."""
    with tempfile.TemporaryDirectory(prefix="statefulset-lab-exec-") as scratch:
        paths = []
        for name, pem in (("cert.pem", cert), ("key.pem", key)):
            path = Path(scratch) / name
            path.touch(mode=0o600)
            path.write_bytes(pem)
            paths.append(str(path))
        tls.load_cert_chain(paths[0], paths[1])


def api_access(files: list[str], context: str = "") -> ApiAccess | None:
    """The API server of `context` (else the current one) and its credentials,
    or None when the kubeconfig uses what only kubectl implements. Raises
    KubeconfigError (a ValueError) when a file cannot be read or parsed."""
    merged = read_merged(files)
    chosen = merged.contexts.get(context or merged.current_context)
    if not chosen:
        return None
    cluster = merged.clusters.get(str(chosen.get("cluster")))
    user = merged.users.get(str(chosen.get("user")), {"_dir": ""})
    if not cluster or cluster.get("proxy-url") or any(user.get(f) for f in UNSUPPORTED_USER_FIELDS):
        return None
    server = urllib.parse.urlsplit(str(cluster.get("server", "")))
    if server.scheme != "https" or not server.hostname:
        return None
    ca = _pem(cluster, "certificate-authority-data", "certificate-authority")
    tls = ssl.create_default_context(cadata=ca.decode() if ca else None)
    if cluster.get("insecure-skip-tls-verify"):
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE
    cert = _pem(user, "client-certificate-data", "client-certificate")
    key = _pem(user, "client-key-data", "client-key")
    if cert and key:
        _load_client_certificate(tls, cert, key)
    token = str(user.get("token") or "")
    if not token and user.get("tokenFile"):
        token = Path(os.path.join(user["_dir"], str(user["tokenFile"]))).read_text().strip()
    return ApiAccess(
        host=server.hostname,
        port=server.port or 443,
        tls=tls,
        server_name=str(cluster.get("tls-server-name") or server.hostname),
        token=token,
    )


def access_for(kubeconfig: str, context: str) -> ApiAccess | None:
    """The API server and credentials kubectl would use with `--kubeconfig`
    (else $KUBECONFIG or ~/.kube/config) and `--context`, when this process
    can use them too; None otherwise, or when the files cannot be read."""
    files = [kubeconfig] if kubeconfig else list(LocalKubeconfigs().default_files())
    try:
        return api_access(files, context)
    except (OSError, ValueError, ssl.SSLError):
        return None


@lru_cache(maxsize=8)
def shared_access_for(kubeconfig: str, context: str) -> ApiAccess | None:
    """access_for, once per process and kubeconfig: loading the client
    certificate is the costly part, and a probe run needs the same access for
    its listings and its execs. For processes that live one operation long."""
    return access_for(kubeconfig, context)

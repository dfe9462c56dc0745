"""Kubeconfig files with the certificates embedded, rendered as YAML.

Every scalar is written as a JSON string, which is also a valid YAML double-quoted
scalar, so no YAML library is needed and no value can break the document.
"""

from __future__ import annotations

import base64
import json

from . import topology


def _b64(pem: bytes) -> str:
    return base64.b64encode(pem).decode("ascii")


def render_kubeconfig(
    *,
    server: str,
    ca_pem: bytes,
    user: str,
    client_cert_pem: bytes,
    client_key_pem: bytes,
    cluster: str = topology.CLUSTER_NAME,
    context: str = topology.CONTEXT_NAME,
) -> str:
    q = json.dumps
    return "\n".join(
        [
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            f"- name: {q(cluster)}",
            "  cluster:",
            f"    server: {q(server)}",
            f"    certificate-authority-data: {q(_b64(ca_pem))}",
            "users:",
            f"- name: {q(user)}",
            "  user:",
            f"    client-certificate-data: {q(_b64(client_cert_pem))}",
            f"    client-key-data: {q(_b64(client_key_pem))}",
            "contexts:",
            f"- name: {q(context)}",
            "  context:",
            f"    cluster: {q(cluster)}",
            f"    user: {q(user)}",
            f"current-context: {q(context)}",
            "",
        ]
    )

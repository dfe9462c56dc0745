"""The cluster's PKI: which certificates exist (a pure plan) and issuing them with openssl.

Three CAs: the cluster CA signs the apiserver, kubelet and every client identity; a
separate etcd CA signs etcd's certificates, so that no cluster identity can talk
to etcd directly; the front-proxy CA signs the aggregation layer's proxy client.
Each worker has its own kubelet client and serving certificates from the cluster
CA, kept in the worker's own state ($STATE/nodes/<name>/pki), so adding or removing
a worker never touches the control plane's files.
Keys are ECDSA P-256; the service-account signing key is a bare key pair. A
certificate is (re)issued when it is missing, expires within 30 days, or was issued
from another spec or another CA (a `.stamp` file records both).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from . import topology
from .errors import LabError
from .nodes import Node

CA_DAYS = 3650
LEAF_DAYS = 730
RENEW_BEFORE_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class CertSpec:
    """One certificate: its file name, subject, issuer, usages and SANs."""

    name: str
    common_name: str
    issuer: str  # name of the CA spec that signs it; "" for a CA itself
    organizations: tuple[str, ...] = ()
    server: bool = False
    client: bool = False
    dns_names: tuple[str, ...] = ()
    ip_addresses: tuple[str, ...] = ()
    is_ca: bool = False

    def subject(self) -> str:
        parts = [f"/O={org}" for org in self.organizations]
        parts.append(f"/CN={self.common_name}")
        return "".join(parts)

    def openssl_config(self) -> str:
        """A self-contained openssl config whose [v3] section holds the extensions."""
        if self.is_ca:
            extensions = [
                "basicConstraints=critical,CA:TRUE",
                "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
                "subjectKeyIdentifier=hash",
            ]
        else:
            usages = [u for u, on in (("serverAuth", self.server), ("clientAuth", self.client)) if on]
            extensions = [
                "basicConstraints=critical,CA:FALSE",
                "keyUsage=critical,digitalSignature,keyEncipherment",
                f"extendedKeyUsage={','.join(usages)}",
                "subjectKeyIdentifier=hash",
                "authorityKeyIdentifier=keyid,issuer",
            ]
            sans = [f"DNS:{d}" for d in self.dns_names] + [f"IP:{ip}" for ip in self.ip_addresses]
            if sans:
                extensions.append(f"subjectAltName={','.join(sans)}")
        # The empty [dn] section keeps openssl from reading the system config's prompts.
        header = ["[req]", "distinguished_name = dn", "prompt = no", "[dn]", "[v3]"]
        return "\n".join(header + extensions) + "\n"


def cert_plan() -> list[CertSpec]:
    """Every certificate the cluster needs, CAs first."""
    node = topology.NODE_NAME
    api_dns = (
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        f"kubernetes.default.svc.{topology.CLUSTER_DOMAIN}",
        "localhost",
        node,
    )
    return [
        CertSpec("ca", "statefulset-lab-ca", issuer="", is_ca=True),
        CertSpec("etcd-ca", "statefulset-lab-etcd-ca", issuer="", is_ca=True),
        # etcd's gateway dials etcd itself with the server certificate: it needs both usages.
        CertSpec(
            "etcd-server",
            "lab-etcd",
            issuer="etcd-ca",
            server=True,
            client=True,
            dns_names=("localhost",),
            ip_addresses=(topology.LOOPBACK,),
        ),
        CertSpec("apiserver-etcd-client", "kube-apiserver-etcd-client", "etcd-ca", client=True),
        CertSpec(
            "apiserver",
            "kube-apiserver",
            issuer="ca",
            server=True,
            dns_names=api_dns,
            ip_addresses=(topology.NODE_IP, topology.API_SERVICE_IP, topology.LOOPBACK),
        ),
        # Bound to the built-in system:kubelet-api-admin role by addons.py (exec, logs).
        CertSpec("apiserver-kubelet-client", "kube-apiserver-kubelet-client", "ca", client=True),
        CertSpec(
            "admin",
            topology.ADMIN_USER,
            issuer="ca",
            organizations=("system:masters",),
            client=True,
        ),
        CertSpec("kube-controller-manager", "system:kube-controller-manager", "ca", client=True),
        CertSpec("kube-scheduler", "system:kube-scheduler", "ca", client=True),
        # The Node authorizer and NodeRestriction recognise the kubelet by this name and group.
        CertSpec(
            "kubelet-client",
            f"system:node:{node}",
            issuer="ca",
            organizations=("system:nodes",),
            client=True,
        ),
        CertSpec(
            "kubelet-server",
            node,
            issuer="ca",
            server=True,
            dns_names=(node, "localhost"),
            ip_addresses=(topology.NODE_IP, topology.LOOPBACK),
        ),
        CertSpec("kube-proxy", "system:kube-proxy", "ca", client=True),
        # The aggregation layer: the apiserver proxies to extension apiservers with this
        # identity, and delegating components (controller-manager, scheduler) read the
        # CA from the extension-apiserver-authentication ConfigMap.
        CertSpec("front-proxy-ca", "statefulset-lab-front-proxy-ca", issuer="", is_ca=True),
        CertSpec("front-proxy-client", "front-proxy-client", "front-proxy-ca", client=True),
    ]


def node_cert_plan(node: Node) -> list[CertSpec]:
    """A worker kubelet's identities: the Node authorizer's name and group, and its serving
    certificate for the address the apiserver dials (InternalIP)."""
    return [
        CertSpec(
            "kubelet-client",
            f"system:node:{node.name}",
            issuer="ca",
            organizations=("system:nodes",),
            client=True,
        ),
        CertSpec(
            "kubelet-server",
            node.name,
            issuer="ca",
            server=True,
            dns_names=(node.name,),
            ip_addresses=(node.ip,),
        ),
    ]


def spec_stamp(spec: CertSpec, issuer_cert_pem: bytes) -> str:
    """What a certificate was issued from; a change means it must be reissued."""
    payload = json.dumps(asdict(spec), sort_keys=True).encode() + issuer_cert_pem
    return hashlib.sha256(payload).hexdigest()


def _openssl(*args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["openssl", *args], input=stdin, capture_output=True, check=False, timeout=60)
    except FileNotFoundError as err:
        raise LabError(
            "openssl is not installed",
            "run `make system-packages` (installs Debian's openssl)",
        ) from err
    if done.returncode != 0:
        raise LabError(
            f"openssl {args[0]} failed",
            "check the openssl installation",
            done.stderr.decode(errors="replace"),
        )
    return done.stdout


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o600)


class Pki:
    """The certificate files under one directory (mode 0700).

    `plan` is what the directory holds (the cluster's by default); issuers that are
    not part of it (a worker's certificates come from the cluster CA) are read from
    `issuers`. Only the cluster's own directory has the service-account key pair.
    """

    def __init__(
        self,
        directory: Path,
        plan: list[CertSpec] | None = None,
        issuers: Path | None = None,
    ) -> None:
        self.directory = directory
        self.plan = cert_plan() if plan is None else plan
        self.issuers = issuers
        self.owns_service_account = plan is None

    def cert(self, name: str) -> Path:
        return self.directory / f"{name}.crt"

    def key(self, name: str) -> Path:
        return self.directory / f"{name}.key"

    def _issuer_dir(self, name: str) -> Path:
        if self.issuers is None or any(spec.name == name for spec in self.plan):
            return self.directory
        return self.issuers

    def issuer_cert(self, name: str) -> Path:
        return self._issuer_dir(name) / f"{name}.crt"

    def issuer_key(self, name: str) -> Path:
        return self._issuer_dir(name) / f"{name}.key"

    def stamp(self, name: str) -> Path:
        return self.directory / f"{name}.stamp"

    @property
    def service_account_key(self) -> Path:
        return self.directory / "service-account.key"

    @property
    def service_account_pub(self) -> Path:
        return self.directory / "service-account.pub"

    def ensure(self) -> list[str]:
        """Issues what is missing, expiring or outdated; returns the names issued."""
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        issued: list[str] = []
        for spec in self.plan:
            issuer_pem = b"" if spec.is_ca else self.issuer_cert(spec.issuer).read_bytes()
            if self._is_current(spec, issuer_pem):
                continue
            self._issue(spec)
            self.stamp(spec.name).write_text(spec_stamp(spec, issuer_pem) + "\n")
            issued.append(spec.name)
        if not self.owns_service_account:
            return issued
        if not self.service_account_key.exists() or not self.service_account_pub.exists():
            _write_private(self.service_account_key, self._new_key())
            pub = _openssl("pkey", "-in", str(self.service_account_key), "-pubout")
            self.service_account_pub.write_bytes(pub)
            issued.append("service-account")
        return issued

    def _is_current(self, spec: CertSpec, issuer_pem: bytes) -> bool:
        cert, key, stamp = self.cert(spec.name), self.key(spec.name), self.stamp(spec.name)
        if not (cert.exists() and key.exists() and stamp.exists()):
            return False
        if stamp.read_text().strip() != spec_stamp(spec, issuer_pem):
            return False
        check = subprocess.run(
            ["openssl", "x509", "-checkend", str(RENEW_BEFORE_SECONDS), "-noout", "-in", str(cert)],
            capture_output=True,
            check=False,
        )
        return check.returncode == 0

    @staticmethod
    def _new_key() -> bytes:
        return _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")

    def _issue(self, spec: CertSpec) -> None:
        key_path = self.key(spec.name)
        _write_private(key_path, self._new_key())
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "openssl.cnf"
            config.write_text(spec.openssl_config())
            common = ["-subj", spec.subject(), "-config", str(config)]
            if spec.is_ca:
                pem = _openssl(
                    "req", "-x509", "-new", "-key", str(key_path), *common,
                    "-extensions", "v3", "-days", str(CA_DAYS), "-sha256",
                )  # fmt: skip
            else:
                csr = _openssl("req", "-new", "-key", str(key_path), *common)
                pem = _openssl(
                    "x509", "-req", "-CA", str(self.issuer_cert(spec.issuer)),
                    "-CAkey", str(self.issuer_key(spec.issuer)),
                    "-set_serial", "0x" + secrets.token_hex(16),
                    "-extfile", str(config), "-extensions", "v3",
                    "-days", str(LEAF_DAYS), "-sha256",
                    stdin=csr,
                )  # fmt: skip
        self.cert(spec.name).write_bytes(pem)

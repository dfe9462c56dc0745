"""The cluster PKI: what the plan contains, and a real issue through openssl."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

from labcluster import topology
from labcluster.certs import CertSpec, Pki, cert_plan, node_cert_plan, spec_stamp
from labcluster.nodes import node_plan


def _by_name() -> dict[str, CertSpec]:
    return {spec.name: spec for spec in cert_plan()}


def test_every_issuer_comes_before_the_certificates_it_signs() -> None:
    seen: set[str] = set()
    for spec in cert_plan():
        assert spec.is_ca or spec.issuer in seen, spec.name
        seen.add(spec.name)


def test_apiserver_certificate_names_every_way_pods_and_users_reach_it() -> None:
    api = _by_name()["apiserver"]
    assert {topology.NODE_IP, topology.API_SERVICE_IP, topology.LOOPBACK} <= set(api.ip_addresses)
    assert "kubernetes.default.svc.cluster.local" in api.dns_names
    assert api.server and not api.client


def test_kubelet_client_identity_is_what_the_node_authorizer_expects() -> None:
    kubelet = _by_name()["kubelet-client"]
    assert kubelet.common_name == f"system:node:{topology.NODE_NAME}"
    assert kubelet.organizations == ("system:nodes",)


def test_etcd_certificates_come_from_their_own_ca() -> None:
    specs = _by_name()
    assert specs["etcd-server"].issuer == "etcd-ca"
    assert specs["apiserver-etcd-client"].issuer == "etcd-ca"
    others = [
        s for s in cert_plan() if not s.is_ca and not s.name.startswith(("etcd", "apiserver-etcd", "front-proxy"))
    ]
    assert {s.issuer for s in others} == {"ca"}


def test_openssl_config_sets_usages_and_sans() -> None:
    config = _by_name()["kubelet-server"].openssl_config()
    assert "extendedKeyUsage=serverAuth\n" in config
    assert f"IP:{topology.NODE_IP}" in config
    assert "CA:TRUE" in _by_name()["ca"].openssl_config()


def test_stamp_changes_with_the_spec_and_with_the_issuer() -> None:
    spec = _by_name()["admin"]
    stamp = spec_stamp(spec, b"ca-1")
    assert stamp == spec_stamp(spec, b"ca-1")
    assert stamp != spec_stamp(spec, b"ca-2")
    assert stamp != spec_stamp(dataclasses.replace(spec, common_name="someone-else"), b"ca-1")


def test_pki_issues_verifiable_certificates_once(tmp_path: Path) -> None:
    pki = Pki(tmp_path / "pki")
    issued = pki.ensure()
    assert set(issued) == {s.name for s in cert_plan()} | {"service-account"}
    assert pki.ensure() == []
    assert (pki.key("admin").stat().st_mode & 0o777) == 0o600
    for spec in cert_plan():
        if spec.is_ca:
            continue
        verify = subprocess.run(
            ["openssl", "verify", "-CAfile", str(pki.cert(spec.issuer)), str(pki.cert(spec.name))],
            capture_output=True,
            text=True,
            check=False,
        )
        assert verify.returncode == 0, verify.stdout + verify.stderr
    subject = subprocess.run(
        ["openssl", "x509", "-noout", "-subject", "-in", str(pki.cert("admin"))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "O = system:masters" in subject


def test_a_new_ca_reissues_the_certificates_it_signed(tmp_path: Path) -> None:
    pki = Pki(tmp_path / "pki")
    pki.ensure()
    pki.cert("etcd-ca").unlink()
    reissued = pki.ensure()
    assert set(reissued) == {"etcd-ca", "etcd-server", "apiserver-etcd-client"}


def test_a_worker_kubelet_is_known_by_its_own_node_name_and_address() -> None:
    worker = node_plan(2).workers[1]
    client, server = node_cert_plan(worker)
    assert client.common_name == "system:node:lab-worker-1"
    assert client.organizations == ("system:nodes",)
    assert client.client and not client.server
    assert server.common_name == "lab-worker-1"
    assert server.dns_names == ("lab-worker-1",) and server.ip_addresses == ("10.240.0.12",)
    assert server.server and not server.client
    assert {client.issuer, server.issuer} == {"ca"}


def test_worker_certificates_come_from_the_cluster_ca_in_the_workers_own_directory(tmp_path: Path) -> None:
    cluster = Pki(tmp_path / "pki")
    cluster.ensure()
    worker = node_plan(1).workers[0]
    own = Pki(tmp_path / "nodes" / worker.name / "pki", node_cert_plan(worker), issuers=cluster.directory)
    assert own.ensure() == ["kubelet-client", "kubelet-server"]
    assert own.ensure() == []
    assert not own.service_account_key.exists()
    assert not own.cert("ca").exists()
    for name in ("kubelet-client", "kubelet-server"):
        verify = subprocess.run(
            ["openssl", "verify", "-CAfile", str(cluster.cert("ca")), str(own.cert(name))],
            capture_output=True,
            text=True,
            check=False,
        )
        assert verify.returncode == 0, verify.stdout + verify.stderr
    text = subprocess.run(
        ["openssl", "x509", "-noout", "-text", "-in", str(own.cert("kubelet-server"))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "IP Address:10.240.0.11" in text and "DNS:lab-worker-0" in text
    # A new cluster CA reissues the worker's certificates too.
    cluster.cert("ca").unlink()
    cluster.ensure()
    assert own.ensure() == ["kubelet-client", "kubelet-server"]

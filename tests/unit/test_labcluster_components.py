"""The daemons' command lines: loopback or the lab address only, secure defaults."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

from labcluster import topology
from labcluster.components import component_specs
from labcluster.paths import LabPaths

PATHS = LabPaths(state=Path("/var/lib/statefulset-lab"), cache=Path("/root/.cache/statefulset-lab"))
ALLOWED_HOSTS = {topology.LOOPBACK, topology.NODE_IP}


def _args(name: str) -> list[str]:
    spec = next(s for s in component_specs(PATHS) if s.name == name)
    return list(spec.args)


def test_components_start_in_dependency_order() -> None:
    names = [s.name for s in component_specs(PATHS)]
    assert names.index("etcd") < names.index("kube-apiserver") < names.index("kubelet")
    assert names.index("containerd") < names.index("kubelet")


def test_every_listen_address_is_loopback_or_the_lab_node_address() -> None:
    for spec in component_specs(PATHS):
        assert spec.listens or spec.name == "containerd"
        for host, _port in spec.listens:
            assert host in ALLOWED_HOSTS, (spec.name, host)


def test_no_command_line_names_a_wildcard_or_foreign_address() -> None:
    for spec in component_specs(PATHS):
        for arg in spec.args:
            for found in re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", arg):
                address = ipaddress.ip_address(found)
                in_lab = str(address) in ALLOWED_HOSTS or any(
                    address in ipaddress.ip_network(net) for net in (topology.POD_CIDR, topology.SERVICE_CIDR)
                )
                assert in_lab, (spec.name, arg)


def test_apiserver_has_tls_client_certificates_rbac_and_no_anonymous_access() -> None:
    args = _args("kube-apiserver")
    assert "--anonymous-auth=false" in args
    assert "--authorization-mode=Node,RBAC" in args
    assert any(a.startswith("--client-ca-file=") for a in args)
    assert any(a.startswith("--tls-cert-file=") for a in args)
    assert f"--bind-address={topology.NODE_IP}" in args
    assert not any(a.startswith(("--insecure", "--disable-admission-plugins")) for a in args)


def test_etcd_requires_client_certificates() -> None:
    args = _args("etcd")
    assert "--client-cert-auth=true" in args
    assert f"--listen-client-urls=https://127.0.0.1:{topology.ETCD_CLIENT_PORT}" in args


def test_containerd_cannot_reach_a_registry() -> None:
    spec = next(s for s in component_specs(PATHS) if s.name == "containerd")
    assert spec.env["HTTPS_PROXY"].startswith("http://127.0.0.1:")
    assert not spec.from_toolchain


def test_toolchain_binaries_come_from_the_bin_dir() -> None:
    spec = next(s for s in component_specs(PATHS) if s.name == "kubelet")
    assert spec.argv(PATHS.toolchain_bin)[0] == str(PATHS.toolchain_bin / "kubelet")

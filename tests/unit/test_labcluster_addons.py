"""CoreDNS and RBAC objects the lab applies."""

from __future__ import annotations

from typing import Any

from labcluster import topology
from labcluster.addons import coredns_objects, corefile, kubelet_api_rbac, lab_addons


def _kind(kind: str) -> dict[str, Any]:
    return next(o for o in coredns_objects() if o["kind"] == kind)


def test_corefile_serves_only_the_cluster_and_reverse_zones() -> None:
    text = corefile()
    assert text.startswith("cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {")
    assert "forward" not in text
    assert "kubernetes cluster.local in-addr.arpa ip6.arpa" in text


def test_dns_service_has_the_fixed_address_kubelets_hand_to_pods() -> None:
    service = _kind("Service")
    assert service["metadata"] == {"name": "kube-dns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}}
    assert service["spec"]["clusterIP"] == topology.DNS_SERVICE_IP
    assert {(p["port"], p["protocol"]) for p in service["spec"]["ports"]} >= {(53, "UDP"), (53, "TCP")}


def test_coredns_runs_the_locally_built_image_and_never_pulls() -> None:
    container = _kind("Deployment")["spec"]["template"]["spec"]["containers"][0]
    assert container["image"].startswith("localhost/statefulset-lab/coredns:")
    assert container["imagePullPolicy"] == "Never"


def test_apiserver_kubelet_client_is_bound_to_the_kubelet_api_role() -> None:
    binding = kubelet_api_rbac()[0]
    assert binding["roleRef"]["name"] == "system:kubelet-api-admin"
    assert binding["subjects"][0]["name"] == "kube-apiserver-kubelet-client"


def test_every_addon_object_is_complete_for_server_side_apply() -> None:
    for item in lab_addons():
        assert item["apiVersion"] and item["kind"] and item["metadata"]["name"]

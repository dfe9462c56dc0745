"""CoreDNS and RBAC objects the lab applies, and the control-plane node's role."""

from __future__ import annotations

from typing import Any

from labcluster import topology
from labcluster.addons import (
    control_plane_toleration,
    coredns_objects,
    corefile,
    kubelet_api_rbac,
    lab_addons,
    role_patch,
)


def _kind(kind: str) -> dict[str, Any]:
    return next(o for o in coredns_objects() if o["kind"] == kind)


def test_corefile_serves_only_the_cluster_and_reverse_zones() -> None:
    text = corefile()
    assert text.startswith("cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {")
    assert "forward" not in text
    assert "kubernetes cluster.local in-addr.arpa ip6.arpa" in text


def test_corefile_answers_live_seconds_so_a_recreated_pod_is_answered_fresh() -> None:
    plugin = corefile().split("kubernetes cluster.local", 1)[1].split("}", 1)[0]
    assert [line.split() for line in plugin.splitlines() if line.strip().startswith("ttl")] == [["ttl", "5"]]


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
    for item in lab_addons() + lab_addons(has_workers=True):
        assert item["apiVersion"] and item["kind"] and item["metadata"]["name"]


def _pod_spec(has_workers: bool) -> dict[str, Any]:
    deployment = next(o for o in coredns_objects(has_workers) if o["kind"] == "Deployment")
    spec: dict[str, Any] = deployment["spec"]["template"]["spec"]
    return spec


def test_with_workers_coredns_stays_on_the_control_plane_node() -> None:
    spec = _pod_spec(has_workers=True)
    assert spec["nodeSelector"] == {"kubernetes.io/hostname": topology.NODE_NAME}
    assert control_plane_toleration() in spec["tolerations"]
    assert control_plane_toleration() == {
        "key": "node-role.kubernetes.io/control-plane",
        "operator": "Exists",
        "effect": "NoSchedule",
    }


def test_without_workers_coredns_is_placed_as_on_a_single_node() -> None:
    spec = _pod_spec(has_workers=False)
    assert "nodeSelector" not in spec
    assert spec["tolerations"] == [{"key": "CriticalAddonsOnly", "operator": "Exists"}]


def _node(labels: dict[str, str], taints: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "metadata": {"name": topology.NODE_NAME, "resourceVersion": "42", "labels": labels},
        "spec": {"taints": taints} if taints else {},
    }


ROLE = "node-role.kubernetes.io/control-plane"
HOSTNAME = {"kubernetes.io/hostname": topology.NODE_NAME}
NOT_READY = {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}


def test_with_workers_the_control_plane_gets_its_role_label_and_taint() -> None:
    patch = role_patch(_node(HOSTNAME, [NOT_READY]), has_workers=True)
    assert patch == {
        "metadata": {"resourceVersion": "42", "labels": {ROLE: ""}},
        "spec": {"taints": [NOT_READY, {"key": ROLE, "effect": "NoSchedule"}]},
    }


def test_a_node_that_already_has_its_role_is_left_alone() -> None:
    node = _node({**HOSTNAME, ROLE: ""}, [{"key": ROLE, "effect": "NoSchedule"}, NOT_READY])
    assert role_patch(node, has_workers=True) is None
    assert role_patch(_node(HOSTNAME, []), has_workers=False) is None


def test_without_workers_the_role_goes_and_other_taints_stay() -> None:
    node = _node({**HOSTNAME, ROLE: ""}, [NOT_READY, {"key": ROLE, "effect": "NoSchedule"}])
    patch = role_patch(node, has_workers=False)
    assert patch is not None
    assert patch["metadata"]["labels"] == {ROLE: None}
    assert patch["spec"]["taints"] == [NOT_READY]
    assert patch["metadata"]["resourceVersion"] == "42"


def test_a_role_taint_with_another_effect_is_replaced() -> None:
    node = _node({**HOSTNAME, ROLE: ""}, [{"key": ROLE, "effect": "NoExecute"}])
    patch = role_patch(node, has_workers=True)
    assert patch is not None
    assert patch["spec"]["taints"] == [{"key": ROLE, "effect": "NoSchedule"}]

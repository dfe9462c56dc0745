"""Objects the lab applies to every cluster it starts.

- RBAC that lets the apiserver's kubelet client (kubectl exec, logs, port-forward)
  use the kubelet API, through the built-in role system:kubelet-api-admin.
- CoreDNS: ServiceAccount, RBAC, the Corefile, a Deployment of the lab's own
  coredns image, and the `kube-dns` Service at DNS_SERVICE_IP. The Corefile serves
  only cluster.local and the reverse zones; any other name is REFUSED because no
  server block matches it, so no query ever leaves the machine (no `forward`).
  With workers, CoreDNS stays on the control-plane node (node selector and
  toleration), like the cluster's own add-ons elsewhere.
- The control-plane node's role: with workers, the label
  `node-role.kubernetes.io/control-plane=""` and the taint
  `node-role.kubernetes.io/control-plane:NoSchedule`, so the workloads run on the
  workers; both go again when the cluster has no workers. `role_patch` computes
  the merge patch from the live Node (pure).
"""

from __future__ import annotations

from typing import Any

from . import topology
from .images import coredns_image

DNS_LABELS = {"k8s-app": "kube-dns"}
NAMESPACE = "kube-system"


def kubelet_api_rbac() -> list[dict[str, Any]]:
    return [
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "statefulset-lab:apiserver-kubelet-client"},
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "ClusterRole",
                "name": "system:kubelet-api-admin",
            },
            "subjects": [
                {
                    "apiGroup": "rbac.authorization.k8s.io",
                    "kind": "User",
                    "name": "kube-apiserver-kubelet-client",
                }
            ],
        }
    ]


def corefile() -> str:
    """The lab's Corefile. Its records live 5 s (the kubernetes plugin's own
    default; kubeadm sets 30): a StatefulSet pod deleted and created again, or
    one newly Ready, changes its own and its Service's answers, and the lessons
    look at those answers right after the change. Changed on a running cluster,
    the `reload` plugin picks the new Corefile up once the ConfigMap reaches the pod."""
    domain = topology.CLUSTER_DOMAIN
    return f"""{domain}:53 in-addr.arpa:53 ip6.arpa:53 {{
    errors
    health {{
        lameduck 5s
    }}
    ready
    kubernetes {domain} in-addr.arpa ip6.arpa {{
        pods insecure
        ttl 5
    }}
    prometheus :9153
    cache 30
    reload
    loadbalance
}}
"""


def _coredns_rbac() -> list[dict[str, Any]]:
    rbac = "rbac.authorization.k8s.io"
    return [
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "coredns", "namespace": NAMESPACE},
        },
        {
            "apiVersion": f"{rbac}/v1",
            "kind": "ClusterRole",
            "metadata": {"name": "system:coredns"},
            "rules": [
                {
                    "apiGroups": [""],
                    "resources": ["endpoints", "services", "pods", "namespaces"],
                    "verbs": ["list", "watch"],
                },
                {
                    "apiGroups": ["discovery.k8s.io"],
                    "resources": ["endpointslices"],
                    "verbs": ["list", "watch"],
                },
            ],
        },
        {
            "apiVersion": f"{rbac}/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "system:coredns"},
            "roleRef": {"apiGroup": rbac, "kind": "ClusterRole", "name": "system:coredns"},
            "subjects": [{"kind": "ServiceAccount", "name": "coredns", "namespace": NAMESPACE}],
        },
    ]


def _coredns_placement(has_workers: bool) -> dict[str, Any]:
    """With workers, on the control-plane node, as the cluster's own add-ons; else anywhere."""
    tolerations = [{"key": "CriticalAddonsOnly", "operator": "Exists"}]
    if not has_workers:
        return {"tolerations": tolerations}
    return {
        "tolerations": [*tolerations, control_plane_toleration()],
        "nodeSelector": {topology.HOSTNAME_LABEL: topology.NODE_NAME},
    }


def _coredns_container() -> dict[str, Any]:
    return {
        "name": "coredns",
        "image": coredns_image(),
        # Built and imported by labcluster: a missing image is a lab bug, not a pull.
        "imagePullPolicy": "Never",
        "args": ["-conf", "/etc/coredns/Corefile"],
        "ports": [
            {"name": "dns", "containerPort": 53, "protocol": "UDP"},
            {"name": "dns-tcp", "containerPort": 53, "protocol": "TCP"},
            {"name": "metrics", "containerPort": 9153, "protocol": "TCP"},
        ],
        "resources": {
            "requests": {"cpu": "100m", "memory": "70Mi"},
            "limits": {"memory": "170Mi"},
        },
        "volumeMounts": [{"name": "config-volume", "mountPath": "/etc/coredns", "readOnly": True}],
        "livenessProbe": {
            "httpGet": {"path": "/health", "port": 8080},
            "initialDelaySeconds": 60,
            "timeoutSeconds": 5,
            "failureThreshold": 5,
        },
        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181}, "periodSeconds": 2},
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
            "readOnlyRootFilesystem": True,
        },
    }


def control_plane_toleration() -> dict[str, str]:
    return {"key": topology.CONTROL_PLANE_ROLE, "operator": "Exists", "effect": "NoSchedule"}


def control_plane_taint() -> dict[str, str]:
    return {"key": topology.CONTROL_PLANE_ROLE, "effect": "NoSchedule"}


def role_patch(node: dict[str, Any], has_workers: bool) -> dict[str, Any] | None:
    """The merge patch that gives the control-plane node its role label and taint when the
    cluster has workers, and takes them away when it has none; None when nothing changes.

    A merge patch replaces the whole taint list, so the patch carries the Node's
    resourceVersion: a concurrent change (the node controller's own taints) makes it
    fail with a conflict instead of being overwritten.
    """
    labels = node.get("metadata", {}).get("labels") or {}
    taints = node.get("spec", {}).get("taints") or []
    others = [t for t in taints if t.get("key") != topology.CONTROL_PLANE_ROLE]
    if not has_workers:
        wanted_taints = others
    elif len(others) == len(taints) - 1 and control_plane_taint() in taints:
        wanted_taints = taints
    else:
        wanted_taints = [*others, control_plane_taint()]
    has_label = labels.get(topology.CONTROL_PLANE_ROLE) == ""
    label_ok = has_label if has_workers else topology.CONTROL_PLANE_ROLE not in labels
    if label_ok and taints == wanted_taints:
        return None
    return {
        "metadata": {
            "resourceVersion": node.get("metadata", {}).get("resourceVersion", ""),
            "labels": {topology.CONTROL_PLANE_ROLE: "" if has_workers else None},
        },
        "spec": {"taints": wanted_taints},
    }


def coredns_objects(has_workers: bool = False) -> list[dict[str, Any]]:
    meta = {"namespace": NAMESPACE, "labels": DNS_LABELS}
    config_map = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "coredns", "namespace": NAMESPACE},
        "data": {"Corefile": corefile()},
    }
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "coredns", **meta},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": DNS_LABELS},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "template": {
                "metadata": {"labels": DNS_LABELS},
                "spec": {
                    "serviceAccountName": "coredns",
                    "priorityClassName": "system-cluster-critical",
                    # CoreDNS resolves nothing through resolv.conf; Default avoids asking itself.
                    "dnsPolicy": "Default",
                    **_coredns_placement(has_workers),
                    "containers": [_coredns_container()],
                    "volumes": [
                        {
                            "name": "config-volume",
                            "configMap": {
                                "name": "coredns",
                                "items": [{"key": "Corefile", "path": "Corefile"}],
                            },
                        }
                    ],
                },
            },
        },
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "kube-dns", **meta},
        "spec": {
            "selector": DNS_LABELS,
            "clusterIP": topology.DNS_SERVICE_IP,
            "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153},
            ],
        },
    }
    return [*_coredns_rbac(), config_map, deployment, service]


def lab_addons(has_workers: bool = False) -> list[dict[str, Any]]:
    return [*kubelet_api_rbac(), *coredns_objects(has_workers)]

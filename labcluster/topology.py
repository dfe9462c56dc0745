"""Names, addresses and ports of the lab cluster.

Nothing listens on the machine's own interfaces: every server binds to loopback
or to NODE_IP, an address the lab puts on a bridge of its own (`lab-node0`), so
pods can reach the apiserver and the kubelet while the outside world cannot.
"""

from __future__ import annotations

from typing import Final

CLUSTER_NAME: Final = "statefulset-lab"
CONTEXT_NAME: Final = "statefulset-lab"
ADMIN_USER: Final = "statefulset-lab-admin"
NODE_NAME: Final = "lab-node"
CLUSTER_DOMAIN: Final = "cluster.local"

# The node's own address, on a bridge with no ports; chosen clear of the pod and
# service ranges and of common home and cloud networks.
NODE_BRIDGE: Final = "lab-node0"
NODE_IP: Final = "10.240.0.1"

# The bridge Debian's CNI `bridge` plugin creates for the pods.
POD_BRIDGE: Final = "lab-cni0"
POD_CIDR: Final = "10.244.0.0/24"
SERVICE_CIDR: Final = "10.96.0.0/16"
# The first address of the service range belongs to the `kubernetes` Service.
API_SERVICE_IP: Final = "10.96.0.1"
DNS_SERVICE_IP: Final = "10.96.0.10"

APISERVER_PORT: Final = 6443
ETCD_CLIENT_PORT: Final = 2379
ETCD_PEER_PORT: Final = 2380
ETCD_METRICS_PORT: Final = 2381
KUBELET_PORT: Final = 10250
KUBELET_HEALTHZ_PORT: Final = 10248
KUBE_PROXY_HEALTHZ_PORT: Final = 10256
KUBE_PROXY_METRICS_PORT: Final = 10249
CONTROLLER_MANAGER_PORT: Final = 10257
SCHEDULER_PORT: Final = 10259

APISERVER_URL: Final = f"https://{NODE_IP}:{APISERVER_PORT}"
LOOPBACK: Final = "127.0.0.1"

"""Names, addresses, ports and node-failure timings of the lab cluster.

Nothing listens on the machine's own interfaces: every server binds to loopback
or to a node address on the lab's own bridge (`lab-node0`): NODE_IP for the
control-plane node, 10.240.0.11 and up for the workers (see nodes.py), so pods
can reach the apiserver and the kubelets while the outside world cannot.
"""

from __future__ import annotations

from typing import Final

CLUSTER_NAME: Final = "statefulset-lab"
CONTEXT_NAME: Final = "statefulset-lab"
ADMIN_USER: Final = "statefulset-lab-admin"
NODE_NAME: Final = "lab-node"
CLUSTER_DOMAIN: Final = "cluster.local"

# The control-plane node's address, on a bridge the workers' veths attach to;
# chosen clear of the pod and service ranges and of common home and cloud networks.
NODE_BRIDGE: Final = "lab-node0"
NODE_IP: Final = "10.240.0.1"
# Every node's address lies in this subnet, on-link through lab-node0.
NODE_NETWORK: Final = "10.240.0.0/24"
# Worker N is 10.240.0.(FIRST_WORKER_HOST + N).
FIRST_WORKER_HOST: Final = 11

WORKER_PREFIX: Final = "lab-worker-"
MAX_WORKERS: Final = 3
DEFAULT_WORKERS: Final = 2
WORKERS_ENV: Final = "STATEFULSET_LAB_WORKERS"
CONTROL_PLANE_ROLE: Final = "node-role.kubernetes.io/control-plane"
HOSTNAME_LABEL: Final = "kubernetes.io/hostname"

# The bridge Debian's CNI `bridge` plugin creates for the pods.
POD_BRIDGE: Final = "lab-cni0"
# The control-plane node's pod CIDR; worker N has the /24 after it, 10.244.(1+N).0/24.
POD_CIDR: Final = "10.244.0.0/24"
# Every node's pod CIDR lies in this summary (kube-proxy's clusterCIDR).
POD_NETWORK: Final = "10.244.0.0/16"
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

# Node failure, shortened so that an experiment takes well under two minutes: the
# kubelet renews its lease every quarter of its duration (5 s), so a node is
# NotReady about NODE_MONITOR_GRACE_SECONDS after its kubelet stops (3 missed
# renewals), and its pods are evicted EVICTION_TOLERATION_SECONDS later.
NODE_MONITOR_GRACE_SECONDS: Final = 20
NODE_MONITOR_PERIOD_SECONDS: Final = 2
NODE_STATUS_UPDATE_SECONDS: Final = 4
NODE_LEASE_DURATION_SECONDS: Final = 20
EVICTION_TOLERATION_SECONDS: Final = 15

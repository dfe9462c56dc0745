"""Config files of containerd, the CNI network, kubelet, kube-proxy and kube-scheduler.

Pure renderers: each takes the lab's paths (and the node, for the per-node files)
and returns file content. `rendered_configs` gives the control-plane node's files
under $STATE/config, `worker_configs` a worker's under $STATE/nodes/<name>/config.
The Kubernetes component configs are JSON, which their YAML loaders accept as is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import topology
from .audit import render_audit_policy
from .nodes import CONTROL_PLANE, Node, node_paths
from .paths import LabPaths

SANDBOX_IMAGE = "registry.k8s.io/pause:3.10.2"
# The CNI plugins the lab's network calls (containerd runs `loopback` for every pod).
CNI_PLUGINS = ("bridge", "host-local", "loopback")


@dataclass(frozen=True)
class ConfigFiles:
    """Where the rendered configs live under the state directory."""

    directory: Path

    @property
    def containerd(self) -> Path:
        return self.directory / "containerd.toml"

    @property
    def kubelet(self) -> Path:
        return self.directory / "kubelet.json"

    @property
    def kubelet_resolv_conf(self) -> Path:
        return self.directory / "kubelet-resolv.conf"

    @property
    def kube_proxy(self) -> Path:
        return self.directory / "kube-proxy.json"

    @property
    def scheduler(self) -> Path:
        return self.directory / "kube-scheduler.json"

    @property
    def audit_policy(self) -> Path:
        return self.directory / "audit-policy.json"

    @property
    def cni_conflist_name(self) -> str:
        return "10-statefulset-lab.conflist"


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def render_containerd_config(paths: LabPaths) -> str:
    """containerd 2.x config (version 3) for one node's own containerd instance (`paths`: the node's).

    The shim, runc and the CNI plugins are the toolchain's, named by path: PATH may
    still hold a distribution's older containerd-shim-runc-v2 or runc.
    """
    cri = 'plugins."io.containerd.grpc.v1.cri"'
    images = 'plugins."io.containerd.cri.v1.images"'
    runtime = 'plugins."io.containerd.cri.v1.runtime"'
    return f"""# Rendered by labcluster; the lab's own containerd, separate from any system one.
# Version 3 (containerd 2.0+); 2.3+ migrates it to 4 at every start (a warning in its
# log). In version 4 the TTRPC socket no longer follows [grpc] address but defaults
# to /run/containerd/containerd.sock.ttrpc, one path for every node's containerd.
version = 3
root = "{paths.containerd_root}"
state = "{paths.containerd_state}"
# This machine withholds CAP_SYS_RESOURCE: no process may lower its OOM score, so
# containerd keeps 0 and clamps the pods' negative scores to it (below).
oom_score = 0
# NRI would listen on the host-wide /var/run/nri/nri.sock, one socket for every
# node's containerd; the lab has no NRI plugins.
disabled_plugins = [
  "io.containerd.nri.v1.nri",
]

[grpc]
  address = "{paths.containerd_socket}"

[debug]
  level = "info"

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "{paths.containerd_root / "opt"}"

[{cri}]
  # kubectl exec/attach/port-forward streams, proxied by the kubelet: loopback only.
  stream_server_address = "{topology.LOOPBACK}"
  stream_server_port = "0"

[{images}]
  snapshotter = "overlayfs"

[{images}.pinned_images]
  # Imported by labcluster; the kubelet never pulls it.
  sandbox = "{SANDBOX_IMAGE}"

[{runtime}]
  enable_selinux = false
  # The kubelet asks -998 for sandboxes and -997 for critical pods; runc would fail
  # to set them without CAP_SYS_RESOURCE ("failed to update /proc/self/oom_score_adj").
  restrict_oom_score_adj = true
  # Pod network namespaces under the lab's runtime dir, not the host's /run/netns.
  netns_mounts_under_state_dir = true

[{runtime}.containerd]
  default_runtime_name = "runc"

[{runtime}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
  runtime_path = "{paths.toolchain_bin / "containerd-shim-runc-v2"}"

[{runtime}.containerd.runtimes.runc.options]
  BinaryName = "{paths.toolchain_bin / "runc"}"
  Root = "{paths.runtime / "runc"}"
  # cgroupfs on this cgroup v1 host; containerd tells the kubelet so (RuntimeConfig),
  # and the kubelet's own config says the same.
  SystemdCgroup = false

[{runtime}.cni]
  bin_dirs = ["{paths.cni_bin}"]
  conf_dir = "{paths.cni_conf_dir}"
  max_conf_num = 1
"""


def render_cni_conflist(paths: LabPaths, node: Node = CONTROL_PLANE) -> str:
    """A node's pod network: one bridge, host-local addresses from its pod CIDR, no masquerading.

    Pods only talk to each other and to the nodes (the apiserver on NODE_IP), so
    nothing needs to be masqueraded; the egress guard in network.py rejects the rest.
    A worker's bridge has the same name, inside the worker's network namespace.
    containerd adds the loopback plugin by itself.
    """
    own = node_paths(paths, node)
    bridge = {
        "type": "bridge",
        "bridge": topology.POD_BRIDGE,
        "isGateway": True,
        "ipMasq": False,
        "hairpinMode": True,
        "ipam": {
            "type": "host-local",
            "ranges": [[{"subnet": node.pod_cidr}]],
            "routes": [{"dst": "0.0.0.0/0"}],
            "dataDir": str(own.cni_ipam_dir),
        },
    }
    return _json({"cniVersion": "1.0.0", "name": "statefulset-lab", "plugins": [bridge]})


def render_kubelet_resolv_conf() -> str:
    """What pods with dnsPolicy Default get: the cluster DNS, never the host's resolvers."""
    return (
        "# Rendered by labcluster: the lab sends no DNS query off this machine.\n"
        f"nameserver {topology.DNS_SERVICE_IP}\n"
    )


def render_kubelet_config(paths: LabPaths, node: Node = CONTROL_PLANE) -> str:
    own = node_paths(paths, node)
    files = ConfigFiles(own.config)
    config: dict[str, Any] = {
        "apiVersion": "kubelet.config.k8s.io/v1beta1",
        "kind": "KubeletConfiguration",
        "address": node.ip,
        "port": topology.KUBELET_PORT,
        "readOnlyPort": 0,
        # A worker's on its node address, where the host can probe it (components.py).
        "healthzBindAddress": node.ip if node.is_worker else topology.LOOPBACK,
        "healthzPort": topology.KUBELET_HEALTHZ_PORT,
        "tlsCertFile": str(own.pki / "kubelet-server.crt"),
        "tlsPrivateKeyFile": str(own.pki / "kubelet-server.key"),
        "rotateCertificates": False,
        "serverTLSBootstrap": False,
        # The apiserver authenticates with its client certificate; every request is
        # authorized through SubjectAccessReviews (kubectl exec and logs need this).
        "authentication": {
            "anonymous": {"enabled": False},
            "webhook": {"enabled": True},
            "x509": {"clientCAFile": str(paths.pki / "ca.crt")},
        },
        "authorization": {"mode": "Webhook"},
        "containerRuntimeEndpoint": f"unix://{own.containerd_socket}",
        # containerd reports its cgroup driver (RuntimeConfig) and the kubelet uses that;
        # this is the same answer, for a runtime that would not say.
        "cgroupDriver": "cgroupfs",
        # This machine has cgroup v1; kubelets from 1.35 on refuse it unless told
        # otherwise (KEP-5573) and then only warn: a Warning event `CgroupV1` on the Node.
        "failCgroupV1": False,
        "failSwapOn": False,
        "clusterDomain": topology.CLUSTER_DOMAIN,
        "clusterDNS": [topology.DNS_SERVICE_IP],
        "resolvConf": str(files.kubelet_resolv_conf),
        "podCIDR": node.pod_cidr,
        "podLogsDir": str(own.pod_logs),
        "containerLogMaxSize": "10Mi",
        "containerLogMaxFiles": 3,
        # Images are imported, never pulled: garbage-collecting one would break pods.
        "imageGCHighThresholdPercent": 100,
        "imageGCLowThresholdPercent": 99,
        # Evict only when the disk or memory is really exhausted, not merely fairly full.
        "evictionHard": {
            "memory.available": "50Mi",
            "nodefs.available": "1%",
            "nodefs.inodesFree": "1%",
            "imagefs.available": "1%",
            "imagefs.inodesFree": "1%",
        },
        # Consistent with the controller-manager's shortened grace period (topology.py).
        "nodeStatusUpdateFrequency": f"{topology.NODE_STATUS_UPDATE_SECONDS}s",
        "nodeLeaseDurationSeconds": topology.NODE_LEASE_DURATION_SECONDS,
        "shutdownGracePeriod": "0s",
        # The benchmarks run 100 pods of each workload, the Deployment's all on the
        # node of its one volume; a node's /24 pod CIDR has room for 253.
        "maxPods": 250,
        "registerNode": True,
    }
    if node.cgroup_root:
        # Two kubelets must never manage the same kubepods tree: each worker's pods
        # live under a cgroup of its own, created by `up` in every hierarchy.
        config["cgroupRoot"] = node.cgroup_root
    return _json(config)


def render_kube_proxy_config(paths: LabPaths, node: Node = CONTROL_PLANE) -> str:
    own = node_paths(paths, node)
    healthz = node.ip if node.is_worker else topology.LOOPBACK
    config: dict[str, Any] = {
        "apiVersion": "kubeproxy.config.k8s.io/v1alpha1",
        "kind": "KubeProxyConfiguration",
        "clientConnection": {"kubeconfig": str(own.kubeconfigs / "kube-proxy.kubeconfig")},
        "mode": "iptables",
        "hostnameOverride": node.name,
        "bindAddress": node.ip,
        # Every node's pods: traffic from anywhere else to a Service is masqueraded.
        "clusterCIDR": topology.POD_NETWORK,
        "detectLocalMode": "ClusterCIDR",
        "healthzBindAddress": f"{healthz}:{topology.KUBE_PROXY_HEALTHZ_PORT}",
        "metricsBindAddress": f"{topology.LOOPBACK}:{topology.KUBE_PROXY_METRICS_PORT}",
        # NodePorts answer on the node's lab address only, never on the host's interfaces.
        "nodePortAddresses": [f"{node.ip}/32"],
        "iptables": {"localhostNodePorts": False, "syncPeriod": "30s", "minSyncPeriod": "1s"},
        # Zero leaves the host's conntrack sysctls alone (some hosts refuse writes to them).
        "conntrack": {
            "maxPerCore": 0,
            "min": 0,
            "tcpEstablishedTimeout": "0s",
            "tcpCloseWaitTimeout": "0s",
        },
    }
    return _json(config)


def render_scheduler_config(paths: LabPaths) -> str:
    config: dict[str, Any] = {
        "apiVersion": "kubescheduler.config.k8s.io/v1",
        "kind": "KubeSchedulerConfiguration",
        "clientConnection": {"kubeconfig": str(paths.kubeconfigs / "kube-scheduler.kubeconfig")},
        # One instance: leader election would only delay every restart by a lease period.
        "leaderElection": {"leaderElect": False},
    }
    return _json(config)


def rendered_configs(paths: LabPaths) -> dict[Path, str]:
    """Every config file of the control-plane node and its content."""
    files = ConfigFiles(paths.config)
    return {
        files.containerd: render_containerd_config(paths),
        files.kubelet: render_kubelet_config(paths),
        files.kubelet_resolv_conf: render_kubelet_resolv_conf(),
        files.kube_proxy: render_kube_proxy_config(paths),
        files.scheduler: render_scheduler_config(paths),
        files.audit_policy: render_audit_policy(),
        paths.cni_conf_dir / files.cni_conflist_name: render_cni_conflist(paths),
    }


def worker_configs(paths: LabPaths, node: Node) -> dict[Path, str]:
    """Every config file of a worker (no scheduler: it runs on the control plane only)."""
    own = node_paths(paths, node)
    files = ConfigFiles(own.config)
    return {
        files.containerd: render_containerd_config(own),
        files.kubelet: render_kubelet_config(paths, node),
        files.kubelet_resolv_conf: render_kubelet_resolv_conf(),
        files.kube_proxy: render_kube_proxy_config(paths, node),
        own.cni_conf_dir / files.cni_conflist_name: render_cni_conflist(paths, node),
    }

"""The daemons of the lab cluster: command lines, listen addresses and readiness probes.

Pure: `component_specs` turns the lab's paths into one `ComponentSpec` per daemon of
the control-plane node, in start order; `worker_specs` gives a worker's containerd,
kubelet and kube-proxy, run through nsenter inside the worker's network and mount
namespaces. Every server binds to loopback or to its node's address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from . import topology as t
from .audit import AUDIT_LOG_NAME, audit_flags
from .configs import ConfigFiles
from .nodes import CONTROL_PLANE, NamespaceEntry, Node, namespace_entry, node_paths
from .paths import LabPaths

# containerd must never reach a registry: every image is imported. An unreachable
# proxy makes any accidental pull fail at once, before a single packet leaves.
NO_EGRESS_PROXY = "http://127.0.0.1:9"


ProbeKind = Literal["http", "https-client", "https-local", "unix"]


@dataclass(frozen=True)
class Probe:
    """How to tell that a component is ready.

    kind "http": GET `target` expecting 200; "https-client": the same with the admin
    client certificate, verified against the cluster CA; "https-local": TLS to a
    loopback server with a self-signed certificate; "unix": connect to a socket.
    """

    kind: ProbeKind
    target: str


@dataclass(frozen=True)
class ComponentSpec:
    """One daemon: what to run, where it listens, how to know it is ready."""

    name: str
    binary: str
    args: tuple[str, ...]
    probe: Probe
    listens: tuple[tuple[str, int], ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    ready_timeout: float = 60.0
    # Whether the binary comes from the toolchain (else `binary` is an absolute path).
    from_toolchain: bool = True
    # A worker's daemon: the worker's name and how to enter its namespaces.
    node: str = ""
    enter: NamespaceEntry | None = None
    # How often a daemon that exits while starting is started again before `up` gives up.
    start_attempts: int = 1

    @property
    def label(self) -> str:
        """The name in messages: a worker's daemons carry the worker's name."""
        return f"{self.node}/{self.name}" if self.node else self.name

    def binary_path(self, toolchain_bin: Path) -> str:
        return str(toolchain_bin / self.binary) if self.from_toolchain else self.binary

    def argv(self, toolchain_bin: Path) -> list[str]:
        prefix = self.enter.argv() if self.enter else []
        return [*prefix, self.binary_path(toolchain_bin), *self.args]


def _etcd(paths: LabPaths) -> ComponentSpec:
    pki = paths.pki
    client_url = f"https://{t.LOOPBACK}:{t.ETCD_CLIENT_PORT}"
    peer_url = f"http://{t.LOOPBACK}:{t.ETCD_PEER_PORT}"
    return ComponentSpec(
        name="etcd",
        binary="etcd",
        args=(
            "--name=lab-etcd",
            f"--data-dir={paths.etcd_data}",
            f"--listen-client-urls={client_url}",
            f"--advertise-client-urls={client_url}",
            # A single member: the peer URL is never dialled, loopback keeps it private.
            f"--listen-peer-urls={peer_url}",
            f"--initial-advertise-peer-urls={peer_url}",
            f"--initial-cluster=lab-etcd={peer_url}",
            "--initial-cluster-state=new",
            f"--listen-metrics-urls=http://{t.LOOPBACK}:{t.ETCD_METRICS_PORT}",
            f"--cert-file={pki / 'etcd-server.crt'}",
            f"--key-file={pki / 'etcd-server.key'}",
            "--client-cert-auth=true",
            f"--trusted-ca-file={pki / 'etcd-ca.crt'}",
        ),
        probe=Probe("http", f"http://{t.LOOPBACK}:{t.ETCD_METRICS_PORT}/health"),
        listens=(
            (t.LOOPBACK, t.ETCD_CLIENT_PORT),
            (t.LOOPBACK, t.ETCD_PEER_PORT),
            (t.LOOPBACK, t.ETCD_METRICS_PORT),
        ),
    )


def _containerd(paths: LabPaths, node: Node = CONTROL_PLANE) -> ComponentSpec:
    own = node_paths(paths, node)
    no_proxy = ",".join(["127.0.0.1", "localhost", node.ip])
    return ComponentSpec(
        name="containerd",
        binary="containerd",
        args=(f"--config={ConfigFiles(own.config).containerd}",),
        # A unix socket is reached through the file system, from any network namespace.
        probe=Probe("unix", str(own.containerd_socket)),
        env={
            "HTTP_PROXY": NO_EGRESS_PROXY,
            "HTTPS_PROXY": NO_EGRESS_PROXY,
            "NO_PROXY": no_proxy,
        },
        node=node.name if node.is_worker else "",
        enter=namespace_entry(paths, node),
    )


def _apiserver(paths: LabPaths) -> ComponentSpec:
    pki = paths.pki
    return ComponentSpec(
        name="kube-apiserver",
        binary="kube-apiserver",
        args=(
            f"--advertise-address={t.NODE_IP}",
            f"--bind-address={t.NODE_IP}",
            f"--secure-port={t.APISERVER_PORT}",
            f"--tls-cert-file={pki / 'apiserver.crt'}",
            f"--tls-private-key-file={pki / 'apiserver.key'}",
            f"--client-ca-file={pki / 'ca.crt'}",
            "--anonymous-auth=false",
            "--authorization-mode=Node,RBAC",
            # The default plugins stay on; NodeRestriction limits the kubelet to its own node.
            "--enable-admission-plugins=NodeRestriction",
            "--allow-privileged=true",
            f"--etcd-servers=https://{t.LOOPBACK}:{t.ETCD_CLIENT_PORT}",
            f"--etcd-cafile={pki / 'etcd-ca.crt'}",
            f"--etcd-certfile={pki / 'apiserver-etcd-client.crt'}",
            f"--etcd-keyfile={pki / 'apiserver-etcd-client.key'}",
            f"--kubelet-client-certificate={pki / 'apiserver-kubelet-client.crt'}",
            f"--kubelet-client-key={pki / 'apiserver-kubelet-client.key'}",
            f"--kubelet-certificate-authority={pki / 'ca.crt'}",
            "--kubelet-preferred-address-types=InternalIP",
            f"--requestheader-client-ca-file={pki / 'front-proxy-ca.crt'}",
            "--requestheader-allowed-names=front-proxy-client",
            "--requestheader-username-headers=X-Remote-User",
            "--requestheader-group-headers=X-Remote-Group",
            "--requestheader-extra-headers-prefix=X-Remote-Extra-",
            f"--proxy-client-cert-file={pki / 'front-proxy-client.crt'}",
            f"--proxy-client-key-file={pki / 'front-proxy-client.key'}",
            f"--service-cluster-ip-range={t.SERVICE_CIDR}",
            f"--service-account-issuer=https://kubernetes.default.svc.{t.CLUSTER_DOMAIN}",
            f"--service-account-key-file={pki / 'service-account.pub'}",
            f"--service-account-signing-key-file={pki / 'service-account.key'}",
            "--profiling=false",
            # Pods leave a failed node after seconds, not the default five minutes.
            f"--default-not-ready-toleration-seconds={t.EVICTION_TOLERATION_SECONDS}",
            f"--default-unreachable-toleration-seconds={t.EVICTION_TOLERATION_SECONDS}",
            # Stop within seconds: drain short requests, then close watches after 2s
            # instead of waiting a minute for every long-running request.
            "--shutdown-send-retry-after=true",
            # Who did what to the lab's objects, for the probes' timelines (labcluster/audit.py).
            *audit_flags(str(ConfigFiles(paths.config).audit_policy), str(paths.logs / AUDIT_LOG_NAME)),
        ),
        probe=Probe("https-client", f"{t.APISERVER_URL}/readyz"),
        listens=((t.NODE_IP, t.APISERVER_PORT),),
        ready_timeout=90.0,
    )


def _controller_manager(paths: LabPaths) -> ComponentSpec:
    pki = paths.pki
    kubeconfig = paths.kubeconfigs / "kube-controller-manager.kubeconfig"
    return ComponentSpec(
        name="kube-controller-manager",
        binary="kube-controller-manager",
        args=(
            f"--kubeconfig={kubeconfig}",
            f"--authentication-kubeconfig={kubeconfig}",
            f"--authorization-kubeconfig={kubeconfig}",
            f"--bind-address={t.LOOPBACK}",
            f"--secure-port={t.CONTROLLER_MANAGER_PORT}",
            # One instance: leader election would only delay every restart by a lease period.
            "--leader-elect=false",
            "--use-service-account-credentials=true",
            f"--root-ca-file={pki / 'ca.crt'}",
            f"--service-account-private-key-file={pki / 'service-account.key'}",
            f"--cluster-signing-cert-file={pki / 'ca.crt'}",
            f"--cluster-signing-key-file={pki / 'ca.key'}",
            f"--cluster-name={t.CLUSTER_NAME}",
            # Every node's pod CIDR is fixed by the lab (nodes.py), none is allocated.
            f"--cluster-cidr={t.POD_NETWORK}",
            "--allocate-node-cidrs=false",
            f"--service-cluster-ip-range={t.SERVICE_CIDR}",
            # A node whose kubelet stops is NotReady within seconds (topology.py).
            f"--node-monitor-grace-period={t.NODE_MONITOR_GRACE_SECONDS}s",
            f"--node-monitor-period={t.NODE_MONITOR_PERIOD_SECONDS}s",
            "--profiling=false",
        ),
        probe=Probe("https-local", f"https://{t.LOOPBACK}:{t.CONTROLLER_MANAGER_PORT}/healthz"),
        listens=((t.LOOPBACK, t.CONTROLLER_MANAGER_PORT),),
    )


def _scheduler(paths: LabPaths) -> ComponentSpec:
    kubeconfig = paths.kubeconfigs / "kube-scheduler.kubeconfig"
    return ComponentSpec(
        name="kube-scheduler",
        binary="kube-scheduler",
        args=(
            f"--config={ConfigFiles(paths.config).scheduler}",
            f"--authentication-kubeconfig={kubeconfig}",
            f"--authorization-kubeconfig={kubeconfig}",
            f"--bind-address={t.LOOPBACK}",
            f"--secure-port={t.SCHEDULER_PORT}",
            "--profiling=false",
        ),
        probe=Probe("https-local", f"https://{t.LOOPBACK}:{t.SCHEDULER_PORT}/healthz"),
        listens=((t.LOOPBACK, t.SCHEDULER_PORT),),
    )


def _kubelet(paths: LabPaths, node: Node = CONTROL_PLANE) -> ComponentSpec:
    own = node_paths(paths, node)
    # A worker's health endpoint is on its node address: the host probes it from
    # outside the worker's network namespace, whose loopback it cannot reach.
    healthz = node.ip if node.is_worker else t.LOOPBACK
    return ComponentSpec(
        name="kubelet",
        binary="kubelet",
        args=(
            f"--config={ConfigFiles(own.config).kubelet}",
            f"--kubeconfig={own.kubeconfigs / 'kubelet.kubeconfig'}",
            f"--root-dir={own.kubelet_root}",
            f"--node-ip={node.ip}",
            f"--hostname-override={node.name}",
            "--v=1",
        ),
        probe=Probe("http", f"http://{healthz}:{t.KUBELET_HEALTHZ_PORT}/healthz"),
        listens=((node.ip, t.KUBELET_PORT), (healthz, t.KUBELET_HEALTHZ_PORT)),
        # client-go notices a silently dead connection to the apiserver after these
        # two timeouts (30 s + 15 s by default); shorter than the node grace period,
        # a kubelet reconnects before its node could be declared lost.
        env={"HTTP2_READ_IDLE_TIMEOUT_SECONDS": "10", "HTTP2_PING_TIMEOUT_SECONDS": "5"},
        node=node.name if node.is_worker else "",
        enter=namespace_entry(paths, node),
        # containerd accepts connections before its CRI service is initialised; a
        # kubelet started in that second exits at once ("server is not initialized yet").
        start_attempts=3,
    )


def _kube_proxy(paths: LabPaths, node: Node = CONTROL_PLANE) -> ComponentSpec:
    own = node_paths(paths, node)
    healthz = node.ip if node.is_worker else t.LOOPBACK
    return ComponentSpec(
        name="kube-proxy",
        binary="kube-proxy",
        args=(f"--config={ConfigFiles(own.config).kube_proxy}",),
        probe=Probe("http", f"http://{healthz}:{t.KUBE_PROXY_HEALTHZ_PORT}/healthz"),
        listens=((healthz, t.KUBE_PROXY_HEALTHZ_PORT), (t.LOOPBACK, t.KUBE_PROXY_METRICS_PORT)),
        node=node.name if node.is_worker else "",
        enter=namespace_entry(paths, node),
    )


def component_specs(paths: LabPaths) -> list[ComponentSpec]:
    """Every daemon, in the order they start (and the reverse of the order they stop)."""
    return [
        _etcd(paths),
        _containerd(paths),
        _apiserver(paths),
        _controller_manager(paths),
        _scheduler(paths),
        _kubelet(paths),
        _kube_proxy(paths),
    ]


def worker_specs(paths: LabPaths, node: Node) -> list[ComponentSpec]:
    """A worker's daemons, in start order, each inside the worker's namespaces."""
    return [_containerd(paths, node), _kubelet(paths, node), _kube_proxy(paths, node)]


TOOLCHAIN_BINARIES = (
    "etcd",
    "containerd",
    "containerd-shim-runc-v2",
    "ctr",
    "runc",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kubelet",
    "kube-proxy",
    "kubectl",
    "coredns",
    "local-path-provisioner",
)

"""The embedded lab cluster: a real Kubernetes built from upstream parts, on one machine.

`python -m labcluster up|down|status|nodes|reset|kubeconfig` starts, stops, inspects
and wipes it; `node stop|start NAME` crashes and revives one worker. The control-plane
node runs etcd, containerd (with runc and the CNI plugins), kube-apiserver,
kube-controller-manager, kube-scheduler, kubelet and kube-proxy, all from the
toolchain's binaries, and CoreDNS as a Deployment; each of 0..3 workers (STATEFULSET_LAB_WORKERS,
default 2) runs containerd, kubelet and kube-proxy in network and mount namespaces of
its own. Every image it needs is built on this machine and imported into every
node's containerd; nothing is pulled.

Modules:
- `paths`: where state, logs, caches and the toolchain live.
- `topology`: names, addresses, CIDRs, ports and node-failure timings the cluster uses.
- `nodes`: the node plan (pure): each node's names, addresses, pod CIDR, routes, paths.
- `namespaces`: a worker's network namespace, mount namespace and cgroup root.
- `workers`: preparing, stopping and removing a worker; the recorded layout.
- `certs`, `kubeconfig`: the PKI (through openssl) and the kubeconfigs.
- `configs`: the rendered config files of containerd, CNI, kubelet, kube-proxy, scheduler.
- `components`: how each daemon is started and how its health is checked.
- `processes`: detached daemons with pid files and logs.
- `network`: sysctls, the node bridge, routes to the workers, the egress guard.
- `images`, `imagearchive`, `rootfs`, `gobuild`: the locally built images.
- `addons`, `kubectl`, `dnsquery`: cluster add-ons (CoreDNS, RBAC) and checks.
- `preflight`, `cluster`, `status`: the commands themselves.
"""

"""The embedded lab cluster: a real single-node Kubernetes built from upstream parts.

`python -m labcluster up|down|status|reset|kubeconfig` starts, stops, inspects and
wipes it. The cluster runs etcd, kube-apiserver, kube-controller-manager,
kube-scheduler, kubelet and kube-proxy from the toolchain's binaries, containerd and
runc from Debian, Debian's CNI plugins, and CoreDNS as a Deployment. Every image it
needs is built on this machine and imported into containerd; nothing is pulled.

Modules:
- `paths`: where state, logs, caches and the toolchain live.
- `topology`: node name, addresses, CIDRs and ports the cluster uses.
- `certs`, `kubeconfig`: the PKI (through openssl) and the kubeconfigs.
- `configs`: the rendered config files of containerd, CNI, kubelet, kube-proxy, scheduler.
- `components`: how each daemon is started and how its health is checked.
- `processes`: detached daemons with pid files and logs.
- `network`: sysctls, the node address bridge, the pod egress guard.
- `images`, `imagearchive`, `rootfs`, `gobuild`: the locally built images.
- `addons`, `kubectl`, `dnsquery`: cluster add-ons (CoreDNS, RBAC) and checks.
- `preflight`, `cluster`, `status`: the commands themselves.
"""

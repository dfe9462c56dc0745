#!/usr/bin/env bash
# Installs the Debian packages the lab cluster and the image builds need.
# Idempotent: does nothing (and needs no network) when all are present.
set -euo pipefail

packages=(
  containerd                  # container runtime (CRI) for the kubelet
  runc                        # OCI runtime under containerd
  containernetworking-plugins # bridge, host-local, loopback, portmap (/usr/lib/cni)
  iptables                    # kube-proxy's service rules, CNI masquerading
  conntrack                   # kube-proxy flushes stale UDP entries (DNS) with it
  socat                       # kubectl port-forward
  busybox-static              # the busybox images are built from it
  debootstrap                 # the nginx-slim images are built from Debian packages
  openssl                     # certificates and kubeconfigs
  iproute2                    # network namespaces and bridges
  util-linux                  # nsenter, mount
  curl                        # health checks
  python3-venv                # the project's virtualenv
  chromium                    # headless: the report page's browser test renders it (tests/unit)
  fonts-dejavu-core           # the text of that page and its pictures (DejaVu Sans)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "system-packages: all present"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "system-packages: missing ${missing[*]}; run 'sudo $0' (the lab cluster needs root)." >&2
  exit 1
fi
echo "system-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts containerd as a service on install; the lab runs its own
# containerd with its own state, so the packaged one must not hold the socket.
if command -v systemctl >/dev/null && systemctl is-active --quiet containerd 2>/dev/null; then
  systemctl disable --now containerd >/dev/null 2>&1 || true
fi
echo "system-packages: done"

#!/usr/bin/env bash
# Installs the Debian packages the lab cluster and the image builds need.
# Idempotent: does nothing (and needs no network) when all are present.
set -euo pipefail

# containerd, runc and the CNI plugins are not among them: Debian 12's (1.6, 1.1,
# 1.1) are too old for Kubernetes 1.37, so toolchain/build.sh builds them.
packages=(
  gcc                         # runc's nsenter is C (cgo), built by toolchain/build.sh
  libc6-dev                   # ... and linked statically
  libseccomp-dev              # runc's seccomp support (static libseccomp.a)
  pkg-config                  # ... found through libseccomp.pc
  iptables                    # kube-proxy's service rules, the CNI portmap plugin
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
echo "system-packages: done"

#!/usr/bin/env bash
# Builds every binary the lab needs from the Go module proxy, at the versions
# in toolchain/versions.env, into versioned directories under the user's cache
# directory, and links them into one bin directory.
#
#   toolchain/build.sh            build what is missing (idempotent, resumable)
#   toolchain/build.sh --print-bin print the bin directory and exit
#   toolchain/build.sh --check     check every binary answers with its pinned version
#   toolchain/build.sh NAME...     build only these components
#
# Components: etcd kubernetes containerd runc cni-plugins coredns
#             local-path-provisioner pulumi pulumi-language-python
#             pulumi-resource-kubernetes pulumi-resource-command
#
# runc is the one component built with cgo (its nsenter part is C): it needs
# gcc and libseccomp's headers and static library (toolchain/system-packages.sh).
# The CNI plugins go to their own directory, linked as $TOOLCHAIN_CNI_BIN.
#
# STATEFULSET_LAB_PLUGIN_ARCHIVES names a directory of offline Pulumi plugin
# archives (pulumi-resource-command-v<ver>-linux-<arch>.tar.gz,
# pulumi-language-python-v<ver>-linux-<arch>.tar.gz). When it is set, the
# command provider and the Python language host are installed from there,
# after their sha256 is checked against the pins in versions.env. Without it,
# the command provider is installed the usual way (`pulumi plugin install`,
# which downloads it) and the language host is built from Go modules.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=toolchain/versions.env
source "$here/versions.env"
# shellcheck source=toolchain/paths.sh
source "$here/paths.sh"

if [[ "${1:-}" == "--print-bin" ]]; then
  echo "$TOOLCHAIN_BIN"
  exit 0
fi

export GOMODCACHE="$LAB_CACHE/go/mod"
export GOCACHE="$LAB_CACHE/go/build"
export GOFLAGS=-mod=mod
# The checksum database is not reachable from this network; the module proxy
# is the only source, and go.sum still pins every hash after the first fetch.
export GOSUMDB=off
export GOTOOLCHAIN=local
# Static binaries: they run in the lab's images and on the host alike.
export CGO_ENABLED=0

mkdir -p "$TOOLCHAIN_DIR" "$TOOLCHAIN_BIN" "$TOOLCHAIN_LOGS" "$GOMODCACHE" "$GOCACHE"

command -v go >/dev/null || {
  echo "toolchain: 'go' is not on PATH. Install Go >= 1.26.8 (https://go.dev/doc/install) and run 'make toolchain' again." >&2
  exit 1
}

log_file=""
# run_logged CMD...: runs a build step with its output in the component's log;
# on failure names the component, the command and the log, then exits.
run_logged() {
  if ! "$@" >>"$log_file" 2>&1; then
    echo "toolchain: FAILED building $component: $*" >&2
    echo "toolchain: log: $log_file (last lines below)" >&2
    tail -n 25 "$log_file" >&2
    exit 1
  fi
}

# link_bins DIR: puts every executable of DIR into the shared bin directory.
link_bins() {
  local f
  for f in "$1"/*; do
    [[ -x "$f" && -f "$f" ]] && ln -sfn "$f" "$TOOLCHAIN_BIN/$(basename "$f")"
  done
  return 0
}

# link_component NAME DIR: makes a built component's binaries the ones in use.
link_component() {
  case "$1" in
    pulumi-resource-kubernetes) ;; # an installed plugin, not a command
    cni-plugins) ln -sfn "$2" "$TOOLCHAIN_CNI_BIN" ;;
    *) link_bins "$2" ;;
  esac
}

# write_wrapper_module DIR MODULE GO_VERSION: a fresh go.mod for a build that
# has to pin replace lines `go install` would refuse.
write_wrapper_module() {
  mkdir -p "$1"
  rm -f "$1/go.mod" "$1/go.sum"
  printf 'module statefulsetlab.local/build/%s\n\ngo %s\n' "$2" "$3" >"$1/go.mod"
}

# module_file MODULE@VERSION FIELD: downloads a module and prints one of the
# paths `go mod download -json` reports (Dir, GoMod, Zip).
module_file() {
  (cd "$work" && go mod download -json "$1") | sed -n "s/^\t\"$2\": \"\(.*\)\",\{0,1\}$/\1/p"
}

# non_relative_replaces GO_MOD_FILE: the replace lines of an upstream go.mod
# that point at other modules (relative ones only make sense in its repo).
non_relative_replaces() {
  awk '
    /^replace \(/ { inblock = 1; next }
    inblock && /^\)/ { inblock = 0; next }
    /^replace / { sub(/^replace /, ""); line = $0 }
    inblock { line = $0 }
    line != "" {
      if (line !~ /=> *\.\.?\//) { gsub(/^[ \t]+/, "", line); print "replace " line }
      line = ""
    }' "$1"
}

build_etcd() {
  write_wrapper_module "$work" etcd 1.26.0
  local dep
  for dep in api/v3 client/pkg/v3 client/v3 pkg/v3; do
    echo "replace go.etcd.io/etcd/$dep => go.etcd.io/etcd/$dep $ETCD_VERSION" >>"$work/go.mod"
  done
  cat >"$work/main.go" <<'GO'
// The etcd server binary: etcd's own entry point, built from its server module.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  run_logged bash -c "cd '$work' && go get go.etcd.io/etcd/server/v3@$ETCD_VERSION && go mod tidy"
  run_logged bash -c "cd '$work' && go build -trimpath -ldflags '-s -w' -o '$out/etcd' ."
}

build_kubernetes() {
  write_wrapper_module "$work" kubernetes 1.24.0
  local gomod staging minor
  gomod=$(module_file "k8s.io/kubernetes@$KUBERNETES_VERSION" GoMod)
  # Each staging module is published as v0.<minor>.<patch> of the release.
  staging="v0${KUBERNETES_VERSION#v1}"
  sed -n 's#^\t\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "$gomod" | while read -r mod; do
    echo "replace $mod => $mod $staging"
  done >>"$work/go.mod"
  minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
  local cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
  local pkgs=() c
  for c in "${cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  run_logged bash -c "cd '$work' && go get ${pkgs[*]/%/@$KUBERNETES_VERSION}"
  local ldflags="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean"
  done
  for c in "${cmds[@]}"; do
    echo "  ... $c" >>"$log_file"
    run_logged bash -c "cd '$work' && go build -trimpath -ldflags '$ldflags' -o '$out/$c' k8s.io/kubernetes/cmd/$c"
  done
}

# containerd, its runc shim and ctr: pure Go and static, as in containerd's own
# static release; the snapshotters the lab never uses (btrfs, devmapper, zfs)
# are left out. The shim is built without gRPC, as upstream builds it.
build_containerd() {
  local pkg=github.com/containerd/containerd/v2 ldflags
  ldflags="-s -w -X $pkg/version.Version=$CONTAINERD_VERSION -X $pkg/version.Package=$pkg"
  run_logged env GOBIN="$out" go install -trimpath -ldflags "$ldflags" \
    -tags 'urfave_cli_no_docs osusergo netgo no_btrfs no_devmapper no_zfs' \
    "$pkg/cmd/containerd@$CONTAINERD_VERSION" "$pkg/cmd/ctr@$CONTAINERD_VERSION"
  run_logged env GOBIN="$out" go install -trimpath -ldflags "$ldflags" \
    -tags 'urfave_cli_no_docs no_grpc' "$pkg/cmd/containerd-shim-runc-v2@$CONTAINERD_VERSION"
}

# runc with seccomp (containerd's RuntimeDefault profile, which a pod asks for with
# `seccompProfile: RuntimeDefault`, needs it), linked statically against
# libseccomp. Without the `libpathrs` tag of upstream's Makefile: that Rust
# library has no Debian 12 package; runc then uses its pure-Go path-safety code.
runc_build_deps_present() {
  if ! command -v gcc >/dev/null || ! pkg-config --exists libseccomp 2>/dev/null; then
    echo "toolchain: runc needs gcc and libseccomp's headers (Debian: gcc, libseccomp-dev, pkg-config); run 'make system-packages' (as root) first." >&2
    return 1
  fi
}

build_runc() {
  if ! runc_build_deps_present; then
    exit 1
  fi
  run_logged env CGO_ENABLED=1 GOBIN="$out" go install -trimpath \
    -tags 'seccomp urfave_cli_no_docs netgo osusergo' \
    -ldflags '-s -w -extldflags -static' "github.com/opencontainers/runc@$RUNC_VERSION"
}

# The CNI plugins the lab's network uses: bridge + host-local (the pod network),
# loopback (containerd runs it for every pod), portmap (hostPort).
build_cni_plugins() {
  local mod=github.com/containernetworking/plugins p pkgs=()
  for p in main/bridge main/loopback ipam/host-local meta/portmap; do
    pkgs+=("$mod/plugins/$p@$CNI_PLUGINS_VERSION")
  done
  run_logged env GOBIN="$out" go install -trimpath \
    -ldflags "-s -w -X $mod/pkg/utils/buildversion.BuildVersion=$CNI_PLUGINS_VERSION" "${pkgs[@]}"
}

build_pulumi() {
  write_wrapper_module "$work" pulumi 1.26.6
  local gomod
  gomod=$(module_file "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" GoMod)
  non_relative_replaces "$gomod" >>"$work/go.mod"
  echo "require github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION" >>"$work/go.mod"
  run_logged bash -c "cd '$work' && go get github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
  run_logged bash -c "cd '$work' && go build -trimpath -ldflags '-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION' -o '$out/pulumi' github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
}

# The Python language host from the last SDK release that contained it, with
# the scripts of the SDK release that matches the pip package, as in Pulumi's
# own distribution. Used only when no plugin archive directory is given.
build_pulumi_language_python() {
  local v=$PULUMI_LANGUAGE_PYTHON_SDK_VERSION sdk_dir gomod
  write_wrapper_module "$work" pulumi-language-python 1.18
  gomod=$(module_file "github.com/pulumi/pulumi/sdk/v3@$v" GoMod)
  non_relative_replaces "$gomod" >>"$work/go.mod"
  run_logged bash -c "cd '$work' && go get github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python@$v"
  run_logged bash -c "cd '$work' && go build -trimpath -ldflags '-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v' -o '$out/pulumi-language-python' github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"
  sdk_dir=$(module_file "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" Dir)
  install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$out/"
  install -m 0755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$out/"
}

# --- offline plugin archives -------------------------------------------------

archive_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) echo amd64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) uname -m ;;
  esac
}

# plugin_archive NAME VERSION: the path of a plugin archive in the offline
# directory, after checking its sha256 against the pin; empty without a
# directory. Fails, naming the file and both hashes, on any mismatch.
plugin_archive() {
  local dir=${STATEFULSET_LAB_PLUGIN_ARCHIVES:-} arch pin_var pin file have
  [[ -n "$dir" ]] || return 0
  arch=$(archive_arch)
  file="$dir/$1-v$2-linux-$arch.tar.gz"
  if [[ ! -d "$dir" ]]; then
    echo "toolchain: STATEFULSET_LAB_PLUGIN_ARCHIVES=$dir is not a directory: point it at the offline plugin archives, or unset it to download" >&2
    exit 1
  fi
  if [[ ! -f "$file" ]]; then
    echo "toolchain: $file is missing from STATEFULSET_LAB_PLUGIN_ARCHIVES; add it, or unset the variable to download" >&2
    exit 1
  fi
  pin_var="$(echo "$1" | tr 'a-z-' 'A-Z_' | sed 's/^PULUMI_RESOURCE_/PULUMI_/')_ARCHIVE_SHA256_$(echo "$arch" | tr 'a-z' 'A-Z')"
  pin=${!pin_var:-}
  if [[ -z "$pin" ]]; then
    echo "toolchain: no sha256 pinned for $(basename "$file") ($pin_var in toolchain/versions.env)" >&2
    exit 1
  fi
  have=$(sha256sum "$file" | cut -d' ' -f1)
  if [[ "$have" != "$pin" ]]; then
    echo "toolchain: $file has sha256 $have, but toolchain/versions.env pins $pin: refusing to install it" >&2
    exit 1
  fi
  echo "$file"
}

# The language host sits next to the CLI, where the CLI looks for the
# plugins it bundles (no "ambient plugin" warnings on every run). A marker
# file records which host is there and where it came from.
install_python_host() {
  local cli_dir marker archive want tmp
  cli_dir=$(dirname "$(readlink -f "$TOOLCHAIN_BIN/pulumi")")
  [[ "$cli_dir" == "$TOOLCHAIN_DIR"/* ]] || return 0 # a Pulumi the user installed brings its own
  marker="$cli_dir/.python-host"
  if [[ -n "${STATEFULSET_LAB_PLUGIN_ARCHIVES:-}" ]]; then
    want="v$PULUMI_LANGUAGE_PYTHON_VERSION from pulumi-language-python-v$PULUMI_LANGUAGE_PYTHON_VERSION-linux-$(archive_arch).tar.gz (sha256 checked)"
    if [[ "$(cat "$marker" 2>/dev/null)" != "$want" ]]; then
      archive=$(plugin_archive pulumi-language-python "$PULUMI_LANGUAGE_PYTHON_VERSION")
      tmp=$(mktemp -d)
      tar -xzf "$archive" -C "$tmp"
      install -m 0755 "$tmp/pulumi-language-python" "$tmp/pulumi-language-python-exec" \
        "$tmp/pulumi-resource-pulumi-python" "$cli_dir/"
      rm -rf "$tmp"
      echo "$want" >"$marker"
    fi
  elif [[ ! -f "$marker" ]]; then
    build_component pulumi-language-python
    install -m 0755 "$TOOLCHAIN_DIR/pulumi-language-python-$PULUMI_LANGUAGE_PYTHON_SDK_VERSION"/pulumi-* "$cli_dir/"
    echo "sdk $PULUMI_LANGUAGE_PYTHON_SDK_VERSION built from Go modules" >"$marker"
  fi
  link_bins "$cli_dir"
  printf 'toolchain: %-28s %s\n' "python language host" "$(cat "$marker")"
}

command_plugin_installed() {
  "$TOOLCHAIN_BIN/pulumi" plugin ls 2>/dev/null | awk '$1 == "command" && $2 == "resource" {print $3}' |
    grep -qx "$PULUMI_COMMAND_VERSION"
}

install_command_plugin() {
  local archive marker="$TOOLCHAIN_DIR/.command-plugin"
  if command_plugin_installed; then
    printf 'toolchain: %-28s %-36s %s\n' pulumi-resource-command "v$PULUMI_COMMAND_VERSION" \
      "installed ($(cat "$marker" 2>/dev/null || echo "by an earlier install"))"
    return 0
  fi
  archive=$(plugin_archive pulumi-resource-command "$PULUMI_COMMAND_VERSION")
  log_file="$TOOLCHAIN_LOGS/pulumi-resource-command-v$PULUMI_COMMAND_VERSION.log"
  component=pulumi-resource-command
  : >"$log_file"
  if [[ -n "$archive" ]]; then
    run_logged "$TOOLCHAIN_BIN/pulumi" plugin install resource command "$PULUMI_COMMAND_VERSION" --file "$archive"
    echo "from $(basename "$archive"), sha256 checked" >"$marker"
  else
    if ! "$TOOLCHAIN_BIN/pulumi" plugin install resource command "$PULUMI_COMMAND_VERSION" >>"$log_file" 2>&1; then
      echo "toolchain: could not download the pulumi-command provider v$PULUMI_COMMAND_VERSION (log: $log_file)." >&2
      echo "toolchain: without internet access, point STATEFULSET_LAB_PLUGIN_ARCHIVES at a directory holding pulumi-resource-command-v$PULUMI_COMMAND_VERSION-linux-$(archive_arch).tar.gz" >&2
      exit 1
    fi
    echo "downloaded by pulumi plugin install" >"$marker"
  fi
  printf 'toolchain: %-28s %-36s installed %s\n' pulumi-resource-command "v$PULUMI_COMMAND_VERSION" "$(cat "$marker")"
}

build_pulumi_resource_kubernetes() {
  local mod=github.com/pulumi/pulumi-kubernetes/provider/v4 dir gomod
  write_wrapper_module "$work" pulumi-resource-kubernetes 1.24.7
  echo "require github.com/pulumi/pulumi-kubernetes/sdk/v4 v$PULUMI_KUBERNETES_VERSION" >>"$work/go.mod"
  dir=$(module_file "$mod@$PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION" Dir)
  gomod=$(module_file "$mod@$PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION" GoMod)
  non_relative_replaces "$gomod" >>"$work/go.mod"
  # The provider embeds its schema with the release version stamped in, a file
  # the release build generates; do the same from the committed schema.
  python3 - "$dir/cmd/pulumi-resource-kubernetes/schema.json" "$work/schema-embed.json" "$PULUMI_KUBERNETES_VERSION" <<'PY'
import json, sys
schema = json.load(open(sys.argv[1]))
schema["version"] = sys.argv[3]
json.dump(schema, open(sys.argv[2], "w"))
PY
  cp "$dir/cmd/pulumi-resource-kubernetes/terraform-mapping.json" "$work/terraform-mapping-embed.json"
  chmod u+w "$work"/*.json
  cat >"$work/main.go" <<'GO'
// Entry point of the Kubernetes resource provider, serving the embedded schema.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var schema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() { provider.Serve("kubernetes", version.Version, schema, terraformMapping) }
GO
  run_logged bash -c "cd '$work' && go get $mod@$PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION && go mod tidy"
  run_logged bash -c "cd '$work' && go build -trimpath -ldflags '-s -w -X $mod/pkg/version.Version=v$PULUMI_KUBERNETES_VERSION' -o '$out/pulumi-resource-kubernetes' ."
  install_kubernetes_plugin "$out/pulumi-resource-kubernetes"
}

# Registers the provider as an installed plugin of the pinned version, so
# Pulumi finds it without a download and without an "ambient plugin" warning.
install_kubernetes_plugin() {
  run_logged "$TOOLCHAIN_BIN/pulumi" plugin install resource kubernetes "v$PULUMI_KUBERNETES_VERSION" --file "$1"
}

kubernetes_plugin_installed() {
  "$TOOLCHAIN_BIN/pulumi" plugin ls 2>/dev/null | awk '$1 == "kubernetes" && $2 == "resource" {print $3}' |
    grep -qx "$PULUMI_KUBERNETES_VERSION"
}

build_coredns() {
  run_logged env GOBIN="$out" go install -trimpath -ldflags '-s -w' "github.com/coredns/coredns@$COREDNS_VERSION"
}

build_local_path_provisioner() {
  run_logged env GOBIN="$out" go install -trimpath \
    -ldflags "-s -w -X main.VERSION=$LOCAL_PATH_PROVISIONER_VERSION" \
    "github.com/rancher/local-path-provisioner@$LOCAL_PATH_PROVISIONER_VERSION"
}

# component_version NAME: the pinned version that names the component's directory.
component_version() {
  case "$1" in
    etcd) echo "$ETCD_VERSION" ;;
    kubernetes) echo "$KUBERNETES_VERSION" ;;
    containerd) echo "$CONTAINERD_VERSION" ;;
    runc) echo "$RUNC_VERSION" ;;
    cni-plugins) echo "$CNI_PLUGINS_VERSION" ;;
    pulumi) echo "v$PULUMI_VERSION" ;;
    pulumi-language-python) echo "$PULUMI_LANGUAGE_PYTHON_SDK_VERSION" ;;
    pulumi-resource-kubernetes) echo "v$PULUMI_KUBERNETES_VERSION" ;;
    coredns) echo "$COREDNS_VERSION" ;;
    local-path-provisioner) echo "$LOCAL_PATH_PROVISIONER_VERSION" ;;
    *) echo "toolchain: unknown component '$1'" >&2; exit 2 ;;
  esac
}

# use_existing_pulumi NAME: where the user already has the pinned Pulumi CLI
# (with its Python host) or Kubernetes plugin, use it instead of building.
# Says why when it does not.
use_existing_pulumi() {
  local found have
  case "$1" in
    pulumi)
      found=$(command -v pulumi || true)
      [[ -n "$found" && "$(readlink -f "$found")" != "$TOOLCHAIN_DIR"/* ]] || return 1
      have=$("$found" version 2>/dev/null || true)
      if [[ "$have" == "v$PULUMI_VERSION" && -x "$(dirname "$(readlink -f "$found")")/pulumi-language-python" ]]; then
        echo "toolchain: using pulumi $have already installed at $found"
        ln -sfn "$found" "$TOOLCHAIN_BIN/pulumi"
        return 0
      fi
      echo "toolchain: $found is ${have:-an unknown version}, the lab pins v$PULUMI_VERSION: building it"
      return 1 ;;
    pulumi-resource-kubernetes)
      if kubernetes_plugin_installed; then
        echo "toolchain: using the installed kubernetes plugin v$PULUMI_KUBERNETES_VERSION"
        return 0
      fi
      return 1 ;;
  esac
  return 1
}

build_component() {
  component=$1
  local version start elapsed fn
  version=$(component_version "$component")
  out="$TOOLCHAIN_DIR/$component-$version"
  work="$LAB_CACHE/go/work/$component-$version"
  log_file="$TOOLCHAIN_LOGS/$component-$version.log"
  : >>"$log_file"
  if [[ -f "$out/.complete" ]]; then
    [[ "$component" == pulumi-resource-kubernetes ]] && ! kubernetes_plugin_installed && install_kubernetes_plugin "$out/pulumi-resource-kubernetes"
    link_component "$component" "$out"
    printf 'toolchain: %-28s %-36s cached\n' "$component" "$version"
    return 0
  fi
  if use_existing_pulumi "$component"; then return 0; fi
  # On stderr: a set-up that runs quietly (`make up`) still says why it takes minutes.
  printf 'toolchain: %-28s %-36s building (log: %s)\n' "$component" "$version" "$log_file" >&2
  start=$(date +%s)
  mkdir -p "$out" "$work"
  : >"$log_file"
  fn="build_${component//-/_}"
  "$fn"
  touch "$out/.complete"
  link_component "$component" "$out"
  elapsed=$(($(date +%s) - start))
  printf 'toolchain: %-28s %-36s built in %dm%02ds\n' "$component" "$version" $((elapsed / 60)) $((elapsed % 60)) >&2
}

# check_versions: every binary answers its version command with the pin.
check_versions() {
  local bin=$TOOLCHAIN_BIN bad=0 line
  check() { # NAME WANT COMMAND...
    local name=$1 want=$2
    shift 2
    line=$("$@" 2>&1 | tr '\n' ' ' || true)
    if [[ "$line" == *"$want"* ]]; then
      printf 'toolchain: %-26s %s\n' "$name" "$want"
    else
      printf 'toolchain: %-26s MISMATCH: want %s, got: %s\n' "$name" "$want" "${line:0:120}"
      bad=1
    fi
  }
  for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    check "$c" "$KUBERNETES_VERSION" "$bin/$c" --version
  done
  check kubectl "$KUBERNETES_VERSION" "$bin/kubectl" version --client
  check containerd "$CONTAINERD_VERSION" "$bin/containerd" --version
  check ctr "$CONTAINERD_VERSION" "$bin/ctr" --version
  check containerd-shim-runc-v2 "$CONTAINERD_VERSION" "$bin/containerd-shim-runc-v2" -v
  check runc "runc version ${RUNC_VERSION#v}" "$bin/runc" --version
  # The libseccomp line appears only in a runc built with seccomp.
  check "runc seccomp" "libseccomp: " "$bin/runc" --version
  local plugin
  for plugin in bridge host-local loopback portmap; do
    # Run without CNI_COMMAND, a plugin names itself and its version.
    check "cni $plugin" "CNI $plugin plugin $CNI_PLUGINS_VERSION" env -i "$TOOLCHAIN_CNI_BIN/$plugin"
  done
  check etcd "${ETCD_VERSION#v}" "$bin/etcd" --version
  check coredns "${COREDNS_VERSION#v}" "$bin/coredns" -version
  check local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION" "$bin/local-path-provisioner" --version
  check pulumi "v$PULUMI_VERSION" "$bin/pulumi" version
  # The host has no version flag; the version stamped into it at build time says it.
  local host_marker host_want=$PULUMI_LANGUAGE_PYTHON_SDK_VERSION
  host_marker="$(dirname "$(readlink -f "$bin/pulumi")")/.python-host"
  [[ "$(cat "$host_marker" 2>/dev/null)" == "v$PULUMI_LANGUAGE_PYTHON_VERSION "* ]] && host_want="v$PULUMI_LANGUAGE_PYTHON_VERSION"
  check pulumi-language-python "$host_want" grep -aom1 "$host_want" "$(readlink -f "$bin/pulumi-language-python")"
  printf 'toolchain: %-26s   %s\n' "" "$(cat "$host_marker" 2>/dev/null || echo "installed with the pulumi CLI")"
  check "kubernetes plugin" "$PULUMI_KUBERNETES_VERSION" "$bin/pulumi" plugin ls
  check "command plugin" "$PULUMI_COMMAND_VERSION" bash -c "'$bin/pulumi' plugin ls | awk '\$1 == \"command\"'"
  printf 'toolchain: %-26s   %s\n' "" "$(cat "$TOOLCHAIN_DIR/.command-plugin" 2>/dev/null || echo "installed outside this toolchain")"
  return $bad
}

if [[ "${1:-}" == "--check" ]]; then
  check_versions
  exit $?
fi

all=(etcd kubernetes containerd runc cni-plugins coredns local-path-provisioner pulumi pulumi-resource-kubernetes pulumi-resource-command)
selected=("$@")
[[ ${#selected[@]} -gt 0 ]] || selected=("${all[@]}")
total_start=$(date +%s)
# runc is built after etcd, Kubernetes and containerd: find its missing build
# dependencies now, not ten minutes into a cold build.
if [[ " ${selected[*]} " == *" runc "* && ! -f "$TOOLCHAIN_DIR/runc-$RUNC_VERSION/.complete" ]]; then
  runc_build_deps_present || exit 1
fi
for c in "${selected[@]}"; do
  case "$c" in
    pulumi-resource-command) install_command_plugin ;;
    pulumi-language-python) install_python_host ;;
    pulumi) build_component pulumi && install_python_host ;;
    *) build_component "$c" ;;
  esac
done
[[ $# -gt 0 ]] || check_versions
echo "toolchain: ready in $(($(date +%s) - total_start))s; binaries in $TOOLCHAIN_BIN"

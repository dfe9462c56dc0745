"""Where the lab cluster keeps its state, logs, caches and binaries.

- State (`STATEFULSET_LAB_STATE`, default /var/lib/statefulset-lab): PKI,
  kubeconfigs, rendered configs, etcd data, containerd and kubelet roots, logs and
  pid files. It survives `down` and `up`; `reset` deletes it.
- Runtime dir (/run/statefulset-lab): containerd's sockets and task state.
- Cache (`toolchain/paths.sh` rules): the toolchain binaries (containerd, runc and
  the CNI plugins among them) and the built images, shared by every clone on the
  machine and kept by `reset`.
- Volumes: /opt/local-path-provisioner, the control-plane node's PV directories.

A worker's paths are the same layout under $STATE/nodes/<name> (nodes.node_paths).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

STATE_ENV = "STATEFULSET_LAB_STATE"
DEFAULT_STATE_DIR = Path("/var/lib/statefulset-lab")
RUNTIME_DIR = Path("/run/statefulset-lab")
LOCAL_PATH_DIR = Path("/opt/local-path-provisioner")


def lab_cache_dir(env: Mapping[str, str] = os.environ) -> Path:
    """The cache directory, by the same rules as toolchain/paths.sh.

    An empty variable counts as unset, as `${VAR:-default}` does in the shell.
    """
    explicit = env.get("STATEFULSET_LAB_CACHE", "")
    if explicit:
        return Path(explicit)
    xdg = env.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg else Path(env.get("HOME", "") or Path.home()) / ".cache"
    return base / "statefulset-lab"


def toolchain_bin_dir(env: Mapping[str, str] = os.environ) -> Path:
    """The bin directory `toolchain/build.sh` links the built binaries into."""
    return lab_cache_dir(env) / "toolchain" / "bin"


LAB_CLUSTER_ENV = "STATEFULSET_LAB_CLUSTER"
"""Set to 1 by `make` when the stack runs against the lab cluster (not a KUBECONFIG of the user's)."""


@dataclass(frozen=True)
class LabPaths:
    """Every path the cluster uses, derived from three roots."""

    state: Path
    cache: Path
    runtime: Path = RUNTIME_DIR
    volumes: Path = LOCAL_PATH_DIR

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> LabPaths:
        state = env.get(STATE_ENV, "") or str(DEFAULT_STATE_DIR)
        return cls(state=Path(state), cache=lab_cache_dir(env))

    @property
    def toolchain_bin(self) -> Path:
        return self.cache / "toolchain" / "bin"

    @property
    def cni_bin(self) -> Path:
        """The CNI plugins `toolchain/build.sh` built (TOOLCHAIN_CNI_BIN in toolchain/paths.sh)."""
        return self.cache / "toolchain" / "cni-bin"

    @property
    def image_cache(self) -> Path:
        return self.cache / "images"

    @property
    def admin_kubeconfig(self) -> Path:
        return self.state / "admin.kubeconfig"

    @property
    def pki(self) -> Path:
        return self.state / "pki"

    @property
    def kubeconfigs(self) -> Path:
        return self.state / "kubeconfigs"

    @property
    def config(self) -> Path:
        return self.state / "config"

    @property
    def logs(self) -> Path:
        return self.state / "logs"

    @property
    def pod_logs(self) -> Path:
        return self.logs / "pods"

    @property
    def pids(self) -> Path:
        return self.state / "pids"

    @property
    def etcd_data(self) -> Path:
        return self.state / "etcd"

    @property
    def containerd_root(self) -> Path:
        return self.state / "containerd"

    @property
    def containerd_state(self) -> Path:
        return self.runtime / "containerd"

    @property
    def containerd_socket(self) -> Path:
        return self.containerd_state / "containerd.sock"

    @property
    def kubelet_root(self) -> Path:
        return self.state / "kubelet"

    @property
    def cni_conf_dir(self) -> Path:
        return self.state / "cni" / "net.d"

    @property
    def cni_ipam_dir(self) -> Path:
        return self.state / "cni" / "ipam"

    def log_file(self, component: str) -> Path:
        return self.logs / f"{component}.log"

    def pid_file(self, component: str) -> Path:
        return self.pids / f"{component}.pid"


def lab_cluster_paths(env: Mapping[str, str] = os.environ) -> LabPaths | None:
    """The lab cluster's paths when the caller runs against it (as `make` says), else None."""
    return LabPaths.from_env(env) if env.get(LAB_CLUSTER_ENV) == "1" else None

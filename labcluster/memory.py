"""Memory the lab cluster uses: each daemon's RSS, the containerd shims, and the pods.

Read from /proc (resident set size of each process) and from each kubelet's
`kubepods` memory cgroup (cgroup v1: `total_rss` in memory.stat, i.e. without the
page cache the kernel can drop): /kubepods for the control-plane node,
/lab-worker-N/kubepods for a worker.
"""

from __future__ import annotations

import os
from pathlib import Path

from .paths import LabPaths

MEMORY_CGROUPS = Path("/sys/fs/cgroup/memory")
KUBEPODS_STAT = MEMORY_CGROUPS / "kubepods" / "memory.stat"


def kubepods_stat(cgroup_root: str) -> Path:
    """The memory.stat of a kubelet's pods under its cgroupRoot ("" for the default, /)."""
    return MEMORY_CGROUPS / cgroup_root.strip("/") / "kubepods" / "memory.stat"


def rss_bytes(pid: int) -> int:
    """Resident set size of a process, 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def is_shim_of(cmdline: bytes, socket: Path) -> bool:
    """Whether a /proc cmdline is a containerd shim serving the containerd at `socket` (pure).

    A shim runs from wherever its binary is (the toolchain's, by its resolved path) and
    names its containerd's socket after `-address`.
    """
    program = os.path.basename(cmdline.split(b"\0", 1)[0])
    return program.startswith(b"containerd-shim") and f"-address\0{socket}\0".encode() in cmdline


def shim_pids(paths: LabPaths) -> list[int]:
    """containerd-shim processes serving the lab's containerd (found by its socket)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if is_shim_of(cmdline, paths.containerd_socket):
            found.append(int(proc.name))
    return found


def pods_rss_bytes(stat_file: Path = KUBEPODS_STAT) -> int:
    try:
        for line in stat_file.read_text().splitlines():
            if line.startswith("total_rss "):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def mib(value: int) -> str:
    return f"{value / (1024 * 1024):.0f} MiB"

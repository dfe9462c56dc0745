"""Checks before `up` starts anything: root, binaries, free ports.

Each failure names the problem and the command that fixes it.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
from pathlib import Path

from .components import TOOLCHAIN_BINARIES, ComponentSpec
from .configs import CNI_PLUGINS
from .errors import LabError
from .paths import LabPaths

# Debian packages (toolchain/system-packages.sh) and the files that prove them.
# containerd, runc and the CNI plugins come from the toolchain (toolchain/build.sh).
SYSTEM_FILES = {
    "/bin/busybox": "busybox-static",
}
SYSTEM_COMMANDS = {
    "iptables": "iptables",
    "iptables-restore": "iptables",
    "conntrack": "conntrack",
    "ip": "iproute2",
    "openssl": "openssl",
    "debootstrap": "debootstrap",
    "unshare": "util-linux",
    "nsenter": "util-linux",
    "umount": "util-linux",
}


def require_root() -> None:
    if os.geteuid() != 0:
        raise LabError(
            "the lab cluster needs root (it runs containerd, the kubelet and iptables)",
            "run it as root, e.g. `sudo make cluster-up`",
        )


def missing_toolchain(paths: LabPaths) -> list[str]:
    """The toolchain's binaries that are missing: commands by name, CNI plugins as `cni-bin/<name>`."""
    missing = [b for b in TOOLCHAIN_BINARIES if not os.access(paths.toolchain_bin / b, os.X_OK)]
    missing += [f"cni-bin/{p}" for p in CNI_PLUGINS if not os.access(paths.cni_bin / p, os.X_OK)]
    return missing


def missing_system_packages() -> list[str]:
    search = "/usr/sbin:/usr/bin:/sbin:/bin"
    missing = {pkg for path, pkg in SYSTEM_FILES.items() if not Path(path).exists()}
    missing |= {pkg for cmd, pkg in SYSTEM_COMMANDS.items() if not shutil.which(cmd, path=search)}
    return sorted(missing)


def require_binaries(paths: LabPaths) -> None:
    packages = missing_system_packages()
    if packages:
        raise LabError(
            f"Debian packages missing: {', '.join(packages)}",
            "run `make system-packages` (as root)",
        )
    binaries = missing_toolchain(paths)
    if binaries:
        raise LabError(
            f"toolchain binaries missing in {paths.toolchain_bin}: {', '.join(binaries)}",
            "run `make toolchain` (builds them from the Go module proxy)",
        )


def _listener_pids(port: int) -> list[str]:
    """Best effort: 'pid (command)' of processes listening on a TCP port."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    owners: list[str] = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    owners.append(f"{proc.name} ({(proc / 'comm').read_text().strip()})")
                    break
        except OSError:
            continue
    return owners


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as err:
            return err.errno == errno.EADDRINUSE
    return False


def require_free_ports(specs: list[ComponentSpec]) -> None:
    """The ports of components about to start must be free."""
    for spec in specs:
        for host, port in spec.listens:
            if port_in_use(host, port):
                owners = ", ".join(_listener_pids(port)) or "an unknown process"
                raise LabError(
                    f"port {host}:{port}, needed by {spec.name}, is in use by {owners}",
                    "stop that process (or `python -m labcluster down` if it is a lab "
                    "component left from another state directory), then run `make cluster-up`",
                )

"""A worker node's own slice of this machine: network namespace, mount namespace, cgroup root.

For worker lab-worker-N (names and addresses from nodes.py), `ensure_*` creates:
- the network namespace /run/netns/lab-worker-N (`ip netns add`) with loopback up;
  a veth `lab-worker-N`, a port of the host bridge lab-node0, whose other end
  `eth0` carries the worker's address; a default route through the host and direct
  routes to the other workers' pod CIDRs; forwarding and bridge-nf sysctls (both
  per namespace on this kernel); the egress guard of network.py;
- a mount namespace kept alive by a bind mount on /run/statefulset-lab/mntns/lab-worker-N
  (a private mount, so nothing propagates either way). It starts as a copy of the
  host's, so the copies of the lab's own namespace files and the control plane's
  volume and container mounts are unmounted in it first; then
  /opt/local-path-provisioner becomes a bind mount of $STATE/nodes/lab-worker-N/local-path,
  and /var/lib/kubelet, /var/lib/cni and /var/log/containers bind mounts of the
  worker's own directories under $STATE/nodes/lab-worker-N/host (nodes.py says why);
- the cgroup root /lab-worker-N in every mounted cgroup hierarchy, for the worker's
  kubelet (which refuses a missing cgroupRoot).

`remove_*` kill what still runs inside and take it all down again.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from . import network
from .errors import LabError
from .mounts import MountEntry, deepest_first, is_mounted, parse_mountinfo
from .nodes import (
    NETNS_DIR,
    WORKER_INTERFACE,
    NamespaceEntry,
    Node,
    NodePlan,
    mount_namespace_dir,
    mount_namespace_file,
    namespace_entry,
    netns_file,
    private_mounts,
)
from .paths import LabPaths

CGROUP_FS = Path("/sys/fs/cgroup")
WORKER_SYSCTLS = {
    "net/ipv4/ip_forward": "1",
    "net/bridge/bridge-nf-call-iptables": "1",
    "net/bridge/bridge-nf-call-ip6tables": "1",
}


def _entry(cluster: LabPaths, node: Node) -> NamespaceEntry:
    entry = namespace_entry(cluster, node)
    if entry is None:
        raise ValueError(f"{node.name} is not a worker")
    return entry


def sysctl_argv(settings: dict[str, str]) -> list[str]:
    """One shell that writes every setting (pure): under nsenter, /proc/sys/net is the namespace's."""
    script = 'for kv in "$@"; do printf "%s\\n" "${kv#*=}" > "/proc/sys/${kv%%=*}" || exit 1; done'
    return ["sh", "-c", script, "sh", *(f"{key}={value}" for key, value in settings.items())]


def veth_argv(node: Node) -> list[str]:
    """The worker's veth, created with its inner end already inside the worker's namespace (pure)."""
    return ["ip", "link", "add", node.host_veth, "type", "veth", "peer", "name", WORKER_INTERFACE, "netns", node.netns]


def ensure_network(cluster: LabPaths, plan: NodePlan, node: Node) -> None:
    """The worker's network namespace, veth, address, routes, sysctls and guard (idempotent)."""
    if not is_mounted(netns_file(node), "nsfs"):
        # A namespace file that outlived its namespace (the machine restarted) is only a file.
        network.run(["ip", "netns", "del", node.netns], check=False)
        network.run(["ip", "netns", "add", node.netns])
    inside = _entry(cluster, node).net_argv()
    network.run([*inside, "ip", "link", "set", "lo", "up"])
    if network.run([*inside, "ip", "link", "show", WORKER_INTERFACE], check=False).returncode != 0:
        # A host end whose peer went with an older namespace is useless: start over.
        network.run(["ip", "link", "del", node.host_veth], check=False)
        network.run(veth_argv(node))
    network.run(["ip", "link", "set", node.host_veth, "master", plan.bridge])
    network.run(["ip", "link", "set", node.host_veth, "up"])
    network.run([*inside, "ip", "addr", "replace", plan.address_of(node), "dev", WORKER_INTERFACE])
    network.run([*inside, "ip", "link", "set", WORKER_INTERFACE, "up"])
    for cidr in plan.absent_pod_cidrs():
        network.run([*inside, "ip", "route", "del", cidr], check=False)
    for route in plan.worker_routes(node):
        network.run([*inside, *route.argv()])
    network.run([*inside, *sysctl_argv(WORKER_SYSCTLS)])
    network.ensure_egress_guard(plan, inside)


def remove_network(node: Node) -> None:
    """Deleting one end of a veth deletes both; the namespace goes with its last user."""
    network.run(["ip", "link", "del", node.host_veth], check=False)
    if netns_file(node).exists():
        network.run(["ip", "netns", "del", node.netns], check=False)


def mounts_to_scrub(entries: list[MountEntry], roots: list[Path]) -> list[Path]:
    """What a new worker mount namespace must drop from the host's copy (pure), deepest first:
    every namespace file (they would keep other nodes' namespaces alive) and every mount below
    the lab's state and runtime directories (`roots`: the control plane's volumes and containers)."""
    found: set[Path] = set()
    for entry in entries:
        point = entry.point
        namespace_file = point == NETNS_DIR or NETNS_DIR in point.parents or entry.fstype == "nsfs"
        if namespace_file or any(root in point.parents for root in roots):
            found.add(point)
    return deepest_first(found)


def _scrub(entry: NamespaceEntry, cluster: LabPaths) -> None:
    roots = [cluster.state.resolve(), cluster.runtime.resolve()]
    # Mounts stacked on one point come off one per pass.
    for _ in range(5):
        listing = network.run([*entry.mount_argv(), "cat", "/proc/self/mountinfo"]).stdout
        stale = mounts_to_scrub(parse_mountinfo(listing), roots)
        if not stale:
            return
        network.run([*entry.mount_argv(), "umount", "--lazy", *map(str, stale)], check=False)
    raise LabError(
        f"cannot unmount the host's lab mounts in the new mount namespace {entry.mount}: {stale[:5]}",
        "run `make cluster-reset`, then `make cluster-up`",
    )


def _ensure_private_dir(directory: Path) -> None:
    """`unshare --mount=<file>` needs the file on a mount that does not propagate."""
    directory.mkdir(parents=True, exist_ok=True)
    if not is_mounted(directory):
        network.run(["mount", "--bind", str(directory), str(directory)])
    network.run(["mount", "--make-private", str(directory)])


def ensure_mount_namespace(cluster: LabPaths, node: Node) -> None:
    """The worker's mount namespace with its own /opt/local-path-provisioner (idempotent)."""
    entry = _entry(cluster, node)
    holder = mount_namespace_file(cluster, node)
    if not is_mounted(holder, "nsfs"):
        _ensure_private_dir(mount_namespace_dir(cluster))
        holder.unlink(missing_ok=True)
        holder.touch()
        network.run(["unshare", f"--mount={holder}", "--propagation", "private", "true"])
        _scrub(entry, cluster)
    for source, target in private_mounts(cluster, node):
        source.mkdir(parents=True, exist_ok=True)
        target.mkdir(parents=True, exist_ok=True)
        if _identity_inside(entry, target) != _identity(source):
            network.run([*entry.mount_argv(), "mount", "--bind", str(source), str(target)])


def _identity(path: Path) -> str:
    info = os.stat(path)
    return f"{info.st_dev}:{info.st_ino}"


def _identity_inside(entry: NamespaceEntry, path: Path) -> str:
    """The device and inode `path` resolves to inside the namespace: equal to the node's own
    directory once the bind mount is in place (whatever file system holds the state)."""
    return network.run([*entry.mount_argv(), "stat", "-L", "-c", "%d:%i", str(path)]).stdout.strip()


def pids_in_namespace(holder: Path, kind: Literal["mnt", "net"]) -> list[int]:
    """Processes whose namespace is the one bound on `holder` (none if nothing is bound there)."""
    try:
        target = os.stat(holder)
    except OSError:
        return []
    found = []
    for pid in _all_pids():
        try:
            info = os.stat(f"/proc/{pid}/ns/{kind}")
        except OSError:
            continue
        if (info.st_dev, info.st_ino) == (target.st_dev, target.st_ino):
            found.append(pid)
    return found


def _all_pids() -> Iterator[int]:
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            yield int(proc.name)


def kill_all(pids: list[int], what: str, timeout: float = 10.0) -> None:
    """SIGKILL and wait until they are gone (a zombie counts as gone: it holds nothing)."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    left = [pid for pid in pids if _alive(pid)]
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = [pid for pid in left if _alive(pid)]
    if left:
        raise LabError(f"processes {left} in {what} survive SIGKILL", "look at them with `ps`; then retry")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def release_mount_namespace(cluster: LabPaths, node: Node) -> None:
    """Kills what still runs in the worker's mount namespace and lets the namespace go.

    With its last process and its holder gone, the kernel drops every mount made in
    it (the kubelet's volumes, containerd's snapshots, the local-path bind), so no
    delete can reach through them afterwards.
    """
    holder = mount_namespace_file(cluster, node)
    kill_all(pids_in_namespace(holder, "mnt"), f"the mount namespace of {node.name}")
    if is_mounted(holder):
        network.run(["umount", str(holder)])
    holder.unlink(missing_ok=True)


def cgroup_hierarchies(entries: list[MountEntry]) -> list[tuple[Path, str]]:
    """Every mounted cgroup hierarchy (v1 controllers, named ones, a hybrid v2) and its type (pure)."""
    return [(e.point, e.fstype) for e in entries if e.fstype in ("cgroup", "cgroup2")]


def _hierarchies() -> list[tuple[Path, str]]:
    return cgroup_hierarchies(parse_mountinfo(Path("/proc/self/mountinfo").read_text()))


def ensure_cgroup_root(node: Node) -> None:
    """The worker kubelet's cgroupRoot in every hierarchy (it refuses to start without one)."""
    for hierarchy, fstype in _hierarchies():
        own = hierarchy / node.cgroup_root.lstrip("/")
        own.mkdir(exist_ok=True)
        if fstype != "cgroup":
            continue
        # A new v1 cpuset has no CPUs and no memory nodes; nothing could run in it.
        for name in ("cpuset.cpus", "cpuset.mems"):
            if (own / name).exists() and not (own / name).read_text().strip():
                (own / name).write_text((hierarchy / name).read_text())


def cgroup_pids(node: Node) -> list[int]:
    """Every process in the worker's cgroup tree: its pods' containers."""
    found: set[int] = set()
    for hierarchy, _ in _hierarchies():
        own = hierarchy / node.cgroup_root.lstrip("/")
        for procs in own.rglob("cgroup.procs") if own.is_dir() else ():
            try:
                found.update(int(line) for line in procs.read_text().split())
            except OSError:
                continue
    return sorted(found)


def kill_pods(node: Node) -> None:
    """Kills whatever still runs in the worker's pod cgroups (a container whose shim is gone)."""
    kill_all(cgroup_pids(node), f"the cgroups of {node.name}")


def remove_cgroup_root(node: Node) -> None:
    kill_pods(node)
    for hierarchy, _ in _hierarchies():
        own = hierarchy / node.cgroup_root.lstrip("/")
        if not own.is_dir():
            continue
        # cgroup directories hold only kernel files: rmdir each, children first.
        for directory in sorted((p for p in own.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            directory.rmdir()
        own.rmdir()

"""The host's node address, the egress guard and the commands that set up a worker's namespaces."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from labcluster import namespaces, topology
from labcluster.errors import LabError
from labcluster.mounts import parse_mountinfo
from labcluster.namespaces import (
    cgroup_hierarchies,
    kill_all,
    mounts_to_scrub,
    pids_in_namespace,
    sysctl_argv,
    veth_argv,
)
from labcluster.network import GUARD_CHAIN, addresses_to_drop, guard_is_first, guard_restore, guard_rules
from labcluster.nodes import node_plan
from labcluster.paths import LabPaths

PATHS = LabPaths(state=Path("/var/lib/statefulset-lab"), cache=Path("/root/.cache/statefulset-lab"))
LAB = (topology.POD_NETWORK, topology.NODE_NETWORK)


def test_egress_guard_passes_lab_to_lab_and_drops_the_rest_from_pods_and_nodes() -> None:
    rules = guard_rules(node_plan(2))
    passes = [r for r in rules if r[-1] == "RETURN"]
    assert {(r[1], r[3]) for r in passes} == {(s, d) for s in LAB for d in LAB}
    drops = [r for r in rules if r[-1] == "DROP"]
    assert [r[1] for r in drops] == list(LAB)
    assert rules.index(drops[0]) > rules.index(passes[-1])
    assert len(rules) == len(passes) + len(drops)


def test_the_guard_is_the_same_with_or_without_workers() -> None:
    assert guard_rules(node_plan(0)) == guard_rules(node_plan(3))


def test_one_restore_transaction_rewrites_the_chain_and_moves_its_jump_to_the_top() -> None:
    text = guard_restore(node_plan(2), jumps_present=2)
    lines = text.splitlines()
    assert lines[:2] == ["*mangle", f":{GUARD_CHAIN} - [0:0]"]
    assert lines.count(f"-D FORWARD -j {GUARD_CHAIN}") == 2
    assert lines[-2:] == [f"-I FORWARD 1 -j {GUARD_CHAIN}", "COMMIT"]
    comment = next(line for line in lines if "--comment" in line)
    assert '--comment "statefulset-lab: pods and nodes stay on this machine"' in comment
    assert text.endswith("\n")


def test_the_guard_counts_as_first_only_ahead_of_every_other_forward_rule() -> None:
    assert guard_is_first(f"-P FORWARD ACCEPT\n-A FORWARD -j {GUARD_CHAIN}\n-A FORWARD -j KUBE-FORWARD\n")
    assert not guard_is_first(f"-P FORWARD ACCEPT\n-A FORWARD -j KUBE-FORWARD\n-A FORWARD -j {GUARD_CHAIN}\n")
    assert not guard_is_first("-P FORWARD ACCEPT\n")


def test_an_older_prefix_of_the_node_address_is_dropped_and_nothing_else() -> None:
    current = ["10.240.0.1/32", "10.240.0.1/24", "10.240.0.7/32"]
    assert addresses_to_drop(current, "10.240.0.1/24") == ["10.240.0.1/32"]
    assert addresses_to_drop(["10.240.0.1/24"], "10.240.0.1/24") == []


def test_the_veth_is_created_with_its_inner_end_inside_the_worker() -> None:
    worker = node_plan(1).workers[0]
    assert veth_argv(worker) == [
        "ip", "link", "add", "lab-worker-0", "type", "veth", "peer", "name", "eth0", "netns", "lab-worker-0",
    ]  # fmt: skip


def test_sysctls_are_written_by_one_shell_inside_the_namespace(tmp_path: Path) -> None:
    argv = sysctl_argv({"a/b": "1", "c": "0"})
    assert argv[:2] == ["sh", "-c"] and argv[-2:] == ["a/b=1", "c=0"]
    # The script writes under /proc/sys; run it against a scratch tree to see it work.
    script = argv[2].replace("/proc/sys/", f"{tmp_path}/")
    (tmp_path / "a").mkdir()
    subprocess.run(["sh", "-c", script, "sh", *argv[4:]], check=True)
    assert (tmp_path / "a" / "b").read_text() == "1\n"
    assert (tmp_path / "c").read_text() == "0\n"


MOUNTINFO = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
63 27 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw
74 63 0:4 net:[4026532397] /run/netns/lab-worker-1 rw shared:6 - nsfs nsfs rw
42 27 254:0 /var/lib/statefulset-lab/kubelet /var/lib/statefulset-lab/kubelet rw shared:2 - ext4 /dev/vda rw
43 42 0:39 / /var/lib/statefulset-lab/kubelet/pods/x/volumes/kubernetes.io~projected/token rw shared:3 - tmpfs tmpfs rw
48 27 0:41 / /run/statefulset-lab/containerd/io.containerd.runtime.v2.task/k8s.io/abc/rootfs rw - overlay overlay rw
75 27 254:0 /run/statefulset-lab/mntns /run/statefulset-lab/mntns rw - ext4 /dev/vda rw
141 75 0:4 mnt:[4026532468] /run/statefulset-lab/mntns/lab-worker-1 rw - nsfs nsfs rw
150 27 0:4 net:[4026532999] /srv/someone-elses-netns rw - nsfs nsfs rw
160 27 254:0 /opt/local-path-provisioner /opt/local-path-provisioner rw - ext4 /dev/vda rw
"""


def test_mountinfo_lines_give_their_mount_point_and_type() -> None:
    entries = parse_mountinfo(MOUNTINFO)
    assert len(entries) == MOUNTINFO.count("\n")
    by_point = {str(e.point): e.fstype for e in entries}
    assert by_point["/run/netns/lab-worker-1"] == "nsfs"
    assert by_point["/var/lib/statefulset-lab/kubelet"] == "ext4"
    assert by_point["/sys/fs/cgroup/unified"] == "cgroup2"


def test_a_new_worker_mount_namespace_drops_namespace_files_and_the_control_planes_mounts() -> None:
    scrub = [str(p) for p in mounts_to_scrub(parse_mountinfo(MOUNTINFO), [PATHS.state, PATHS.runtime])]
    assert set(scrub) == {
        "/run/netns",
        "/run/netns/lab-worker-1",
        "/var/lib/statefulset-lab/kubelet",
        "/var/lib/statefulset-lab/kubelet/pods/x/volumes/kubernetes.io~projected/token",
        "/run/statefulset-lab/containerd/io.containerd.runtime.v2.task/k8s.io/abc/rootfs",
        "/run/statefulset-lab/mntns",
        "/run/statefulset-lab/mntns/lab-worker-1",
        "/srv/someone-elses-netns",
    }
    # Deepest first: a mount is never unmounted before the mounts on top of it.
    assert scrub.index("/run/netns/lab-worker-1") < scrub.index("/run/netns")
    assert scrub.index("/run/statefulset-lab/mntns/lab-worker-1") < scrub.index("/run/statefulset-lab/mntns")


def test_every_cgroup_hierarchy_is_found_with_its_version() -> None:
    found = cgroup_hierarchies(parse_mountinfo(MOUNTINFO))
    assert [(str(p), t) for p, t in found] == [
        ("/sys/fs/cgroup/systemd", "cgroup"),
        ("/sys/fs/cgroup/cpuset", "cgroup"),
        ("/sys/fs/cgroup/unified", "cgroup2"),
    ]


def test_processes_are_found_by_the_namespace_they_are_in() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        # Bound or not, a namespace file names the namespace: /proc/<pid>/ns/net does too.
        assert child.pid in pids_in_namespace(Path(f"/proc/{os.getpid()}/ns/net"), "net")
        assert pids_in_namespace(Path("/nonexistent"), "mnt") == []
        kill_all([child.pid], "a test")
        assert child.wait(5) == -9
    finally:
        if child.poll() is None:
            child.kill()


def test_a_process_that_survives_sigkill_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        # As if the process were stuck in the kernel: SIGKILL lands but it never goes.
        monkeypatch.setattr(namespaces, "_alive", lambda pid: True)
        with pytest.raises(LabError, match=rf"processes \[{child.pid}\] in a test survive SIGKILL"):
            kill_all([child.pid], "a test", timeout=0.3)
    finally:
        child.kill()
        child.wait()

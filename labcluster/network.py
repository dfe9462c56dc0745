"""Host networking of the lab cluster.

- sysctls the kubelet, CNI and kube-proxy need (forwarding, bridged traffic
  through iptables); the kernel here has br_netfilter built in, so no modprobe.
- `lab-node0`: a bridge with no ports that carries NODE_IP, the address the
  apiserver and the kubelet bind to; pods reach it through their gateway. The
  service range is routed to it too, so no service packet takes the default route.
- An egress guard: forwarded traffic from the pod network to anything but the pod
  network is rejected, so no pod can send a packet off this machine.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from . import topology
from .errors import LabError

SYSCTLS = {
    "net/ipv4/ip_forward": "1",
    "net/bridge/bridge-nf-call-iptables": "1",
    "net/bridge/bridge-nf-call-ip6tables": "1",
}
GUARD_CHAIN = "STATEFULSET-LAB-EGRESS"


def _run(argv: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=30)
    if check and done.returncode != 0:
        raise LabError(
            f"`{' '.join(argv)}` failed",
            "the lab cluster needs root and the iproute2/iptables packages (make system-packages)",
            done.stderr,
        )
    return done


def set_sysctls() -> None:
    for key, value in SYSCTLS.items():
        path = Path("/proc/sys") / key
        if not path.exists():
            raise LabError(
                f"{path} does not exist",
                "the kernel needs br_netfilter (built in or loaded: modprobe br_netfilter)",
            )
        if path.read_text().strip() != value:
            path.write_text(value + "\n")


def ensure_node_bridge() -> None:
    """Creates lab-node0 carrying NODE_IP/32 (idempotent)."""
    dev = topology.NODE_BRIDGE
    if _run(["ip", "link", "show", dev], check=False).returncode != 0:
        _run(["ip", "link", "add", dev, "type", "bridge"])
    address = f"{topology.NODE_IP}/32"
    if address not in _run(["ip", "-4", "addr", "show", "dev", dev]).stdout:
        _run(["ip", "addr", "add", address, "dev", dev])
    _run(["ip", "link", "set", dev, "up"])
    # Service addresses are virtual: kube-proxy rewrites them. Routed here, a packet
    # that is not rewritten (kube-proxy down) dies on this bridge instead of going
    # to the host's default gateway.
    _run(["ip", "route", "replace", topology.SERVICE_CIDR, "dev", dev, "src", topology.NODE_IP])


def guard_rules() -> list[list[str]]:
    """The rules of the egress guard chain (pure, for tests and for `ensure`)."""
    comment = ["-m", "comment", "--comment", "statefulset-lab: pods stay on this machine"]
    return [
        ["-s", topology.POD_CIDR, "-d", topology.POD_CIDR, "-j", "RETURN"],
        ["-s", topology.POD_CIDR, *comment, "-j", "REJECT", "--reject-with", "icmp-net-prohibited"],
    ]


def ensure_egress_guard() -> None:
    if _run(["iptables", "-w", "-n", "-L", GUARD_CHAIN], check=False).returncode != 0:
        _run(["iptables", "-w", "-N", GUARD_CHAIN])
    _run(["iptables", "-w", "-F", GUARD_CHAIN])
    for rule in guard_rules():
        _run(["iptables", "-w", "-A", GUARD_CHAIN, *rule])
    # First in FORWARD, ahead of kube-proxy's ACCEPT rules for masqueraded traffic.
    forward = _run(["iptables", "-w", "-S", "FORWARD"]).stdout.splitlines()
    rules = [line for line in forward if line.startswith("-A ")]
    if not rules or rules[0] != f"-A FORWARD -j {GUARD_CHAIN}":
        while _run(["iptables", "-w", "-D", "FORWARD", "-j", GUARD_CHAIN], check=False).returncode == 0:
            pass
        _run(["iptables", "-w", "-I", "FORWARD", "1", "-j", GUARD_CHAIN])


def setup() -> None:
    set_sysctls()
    ensure_node_bridge()
    ensure_egress_guard()


def _remove_kubernetes_chains(tool: str) -> None:
    """Deletes the KUBE-* chains (the kubelet's canaries and firewall) and the jumps to them."""
    for table in ("filter", "nat", "mangle"):
        rules = _run([tool, "-w", "-t", table, "-S"], check=False).stdout.splitlines()
        chains = {rule.split()[1] for rule in rules if rule.startswith("-N KUBE-")}
        for rule in rules:
            words = shlex.split(rule)
            if words[0] == "-A" and words[1] not in chains and chains & set(words):
                _run([tool, "-w", "-t", table, "-D", *words[1:]], check=False)
        for chain in sorted(chains):
            _run([tool, "-w", "-t", table, "-F", chain], check=False)
        for chain in sorted(chains):
            _run([tool, "-w", "-t", table, "-X", chain], check=False)


def teardown() -> None:
    """Removes what `setup`, the CNI bridge plugin and the kubelet created (for reset).

    Run after `kube-proxy --cleanup`, which removes kube-proxy's own chains.
    """
    for tool in ("iptables", "ip6tables"):
        _remove_kubernetes_chains(tool)
    while _run(["iptables", "-w", "-D", "FORWARD", "-j", GUARD_CHAIN], check=False).returncode == 0:
        pass
    _run(["iptables", "-w", "-F", GUARD_CHAIN], check=False)
    _run(["iptables", "-w", "-X", GUARD_CHAIN], check=False)
    for dev in (topology.POD_BRIDGE, topology.NODE_BRIDGE):
        _run(["ip", "link", "del", dev], check=False)

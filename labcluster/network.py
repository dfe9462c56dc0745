"""Host networking of the lab cluster, and the egress guard every node's namespace gets.

- sysctls the kubelet, CNI and kube-proxy need (forwarding, bridged traffic
  through iptables); the kernel here has br_netfilter built in, so no modprobe.
- `lab-node0`: a bridge that carries NODE_IP/24, the address the apiserver and the
  control-plane kubelet bind to; the workers' veths are its ports, so every node
  address is on-link. Pods reach it through their gateway. The service range is
  routed to it too, so no service packet takes the default route.
- Routes from the host to each worker's pod CIDR through that worker's address.
- An egress guard: forwarded traffic from a lab network (pods, nodes) to anything
  but a lab network is dropped, so no pod or worker can send a packet off this
  machine. It sits first in the `mangle` table's FORWARD chain, which the kernel
  runs before the `filter` table's, where kube-proxy and the kubelet put (and,
  at any sync, re-prepend) their own ACCEPT rules: no order they choose can put
  a rule ahead of it. The same chain guards every worker's namespace.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Sequence
from pathlib import Path

from . import topology
from .errors import LabError
from .nodes import NodePlan

SYSCTLS = {
    "net/ipv4/ip_forward": "1",
    "net/bridge/bridge-nf-call-iptables": "1",
    "net/bridge/bridge-nf-call-ip6tables": "1",
}
# Runs before the filter table's FORWARD, which kube-proxy and the kubelet manage.
GUARD_TABLE = "mangle"
GUARD_CHAIN = "STATEFULSET-LAB-EGRESS"
GUARD_COMMENT = "statefulset-lab: pods and nodes stay on this machine"


def run(argv: Sequence[str], check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(list(argv), input=stdin, capture_output=True, text=True, check=False, timeout=30)
    if check and done.returncode != 0:
        raise LabError(
            f"`{shlex.join(argv)}` failed",
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


def addresses_to_drop(current: list[str], wanted: str) -> list[str]:
    """The bridge's other prefixes of the wanted address (an older lab's NODE_IP/32)."""
    ip = wanted.split("/")[0]
    return [address for address in current if address.split("/")[0] == ip and address != wanted]


def _ipv4_addresses(dev: str) -> list[str]:
    listing = run(["ip", "-4", "-o", "addr", "show", "dev", dev]).stdout
    return [line.split()[3] for line in listing.splitlines() if len(line.split()) > 3]


def ensure_node_bridge(plan: NodePlan) -> None:
    """Creates lab-node0 carrying NODE_IP with the node subnet's prefix (idempotent).

    The new prefix goes on before the old one comes off, so the address, and every
    socket bound to it, stays throughout.
    """
    dev = plan.bridge
    if run(["ip", "link", "show", dev], check=False).returncode != 0:
        run(["ip", "link", "add", dev, "type", "bridge"])
    current = _ipv4_addresses(dev)
    if plan.host_address not in current:
        run(["ip", "addr", "add", plan.host_address, "dev", dev])
    for address in addresses_to_drop(current, plan.host_address):
        run(["ip", "addr", "del", address, "dev", dev])
    run(["ip", "link", "set", dev, "up"])
    # Service addresses are virtual: kube-proxy rewrites them. Routed here, a packet
    # that is not rewritten (kube-proxy down) dies on this bridge instead of going
    # to the host's default gateway.
    run(["ip", "route", "replace", topology.SERVICE_CIDR, "dev", dev, "src", plan.control_plane.ip])


def ensure_pod_routes(plan: NodePlan, prefix: Sequence[str] = ()) -> None:
    """Routes to the pod CIDRs of the plan's workers; those of workers gone are removed."""
    for cidr in plan.absent_pod_cidrs():
        run([*prefix, "ip", "route", "del", cidr], check=False)
    for route in plan.host_routes():
        run([*prefix, *route.argv()])


def guard_rules(plan: NodePlan) -> list[list[str]]:
    """The rules of the egress guard chain (pure): lab to lab passes, the rest from a lab network is dropped.

    DROP, since REJECT exists only in the `filter` table.
    """
    lab = [plan.pod_network, plan.node_network]
    comment = ["-m", "comment", "--comment", GUARD_COMMENT]
    passes = [["-s", source, "-d", destination, "-j", "RETURN"] for source in lab for destination in lab]
    drops = [["-s", source, *comment, "-j", "DROP"] for source in lab]
    return passes + drops


def _restore_words(words: list[str]) -> str:
    # iptables-restore splits on blanks and understands double quotes only.
    return " ".join(f'"{word}"' if " " in word else word for word in words)


def guard_restore(plan: NodePlan, jumps_present: int) -> str:
    """One iptables-restore transaction (pure): the chain rewritten and its jump moved to the
    top of the mangle table's FORWARD, with no moment without the guard.

    Declaring a chain in a --noflush restore creates it or flushes it.
    """
    lines = [f"*{GUARD_TABLE}", f":{GUARD_CHAIN} - [0:0]"]
    lines += [f"-A {GUARD_CHAIN} {_restore_words(rule)}" for rule in guard_rules(plan)]
    lines += [f"-D FORWARD -j {GUARD_CHAIN}"] * jumps_present
    lines += [f"-I FORWARD 1 -j {GUARD_CHAIN}", "COMMIT", ""]
    return "\n".join(lines)


def guard_is_first(forward_rules: str) -> bool:
    rules = [line for line in forward_rules.splitlines() if line.startswith("-A ")]
    return bool(rules) and rules[0] == f"-A FORWARD -j {GUARD_CHAIN}"


def ensure_egress_guard(plan: NodePlan, prefix: Sequence[str] = ()) -> None:
    """The guard chain, first in the mangle table's FORWARD, in the host's namespace or
    (with an nsenter `prefix`) in a worker's; a guard an older lab put in the filter
    table goes."""
    _remove_filter_guard(prefix)
    forward = run([*prefix, "iptables", "-w", "-t", GUARD_TABLE, "-S", "FORWARD"]).stdout
    chain = run([*prefix, "iptables", "-w", "-t", GUARD_TABLE, "-S", GUARD_CHAIN], check=False)
    wanted = [f"-N {GUARD_CHAIN}"] + [f"-A {GUARD_CHAIN} {shlex.join(rule)}" for rule in guard_rules(plan)]
    if guard_is_first(forward) and forward.count(f"-j {GUARD_CHAIN}") == 1 and _same_rules(chain.stdout, wanted):
        return
    jumps = sum(1 for line in forward.splitlines() if line == f"-A FORWARD -j {GUARD_CHAIN}")
    run([*prefix, "iptables-restore", "-w", "--noflush"], stdin=guard_restore(plan, jumps))


def _remove_filter_guard(prefix: Sequence[str]) -> None:
    """Earlier versions kept the guard in the filter table, where kube-proxy can get ahead of it."""
    filter_table = [*prefix, "iptables", "-w", "-t", "filter"]
    while run([*filter_table, "-D", "FORWARD", "-j", GUARD_CHAIN], check=False).returncode == 0:
        pass
    if run([*filter_table, "-F", GUARD_CHAIN], check=False).returncode == 0:
        run([*filter_table, "-X", GUARD_CHAIN], check=False)


def _same_rules(listed: str, wanted: list[str]) -> bool:
    # iptables -S prints the comment in double quotes; compare word by word.
    return [shlex.split(line) for line in listed.splitlines()] == [shlex.split(line) for line in wanted]


def setup(plan: NodePlan) -> None:
    set_sysctls()
    ensure_node_bridge(plan)
    ensure_pod_routes(plan)
    ensure_egress_guard(plan)


def _remove_kubernetes_chains(tool: str) -> None:
    """Deletes the KUBE-* chains (the kubelet's canaries and firewall) and the jumps to them."""
    for table in ("filter", "nat", "mangle"):
        rules = run([tool, "-w", "-t", table, "-S"], check=False).stdout.splitlines()
        chains = {rule.split()[1] for rule in rules if rule.startswith("-N KUBE-")}
        for rule in rules:
            words = shlex.split(rule)
            if words[0] == "-A" and words[1] not in chains and chains & set(words):
                run([tool, "-w", "-t", table, "-D", *words[1:]], check=False)
        for chain in sorted(chains):
            run([tool, "-w", "-t", table, "-F", chain], check=False)
        for chain in sorted(chains):
            run([tool, "-w", "-t", table, "-X", chain], check=False)


def teardown(plan: NodePlan) -> None:
    """Removes what `setup`, the CNI bridge plugin and the kubelet created on the host (for reset).

    Run after `kube-proxy --cleanup`, which removes kube-proxy's own chains, and
    after the workers are gone (their veths with their namespaces).
    """
    for tool in ("iptables", "ip6tables"):
        _remove_kubernetes_chains(tool)
    mangle = ["iptables", "-w", "-t", GUARD_TABLE]
    while run([*mangle, "-D", "FORWARD", "-j", GUARD_CHAIN], check=False).returncode == 0:
        pass
    run([*mangle, "-F", GUARD_CHAIN], check=False)
    run([*mangle, "-X", GUARD_CHAIN], check=False)
    _remove_filter_guard([])
    for route in plan.host_routes():
        run(["ip", "route", "del", route.destination], check=False)
    for dev in (topology.POD_BRIDGE, plan.bridge):
        run(["ip", "link", "del", dev], check=False)

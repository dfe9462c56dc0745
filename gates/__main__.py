"""python -m gates rollout|storage-users|storage-drain '<json>': exit 0 once the gate opens.

A gate that cannot open in time (or cannot read the cluster) exits 1 with the
reason on stderr, which pulumi-command shows as the step's error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from gates import rollout_wait, storage_users
from gates.reads import GateError
from kube import api_reads

GATES: dict[str, Callable[[str], int]] = {
    "rollout": rollout_wait.run,
    "storage-users": storage_users.run,
    "storage-drain": storage_users.drain,
}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in GATES:
        print(f"usage: python -m gates {{{'|'.join(GATES)}}} '<json spec>'", file=sys.stderr)
        return 2
    try:
        return GATES[argv[0]](argv[1])
    except GateError as err:
        print(f"{argv[0]}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    # Only as a process of its own (what `pulumi up` starts): the gate's
    # listings are then read from the API by this process, not by a kubectl each.
    api_reads.enable()
    sys.exit(main(sys.argv[1:]))

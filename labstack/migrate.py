"""Upgrades a stack made by an older version of this program.

Older versions ran the probes and the partition wait as a Pulumi *dynamic*
resource (`pulumi-python:dynamic/statefulset-lab:LocalCommand`), whose
provider code was pickled into the stack's state by reference to the module
`components.local_command`. That module is gone, so the engine can no longer
load that code to delete the old resource, and `pulumi up` would fail on it.
The old resource owned nothing in the cluster (its DNS probe pod was deleted
by the run that made it), so removing it from the state loses nothing; the
next `up` creates its pulumi-command successor.

    python -m labstack.migrate STACK    # what `make up` runs first

It runs `pulumi state delete` for each such resource and says so; a stack
without them (or one that does not exist yet) is left alone.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from labstack.pulumi_cli import PulumiError, export_state, pulumi, resources, stack_step

OLD_COMMAND_TYPE = "pulumi-python:dynamic/statefulset-lab:LocalCommand"


def old_command_urns(state: Mapping[str, object]) -> list[str]:
    """URNs of the old dynamic command resources in an exported stack state."""
    return [str(r["urn"]) for r in resources(state) if r.get("type") == OLD_COMMAND_TYPE]


def migrate(stack: str, cwd: str = ".", env: Mapping[str, str] | None = None) -> list[str]:
    """Removes the old dynamic command resources of `stack` from its state; returns their URNs.

    What depends on them goes too (`--target-dependents`): the probes'
    component and the old probe command itself, none of which owns anything
    in the cluster; the next `up` registers today's versions.
    """
    removed: list[str] = []
    while True:
        state = export_state(stack, cwd, env)
        urns = old_command_urns(state or {})
        if not urns:
            return removed
        delete = ["state", "delete", "--stack", stack, "--yes", "--target-dependents", urns[0]]
        done = pulumi(*delete, cwd=cwd, env=env)
        if done.returncode != 0:
            raise PulumiError(f"pulumi state delete {urns[0]} failed: {done.stderr.strip()}")
        removed.append(urns[0])


def main(argv: list[str]) -> int:
    return stack_step(
        "migrate",
        argv,
        lambda stack: [
            f"removed from the state of {stack}: {urn} (the probes' old dynamic resource)" for urn in migrate(stack)
        ],
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

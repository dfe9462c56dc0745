"""Out-of-band changes to a lab stack's cluster, and how the probes must judge them.

A sabotage is what a learner (or a colleague, or a controller) could do
behind the program's back with kubectl. The probes never hear of it: they
observe again, as `make report` does, and the checks it targets must fail,
or be inconclusive with the reason where the evidence is gone, while every
check it does not touch keeps its verdict. Then the cluster is put back and
the targeted checks are judged again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from labstack.automation import LabStack
from probes.facts import Check


@dataclass(frozen=True)
class Sabotage:
    name: str
    break_it: Callable[[], object]
    """The change, and a wait until the cluster shows it."""
    targets: Collection[str]
    """The checks ("[workload] name") that must not pass afterwards."""
    restore: Callable[[], object]
    """Puts the cluster back, and waits until it is."""
    collateral: Collection[str] = ()
    """Checks the change may also move, with why in the test; every other check keeps its verdict."""
    restored_targets: Collection[str] | None = None
    """The targets that pass again once restored (all of them unless named: some changes are one-way)."""
    inconclusive_ok: bool = False
    """Whether a target may be inconclusive instead of failed (the change removed the evidence)."""
    keep: Collection[str] | None = None
    """Where a change reaches too far to list what it may move: the checks that must keep their verdicts."""


def verdicts(checks: dict[str, Check]) -> dict[str, str]:
    return {name: c.verdict for name, c in checks.items()}


def _shown(checks: dict[str, Check], names: Collection[str]) -> str:
    return "\n".join(
        f"  {checks[n].verdict.upper()} {n}\n    observed: {checks[n].observed}" if n in checks else f"  MISSING {n}"
        for n in sorted(names)
    )


def judge_in_turn(stack: LabStack, sabotages: list[Sabotage]) -> None:
    """Each sabotage in turn, the observation after one's restore being the next one's before."""
    stack.observe_again()
    before = stack.checks()
    for sabotage in sabotages:
        before = judge(stack, sabotage, before)


def judge(stack: LabStack, sabotage: Sabotage, before: dict[str, Check]) -> dict[str, Check]:
    """Breaks, observes, restores, observes; fails with every verdict that is wrong.
    `before` is an observation of the stack as it is now; returns the one after the restore."""
    missing = [t for t in sabotage.targets if t not in before or before[t].verdict != "passed"]
    assert not missing, f"{sabotage.name}: the targets must pass before the change:\n{_shown(before, missing)}"

    sabotage.break_it()
    stack.observe_again()
    after = stack.checks()
    allowed = {"failed", "inconclusive"} if sabotage.inconclusive_ok else {"failed"}
    not_caught = [t for t in sabotage.targets if t not in after or after[t].verdict not in allowed]
    assert not not_caught, f"{sabotage.name}: these checks did not catch the change:\n{_shown(after, not_caught)}"
    for target in sabotage.targets:
        assert after[target].observed.strip(), f"{sabotage.name}: {target} gives no reason"
    if sabotage.keep is None:
        untouched = set(before) - set(sabotage.targets) - set(sabotage.collateral)
    else:
        untouched = set(sabotage.keep)
    moved = {n: (before[n].verdict, after[n].verdict if n in after else "missing") for n in untouched}
    moved = {n: change for n, change in moved.items() if change[0] != change[1]}
    assert not moved, f"{sabotage.name}: checks it does not touch changed their verdicts: {moved}\n" + _shown(
        after, moved
    )

    sabotage.restore()
    stack.observe_again()
    restored = stack.checks()
    back = sabotage.targets if sabotage.restored_targets is None else sabotage.restored_targets
    still = [t for t in back if t not in restored or restored[t].verdict != "passed"]
    assert not still, f"{sabotage.name}: restored, these checks do not pass again:\n{_shown(restored, still)}"
    return restored

"""What a tour runs, and in what order, before anything runs: the tutorial's
steps (labstack.experiments) narrowed to some experiments (`ONLY=`,
`EXCLUDE=`), resumed from a step (`FROM=`), and split into what runs side by
side and what must run alone.

Experiments are independent (each its own stack and namespace), so they run
side by side, each one's steps in order, the longest first so the last to
end is not a long one started late. The experiments that drain or stop a
worker would catch every other experiment's pods on it: they run alone,
after the others, one at a time.

A resumed tour (`FROM=<step>`) cannot pick up a stack where the last run
left it: the tour destroys its stacks when it ends. So an experiment whose
steps all come before FROM is not run again (its results are the last
run's), and one that reaches FROM or beyond runs from its first step.
"""

from __future__ import annotations

from dataclasses import dataclass

from labstack.experiments import TUTORIAL, Experiment, Step, experiments


class PlanError(ValueError):
    """The tour cannot be planned as asked; the message names what can be."""


@dataclass(frozen=True)
class TourPlan:
    steps: tuple[Step, ...]
    """Every step of the tour, in the tutorial's order: the page shows them all."""
    reused: tuple[Step, ...]
    """Steps whose results come from the last run (before FROM, in experiments not run again)."""
    side_by_side: tuple[Experiment, ...]
    """Experiments run at the same time, longest first."""
    alone: tuple[Experiment, ...]
    """Experiments that take nodes away: each alone, after the others, in the tutorial's order."""

    @property
    def to_run(self) -> tuple[Step, ...]:
        return tuple(s for e in self.side_by_side + self.alone for s in e.steps)


def select(only: list[str], exclude: list[str], steps: tuple[Step, ...] = TUTORIAL) -> tuple[Step, ...]:
    """The steps of the named experiments (by stack; all when none are named), without the excluded ones."""
    known = list(dict.fromkeys(s.stack for s in steps))
    unknown = [name for name in only + exclude if name not in known]
    if unknown:
        raise PlanError(f"no experiment {', '.join(unknown)}: the tour's experiments are {' '.join(known)}")
    chosen = tuple(s for s in steps if (not only or s.stack in only) and s.stack not in exclude)
    if not chosen:
        raise PlanError("no step left to run: ONLY and EXCLUDE leave out every experiment")
    return chosen


def step_index(steps: tuple[Step, ...], start: str) -> int:
    """Where FROM points: a step's name or its number in the tour (1 is the first)."""
    if start.isdigit() and 1 <= int(start) <= len(steps):
        return int(start) - 1
    names = [s.name for s in steps]
    if start not in names:
        raise PlanError(
            f"no step {start!r} in this tour: FROM takes a number 1..{len(steps)} or one of {' '.join(names)}"
        )
    return names.index(start)


def plan_tour(steps: tuple[Step, ...], start: str = "") -> TourPlan:
    first = step_index(steps, start) if start else 0
    after = {s.name for s in steps[first:]}
    rerun = [e for e in experiments(steps) if any(s.name in after for s in e.steps)]
    again = {s.name for e in rerun for s in e.steps}
    side = sorted((e for e in rerun if not e.takes_nodes_away), key=lambda e: -len(e.steps))
    return TourPlan(
        steps=steps,
        reused=tuple(s for s in steps if s.name not in again),
        side_by_side=tuple(side),
        alone=tuple(e for e in rerun if e.takes_nodes_away),
    )

"""The tutorial's steps, defined once: every `make up` of docs/experiments.md,
in its order, under its section.

A step is one config change of one stack of `stacks/` and the `pulumi up`
after it. The steps of one stack, in order, are an experiment: each starts
from the state the one before left. `make tour` runs them all (labstack.tour),
tests/fixtures/capture_lessons.py records the documents of the `captured` ones
as tests/fixtures/lessons/<step>.json, and a unit test holds docs/experiments.md
to exactly these `make up` lines, so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import yaml

from plan.settings import PROJECT

STACKS = Path(__file__).resolve().parents[1] / "stacks"
OLD, NEW = "registry.k8s.io/nginx-slim:0.24", "registry.k8s.io/nginx-slim:0.21"
BROKEN = "registry.k8s.io/nginx-slim:no-such-tag"


@dataclass(frozen=True)
class Step:
    name: str
    """Unique in the tutorial: `make tour FROM=<name>`, and the captured document's file name."""
    stack: str
    """The stack of `stacks/` the step runs on."""
    section: str
    """The heading of docs/experiments.md that walks through it."""
    says: str
    """What the learner sees, as the docs' comment beside the command says it."""
    config: tuple[tuple[str, str], ...] = ()
    """The config it sets before the `up` (`SET="key=value ..."`); none for the stack's first `up`."""
    refresh: bool = False
    """`REFRESH=1`: Pulumi must first see what the step before deleted behind its back."""
    up_fails: bool = False
    """Its `up` fails on purpose (the rollout gate gives up); `make report` then judges the cluster."""
    captured: bool = False
    """tests/fixtures/capture_lessons.py keeps its probe document for the unit tests."""

    @property
    def settings(self) -> dict[str, str]:
        return dict(self.config)

    @property
    def make_command(self) -> str:
        """The command a learner types for it, as docs/experiments.md writes it."""
        command = f"make up STACK={self.stack}"
        if self.config:
            command += ' SET="' + " ".join(f"{key}={value}" for key, value in self.config) + '"'
        return command + (" REFRESH=1" if self.refresh else "")

    @property
    def commands(self) -> list[str]:
        """Every command of the step: a failing `up` is followed by the report that judges it."""
        return [self.make_command] + ([f"make report STACK={self.stack}"] if self.up_fails else [])


@dataclass(frozen=True)
class Experiment:
    """The steps of one stack, in order."""

    stack: str
    steps: tuple[Step, ...]

    @property
    def takes_nodes_away(self) -> bool:
        """It drains or stops a worker: every other experiment's pods would be caught, so it runs alone."""
        return any(value in NODE_LESSONS for step in self.steps for key, value in step.config if key == "lesson")


NODE_LESSONS: Final = ("drain", "stop-node")

_NAMES = "Names, creation order and the seed set-up"
_IDENTITY = "Stable network identity and storage"
_SCALING = "Scaling"
_STAGING = "Staging, canary and phased roll-outs"
_ONDELETE = "OnDelete"
_HELD_BACK = "A pod that is not Ready holds back the pods above it"
_ROLLBACK = "A broken image and a forced rollback"
_MAXUNAVAILABLE = "maxUnavailable"
_ORDINALS = "Start ordinal and minReadySeconds"
_DELETION = "Deleting the StatefulSet: orphan, adopt, cascade"
_DRIFT = "Drift: a change behind the stack's back"
_NODES = "Nodes: drain and failure"


def _step(name: str, stack: str, section: str, says: str, *config: str, **flags: bool) -> Step:
    pairs = tuple((kv.split("=", 1)[0], kv.split("=", 1)[1]) for kv in config)
    return Step(name, stack, section, says, pairs, **flags)


TUTORIAL: Final[tuple[Step, ...]] = (
    _step("seed", "seed", _NAMES, "the seed stack (what make demo brings up): 2 replicas, OrderedReady"),
    _step("parallel", "parallel", _NAMES, "podManagementPolicy: Parallel"),
    _step("delete-pods", "identity", _IDENTITY, "lesson delete-pods: every pod deleted once Ready", captured=True),
    _step("delete-pods-again", "identity", _IDENTITY, "and again", "lessonRunId=2"),
    _step(
        "delete-claim",
        "identity",
        _IDENTITY,
        "web-sts-1's claim deleted under it: held until the pod goes, then new and empty",
        "lesson=delete-claim",
        "lessonOrdinal=1",
        captured=True,
    ),
    _step(
        "dns-after-delete",
        "identity",
        _IDENTITY,
        "web-sts-0 deleted while its name is looked up, until it gives the new IP",
        "lesson=dns-after-delete",
        "lessonOrdinal=0",
        captured=True,
    ),
    _step("scale-out", "seed", _SCALING, "web-sts-2 after web-sts-1 is Ready", "replicas=3", "deploymentReplicas=3"),
    _step("scale-in", "seed", _SCALING, "highest ordinal first", "replicas=1", "deploymentReplicas=1", captured=True),
    _step(
        "parallel-scale-out",
        "parallel",
        _SCALING,
        "Parallel: web-sts-2 and web-sts-3 at once; the Deployment's two new pods too",
        "replicas=4",
        "deploymentReplicas=4",
        captured=True,
    ),
    _step(
        "parallel-update",
        "parallel",
        _SCALING,
        "Parallel: an update still goes one pod at a time, from web-sts-3 down",
        f"image={NEW}",
        captured=True,
    ),
    _step("parallel-scale-in", "parallel", _SCALING, "Parallel: all four pods go at once", "replicas=0", captured=True),
    _step("staging-set-up", "staging", _STAGING, "set-up: 3 replicas behind partition 3"),
    _step("staging", "staging", _STAGING, "staging: nothing moves", f"image={NEW}", captured=True),
    _step(
        "staging-delete-pod",
        "staging",
        _STAGING,
        "web-sts-2 comes back on the OLD revision",
        "lesson=delete-pod",
        "lessonOrdinal=2",
        captured=True,
    ),
    _step("canary", "staging", _STAGING, "the canary: web-sts-2 moves", "lesson=none", "partition=2", captured=True),
    _step(
        "canary-delete-pod",
        "staging",
        _STAGING,
        "web-sts-1 comes back on the old revision",
        "lesson=delete-pod",
        "lessonOrdinal=1",
        captured=True,
    ),
    _step(
        "phased",
        "staging",
        _STAGING,
        "phased: the rest, highest ordinal first",
        "lesson=none",
        "partition=0",
        captured=True,
    ),
    _step(
        "partition-above-replicas",
        "staging",
        _STAGING,
        "partition above the replicas: the old image moves no pod",
        "partition=5",
        f"image={OLD}",
        captured=True,
    ),
    _step("ondelete", "ondelete", _ONDELETE, "updateStrategy: OnDelete"),
    _step("ondelete-new-image", "ondelete", _ONDELETE, "no pod moves", f"image={NEW}"),
    _step(
        "ondelete-delete-pod",
        "ondelete",
        _ONDELETE,
        "web-sts-1 comes back on the new image",
        "lesson=delete-pod",
        "lessonOrdinal=1",
    ),
    _step(
        "held-broken-pod",
        "ondelete",
        _HELD_BACK,
        "web-sts-0 comes back on an image that cannot be pulled",
        f"image={BROKEN}",
        "deploymentReplicas=0",
        "lesson=delete-pod",
        "lessonOrdinal=0",
        captured=True,
    ),
    _step(
        "held-scale-out",
        "ondelete",
        _HELD_BACK,
        "up fails: web-sts-0 cannot start, and web-sts-2 is not created",
        "lesson=none",
        "replicas=3",
        up_fails=True,
        captured=True,
    ),
    _step(
        "held-scale-in",
        "ondelete",
        _HELD_BACK,
        "up fails: web-sts-1 is not removed either",
        "replicas=1",
        up_fails=True,
        captured=True,
    ),
    _step(
        "held-released",
        "ondelete",
        _HELD_BACK,
        "the gate deletes web-sts-0; back on 0.21 and Ready, then web-sts-1 goes",
        f"image={NEW}",
        "forceRollback=true",
        captured=True,
    ),
    _step("rollback", "rollback", _ROLLBACK, "3 replicas"),
    _step(
        "rollback-stalled",
        "rollback",
        _ROLLBACK,
        "up fails: web-sts-2 cannot pull",
        f"image={BROKEN}",
        up_fails=True,
        captured=True,
    ),
    _step(
        "rollback-reverted",
        "rollback",
        _ROLLBACK,
        "reverted: up fails, names forceRollback",
        f"image={OLD}",
        up_fails=True,
        captured=True,
    ),
    _step(
        "rollback-forced",
        "rollback",
        _ROLLBACK,
        "web-sts-2 deleted, back on 0.24",
        "forceRollback=true",
        captured=True,
    ),
    _step("max-unavailable", "maxunavailable", _MAXUNAVAILABLE, "4 replicas, Parallel, maxUnavailable 2"),
    _step(
        "max-unavailable-broken-top",
        "maxunavailable",
        _MAXUNAVAILABLE,
        "up fails: web-sts-3 cannot pull",
        f"image={BROKEN}",
        "partition=3",
        up_fails=True,
        captured=True,
    ),
    _step(
        "max-unavailable-counted",
        "maxunavailable",
        _MAXUNAVAILABLE,
        "up fails: web-sts-3 is already down, so only web-sts-2 goes with it",
        "partition=0",
        up_fails=True,
        captured=True,
    ),
    _step(
        "max-unavailable-recovered",
        "maxunavailable",
        _MAXUNAVAILABLE,
        "back to 0.24: both broken pods replaced at once, no forceRollback needed",
        f"image={OLD}",
        captured=True,
    ),
    _step(
        "max-unavailable-parallel",
        "maxunavailable",
        _MAXUNAVAILABLE,
        "two pods at a time",
        f"image={NEW}",
        captured=True,
    ),
    _step(
        "max-unavailable-to-ordered-ready",
        "maxunavailable",
        _MAXUNAVAILABLE,
        "replaces the StatefulSet",
        "podManagementPolicy=OrderedReady",
    ),
    _step(
        "max-unavailable-ordered",
        "maxunavailable",
        _MAXUNAVAILABLE,
        "two go down, they come back one at a time",
        f"image={OLD}",
        captured=True,
    ),
    _step("ordinals", "ordinals", _ORDINALS, "ordinalsStart 1, minReadySeconds 5", captured=True),
    _step(
        "ordinals-rollout",
        "ordinals",
        _ORDINALS,
        "web-sts-1 replaced 5 s after the new web-sts-2 is Ready",
        f"image={NEW}",
        captured=True,
    ),
    _step("orphan-set-up", "orphan", _DELETION, "3 replicas"),
    _step(
        "orphan",
        "orphan",
        _DELETION,
        "the StatefulSet goes, its pods stay; web-sts-0 deleted",
        "lesson=orphan",
        captured=True,
    ),
    _step(
        "adopt",
        "orphan",
        _DELETION,
        "created again with 2 replicas: adopts web-sts-1, creates web-sts-0, deletes web-sts-2",
        "lesson=adopt",
        "replicas=2",
        refresh=True,
        captured=True,
    ),
    _step(
        "cascade-delete",
        "orphan",
        _DELETION,
        "pods and StatefulSet go, the Service and claims stay",
        "lesson=cascade-delete",
        captured=True,
    ),
    _step(
        "recreated",
        "orphan",
        _DELETION,
        "created again: new pods on the claims that stayed, serving their pages",
        "lesson=recreate",
        refresh=True,
        captured=True,
    ),
    _step("drift-set-up", "drift", _DRIFT, "2 replicas"),
    _step(
        "scale-behind",
        "drift",
        _DRIFT,
        "kubectl scales web-sts to 3: the report shows the drift",
        "lesson=scale-behind",
        captured=True,
    ),
    _step("drift-kept", "drift", _DRIFT, "a plain up sees no change: the drift stays", "lesson=none", captured=True),
    _step("drift-undone", "drift", _DRIFT, "--refresh reads the cluster first: back to 2", refresh=True, captured=True),
    _step("nodes", "nodes", _NODES, "one StatefulSet pod per worker"),
    _step("drain", "nodes", _NODES, "web-sts-1's node drained", "lesson=drain", "lessonOrdinal=1", captured=True),
    _step("uncordon", "nodes", _NODES, "every pod back, with its data", "lesson=uncordon", captured=True),
    _step(
        "stop-node",
        "nodes",
        _NODES,
        "(lab cluster) the node fails",
        "lesson=stop-node",
        "lessonOrdinal=1",
        captured=True,
    ),
    _step(
        "force-delete-pod",
        "nodes",
        _NODES,
        "the stuck pod created again, Pending",
        "lesson=force-delete-pod",
        "lessonOrdinal=1",
        captured=True,
    ),
    _step(
        "start-node",
        "nodes",
        _NODES,
        "the node returns",
        "lesson=start-node",
        "lessonOrdinal=",
        captured=True,
    ),
)
"""Every step, in the order docs/experiments.md walks through them."""


def experiments(steps: tuple[Step, ...] = TUTORIAL) -> list[Experiment]:
    """The steps grouped by stack, each group in its order, the groups in the order of their first step."""
    stacks = list(dict.fromkeys(step.stack for step in steps))
    return [Experiment(stack, tuple(s for s in steps if s.stack == stack)) for stack in stacks]


def sections(steps: tuple[Step, ...] = TUTORIAL) -> list[tuple[str, list[Step]]]:
    """(heading, its steps) in the tutorial's order."""
    titles = list(dict.fromkeys(step.section for step in steps))
    return [(title, [s for s in steps if s.section == title]) for title in titles]


def stack_file_config(stack: str, stacks: Path = STACKS) -> dict[str, str]:
    """What `stacks/Pulumi.<stack>.yaml` sets, without the project prefix: the
    experiment's starting point, for a stack of another name."""
    path = stacks / f"Pulumi.{stack}.yaml"
    if not path.exists():
        raise FileNotFoundError(f"no stack file {path}: the experiment's stack must be one of stacks/")
    config = (yaml.safe_load(path.read_text()) or {}).get("config") or {}
    prefix = f"{PROJECT}:"
    return {str(key).removeprefix(prefix): _config_text(value) for key, value in config.items()}


def _config_text(value: object) -> str:
    """A YAML value as `pulumi config set` would have written it: true, not True."""
    return str(value).lower() if isinstance(value, bool) else str(value)

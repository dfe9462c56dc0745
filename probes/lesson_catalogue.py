"""Every lesson, defined once: the action one step of an experiment runs
(`lesson=<name>` in the stack's config), with what it needs from the
settings, the report topic its checks are filed under and the section of
docs/experiments.md that walks through it.

Everything else that lists lessons derives from `CATALOGUE`: the config
choices (plan.settings), the action each runs (lessons.__main__.ACTIONS),
the checks that judge it (probes.checks.lessons.LESSON_CHECKS);
tests/unit/test_lesson_catalogue.py fails when one of them misses a lesson.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from probes.topics import Topic

LessonName = Literal[
    "none",
    "delete-pods",
    "delete-pod",
    "force-delete-pod",
    "orphan",
    "adopt",
    "cascade-delete",
    "recreate",
    "drain",
    "uncordon",
    "stop-node",
    "start-node",
    "scale-behind",
    "delete-claim",
    "dns-after-delete",
]
OrdinalUse = Literal["required", "optional", "none"]


@dataclass(frozen=True)
class Lesson:
    name: LessonName
    does: str
    """What its action does, in the words of a preview error."""
    topic: Topic
    """The report topic its checks are filed under (probes.topics.TOPICS)."""
    docs: str
    """The anchor of its section in docs/experiments.md."""
    ordinal: OrdinalUse = "none"
    """What lessonOrdinal means to it: "required" (the pod it acts on), "optional"
    (whose node it acts on; the highest ordinal when unset) or "none"."""
    lab_only: bool = False
    """It stops or starts a node of the embedded lab cluster."""
    removes_statefulset: bool = False
    """After it the StatefulSet is meant to be gone."""


_DELETION = "deleting-the-statefulset-orphan-adopt-cascade"
_NODES = "nodes-drain-and-failure"

CATALOGUE: Final[dict[LessonName, Lesson]] = {
    lesson.name: lesson
    for lesson in (
        Lesson("none", "nothing", topic="updates", docs="how-a-step-runs"),
        Lesson(
            "delete-pods",
            "writes each pod's name into its page, then deletes every pod of both workloads",
            topic="identity",
            docs="stable-network-identity-and-storage",
        ),
        Lesson(
            "delete-pod",
            "deletes the StatefulSet pod lessonOrdinal",
            topic="updates",
            docs="staging-canary-and-phased-roll-outs",
            ordinal="required",
        ),
        Lesson(
            "force-delete-pod",
            "force-deletes the StatefulSet pod lessonOrdinal (--grace-period=0 --force)",
            topic="nodes",
            docs=_NODES,
            ordinal="required",
        ),
        Lesson(
            "orphan",
            "deletes the StatefulSet with --cascade=orphan, then its lowest pod",
            topic="deletion",
            docs=_DELETION,
            removes_statefulset=True,
        ),
        Lesson(
            "adopt",
            "waits for the StatefulSet that `pulumi up --refresh` created again to adopt the orphans",
            topic="deletion",
            docs=_DELETION,
        ),
        Lesson(
            "recreate",
            "waits for the StatefulSet that `pulumi up --refresh` created again after a cascading delete to make "
            "its pods anew, and reads their pages",
            topic="deletion",
            docs=_DELETION,
        ),
        Lesson(
            "cascade-delete",
            "deletes the StatefulSet (its pods go with it) and watches them end",
            topic="deletion",
            docs=_DELETION,
            removes_statefulset=True,
        ),
        Lesson(
            "drain",
            "drains the node of the StatefulSet pod lessonOrdinal",
            topic="nodes",
            docs=_NODES,
            ordinal="optional",
        ),
        Lesson(
            "uncordon", "uncordons the nodes of the lab's volumes and waits for every pod", topic="nodes", docs=_NODES
        ),
        Lesson(
            "stop-node",
            "stops the lab worker of the StatefulSet pod lessonOrdinal",
            topic="nodes",
            docs=_NODES,
            ordinal="optional",
            lab_only=True,
        ),
        Lesson(
            "start-node",
            "starts every stopped lab worker and waits for every pod",
            topic="nodes",
            docs=_NODES,
            lab_only=True,
        ),
        Lesson(
            "delete-claim",
            "deletes the claim of the StatefulSet pod lessonOrdinal while it runs, then the pod",
            topic="storage",
            docs="stable-network-identity-and-storage",
            ordinal="required",
        ),
        Lesson(
            "dns-after-delete",
            "looks up the name of the StatefulSet pod lessonOrdinal every half second while it is deleted and "
            "made again",
            topic="identity",
            docs="stable-network-identity-and-storage",
            ordinal="required",
        ),
        Lesson(
            "scale-behind",
            "scales the StatefulSet to one replica more with kubectl, behind the stack's back",
            topic="scaling",
            docs="drift-a-change-behind-the-stacks-back",
        ),
    )
}

LESSONS: Final[tuple[LessonName, ...]] = tuple(CATALOGUE)
"""The names, in the catalogue's order: the choices of the `lesson` config key."""
WITHOUT_STATEFULSET: Final[tuple[LessonName, ...]] = tuple(
    n for n, lesson in CATALOGUE.items() if lesson.removes_statefulset
)
"""Lessons after which the StatefulSet is meant to be gone."""
TOPIC: Final[dict[str, Topic]] = {n: lesson.topic for n, lesson in CATALOGUE.items()}
"""The report topic each lesson's checks are filed under."""

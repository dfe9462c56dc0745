"""The lessons a stack can run, and what each needs from the stack's settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from probes.lesson_record import LessonName


@dataclass(frozen=True)
class Lesson:
    name: LessonName
    does: str
    ordinal: str = "none"
    """What lessonOrdinal means to it: "required" (the pod it acts on), "optional"
    (whose node it acts on; the highest ordinal when unset) or "none"."""
    lab_only: bool = False
    """It stops or starts a node of the embedded lab cluster."""


CATALOGUE: Final[dict[str, Lesson]] = {
    lesson.name: lesson
    for lesson in (
        Lesson("none", "nothing"),
        Lesson("delete-pods", "writes each pod's name into its page, then deletes every pod of both workloads"),
        Lesson("delete-pod", "deletes the StatefulSet pod lessonOrdinal", ordinal="required"),
        Lesson(
            "force-delete-pod",
            "force-deletes the StatefulSet pod lessonOrdinal (--grace-period=0 --force)",
            ordinal="required",
        ),
        Lesson("orphan", "deletes the StatefulSet with --cascade=orphan, then its lowest pod"),
        Lesson("adopt", "waits for the StatefulSet that `pulumi up --refresh` created again to adopt the orphans"),
        Lesson("cascade-delete", "deletes the StatefulSet (its pods go with it) and watches them end"),
        Lesson("drain", "drains the node of the StatefulSet pod lessonOrdinal", ordinal="optional"),
        Lesson("uncordon", "uncordons the nodes of the lab's volumes and waits for every pod"),
        Lesson(
            "stop-node", "stops the lab worker of the StatefulSet pod lessonOrdinal", ordinal="optional", lab_only=True
        ),
        Lesson("start-node", "starts every stopped lab worker and waits for every pod", lab_only=True),
    )
}

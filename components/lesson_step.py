"""The lesson step: the action of one step of an experiment, run by `pulumi up`.

A `local.Command` that runs `python -m lessons <lesson> '<spec>'` after both
rollout gates and before the probes. Its inputs are the lesson settings
(lesson, lessonOrdinal, lessonRunId) and what the lesson acts on, so it runs
once per change of them and never on an `up` that changes nothing. Its
stdout, the lesson's record, is the probe command's stdin: the probes judge
what the action did, and run again whenever it ran.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pulumi_command import local

from components.local_commands import kubectl_environment, project_python, run_during_up, shell_line
from kube.names import LabNames
from kube.target import KubectlTarget
from lessons.spec import LessonSpec
from plan.settings import LabSettings


def lesson_spec(settings: LabSettings, names: LabNames, target: KubectlTarget) -> LessonSpec:
    return LessonSpec.for_lab(
        names,
        lesson=settings.lesson.name,
        namespace=settings.namespace,
        replicas=settings.replicas,
        ordinals_start=settings.ordinals_start,
        ordinal=settings.lesson.ordinal,
        timeout_seconds=settings.probes.timeout_seconds,
        context=target.context,
        run_id=settings.lesson.run_id,
        dns_image=settings.probes.dns_image if settings.lesson.name == "dns-after-delete" else "",
    )


def lesson_argv(spec: LessonSpec) -> list[str]:
    return [project_python(), "-m", "lessons", spec.lesson, spec.to_json()]


def lesson_step(
    name: str, settings: LabSettings, names: LabNames, target: KubectlTarget, after: Sequence[pulumi.Resource]
) -> local.Command | None:
    """The stack's lesson command, None when the stack runs no lesson."""
    if settings.lesson.name == "none" or settings.renders_only:
        return None
    return run_during_up(
        name,
        shell_line(lesson_argv(lesson_spec(settings, names, target))),
        triggers=[],
        environment=kubectl_environment(target),
        # Progress on stderr shows while `up` runs; stdout is the record.
        log=local.Logging.STDERR,
        opts=pulumi.ResourceOptions(depends_on=list(after)),
    )

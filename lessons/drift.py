"""A lesson that changes the cluster behind the stack's back.

- scale-behind: `kubectl scale statefulset <name> --replicas=<one more>`, as a
  person at a terminal would, then waits until the extra pod is Ready. Pulumi
  knows nothing of it: its state still holds the replicas the stack asked
  for, so a later plain `pulumi up` (nothing changed in the program) leaves
  the extra pod alone, and `pulumi up --refresh` reads the cluster first,
  sees the difference and scales back.
"""

from __future__ import annotations

from kube.objects import is_ready, is_terminating
from lessons.cluster import LessonCluster, now, say
from lessons.spec import LessonSpec
from probes.lesson_record import LessonRecord


def scale_behind(spec: LessonSpec) -> LessonRecord:
    lab = LessonCluster(spec)
    started = now()
    statefulset = lab.require_statefulset("nothing to scale")
    before = lab.snapshot()
    wanted = int(statefulset["spec"].get("replicas", 1)) + 1
    say(f"scaling StatefulSet {spec.statefulset} to {wanted} replicas with kubectl, behind the stack's back")
    lab.run(lab.kubectl("scale", "statefulset", spec.statefulset, f"--replicas={wanted}"))

    def scaled() -> bool:
        pods = [
            i
            for i in lab.pod_items()
            if i["metadata"]["labels"].get("app") == spec.names.statefulset.app and not is_terminating(i)
        ]
        return len(pods) == wanted and all(is_ready(i) for i in pods)

    problem = lab.wait_or_problem(f"{wanted} {spec.statefulset} pods, all Ready", scaled)
    return LessonRecord(
        lesson=spec.lesson, started=started, finished=now(), before=before, after=lab.snapshot(), steps=lab.steps,
        problem=problem,
    )  # fmt: skip

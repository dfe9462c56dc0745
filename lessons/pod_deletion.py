"""Lessons that delete pods and watch them come back.

- delete-pods: the stable identity lesson. Every pod writes its own name into
  its page (the Deployment's one after another, so all of them end up serving
  the last writer's name, as in the seed), then every pod of both workloads is
  deleted; once the replacements are Ready, each serves its page again.
- delete-pod: the StatefulSet pod lessonOrdinal goes, and comes back on the
  revision its update strategy gives it (staging, canary, OnDelete).
- force-delete-pod: the same with --force --grace-period=0, as the node
  failure lesson does for a pod stuck on a dead node; it may then stay Pending.
"""

from __future__ import annotations

from kube.objects import cannot_start_reason, is_ready, is_terminating
from lessons.cluster import LessonCluster, now, say
from lessons.spec import LessonSpec
from probes.lesson_record import LessonRecord


def delete_pods(spec: LessonSpec) -> LessonRecord:
    lab = LessonCluster(spec)
    started = now()
    before = lab.snapshot()
    sts = [p.name for p in before if p.workload == "statefulset"]
    dep = sorted(p.name for p in before if p.workload == "deployment")
    written = {pod: lab.write_name(pod) for pod in sts}
    for pod in dep:  # one after another: the last one's name is what every Deployment pod serves
        lab.write_name(pod)
    written |= {pod: dep[-1] for pod in dep}
    served_before = {pod: lab.served(pod) for pod in sts + dep}
    say(f"deleting every pod: {', '.join(sts + dep)}")
    for app in (spec.names.statefulset.app, spec.names.deployment.app):
        lab.run(
            lab.kubectl("delete", "pods", f"--selector=app={app}", "--wait=true", f"--timeout={spec.timeout_seconds}s")
        )
    old = {p.uid for p in before}

    def replaced() -> bool:
        live = [i for i in lab.pod_items() if not is_terminating(i)]
        fresh = [i for i in live if i["metadata"]["uid"] not in old and is_ready(i)]
        return len(live) == len(before) == len(fresh)

    problem = lab.wait_or_problem(f"{len(before)} new pods, all Ready", replaced)
    after = lab.snapshot()
    served = {p.name: lab.served(p.name) for p in after}
    return LessonRecord(
        lesson=spec.lesson, started=started, finished=now(), before=before, after=after, written=written,
        served=served, served_before=served_before, steps=lab.steps, problem=problem,
    )  # fmt: skip


def delete_pod(spec: LessonSpec, force: bool = False) -> LessonRecord:
    lab = LessonCluster(spec)
    started = now()
    assert spec.ordinal is not None  # the settings require it
    pod = spec.pod(spec.ordinal)
    before = lab.snapshot()
    # A pod already Terminating counts: on a failed node the taint-based
    # eviction marks it for deletion after 5 minutes, and it stays Terminating
    # until the kubelet confirms, which is what a force delete is for.
    gone = next((i for i in lab.pod_items() if i["metadata"]["name"] == pod), None)
    if gone is None:
        return LessonRecord(
            lesson=spec.lesson, started=started, finished=now(), ordinal=spec.ordinal, before=before, after=before,
            problem=f"{pod} does not exist, so nothing was deleted",
        )  # fmt: skip
    gone_uid = gone["metadata"]["uid"]
    flags = ["--force", "--grace-period=0", "--wait=false"] if force else ["--wait=true"]
    stuck = " (Terminating)" if is_terminating(gone) else ""
    say(f"deleting {pod}{stuck}{' by force' if force else ''}")
    lab.run(lab.kubectl("delete", "pod", pod, *flags, f"--timeout={spec.timeout_seconds}s"))

    def back() -> bool:
        item = next((i for i in lab.pod_items() if i["metadata"]["name"] == pod), None)
        if item is None or item["metadata"]["uid"] == gone_uid or is_terminating(item):
            return False
        # A pod pinned to an unavailable node's volume never becomes Ready, nor
        # one whose image cannot be pulled: once the scheduler or the kubelet
        # has said why, it is back as far as it can come.
        unplaced = any(
            c.get("type") == "PodScheduled" and c.get("status") == "False"
            for c in item.get("status", {}).get("conditions") or []
        )
        return is_ready(item) or unplaced or bool(cannot_start_reason(item))

    problem = lab.wait_or_problem(f"{pod} created again", back)
    return LessonRecord(
        lesson=spec.lesson, started=started, finished=now(), ordinal=spec.ordinal, before=before,
        after=lab.snapshot(), steps=lab.steps, problem=problem,
    )  # fmt: skip

"""Lessons that delete the StatefulSet itself.

- orphan: every pod writes its name into its page, the StatefulSet is deleted
  with --cascade=orphan (its pods stay, owned by nothing), and its lowest pod
  is deleted: nothing creates it again while no StatefulSet exists.
- adopt: after `pulumi up --refresh` created the StatefulSet again, waits
  until it has every pod Ready: it adopted the orphans (same pods, now owned
  by it) and created the missing one, which finds its claim and its page.
  Created again with fewer replicas, it also deletes the pods above them;
  the lesson waits until they are gone.
- cascade-delete: the StatefulSet is deleted with its pods; the lesson
  watches each pod end and what becomes of the claims (whenDeleted).
"""

from __future__ import annotations

import time

from kube.objects import is_ready, is_terminating, ordinal_of, owner_uids
from lessons.cluster import LessonCluster, now, say
from lessons.spec import LessonSpec
from probes.lesson_record import Ended, LessonRecord

ORPHAN_WATCH_SECONDS = 10
"""How long the orphan lesson watches for someone to create the deleted pod
again: a StatefulSet controller would within a second or two."""
CLAIM_SETTLE_SECONDS = 20
"""How long the cascade lesson waits for the garbage collector to delete
claims the StatefulSet owned (whenDeleted: Delete)."""


def orphan(spec: LessonSpec) -> LessonRecord:
    lab = LessonCluster(spec)
    started = now()
    lab.require_statefulset("nothing to orphan")
    before = lab.snapshot()
    pods = sorted((p for p in before if p.workload == "statefulset"), key=lambda p: p.name)
    written = {p.name: lab.write_name(p.name) for p in pods}
    say(f"deleting StatefulSet {spec.statefulset} with --cascade=orphan")
    lab.run(lab.kubectl("delete", "statefulset", spec.statefulset, "--cascade=orphan", "--wait=true"))
    lowest = spec.pod(spec.ordinals_start)
    say(f"deleting {lowest}, which nothing should create again")
    lab.run(lab.kubectl("delete", "pod", lowest, "--wait=true", f"--timeout={spec.timeout_seconds}s"))
    time.sleep(ORPHAN_WATCH_SECONDS)
    return LessonRecord(
        lesson=spec.lesson, started=started, finished=now(), ordinal=spec.ordinals_start, before=before,
        after=lab.snapshot(), written=written, steps=lab.steps,
    )  # fmt: skip


def adopt(spec: LessonSpec) -> LessonRecord:
    lab = LessonCluster(spec)
    started = now()
    before = lab.snapshot()
    statefulset = lab.require_statefulset("run `pulumi up --refresh`, which creates it again")
    uid = statefulset["metadata"]["uid"]

    def adopted() -> bool:
        labelled = [i for i in lab.pod_items() if i["metadata"]["labels"].get("app") == spec.names.statefulset.app]
        items = [i for i in labelled if not is_terminating(i)]
        # Created again with fewer replicas, it deletes the pods above them: wait until they are gone.
        above = [
            i for i in labelled if (ordinal_of(i["metadata"]["name"], spec.statefulset) or 0) > spec.highest_ordinal
        ]
        owned = all(uid in owner_uids(i) and is_ready(i) for i in items)
        return len(items) == spec.replicas and owned and not above

    problem = lab.wait_or_problem(
        f"every {spec.statefulset} pod owned by the new StatefulSet and Ready, none above its replicas", adopted
    )
    after = lab.snapshot()
    served = {p.name: lab.served(p.name) for p in after if p.workload == "statefulset"}
    return LessonRecord(
        lesson=spec.lesson, started=started, finished=now(), before=before, after=after, served=served,
        steps=lab.steps, problem=problem,
    )  # fmt: skip


def recreate(spec: LessonSpec) -> LessonRecord:
    """After a cascading delete no pod is left to adopt: the StatefulSet created
    again makes them all anew. The same wait as adopt's (every pod owned by it
    and Ready), then each pod's page: what it wrote before the deletion, when
    its claim stayed."""
    return adopt(spec)


def cascade_delete(spec: LessonSpec) -> LessonRecord:
    lab = LessonCluster(spec)
    started = now()
    statefulset = lab.require_statefulset("nothing to delete")
    policy = statefulset["spec"].get("persistentVolumeClaimRetentionPolicy") or {}
    before = lab.snapshot()
    claims_before = lab.claims()
    going = {p.name for p in before if p.workload == "statefulset"}
    say(f"deleting StatefulSet {spec.statefulset} and its pods")
    lab.run(lab.kubectl("delete", "statefulset", spec.statefulset, "--wait=false"))
    ended: list[Ended] = []
    deadline = time.monotonic() + spec.timeout_seconds
    while going and time.monotonic() < deadline:
        present = {i["metadata"]["name"] for i in lab.pod_items()}
        for pod in sorted(going - present):
            ended.append(Ended(pod, now()))
        going &= present
        time.sleep(0.2)
    problem = f"still there after {spec.timeout_seconds}s: {', '.join(sorted(going))}" if going else ""
    if policy.get("whenDeleted") == "Delete":
        owned = {c for c in claims_before if c.startswith(f"{spec.names.volume}-{spec.statefulset}-")}
        settle = time.monotonic() + CLAIM_SETTLE_SECONDS
        while time.monotonic() < settle and owned & set(lab.claims()):
            time.sleep(1)
    return LessonRecord(
        lesson=spec.lesson, started=started, finished=now(), before=before, after=lab.snapshot(), ended=ended,
        claims_before=claims_before, claims_after=lab.claims(), steps=lab.steps, problem=problem,
    )  # fmt: skip

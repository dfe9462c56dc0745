"""delete-claim: storage's one-way door.

The StatefulSet pod lessonOrdinal writes its name into its page; then its
claim is deleted while it runs. The claim protection keeps the claim
(Terminating) as long as a pod uses it, so nothing changes yet: the lesson
looks again after HOLD_SECONDS. Then the pod is deleted: the claim goes with
it, and the StatefulSet creates the pod again on a new, empty claim of the
same name, with no page. Last, the old claim's volume: with reclaimPolicy
Delete the provisioner removes its directory and then the PV goes; the lesson
waits for the PV to go and, on the lab cluster, looks at the node's disk.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Final

from kube.objects import is_ready, is_terminating
from lessons.cluster import LessonCluster, now, say
from lessons.spec import LessonSpec
from probes.lesson_record import LessonRecord, VolumeFate
from probes.node_disk import lab_disk_lookup
from probes.parse import volume_node, volume_path

HOLD_SECONDS: Final = 3.0
"""How long the lesson lets the deleted claim sit under its running pod before it looks."""
VOLUME_GONE_SECONDS: Final = 90.0
"""How long the old volume may take to go: local-path removes its directory with a helper pod
on its node first, which under load takes seconds."""


def _claim_item(lab: LessonCluster, claim: str) -> dict[str, object] | None:
    """The claim as listed, terminating or not; None when it is gone."""
    listed = lab.json(
        lab.kubectl("get", "persistentvolumeclaims", f"--field-selector=metadata.name={claim}", "--output=json")
    )
    items: list[dict[str, object]] = listed.get("items", [])
    return items[0] if items else None


def _volume_of(lab: LessonCluster, claim: str) -> VolumeFate | None:
    """The claim's bound volume as the API describes it; None when it has none."""
    item = _claim_item(lab, claim) or {}
    spec = item.get("spec")
    name = str(spec.get("volumeName", "")) if isinstance(spec, dict) else ""
    if not name:
        return None
    pv = lab.json(lab.kubectl("get", "persistentvolume", name, "--output=json", namespaced=False))
    policy = pv.get("spec", {}).get("persistentVolumeReclaimPolicy", "")
    return VolumeFate(name, volume_node(pv) or "", volume_path(pv) or "", policy)


def _volume_exists(lab: LessonCluster, name: str) -> bool:
    argv = lab.kubectl(
        "get", "persistentvolumes", f"--field-selector=metadata.name={name}", "--output=json", namespaced=False
    )
    return bool(lab.json(argv).get("items"))


def _fate(lab: LessonCluster, volume: VolumeFate) -> VolumeFate:
    """What became of the old volume: with reclaimPolicy Delete, gone from the API (waited for)
    and, where the host sees the node's disk, from the disk."""
    if volume.reclaim_policy != "Delete":
        return volume
    say(f"waiting for the old volume {volume.name} to go (reclaimPolicy Delete)")
    gone = not lab.wait_or_problem(
        f"volume {volume.name} gone", lambda: not _volume_exists(lab, volume.name), VOLUME_GONE_SECONDS
    )
    lookup = lab_disk_lookup()
    on_disk = lookup(volume.node, volume.path) if lookup and volume.node and volume.path else None
    return replace(volume, gone=gone, on_disk=on_disk)


def delete_claim(spec: LessonSpec) -> LessonRecord:
    lab = LessonCluster(spec)
    started = now()
    assert spec.ordinal is not None  # the settings require it
    pod = spec.pod(spec.ordinal)
    claim = spec.names.claim_of(pod)
    before = lab.snapshot()
    claims_before = lab.claims()
    running = next((p for p in before if p.name == pod), None)
    if running is None or claim not in claims_before:
        return LessonRecord(
            lesson=spec.lesson, started=started, finished=now(), ordinal=spec.ordinal, before=before, after=before,
            claims_before=claims_before, problem=f"{pod} or its claim {claim} does not exist, so nothing was deleted",
        )  # fmt: skip
    old_volume = _volume_of(lab, claim)
    written = {pod: lab.write_name(pod)}
    served_before = {pod: lab.served(pod)}
    say(f"deleting claim {claim} while {pod} runs")
    lab.run(lab.kubectl("delete", "persistentvolumeclaim", claim, "--wait=false"))
    time.sleep(HOLD_SECONDS)
    item = _claim_item(lab, claim)
    still_running = any(p.name == pod and p.uid == running.uid for p in lab.snapshot())
    held = item is not None and is_terminating(item) and still_running
    say(f"deleting {pod}: its claim goes with it, and the StatefulSet makes both anew")
    lab.run(lab.kubectl("delete", "pod", pod, "--wait=true", f"--timeout={spec.timeout_seconds}s"))

    def back_on_a_new_claim() -> bool:
        item = next((i for i in lab.pod_items() if i["metadata"]["name"] == pod), None)
        if item is None or item["metadata"]["uid"] == running.uid or not is_ready(item):
            return False
        fresh = lab.claims().get(claim)
        return fresh is not None and fresh != claims_before[claim]

    problem = lab.wait_or_problem(f"{pod} Ready again on a new claim {claim}", back_on_a_new_claim)
    fate = _fate(lab, old_volume) if old_volume and not problem else old_volume
    return LessonRecord(
        lesson=spec.lesson, started=started, finished=now(), ordinal=spec.ordinal, before=before,
        after=lab.snapshot(), written=written, served_before=served_before, served={pod: lab.served(pod)},
        claims_before=claims_before, claims_after=lab.claims(), claim_held=held, old_volume=fate, steps=lab.steps,
        problem=problem,
    )  # fmt: skip

"""python -m lessons <lesson> '<json spec>': runs a lesson's action and prints its record.

The record (probes.lesson_record.LessonRecord, one JSON line on stdout) goes
to the probes, which judge it; progress goes to stderr. A lesson that cannot
act at all (its StatefulSet is missing, kubectl is not there) exits 1 with the
reason, which `pulumi up` shows as the step's error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from kube import api_reads
from lessons import claim_deletion, dns_after_delete, drift, nodes, pod_deletion, statefulset_deletion
from lessons.cluster import LessonError, now
from lessons.spec import LessonSpec
from probes.lesson_catalogue import LessonName
from probes.lesson_record import LessonRecord

ACTIONS: dict[LessonName, Callable[[LessonSpec], LessonRecord]] = {
    "delete-pods": pod_deletion.delete_pods,
    "delete-pod": pod_deletion.delete_pod,
    "force-delete-pod": lambda spec: pod_deletion.delete_pod(spec, force=True),
    "orphan": statefulset_deletion.orphan,
    "adopt": statefulset_deletion.adopt,
    "cascade-delete": statefulset_deletion.cascade_delete,
    "recreate": statefulset_deletion.recreate,
    "drain": nodes.drain,
    "uncordon": nodes.uncordon,
    "stop-node": nodes.stop_node,
    "start-node": nodes.start_node,
    "scale-behind": drift.scale_behind,
    "delete-claim": claim_deletion.delete_claim,
    "dns-after-delete": dns_after_delete.dns_after_delete,
}
"""The action of each lesson of probes.lesson_catalogue but "none", which does nothing."""


def main(argv: list[str]) -> int:
    if len(argv) != 2 or (argv[0] not in ACTIONS and argv[0] != "none"):
        print(f"usage: python -m lessons {{{'|'.join(ACTIONS)}}} '<json spec>'", file=sys.stderr)
        return 2
    spec = LessonSpec.from_json(argv[1])
    if spec.lesson == "none":
        record = LessonRecord(lesson="none", started=now(), finished=now())
    else:
        try:
            record = ACTIONS[spec.lesson](spec)
        except LessonError as err:
            print(f"lesson {spec.lesson}: {err}", file=sys.stderr)
            return 1
    print(record.to_json(), flush=True)
    return 0


if __name__ == "__main__":
    # Only as a process of its own (what `pulumi up` starts): the lesson's
    # polls are then read from the API by this process, not by a kubectl each.
    api_reads.enable()
    sys.exit(main(sys.argv[1:]))

"""A node sabotage (tests/e2e/sabotage.py): a NoExecute taint put on a worker
with kubectl, behind the stack's back and outside any lesson. The pods there
are evicted; web-sts-1 comes back under its name but cannot run away from its
volume, so what needs the pod running cannot be judged, and says why."""

from __future__ import annotations

import pytest

from tests.e2e.cluster_state import pods, wait_until
from tests.e2e.kube import kubectl, kubectl_json
from tests.e2e.lab_nodes.conftest import SplitLab, assert_split, without_lesson
from tests.e2e.sabotage import Sabotage, judge_in_turn

pytestmark = pytest.mark.e2e
TAINT = "statefulset-lab/sabotage=1:NoExecute"


def _pending(namespace: str, pod: str) -> bool:
    found = kubectl_json("get", "pods", "-n", namespace, "--field-selector", f"metadata.name={pod}")["items"]
    return bool(found) and not found[0]["metadata"].get("deletionTimestamp") and not found[0]["spec"].get("nodeName")


def test_a_worker_tainted_out_of_band_leaves_the_pods_it_held_unjudged(split_lab: SplitLab) -> None:
    assert_split(split_lab)
    without_lesson(split_lab, "no lesson: the set-up's checks")
    stack, ns, node = split_lab.stack, split_lab.namespace, split_lab.worker

    def taint() -> None:
        kubectl("taint", "node", node, TAINT)
        wait_until(lambda: _pending(ns, "web-sts-1"), 120, f"web-sts-1 evicted from {node} and Pending")

    def untaint() -> None:
        kubectl("taint", "node", node, f"{TAINT}-")
        wait_until(lambda: len([p for p in pods(ns, "nginx-sts") if p.ready_since]) == 2, 180, "web-sts-1 back")
        # The next node experiment starts from the whole layout: the
        # Deployment's replacements run again on the volume's node too.
        wait_until(lambda: len([p for p in pods(ns, "nginx-dep") if p.ready_since]) == 2, 180, "the Deployment back")

    try:
        judge_in_turn(
            stack,
            [
                Sabotage(
                    f"a NoExecute taint on {node}, the node of web-sts-1",
                    break_it=taint,
                    targets=[
                        "[statefulset] hostname is the pod name",
                        "[statefulset] <pod>.<service> resolves to the pod's IP",
                    ],
                    inconclusive_ok=True,
                    restore=untaint,
                    # Whatever ran on the node was evicted, so any check of a pod
                    # there may move; the workloads' existence and the
                    # StatefulSet's names (web-sts-1 is back, Pending) must not.
                    keep=[
                        "[statefulset] the StatefulSet exists",
                        "[deployment] the Deployment exists",
                        "[statefulset] pod names are <statefulset>-<ordinal>",
                    ],
                ),
            ],
        )
    finally:
        if any(
            t.get("key") == TAINT.split("=")[0] for t in kubectl_json("get", "node", node)["spec"].get("taints", [])
        ):
            kubectl("taint", "node", node, f"{TAINT}-")

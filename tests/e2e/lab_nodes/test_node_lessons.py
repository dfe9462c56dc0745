"""The node lessons on the lab cluster, as a learner runs them: drain and
uncordon; a worker that fails, a force delete, the worker back. Each step is
a config change and a `pulumi up`; the verdicts come from the stack's probes
(and, while the worker is down, from `make report`, which leaves it down).
Both run on the node experiments' one stack (`split_lab`), in turn."""

from __future__ import annotations

import pytest

from labstack.automation import assert_checks_pass
from tests.e2e.lab_nodes.conftest import SplitLab, assert_split, make_report, node_ready, pod_nodes

pytestmark = pytest.mark.e2e
WAITS = "[statefulset] a pod whose volume's node is unavailable waits for that node, never re-created elsewhere"
ONE_PER_ORDINAL = (
    "[statefulset] at most one pod per ordinal: a pod on a failed node is not replaced while it may still run"
)
REPLACED = "[deployment] pods the volume's node cannot run are replaced under new names, and wait Pending for it"


def test_a_drained_worker_leaves_its_pods_pending_and_the_uncordon_brings_them_back(split_lab: SplitLab) -> None:
    assert_split(split_lab)
    stack, node = split_lab.stack, split_lab.worker
    stack.up("drain the node of web-sts-1", lesson="drain", lessonOrdinal="1")
    assert_checks_pass(
        stack,
        f"[statefulset] draining {node} evicts its StatefulSet pods; they come back under their names and wait for "
        "their volumes' node",
        f"[deployment] the Deployment's pods evicted from {node} are replaced under new names",
        WAITS,
        REPLACED,
    )
    stack.up("uncordon", lesson="uncordon")
    assert_checks_pass(
        stack, "[statefulset] after the uncordon, every pod runs again on its volume's node and serves its own page"
    )
    assert {n for p, n in pod_nodes(split_lab.namespace).items() if p != "web-sts-0"} == {node}


def test_a_failed_worker_the_deployment_replaces_its_pods_the_statefulset_waits(split_lab: SplitLab) -> None:
    assert_split(split_lab)
    stack, node = split_lab.stack, split_lab.worker
    stack.up("stop the node of web-sts-1", lesson="stop-node", lessonOrdinal="")
    assert_checks_pass(
        stack,
        f"[statefulset] while {node} is down, web-sts-1 is not replaced: it stays the only web-sts-1",
        f"[deployment] the Deployment replaces its pods of {node} under new names",
        f"[deployment] the node lifecycle controller evicts the Deployment's pods of the failed {node}",
        ONE_PER_ORDINAL,
        REPLACED,
    )
    report = make_report(split_lab)
    assert f"PASS  {ONE_PER_ORDINAL}" in report, report
    assert f"worker {node} is stopped and stays so" in report, "make report names the stopped worker"
    assert not node_ready(node), "make report must leave the stopped worker stopped"

    stack.up("force delete web-sts-1", lesson="force-delete-pod", lessonOrdinal="1")
    assert_checks_pass(
        stack,
        "[statefulset] force-deleting web-sts-1 creates it again at once, "
        "Pending on its volume's node while that node is down",
        WAITS,
    )
    stack.up("start the node again", lesson="start-node", lessonOrdinal="")
    assert_checks_pass(
        stack, "[statefulset] after the node returns, every pod runs again on its volume's node and serves its own page"
    )
    assert node_ready(node)
    assert {n for p, n in pod_nodes(split_lab.namespace).items() if p != "web-sts-0"} == {node}

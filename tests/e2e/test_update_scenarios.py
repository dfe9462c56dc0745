"""Scenarios 3 (RollingUpdate with partitions) and 4 (OnDelete)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from labstack.automation import LabStack, assert_checks_pass
from tests.e2e.cluster_state import controller_pod_events, images_by_pod, pods
from tests.e2e.kube import kubectl

pytestmark = pytest.mark.e2e
OLD, NEW = "registry.k8s.io/nginx-slim:0.24", "registry.k8s.io/nginx-slim:0.21"
PARTITION_CHECK = "[statefulset] ordinals >= partition ({}) run the new revision, the others keep theirs"


def test_rolling_update_and_partitions(scenario_stack: Callable[..., LabStack]) -> None:
    ns = "e2e-updates"
    stack = scenario_stack("updates", replicas="3")
    stack.up("3 replicas")

    stack.up("new image, partition 0", image=NEW)
    assert images_by_pod(ns) == {"web-sts-0": "0.21", "web-sts-1": "0.21", "web-sts-2": "0.21"}
    assert controller_pod_events(ns, "StatefulSet", "delete")[-3:] == ["web-sts-2", "web-sts-1", "web-sts-0"]

    uids = {p.name: p.uid for p in pods(ns, "nginx-sts")}
    stack.up("partition 3 + old image", partition="3", image=OLD)
    assert stack.timings["partition 3 + old image"] < 180, stack.timings
    assert {p.name: p.uid for p in pods(ns, "nginx-sts")} == uids, "partition 3 must not replace any pod"
    assert images_by_pod(ns) == {"web-sts-0": "0.21", "web-sts-1": "0.21", "web-sts-2": "0.21"}
    assert_checks_pass(stack, PARTITION_CHECK.format(3))

    stack.up("canary: partition 2", partition="2")
    assert images_by_pod(ns) == {"web-sts-0": "0.21", "web-sts-1": "0.21", "web-sts-2": "0.24"}
    assert_checks_pass(stack, PARTITION_CHECK.format(2))

    stack.up("roll out: partition 0", partition="0")
    assert images_by_pod(ns) == {"web-sts-0": "0.24", "web-sts-1": "0.24", "web-sts-2": "0.24"}
    assert_checks_pass(stack, PARTITION_CHECK.format(0))


def test_on_delete_updates_a_pod_only_when_it_is_deleted(scenario_stack: Callable[..., LabStack]) -> None:
    ns = "e2e-ondelete"
    stack = scenario_stack("ondelete", updateStrategy="OnDelete")
    stack.up("OnDelete")
    uids = {p.name: p.uid for p in pods(ns, "nginx-sts")}

    stack.up("new image", image=NEW)
    assert {p.name: p.uid for p in pods(ns, "nginx-sts")} == uids
    assert images_by_pod(ns) == {"web-sts-0": "0.24", "web-sts-1": "0.24"}

    kubectl("delete", "pod", "web-sts-1", "--namespace", ns, "--wait=true", "--timeout=120s")
    kubectl("wait", "--for=condition=Ready", "pod/web-sts-1", "--namespace", ns, "--timeout=120s")
    assert images_by_pod(ns) == {"web-sts-0": "0.24", "web-sts-1": "0.21"}

"""Scenario 2: scale 2 -> 5 -> 3, StatefulSet by ordinal, Deployment at once."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest

from labstack.automation import LabStack, assert_checks_pass
from tests.e2e.cluster_state import claims, controller_pod_events, pods

pytestmark = pytest.mark.e2e
NS = "e2e-scaling"


def test_scaling_out_and_in(scenario_stack: Callable[..., LabStack]) -> None:
    stack = scenario_stack("scaling")
    stack.up("2 replicas")

    stack.up("scale out to 5", replicas="5", deploymentReplicas="5")
    assert_checks_pass(
        stack,
        "[statefulset] pod names are <statefulset>-<ordinal>",
        "[statefulset] OrderedReady creates each pod after its predecessor is Ready",
    )
    sts = {p.name: p for p in pods(NS, "nginx-sts")}
    assert sorted(sts) == [f"web-sts-{i}" for i in range(5)]
    for before, after in pairwise(f"web-sts-{i}" for i in range(1, 5)):
        ready, started = sts[before].ready_since, sts[before].started
        assert ready is not None and started is not None, f"{before} is not Ready and running"
        # Its Ready time would say more, but the kubelet can report a pod Ready
        # as its container starts and again later (docs/probes.md), so a Ready
        # time may be later than what the controller acted on; the start never is.
        assert sts[after].created >= started, f"{after} created before {before}'s container started ({started})"
    new_dep = sorted(pods(NS, "nginx-dep"), key=lambda p: p.created)[-3:]
    first_ready = min(p.ready_since for p in new_dep if p.ready_since)
    assert all(p.created <= first_ready for p in new_dep), "the Deployment created its new pods one by one"

    stack.up("scale in to 3", replicas="3", deploymentReplicas="3")
    assert_checks_pass(
        stack,
        "[statefulset] scale-in removes the highest ordinal first, one at a time",
        "[statefulset] the StatefulSet controller deletes each scale-in pod once the one above it is gone",
        "[statefulset] claims of removed ordinals are kept, still Bound",
        "[deployment] the Deployment scales in all at once",
    )
    assert controller_pod_events(NS, "StatefulSet", "delete")[-2:] == ["web-sts-4", "web-sts-3"]
    assert sorted(p.name for p in pods(NS, "nginx-sts")) == ["web-sts-0", "web-sts-1", "web-sts-2"]
    kept = claims(NS)
    assert {"www-web-sts-3", "www-web-sts-4"} <= set(kept)
    assert all(kept[n]["status"]["phase"] == "Bound" for n in ("www-web-sts-3", "www-web-sts-4"))
    assert len(pods(NS, "nginx-dep")) == 3
    document = stack.probes()
    assert document.actions_source.startswith("the lab cluster's audit log")
    made = {a.name: a.actor for a in document.actions if a.verb == "created" and a.kind == "pod"}
    assert made["web-sts-4"] == "the StatefulSet controller"
    assert "the ReplicaSet controller" in made.values()

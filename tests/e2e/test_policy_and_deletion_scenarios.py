"""Scenarios 5 (switch to Parallel: replace, claims re-adopted, a scale-in all at once) and 6 (deletion)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from labstack.automation import LabStack, assert_checks_pass
from tests.e2e.cluster_state import claims, pods, statefulset, wait_until
from tests.e2e.kube import kubectl, kubectl_json

pytestmark = pytest.mark.e2e


def test_switching_to_parallel_replaces_the_statefulset_and_keeps_the_data(
    scenario_stack: Callable[..., LabStack],
) -> None:
    ns = "e2e-policy"
    stack = scenario_stack("policy")
    stack.up("OrderedReady")
    old_uid = statefulset(ns)["metadata"]["uid"]
    claim_uids = {n: c["metadata"]["uid"] for n, c in claims(ns).items() if n.startswith("www-web-sts-")}
    for pod in ("web-sts-0", "web-sts-1"):
        kubectl(
            "exec", pod, "--namespace", ns, "--", "sh", "-c", f"echo kept-by-{pod} > /usr/share/nginx/html/index.html"
        )

    stack.up("Parallel", podManagementPolicy="Parallel")
    assert statefulset(ns)["metadata"]["uid"] != old_uid, "the StatefulSet was not replaced"
    assert statefulset(ns)["spec"]["podManagementPolicy"] == "Parallel"
    assert_checks_pass(stack, "[statefulset] Parallel creates pods without waiting for each other")
    assert {n: c["metadata"]["uid"] for n, c in claims(ns).items() if n.startswith("www-web-sts-")} == claim_uids
    for pod in ("web-sts-0", "web-sts-1"):
        page = kubectl("exec", pod, "--namespace", ns, "--", "curl", "-s", "http://localhost/")
        assert page.strip() == f"kept-by-{pod}"

    # Parallel governs scaling: both pods are deleted before either is gone.
    stack.up("Parallel, scale in to 0", replicas="0")
    assert_checks_pass(
        stack,
        "[statefulset] Parallel scale-in deletes its pods without waiting for each other",
        "[statefulset] claims of removed ordinals are kept, still Bound",
    )


@pytest.mark.parametrize(("when_deleted", "claims_left"), [("Retain", True), ("Delete", False)])
def test_destroy_removes_what_pulumi_created_and_claims_follow_the_retention_policy(
    scenario_stack: Callable[..., LabStack], when_deleted: str, claims_left: bool
) -> None:
    ns = f"e2e-delete-{when_deleted.lower()}"
    kubectl("create", "namespace", ns)
    try:
        stack = scenario_stack(
            f"delete-{when_deleted.lower()}",
            namespace=ns,
            createNamespace="false",
            pvcRetentionWhenDeleted=when_deleted,
        )
        stack.up("up")
        stack.destroy()
        for kind in ("statefulset", "deployment", "service"):
            assert kubectl_json("get", kind, "--namespace", ns)["items"] == [], kind
        assert pods(ns, "nginx-sts") == [] and pods(ns, "nginx-dep") == []
        assert "www-web-dep" not in claims(ns), "the Deployment's claim is a Pulumi resource and goes with destroy"
        sts_claims = {"www-web-sts-0", "www-web-sts-1"}
        if claims_left:
            assert sts_claims <= set(claims(ns))
        else:  # the garbage collector deletes them after the StatefulSet is gone
            wait_until(lambda: not (sts_claims & set(claims(ns))), 60, f"{sts_claims} deleted")
    finally:
        kubectl("delete", "namespace", ns, "--wait=true", "--timeout=180s")


def test_an_orphaning_delete_leaves_the_pods_running(scenario_stack: Callable[..., LabStack]) -> None:
    ns = "e2e-orphaning-delete"
    kubectl("create", "namespace", ns)
    try:
        stack = scenario_stack("orphaning-delete", namespace=ns, createNamespace="false", statefulSetDeletion="orphan")
        stack.up("up")
        before = {p.name: p.uid for p in pods(ns, "nginx-sts")}
        stack.destroy()
        assert kubectl_json("get", "statefulset", "--namespace", ns)["items"] == []
        after = pods(ns, "nginx-sts")
        assert {p.name: p.uid for p in after} == before, "the orphaned pods must be the same pods, still there"
        owners = [
            i["metadata"].get("ownerReferences")
            for i in kubectl_json("get", "pods", "--namespace", ns, "--selector", "app=nginx-sts")["items"]
        ]
        assert owners == [None] * len(before)
    finally:
        kubectl("delete", "namespace", ns, "--wait=true", "--timeout=180s")

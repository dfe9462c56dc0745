"""The lessons as a learner runs them: each step a config change and a `pulumi
up`, the lesson's action run by the stack's own lesson command, and every
verdict read from the probe document that `up` produced."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from labstack.automation import LabStack, StackOperationError, assert_checks_pass
from tests.e2e.cluster_state import claims, images_by_pod, pods
from tests.e2e.kube import kubectl_json

pytestmark = pytest.mark.e2e
OLD, NEW = "registry.k8s.io/nginx-slim:0.24", "registry.k8s.io/nginx-slim:0.21"
BROKEN = "registry.k8s.io/nginx-slim:no-such-tag"
PARTITION = "[statefulset] ordinals >= partition ({}) run the new revision, the others keep theirs"


ROLLING_ORDER = (
    "[statefulset] a rolling update replaces pods from the highest ordinal down, "
    "each after the one above is Ready again"
)
CASCADE = (
    "[statefulset] a cascading delete removes every pod with the StatefulSet (in no promised order); its Service stays"
)
STALLED = "[statefulset] a rollout stops at a pod that cannot start; the pods below it keep the old revision"
REVERTED = "[statefulset] reverting the template alone does not replace a pod stuck on the broken revision"


def deleted_back(ordinal: int) -> str:
    return (
        f"[statefulset] deleting web-sts-{ordinal} brings back exactly that pod, "
        "on the revision its update strategy gives it"
    )


def test_every_pod_deleted_comes_back_with_its_name_dns_name_claim_and_page_but_a_new_ip(
    scenario_stack: Callable[..., LabStack],
) -> None:
    # As the identity stack does: the claims name no class, and the cluster's default serves them.
    stack = scenario_stack("identity", lesson="delete-pods", useDefaultStorageClass="true")
    stack.up("set-up, then every pod deleted")
    assert_checks_pass(
        stack,
        "[statefulset] claims that name no class get the cluster's default class",
        "[statefulset] after every pod is deleted: the same names, DNS names and claims, new IPs",
        "[deployment] after every pod is deleted: new names, the same one claim",
        "[statefulset] each pod serves the page it wrote before every pod was deleted",
        "[deployment] every pod serves the last writer's page, before and after",
    )
    assert_checks_pass(stack)
    (template,) = kubectl_json("--namespace=e2e-identity", "get", "statefulset", "web-sts")["spec"][
        "volumeClaimTemplates"
    ]
    assert "storageClassName" not in template["spec"], "the claim template must name no class"

    old_claim = claims("e2e-identity")["www-web-sts-1"]["metadata"]["uid"]
    stack.up("the claim of web-sts-1 deleted under it", lesson="delete-claim", lessonOrdinal="1")
    assert_checks_pass(
        stack,
        "[statefulset] a claim deleted under its running pod stays, Terminating, until the pod goes",
        "[statefulset] the pod comes back on a new, empty claim: the page it wrote is gone",
        "[statefulset] each volume is made where the scheduler placed its pod, not before (WaitForFirstConsumer)",
        "[statefulset] the deleted claim's volume goes with it (reclaimPolicy Delete), its directory too",
    )
    assert claims("e2e-identity")["www-web-sts-1"]["metadata"]["uid"] != old_claim

    stack.up("web-sts-0 deleted while its name is looked up", lesson="dns-after-delete", lessonOrdinal="0")
    assert_checks_pass(
        stack,
        "[statefulset] looked up all along, a re-created pod's name answers with its new IP (how soon is not promised)",
        "[statefulset] the lesson dns-after-delete did all it meant to",
    )
    (lesson_check,) = [c for c in stack.probes().checks if c.name.startswith("looked up all along")]
    # The answers on the way (the old IP, "not found") depend on the cluster DNS's caches: only the start is sure.
    assert "the old IP" in lesson_check.observed and "once the new pod was Ready" in lesson_check.observed


def test_staging_canary_and_phased_roll_out(scenario_stack: Callable[..., LabStack]) -> None:
    ns = "e2e-updates"
    stack = scenario_stack("updates", replicas="3")
    stack.up("3 replicas")
    uids = {p.name: p.uid for p in pods(ns, "nginx-sts")}

    stack.up("staging: partition 3 and a new image", partition="3", image=NEW)
    assert {p.name: p.uid for p in pods(ns, "nginx-sts")} == uids, "partition 3 must not replace any pod"
    assert_checks_pass(stack, PARTITION.format(3))
    stack.up("staging: delete web-sts-2", lesson="delete-pod", lessonOrdinal="2")
    assert_checks_pass(stack, deleted_back(2))
    assert images_by_pod(ns)["web-sts-2"] == "0.24", "a pod created again below the partition keeps the old image"

    stack.up("canary: partition 2", lesson="none", partition="2")
    assert images_by_pod(ns) == {"web-sts-0": "0.24", "web-sts-1": "0.24", "web-sts-2": "0.21"}
    assert_checks_pass(stack, PARTITION.format(2))
    stack.up("canary: delete web-sts-1", lesson="delete-pod", lessonOrdinal="1")
    assert_checks_pass(stack, deleted_back(1))
    assert images_by_pod(ns)["web-sts-1"] == "0.24"

    stack.up("phased roll out: partition 0", lesson="none", partition="0")
    assert images_by_pod(ns) == {"web-sts-0": "0.21", "web-sts-1": "0.21", "web-sts-2": "0.21"}
    assert_checks_pass(stack, PARTITION.format(0), ROLLING_ORDER)

    rolled = {p.name: p.uid for p in pods(ns, "nginx-sts")}
    stack.up("partition 5, above the replicas, and the old image", partition="5", image=OLD)
    assert {p.name: p.uid for p in pods(ns, "nginx-sts")} == rolled, "a partition above the replicas holds every pod"
    assert_checks_pass(stack, PARTITION.format(5))
    assert "the partition is above the last ordinal (2)" in stack.checks()[PARTITION.format(5)].observed


def test_on_delete_moves_only_a_deleted_pod_and_a_pod_that_cannot_start_holds_back_the_rest(
    scenario_stack: Callable[..., LabStack],
) -> None:
    ns = "e2e-ondelete"
    stack = scenario_stack("ondelete", updateStrategy="OnDelete")
    stack.up("OnDelete")
    uids = {p.name: p.uid for p in pods(ns, "nginx-sts")}
    stack.up("new image", image=NEW)
    assert stack.seconds_of("new image") < 120, "the gate must not wait for pods nobody deleted"
    assert {p.name: p.uid for p in pods(ns, "nginx-sts")} == uids, "OnDelete: a new image moves nothing"
    stack.up("delete web-sts-1", lesson="delete-pod", lessonOrdinal="1")
    assert_checks_pass(stack, deleted_back(1))
    assert images_by_pod(ns) == {"web-sts-0": "0.24", "web-sts-1": "0.21"}

    # The concept page's promise: nothing is created or removed above a pod that is not Ready.
    # The Deployment gets the image too: at 0 replicas its rollout has nothing to wait for.
    stack.up(
        "web-sts-0 back on an image that cannot be pulled", image=BROKEN, deploymentReplicas="0", lessonOrdinal="0"
    )
    assert_checks_pass(stack, deleted_back(0))
    with pytest.raises(StackOperationError) as held:
        stack.up("scale out to 3", lesson="none", replicas="3")
    assert "web-sts-0 cannot start" in str(held.value), str(held.value)[-2000:]
    stack.observe_again()
    assert_checks_pass(stack, "[statefulset] with OrderedReady, no pod is created above a pod that is not Ready")
    assert sorted(p.name for p in pods(ns, "nginx-sts")) == ["web-sts-0", "web-sts-1"]

    with pytest.raises(StackOperationError):
        stack.up("scale in to 1", replicas="1")
    stack.observe_again()
    assert_checks_pass(
        stack, "[statefulset] with OrderedReady, a scale-in removes no pod above a pod that is not Ready"
    )
    assert sorted(p.name for p in pods(ns, "nginx-sts")) == ["web-sts-0", "web-sts-1"]

    stack.up("the image repaired, web-sts-0 deleted by the gate", image=NEW, forceRollback="true")
    assert_checks_pass(
        stack,
        "[statefulset] a scale-in held back by a pod that could not start goes on only once that pod is back and Ready",
        "[statefulset] with forceRollback, no pod stays stuck on a revision the StatefulSet no longer rolls toward",
    )
    assert images_by_pod(ns) == {"web-sts-0": "0.21"}


def test_max_unavailable_counts_a_pod_already_down_and_parallel_recovers_without_force(
    scenario_stack: Callable[..., LabStack],
) -> None:
    ns = "e2e-maxunavailable"
    stack = scenario_stack("maxunavailable", replicas="4", podManagementPolicy="Parallel", maxUnavailable="2")
    stack.up("4 replicas, Parallel, maxUnavailable 2")
    with pytest.raises(StackOperationError) as top:
        stack.up("web-sts-3 broken behind partition 3", image=BROKEN, partition="3")
    assert "web-sts-3 cannot start" in str(top.value), str(top.value)[-2000:]
    kept = {p.name: p.uid for p in pods(ns, "nginx-sts") if p.name in ("web-sts-0", "web-sts-1")}

    with pytest.raises(StackOperationError):
        stack.up("partition 0", partition="0")
    stack.observe_again()
    assert_checks_pass(
        stack,
        "[statefulset] maxUnavailable 2 counts a pod that was already down: the rollout takes down only the rest of "
        "its budget",
    )
    assert {p.name: p.uid for p in pods(ns, "nginx-sts") if p.name in kept} == kept, "web-sts-0 and -1 must stay"
    assert images_by_pod(ns)["web-sts-2"] == "no-such-tag"

    stack.up("back to 0.24", image=OLD)
    assert images_by_pod(ns) == {f"web-sts-{i}": "0.24" for i in range(4)}
    assert_checks_pass(stack, "[statefulset] maxUnavailable 2 replaces up to 2 pods at once")


def test_an_orphaned_statefulset_leaves_its_pods_adopts_them_when_created_again_and_survives_a_cascade(
    scenario_stack: Callable[..., LabStack],
) -> None:
    stack = scenario_stack("orphan", replicas="3")
    stack.up("3 replicas")
    stack.up("orphan", lesson="orphan")
    assert_checks_pass(
        stack,
        "[statefulset] the StatefulSet is gone, deleted by the lesson",
        "[statefulset] deleted with --cascade=orphan, the pods outlive the StatefulSet, owned by nothing",
        "[statefulset] a pod deleted while no StatefulSet exists is not created again",
        "[statefulset] an orphaning delete: kubectl deletes the StatefulSet, the garbage collector none of its pods",
    )
    stack.up("created again with 2 replicas and adopting", refresh=True, lesson="adopt", replicas="2")
    assert_checks_pass(
        stack,
        "[statefulset] created again, the StatefulSet adopts the pods left behind and creates the missing one",
        "[statefulset] each pod serves the page it wrote before the StatefulSet was deleted",
        "[statefulset] created again with fewer replicas, the StatefulSet deletes the pods above its last ordinal",
    )
    assert sorted(p.name for p in pods("e2e-orphan", "nginx-sts")) == ["web-sts-0", "web-sts-1"]
    claims_before = {name: c["metadata"]["uid"] for name, c in claims("e2e-orphan").items()}

    stack.up("cascading delete", lesson="cascade-delete")
    stack.up("created again after the cascade", refresh=True, lesson="recreate")
    assert_checks_pass(
        stack,
        "[statefulset] created again after a cascading delete, each pod is new and mounts the claim that stayed",
        "[statefulset] each pod serves the page it wrote before the StatefulSet was deleted",
    )
    kept = {name: c["metadata"]["uid"] for name, c in claims("e2e-orphan").items()}
    assert {n: kept.get(n) for n in ("www-web-sts-0", "www-web-sts-1")} == {
        n: claims_before[n] for n in ("www-web-sts-0", "www-web-sts-1")
    }


def test_a_cascading_delete_takes_the_pods_and_the_claims_it_owns(scenario_stack: Callable[..., LabStack]) -> None:
    stack = scenario_stack("cascade", pvcRetentionWhenDeleted="Delete")
    stack.up("set-up")
    stack.up("cascading delete", lesson="cascade-delete")
    assert_checks_pass(
        stack,
        "[statefulset] the StatefulSet is gone, deleted by the lesson",
        CASCADE,
        "[statefulset] the claims go with the StatefulSet (whenDeleted: Delete)",
        "[statefulset] in a cascading delete the garbage collector deletes the pods, not kubectl",
    )


BACK_TO_ITS_REVISION = (
    "[statefulset] going back to an earlier template returns the pods to its revision, not a third one"
)


def test_a_broken_image_stalls_the_rollout_and_reverting_needs_a_forced_rollback(
    scenario_stack: Callable[..., LabStack],
) -> None:
    stack = scenario_stack("rollback", replicas="3")
    stack.up("3 replicas")
    started = time.monotonic()
    with pytest.raises(StackOperationError) as broken:
        stack.up("a broken image", image=BROKEN)
    assert time.monotonic() - started < 150, "the gate must give up in seconds, not at its 10 minute timeout"
    assert "web-sts-2 cannot start" in str(broken.value), str(broken.value)[-2000:]
    stack.observe_again()
    assert_checks_pass(
        stack, "[statefulset] a rollout stops at a pod that cannot start; the pods below it keep the old revision"
    )

    with pytest.raises(StackOperationError) as reverted:
        stack.up("the image reverted", image=OLD)
    assert "set statefulset-lab:forceRollback true" in str(reverted.value), str(reverted.value)[-2000:]
    stack.observe_again()
    assert_checks_pass(
        stack,
        "[statefulset] reverting the template alone does not replace a pod stuck on the broken revision",
        BACK_TO_ITS_REVISION,
    )

    stack.up("forced rollback", forceRollback="true")
    assert_checks_pass(
        stack,
        "[statefulset] with forceRollback, no pod stays stuck on a revision the StatefulSet no longer rolls toward",
        PARTITION.format(0),
        BACK_TO_ITS_REVISION,
    )
    assert images_by_pod("e2e-rollback") == {"web-sts-0": "0.24", "web-sts-1": "0.24", "web-sts-2": "0.24"}


STS_REPLICAS = "[statefulset] the StatefulSet's replicas are the stack's"
SCALED_BEHIND = "[statefulset] after kubectl scale, the cluster runs one pod more than the stack asks for"


def test_drift_a_plain_up_keeps_it_and_an_up_with_refresh_undoes_it(scenario_stack: Callable[..., LabStack]) -> None:
    stack = scenario_stack("drift")
    stack.up("2 replicas")
    assert_checks_pass(stack, STS_REPLICAS)
    stack.up("kubectl scale behind the stack", lesson="scale-behind")
    assert_checks_pass(stack, SCALED_BEHIND)
    drift = stack.checks()[STS_REPLICAS]
    assert drift.verdict == "failed" and "spec.replicas 3 in the cluster, the stack asks for 2" in drift.observed, drift
    stack.up("a plain up", lesson="none")
    assert stack.checks()[STS_REPLICAS].verdict == "failed", "a plain up must leave the drift (and the report see it)"
    assert len(pods("e2e-drift", "nginx-sts")) == 3
    stack.up("an up with --refresh", refresh=True)
    assert_checks_pass(stack, STS_REPLICAS)
    assert len(pods("e2e-drift", "nginx-sts")) == 2

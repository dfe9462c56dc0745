"""Each lesson's verdicts, judged on the probe documents of real runs of the
lesson (tests/fixtures/lessons, captured from the lab cluster step by step):
every verdict passes on what the lesson showed there, and fails on a wrong
outcome made from the same run."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from probes.checks import evaluate
from probes.facts import Observation, PodFacts
from probes.lesson_record import LessonRecord
from tests.unit.documents import expectations, load, observation


def judged(step: str, change: Any = None) -> dict[str, str]:
    """Check -> verdict of a captured step, after `change` rewrote its observation."""
    document = load(step)
    seen = observation(document)
    if change is not None:
        seen = change(seen)
    return {f"[{c.workload}] {c.name}": c.verdict for c in evaluate(expectations(document), seen)}


def with_pod(o: Observation, name: str, **changes: Any) -> Observation:
    def edit(pods: list[PodFacts]) -> list[PodFacts]:
        return [replace(p, **changes) if p.name == name else p for p in pods]

    return replace(
        o,
        statefulset_pods=edit(o.statefulset_pods),
        deployment_pods=edit(o.deployment_pods),
        terminating=edit(o.terminating),
    )


def with_record(o: Observation, **changes: Any) -> Observation:
    assert o.lesson is not None
    return replace(o, lesson=replace(o.lesson, **changes))


def record(o: Observation) -> LessonRecord:
    assert o.lesson is not None
    return o.lesson


IDENTITY = "[statefulset] after every pod is deleted: the same names, DNS names and claims, new IPs"
PAGES = "[statefulset] each pod serves the page it wrote before every pod was deleted"


def test_delete_pods_shows_the_same_identities_with_new_ips() -> None:
    assert judged("delete-pods")[IDENTITY] == "passed"
    assert judged("delete-pods")[PAGES] == "passed"
    assert judged("delete-pods")["[deployment] after every pod is deleted: new names, the same one claim"] == "passed"


def test_a_pod_that_kept_its_ip_or_lost_its_page_fails_the_identity_lesson() -> None:
    def same_ip(o: Observation) -> Observation:
        old = next(p for p in record(o).before if p.name == "web-sts-0")
        return with_pod(o, "web-sts-0", ip=old.ip)

    assert judged("delete-pods", same_ip)[IDENTITY] == "failed"
    lost = judged("delete-pods", lambda o: with_record(o, served={**record(o).served, "web-sts-1": "403 Forbidden"}))
    assert lost[PAGES] == "failed"


STAGED = "[statefulset] deleting web-sts-2 brings back exactly that pod, on the revision its update strategy gives it"
CANARY = "[statefulset] deleting web-sts-1 brings back exactly that pod, on the revision its update strategy gives it"


def test_a_pod_deleted_below_the_partition_comes_back_on_the_old_revision() -> None:
    assert judged("staging-delete-pod")[STAGED] == "passed"
    assert judged("canary-delete-pod")[CANARY] == "passed"


def test_a_pod_deleted_below_the_partition_that_came_back_new_fails() -> None:
    def on_update(o: Observation) -> Observation:
        assert o.statefulset is not None
        return with_pod(o, "web-sts-2", revision=o.statefulset.update_revision + "x")

    assert judged("staging-delete-pod", on_update)[STAGED] == "failed"

    def neighbour_replaced(o: Observation) -> Observation:
        """The lesson itself saw web-sts-0 replaced too: its record and the cluster agree on the new pod."""
        after = [replace(p, uid="another-uid") if p.name == "web-sts-0" else p for p in record(o).after]
        return with_record(with_pod(o, "web-sts-0", uid="another-uid"), after=after)

    assert judged("staging-delete-pod", neighbour_replaced)[STAGED] == "failed"


def test_a_lesson_whose_pods_changed_since_it_ran_gives_no_verdict() -> None:
    """The canary step still carries the staging lesson's record after partition 2 moved web-sts-2."""
    moved = judged("staging-delete-pod", lambda o: with_pod(o, "web-sts-2", uid="replaced-by-a-rollout"))
    assert moved[STAGED] == "not applicable"


ORPHANS = "[statefulset] deleted with --cascade=orphan, the pods outlive the StatefulSet, owned by nothing"
NOT_AGAIN = "[statefulset] a pod deleted while no StatefulSet exists is not created again"
GONE = "[statefulset] the StatefulSet is gone, deleted by the lesson"


def test_an_orphaning_delete_leaves_the_pods_and_creates_nothing() -> None:
    found = judged("orphan")
    assert found[ORPHANS] == found[NOT_AGAIN] == found[GONE] == "passed"
    assert found["[statefulset] pod names are <statefulset>-<ordinal>"] == "not applicable"


def test_an_orphan_created_again_fails() -> None:
    def recreated(o: Observation) -> Observation:
        survivor = o.statefulset_pods[0]
        again = replace(survivor, name="web-sts-0", ordinal=0, uid="new", owner="")
        return replace(o, statefulset_pods=[again, *o.statefulset_pods])

    assert judged("orphan", recreated)[NOT_AGAIN] == "failed"
    owned = judged("orphan", lambda o: with_pod(o, o.statefulset_pods[0].name, owner="StatefulSet/web-sts"))
    assert owned[ORPHANS] == "failed"


ADOPTED = "[statefulset] created again, the StatefulSet adopts the pods left behind and creates the missing one"


def test_a_statefulset_created_again_adopts_the_orphans() -> None:
    found = judged("adopt")
    assert found[ADOPTED] == "passed"
    assert found["[statefulset] each pod serves the page it wrote before the StatefulSet was deleted"] == "passed"


def test_an_orphan_not_adopted_fails() -> None:
    assert judged("adopt", lambda o: with_pod(o, "web-sts-2", owner=""))[ADOPTED] == "failed"


CASCADE = (
    "[statefulset] a cascading delete removes every pod with the StatefulSet (in no promised order); its Service stays"
)
CLAIMS_KEPT = "[statefulset] the claims outlive the StatefulSet (whenDeleted: Retain)"


def test_a_cascading_delete_removes_the_pods_and_keeps_the_service_and_claims() -> None:
    found = judged("cascade-delete")
    assert found[CASCADE] == found[CLAIMS_KEPT] == found[GONE] == "passed"


def test_a_cascade_that_left_a_pod_or_lost_a_kept_claim_fails() -> None:
    left = judged("cascade-delete", lambda o: with_record(o, ended=record(o).ended[1:]))
    assert left[CASCADE] == "failed"
    lost = judged("cascade-delete", lambda o: with_record(o, claims_after={}))
    assert lost[CLAIMS_KEPT] == "failed"


@pytest.mark.parametrize("step", ["drain", "stop-node", "force-delete-pod"])
def test_the_node_lessons_pass_on_what_they_did(step: str) -> None:
    found = judged(step)
    lesson_checks = {name: verdict for name, verdict in found.items() if name.startswith(("[statefulset] draining",
        "[deployment] the Deployment", "[statefulset] while", "[statefulset] force-deleting"))}  # fmt: skip
    assert lesson_checks and set(lesson_checks.values()) == {"passed"}, lesson_checks


def test_a_drained_pod_running_elsewhere_fails_the_drain_lesson() -> None:
    drained = record(observation(load("drain")))
    name = (
        f"[statefulset] draining {drained.node} evicts its StatefulSet pods; "
        "they come back under their names and wait for their volumes' node"
    )
    assert judged("drain")[name] == "passed"
    pod = next(p.name for p in drained.before if p.workload == "statefulset" and p.node == drained.node)

    def elsewhere(o: Observation) -> Observation:
        return with_pod(o, pod, node="lab-worker-9", unschedulable="", state="Running", ready=True)

    assert judged("drain", elsewhere)[name] == "failed"


@pytest.mark.parametrize(("step", "after"), [("uncordon", "the uncordon"), ("start-node", "the node returns")])
def test_after_the_node_returns_every_pod_serves_its_own_page(step: str, after: str) -> None:
    name = f"[statefulset] after {after}, every pod runs again on its volume's node and serves its own page"
    assert judged(step)[name] == "passed"
    wrong = judged(step, lambda o: with_record(o, served={**record(o).served, "web-sts-0": "(not read)"}))
    assert wrong[name] == "failed"


STALLED = "[statefulset] a rollout stops at a pod that cannot start; the pods below it keep the old revision"
REVERTED = "[statefulset] reverting the template alone does not replace a pod stuck on the broken revision"
FORCED = "[statefulset] with forceRollback, no pod stays stuck on a revision the StatefulSet no longer rolls toward"


def test_a_broken_image_stalls_the_rollout_and_a_reverted_one_stays_stuck_until_forced() -> None:
    assert judged("rollback-stalled")[STALLED] == "passed"
    assert judged("rollback-reverted")[REVERTED] == "passed"
    assert judged("rollback-forced")[FORCED] == "passed"


def test_a_rollout_that_went_past_the_broken_pod_fails_the_stall_check() -> None:
    def below_moved(o: Observation) -> Observation:
        assert o.statefulset is not None
        return with_pod(o, "web-sts-0", revision=o.statefulset.update_revision)

    assert judged("rollback-stalled", below_moved)[STALLED] == "failed"


PARTITION = "[statefulset] ordinals >= partition (0) run the new revision, the others keep theirs"
DEPLOYMENT_NAMES = "[deployment] pod names are <deployment>-<template-hash>-<random>"


def test_a_stalled_rollout_leaves_the_partition_unjudged_and_the_surge_pod_named_by_the_pattern() -> None:
    """Both workloads got the broken image: the StatefulSet stalled at web-sts-2, the
    Deployment runs a surge pod of its new ReplicaSet beside the old ones."""
    stalled = judged("rollback-stalled")
    assert stalled[PARTITION] == "inconclusive"
    assert stalled[DEPLOYMENT_NAMES] == "passed"

    def finished_wrong(o: Observation) -> Observation:
        return with_pod(o, "web-sts-2", ready=True)

    assert judged("rollback-stalled", finished_wrong)[PARTITION] == "failed"

    def fixed_name(o: Observation) -> Observation:
        surge = next(p for p in o.deployment_pods if p.revision != o.deployment_pods[0].revision)
        renamed = [replace(p, name="web-dep-0") if p is surge else p for p in o.deployment_pods]
        return replace(o, deployment_pods=renamed)

    assert judged("rollback-stalled", fixed_name)[DEPLOYMENT_NAMES] == "failed"


def test_a_reverted_rollout_with_a_pod_stuck_on_the_broken_revision_fails_the_partition_check() -> None:
    assert judged("rollback-reverted")[PARTITION] == "failed"
    assert judged("rollback-forced")[PARTITION] == "passed"


def test_force_rollback_that_left_the_pod_stuck_fails() -> None:
    def still_stuck(o: Observation) -> Observation:
        return with_pod(o, "web-sts-2", revision="web-sts-broken", ready=False, state="ImagePullBackOff: back-off")

    assert judged("rollback-forced", still_stuck)[FORCED] == "failed"


def max_unavailable_check(found: dict[str, str]) -> str:
    (name,) = [n for n in found if "maxUnavailable" in n]
    return name


@pytest.mark.parametrize("step", ["max-unavailable-parallel", "max-unavailable-ordered"])
def test_max_unavailable_takes_that_many_pods_down_at_once(step: str) -> None:
    found = judged(step)
    assert found[max_unavailable_check(found)] == "passed"


def test_one_pod_at_a_time_fails_max_unavailable() -> None:
    """The same rollout as if the cluster had dropped the field: one pod down at a time."""

    def dropped(o: Observation) -> Observation:
        assert o.statefulset is not None
        return replace(o, statefulset=replace(o.statefulset, max_unavailable=None))

    found = judged("max-unavailable-parallel", dropped)
    assert found[max_unavailable_check(found)] == "failed"


def test_start_ordinal_and_min_ready_seconds() -> None:
    found = judged("ordinals")
    assert found["[statefulset] pod names are <statefulset>-<ordinal>"] == "passed"
    assert (
        found["[statefulset] OrderedReady creates the next pod only minReadySeconds (5 s) after one is Ready"]
        == "passed"
    )

    def no_wait(o: Observation) -> Observation:
        """web-sts-2 created 2 s after web-sts-1 was Ready (08:22:09), not the 5 s minReadySeconds asks."""
        return with_pod(o, "web-sts-2", created="2026-12-03T08:22:11Z")

    found = judged("ordinals", no_wait)
    assert found["[statefulset] OrderedReady creates the next pod only minReadySeconds (5 s) after one is Ready"] == (
        "failed"
    )


def test_scale_in_removes_the_highest_first_keeps_its_claims_bound_and_the_deployment_goes_at_once() -> None:
    found = judged("scale-in")
    assert found["[statefulset] scale-in removes the highest ordinal first, one at a time"] == "passed"
    assert found["[statefulset] claims of removed ordinals are kept, still Bound"] == "passed"
    assert found["[deployment] the Deployment scales in all at once"] == "passed"
    released = judged("scale-in", lambda o: replace(o, claims=[replace(c, phase="Released") for c in o.claims]))
    assert released["[statefulset] claims of removed ordinals are kept, still Bound"] == "failed"

"""Each lesson's verdicts, judged on the probe documents of real runs of the
lesson (tests/fixtures/lessons, captured from the lab cluster step by step):
every verdict passes on what the lesson showed there, and fails on a wrong
outcome made from the same run. Each way a lesson can go wrong gets its
verdict, and the evidence names the facts a learner checks by hand (the pods,
their old and new IPs, claims, revisions, what is gone and what is kept)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

import pytest

from probes.checks import evaluate
from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, PASSED, RESOLVED, Check, Observation, PodFacts
from probes.lesson_record import LessonPod, LessonRecord
from tests.unit import counterexamples as changed
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
    assert judged("adopt", lambda o: with_pod(o, "web-sts-1", owner=""))[ADOPTED] == "failed"


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


# --- what each verdict rests on: the evidence a learner checks by hand -------------------

Change = Callable[[Observation], Observation]


def checks_of(step: str, change: Change | None = None, **expected: object) -> dict[str, Check]:
    """The captured step's checks by `[workload] name`, after `change` and with `expected` changed."""
    document = load(step)
    seen = observation(document)
    if change is not None:
        seen = change(seen)
    return {f"[{c.workload}] {c.name}": c for c in evaluate(expectations(document, **expected), seen)}


def lesson_of(step: str) -> LessonRecord:
    record = observation(load(step)).lesson
    assert record is not None
    return record


def as_the_lesson_left_it(pod: str, **changes: object) -> Change:
    """The pod changed, and the lesson's record of what it left agreeing (it saw the same)."""
    recorded: dict[str, Any] = {k: v for k, v in changes.items() if k in {f.name for f in fields(LessonPod)}}

    def change(o: Observation) -> Observation:
        after = [replace(p, **recorded) if p.name == pod else p for p in record(o).after]
        return changed.with_record(after=after)(changed.with_pod(pod, **changes)(o))

    return change


def gone_as_the_lesson_left_it(*pods: str) -> Change:
    """The pods missing, and the lesson's record of what it left agreeing."""

    def change(o: Observation) -> Observation:
        after = [p for p in record(o).after if p.name not in pods]
        kept = [p for p in o.statefulset_pods if p.name not in pods]
        return changed.with_record(after=after)(replace(o, statefulset_pods=kept))

    return change


NEW_NAMES = "[deployment] after every pod is deleted: new names, the same one claim"
LAST_WRITER = "[deployment] every pod serves the last writer's page, before and after"


def first_deployment_pod_named(name: str) -> Change:
    """The Deployment's first pod under `name`: a replacement that kept a name it should not have."""
    return lambda o: replace(o, deployment_pods=[replace(o.deployment_pods[0], name=name), *o.deployment_pods[1:]])


def test_the_identity_evidence_names_each_pods_old_and_new_ip_its_claim_and_its_dns_name() -> None:
    check = checks_of("delete-pods")[IDENTITY]
    now = {p.name: p for p in observation(load("delete-pods")).statefulset_pods}
    for old in (p for p in lesson_of("delete-pods").before if p.workload == "statefulset"):
        assert f"{old.name}: new pod (new uid), IP {old.ip} -> {now[old.name].ip}" in check.observed
        assert f"claim www-{old.name} (same)" in check.observed
        assert f"{old.name}.nginx-sts resolves to the new IP" in check.observed


def test_a_pod_that_is_not_new_or_answers_dns_with_the_old_ip_fails_the_identity_lesson() -> None:
    old = next(p for p in lesson_of("delete-pods").before if p.name == "web-sts-1")
    same = checks_of("delete-pods", as_the_lesson_left_it("web-sts-1", uid=old.uid))[IDENTITY]
    assert (same.verdict, "web-sts-1: new pod (SAME uid)" in same.observed) == (FAILED, True)
    stale = checks_of("delete-pods", changed.with_lookup("web-sts-1.nginx-sts", RESOLVED, [old.ip]))[IDENTITY]
    assert (stale.verdict, "web-sts-1.nginx-sts does NOT resolve to it" in stale.observed) == (FAILED, True)


def test_a_pod_that_came_back_with_another_claim_fails_the_identity_lesson() -> None:
    check = checks_of("delete-pods", changed.with_pod("web-sts-2", claims=["www-web-sts-9"]))[IDENTITY]
    assert check.verdict == FAILED
    assert "claim www-web-sts-9 (was www-web-sts-2)" in check.observed


def test_without_a_dns_answer_the_identity_lesson_is_inconclusive_not_failed() -> None:
    check = checks_of("delete-pods", lambda o: replace(o, dns=[]))[IDENTITY]
    assert check.verdict == INCONCLUSIVE
    assert "web-sts-0.nginx-sts DNS did not answer" in check.observed


def test_a_pod_missing_after_the_deletion_fails_the_identity_lesson_naming_both_lists() -> None:
    gone = checks_of("delete-pods", gone_as_the_lesson_left_it("web-sts-2"))[IDENTITY]
    assert gone.verdict == FAILED
    assert "names before: web-sts-0, web-sts-1, web-sts-2; now: web-sts-0, web-sts-1" in gone.observed
    none_left = checks_of("delete-pods", gone_as_the_lesson_left_it("web-sts-0", "web-sts-1", "web-sts-2"))[IDENTITY]
    assert (none_left.verdict, "now: none" in none_left.observed) == (FAILED, True)


def test_deployment_pods_must_all_be_new_and_share_one_claim() -> None:
    record = lesson_of("delete-pods")
    before = sorted(p.name for p in record.before if p.workload == "deployment")
    passing = checks_of("delete-pods")[NEW_NAMES]
    assert passing.verdict == PASSED
    assert f"before: {', '.join(before)}" in passing.observed
    assert "claims: www-web-dep" in passing.observed

    assert checks_of("delete-pods", first_deployment_pod_named(before[0]))[NEW_NAMES].verdict == FAILED
    two_claims = checks_of("delete-pods", lambda o: changed.with_pod(o.deployment_pods[0].name, claims=["other"])(o))
    assert two_claims[NEW_NAMES].verdict == FAILED
    assert "claims: other, www-web-dep" in two_claims[NEW_NAMES].observed
    no_pods = checks_of("delete-pods", lambda o: replace(o, deployment_pods=[]))[NEW_NAMES]
    assert (no_pods.verdict, "now: none" in no_pods.observed) == (FAILED, True)


def test_the_last_writers_page_needs_the_pages_from_before_the_deletion() -> None:
    """The captured run recorded no pages from before; with them it passes, with another page it fails."""
    record = lesson_of("delete-pods")
    writer = record.written["web-dep-64df8c6c44-x5mxf"]
    dep_before = [p.name for p in record.before if p.workload == "deployment"]
    unread = checks_of("delete-pods")[LAST_WRITER]
    assert unread.verdict == INCONCLUSIVE
    assert f"every page == {writer!r}" in unread.expected
    read = checks_of("delete-pods", changed.with_record(served_before=dict.fromkeys(dep_before, writer)))[LAST_WRITER]
    assert read.verdict == PASSED
    assert f"before: {dep_before[0]}: {writer!r}" in read.observed
    other = {**dict.fromkeys(dep_before, writer), dep_before[0]: "another page"}
    wrong = checks_of("delete-pods", changed.with_record(served_before=other))[LAST_WRITER]
    assert (wrong.verdict, "'another page'" in wrong.observed) == (FAILED, True)
    after_wrong = checks_of(
        "delete-pods",
        changed.then(
            changed.with_record(served_before=dict.fromkeys(dep_before, writer)),
            changed.with_record(served=lambda r: {**r.served, "web-dep-64df8c6c44-gjrzs": "stale"}),
        ),
    )[LAST_WRITER]
    assert after_wrong.verdict == FAILED


def test_a_pod_deleted_below_the_partition_is_expected_back_on_the_revision_it_ran() -> None:
    check = checks_of("staging-delete-pod")[STAGED]
    ran = next(p.revision for p in lesson_of("staging-delete-pod").before if p.name == "web-sts-2")
    assert f"a new web-sts-2 on {ran} (ordinal 2 < partition 3" in check.expected
    assert "web-sts-2: a new pod on revision" in check.observed
    assert "untouched: web-sts-0, web-sts-1" in check.observed


def test_a_pod_deleted_at_or_above_the_partition_is_expected_on_the_update_revision() -> None:
    document = load("staging-delete-pod")
    assert document.statefulset is not None
    update = document.statefulset.update_revision
    check = checks_of("staging-delete-pod", changed.with_pod("web-sts-2", revision=update), partition=2)[STAGED]
    assert check.verdict == PASSED
    assert f"on {update} (ordinal 2 >= partition 2: the update revision)" in check.expected
    stayed = checks_of("staging-delete-pod", partition=2)[STAGED]
    assert stayed.verdict == FAILED


def test_with_on_delete_a_pod_created_again_gets_the_update_revision() -> None:
    document = load("staging-delete-pod")
    assert document.statefulset is not None
    update = document.statefulset.update_revision
    check = checks_of("staging-delete-pod", changed.with_pod("web-sts-2", revision=update), update_strategy="OnDelete")
    assert check[STAGED].verdict == PASSED
    assert "OnDelete: a pod created again gets the update revision" in check[STAGED].expected


def test_the_same_pod_or_none_after_the_deletion_fails_and_says_which() -> None:
    kept = next(p for p in lesson_of("staging-delete-pod").before if p.name == "web-sts-2")
    same = checks_of("staging-delete-pod", as_the_lesson_left_it("web-sts-2", uid=kept.uid))[STAGED]
    assert (same.verdict, "web-sts-2: the SAME pod" in same.observed) == (FAILED, True)

    missing = checks_of("staging-delete-pod", gone_as_the_lesson_left_it("web-sts-2"))[STAGED]
    assert (missing.verdict, "web-sts-2 does not exist" in missing.observed) == (FAILED, True)
    no_sts = checks_of("staging-delete-pod", lambda o: replace(o, statefulset=None))[STAGED]
    assert (no_sts.verdict, no_sts.observed) == (INCONCLUSIVE, "no StatefulSet")


def test_a_neighbour_replaced_too_is_named() -> None:
    check = checks_of("staging-delete-pod", as_the_lesson_left_it("web-sts-0", uid="another-uid"))[STAGED]
    assert (check.verdict, "replaced too: web-sts-0" in check.observed) == (FAILED, True)


FORCE_DELETED = (
    "[statefulset] force-deleting web-sts-1 creates it again at once, Pending on its volume's node while that node "
    "is down"
)


def test_a_force_deleted_pod_must_come_back_within_seconds() -> None:
    record = lesson_of("force-delete-pod")
    check = checks_of("force-delete-pod")[FORCE_DELETED]
    assert check.verdict == PASSED
    assert check.expected == "a new web-sts-1 within 10 s"
    assert f"after the force delete at {record.started}" in check.observed
    late = checks_of("force-delete-pod", changed.with_pod("web-sts-1", created="2026-12-03T08:26:31Z"))[FORCE_DELETED]
    assert (late.verdict, "created 2026-12-03T08:26:31Z, 11 s after" in late.observed) == (FAILED, True)
    in_time = checks_of("force-delete-pod", changed.with_pod("web-sts-1", created="2026-12-03T08:26:29Z"))[
        FORCE_DELETED
    ]
    assert in_time.verdict == PASSED


def test_a_force_deleted_pod_pending_for_another_reason_is_inconclusive() -> None:
    other = changed.with_pod("web-sts-1", unschedulable="0/3 nodes are available: Insufficient cpu.", ready=False)
    assert checks_of("force-delete-pod", other)[FORCE_DELETED].verdict == INCONCLUSIVE
    running = changed.with_pod("web-sts-1", unschedulable="", ready=True)
    assert checks_of("force-delete-pod", running)[FORCE_DELETED].verdict == PASSED


def test_the_orphans_evidence_names_each_pod_and_its_owner() -> None:
    check = checks_of("orphan")[ORPHANS]
    assert check.expected == "web-sts-1, web-sts-2 still running, the same pods, with no owner"
    assert "web-sts-1: the same pod, Running, owner none" in check.observed
    assert checks_of("orphan")[NOT_AGAIN].observed == "web-sts-0: gone"


def test_an_orphan_gone_replaced_or_stopped_fails() -> None:
    gone = checks_of("orphan", lambda o: replace(o, statefulset_pods=o.statefulset_pods[1:]))[ORPHANS]
    assert gone.verdict == FAILED
    assert f"{observation(load('orphan')).statefulset_pods[0].name}: gone" in gone.observed
    new = checks_of("orphan", changed.with_pod("web-sts-2", uid="a-new-one"))[ORPHANS]
    assert (new.verdict, "web-sts-2: a NEW pod" in new.observed) == (FAILED, True)
    stopped = checks_of("orphan", changed.with_pod("web-sts-2", phase="Failed", state="Failed", ready=False))[ORPHANS]
    assert stopped.verdict == FAILED


def test_the_orphan_lesson_with_the_statefulset_back_is_not_judged() -> None:
    back = observation(load("adopt")).statefulset
    found = checks_of("orphan", lambda o: replace(o, statefulset=back))
    assert found[ORPHANS].verdict == NOT_APPLICABLE
    assert "exists again" in found[ORPHANS].observed
    assert "set lesson adopt to judge it" in found[ORPHANS].observed


def test_adoption_names_the_adopted_and_the_created_pods() -> None:
    check = checks_of("adopt")[ADOPTED]
    assert "adopted: web-sts-1; created by it: web-sts-0" in check.observed
    assert "web-sts-1: StatefulSet/web-sts" in check.observed


def test_adoption_fails_without_the_statefulset_a_created_pod_or_every_replica() -> None:
    no_sts = checks_of("adopt", lambda o: replace(o, statefulset=None))[ADOPTED]
    assert no_sts.verdict == FAILED
    assert "pulumi up --refresh" in no_sts.observed
    old = checks_of("adopt", changed.with_pod("web-sts-0", created="2026-12-07T04:40:00Z"))[ADOPTED]
    assert (old.verdict, "created by it: none" in old.observed) == (FAILED, True)
    short = checks_of("adopt", gone_as_the_lesson_left_it("web-sts-1"))[ADOPTED]
    assert short.verdict == FAILED


EXCESS = "[statefulset] created again with fewer replicas, the StatefulSet deletes the pods above its last ordinal"


def test_adopting_with_fewer_replicas_the_pod_above_them_is_deleted_by_the_statefulset() -> None:
    """The orphans web-sts-1 and web-sts-2, adopted by a StatefulSet of 2 replicas (a real run)."""
    check = checks_of("adopt")[EXCESS]
    assert check.verdict == PASSED
    assert check.observed.startswith("replicas 2; web-sts-2: deleted by StatefulSet web-sts at 2026-12-07T04:48:05Z")
    assert "every pod with an ordinal >= 2" in check.expected


def test_a_pod_above_the_replicas_left_running_fails_and_one_deleted_by_nobody_known_is_inconclusive() -> None:
    """A controller that adopted the orphan and kept it; its deletion event lost (expired, or folded)."""
    kept = replace(checks_of_observation("adopt").statefulset_pods[1], name="web-sts-2", ordinal=2, uid="u-2")
    not_deleted = checks_of("adopt", lambda o: replace(o, statefulset_pods=[*o.statefulset_pods, kept], events=[]))
    assert not_deleted[EXCESS].verdict == FAILED
    assert "web-sts-2: still running" in not_deleted[EXCESS].observed
    going = replace(kept, terminating=True, state="Terminating: Running")
    unknown = checks_of("adopt", lambda o: replace(o, terminating=[going], events=[]))[EXCESS]
    assert (unknown.verdict, unknown.observed) == (
        INCONCLUSIVE, "replicas 2; web-sts-2: terminating, but no event says who deleted it"
    )  # fmt: skip


def test_adopting_with_as_many_replicas_as_pods_has_no_excess_to_judge() -> None:
    assert EXCESS not in checks_of("adopt", lambda o: replace(o, events=[]))


KEPT = "[statefulset] the claims outlive the StatefulSet (whenDeleted: Retain)"
DELETED = "[statefulset] the claims go with the StatefulSet (whenDeleted: Delete)"


def test_the_cascade_evidence_names_when_each_pod_ended_and_the_service() -> None:
    check = checks_of("cascade-delete")[CASCADE]
    assert "ended: web-sts-0 at 22:08:58.594Z" in check.observed
    assert "Service nginx-sts: still there" in check.observed
    assert checks_of("cascade-delete")[KEPT].observed == "www-web-sts-0: kept, www-web-sts-1: kept, www-web-sts-2: kept"


def test_a_cascade_that_took_the_service_or_hit_a_problem_fails() -> None:
    no_service = checks_of("cascade-delete", lambda o: replace(o, services=[]))[CASCADE]
    assert (no_service.verdict, "Service nginx-sts: GONE" in no_service.observed) == (FAILED, True)
    problem = checks_of("cascade-delete", changed.with_record(problem="the delete timed out"))[CASCADE]
    assert (problem.verdict, "the delete timed out" in problem.observed) == (FAILED, True)
    still_pods = checks_of(
        "cascade-delete", lambda o: replace(o, statefulset_pods=observation(load("adopt")).statefulset_pods)
    )
    assert still_pods[CASCADE].verdict == FAILED


def test_claims_kept_under_when_deleted_delete_fail_and_deleted_ones_pass() -> None:
    kept = checks_of("cascade-delete", pvc_retention_when_deleted="Delete")[DELETED]
    assert kept.verdict == FAILED
    assert kept.expected == "every claim of the StatefulSet deleted"
    gone = checks_of("cascade-delete", changed.with_record(claims_after={}), pvc_retention_when_deleted="Delete")[
        DELETED
    ]
    assert (gone.verdict, "www-web-sts-1: gone" in gone.observed) == (PASSED, True)
    renewed = changed.with_record(claims_after=lambda r: {**r.claims_after, "www-web-sts-1": "a-new-uid"})
    assert checks_of("cascade-delete", renewed)[KEPT].verdict == FAILED
    no_claims = checks_of("cascade-delete", changed.with_record(claims_before={}))[KEPT]
    assert (no_claims.verdict, no_claims.observed) == (NOT_APPLICABLE, "no claims")


def drain_name(step: str) -> str:
    return (
        f"[statefulset] draining {lesson_of(step).node} evicts its StatefulSet pods; they come back under their names "
        "and wait for their volumes' node"
    )


def test_an_evicted_pod_not_back_yet_passes_only_while_ordered_ready_waits_for_a_lower_one() -> None:
    """Two pods on the drained node: the lower one back but not Ready, the higher one not created yet."""

    def two_evicted(o: Observation) -> Observation:
        drained = record(o)
        before = [replace(p, node=drained.node) if p.name == "web-sts-0" else p for p in drained.before]
        o = gone_as_the_lesson_left_it("web-sts-1")(replace(o, lesson=replace(drained, before=before)))
        pinned = "0/3 nodes are available: 1 node(s) didn't match PersistentVolume's node affinity."
        return as_the_lesson_left_it("web-sts-0", uid="back-again", ready=False, unschedulable=pinned)(o)

    waiting = checks_of("drain", two_evicted)[drain_name("drain")]
    assert waiting.verdict == PASSED
    assert "web-sts-1: not created yet, OrderedReady waits for web-sts-0 to be Ready first" in waiting.observed
    parallel = checks_of("drain", two_evicted, pod_management_policy="Parallel")[drain_name("drain")]
    assert (parallel.verdict, "web-sts-1: missing" in parallel.observed) == (FAILED, True)


def test_the_drained_deployment_pods_must_be_replaced_under_new_names() -> None:
    record = lesson_of("drain")
    name = f"[deployment] the Deployment's pods evicted from {record.node} are replaced under new names"
    evicted = [p.name for p in record.before if p.workload == "deployment" and p.node == record.node]
    assert f"evicted: {', '.join(evicted)}" in checks_of("drain")[name].observed
    kept = checks_of("drain", first_deployment_pod_named(evicted[0]))
    assert kept[name].verdict == FAILED
    fewer = checks_of("drain", lambda o: replace(o, deployment_pods=o.deployment_pods[:1]))
    assert fewer[name].verdict == FAILED


UNCORDONED = "[statefulset] after the uncordon, every pod runs again on its volume's node and serves its own page"


def test_after_the_uncordon_a_pod_away_from_its_claim_or_missing_fails() -> None:
    check = checks_of("uncordon")[UNCORDONED]
    assert "web-sts-0 on lab-worker-0 (Running), serves 'web-sts-0'" in check.observed
    away = checks_of("uncordon", changed.with_claim("www-web-sts-0", node="lab-worker-1"))[UNCORDONED]
    assert away.verdict == FAILED
    not_ready = checks_of("uncordon", changed.with_pod("web-sts-1", ready=False))[UNCORDONED]
    assert not_ready.verdict == FAILED
    fewer = checks_of("uncordon", gone_as_the_lesson_left_it("web-sts-1"))[UNCORDONED]
    assert fewer.verdict == FAILED


def stop_node_names() -> tuple[str, str]:
    record = lesson_of("stop-node")
    return (
        f"[statefulset] while {record.node} is down, web-sts-1 is not replaced: it stays the only web-sts-1",
        f"[deployment] the Deployment replaces its pods of {record.node} under new names",
    )


def test_a_pod_of_the_stopped_node_replaced_or_missing_fails() -> None:
    sts_name, _ = stop_node_names()
    record = lesson_of("stop-node")
    old = next(p for p in record.before if p.name == "web-sts-1")
    assert f"the same web-sts-1 (uid {old.uid[:8]}), on {record.node}" == checks_of("stop-node")[sts_name].expected
    replaced = checks_of("stop-node", changed.with_pod("web-sts-1", uid="new-uid", node=""))[sts_name]
    assert (replaced.verdict, "web-sts-1: a NEW pod on no node" in replaced.observed) == (FAILED, True)

    def gone(o: Observation) -> Observation:
        return replace(o, statefulset_pods=[p for p in o.statefulset_pods if p.name != "web-sts-1"], terminating=[])

    missing = checks_of("stop-node", gone)[sts_name]
    assert (missing.verdict, missing.observed) == (FAILED, "web-sts-1: missing")


def test_the_stopped_nodes_deployment_pods_must_be_replaced_under_new_names() -> None:
    _, dep_name = stop_node_names()
    record = lesson_of("stop-node")
    lost = [p.name for p in record.before if p.workload == "deployment" and p.node == record.node]
    assert f"lost: {', '.join(lost)}" in checks_of("stop-node")[dep_name].observed
    kept = checks_of("stop-node", first_deployment_pod_named(lost[0]))
    assert kept[dep_name].verdict == FAILED
    problem = checks_of("stop-node", changed.with_record(problem="the node did not stop"))[dep_name]
    assert "the node did not stop" in problem.observed


def test_a_lesson_that_hit_a_problem_says_so_and_fails() -> None:
    done = checks_of("orphan")["[statefulset] the lesson orphan did all it meant to"]
    record = lesson_of("orphan")
    assert (
        done.observed
        == f"finished at {record.finished}, having run {len(record.steps)} command(s) of its own since {record.started}"
    )
    broken = checks_of("orphan", changed.with_record(problem="kubectl delete failed"))
    assert broken["[statefulset] the lesson orphan did all it meant to"].verdict == FAILED
    assert broken["[statefulset] the lesson orphan did all it meant to"].observed == "kubectl delete failed"


def test_the_lesson_none_adds_no_checks() -> None:
    found = checks_of("orphan", changed.with_record(lesson="none"))
    assert not [name for name in found if name.startswith("[statefulset] the lesson") or "orphan" in name]


GONE_BY_LESSON = "[statefulset] the StatefulSet is gone, deleted by the lesson"


def test_the_statefulset_deleted_by_the_lesson_names_its_pods_the_delete_and_what_is_left() -> None:
    check = checks_of("orphan")[GONE_BY_LESSON]
    record = lesson_of("orphan")
    assert check.expected == "no StatefulSet web-sts, deleted by this step's lesson orphan"
    assert check.observed.startswith("no StatefulSet web-sts (`pulumi up --refresh` creates it again); ")
    assert f"at {record.started} its pods were owned by it: web-sts-0, web-sts-1, web-sts-2" in check.observed
    assert "the lesson ran: kubectl --namespace=capture" in check.observed
    assert "delete statefulset web-sts --cascade=orphan" in check.observed
    assert "pods left behind: web-sts-1 (Running, owner none), web-sts-2 (Running, owner none)" in check.observed


def test_a_statefulset_gone_without_the_lessons_delete_fails() -> None:
    no_delete = checks_of("orphan", changed.with_record(steps=lambda r: [s for s in r.steps if "statefulset" not in s]))
    assert no_delete[GONE_BY_LESSON].verdict == FAILED
    assert no_delete[GONE_BY_LESSON].observed.split("; ")[1:3] == [
        "at 2026-12-02T22:07:54.970Z its pods were owned by it: web-sts-0, web-sts-1, web-sts-2",
        "the lesson ran no delete of it",
    ]
    problem = checks_of("orphan", changed.with_record(problem="the delete timed out"))[GONE_BY_LESSON]
    assert (problem.verdict, "the delete timed out" in problem.observed) == (FAILED, True)

    def not_owned(o: Observation) -> Observation:
        return changed.with_record(before=[replace(p, owner="") for p in record(o).before])(o)

    unowned = checks_of("orphan", not_owned)[GONE_BY_LESSON]
    assert (unowned.verdict, "its pods were owned by it: none" in unowned.observed) == (FAILED, True)
    other_lesson = checks_of("orphan", changed.with_record(lesson="cascade-delete"))[GONE_BY_LESSON]
    assert other_lesson.verdict == FAILED
    assert "no record of the lesson orphan in this run" in other_lesson.observed
    no_record = checks_of("orphan", lambda o: replace(o, lesson=None))[GONE_BY_LESSON]
    assert no_record.verdict == FAILED


def test_a_statefulset_missing_without_a_lesson_that_deletes_it_fails_as_deleted_outside_pulumi() -> None:
    found = checks_of("orphan", lesson="none")
    check = found["[statefulset] the StatefulSet exists"]
    assert check.verdict == FAILED
    assert check.expected == "StatefulSet web-sts in namespace capture"
    assert "no StatefulSet web-sts (deleted outside Pulumi? `pulumi up --refresh` creates it again); " in check.observed
    assert "pods left behind: web-sts-1 (Running, owner none)" in check.observed
    no_pods = checks_of("orphan", lambda o: replace(o, statefulset_pods=[]), lesson="none")
    assert no_pods["[statefulset] the StatefulSet exists"].observed.endswith("no pods left")


def test_a_missing_deployment_fails_naming_what_it_left() -> None:
    check = checks_of("orphan", lambda o: replace(o, deployment=None))["[deployment] the Deployment exists"]
    assert check.verdict == FAILED
    assert check.observed.startswith("no Deployment web-dep (deleted outside Pulumi?")
    assert "(Running, owner ReplicaSet/web-dep-56d76c9479)" in check.observed
    found = checks_of("orphan")["[deployment] the Deployment exists"]
    deployment = load("orphan").deployment
    assert deployment is not None
    assert found.observed == f"web-dep: uid {deployment.uid}, generation {deployment.generation}"
    assert found.expected == "Deployment web-dep in namespace capture"


def test_an_existing_statefulset_is_named_with_its_uid_generation_and_creation() -> None:
    sts = load("adopt").statefulset
    assert sts is not None
    check = checks_of("adopt")["[statefulset] the StatefulSet exists"]
    assert check.observed == f"web-sts: uid {sts.uid}, generation {sts.generation}, created {sts.created}"


def checks_of_observation(step: str) -> Observation:
    return observation(load(step))


# --- scale-behind: the facts its evidence states ------------------------------------------

SCALED = "[statefulset] after kubectl scale, the cluster runs one pod more than the stack asks for"


def test_scale_behind_names_the_new_pod_the_command_and_the_pods_before_and_after() -> None:
    record = lesson_of("scale-behind")
    check = checks_of("scale-behind")[SCALED]
    assert check.verdict == PASSED
    assert check.expected.startswith("3 Ready pods, web-sts-2 the new one")
    assert f"the lesson ran: {record.steps[0]};" in check.observed
    assert "Ready: web-sts-0, web-sts-1, web-sts-2;" in check.observed
    assert check.observed.endswith("before the lesson: web-sts-0, web-sts-1")


def test_scale_behind_without_its_scale_command_fails() -> None:
    check = checks_of("scale-behind", changed.with_record(steps=[]))[SCALED]
    assert check.verdict == FAILED and "the lesson ran: no kubectl scale of it;" in check.observed


def test_scale_behind_whose_new_pod_was_there_before_fails() -> None:
    """web-sts-2 already ran before the lesson: the scale made nothing new."""
    record = lesson_of("scale-behind")
    there = replace(next(p for p in record.before if p.name == "web-sts-1"), name="web-sts-2")

    def before_with_web_sts_2(o: Observation) -> Observation:
        return with_record(o, before=[*record.before, there])

    check = checks_of("scale-behind", before_with_web_sts_2)[SCALED]
    assert check.verdict == FAILED and check.observed.endswith("before the lesson: web-sts-0, web-sts-1, web-sts-2")


def test_scale_behind_without_the_statefulset_fails_and_says_so() -> None:
    def deleted(o: Observation) -> Observation:
        return replace(o, statefulset=None)

    check = checks_of("scale-behind", deleted)[SCALED]
    assert (check.workload, check.verdict, check.observed) == ("statefulset", FAILED, "no StatefulSet web-sts now")
    assert check.expected.startswith("3 Ready pods")


# --- drain: which pods the evidence names, and how each came back -----------------------


def drain_check(change: Change) -> Check:
    drained = lesson_of("drain")
    return next(c for c in checks_of("drain", change).values() if c.name.startswith(f"draining {drained.node} evicts"))


def both_drained(*, now: dict[str, dict[str, Any] | None]) -> Change:
    """web-sts-0 ran on the drained node too; `now` changes (or, None, removes) the current pods."""

    recorded = {f.name for f in fields(LessonPod)}

    def change(o: Observation) -> Observation:
        r = record(o)
        before = [replace(p, node=r.node) if p.name == "web-sts-0" else p for p in r.before]
        # The lesson's record of what it left agrees with the pods now, so it still describes them.
        after = [
            replace(p, **{k: v for k, v in (now.get(p.name) or {}).items() if k in recorded})
            for p in r.after
            if now.get(p.name, {}) is not None
        ]
        pods = [replace(p, **(now.get(p.name) or {})) for p in o.statefulset_pods if now.get(p.name, {}) is not None]
        return replace(with_record(o, before=before, after=after), statefulset_pods=pods)

    return change


PINNED_AGAIN = {
    "uid": "web-sts-0-new",
    "node": "",
    "ready": False,
    "unschedulable": "0/3 nodes are available: 1 node(s) didn't match PersistentVolume's node affinity.",
}


def test_a_drained_pod_not_created_yet_waits_for_the_lower_ordinal_under_ordered_ready() -> None:
    check = drain_check(both_drained(now={"web-sts-0": PINNED_AGAIN, "web-sts-1": None}))
    assert check.verdict == PASSED
    assert "web-sts-1: not created yet, OrderedReady waits for web-sts-0 to be Ready first" in check.observed


def test_a_drained_pod_missing_while_the_lower_ordinal_is_ready_is_missing() -> None:
    ready_elsewhere = {"uid": "web-sts-0-new", "node": "lab-worker-2", "ready": True, "unschedulable": ""}
    check = drain_check(both_drained(now={"web-sts-0": ready_elsewhere, "web-sts-1": None}))
    assert check.verdict == FAILED
    assert "web-sts-0: a new pod" in check.observed and "web-sts-1: missing" in check.observed


def test_the_lowest_drained_pod_missing_is_missing_and_the_next_waits_for_it() -> None:
    check = drain_check(both_drained(now={"web-sts-0": None, "web-sts-1": None}))
    assert check.verdict == FAILED
    assert check.observed == (
        "web-sts-0: missing; web-sts-1: not created yet, OrderedReady waits for web-sts-0 to be Ready first"
    )


def test_a_drained_pod_that_was_never_evicted_is_named_the_same_pod() -> None:
    drained = lesson_of("drain")
    old = next(p for p in drained.before if p.name == "web-sts-1")
    same = {"uid": old.uid, "node": old.node, "unschedulable": "", "ready": True}
    check = drain_check(both_drained(now={"web-sts-1": same}))
    assert check.verdict == FAILED and "web-sts-1: the SAME pod" in check.observed
    moved = drain_check(lambda o: with_pod(o, "web-sts-1", node="lab-worker-9", unschedulable="", ready=True))
    assert moved.verdict == FAILED and "web-sts-1: a new pod" in moved.observed


def test_the_deployment_drain_check_names_the_evicted_pods_and_those_now() -> None:
    drained = lesson_of("drain")
    document = load("drain")
    evicted = [p.name for p in drained.before if p.workload == "deployment" and p.node == drained.node]
    now = [p.name for p in observation(document).deployment_pods]
    check = checks_of("drain")[
        f"[deployment] the Deployment's pods evicted from {drained.node} are replaced under new names"
    ]
    assert check.verdict == PASSED
    assert check.observed == f"evicted: {', '.join(evicted)}; now: {', '.join(now)}"


# --- cascade-delete: the Service, the pods and the claims it names -------------------------

CASCADE = (
    "[statefulset] a cascading delete removes every pod with the StatefulSet (in no promised order); its Service stays"
)


def test_a_cascade_that_took_the_statefulsets_service_fails_though_another_service_stays() -> None:
    def without_nginx_sts(o: Observation) -> Observation:
        return replace(o, services=[s for s in o.services if s.name != "nginx-sts"])

    check = checks_of("cascade-delete", without_nginx_sts)[CASCADE]
    assert check.verdict == FAILED and check.observed.endswith("Service nginx-sts: GONE")
    assert checks_of("cascade-delete")[CASCADE].expected.startswith("web-sts-0, web-sts-1, web-sts-2 gone")


def test_a_cascade_expected_to_delete_the_claims_fails_when_it_kept_them() -> None:
    claims = checks_of("cascade-delete", pvc_retention_when_deleted="Delete")[
        "[statefulset] the claims go with the StatefulSet (whenDeleted: Delete)"
    ]
    assert claims.verdict == FAILED and claims.expected == "every claim of the StatefulSet deleted"
    assert claims.observed == "www-web-sts-0: kept, www-web-sts-1: kept, www-web-sts-2: kept"


def test_a_lesson_whose_pods_changed_since_it_ran_keeps_what_it_expected() -> None:
    moved = checks_of("staging-delete-pod", lambda o: with_pod(o, "web-sts-2", uid="replaced-by-a-rollout"))
    assert moved[STAGED].verdict == NOT_APPLICABLE and moved[STAGED].expected
    assert "(web-sts-2)" in moved[STAGED].observed


# --- orphan: which pod the lesson deleted, and what it says of it ---------------------------


def test_the_orphan_lesson_judges_the_ordinal_it_deleted() -> None:
    """Recorded as deleting web-sts-1 (not the lowest): web-sts-1 is the pod that
    must stay gone, and here it runs, while web-sts-0 left behind is missing."""
    found = checks_of("orphan", changed.with_record(ordinal=1))
    assert found[NOT_AGAIN].expected == "web-sts-1 stays gone" and found[NOT_AGAIN].verdict == FAILED
    assert found[ORPHANS].verdict == FAILED and found[ORPHANS].observed.startswith("web-sts-0: gone")
    without = checks_of("orphan", changed.with_record(ordinal=None))
    assert without[NOT_AGAIN].expected == "web-sts-0 stays gone" and without[NOT_AGAIN].verdict == PASSED


def test_an_orphan_created_again_is_named_with_its_owner() -> None:
    def recreated(o: Observation) -> Observation:
        again = replace(o.statefulset_pods[0], name="web-sts-0", ordinal=0, uid="new", owner="")
        return replace(o, statefulset_pods=[again, *o.statefulset_pods])

    check = checks_of("orphan", recreated)[NOT_AGAIN]
    assert check.verdict == FAILED and check.observed.startswith("web-sts-0 exists again (")
    assert check.observed.endswith(", owner none)")


def test_an_orphan_lesson_that_left_no_other_pod_has_no_survivors_to_judge() -> None:
    def only_web_sts_0(o: Observation) -> Observation:
        r = record(o)
        return with_record(o, before=[p for p in r.before if p.name == "web-sts-0" or p.workload != "statefulset"])

    check = checks_of("orphan", only_web_sts_0)[ORPHANS]
    assert check.verdict == NOT_APPLICABLE and check.observed == "no pods left"


def test_an_orphan_lesson_after_the_statefulset_came_back_is_left_to_adopt() -> None:
    adopted = observation(load("adopt"))

    def statefulset_back(o: Observation) -> Observation:
        return replace(o, statefulset=adopted.statefulset)

    check = checks_of("orphan", statefulset_back)[ORPHANS]
    assert check.verdict == NOT_APPLICABLE and check.expected == "-"
    assert "set lesson adopt to judge it" in check.observed


# --- delete-pod and force-delete-pod: the delay and the StatefulSet they need -------------

FORCE_DELETED = (
    "[statefulset] force-deleting web-sts-1 creates it again at once, Pending on its volume's node while that node is "
    "down"
)


def test_a_force_deleted_pod_back_within_the_second_is_named_with_no_delay() -> None:
    """Created 08:26:20, the force delete at 08:26:19.985: creation times are cut to the second."""
    check = checks_of("force-delete-pod")[FORCE_DELETED]
    assert check.verdict == PASSED
    assert "created 2026-12-03T08:26:20Z, 0 s after the force delete at 2026-12-03T08:26:19.985Z" in check.observed


def test_a_force_deleted_pod_back_ten_seconds_later_is_still_back_at_once() -> None:
    check = checks_of("force-delete-pod", changed.with_record(started="2026-12-03T08:26:10Z"))[FORCE_DELETED]
    assert check.verdict == PASSED and "10 s after the force delete" in check.observed
    late = checks_of("force-delete-pod", changed.with_record(started="2026-12-03T08:26:09Z"))[FORCE_DELETED]
    assert late.verdict == FAILED and "11 s after the force delete" in late.observed


def test_a_deleted_pod_without_its_statefulset_cannot_come_back() -> None:
    def deleted(o: Observation) -> Observation:
        return replace(o, statefulset=None)

    check = checks_of("staging-delete-pod", deleted)[STAGED]
    assert (check.verdict, check.observed) == (INCONCLUSIVE, "no StatefulSet")
    assert check.expected == "a StatefulSet to create it again"


# --- stop-node: the pods it names -------------------------------------------------------------


def test_stop_node_names_the_deployments_lost_and_current_pods_only() -> None:
    """web-sts-1 ran on the stopped node too: only the Deployment's pods there are its lost ones."""
    stopped = lesson_of("stop-node")
    lost = [p.name for p in stopped.before if p.workload == "deployment" and p.node == stopped.node]
    now = [p.name for p in observation(load("stop-node")).deployment_pods]
    check = checks_of("stop-node")[f"[deployment] the Deployment replaces its pods of {stopped.node} under new names"]
    assert check.verdict == PASSED and check.observed == f"lost: {', '.join(lost)}; now: {', '.join(now)}"


def test_a_pod_kept_while_its_node_is_down_is_named_the_same_pod_on_that_node() -> None:
    stopped = lesson_of("stop-node")
    name = f"[statefulset] while {stopped.node} is down, web-sts-1 is not replaced: it stays the only web-sts-1"
    kept = checks_of("stop-node")[name]
    assert kept.verdict == PASSED
    assert kept.observed.startswith(f"web-sts-1: the same pod on {stopped.node}, ")


# --- delete-pods: a workload with no pods before, and a claim that changed -------------------

DEP_IDENTITY = "[deployment] after every pod is deleted: new names, the same one claim"


def without(workload: str) -> Change:
    """No pod of `workload` before the lesson, after it or now (its replicas at 0)."""

    def change(o: Observation) -> Observation:
        r = record(o)
        o = with_record(
            o,
            before=[p for p in r.before if p.workload != workload],
            after=[p for p in r.after if p.workload != workload],
        )
        if workload == "statefulset":
            return replace(o, statefulset_pods=[])
        return replace(o, deployment_pods=[])

    return change


def test_delete_pods_with_no_pods_of_a_workload_has_nothing_to_judge_for_it() -> None:
    no_sts = checks_of("delete-pods", without("statefulset"))
    assert no_sts[IDENTITY].verdict == NOT_APPLICABLE and no_sts[IDENTITY].observed == "no StatefulSet pods"
    no_dep = checks_of("delete-pods", without("deployment"))
    assert no_dep[DEP_IDENTITY].verdict == NOT_APPLICABLE
    assert no_dep[DEP_IDENTITY].observed == "before: none; now: none; claims: none"


def test_deployment_pods_back_on_another_claim_than_before_fail() -> None:
    """Before the deletion the Deployment's pods mounted an older claim: the new
    ones mount www-web-dep, so the data they share is not the same."""

    def older_claim(o: Observation) -> Observation:
        r = record(o)
        before = [replace(p, claims=["www-web-dep-old"]) if p.workload == "deployment" else p for p in r.before]
        return with_record(o, before=before)

    check = checks_of("delete-pods", older_claim)[DEP_IDENTITY]
    assert check.verdict == FAILED and check.observed.endswith("claims: www-web-dep, www-web-dep-old")


RECREATED = "[statefulset] created again after a cascading delete, each pod is new and mounts the claim that stayed"


def test_recreated_after_a_cascade_names_each_pod_and_the_claim_it_mounts() -> None:
    check = checks_of("recreated")[RECREATED]
    assert check.verdict == PASSED
    assert "web-sts-0: created by it, claim www-web-sts-0 from 2026-12-07T11:02:11Z" in check.observed


def test_recreated_with_a_pod_older_than_the_statefulset_fails() -> None:
    """A pod the cascade did not take (an orphaning delete): adopted, not made anew."""
    check = checks_of("recreated", changed.with_pod("web-sts-1", created="2026-12-07T11:03:00Z"))[RECREATED]
    assert check.verdict == FAILED and "web-sts-1: older than it" in check.observed


def test_recreated_without_a_statefulset_fails_with_the_fix() -> None:
    check = checks_of("recreated", lambda o: replace(o, statefulset=None))[RECREATED]
    assert check.verdict == FAILED and "pulumi up --refresh" in check.observed


def test_recreated_with_a_claim_gone_fails() -> None:
    gone = checks_of("recreated", lambda o: replace(o, claims=[c for c in o.claims if c.name != "www-web-sts-0"]))
    assert gone[RECREATED].verdict == FAILED and "no claim www-web-sts-0" in gone[RECREATED].observed


def test_recreated_a_claim_made_in_the_statefulsets_own_second_is_new() -> None:
    """The StatefulSet makes a missing claim right after itself: within its second, the claim is not one that stayed."""
    check = checks_of("recreated", changed.with_claim("www-web-sts-0", created="2026-12-07T11:03:12Z"))[RECREATED]
    assert check.verdict == FAILED and "(a NEW claim: the old one was deleted)" in check.observed


RECREATED_PAGES = "[statefulset] each pod serves the page it wrote before the StatefulSet was deleted"


def test_recreated_pods_serve_their_pages_and_fail_on_an_empty_volume() -> None:
    assert checks_of("recreated")[RECREATED_PAGES].observed == "web-sts-0: 'web-sts-0', web-sts-1: 'web-sts-1'"
    empty = changed.with_record(served=lambda r: {**r.served, "web-sts-1": "403 Forbidden"})
    check = checks_of("recreated", empty)[RECREATED_PAGES]
    assert check.verdict == FAILED and "web-sts-1: '403 Forbidden'" in check.observed

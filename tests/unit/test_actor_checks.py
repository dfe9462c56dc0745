"""The checks about who deleted the pods: a scale-in's and a cascading
delete's, judged from the audit log and left out without one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from probes.checks.actors import (
    check_cascade_by_the_garbage_collector,
    check_eviction_by_the_node_lifecycle,
    check_orphan_by_kubectl,
    check_parallel_scale_in,
    check_scale_in_by_the_controller,
)
from probes.facts import FAILED, INCONCLUSIVE, PASSED, Check, Observation
from tests.unit.counterexamples import (
    CASCADE_AUDITED,
    CASCADE_BY_HAND,
    DELETED_BY_HAND,
    GC,
    LOST_PODS_EVICTED,
    ORPHAN_AUDITED,
    ORPHAN_COLLECTED,
    SCALE_IN_AUDITED,
    SCALE_IN_TOGETHER,
    STATEFULSET_CONTROLLER,
    audited,
    step,
)

Change = Callable[[Observation], Observation]


def scale_in_check(change: Change = SCALE_IN_AUDITED, **expected: object) -> list[Check]:
    e, o = step("scale-in", change, **expected)()
    return check_scale_in_by_the_controller(e, o)


def test_each_pod_deleted_by_the_controller_after_the_one_above_was_gone_passes() -> None:
    (check,) = scale_in_check()
    assert check.verdict == PASSED
    assert check.observed == (
        "web-sts-2: deleted by the StatefulSet controller at 08:29:00.261; "
        "web-sts-1: deleted by the StatefulSet controller at 08:29:01.141; "
        "web-sts-2 gone at 08:29:01.121 (the kubelet of lab-worker-1), before web-sts-1 was deleted"
    )


def test_a_controller_delete_from_the_second_before_its_event_counts() -> None:
    """A busy machine: the controller's request came at .950 of the second
    before the one its event was stamped with (seen at 18:20:56.045 against an
    event of 18:20:57 in a clean-clone run of the suite)."""
    late_event = audited(
        ("2026-12-03T08:28:59.950Z", "web-sts-2", STATEFULSET_CONTROLLER),
        ("2026-12-03T08:29:01.121Z", "web-sts-2", "system:node:lab-worker-1"),
        ("2026-12-03T08:29:01.141Z", "web-sts-1", STATEFULSET_CONTROLLER),
        ("2026-12-03T08:29:02.252Z", "web-sts-1", "system:node:lab-worker-0"),
    )
    (check,) = scale_in_check(late_event)
    assert check.verdict == PASSED, check.observed
    assert check.observed.startswith("web-sts-2: deleted by the StatefulSet controller at 08:28:59.950")


def test_the_next_pod_deleted_before_the_one_above_was_gone_fails() -> None:
    (check,) = scale_in_check(SCALE_IN_TOGETHER)
    assert check.verdict == FAILED
    assert "web-sts-1 deleted at 08:29:01.141, while web-sts-2 was not gone yet" in check.observed


def test_a_scale_in_pod_deleted_by_kubectl_fails_and_one_missing_from_the_log_is_inconclusive() -> None:
    by_hand = audited(
        ("2026-12-03T08:29:00.261Z", "web-sts-2", "statefulset-lab-admin"),
        ("2026-12-03T08:29:01.121Z", "web-sts-2", "system:node:lab-worker-1"),
        ("2026-12-03T08:29:01.141Z", "web-sts-1", STATEFULSET_CONTROLLER),
        ("2026-12-03T08:29:02.252Z", "web-sts-1", "system:node:lab-worker-0"),
    )
    (check,) = scale_in_check(by_hand)
    assert (check.verdict, "web-sts-2: deleted by kubectl" in check.observed) == (FAILED, True)
    cut = audited(("2026-12-03T08:29:00.261Z", "web-sts-2", STATEFULSET_CONTROLLER))
    (unknown,) = scale_in_check(cut)
    assert unknown.verdict == INCONCLUSIVE
    assert "web-sts-1: no delete of it in the audit log" in unknown.observed


def test_without_an_audit_log_or_with_parallel_there_is_no_such_check() -> None:
    assert scale_in_check(lambda o: o) == []
    assert scale_in_check(pod_management_policy="Parallel") == []


def parallel_check(change: Change, **expected: object) -> list[Check]:
    e, o = step("scale-in", change, **{"pod_management_policy": "Parallel", **expected})()
    return check_parallel_scale_in(e, o)


def test_a_parallel_scale_in_passes_when_every_pod_was_deleted_before_any_was_gone() -> None:
    (check,) = parallel_check(SCALE_IN_TOGETHER)
    assert check.verdict == PASSED
    assert check.observed == (
        "web-sts-2: deleted by the StatefulSet controller at 08:29:00.261, gone at 08:29:01.421; "
        "web-sts-1: deleted by the StatefulSet controller at 08:29:01.141, gone at 08:29:02.252; "
        "the last delete (web-sts-1) came before the first pod was gone (web-sts-2)"
    )


def test_a_parallel_scale_in_that_waited_for_each_pod_fails() -> None:
    (check,) = parallel_check(SCALE_IN_AUDITED)
    assert check.verdict == FAILED
    assert check.observed.endswith("web-sts-1 was deleted only after web-sts-2 was gone: one at a time")


def test_a_parallel_scale_in_by_someone_else_fails_and_one_not_in_the_log_is_inconclusive() -> None:
    by_hand = audited(
        ("2026-12-03T08:29:00.261Z", "web-sts-2", "statefulset-lab-admin"),
        ("2026-12-03T08:29:00.301Z", "web-sts-1", STATEFULSET_CONTROLLER),
        ("2026-12-03T08:29:01.121Z", "web-sts-2", "system:node:lab-worker-1"),
        ("2026-12-03T08:29:01.252Z", "web-sts-1", "system:node:lab-worker-0"),
    )
    (check,) = parallel_check(by_hand)
    assert (check.verdict, "web-sts-2: deleted by kubectl at 08:29:00.261" in check.observed) == (FAILED, True)
    never_gone = audited(
        ("2026-12-03T08:29:00.261Z", "web-sts-2", STATEFULSET_CONTROLLER),
        ("2026-12-03T08:29:00.301Z", "web-sts-1", STATEFULSET_CONTROLLER),
        ("2026-12-03T08:29:01.121Z", "web-sts-2", "system:node:lab-worker-1"),
    )
    (unknown,) = parallel_check(never_gone)
    assert unknown.verdict == INCONCLUSIVE
    assert "web-sts-1: not gone in the audit log" in unknown.observed
    (absent,) = parallel_check(audited(("2026-12-03T08:29:00.261Z", "web-sts-2", STATEFULSET_CONTROLLER)))
    assert "web-sts-1: no delete of it in the audit log" in absent.observed


def test_a_parallel_scale_in_is_judged_only_from_an_audit_log_and_only_for_parallel() -> None:
    assert parallel_check(lambda o: o) == []
    assert parallel_check(SCALE_IN_TOGETHER, pod_management_policy="OrderedReady") == []


def test_a_cascade_is_judged_from_who_deleted_each_pod() -> None:
    e, o = step("cascade-delete", CASCADE_AUDITED)()
    (check,) = check_cascade_by_the_garbage_collector(e, o)
    assert check.verdict == PASSED
    assert check.observed.startswith("web-sts-0: deleted by the garbage collector; web-sts-1: deleted by")
    e, o = step("cascade-delete", CASCADE_BY_HAND)()
    (by_hand,) = check_cascade_by_the_garbage_collector(e, o)
    assert by_hand.verdict == FAILED and "web-sts-0: deleted by kubectl" in by_hand.observed
    e, o = step("cascade-delete")()
    assert check_cascade_by_the_garbage_collector(e, o) == [], "no audit log: no such check"
    e, o = step("cascade-delete", CASCADE_AUDITED)()
    assert check_cascade_by_the_garbage_collector(replace(e, lesson="none"), o) == []


def test_a_pod_missing_from_the_log_does_not_hide_one_deleted_by_someone_else() -> None:
    """web-sts-0 has no delete in the log, web-sts-1 was deleted by kubectl: failed, not inconclusive."""
    mixed = audited(
        ("2026-12-02T22:08:57.514Z", "web-sts-1", "statefulset-lab-admin"),
        ("2026-12-02T22:08:57.515Z", "web-sts-2", GC),
    )
    e, o = step("cascade-delete", mixed)()
    (check,) = check_cascade_by_the_garbage_collector(e, o)
    assert check.verdict == FAILED
    assert check.observed == (
        "web-sts-0: no delete of it in the audit log; web-sts-1: deleted by kubectl; "
        "web-sts-2: deleted by the garbage collector"
    )


def test_an_orphaning_delete_is_judged_from_who_deleted_the_statefulset_and_its_pods() -> None:
    e, o = step("orphan", ORPHAN_AUDITED)()
    (check,) = check_orphan_by_kubectl(e, o)
    assert (check.verdict, check.observed) == (
        PASSED, "StatefulSet web-sts: deleted by kubectl; pods deleted by the garbage collector: none"
    )  # fmt: skip
    e, o = step("orphan", ORPHAN_COLLECTED)()
    (collected,) = check_orphan_by_kubectl(e, o)
    assert collected.verdict == FAILED and collected.observed.endswith("web-sts-0, web-sts-1, web-sts-2")
    e, o = step("orphan", audited(("2026-12-02T22:07:57.402Z", "web-sts-0", "statefulset-lab-admin")))()
    (unknown,) = check_orphan_by_kubectl(e, o)
    assert unknown.verdict == INCONCLUSIVE and "no delete of it in the audit log" in unknown.observed
    e, o = step("orphan")()
    assert check_orphan_by_kubectl(e, o) == [], "no audit log: no such check"


def test_a_failed_nodes_deployment_pods_must_be_evicted_by_the_node_lifecycle_controller() -> None:
    e, o = step("stop-node", LOST_PODS_EVICTED)()
    (check,) = check_eviction_by_the_node_lifecycle(e, o)
    assert check.verdict == PASSED
    assert "web-dep-64df8c6c44-58zkj: deleted by the node lifecycle controller at 08:26:15.000" in check.observed
    e, o = step("stop-node", DELETED_BY_HAND)()
    (by_hand,) = check_eviction_by_the_node_lifecycle(e, o)
    assert by_hand.verdict == FAILED and "web-dep-64df8c6c44-58zkj: deleted by kubectl" in by_hand.observed
    e, o = step("stop-node", audited())()
    (unlogged,) = check_eviction_by_the_node_lifecycle(e, o)
    assert unlogged.verdict == INCONCLUSIVE
    e, o = step("stop-node")()
    assert check_eviction_by_the_node_lifecycle(e, o) == []

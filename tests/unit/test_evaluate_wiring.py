"""`probes.checks.evaluate` hands each check the facts it judges on and files it
under the report topic it belongs to: a check judged without its facts, or filed
under no topic, is missing from the report's section a learner reads."""

from __future__ import annotations

from dataclasses import replace

import pytest

from probes.checks import evaluate
from probes.checks.dns import check_dns
from probes.checks.lessons import check_lesson
from probes.checks.nodes import check_node_lessons
from probes.checks.pods import check_deployment_scale_in
from probes.checks.rollout import check_rollout
from probes.checks.storage import check_stable_storage
from probes.checks.workloads import check_replicas_as_asked
from probes.facts import INCONCLUSIVE, NOT_APPLICABLE, PASSED, Action, Check, LifecycleEvent
from probes.lesson_catalogue import TOPIC as LESSON_TOPIC
from probes.topics import TOPICS
from tests.fixtures.verdicts import recorded_documents
from tests.unit.documents import expectations, observation, read
from tests.unit.test_probe_checks import CLAIMS, STS_FACTS, E, created_by_the_statefulset, sts_pod
from tests.unit.test_probe_checks import observation as seed_observation

RECORDED = [p for p in recorded_documents() if not read(p).unobserved]


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_check_of_a_recorded_run_is_filed_under_a_report_topic(path: object) -> None:
    document = read(path)  # type: ignore[arg-type]
    for check in evaluate(expectations(document), observation(document)):
        assert check.topic in TOPICS, f"{check.name}: {check.topic!r}"


def topics_of(checks: list[Check], family: list[Check]) -> set[str]:
    """The topics evaluate filed the checks of one family under."""
    names = {(c.name, c.workload) for c in family}
    return {c.topic for c in checks if (c.name, c.workload) in names}


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_family_of_checks_is_filed_under_its_own_topic(path: object) -> None:
    """The replicas, rollout, node and lesson checks each appear in their section
    of the report: a lesson's under the topic the lesson catalogue gives it."""
    document = read(path)  # type: ignore[arg-type]
    e, o = expectations(document), observation(document)
    checks = evaluate(e, o)
    lesson = check_lesson(e, o)
    assert topics_of(checks, check_replicas_as_asked(e, o)) <= {"scaling"}
    assert topics_of(checks, check_rollout(e, o)) <= {"updates"}
    assert topics_of(checks, check_node_lessons(e, o)) <= {"nodes"}
    assert topics_of(checks, check_dns(e, o)) <= {"identity"}
    assert topics_of(checks, check_deployment_scale_in(e, o.deployment_pods, o.events)) <= {"scaling"}
    if lesson:
        assert topics_of(checks, lesson) == {LESSON_TOPIC[e.lesson]}


def test_the_replicas_checks_are_filed_under_scaling() -> None:
    checks = evaluate(E, seed_observation())
    replicas = [c for c in checks if c.name.endswith("replicas are the stack's")]
    assert [c.workload for c in replicas] == ["statefulset", "deployment"]
    assert {c.topic for c in replicas} == {"scaling"}


def test_the_stable_storage_checks_are_filed_under_storage() -> None:
    """Even when the run broke off: its error is read in the storage section."""
    o = seed_observation(stable_storage_error="pods of app=nginx-sts did not all come back Ready within 120s")
    e = replace(E, stable_storage=True)
    family = check_stable_storage(e, o.stable_storage, o.stable_storage_error)
    assert len(family) == 2 and topics_of(evaluate(e, o), family) == {"storage"}


def test_a_claim_made_anew_is_named_in_the_evaluated_claims_check() -> None:
    """evaluate gives the claims check the run's events: only they tell that
    www-web-sts-1 is younger than web-sts-1's first life (a new, empty claim)."""
    renewed = [replace(c, created="2026-11-26T10:03:00Z") if c.name == "www-web-sts-1" else c for c in CLAIMS]
    checks = {c.name: c for c in evaluate(E, seed_observation(claims=renewed)) if c.workload == "statefulset"}
    per_ordinal = checks["one Bound claim per ordinal, mounted by its pod"]
    assert "www-web-sts-1 (uid 2d3e4f50) was created 2026-11-26T10:03:00Z" in per_ordinal.observed


def test_evaluate_judges_the_creation_order_with_the_statefulsets_min_ready_seconds() -> None:
    """web-sts-1 created 20 s after web-sts-0 was Ready: with minReadySeconds 20
    that is OrderedReady waiting for it; without it, a pod asked for later."""
    pods = [
        sts_pod(0, "2026-11-26T10:00:00Z", "2026-11-26T10:00:02Z"),
        sts_pod(1, "2026-11-26T10:00:22Z", "2026-11-26T10:00:24Z"),
    ]
    events = created_by_the_statefulset(pods)
    name = "OrderedReady creates each pod after its predecessor is Ready"

    def creation_order(min_ready_seconds: int) -> Check:
        o = seed_observation(
            statefulset=replace(STS_FACTS, min_ready_seconds=min_ready_seconds),
            statefulset_pods=pods,
            events=events,
        )
        return next(c for c in evaluate(E, o) if c.name == name)

    assert creation_order(20).verdict == PASSED
    assert creation_order(0).verdict == NOT_APPLICABLE


def test_evaluate_orders_a_scale_in_by_the_audit_log_only() -> None:
    """Deletions in one second are ordered by the audit log's times; the same
    actions from events (second-resolution, and naming no final delete) are not used."""
    events = [
        LifecycleEvent(pod, "deleted", "2026-11-26T10:01:10Z", i, object_kind="StatefulSet", object_name="web-sts")
        for i, pod in enumerate(("web-sts-4", "web-sts-3"))
    ]
    actions = [
        Action("2026-11-26T10:01:10.1Z", "deleted", "pod", "web-sts-4", "the StatefulSet controller", "sc"),
        Action("2026-11-26T10:01:10.8Z", "deleted", "pod", "web-sts-3", "the StatefulSet controller", "sc"),
    ]
    name = "scale-in removes the highest ordinal first, one at a time"

    def order(source: str) -> Check:
        o = seed_observation(events=events, actions=actions, actions_source=source)
        return next(c for c in evaluate(replace(E, replicas=3), o) if c.name == name)

    assert order("the lab cluster's audit log (/var/lib/statefulset-lab/logs/audit.log)").verdict == PASSED
    assert order("the controllers' events").verdict == INCONCLUSIVE

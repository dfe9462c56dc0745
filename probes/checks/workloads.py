"""Whether the two workloads exist at all, from this run's listing (its uid
and generation when found). Deleted out of band (or with `--cascade=orphan`),
a workload is reported, not a crash: its check says what is left of it, and
the other checks judge what can still be judged. And whether each keeps the
replicas the stack asks for: a difference is drift the stack's state hides."""

from __future__ import annotations

import shlex

from probes.checks.common import make_check
from probes.facts import FAILED, NOT_APPLICABLE, PASSED, Check, Expectations, Observation, PodFacts, Verdict, Workload
from probes.lesson_catalogue import WITHOUT_STATEFULSET
from probes.lesson_record import LessonRecord


def _left(pods: list[PodFacts]) -> str:
    if not pods:
        return "no pods left"
    return "pods left behind: " + ", ".join(f"{p.name} ({p.state}, owner {p.owner or 'none'})" for p in pods)


def _deleted_by_the_lesson(e: Expectations, r: LessonRecord) -> tuple[Verdict, str]:
    """The lesson's record must show the StatefulSet there when the step began
    (its pods owned by it) and the step deleting it, without a problem."""
    owned = [p.name for p in r.before if p.workload == "statefulset" and p.owner == f"StatefulSet/{e.statefulset}"]
    deletion = next((step for step in r.steps if _deletes_statefulset(step, e.statefulset)), "")
    lines = [
        f"at {r.started} its pods were owned by it: {', '.join(owned) or 'none'}",
        f"the lesson ran: {deletion}" if deletion else "the lesson ran no delete of it",
    ]
    if r.problem:
        lines.append(r.problem)
    return (PASSED if owned and deletion and not r.problem else FAILED), "; ".join(lines)


def _deletes_statefulset(step: str, name: str) -> bool:
    words = shlex.split(step)
    return any(words[i : i + 3] == ["delete", "statefulset", name] for i in range(len(words)))


def check_workloads_exist(e: Expectations, o: Observation) -> list[Check]:
    checks = []
    fix = "`pulumi up --refresh` creates it again"
    if o.statefulset is None and e.lesson in WITHOUT_STATEFULSET:
        r = o.lesson
        verdict, how = (
            _deleted_by_the_lesson(e, r)
            if r is not None and r.lesson == e.lesson
            else (FAILED, f"no record of the lesson {e.lesson} in this run")
        )
        checks.append(
            make_check(
                "the StatefulSet is gone, deleted by the lesson",
                "statefulset",
                verdict,
                f"no StatefulSet {e.statefulset}, deleted by this step's lesson {e.lesson}",
                f"no StatefulSet {e.statefulset} ({fix}); {how}; {_left(o.statefulset_pods)}",
            )
        )
    elif o.statefulset is None:
        checks.append(
            make_check(
                "the StatefulSet exists",
                "statefulset",
                FAILED,
                f"StatefulSet {e.statefulset} in namespace {e.namespace}",
                f"no StatefulSet {e.statefulset} (deleted outside Pulumi? {fix}); {_left(o.statefulset_pods)}",
            )
        )
    else:
        checks.append(
            make_check(
                "the StatefulSet exists",
                "statefulset",
                PASSED,
                f"StatefulSet {e.statefulset} in namespace {e.namespace}",
                f"{e.statefulset}: uid {o.statefulset.uid or '?'}, generation {o.statefulset.generation}, "
                f"created {o.statefulset.created or '?'}",
            )
        )
    checks.append(
        make_check(
            "the Deployment exists",
            "deployment",
            FAILED if o.deployment is None else PASSED,
            f"Deployment {e.deployment} in namespace {e.namespace}",
            f"no Deployment {e.deployment} (deleted outside Pulumi? {fix}); {_left(o.deployment_pods)}"
            if o.deployment is None
            else f"{e.deployment}: uid {o.deployment.uid or '?'}, generation {o.deployment.generation}",
        )
    )
    return checks


DRIFT_FIX = (
    "changed behind the stack's back: a plain `pulumi up` keeps it (Pulumi compares the program with its own "
    "state, not with the cluster); `make up REFRESH=1` (`pulumi up --refresh`) reads the cluster first and "
    "puts the stack's value back"
)


def check_replicas_as_asked(e: Expectations, o: Observation) -> list[Check]:
    """Each workload's spec.replicas in the cluster against the stack's: a
    difference is drift (a `kubectl scale`, an autoscaler), which the stack's
    own state does not show. A missing workload is the existence check's."""
    found: list[tuple[Workload, str, int | None, int]] = [
        ("statefulset", "StatefulSet", o.statefulset.replicas if o.statefulset else None, e.replicas),
        ("deployment", "Deployment", o.deployment.replicas if o.deployment else None, e.deployment_replicas),
    ]
    checks = []
    for workload, kind, in_cluster, asked in found:
        name = f"the {kind}'s replicas are the stack's"
        expected = f"spec.replicas {asked}, as the stack asks"
        if in_cluster is None:
            checks.append(make_check(name, workload, NOT_APPLICABLE, expected, f"no {kind} to compare"))
            continue
        observed = f"spec.replicas {in_cluster} in the cluster, the stack asks for {asked}"
        verdict: Verdict = PASSED if in_cluster == asked else FAILED
        checks.append(
            make_check(name, workload, verdict, expected, observed if verdict == PASSED else f"{observed}: {DRIFT_FIX}")
        )
    return checks

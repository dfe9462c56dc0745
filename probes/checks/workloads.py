"""Whether the two workloads exist at all. Deleted out of band (or with
`--cascade=orphan`), a workload is reported, not a crash: its check says
what is left of it, and the other checks judge what can still be judged."""

from __future__ import annotations

from probes.checks.common import make_check
from probes.facts import FAILED, PASSED, Check, Expectations, Observation, PodFacts
from probes.lesson_catalogue import WITHOUT_STATEFULSET


def _left(pods: list[PodFacts]) -> str:
    if not pods:
        return "no pods left"
    return "pods left behind: " + ", ".join(f"{p.name} ({p.state}, owner {p.owner or 'none'})" for p in pods)


def check_workloads_exist(e: Expectations, o: Observation) -> list[Check]:
    checks = []
    fix = "`pulumi up --refresh` creates it again"
    if o.statefulset is None and e.lesson in WITHOUT_STATEFULSET:
        checks.append(
            make_check(
                "the StatefulSet is gone, deleted by the lesson",
                "statefulset",
                PASSED,
                f"no StatefulSet {e.statefulset} after lesson {e.lesson}",
                f"no StatefulSet {e.statefulset} ({fix}); {_left(o.statefulset_pods)}",
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
    if o.deployment is None:
        checks.append(
            make_check(
                "the Deployment exists",
                "deployment",
                FAILED,
                f"Deployment {e.deployment} in namespace {e.namespace}",
                f"no Deployment {e.deployment} (deleted outside Pulumi? {fix}); {_left(o.deployment_pods)}",
            )
        )
    return checks

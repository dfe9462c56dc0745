"""WaitForFirstConsumer (probes.checks.provisioning): each StatefulSet claim's
volume is made on the node the scheduler chose for its pod, which the claim carries."""

from __future__ import annotations

from dataclasses import replace

from probes.checks.provisioning import check_default_class, check_volumes_wait_for_their_pods
from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, PASSED, Check, ClaimFacts, PodFacts
from probes.parse import parse_claims
from tests.unit.test_probe_checks import CLAIMS, STS, E

NAME = "each volume is made where the scheduler placed its pod, not before (WaitForFirstConsumer)"
MADE = {"www-web-sts-0": "2026-11-26T10:00:01Z", "www-web-sts-1": "2026-11-26T10:00:04Z"}
"""Each volume a second or two after its pod was created (STS: 10:00:00 and 10:00:02), as local-path makes them."""


def waited(claims: list[ClaimFacts] = CLAIMS, selected_node: str = "lab-node") -> list[ClaimFacts]:
    """The claims as a WaitForFirstConsumer class leaves them: the scheduler's node on each, a volume made after."""
    made = "2026-11-26T10:00:01Z"
    return [replace(c, volume_created=MADE.get(c.name, made), selected_node=selected_node) for c in claims]


def judged(pods: list[PodFacts] = STS, claims: list[ClaimFacts] | None = None) -> Check:
    (check,) = check_volumes_wait_for_their_pods(E, pods, waited() if claims is None else claims)
    assert check.name == NAME
    return check


def test_volumes_made_after_their_pods_were_scheduled_on_the_chosen_node_pass() -> None:
    check = judged()
    assert check.verdict == PASSED
    assert check.observed == (
        "www-web-sts-0: scheduler chose lab-node, volume on lab-node; web-sts-0 created at 10:00:00, "
        "volume made at 10:00:01, placed at 10:00:00; www-web-sts-1: scheduler chose lab-node, volume on lab-node; "
        "web-sts-1 created at 10:00:02, volume made at 10:00:04, placed at 10:00:02"
    )


def test_a_volume_not_on_the_node_the_scheduler_chose_fails() -> None:
    """A provisioner that ignores the selected node (a path map pinned to one node, say)."""
    claims = [replace(c, node="lab-worker-0") if c.name == "www-web-sts-1" else c for c in waited()]
    check = judged(claims=claims)
    assert check.verdict == FAILED
    assert (
        "www-web-sts-1: scheduler chose lab-node, volume on lab-worker-0: not where the pod was placed"
        in check.observed
    )


def test_the_times_decide_nothing() -> None:
    """A pod is bound once its volume is, whatever the class: a pod placed before its volume was made,
    or after, is judged on the scheduler's node alone."""
    pods = [replace(STS[0], scheduled="2026-11-26T10:00:09Z"), replace(STS[1], scheduled=None)]
    assert judged(pods=pods).verdict == PASSED


def test_one_claim_made_with_no_node_chosen_fails_beside_the_others() -> None:
    claims = [replace(c, selected_node="") if c.name == "www-web-sts-0" else c for c in waited()]
    check = judged(claims=claims)
    assert check.verdict == FAILED and "www-web-sts-0: volume made at 10:00:01 with no node chosen" in check.observed


def test_a_pod_created_again_after_its_volume_is_judged_on_the_node_alone() -> None:
    """delete-pods: the new web-sts-0 comes to the volume made for the first one."""
    pods = [replace(STS[0], created="2026-11-26T10:05:00Z", scheduled="2026-11-26T10:05:00Z"), STS[1]]
    check = judged(pods=pods)
    assert check.verdict == PASSED and "made at 10:00:01 for an earlier web-sts-0" in check.observed


def test_an_unscheduled_pod_without_a_volume_is_what_the_class_promises() -> None:
    pods = [STS[0], replace(STS[1], node="", scheduled=None, phase="Pending")]
    claims = [replace(c, volume_created="", volume="", node=None) if c.name == "www-web-sts-1" else c for c in waited()]
    check = judged(pods=pods, claims=claims)
    assert check.verdict == PASSED and "web-sts-1 not scheduled yet, and www-web-sts-1 has no volume" in check.observed


def test_a_scheduled_pod_whose_volume_is_not_made_yet_is_inconclusive() -> None:
    claims = [replace(c, volume_created="") if c.name == "www-web-sts-1" else c for c in waited()]
    assert judged(claims=claims).verdict == INCONCLUSIVE
    assert judged(pods=[STS[0], STS[1], replace(STS[1], name="web-sts-2", ordinal=2)]).verdict == INCONCLUSIVE


def test_an_immediate_class_is_not_applicable() -> None:
    (check,) = check_volumes_wait_for_their_pods(E, STS, waited(selected_node=""))
    assert (check.name, check.workload, check.verdict) == (NAME, "statefulset", NOT_APPLICABLE)
    assert check.observed == (
        "no claim names a node the scheduler chose: their class makes volumes at once (Immediate), nothing waits"
    )
    assert check.expected.startswith("per ordinal: the claim carries the node the scheduler chose")


def test_left_out_on_documents_from_before_the_volumes_times_were_read() -> None:
    assert check_volumes_wait_for_their_pods(E, STS, CLAIMS) == []


def test_no_pods_is_not_applicable() -> None:
    (check,) = check_volumes_wait_for_their_pods(replace(E, replicas=0), [], waited())
    assert (check.name, check.workload, check.verdict) == (NAME, "statefulset", NOT_APPLICABLE)
    assert check.observed == "no StatefulSet pods (replicas 0): nothing to judge"
    assert check.expected.startswith("per ordinal: the claim carries the node the scheduler chose")


def test_the_parser_reads_the_selected_node_and_the_volumes_creation() -> None:
    pvc = {
        "metadata": {
            "name": "www-web-sts-0",
            "uid": "u0",
            "creationTimestamp": "2026-12-07T10:21:09Z",
            "annotations": {"volume.kubernetes.io/selected-node": "lab-worker-1"},
        },
        "spec": {"volumeName": "pvc-u0", "storageClassName": "local-path"},
        "status": {"phase": "Bound"},
    }
    pv = {"metadata": {"name": "pvc-u0", "creationTimestamp": "2026-12-07T10:21:11Z"}, "spec": {}}
    (claim,) = parse_claims({"items": [pvc]}, {"items": [pv]})
    assert (claim.selected_node, claim.volume_created) == ("lab-worker-1", "2026-12-07T10:21:11Z")
    (pending,) = parse_claims({"items": [{**pvc, "metadata": {"name": "c"}, "spec": {}}]}, {"items": []})
    assert (pending.selected_node, pending.volume_created) == ("", "")


DEFAULT = "claims that name no class get the cluster's default class"
UNNAMED = replace(E, claims_name_class=False, default_class="local-path")


def test_claims_the_cluster_filled_with_its_default_class_pass() -> None:
    (check,) = check_default_class(UNNAMED, CLAIMS)
    assert (check.name, check.verdict) == (DEFAULT, PASSED)
    assert check.observed == (
        "www-web-dep: local-path; www-web-sts-0: local-path; www-web-sts-1: local-path (the templates name none)"
    )


def test_a_claim_left_without_a_class_fails_and_says_why() -> None:
    """A cluster with the DefaultStorageClass admission plugin turned off: the claims keep no class."""
    claims = [replace(c, storage_class="") if c.name == "www-web-sts-1" else c for c in CLAIMS]
    (check,) = check_default_class(UNNAMED, claims)
    assert check.verdict == FAILED and "www-web-sts-1: no class" in check.observed
    assert "DefaultStorageClass admission is off" in check.observed


def test_a_claim_on_another_class_fails() -> None:
    """Another class made the default after the plan looked: new claims go to it."""
    claims = [replace(c, storage_class="standard") for c in CLAIMS]
    assert check_default_class(UNNAMED, claims)[0].verdict == FAILED


def test_only_the_labs_own_claims_count_and_none_is_not_applicable() -> None:
    stranger = replace(CLAIMS[0], name="data-other-0", storage_class="fast")
    assert check_default_class(UNNAMED, [*CLAIMS, stranger])[0].verdict == PASSED
    (none,) = check_default_class(UNNAMED, [stranger])
    assert (none.name, none.workload, none.verdict, none.observed) == (
        DEFAULT,
        "statefulset",
        NOT_APPLICABLE,
        "no claims yet",
    )
    assert none.expected == "every claim of both workloads on local-path, filled in by the cluster"


def test_left_out_where_the_claims_name_their_class() -> None:
    assert check_default_class(E, CLAIMS) == []

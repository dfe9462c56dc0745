"""The Deployment's scale-out, judged from its own ScalingReplicaSet events."""

from __future__ import annotations

from dataclasses import replace

from probes.checks.pods import check_deployment_scale_out
from probes.facts import FAILED, INCONCLUSIVE, PASSED, ReplicaSetScaling
from probes.parse import parse_scalings
from tests.unit.test_probe_checks import E, dep_pod

RS = "web-dep-5d9c7b4f6"


def scaled(before: int | None, after: int, at: str, up: bool = True, replicaset: str = RS) -> ReplicaSetScaling:
    return ReplicaSetScaling("web-dep", replicaset, before, after, up, at)


OLD = [dep_pod("aaaaa", "10.244.0.20"), dep_pod("bbbbb", "10.244.0.21")]
NEW = [
    replace(dep_pod("ccccc", "10.244.0.22"), created="2026-11-26T10:05:00Z", ready_since="2026-11-26T10:05:02Z"),
    replace(dep_pod("ddddd", "10.244.0.23"), created="2026-11-26T10:05:00Z", ready_since="2026-11-26T10:05:02Z"),
]
SET_UP = scaled(0, 2, "2026-11-26T10:00:01Z")
SCALE_OUT = scaled(2, 4, "2026-11-26T10:05:00Z")


def test_the_events_are_read_with_and_without_the_count_they_scaled_from() -> None:
    def event(message: str, at: str, kind: str = "Deployment") -> dict[str, object]:
        return {
            "reason": "ScalingReplicaSet",
            "message": message,
            "involvedObject": {"kind": kind, "name": "web-dep"},
            "lastTimestamp": at,
            "metadata": {"creationTimestamp": at},
        }

    listing = {
        "items": [
            event(f"Scaled up replica set {RS} from 2 to 4", "2026-11-26T10:05:00Z"),
            event(f"Scaled down replica set {RS} to 1", "2026-11-26T10:06:00Z"),
            event(f"Scaled up replica set {RS} from 0 to 2", "2026-11-26T10:00:01Z"),
            event("Scaled up replica set other to 3", "2026-11-26T10:07:00Z", kind="StatefulSet"),
        ]
    }
    assert parse_scalings(listing) == [SET_UP, SCALE_OUT, scaled(None, 1, "2026-11-26T10:06:00Z", up=False)]


def test_pods_added_in_the_same_second_pass_with_their_times() -> None:
    (check,) = check_deployment_scale_out(E, OLD + NEW, [SET_UP, SCALE_OUT])
    assert check.verdict == PASSED
    assert check.observed == (
        f"{RS} scaled up from 2 to 4 at 2026-11-26T10:05:00Z; web-dep-5d9c7b4f6-ccccc created 2026-11-26T10:05:00Z, "
        "web-dep-5d9c7b4f6-ddddd created 2026-11-26T10:05:00Z: within 0 s, the first Ready at 2026-11-26T10:05:02Z"
    )


def test_a_pod_added_only_once_another_was_ready_fails() -> None:
    one_by_one = [NEW[0], replace(NEW[1], created="2026-11-26T10:05:03Z")]
    (check,) = check_deployment_scale_out(E, OLD + one_by_one, [SET_UP, SCALE_OUT])
    assert check.verdict == FAILED
    assert "within 3 s, the first Ready at 2026-11-26T10:05:02Z" in check.observed


def test_pods_that_came_and_went_since_leave_it_inconclusive() -> None:
    recreated = [*NEW, replace(dep_pod("eeeee", "10.244.0.24"), created="2026-11-26T10:06:00Z")]
    (check,) = check_deployment_scale_out(E, OLD + recreated, [SET_UP, SCALE_OUT])
    assert check.verdict == INCONCLUSIVE
    assert "3 of its pods created since" in check.observed


def test_only_a_last_scale_out_of_two_pods_or_more_from_running_pods_is_judged() -> None:
    assert check_deployment_scale_out(E, OLD, [SET_UP]) == []  # a set-up or rollout starts from 0
    assert check_deployment_scale_out(E, OLD + NEW[:1], [SET_UP, scaled(2, 3, "2026-11-26T10:05:00Z")]) == []
    later_in = scaled(4, 2, "2026-11-26T10:06:00Z", up=False)
    assert check_deployment_scale_out(E, OLD, [SET_UP, SCALE_OUT, later_in]) == []
    assert check_deployment_scale_out(E, OLD + NEW, None) == []  # a document made before the events were read
    another = replace(SCALE_OUT, deployment="someone-else")
    assert check_deployment_scale_out(E, OLD + NEW, [SET_UP, another]) == []


def test_three_pods_one_second_apart_pass_and_the_first_ready_time_is_the_earliest() -> None:
    three = [
        replace(NEW[0], created="2026-11-26T10:05:00Z", ready_since="2026-11-26T10:05:03Z"),
        replace(NEW[1], created="2026-11-26T10:05:00Z", ready_since="2026-11-26T10:05:02Z"),
        replace(dep_pod("eeeee", "10.244.0.24"), created="2026-11-26T10:05:01Z", ready_since="2026-11-26T10:05:04Z"),
    ]
    (check,) = check_deployment_scale_out(E, OLD + three, [SET_UP, scaled(2, 5, "2026-11-26T10:05:00Z")])
    assert check.verdict == PASSED
    assert check.observed.endswith("within 1 s, the first Ready at 2026-11-26T10:05:02Z")
    assert check.expected == "the 3 pods the scale-out adds created within one second"


def test_the_inconclusive_verdict_keeps_the_checks_name() -> None:
    recreated = [*NEW, replace(dep_pod("eeeee", "10.244.0.24"), created="2026-11-26T10:06:00Z")]
    (check,) = check_deployment_scale_out(E, OLD + recreated, [SET_UP, SCALE_OUT])
    assert (check.name, check.workload) == ("the Deployment scales out all at once", "deployment")

"""Probe checks: each passes on what the seed saw and fails, with evidence,
on what it did not."""

from __future__ import annotations

from dataclasses import replace

from probes.checks import (
    Observation,
    check_claims,
    check_creation_order,
    check_dns,
    check_hostnames,
    check_partition,
    check_pod_names,
    check_scale_in,
    check_stable_storage,
    creation_gaps,
    dns_queries,
    evaluate,
)
from probes.facts import (
    ClaimFacts,
    DnsLookup,
    Expectations,
    LifecycleEvent,
    PodFacts,
    StableStorageRun,
    StatefulSetFacts,
)

E = Expectations(
    namespace="default",
    statefulset="web-sts",
    deployment="web-dep",
    statefulset_service="nginx-sts",
    deployment_service="nginx-dep",
    replicas=2,
    deployment_replicas=2,
    image="registry.k8s.io/nginx-slim:0.24",
    update_strategy="RollingUpdate",
    partition=0,
    pod_management_policy="OrderedReady",
    pvc_retention_when_scaled="Retain",
)


def sts_pod(i: int, created: str, ready: str | None, *, image: str = E.image, revision: str = "web-sts-r1") -> PodFacts:
    name = f"web-sts-{i}"
    return PodFacts(
        name=name,
        workload="statefulset",
        ordinal=i,
        node="lab-node",
        ip=f"10.244.0.{10 + i}",
        phase="Running",
        ready=ready is not None,
        created=created,
        scheduled=created,
        ready_since=ready,
        image=image,
        revision=revision,
        claims=[f"www-{name}"],
        hostname=name,
    )


def dep_pod(suffix: str, ip: str) -> PodFacts:
    name = f"web-dep-5d9c7b4f6-{suffix}"
    return PodFacts(
        name=name,
        workload="deployment",
        ordinal=None,
        node="lab-node",
        ip=ip,
        phase="Running",
        ready=True,
        created="2026-11-26T10:00:01Z",
        scheduled="2026-11-26T10:00:01Z",
        ready_since="2026-11-26T10:00:03Z",
        image=E.image,
        revision="5d9c7b4f6",
        claims=["www-web-dep"],
        hostname=name,
    )


STS = [
    sts_pod(0, "2026-11-26T10:00:00Z", "2026-11-26T10:00:02Z"),
    sts_pod(1, "2026-11-26T10:00:02Z", "2026-11-26T10:00:04Z"),
]
DEP = [dep_pod("abcde", "10.244.0.20"), dep_pod("fghij", "10.244.0.21")]
PATH = "/opt/local-path-provisioner/pvc-{}_default_{}"
UID = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
CLAIMS = [
    ClaimFacts(
        name=n,
        phase="Bound",
        storage_class="local-path",
        volume=f"pvc-{UID}",
        node="lab-node",
        host_path=PATH.format(UID, n),
    )
    for n in ("www-web-dep", "www-web-sts-0", "www-web-sts-1")
]
STS_FACTS = StatefulSetFacts(
    replicas=2,
    ready_replicas=2,
    current_revision="web-sts-r1",
    update_revision="web-sts-r1",
    update_strategy="RollingUpdate",
    partition=0,
    pod_management_policy="OrderedReady",
    image=E.image,
)


def seed_dns() -> list[DnsLookup]:
    answers = {f"{p.name}.nginx-sts": [p.ip] for p in STS}
    answers |= {f"{p.ip.replace('.', '-')}.nginx-dep": [p.ip] for p in DEP}
    return [DnsLookup(q, 0 if q in answers else 1, answers.get(q, [])) for q in dns_queries(E, STS, DEP)]


def test_the_seed_observation_passes_every_check() -> None:
    observation = Observation(
        statefulset=STS_FACTS,
        statefulset_pods=STS,
        deployment_pods=DEP,
        claims=CLAIMS,
        dns=seed_dns(),
        events=[],
        stable_storage=None,
    )
    checks = evaluate(E, observation)
    assert len(checks) == 14
    assert [c.name for c in checks if not c.passed] == []


def test_pod_names_must_be_exact_ordinals() -> None:
    checks = check_pod_names(replace(E, replicas=3), STS, DEP)
    assert not checks[0].passed and checks[0].observed == "web-sts-0, web-sts-1"
    assert checks[1].passed


def test_deployment_pods_with_fixed_names_fail_the_name_check() -> None:
    fixed = [replace(DEP[0], name="web-dep-0"), DEP[1]]
    assert not check_pod_names(E, STS, fixed)[1].passed


def test_ordered_creation_requires_each_pod_after_its_predecessor_is_ready() -> None:
    (check,) = check_creation_order(E, STS)
    assert check.passed and "web-sts-1 after web-sts-0 was Ready" in check.observed
    early = [STS[0], replace(STS[1], created="2026-11-26T10:00:01Z")]
    (check,) = check_creation_order(E, early)
    assert not check.passed and "web-sts-1 before web-sts-0 was Ready" in check.observed


def test_same_second_creation_and_readiness_counts_as_ordered() -> None:
    """One-second timestamps: created == ready of the predecessor is the best the API can show."""
    pods = [STS[0], replace(STS[1], created="2026-11-26T10:00:02Z")]
    assert creation_gaps(pods) == [("web-sts-1", "web-sts-0", True)]


def test_parallel_expects_pods_created_together() -> None:
    together = [STS[0], replace(STS[1], created="2026-11-26T10:00:00Z")]
    (check,) = check_creation_order(replace(E, pod_management_policy="Parallel"), together)
    assert check.passed and check.name.startswith("Parallel")
    (check,) = check_creation_order(replace(E, pod_management_policy="Parallel"), STS)
    assert not check.passed


def test_hostname_must_equal_pod_name() -> None:
    checks = check_hostnames([STS[0], replace(STS[1], hostname="nginx")], DEP)
    assert [c.passed for c in checks] == [False, True]
    assert "web-sts-1: nginx" in checks[0].observed


def test_hostname_check_fails_without_pods() -> None:
    assert not check_hostnames([], DEP)[0].passed


def test_dns_checks_follow_the_seed() -> None:
    checks = check_dns(E, STS, DEP, seed_dns())
    assert all(c.passed for c in checks)
    assert "web-sts-0.nginx-sts -> 10.244.0.10 (exit 0)" in checks[0].observed


def test_dns_check_fails_when_a_pod_name_resolves_to_another_ip() -> None:
    wrong = [DnsLookup(d.query, 0, ["10.9.9.9"]) if d.query == "web-sts-1.nginx-sts" else d for d in seed_dns()]
    assert not check_dns(E, STS, DEP, wrong)[0].passed


def test_dns_check_fails_when_a_deployment_pod_name_resolves() -> None:
    leaky = [DnsLookup(d.query, 0, ["10.244.0.20"]) if d.query.startswith("web-dep-") else d for d in seed_dns()]
    assert not check_dns(E, STS, DEP, leaky)[1].passed


def test_dns_check_fails_when_lookups_are_missing() -> None:
    checks = check_dns(E, STS, DEP, [])
    assert not any(c.passed for c in checks)
    assert "not looked up" in checks[0].observed


def test_claims_one_per_ordinal_and_one_shared() -> None:
    checks = check_claims(E, STS, DEP, CLAIMS)
    assert [c.passed for c in checks] == [True, True, True, True]


def test_pending_claim_fails_the_per_ordinal_check() -> None:
    pending = [replace(c, phase="Pending") if c.name == "www-web-sts-1" else c for c in CLAIMS]
    check = check_claims(E, STS, DEP, pending)[0]
    assert not check.passed and "www-web-sts-1: Pending" in check.observed


def test_deployment_pod_off_the_volume_node_fails() -> None:
    moved = [DEP[0], replace(DEP[1], node="other-node")]
    assert not check_claims(E, STS, moved, CLAIMS)[2].passed


def test_volume_directory_must_name_namespace_and_claim() -> None:
    odd = [replace(c, host_path="/data/whatever") if c.name == "www-web-dep" else c for c in CLAIMS]
    assert not check_claims(E, STS, DEP, odd)[3].passed


def test_stable_storage_each_ordinal_keeps_its_page() -> None:
    run = StableStorageRun(
        last_writer=DEP[1].name,
        before={"web-sts-0": "web-sts-0", "web-sts-1": "web-sts-1", DEP[0].name: DEP[1].name, DEP[1].name: DEP[1].name},
        after={"web-sts-0": "web-sts-0", "web-sts-1": "web-sts-1", "web-dep-5d9c7b4f6-new01": DEP[1].name},
    )
    assert [c.passed for c in check_stable_storage(E, run)] == [True, True]
    lost = replace(run, after={**run.after, "web-sts-1": ""})
    sts_check = check_stable_storage(E, lost)[0]
    assert not sts_check.passed and "web-sts-1: ''" in sts_check.observed


def test_no_stable_storage_run_means_no_storage_checks() -> None:
    assert check_stable_storage(E, None) == []


def test_partition_moves_only_the_ordinals_at_or_above_it() -> None:
    e = replace(E, replicas=3, partition=2, image="registry.k8s.io/nginx-slim:0.21")
    facts = replace(STS_FACTS, replicas=3, current_revision="r-old", update_revision="r-new", partition=2)
    old = "registry.k8s.io/nginx-slim:0.24"
    pods = [
        sts_pod(0, "2026-11-26T10:00:00Z", "2026-11-26T10:00:01Z", image=old, revision="r-old"),
        sts_pod(1, "2026-11-26T10:00:01Z", "2026-11-26T10:00:02Z", image=old, revision="r-old"),
        sts_pod(2, "2026-11-26T10:05:00Z", "2026-11-26T10:05:01Z", image=e.image, revision="r-new"),
    ]
    (check,) = check_partition(e, facts, pods)
    assert check.passed, check.observed
    too_far = [replace(pods[1], image=e.image, revision="r-new"), pods[0], pods[2]]
    assert not check_partition(e, facts, too_far)[0].passed


def test_partition_check_does_not_apply_to_on_delete() -> None:
    assert check_partition(replace(E, update_strategy="OnDelete"), STS_FACTS, STS) == []


def ev(pod: str, reason: str, second: int) -> LifecycleEvent:
    return LifecycleEvent(pod=pod, reason=reason, time=f"2026-11-26T10:01:{second:02d}Z", sequence=second)


def test_scale_in_removes_the_highest_ordinal_first_and_keeps_claims() -> None:
    e = replace(E, replicas=3)
    events = [
        ev("web-sts-3", "created", 1),
        ev("web-sts-4", "created", 3),
        ev("web-sts-4", "deleted", 10),
        ev("web-sts-3", "deleted", 12),
    ]
    claims = [*CLAIMS, *(replace(CLAIMS[1], name=f"www-web-sts-{i}") for i in (2, 3, 4))]
    order, kept = check_scale_in(e, events, claims)
    assert order.passed and order.observed == "web-sts-4 then web-sts-3"
    assert kept.passed


def test_scale_in_in_ascending_order_fails() -> None:
    events = [ev("web-sts-3", "deleted", 10), ev("web-sts-4", "deleted", 12)]
    order, _ = check_scale_in(replace(E, replicas=3), events, CLAIMS)
    assert not order.passed and order.observed == "web-sts-3 then web-sts-4"


def test_deleted_claims_are_expected_with_when_scaled_delete() -> None:
    e = replace(E, replicas=3, pvc_retention_when_scaled="Delete")
    _, gone = check_scale_in(e, [ev("web-sts-3", "deleted", 10)], CLAIMS)
    assert gone.passed and "www-web-sts-3: gone" in gone.observed


def test_no_scale_in_means_no_scale_in_checks() -> None:
    events = [ev("web-sts-2", "created", 1), ev("web-sts-2", "deleted", 5), ev("web-sts-2", "created", 6)]
    assert check_scale_in(replace(E, replicas=2), events, CLAIMS) == []
    assert check_scale_in(replace(E, replicas=3), events, CLAIMS) == []


def test_a_restarted_predecessor_cannot_judge_the_order() -> None:
    """After a node restart every pod's Ready time is recent: no verdict, not a false failure."""
    restarted = [replace(STS[0], ready_since="2026-11-26T11:00:00Z", restarts=1), STS[1]]
    assert creation_gaps(restarted) == [("web-sts-1", "web-sts-0", None)]
    assert check_creation_order(E, restarted) == []
    assert check_creation_order(replace(E, pod_management_policy="Parallel"), restarted) == []

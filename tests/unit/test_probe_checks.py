"""Probe checks: each passes only on what the seed saw, fails with evidence on
what it did not, and says "inconclusive" or "not applicable" (never passed)
when the run has no evidence either way."""

from __future__ import annotations

from dataclasses import replace

from kube.names import LabNames
from probes.checks import evaluate
from probes.checks.dns import check_dns
from probes.checks.pods import (
    check_creation_order,
    check_deployment_scale_in,
    check_hostnames,
    check_partition,
    check_pod_names,
    check_scale_in_order,
    check_spread,
)
from probes.checks.storage import check_claims, check_scale_in_claims, check_stable_storage, check_volume_nodes
from probes.checks.workloads import check_workloads_exist
from probes.dns_plan import CONTROL_QUERY, dns_queries, dns_settled, service_answers_expected
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    LOOKUP_ERROR,
    NOT_APPLICABLE,
    NOT_FOUND,
    PASSED,
    POD_INDEX_LABEL,
    POD_NAME_LABEL,
    RESOLVED,
    Action,
    Check,
    ClaimFacts,
    DeploymentFacts,
    DnsLookup,
    Expectations,
    LifecycleEvent,
    NodeFacts,
    Observation,
    PodFacts,
    Revision,
    StableStorageRun,
    StatefulSetFacts,
    counts,
)

E = Expectations.for_lab(
    LabNames(),
    namespace="default",
    dns_image="docker.io/library/busybox:1.28",
    replicas=2,
    deployment_replicas=2,
    image="registry.k8s.io/nginx-slim:0.24",
    update_strategy="RollingUpdate",
    partition=0,
    pod_management_policy="OrderedReady",
    pvc_retention_when_scaled="Retain",
)


def sts_pod(
    i: int, created: str, ready: str | None, *, image: str = E.image, revision: str = "web-sts-r1", uid: str = ""
) -> PodFacts:
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
        uid=uid,
        identity_labels={POD_NAME_LABEL: name, POD_INDEX_LABEL: str(i)},
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
UIDS = {
    "www-web-dep": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    "www-web-sts-0": "1c2d3e4f-5061-7283-94a5-b6c7d8e9f0a1",
    "www-web-sts-1": "2d3e4f50-6172-8394-a5b6-c7d8e9f0a1b2",
}
"""Each claim's own uid, which its volume and its directory are named after."""
CLAIMS = [
    ClaimFacts(
        name=n,
        phase="Bound",
        storage_class="local-path",
        volume=f"pvc-{uid}",
        node="lab-node",
        host_path=PATH.format(uid, n),
        uid=uid,
    )
    for n, uid in UIDS.items()
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
DEP_FACTS = DeploymentFacts(
    replicas=2,
    ready_replicas=2,
    updated_replicas=2,
    generation=1,
    observed_generation=1,
    strategy="RollingUpdate",
    max_surge="25%",
    max_unavailable="25%",
    pod_template_hashes=["5d9c7b4f6"],
)
# The StatefulSet controller's events of the first creation of STS, and the
# scheduler's (whose times keep microseconds, as the newer events API records them).
CREATED = [
    LifecycleEvent(p.name, "created", p.created, i, object_kind="StatefulSet", object_name="web-sts")
    for i, p in enumerate(STS)
] + [LifecycleEvent(p.name, "scheduled", p.created.replace("Z", ".031000Z"), 10 + i) for i, p in enumerate(STS)]


def not_found(q: str) -> DnsLookup:
    return DnsLookup(q, 1, [], NOT_FOUND, f"nslookup: can't resolve '{q}'")


def seed_dns(sts: list[PodFacts] = STS, dep: list[PodFacts] = DEP, e: Expectations = E) -> list[DnsLookup]:
    answers = {CONTROL_QUERY: ["10.96.0.1"]}
    answers |= {f"{p.name}.nginx-sts": [p.ip] for p in sts}
    answers |= {f"{p.name}.nginx-sts.{e.namespace}.svc.cluster.local": [p.ip] for p in sts}
    answers |= {f"{p.ip.replace('.', '-')}.nginx-dep": [p.ip] for p in dep}
    answers |= {"nginx-sts": sorted(p.ip for p in sts if p.ready), "nginx-dep": sorted(p.ip for p in dep if p.ready)}
    return [DnsLookup(q, 0, answers[q], RESOLVED) if q in answers else not_found(q) for q in dns_queries(e, sts, dep)]


def observation(**changes: object) -> Observation:
    seed = Observation(
        statefulset=STS_FACTS,
        deployment=DEP_FACTS,
        statefulset_pods=STS,
        deployment_pods=DEP,
        claims=CLAIMS,
        dns=seed_dns(),
        events=CREATED,
        stable_storage=None,
    )
    return replace(seed, **changes)  # type: ignore[arg-type]


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {f"[{c.workload}] {c.name}": c for c in checks}


def check_scale_in(e: Expectations, events: list[LifecycleEvent], claims: list[ClaimFacts]) -> list[Check]:
    return check_scale_in_order(e, events) + check_scale_in_claims(e, events, claims)


def test_the_seed_observation_passes_every_check() -> None:
    checks = evaluate(E, observation())
    assert len(checks) == 23
    assert [c.name for c in checks if c.verdict != PASSED] == []
    assert counts(checks) == {PASSED: 23, FAILED: 0, INCONCLUSIVE: 0, NOT_APPLICABLE: 0}


def test_every_check_states_its_evidence() -> None:
    for check in evaluate(E, observation()) + evaluate(replace(E, replicas=0), observation(statefulset_pods=[])):
        assert check.observed.strip(), check.name


def test_pod_names_must_be_exact_ordinals() -> None:
    checks = check_pod_names(replace(E, replicas=3), STS, DEP)
    assert checks[0].verdict == FAILED and checks[0].observed == "web-sts-0, web-sts-1"
    assert checks[1].verdict == PASSED


def test_deployment_pods_with_fixed_names_fail_the_name_check() -> None:
    fixed = [replace(DEP[0], name="web-dep-0"), DEP[1]]
    assert check_pod_names(E, STS, fixed)[1].verdict == FAILED


def test_pods_that_should_not_exist_fail_the_name_check() -> None:
    sts_check, dep_check = check_pod_names(replace(E, replicas=0, deployment_replicas=0), STS, DEP)
    assert sts_check.verdict == FAILED and dep_check.verdict == FAILED


def test_hostname_must_equal_pod_name() -> None:
    checks = check_hostnames(E, [STS[0], replace(STS[1], hostname="nginx")], DEP)
    assert [c.verdict for c in checks] == [FAILED, PASSED]
    assert "web-sts-1: nginx" in checks[0].observed


def test_hostname_check_without_pods_is_not_applicable() -> None:
    sts_check, dep_check = check_hostnames(E, [], DEP)
    assert sts_check.verdict == NOT_APPLICABLE and "no StatefulSet pods" in sts_check.observed
    assert dep_check.verdict == PASSED


def test_a_check_without_deployment_pods_says_it_is_the_deployment_that_has_none() -> None:
    sts_check, dep_check = check_hostnames(replace(E, deployment_replicas=0), STS, [])
    assert dep_check.verdict == NOT_APPLICABLE and "no Deployment pods (replicas 0)" in dep_check.observed
    assert sts_check.verdict == PASSED


def test_a_deployment_with_no_pods_for_its_replicas_fails_the_name_check_saying_it_has_none() -> None:
    """Two replicas asked for, no pod listed: nothing to name, and the evidence says so."""
    _, dep_check = check_pod_names(E, STS, [])
    assert dep_check.verdict == FAILED and dep_check.observed == "no pods"


def test_a_hostname_that_was_not_read_is_inconclusive() -> None:
    assert check_hostnames(E, [replace(STS[0], hostname=None)], DEP)[0].verdict == INCONCLUSIVE


# --- DNS -------------------------------------------------------------------------


def test_dns_checks_follow_the_seed() -> None:
    checks = check_dns(E, observation(dns=seed_dns()))
    assert [c.verdict for c in checks] == [PASSED] * 7
    assert "web-sts-0.nginx-sts -> 10.244.0.10" in checks[0].observed
    assert f"control {CONTROL_QUERY} -> 10.96.0.1" in checks[1].observed


def test_the_control_query_is_asked_first() -> None:
    assert dns_queries(E, STS, DEP)[0] == CONTROL_QUERY == "kubernetes.default"


def test_dns_check_fails_when_a_pod_name_resolves_to_another_ip() -> None:
    wrong = [replace(d, addresses=["10.9.9.9"]) if d.query == "web-sts-1.nginx-sts" else d for d in seed_dns()]
    assert check_dns(E, observation(dns=wrong))[0].verdict == FAILED


def test_dns_check_fails_when_a_deployment_pod_name_resolves() -> None:
    leaky = [
        DnsLookup(d.query, 0, ["10.244.0.20"], RESOLVED) if d.query.startswith("web-dep-") else d for d in seed_dns()
    ]
    assert check_dns(E, observation(dns=leaky))[1].verdict == FAILED


def test_missing_lookups_leave_every_dns_check_inconclusive() -> None:
    """Without the control's answer, nothing proves a record is there or missing."""
    checks = check_dns(E, observation(dns=[]))
    assert [c.verdict for c in checks] == [INCONCLUSIVE] * 7
    assert "not looked up" in checks[0].observed


def test_a_missing_record_fails_when_the_control_resolved() -> None:
    """The server answered "no such name" for every record, the control resolved."""
    nothing = [d if d.query == CONTROL_QUERY else not_found(d.query) for d in seed_dns()]
    checks = check_dns(E, observation(dns=nothing))
    assert [c.verdict for c in checks] == [FAILED, PASSED, FAILED, PASSED, FAILED, FAILED, FAILED]


def test_a_name_the_run_never_asked_is_no_answer_either_way() -> None:
    """A document recorded before the probes asked a name: only the control was looked up."""
    only_control = [d for d in seed_dns() if d.query == CONTROL_QUERY]
    checks = check_dns(E, observation(dns=only_control))
    assert [c.verdict for c in checks] == [INCONCLUSIVE] * 7
    assert "web-sts-0.nginx-sts: not looked up" in checks[0].observed


def test_negative_answers_without_a_resolving_control_are_inconclusive() -> None:
    """CoreDNS down: every lookup fails, the control too. Nothing proves a record is there or missing."""
    down = [
        DnsLookup(d.query, 1, [], LOOKUP_ERROR, "exit 1: ;; connection timed out; no servers could be reached")
        for d in seed_dns()
    ]
    checks = check_dns(E, observation(dns=down))
    assert checks[1].verdict == INCONCLUSIVE and checks[3].verdict == INCONCLUSIVE
    assert "control kubernetes.default: lookup error" in checks[1].observed
    assert [c.verdict for c in checks] == [INCONCLUSIVE] * 7


def test_a_busybox_1_28_cant_resolve_without_the_control_is_inconclusive() -> None:
    """busybox 1.28 prints `can't resolve` on a timeout too: only a resolving control makes it a negative answer."""
    no_control = [d for d in seed_dns() if d.query != CONTROL_QUERY]
    checks = check_dns(E, observation(dns=no_control))
    assert checks[1].verdict == INCONCLUSIVE and "control kubernetes.default: not looked up" in checks[1].observed
    failed_control = [not_found(d.query) if d.query == CONTROL_QUERY else d for d in seed_dns()]
    assert check_dns(E, observation(dns=failed_control))[3].verdict == INCONCLUSIVE


def test_a_lookup_error_is_not_a_negative_answer_even_with_the_control() -> None:
    """No nslookup in a custom dnsProbeImage (exit 127), or a timeout, for the names that must not resolve."""
    broken = [
        DnsLookup(d.query, 127, [], LOOKUP_ERROR, "exit 127: sh: /bin/nslookup: not found")
        if d.outcome == NOT_FOUND
        else d
        for d in seed_dns()
    ]
    checks = check_dns(E, observation(dns=broken))
    assert [c.verdict for c in checks] == [PASSED, INCONCLUSIVE, PASSED, INCONCLUSIVE, PASSED, PASSED, PASSED]
    assert "exit 127: sh: /bin/nslookup: not found" in checks[1].observed


def test_a_cut_off_lookup_is_inconclusive() -> None:
    cut = [replace(d, exit_code=None, outcome=LOOKUP_ERROR) if d.query.startswith("web-dep") else d for d in seed_dns()]
    assert check_dns(E, observation(dns=cut))[1].verdict == INCONCLUSIVE


def test_dns_settles_only_when_control_and_positives_resolve_and_nothing_errored() -> None:
    assert dns_settled(E, STS, DEP, seed_dns())
    assert not dns_settled(E, STS, DEP, [d for d in seed_dns() if d.query != CONTROL_QUERY])
    flaky = [replace(d, outcome=LOOKUP_ERROR) if d.outcome == NOT_FOUND else d for d in seed_dns()]
    assert not dns_settled(E, STS, DEP, flaky)


def test_dns_is_not_settled_while_a_pod_record_is_missing_or_points_elsewhere() -> None:
    missing = [d for d in seed_dns() if d.query != "web-sts-1.nginx-sts"]
    assert not dns_settled(E, STS, DEP, missing)
    stale = [replace(d, addresses=["10.244.0.99"]) if d.query == "web-sts-1.nginx-sts" else d for d in seed_dns()]
    assert not dns_settled(E, STS, DEP, stale)


def test_dns_is_not_settled_while_a_services_name_lacks_or_misses_a_ready_pod() -> None:
    missing = [d for d in seed_dns() if d.query != "nginx-dep"]
    assert not dns_settled(E, STS, DEP, missing)
    short = [replace(d, addresses=["10.244.0.20"]) if d.query == "nginx-dep" else d for d in seed_dns()]
    assert not dns_settled(E, STS, DEP, short)


def test_a_stranger_with_the_deployments_label_is_among_the_answers_its_service_must_give() -> None:
    """A Ready pod with app=nginx-dep that no ReplicaSet owns: the Service
    selects it, so nginx-dep settles only once its IP is in the answer too."""
    stranger = replace(DEP[0], name="stranger", ip="10.244.0.77")
    expected = service_answers_expected(E, STS, DEP, [stranger])
    assert expected["nginx-dep"] == ["10.244.0.20", "10.244.0.21", "10.244.0.77"]
    assert expected["nginx-sts"] == ["10.244.0.10", "10.244.0.11"]
    answered = [replace(d, addresses=expected["nginx-dep"]) if d.query == "nginx-dep" else d for d in seed_dns()]
    assert dns_settled(E, STS, DEP, answered, [stranger])
    assert not dns_settled(E, STS, DEP, seed_dns(), [stranger])


# --- claims and volumes ----------------------------------------------------------


def test_claims_one_per_ordinal_and_one_shared() -> None:
    checks = check_claims(E, STS, DEP, CLAIMS)
    assert [c.verdict for c in checks] == [PASSED] * 4


def test_pending_claim_fails_the_per_ordinal_check() -> None:
    pending = [replace(c, phase="Pending") if c.name == "www-web-sts-1" else c for c in CLAIMS]
    check = check_claims(E, STS, DEP, pending)[0]
    assert check.verdict == FAILED and "www-web-sts-1: Pending" in check.observed


def test_deployment_pod_off_the_volume_node_fails() -> None:
    moved = [DEP[0], replace(DEP[1], node="other-node")]
    assert check_claims(E, STS, moved, CLAIMS)[2].verdict == FAILED


def test_shared_volume_node_check_is_always_present() -> None:
    no_node = [replace(c, node=None) if c.name == "www-web-dep" else c for c in CLAIMS]
    check = check_claims(E, STS, DEP, no_node)[2]
    assert check.name == "all pods run on the node of the shared volume"
    assert check.verdict == INCONCLUSIVE and "no node affinity" in check.observed
    assert check_claims(E, STS, [], CLAIMS)[2].verdict == NOT_APPLICABLE
    missing = [c for c in CLAIMS if c.name != "www-web-dep"]
    assert check_claims(E, STS, DEP, missing)[2].verdict == INCONCLUSIVE


def test_volume_directory_must_name_namespace_and_claim() -> None:
    odd = [replace(c, host_path="/data/whatever") if c.name == "www-web-dep" else c for c in CLAIMS]
    assert check_claims(E, STS, DEP, odd)[3].verdict == FAILED


def test_volume_directories_without_bound_claims_are_not_applicable() -> None:
    pending = [replace(c, phase="Pending", volume="", host_path=None, node=None) for c in CLAIMS]
    check = check_claims(E, STS, DEP, pending)[3]
    assert check.verdict == NOT_APPLICABLE and "not Bound yet" in check.observed


# --- stable storage, partition, scale-in -------------------------------------------


def test_stable_storage_each_ordinal_keeps_its_page() -> None:
    run = StableStorageRun(
        last_writer=DEP[1].name,
        before={"web-sts-0": "web-sts-0", "web-sts-1": "web-sts-1", DEP[0].name: DEP[1].name, DEP[1].name: DEP[1].name},
        after={"web-sts-0": "web-sts-0", "web-sts-1": "web-sts-1", "web-dep-5d9c7b4f6-new01": DEP[1].name},
    )
    assert [c.verdict for c in check_stable_storage(E, run)] == [PASSED, PASSED]
    lost = replace(run, after={**run.after, "web-sts-1": ""})
    sts_check = check_stable_storage(E, lost)[0]
    assert sts_check.verdict == FAILED and "web-sts-1: ''" in sts_check.observed


def test_no_stable_storage_run_means_no_storage_checks() -> None:
    assert check_stable_storage(E, None) == []


def test_stable_storage_without_pods_is_not_applicable() -> None:
    run = StableStorageRun(last_writer="", before={}, after={})
    assert [c.verdict for c in check_stable_storage(E, run)] == [NOT_APPLICABLE, NOT_APPLICABLE]


REVISIONS = [
    Revision("r-old", 1, "2026-11-26T09:59:59Z"),
    Revision("r-new", 2, "2026-11-26T10:04:59Z"),
]
"""The StatefulSet's templates: the first, then the new image at 10:04:59."""


def test_partition_moves_only_the_ordinals_at_or_above_it() -> None:
    e = replace(E, replicas=3, partition=2, image="registry.k8s.io/nginx-slim:0.21")
    facts = replace(STS_FACTS, replicas=3, current_revision="r-old", update_revision="r-new", partition=2)
    old = "registry.k8s.io/nginx-slim:0.24"
    pods = [
        sts_pod(0, "2026-11-26T10:00:00Z", "2026-11-26T10:00:01Z", image=old, revision="r-old"),
        sts_pod(1, "2026-11-26T10:00:01Z", "2026-11-26T10:00:02Z", image=old, revision="r-old"),
        sts_pod(2, "2026-11-26T10:05:00Z", "2026-11-26T10:05:01Z", image=e.image, revision="r-new"),
    ]
    (check,) = check_partition(e, facts, pods, revisions=REVISIONS)
    assert check.verdict == PASSED, check.observed


def test_a_partition_the_cluster_ignored_fails_although_current_revision_caught_up() -> None:
    """Partition 0 rolled every pod, then partition 2 came back: the controller
    moved currentRevision to the update revision, so every pod matches it, but
    the pods below the partition were created under the new template."""
    e = replace(E, replicas=3, partition=2, image="registry.k8s.io/nginx-slim:0.21")
    facts = replace(STS_FACTS, replicas=3, current_revision="r-new", update_revision="r-new", partition=2)
    rolled = [
        sts_pod(i, f"2026-11-26T10:05:{10 - 4 * i:02d}Z", f"2026-11-26T10:05:{12 - 4 * i:02d}Z", image=e.image,
                revision="r-new")
        for i in range(3)
    ]  # fmt: skip
    (check,) = check_partition(e, facts, rolled, revisions=REVISIONS)
    assert check.verdict == FAILED and "after the template changed at 2026-11-26T10:04:59Z" in check.observed
    (unlisted,) = check_partition(e, facts, rolled)
    assert unlisted.verdict == INCONCLUSIVE, "without the revisions, currentRevision cannot tell"


def test_a_partition_above_the_replicas_holds_every_pod_and_says_so() -> None:
    """Partition 5 on 3 replicas, then a new image: no pod moves, each keeps the first template."""
    e = replace(E, replicas=3, partition=5, image="registry.k8s.io/nginx-slim:0.21")
    facts = replace(STS_FACTS, replicas=3, current_revision="r-old", update_revision="r-new", partition=5)
    old = "registry.k8s.io/nginx-slim:0.24"
    held = [
        sts_pod(i, f"2026-11-26T10:00:0{i}Z", f"2026-11-26T10:00:0{i + 1}Z", image=old, revision="r-old")
        for i in range(3)
    ]
    (check,) = check_partition(e, facts, held, revisions=REVISIONS)
    assert check.verdict == PASSED, check.observed
    assert check.observed.startswith("updated: none; held: web-sts-0")
    assert check.observed.endswith("; the partition is above the last ordinal (2), so it holds every pod")
    moved = [*held[:2], sts_pod(2, "2026-11-26T10:05:00Z", "2026-11-26T10:05:01Z", image=e.image, revision="r-new")]
    (rolled,) = check_partition(e, facts, moved, revisions=REVISIONS)
    assert rolled.verdict == FAILED and "web-sts-2 @r-new" in rolled.observed, rolled.observed


def test_partition_check_does_not_apply_to_on_delete() -> None:
    assert check_partition(replace(E, update_strategy="OnDelete"), STS_FACTS, STS) == []


def ev(pod: str, reason: str, second: int) -> LifecycleEvent:
    return LifecycleEvent(
        pod=pod,
        reason=reason,
        time=f"2026-11-26T10:01:{second:02d}Z",
        sequence=second,
        object_kind="StatefulSet",
        object_name="web-sts",
    )


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
    assert order.verdict == PASSED and order.observed.startswith("web-sts-4 then web-sts-3; ")
    assert kept.verdict == PASSED


def test_scale_in_in_ascending_order_fails() -> None:
    events = [ev("web-sts-3", "deleted", 10), ev("web-sts-4", "deleted", 12)]
    order, _ = check_scale_in(replace(E, replicas=3), events, CLAIMS)
    assert order.verdict == FAILED and order.observed.startswith("web-sts-3 then web-sts-4")


def kubelet(pod: str, reason: str, second: int) -> LifecycleEvent:
    return replace(ev(pod, reason, second), object_kind="Pod", object_name=pod)


def test_a_scale_in_that_deletes_the_next_pod_before_the_last_one_stops_fails() -> None:
    """The order is right, but web-sts-3 was deleted before the kubelet began stopping web-sts-4."""
    events = [ev("web-sts-4", "deleted", 10), ev("web-sts-3", "deleted", 11), kubelet("web-sts-4", "killing", 12)]
    order, _ = check_scale_in(replace(E, replicas=3), events, CLAIMS)
    assert order.verdict == FAILED and "before web-sts-4 began to stop" in order.observed


def test_a_parallel_scale_in_gets_no_one_at_a_time_check() -> None:
    events = [ev("web-sts-4", "deleted", 10), ev("web-sts-3", "deleted", 10)]
    checks = check_scale_in(replace(E, replicas=3, pod_management_policy="Parallel"), events, CLAIMS)
    assert [c.name for c in checks] == ["claims of removed ordinals are kept, still Bound"]


def test_deleted_claims_are_expected_with_when_scaled_delete() -> None:
    e = replace(E, replicas=3, pvc_retention_when_scaled="Delete")
    _, gone = check_scale_in(e, [ev("web-sts-3", "deleted", 10)], CLAIMS)
    assert gone.verdict == PASSED and "www-web-sts-3: gone" in gone.observed


def test_no_scale_in_means_no_scale_in_checks() -> None:
    events = [ev("web-sts-2", "created", 1), ev("web-sts-2", "deleted", 5), ev("web-sts-2", "created", 6)]
    assert check_scale_in(replace(E, replicas=2), events, CLAIMS) == []
    assert check_scale_in(replace(E, replicas=3), events, CLAIMS) == []


# --- zero replicas: no evidence, no verdict ----------------------------------------


def _zero_statefulset() -> tuple[Expectations, Observation]:
    e = replace(E, replicas=0)
    facts = replace(STS_FACTS, replicas=0, ready_replicas=0)
    # The claims of the ordinals stay (whenScaled: Retain); the pods are gone.
    return e, observation(statefulset=facts, statefulset_pods=[], dns=seed_dns([], DEP, e), events=[])


def test_replicas_zero_leaves_statefulset_checks_not_applicable_never_failed() -> None:
    e, o = _zero_statefulset()
    checks = by_name(evaluate(e, o))
    assert [n for n, c in checks.items() if c.verdict in (FAILED, INCONCLUSIVE)] == []
    for name in (
        "[statefulset] pod names are <statefulset>-<ordinal>",
        "[statefulset] OrderedReady creates each pod after its predecessor is Ready",
        "[statefulset] hostname is the pod name",
        "[statefulset] <pod>.<service> resolves to the pod's IP",
        "[statefulset] a StatefulSet pod's dashed IP does not resolve under its own Service",
        "[statefulset] one Bound claim per ordinal, mounted by its pod",
        "[statefulset] each claim's volume is on its pod's node",
        "[statefulset] ordinals >= partition (0) run the new revision, the others keep theirs",
    ):
        assert checks[name].verdict == NOT_APPLICABLE, name
        assert "replicas 0" in checks[name].observed, name
    assert checks["[deployment] <pod>.<service> does not resolve"].verdict == PASSED


def test_deployment_replicas_zero_leaves_deployment_checks_not_applicable_never_failed() -> None:
    e = replace(E, deployment_replicas=0)
    o = observation(deployment=replace(DEP_FACTS, replicas=0), deployment_pods=[], dns=seed_dns(STS, [], e))
    checks = by_name(evaluate(e, o))
    assert [n for n, c in checks.items() if c.verdict in (FAILED, INCONCLUSIVE)] == []
    for name in (
        "[deployment] pod names are <deployment>-<template-hash>-<random>",
        "[deployment] hostname is the pod name",
        "[deployment] <pod>.<service> does not resolve",
        "[deployment] <dashed-ip>.<service> resolves to the pod's IP",
        "[deployment] one Bound claim shared by every pod",
        "[deployment] all pods run on the node of the shared volume",
    ):
        assert checks[name].verdict == NOT_APPLICABLE, name
    assert checks["[statefulset] OrderedReady creates each pod after its predecessor is Ready"].verdict == PASSED


def test_both_workloads_at_zero_replicas_fail_nothing() -> None:
    e = replace(E, replicas=0, deployment_replicas=0)
    o = observation(
        statefulset=replace(STS_FACTS, replicas=0),
        deployment=replace(DEP_FACTS, replicas=0),
        statefulset_pods=[],
        deployment_pods=[],
        claims=[],
        dns=seed_dns([], [], e),
        events=[],
    )
    checks = evaluate(e, o)
    assert counts(checks)[FAILED] == 0 and counts(checks)[INCONCLUSIVE] == 0
    # Both workloads exist, with no pods: that they exist, and at the replicas
    # the stack asks for, is all this run shows.
    shown = {c.name for c in checks if c.verdict == PASSED}
    assert shown == {
        "the StatefulSet exists",
        "the Deployment exists",
        "the StatefulSet's replicas are the stack's",
        "the Deployment's replicas are the stack's",
    }
    assert counts(checks)[NOT_APPLICABLE] == len(checks) - 4


def test_a_stable_storage_run_that_broke_off_leaves_both_checks_inconclusive_with_its_error() -> None:
    error = "pods of app=nginx-sts did not all come back Ready within 120s"
    checks = by_name(evaluate(replace(E, stable_storage=True), observation(stable_storage_error=error)))
    for name in (
        "[statefulset] each pod serves its own name before and after all pods are deleted",
        "[deployment] every pod serves the last writer's name, before and after deletion",
    ):
        assert checks[name].verdict == INCONCLUSIVE and error in checks[name].observed


def test_a_claim_created_after_its_ordinals_first_pod_is_named_a_new_empty_claim() -> None:
    """www-web-sts-1 was deleted while web-sts-1 ran; when the pod came back the
    StatefulSet made a new claim of the same name, younger than the pod's first life."""
    renewed = [replace(c, created="2026-11-26T10:03:00Z") if c.name == "www-web-sts-1" else c for c in CLAIMS]
    (per_ordinal, *_) = check_claims(E, STS, DEP, renewed, CREATED)
    assert "a new, empty claim" in per_ordinal.observed and "www-web-sts-1" in per_ordinal.observed
    first = [replace(c, created="2026-11-26T09:59:59Z") for c in CLAIMS]
    (untouched, *_) = check_claims(E, STS, DEP, first, CREATED)
    assert "a new, empty claim" not in untouched.observed


# --- storage: what each verdict rests on -------------------------------------------


def with_claim(name: str, **changes: object) -> list[ClaimFacts]:
    return [replace(c, **changes) if c.name == name else c for c in CLAIMS]  # type: ignore[arg-type]


def test_the_per_ordinal_claims_evidence_names_each_claim_its_node_path_and_mounts() -> None:
    check = check_claims(E, STS, DEP, CLAIMS)[0]
    uid = UIDS["www-web-sts-0"]
    assert check.expected == "www-web-sts-0, www-web-sts-1 Bound and not being deleted, each mounted by its pod"
    assert f"www-web-sts-0: Bound on lab-node at {PATH.format(uid, 'www-web-sts-0')}" in check.observed
    assert check.observed.endswith("mounts: web-sts-0: www-web-sts-0, web-sts-1: www-web-sts-1")


def test_a_claim_missing_being_deleted_or_mounted_by_another_pod_fails_the_per_ordinal_check() -> None:
    missing = check_claims(E, STS, DEP, [c for c in CLAIMS if c.name != "www-web-sts-1"])[0]
    assert (missing.verdict, "www-web-sts-1: missing" in missing.observed) == (FAILED, True)
    deleting = check_claims(E, STS, DEP, with_claim("www-web-sts-1", deleting_since="2026-11-26T10:05:00Z"))[0]
    assert deleting.verdict == FAILED
    assert "BEING DELETED since 2026-11-26T10:05:00Z" in deleting.observed
    swapped = [STS[0], replace(STS[1], claims=["www-web-sts-0"])]
    crossed = check_claims(E, swapped, DEP, CLAIMS)[0]
    assert (crossed.verdict, "web-sts-1: www-web-sts-0" in crossed.observed) == (FAILED, True)
    unmounted = check_claims(E, [STS[0], replace(STS[1], claims=[])], DEP, CLAIMS)[0]
    assert (unmounted.verdict, "web-sts-1: none" in unmounted.observed) == (FAILED, True)


def test_without_statefulset_pods_the_per_ordinal_check_names_the_claims_it_would_want() -> None:
    check = check_claims(E, [], DEP, CLAIMS)[0]
    assert (check.verdict, check.expected) == (NOT_APPLICABLE, "www-web-sts-0, www-web-sts-1 Bound")
    assert check_claims(replace(E, replicas=0), [], DEP, CLAIMS)[0].expected == "no claims"


def test_the_shared_claim_must_be_bound_and_mounted_by_every_deployment_pod() -> None:
    check = check_claims(E, STS, DEP, CLAIMS)[1]
    assert check.expected == "www-web-dep Bound and mounted by all 2 pods"
    assert check.observed.endswith(f"mounts: {DEP[0].name}: www-web-dep, {DEP[1].name}: www-web-dep")
    unmounted = check_claims(E, STS, [DEP[0], replace(DEP[1], claims=[])], CLAIMS)[1]
    assert (unmounted.verdict, f"{DEP[1].name}: none" in unmounted.observed) == (FAILED, True)
    deleting = check_claims(E, STS, DEP, with_claim("www-web-dep", deleting_since="2026-11-26T10:05:00Z"))[1]
    assert deleting.verdict == FAILED
    missing = check_claims(E, STS, DEP, [c for c in CLAIMS if c.name != "www-web-dep"])[1]
    assert (missing.verdict, missing.observed.startswith("www-web-dep: missing")) == (FAILED, True)


def test_a_deployment_pod_not_placed_yet_leaves_the_node_check_inconclusive() -> None:
    waiting = check_claims(E, STS, [DEP[0], replace(DEP[1], node="")], CLAIMS)[2]
    assert waiting.verdict == INCONCLUSIVE
    assert waiting.expected == "every pod on lab-node"
    assert waiting.observed == f"{DEP[0].name}: lab-node, {DEP[1].name}: not scheduled"
    missing = check_claims(E, STS, DEP, [c for c in CLAIMS if c.name != "www-web-dep"])[2]
    assert missing.observed.startswith("www-web-dep: no such claim; pods: ")


def test_each_volume_directory_is_judged_against_its_own_claims_uid_namespace_and_name() -> None:
    passing = check_claims(E, STS, DEP, CLAIMS)[3]
    assert f"www-web-sts-1 (uid {UIDS['www-web-sts-1']}): " in passing.observed
    other_namespace = PATH.replace("_default_", "_other_").format(UIDS["www-web-dep"], "www-web-dep")
    assert check_claims(E, STS, DEP, with_claim("www-web-dep", host_path=other_namespace))[3].verdict == FAILED
    other_claim = PATH.format(UIDS["www-web-dep"], "www-web-sts-0")
    assert check_claims(E, STS, DEP, with_claim("www-web-dep", host_path=other_claim))[3].verdict == FAILED
    no_path = check_claims(E, STS, DEP, with_claim("www-web-dep", host_path=None))[3]
    assert (no_path.verdict, "www-web-dep: no host path" in no_path.observed) == (FAILED, True)
    borrowed = check_claims(E, STS, DEP, with_claim("www-web-dep", uid=UIDS["www-web-sts-0"]))[3]
    assert borrowed.verdict == FAILED
    assert f"but the claim's uid is {UIDS['www-web-sts-0']}: another claim's directory" in borrowed.observed
    unrecorded = check_claims(E, STS, DEP, with_claim("www-web-dep", uid=""))[3]
    assert unrecorded.verdict == INCONCLUSIVE
    assert "(the claim's uid was not recorded, so not compared)" in unrecorded.observed
    pending = check_claims(E, STS, DEP, with_claim("www-web-sts-1", phase="Pending"))[3]
    assert (pending.verdict, pending.observed.endswith("; not Bound yet: www-web-sts-1")) == (PASSED, True)


def test_on_the_lab_cluster_a_volume_directory_missing_from_its_nodes_disk_fails() -> None:
    """The path in the API says nothing of the disk: a directory removed on the
    node behind Kubernetes' back fails; one seen there is named as seen."""
    seen = check_claims(E, STS, DEP, [replace(c, on_disk=True) for c in CLAIMS])[3]
    assert seen.verdict == PASSED
    assert f"www-web-sts-1 (uid {UIDS['www-web-sts-1']}): " in seen.observed
    assert seen.observed.count("a directory on lab-node's disk") == len(CLAIMS)
    removed = check_claims(E, STS, DEP, with_claim("www-web-sts-1", on_disk=False))[3]
    assert removed.verdict == FAILED
    assert "www-web-sts-1" in removed.observed and "but no such directory on lab-node's disk" in removed.observed
    not_looked = check_claims(E, STS, DEP, CLAIMS)[3]
    assert not_looked.verdict == PASSED
    assert not_looked.observed == seen.observed.replace(", a directory on lab-node's disk", "")


def test_each_claims_volume_must_be_on_its_pods_node() -> None:
    assert check_volume_nodes(E, STS, CLAIMS)[0].observed == (
        "web-sts-0 on lab-node, www-web-sts-0 on lab-node; web-sts-1 on lab-node, www-web-sts-1 on lab-node"
    )
    away = check_volume_nodes(E, [STS[0], replace(STS[1], node="lab-worker-1")], CLAIMS)[0]
    assert (away.verdict, "web-sts-1 on lab-worker-1, www-web-sts-1 on lab-node" in away.observed) == (FAILED, True)
    no_claim = check_volume_nodes(E, STS, [c for c in CLAIMS if c.name != "www-web-sts-1"])[0]
    assert (no_claim.verdict, "web-sts-1: no claim www-web-sts-1" in no_claim.observed) == (INCONCLUSIVE, True)
    not_local = check_volume_nodes(E, STS, with_claim("www-web-sts-1", node=None))[0]
    assert not_local.verdict == INCONCLUSIVE
    assert "web-sts-1 on lab-node: www-web-sts-1 has no node affinity (not node-local)" in not_local.observed
    unplaced = check_volume_nodes(E, [STS[0], replace(STS[1], node="")], CLAIMS)[0]
    assert unplaced.verdict == INCONCLUSIVE
    assert "web-sts-1: not scheduled; www-web-sts-1 on lab-node" in unplaced.observed
    away_and_unknown = [replace(STS[0], node="lab-worker-1"), replace(STS[1], node="")]
    assert check_volume_nodes(E, away_and_unknown, CLAIMS)[0].verdict == FAILED
    assert check_volume_nodes(E, [], CLAIMS)[0].verdict == NOT_APPLICABLE


def test_the_deployments_pages_must_all_be_the_last_writers_before_and_after() -> None:
    run = StableStorageRun(
        last_writer=DEP[1].name,
        before={"web-sts-0": "web-sts-0", DEP[0].name: DEP[1].name, DEP[1].name: DEP[1].name},
        after={"web-sts-0": "web-sts-0", "web-dep-5d9c7b4f6-new01": DEP[1].name},
    )
    sts_check, dep_check = check_stable_storage(E, run)
    assert sts_check.observed == "before: web-sts-0: 'web-sts-0'; after: web-sts-0: 'web-sts-0'"
    assert dep_check.expected == f"all pages == {DEP[1].name!r}"
    assert dep_check.observed.endswith(f"after: web-dep-5d9c7b4f6-new01: {DEP[1].name!r}")
    own_page_before = replace(run, before={**run.before, DEP[0].name: DEP[0].name})
    assert check_stable_storage(E, own_page_before)[1].verdict == FAILED
    own_page_after = replace(run, after={**run.after, "web-dep-5d9c7b4f6-new01": "web-dep-5d9c7b4f6-new01"})
    assert check_stable_storage(E, own_page_after)[1].verdict == FAILED
    none_after = check_stable_storage(E, replace(run, after={"web-sts-0": "web-sts-0"}))[1]
    assert (none_after.verdict, none_after.observed.endswith("after: no pods")) == (FAILED, True)
    lost_before = check_stable_storage(E, replace(run, before={**run.before, "web-sts-0": "web-dep"}))[0]
    assert lost_before.verdict == FAILED


def test_claims_kept_by_a_scale_in_must_still_be_bound_and_deleted_ones_gone() -> None:
    three = replace(E, replicas=3)
    removed = [ev("web-sts-4", "deleted", 10), ev("web-sts-3", "deleted", 12)]
    claims = [*CLAIMS, *(replace(CLAIMS[1], name=f"www-web-sts-{i}") for i in (3, 4))]
    kept = check_scale_in_claims(three, removed, claims)[0]
    assert kept.expected == "www-web-sts-3, www-web-sts-4 still exist, Bound to their volumes"
    assert kept.observed == "www-web-sts-3: Bound, www-web-sts-4: Bound"
    one_gone = check_scale_in_claims(three, removed, claims[:-1])[0]
    assert (one_gone.verdict, one_gone.observed) == (FAILED, "www-web-sts-3: Bound, www-web-sts-4: gone")
    deleting = replace(three, pvc_retention_when_scaled="Delete")
    still_there = check_scale_in_claims(deleting, removed, claims[:-1])[0]
    assert (still_there.verdict, still_there.expected) == (FAILED, "www-web-sts-3, www-web-sts-4 gone")
    assert check_scale_in_claims(deleting, removed, CLAIMS)[0].verdict == PASSED


# --- DNS: what each verdict rests on ------------------------------------------------

STRANGER = replace(sts_pod(7, "2026-11-26T10:00:07Z", "2026-11-26T10:00:08Z"), name="stranger", ordinal=None)


def test_a_pod_without_a_record_is_not_judged_and_the_evidence_says_why() -> None:
    unready = replace(STS[1], ready=False, ready_since=None)
    checks = check_dns(E, observation(statefulset_pods=[STS[0], unready]))
    assert checks[0].verdict == INCONCLUSIVE
    assert "not judged: web-sts-1 is not Ready (" in checks[0].observed
    assert "a headless Service publishes Ready pods only" in checks[0].observed
    leaving = check_dns(E, observation(statefulset_pods=[STS[0], replace(STS[1], terminating=True)]))[0]
    assert "not judged: web-sts-1 is terminating" in leaving.observed
    no_ip = check_dns(E, observation(statefulset_pods=[STS[0], replace(STS[1], ip="", ready=False)]))
    assert "not judged: web-sts-1 has no IP (" in no_ip[0].observed
    assert no_ip[3].verdict == INCONCLUSIVE
    assert "not judged: web-sts-1 has no IP" in no_ip[3].observed


def test_a_dns_probe_that_never_ran_leaves_every_check_inconclusive_with_its_error() -> None:
    checks = check_dns(E, observation(dns=[], dns_error="the DNS pod did not start"))
    assert [c.verdict for c in checks] == [INCONCLUSIVE] * 7
    assert all("the DNS pod did not start" in c.observed for c in checks)


def test_without_pods_the_dns_checks_have_nothing_to_judge() -> None:
    checks = check_dns(
        replace(E, replicas=0, deployment_replicas=0), observation(statefulset_pods=[], deployment_pods=[])
    )
    assert [c.verdict for c in checks] == [NOT_APPLICABLE] * 7


def test_the_lookups_are_named_with_their_answers() -> None:
    checks = check_dns(E, observation())
    assert checks[1].observed.startswith(f"{DEP[0].name}.nginx-dep: not found (nslookup: can't resolve")
    assert "10-244-0-20.nginx-dep -> 10.244.0.20" in checks[2].observed
    assert "10-244-0-10.nginx-sts: not found" in checks[3].observed
    assert "under nginx-sts" in checks[3].expected


def test_a_statefulset_pods_dashed_ip_that_resolves_under_its_service_fails() -> None:
    dashed = "10-244-0-11.nginx-sts"
    answered = [DnsLookup(dashed, 0, ["10.244.0.11"], RESOLVED) if d.query == dashed else d for d in seed_dns()]
    assert check_dns(E, observation(dns=answered))[3].verdict == FAILED


def test_each_services_own_name_must_answer_exactly_its_workloads_ready_pods() -> None:
    sts_service, dep_service = check_dns(E, observation())[4:6]
    assert (
        sts_service.expected
        == "nginx-sts -> the IPs of the StatefulSet's Ready pods, no others (10.244.0.10, 10.244.0.11)"
    )
    assert dep_service.expected.startswith("nginx-dep -> the IPs of the Deployment's Ready pods")
    short = [replace(d, addresses=["10.244.0.10"]) if d.query == "nginx-sts" else d for d in seed_dns()]
    assert check_dns(E, observation(dns=short))[4].verdict == FAILED
    errored = [replace(d, outcome=LOOKUP_ERROR, addresses=[]) if d.query == "nginx-sts" else d for d in seed_dns()]
    assert check_dns(E, observation(dns=errored))[4].verdict == INCONCLUSIVE


def test_a_pod_that_is_not_ready_drops_out_of_its_services_answer() -> None:
    unready = replace(STS[1], ready=False, ready_since=None)
    pods = [STS[0], unready]
    check = check_dns(E, observation(statefulset_pods=pods, dns=seed_dns(sts=pods)))[4]
    assert check.verdict == PASSED
    assert "not Ready, so left out: web-sts-1 (" in check.observed


def test_a_stranger_with_the_label_that_the_service_answers_for_fails_and_is_named() -> None:
    answers = [
        replace(d, addresses=["10.244.0.10", "10.244.0.11", STRANGER.ip]) if d.query == "nginx-sts" else d
        for d in seed_dns()
    ]
    check = check_dns(E, observation(strangers=[STRANGER], dns=answers))[4]
    assert check.verdict == FAILED
    assert (
        f"pods with its label that the StatefulSet does not own: stranger ({STRANGER.ip}, owner none, "
        in check.observed
    )
    assert "the Service routes to the Ready ones" in check.observed
    assert "the answer holds pods the lab did not make" in check.observed
    not_answered = check_dns(E, observation(strangers=[STRANGER]))[4]
    assert not_answered.verdict == PASSED


# --- pods: what each verdict rests on -----------------------------------------------


def test_a_terminating_statefulset_pod_keeps_its_name_and_is_marked() -> None:
    leaving = replace(STS[1], terminating=True)
    sts_names, _ = check_pod_names(E, [STS[0]], DEP, [leaving])
    assert (sts_names.verdict, sts_names.observed) == (PASSED, "web-sts-0, web-sts-1 (terminating)")
    dep_leaving = check_pod_names(E, STS, DEP, [replace(DEP[0], terminating=True)])[0]
    assert dep_leaving.observed == "web-sts-0, web-sts-1"


def test_without_a_statefulset_its_labelled_pods_are_listed_not_judged() -> None:
    sts_names, _ = check_pod_names(E, STS, DEP, (), statefulset_exists=False)
    assert sts_names.verdict == NOT_APPLICABLE
    assert sts_names.observed == "no StatefulSet web-sts keeps names now; pods with its label: web-sts-0, web-sts-1"
    assert sts_names.expected == "web-sts-0, web-sts-1"
    zero = check_pod_names(replace(E, replicas=0), [], DEP)[0]
    assert (zero.verdict, zero.expected) == (NOT_APPLICABLE, "no pods")


def test_deployment_names_need_the_replica_count_unless_a_rollout_runs_a_surge_pod() -> None:
    _, two = check_pod_names(E, STS, DEP)
    assert two.expected == "2 pods named web-dep-<hash>-<5 chars>"
    surge = replace(DEP[0], name="web-dep-7f8e9d0c1-klmno", revision="7f8e9d0c1")
    _, rolling = check_pod_names(E, STS, [*DEP, surge])
    assert rolling.verdict == PASSED
    assert rolling.observed.endswith("(3 pods for 2 replicas: a rollout in progress)")
    _, extra = check_pod_names(E, STS, [*DEP, replace(DEP[0], name="web-dep-5d9c7b4f6-klmno")])
    assert extra.verdict == FAILED
    _, missing = check_pod_names(E, STS, DEP[:1])
    assert missing.verdict == FAILED
    _, long_suffix = check_pod_names(E, STS, [DEP[0], replace(DEP[1], name="web-dep-5d9c7b4f6-abcdef")])
    assert long_suffix.verdict == FAILED
    _, zero = check_pod_names(replace(E, deployment_replicas=0), STS, [])
    assert zero.verdict == NOT_APPLICABLE
    _, stray = check_pod_names(replace(E, deployment_replicas=0), STS, DEP[:1])
    assert stray.verdict == FAILED


def test_the_hostname_evidence_names_each_pods_answer_or_why_there_is_none() -> None:
    sts_check, _ = check_hostnames(E, [STS[0], replace(STS[1], hostname=None, hostname_error="exec timed out")], DEP)
    assert sts_check.observed == "web-sts-0: web-sts-0, web-sts-1: not read (exec timed out)"
    wrong_and_unread = [replace(STS[0], hostname="web-sts-9"), replace(STS[1], hostname=None)]
    assert check_hostnames(E, wrong_and_unread, DEP)[0].verdict == FAILED


def test_a_partition_holding_ordinals_names_the_updated_and_the_held_pods() -> None:
    e = replace(E, partition=1)
    updated = replace(STS_FACTS, update_revision="web-sts-r2", current_revision="web-sts-r1")
    pods = [STS[0], replace(STS[1], revision="web-sts-r2")]
    (check,) = check_partition(e, updated, pods)
    assert check.name == "ordinals >= partition (1) run the new revision, the others keep theirs"
    assert check.verdict == PASSED
    assert "updated: web-sts-1: registry.k8s.io/nginx-slim:0.24 @web-sts-r2" in check.observed
    assert "held: web-sts-0 @web-sts-r1, not the update revision web-sts-r2" in check.observed
    assert check.expected.startswith("ordinals 1.. on registry.k8s.io/nginx-slim:0.24 @web-sts-r2")
    (old_image,) = check_partition(e, updated, [STS[0], replace(STS[1], revision="web-sts-r2", image="nginx:old")])
    assert old_image.verdict == FAILED
    (short,) = check_partition(e, updated, [STS[0]])
    assert (short.verdict, short.observed.endswith("; 1 pods for 2 replicas")) == (FAILED, True)


def test_a_start_ordinal_moves_the_partition_and_names_it() -> None:
    e = replace(E, partition=1, ordinals_start=3)
    shifted = [replace(p, ordinal=i + 3, name=f"web-sts-{i + 3}") for i, p in enumerate(STS)]
    (check,) = check_partition(e, STS_FACTS, shifted)
    assert check.name == "ordinals >= start + partition (4) run the new revision, the others keep theirs"


def test_a_partition_over_an_unchanged_template_has_nothing_to_hold() -> None:
    only_one = [Revision("web-sts-r1", 1, "2026-11-26T09:59:59Z")]
    (check,) = check_partition(replace(E, partition=2), STS_FACTS, STS, (), only_one)
    assert check.verdict == NOT_APPLICABLE
    assert check.observed.endswith("; the template has not changed, so the partition had nothing to hold")
    (no_pods,) = check_partition(E, STS_FACTS, [])
    assert no_pods.verdict == NOT_APPLICABLE


def test_a_single_pod_scale_in_shows_no_order() -> None:
    (check,) = check_scale_in_order(replace(E, replicas=3), [ev("web-sts-3", "deleted", 10)])
    assert (check.verdict, check.observed) == (NOT_APPLICABLE, "web-sts-3; one pod removed: no order to show")


def test_a_scale_in_in_one_second_cannot_tell_its_order() -> None:
    events = [ev("web-sts-4", "deleted", 10), ev("web-sts-3", "deleted", 10)]
    (check,) = check_scale_in_order(replace(E, replicas=3), events)
    assert check.verdict == INCONCLUSIVE
    assert "web-sts-3 deleted in the same second as web-sts-4" in check.observed
    spaced = [ev("web-sts-4", "deleted", 10), kubelet("web-sts-4", "killing", 10), ev("web-sts-3", "deleted", 12)]
    (passing,) = check_scale_in_order(replace(E, replicas=3), spaced)
    assert passing.verdict == PASSED
    assert "web-sts-3 deleted at 2026-11-26T10:01:12Z, after web-sts-4 went at 2026-11-26T10:01:10Z" in passing.observed


def audit_delete(pod: str, time: str, user: str = "system:serviceaccount:kube-system:statefulset-controller") -> Action:
    return Action(time, "deleted", "pod", pod, "the StatefulSet controller", user)


SAME_SECOND = [ev("web-sts-4", "deleted", 10), ev("web-sts-3", "deleted", 10)]
"""A scale-in whose two deletion events share a second."""


def judged_with_audit(*deletes: tuple[str, str]) -> Check:
    """The scale-in order of SAME_SECOND, with the audit log's delete requests (pod, time)."""
    actions = [audit_delete(pod, time) for pod, time in deletes]
    (check,) = check_scale_in_order(replace(E, replicas=3), SAME_SECOND, actions)
    return check


def test_the_audit_log_orders_a_scale_in_whose_deletions_share_a_second() -> None:
    """A fast pod stops within a second, so the events put web-sts-4 and web-sts-3
    in one second; the audit log's request times, to the microsecond, order them."""
    check = judged_with_audit(
        ("web-sts-4", "2026-11-26T10:01:10.104000Z"), ("web-sts-3", "2026-11-26T10:01:10.871000Z")
    )
    assert check.verdict == PASSED
    assert (
        "web-sts-3 deleted in the same second as web-sts-4, but after it: the audit log has web-sts-4 deleted at "
        "10:01:10.104000, web-sts-3 at 10:01:10.871000" in check.observed
    )
    # The wrong cluster: its controller deleted web-sts-3 first, within the same second.
    wrong = judged_with_audit(
        ("web-sts-3", "2026-11-26T10:01:10.104000Z"), ("web-sts-4", "2026-11-26T10:01:10.871000Z")
    )
    assert wrong.verdict == FAILED
    assert "web-sts-3 deleted before web-sts-4: the audit log has" in wrong.observed


def test_a_delete_request_at_the_very_start_of_the_events_second_counts() -> None:
    check = judged_with_audit(("web-sts-4", "2026-11-26T10:01:10Z"), ("web-sts-3", "2026-11-26T10:01:10.400000Z"))
    assert check.verdict == PASSED


def test_the_audit_log_cannot_order_what_it_does_not_hold_or_puts_at_one_instant() -> None:
    events = [ev("web-sts-4", "deleted", 10), ev("web-sts-3", "deleted", 10)]
    recreated = Action("2026-11-26T10:01:09.95Z", "created", "pod", "web-sts-4", "the StatefulSet controller")
    for actions in (
        [audit_delete("web-sts-4", "2026-11-26T10:01:10.104000Z")],
        [audit_delete("web-sts-4", "2026-11-26T10:01:10.5Z"), audit_delete("web-sts-3", "2026-11-26T10:01:10.5Z")],
        # A delete before the pod was created again is a past life's, not this scale-in's.
        [
            audit_delete("web-sts-4", "2026-11-26T10:01:09.9Z"),
            recreated,
            audit_delete("web-sts-3", "2026-11-26T10:01:10.1Z"),
        ],
    ):
        (check,) = check_scale_in_order(replace(E, replicas=3), events, actions)
        assert check.verdict == INCONCLUSIVE, actions
        assert "the order cannot tell" in check.observed


def test_a_delete_request_from_the_second_before_its_event_is_this_lifes() -> None:
    """Seen on a busy lab cluster: the controller's request at 18:20:56.045, its
    event stamped 18:20:57 once the request had returned."""
    events = [ev("web-sts-4", "deleted", 57), ev("web-sts-3", "deleted", 57)]
    actions = [
        audit_delete("web-sts-4", "2026-11-26T10:01:56.045Z"),
        audit_delete("web-sts-4", "2026-11-26T10:01:57.459Z", "system:node:lab-worker-0"),
        audit_delete("web-sts-3", "2026-11-26T10:01:57.464Z"),
    ]
    (check,) = check_scale_in_order(replace(E, replicas=3), events, actions)
    assert check.verdict == PASSED, check.observed


def replica_set_event(pod: str, reason: str, time: str) -> LifecycleEvent:
    return LifecycleEvent(pod, reason, time, 0, object_kind="ReplicaSet", object_name="web-dep-5d9c7b4f6")


def test_the_deployment_scales_in_within_a_second_or_fails() -> None:
    together = [
        replica_set_event(f"web-dep-5d9c7b4f6-{s}", "deleted", "2026-11-26T10:02:00Z") for s in ("aaaaa", "bbbbb")
    ]
    (check,) = check_deployment_scale_in(E, DEP, together)
    assert (check.verdict, check.observed) == (
        PASSED,
        "web-dep-5d9c7b4f6-aaaaa, web-dep-5d9c7b4f6-bbbbb deleted within 0 s",
    )
    apart = [together[0], replace(together[1], time="2026-11-26T10:02:05Z")]
    (slow,) = check_deployment_scale_in(E, DEP, apart)
    assert (slow.verdict, slow.observed.endswith("deleted within 5 s")) == (FAILED, True)
    assert check_deployment_scale_in(E, DEP, together[:1]) == []
    other_replica_set = [replace(x, pod=x.pod.replace("5d9c7b4f6", "0a1b2c3d4")) for x in together]
    assert check_deployment_scale_in(E, DEP, other_replica_set) == []


def test_only_deletions_after_the_replica_sets_last_creation_are_a_scale_in() -> None:
    earlier = [
        replica_set_event(f"web-dep-5d9c7b4f6-{s}", "deleted", f"2026-11-26T10:0{i}:00Z")
        for i, s in enumerate(("aaaaa", "bbbbb"))
    ]
    created = replica_set_event("web-dep-5d9c7b4f6-ccccc", "created", "2026-11-26T10:05:00Z")
    assert check_deployment_scale_in(E, DEP, [*earlier, created]) == []


# --- the report's topics and the pods each check names -------------------------------


def test_each_check_is_filed_under_the_report_topic_of_what_it_shows() -> None:
    spread = replace(E, spread_across_nodes=True)
    scaled_in = [ev("web-sts-3", "deleted", 10), ev("web-sts-2", "deleted", 12)]
    checks = evaluate(replace(spread, replicas=2), observation(events=[*CREATED, *scaled_in]))
    topic = {f"[{c.workload}] {c.name}": c.topic for c in checks}
    assert topic["[statefulset] the StatefulSet exists"] == "deletion"
    assert topic["[statefulset] pod names are <statefulset>-<ordinal>"] == "ordering"
    assert topic["[statefulset] OrderedReady creates each pod after its predecessor is Ready"] == "ordering"
    assert topic["[statefulset] hostname is the pod name"] == "identity"
    assert topic["[statefulset] <pod>.<service> resolves to the pod's IP"] == "identity"
    assert topic["[statefulset] one Bound claim per ordinal, mounted by its pod"] == "storage"
    assert topic["[statefulset] each claim's volume is on its pod's node"] == "storage"
    assert topic["[statefulset] pods are spread across nodes (topology spread on kubernetes.io/hostname)"] == "nodes"
    assert topic["[statefulset] ordinals >= partition (0) run the new revision, the others keep theirs"] == "updates"
    assert topic["[statefulset] scale-in removes the highest ordinal first, one at a time"] == "scaling"
    assert topic["[statefulset] claims of removed ordinals are kept, still Bound"] == "scaling"


def test_a_check_names_the_pods_its_evidence_mentions_and_no_pod_whose_name_only_begins_alike() -> None:
    """web-sts-1 is a stranger with the label; the hostname check speaks of web-sts-0 and web-sts-10 only."""
    tenth = replace(STS[1], name="web-sts-10", ordinal=10, ip="10.244.0.30", hostname="web-sts-10")
    checks = by_name(evaluate(E, observation(statefulset_pods=[STS[0], tenth], strangers=[STS[1]])))
    assert checks["[statefulset] hostname is the pod name"].pods == ["web-sts-0", "web-sts-10"]
    assert checks["[deployment] hostname is the pod name"].pods == [p.name for p in DEP]
    assert checks["[statefulset] the StatefulSet exists"].pods == []


def test_what_the_listing_did_not_record_of_a_workload_shows_as_a_question_mark() -> None:
    sts_exists, dep_exists = check_workloads_exist(E, observation())
    assert sts_exists.expected == "StatefulSet web-sts in namespace default"
    assert sts_exists.observed == "web-sts: uid ?, generation 0, created ?"
    assert dep_exists.observed == "web-dep: uid ?, generation 1"


# --- DNS: which workload, which lookup, which control the evidence names -------------


def test_dns_checks_without_pods_name_their_own_workload_and_its_replicas() -> None:
    """Three StatefulSet replicas and two Deployment replicas asked for, no pod
    listed (every pod deleted a moment ago): each check says whose pods are missing."""
    e = replace(E, replicas=3, deployment_replicas=2)
    checks = check_dns(e, observation(statefulset_pods=[], deployment_pods=[]))
    assert [c.verdict for c in checks] == [NOT_APPLICABLE] * 7
    for check in checks:
        kind, replicas = ("StatefulSet", 3) if check.workload == "statefulset" else ("Deployment", 2)
        assert f"no {kind} pods (replicas {replicas})" in check.observed, check.name


def test_a_pod_record_check_shows_the_control_only_when_it_did_not_answer() -> None:
    """Without the control's answer a missing record proves nothing: the evidence
    shows the control's lookup beside the pods'. With it, the records speak alone."""
    no_control = [d for d in seed_dns() if d.query != CONTROL_QUERY]
    sts_names = check_dns(E, observation(dns=no_control))[0]
    assert f"control {CONTROL_QUERY}: not looked up" in sts_names.observed
    assert "control" not in check_dns(E, observation())[0].observed
    dep_names = check_dns(E, observation())[1]
    assert dep_names.observed.endswith(f"; control {CONTROL_QUERY} -> 10.96.0.1")


def test_a_services_name_check_shows_the_services_own_answer() -> None:
    sts_service, dep_service = check_dns(E, observation())[4:6]
    assert sts_service.observed == "nginx-sts -> 10.244.0.10, 10.244.0.11"
    assert dep_service.observed == "nginx-dep -> 10.244.0.20, 10.244.0.21"


def test_a_stranger_without_an_ip_is_not_said_to_be_routed_to() -> None:
    pending = replace(STRANGER, ip="", ready=False, ready_since=None)
    check = check_dns(E, observation(strangers=[pending]))[4]
    assert "stranger (no IP, owner none" in check.observed
    assert "routes to" not in check.observed


def test_a_service_without_ready_pods_whose_name_was_not_found_is_inconclusive_without_the_control() -> None:
    """No StatefulSet pod is Ready, nginx-sts is not found and the control did
    not answer either: the empty answer may be DNS failing, not the Service."""
    unready = [replace(p, ready=False, ready_since=None) for p in STS]
    lookups = [not_found("nginx-sts")]
    check = check_dns(E, observation(statefulset_pods=unready, dns=lookups))[4]
    assert check.verdict == INCONCLUSIVE
    assert f"control {CONTROL_QUERY}: not looked up" in check.observed


# --- storage: which workload, claim and pod the evidence names ------------------------

NO_PODS = replace(E, replicas=3, deployment_replicas=2)
"""Three StatefulSet and two Deployment replicas asked for, no pod of either listed."""


def test_storage_checks_without_pods_name_their_own_workload_and_its_replicas() -> None:
    run = StableStorageRun(last_writer="", before={}, after={})
    checks = [
        *check_claims(NO_PODS, [], [], CLAIMS),
        *check_volume_nodes(NO_PODS, [], CLAIMS),
        *check_stable_storage(NO_PODS, run),
    ]
    assert [c.verdict for c in checks] == [NOT_APPLICABLE] * 3 + [PASSED] + [NOT_APPLICABLE] * 3
    for check in checks:
        if check.verdict == NOT_APPLICABLE:
            kind, replicas = ("StatefulSet", 3) if check.workload == "statefulset" else ("Deployment", 2)
            assert f"no {kind} pods (replicas {replicas})" in check.observed, check.name
            assert check.expected, check.name


def test_a_stable_storage_run_with_only_one_workloads_pods_leaves_the_other_not_applicable() -> None:
    only_sts = StableStorageRun(last_writer="", before={"web-sts-0": "web-sts-0"}, after={"web-sts-0": "web-sts-0"})
    sts_check, dep_check = check_stable_storage(NO_PODS, only_sts)
    assert (sts_check.verdict, dep_check.verdict) == (PASSED, NOT_APPLICABLE)
    assert "no Deployment pods (replicas 2)" in dep_check.observed
    only_dep = StableStorageRun(last_writer=DEP[0].name, before={DEP[0].name: DEP[0].name}, after={})
    sts_check, dep_check = check_stable_storage(NO_PODS, only_dep)
    assert (sts_check.verdict, dep_check.verdict) == (NOT_APPLICABLE, FAILED)
    assert "no StatefulSet pods (replicas 3)" in sts_check.observed


def test_a_pod_that_served_nothing_after_the_deletion_shows_an_empty_page() -> None:
    run = StableStorageRun(last_writer="", before={"web-sts-0": "web-sts-0"}, after={})
    (sts_check, _) = check_stable_storage(E, run)
    assert sts_check.verdict == FAILED and sts_check.observed.endswith("after: web-sts-0: ''")


def test_a_broken_off_stable_storage_run_still_says_what_was_expected() -> None:
    for check in check_stable_storage(E, None, "pods of app=nginx-sts did not all come back Ready within 120s"):
        assert check.verdict == INCONCLUSIVE and check.expected == "the stable-storage run to finish"


def test_a_claim_being_deleted_is_still_named_with_its_phase_and_node() -> None:
    deleting = [replace(c, deleting_since="2026-11-26T10:03:00Z") if c.name == "www-web-sts-1" else c for c in CLAIMS]
    (per_ordinal, *_) = check_claims(E, STS, DEP, deleting)
    assert per_ordinal.verdict == FAILED
    assert "www-web-sts-1: Bound on lab-node at /opt/local-path-provisioner/pvc-2d3e4f50" in per_ordinal.observed
    assert "BEING DELETED since 2026-11-26T10:03:00Z" in per_ordinal.observed


def test_claims_made_with_their_pods_are_not_called_new() -> None:
    """Each claim created in the second its own pod was (web-sts-1's two seconds
    after web-sts-0): none is younger than its own pod's first life."""
    with_pods = [replace(c, created=p.created) for c, p in zip(CLAIMS[1:], STS, strict=True)]
    (per_ordinal, *_) = check_claims(E, STS, DEP, [CLAIMS[0], *with_pods], CREATED)
    assert per_ordinal.verdict == PASSED
    assert [part.split(":")[0] for part in per_ordinal.observed.split("; ")] == [
        "www-web-sts-0",
        "www-web-sts-1",
        "mounts",
    ]


def test_the_shared_claims_evidence_names_it_as_found() -> None:
    (_, shared, node_check, _) = check_claims(E, STS, DEP, CLAIMS)
    assert shared.verdict == PASSED and shared.observed.startswith("www-web-dep: Bound on lab-node at /opt/")
    assert node_check.verdict == PASSED


def test_a_pod_mounting_a_second_claim_shows_both() -> None:
    """An extra claim mounted beside the pod's own (or the shared one) breaks the
    lab's premise, and the evidence names both claims."""
    sts = [replace(STS[0], claims=["www-web-sts-0", "scratch"]), STS[1]]
    dep = [replace(DEP[0], claims=["www-web-dep", "scratch"]), DEP[1]]
    per_ordinal, shared, _, _ = check_claims(E, sts, dep, CLAIMS)
    assert per_ordinal.verdict == FAILED and "web-sts-0: www-web-sts-0+scratch" in per_ordinal.observed
    assert shared.verdict == FAILED and f"{DEP[0].name}: www-web-dep+scratch" in shared.observed


def test_a_shared_volume_without_node_affinity_leaves_the_node_check_inconclusive_for_the_deployment() -> None:
    unpinned = [replace(c, node=None) if c.name == "www-web-dep" else c for c in CLAIMS]
    (_, _, node_check, _) = check_claims(E, STS, DEP, unpinned)
    assert (node_check.workload, node_check.verdict) == ("deployment", INCONCLUSIVE)
    assert node_check.expected == "every pod on the volume's node"
    assert node_check.observed.startswith("www-web-dep: its volume has no node affinity")


def test_another_apps_pending_claim_is_not_the_labs_to_wait_for() -> None:
    foreign = replace(CLAIMS[0], name="data-db-0", phase="Pending", volume="", node=None, host_path=None, uid="")
    (*_, paths) = check_claims(E, STS, DEP, [*CLAIMS, foreign])
    assert paths.verdict == PASSED and "data-db-0" not in paths.observed


def test_a_claim_not_bound_yet_is_listed_after_the_volumes_that_were_judged() -> None:
    pending = [replace(c, phase="Pending") if c.name == "www-web-sts-1" else c for c in CLAIMS]
    (*_, paths) = check_claims(E, STS, DEP, pending)
    assert paths.observed.startswith("www-web-dep (uid 0b1c2d3e")
    assert paths.observed.endswith("; not Bound yet: www-web-sts-1")


# --- pods: which workload, pod and count the evidence names ------------------------------


def test_pod_checks_without_pods_name_their_own_workload_and_its_replicas() -> None:
    none_asked = replace(E, replicas=0, deployment_replicas=0, spread_across_nodes=True)
    checks = [
        *check_pod_names(none_asked, [], []),
        *check_creation_order(NO_PODS, [], []),
        *check_spread(replace(NO_PODS, spread_across_nodes=True), [], []),
        *check_partition(NO_PODS, STS_FACTS, []),
    ]
    assert [c.verdict for c in checks] == [NOT_APPLICABLE] * 5
    replicas = {"statefulset": 3, "deployment": 2}
    for check, kind in zip(
        checks, ["StatefulSet", "Deployment", "StatefulSet", "StatefulSet", "StatefulSet"], strict=True
    ):
        asked = 0 if check in checks[:2] else replicas[check.workload]
        assert f"no {kind} pods (replicas {asked})" in check.observed, check.name
        assert check.expected, check.name


def test_pods_listed_out_of_order_are_judged_in_ordinal_order() -> None:
    assert check_pod_names(E, [STS[1], STS[0]], DEP)[0].verdict == PASSED
    (partition,) = check_partition(E, STS_FACTS, [STS[1], STS[0]])
    assert partition.observed.startswith("updated: web-sts-0: ")


def test_a_partition_whose_pods_match_the_replicas_holds_nothing_else_in_its_evidence() -> None:
    (check,) = check_partition(E, STS_FACTS, STS)
    assert check.verdict == PASSED and check.observed.endswith("; held: none")


def test_a_partition_over_a_template_that_never_changed_still_names_the_held_pods() -> None:
    (check,) = check_partition(
        replace(E, partition=1), STS_FACTS, STS, revisions=[Revision("web-sts-r1", 1, "2026-11-26T09:59:59Z")]
    )
    assert check.verdict == NOT_APPLICABLE
    assert "held: web-sts-0 @web-sts-r1: the StatefulSet has had no other template" in check.observed


def test_a_held_pod_rolled_during_a_rollout_fails_even_while_a_pod_is_not_ready() -> None:
    """Partition 1 and a rollout to r-new still running (web-sts-1 not Ready):
    web-sts-0, below the partition, was created under r-new all the same."""
    e = replace(E, partition=1, image="registry.k8s.io/nginx-slim:0.21")
    facts = replace(STS_FACTS, current_revision="r-old", update_revision="r-new", partition=1)
    pods = [
        sts_pod(0, "2026-11-26T10:05:10Z", "2026-11-26T10:05:12Z", image=e.image, revision="r-new"),
        sts_pod(1, "2026-11-26T10:05:20Z", None, image=e.image, revision="r-new"),
    ]
    (check,) = check_partition(e, facts, pods, revisions=REVISIONS)
    assert check.verdict == FAILED


def test_a_partition_during_an_unfinished_rollout_waits_and_names_the_pods_not_ready() -> None:
    """Four replicas, three pods: web-sts-1 and web-sts-2 on r-new, not Ready yet."""
    e = replace(E, replicas=4, partition=1, image="registry.k8s.io/nginx-slim:0.21")
    facts = replace(STS_FACTS, replicas=4, current_revision="r-old", update_revision="r-new", partition=1)
    pods = [
        sts_pod(0, "2026-11-26T10:00:00Z", "2026-11-26T10:00:01Z", image=E.image, revision="r-old"),
        sts_pod(1, "2026-11-26T10:05:20Z", None, image=e.image, revision="r-new"),
        sts_pod(2, "2026-11-26T10:05:10Z", None, image=e.image, revision="r-new"),
    ]
    (check,) = check_partition(e, facts, pods, revisions=REVISIONS)
    assert check.verdict == INCONCLUSIVE
    assert check.observed.startswith("updated: web-sts-1: ")
    assert "3 pods for 4 replicas" in check.observed
    assert check.observed.endswith(
        "the rollout has not finished: web-sts-1, web-sts-2 not Ready (the rollout checks say why)"
    )


def test_an_unknown_pod_management_policy_is_not_judged() -> None:
    (check,) = check_creation_order(replace(E, pod_management_policy="Sequential"), STS, CREATED)
    assert (check.name, check.workload, check.verdict) == (
        "Parallel creates pods without waiting for each other",
        "statefulset",
        NOT_APPLICABLE,
    )
    assert check.expected and check.observed == "unknown policy Sequential"


def created_by_the_statefulset(pods: list[PodFacts]) -> list[LifecycleEvent]:
    """The StatefulSet controller's creation event of each pod, in the order given."""
    return [
        LifecycleEvent(p.name, "created", p.created, i, object_kind="StatefulSet", object_name="web-sts")
        for i, p in enumerate(pods)
    ]


def test_a_pod_created_six_seconds_after_its_predecessor_was_ready_was_asked_for_later() -> None:
    """Without minReadySeconds, OrderedReady creates the next pod within 5 s."""
    pods = [
        sts_pod(0, "2026-11-26T10:00:00Z", "2026-11-26T10:00:02Z"),
        sts_pod(1, "2026-11-26T10:00:08Z", "2026-11-26T10:00:10Z"),
    ]
    events = created_by_the_statefulset(pods)
    (check,) = check_creation_order(E, pods, events)
    assert check.verdict == NOT_APPLICABLE and "6 s after web-sts-0 was Ready" in check.observed


def test_a_creation_order_with_no_pod_judged_says_how_many_were() -> None:
    (check,) = check_creation_order(E, STS, [])
    assert check.verdict == NOT_APPLICABLE and "(0 of 2 pods judged)" in check.observed


def test_web_sts_0_created_after_web_sts_1_was_ready_is_out_of_ordinal_order() -> None:
    pods = [
        sts_pod(1, "2026-11-26T10:00:00Z", "2026-11-26T10:00:02Z"),
        sts_pod(0, "2026-11-26T10:00:04Z", "2026-11-26T10:00:06Z"),
    ]
    events = created_by_the_statefulset(pods)
    (check,) = check_creation_order(E, pods, events)
    assert check.verdict == FAILED
    assert check.observed.startswith("web-sts-0 after web-sts-1 was Ready")
    assert "out of ordinal order: web-sts-0 created after web-sts-1" in check.observed


def test_a_pod_on_a_node_that_takes_no_pods_is_shown_with_that_nodes_state() -> None:
    nodes = [
        NodeFacts(name="worker-1", ready=True, unschedulable=False, taints=[]),
        NodeFacts(name="worker-2", ready=True, unschedulable=False, taints=[]),
        NodeFacts(
            name="control", ready=True, unschedulable=False, taints=["node-role.kubernetes.io/control-plane:NoSchedule"]
        ),
    ]
    pods = [
        replace(p, node=n)
        for p, n in zip(
            [*STS, sts_pod(2, "2026-11-26T10:00:04Z", "2026-11-26T10:00:06Z")],
            ["worker-1", "worker-2", "control"],
            strict=True,
        )
    ]
    (check,) = check_spread(replace(E, replicas=3, spread_across_nodes=True), pods, nodes)
    assert check.verdict == INCONCLUSIVE
    assert (
        "web-sts-2 on control (Ready True, taints ['node-role.kubernetes.io/control-plane:NoSchedule'])"
        in check.observed
    )


def test_a_scale_in_to_zero_removes_web_sts_1_then_web_sts_0() -> None:
    events = [ev("web-sts-1", "deleted", 10), kubelet("web-sts-1", "killing", 10), ev("web-sts-0", "deleted", 12)]
    (check,) = check_scale_in_order(replace(E, replicas=0), events)
    assert check.verdict == PASSED and check.observed.startswith("web-sts-1 then web-sts-0; ")


def test_a_pod_deleted_in_the_second_the_previous_began_to_stop_is_one_at_a_time() -> None:
    """web-sts-4 deleted at :10, its kubelet stopping it at :11, web-sts-3 deleted at :11."""
    events = [ev("web-sts-4", "deleted", 10), kubelet("web-sts-4", "killing", 11), ev("web-sts-3", "deleted", 11)]
    (check,) = check_scale_in_order(replace(E, replicas=3), events)
    assert check.verdict == PASSED


def test_the_deployment_scale_in_spans_from_its_first_deletion_to_its_last() -> None:
    def deleted_at(*seconds: int) -> list[LifecycleEvent]:
        return [
            replica_set_event(f"web-dep-5d9c7b4f6-{s}{i}aaaa", "deleted", f"2026-11-26T10:02:{second:02d}Z")
            for i, (s, second) in enumerate(zip("abc", seconds, strict=False))
        ]

    (three,) = check_deployment_scale_in(E, DEP, deleted_at(0, 0, 3))
    assert (three.verdict, three.observed.endswith("deleted within 3 s")) == (FAILED, True)
    (one_second,) = check_deployment_scale_in(E, DEP, deleted_at(0, 1))
    assert one_second.verdict == PASSED
    (two_seconds,) = check_deployment_scale_in(E, DEP, deleted_at(0, 2))
    assert two_seconds.verdict == FAILED

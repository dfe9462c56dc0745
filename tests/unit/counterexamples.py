"""For every check, a state where it passes and one where it fails.

Most states are probe documents of real runs on the lab cluster
(tests/fixtures/lessons), judged as recorded or with one fact changed into
what a wrong cluster, or a cluster in another real state, would have shown:
a claim someone deleted while its pod runs, a partition lowered to 0 and
raised again, a record of the pages before a deletion, the lookups the probe
now makes under the StatefulSet's own Service. The others are the small
synthetic observations of the check modules' own tests. Each example says in
`why` what state it stands for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from probes.actors import actor_name
from probes.dns_plan import dashed_ip
from probes.facts import (
    FAILED,
    NOT_FOUND,
    PASSED,
    POD_NAME_LABEL,
    RESOLVED,
    Action,
    DnsLookup,
    Expectations,
    LifecycleEvent,
    Observation,
    PodFacts,
    Revision,
    SrvTarget,
    StableStorageRun,
    Verdict,
)
from probes.parse import parse_time
from tests.unit.documents import expectations, load, observation
from tests.unit.test_probe_checks import DEP, E, ev, not_found, seed_dns
from tests.unit.test_probe_checks import observation as seed_observation
from tests.unit.test_probe_creation_order import ORDERED, PARALLEL, controller_event, events, placed, pod, t
from tests.unit.test_probe_rollout_checks import THREE, deletions, rolled

State = tuple[Expectations, Observation]


@dataclass(frozen=True)
class Example:
    check: str
    """The check as the report names it: `[workload] name`."""
    verdict: Verdict
    state: Callable[[], State]
    why: str


def pass_and_fail(check: str, passing: Callable[[], State], fails_on: Callable[[], State], why: str) -> list[Example]:
    """A check's passing state and the failing one, `why` naming what the failing one stands for."""
    return [Example(check, PASSED, passing, "the passing state"), Example(check, FAILED, fails_on, why)]


def step(name: str, change: Callable[[Observation], Observation] | None = None, **expected: Any) -> Callable[[], State]:
    """A captured lesson step, with `change` applied to what it observed and `expected` to its expectations."""

    def build() -> State:
        document = load(name)
        seen = observation(document)
        return expectations(document, **expected), change(seen) if change else seen

    return build


def seed(e: Expectations = E, **changes: Any) -> Callable[[], State]:
    return lambda: (e, seed_observation(**changes))


# --- changes a real cluster can show -------------------------------------------------


def with_pod(pod_name: str, /, **changes: Any) -> Callable[[Observation], Observation]:
    def change(o: Observation) -> Observation:
        def edit(pods: list[PodFacts]) -> list[PodFacts]:
            return [replace(p, **changes) if p.name == pod_name else p for p in pods]

        return replace(
            o, statefulset_pods=edit(o.statefulset_pods), deployment_pods=edit(o.deployment_pods),
            terminating=edit(o.terminating),
        )  # fmt: skip

    return change


def with_srv_targets(service: str, target_of: Callable[[PodFacts], str]) -> Callable[[Observation], Observation]:
    """The SRV records of `service` pointing where `target_of` says, one per pod the run saw Ready."""

    def change(o: Observation) -> Observation:
        assert o.srv is not None
        pods = o.statefulset_pods if service == "nginx-sts" else o.deployment_pods
        suffix = f".{service}.{o.srv[0].query.split('.', 3)[3]}."
        targets = [SrvTarget(target_of(p) + suffix, 80) for p in pods if p.ready]
        return replace(o, srv=[replace(d, records=targets) if d.service == service else d for d in o.srv])

    return change


def with_record(**changes: Any) -> Callable[[Observation], Observation]:
    def change(o: Observation) -> Observation:
        assert o.lesson is not None
        fields = {k: (v(o.lesson) if callable(v) else v) for k, v in changes.items()}
        return replace(o, lesson=replace(o.lesson, **fields))

    return change


def with_claim(name: str, **changes: Any) -> Callable[[Observation], Observation]:
    return lambda o: replace(o, claims=[replace(c, **changes) if c.name == name else c for c in o.claims])


def then(*changes: Callable[[Observation], Observation]) -> Callable[[Observation], Observation]:
    def change(o: Observation) -> Observation:
        for c in changes:
            o = c(o)
        return o

    return change


def excess_kept_running(o: Observation) -> Observation:
    """web-sts-2 still running beside the two replicas, and no deletion of it."""
    kept = replace(o.statefulset_pods[-1], name="web-sts-2", ordinal=2, uid="uid-of-web-sts-2")
    return replace(o, statefulset_pods=[*o.statefulset_pods, kept], events=[])


AUDIT_LOG = "the lab cluster's audit log (/var/lib/statefulset-lab/logs/audit.log)"
STATEFULSET_CONTROLLER = "system:serviceaccount:kube-system:statefulset-controller"


def audited(*deletes: tuple[str, str, str]) -> Callable[[Observation], Observation]:
    """The audit log's deletes (time, name, user), as the lab cluster records them:
    of the StatefulSet web-sts, else of a pod."""
    actions = [
        Action(
            t,
            "deleted",
            "statefulset" if name == "web-sts" else "pod",
            name,
            actor_name(user, AGENTS.get(user, "")),
            user,
        )
        for t, name, user in deletes
    ]
    return lambda o: replace(o, actions=actions, actions_source=AUDIT_LOG)


AGENTS = {"statefulset-lab-admin": "kubectl/v1.37.2 (linux/amd64) kubernetes/$Format"}


def _actor(user: str) -> str:
    return actor_name(user, AGENTS.get(user, ""))


NODE_LIFECYCLE = "system:serviceaccount:kube-system:node-controller"


# The scale-in step's deletions (web-sts-2 at 08:29:00, web-sts-1 at 08:29:01), with
# the kubelet's final delete of each pod, as the audit log of the lab cluster shows
# them for a 3 -> 1 scale-in.
SCALE_IN_AUDITED = audited(
    ("2026-12-03T08:29:00.261Z", "web-sts-2", STATEFULSET_CONTROLLER),
    ("2026-12-03T08:29:01.121Z", "web-sts-2", "system:node:lab-worker-1"),
    ("2026-12-03T08:29:01.141Z", "web-sts-1", STATEFULSET_CONTROLLER),
    ("2026-12-03T08:29:02.252Z", "web-sts-1", "system:node:lab-worker-0"),
)
SCALE_IN_TOGETHER = audited(
    ("2026-12-03T08:29:00.261Z", "web-sts-2", STATEFULSET_CONTROLLER),
    ("2026-12-03T08:29:01.141Z", "web-sts-1", STATEFULSET_CONTROLLER),
    ("2026-12-03T08:29:01.421Z", "web-sts-2", "system:node:lab-worker-1"),
    ("2026-12-03T08:29:02.252Z", "web-sts-1", "system:node:lab-worker-0"),
)


GC = "system:serviceaccount:kube-system:generic-garbage-collector"
ORPHAN_AUDITED = audited(
    ("2026-12-02T22:07:56.101Z", "web-sts", "statefulset-lab-admin"),
    ("2026-12-02T22:07:57.402Z", "web-sts-0", "statefulset-lab-admin"),
)
ORPHAN_COLLECTED = audited(
    ("2026-12-02T22:07:56.101Z", "web-sts", "statefulset-lab-admin"),
    *((f"2026-12-02T22:07:56.3{i}0Z", f"web-sts-{i}", GC) for i in range(3)),
)
LOST_PODS_EVICTED = audited(
    *(
        (f"2026-12-03T08:26:15.{i}00Z", f"web-dep-64df8c6c44-{n}", NODE_LIFECYCLE)
        for i, n in enumerate(("58zkj", "kq2k2"))
    )
)
DELETED_BY_HAND = audited(
    ("2026-12-03T08:25:50.100Z", "web-dep-64df8c6c44-58zkj", "statefulset-lab-admin"),
    ("2026-12-03T08:26:15.100Z", "web-dep-64df8c6c44-kq2k2", NODE_LIFECYCLE),
)
CASCADE_AUDITED = audited(*((f"2026-12-02T22:08:57.{n}Z", f"web-sts-{i}", GC) for i, n in enumerate((512, 514, 515))))
CASCADE_BY_HAND = audited(
    ("2026-12-02T22:08:57.301Z", "web-sts-0", "statefulset-lab-admin"),
    ("2026-12-02T22:08:57.514Z", "web-sts-1", GC),
    ("2026-12-02T22:08:57.515Z", "web-sts-2", GC),
)


def with_lookup(query: str, outcome: str, addresses: list[str]) -> Callable[[Observation], Observation]:
    found = DnsLookup(query, 0 if outcome == RESOLVED else 1, addresses, outcome, "")  # type: ignore[arg-type]
    return lambda o: replace(o, dns=[*(d for d in o.dns if d.query != query), found])


def sts_dashed_lookups(resolving: str = "") -> Callable[[Observation], Observation]:
    """The lookups the probe makes of each StatefulSet pod's dashed IP under its
    own Service: "no such name", as CoreDNS answers for a pod published under its
    hostname; `resolving` answers with its IP, as for a pod whose subdomain
    does not match (serviceName naming another Service)."""

    def change(o: Observation) -> Observation:
        asked = [
            DnsLookup(f"{dashed_ip(p.ip)}.nginx-sts", 0, [p.ip], RESOLVED)
            if p.name == resolving
            else not_found(f"{dashed_ip(p.ip)}.nginx-sts")
            for p in o.statefulset_pods
        ]
        return replace(o, dns=[*o.dns, *asked])

    return change


def uids_from_directories(o: Observation) -> Observation:
    """Each claim's uid as the provisioner named its directory after it (documents
    recorded before claims' uids were kept)."""
    return replace(o, claims=[replace(c, uid=(c.volume or "").removeprefix("pvc-")) for c in o.claims])


def partition_ignored(o: Observation) -> Observation:
    """The canary after partition 0 rolled every pod and partition 2 came back:
    web-sts-0 and -1 were created again under the new template, and the
    controller moved currentRevision to the update revision."""
    assert o.statefulset is not None
    new = o.statefulset.update_revision
    rolled_pods = [
        replace(p, revision=new, image="registry.k8s.io/nginx-slim:0.21", created=f"2026-12-02T22:08:0{p.ordinal}Z",
                uid=f"rolled-{p.ordinal}")
        if p.name != "web-sts-2" else p
        for p in o.statefulset_pods
    ]  # fmt: skip
    return replace(
        o,
        statefulset=replace(o.statefulset, current_revision=new),
        statefulset_pods=rolled_pods,
        revisions=CANARY_REVISIONS,
    )


CANARY_REVISIONS = [
    Revision("web-sts-5c5d8dd5d7", 1, "2026-12-02T22:04:49Z"),
    Revision("web-sts-6b75bf8978", 2, "2026-12-02T22:05:20Z"),
]
"""The canary's two templates: the StatefulSet's first, and the 0.21 image."""


def dropped_deployment_pod(o: Observation) -> Observation:
    return replace(o, deployment_pods=o.deployment_pods[1:])


def controller_deleted(pod: str, at: str) -> Callable[[Observation], Observation]:
    deleted = LifecycleEvent(pod, "deleted", at, 10_000, object_kind="StatefulSet", object_name="web-sts")
    return lambda o: replace(o, events=[*o.events, deleted])


def creation_order(e: Expectations, pods: list[PodFacts]) -> Callable[[], State]:
    evs = events(*(controller_event("create", p.name, p.created) for p in pods), *placed(pods))
    return lambda: (e, seed_observation(statefulset=None, statefulset_pods=pods, events=evs))


ORDERED_PODS = [pod(0, t(0, 0), t(0, 2)), pod(1, t(0, 2), t(0, 4)), pod(2, t(0, 4), t(0, 6))]
TOGETHER_PODS = [pod(0, t(0, 0), t(0, 3)), pod(1, t(0, 0), t(0, 3)), pod(2, t(0, 0), t(0, 4))]
BACKWARDS_PODS = [pod(0, t(0, 4), t(0, 6)), pod(1, t(0, 0), t(0, 2)), pod(2, t(0, 2), t(0, 4))]


def scale_in(*deleted: tuple[int, int], killing: tuple[int, int] | None = None) -> Callable[[], State]:
    """3 replicas after 5: the controller's deletions (ordinal, second) and one kubelet Killing."""
    evs = [ev(f"web-sts-{i}", "deleted", second) for i, second in deleted]
    if killing is not None:
        evs.append(replace(ev(f"web-sts-{killing[0]}", "killing", killing[1]), object_kind="Pod"))
    return lambda: (replace(E, replicas=3), seed_observation(events=evs))


def rolling(order: list[tuple[int, str]], ready: tuple[str, str, str]) -> Callable[[], State]:
    return lambda: (THREE, seed_observation(statefulset_pods=rolled(ready), events=deletions(order)))


STORAGE_RUN = StableStorageRun(
    last_writer=DEP[1].name,
    before={"web-sts-0": "web-sts-0", "web-sts-1": "web-sts-1", DEP[0].name: DEP[1].name, DEP[1].name: DEP[1].name},
    after={"web-sts-0": "web-sts-0", "web-sts-1": "web-sts-1", "web-dep-5d9c7b4f6-new01": DEP[1].name},
)


def pages_before(own_page: str = "") -> Callable[[Observation], Observation]:
    """The delete-pods record with what each pod served before the deletion, as
    the lesson now reads it; `own_page` serves its own name instead of the
    last writer's (a Deployment pod on a volume of its own)."""

    def change(o: Observation) -> Observation:
        assert o.lesson is not None
        dep = sorted(p.name for p in o.lesson.before if p.workload == "deployment")
        served = {p.name: p.name for p in o.lesson.before if p.workload == "statefulset"}
        served |= {p: (p if p == own_page else dep[-1]) for p in dep}
        return replace(o, lesson=replace(o.lesson, served_before=served))

    return change


def first_deployment_pod_before(o: Observation) -> str:
    assert o.lesson is not None
    return sorted(p.name for p in o.lesson.before if p.workload == "deployment")[0]


def kept_deployment_pod(o: Observation) -> Observation:
    """One Deployment pod was never deleted: it keeps its name (and uid)."""
    assert o.lesson is not None
    old = next(p for p in o.lesson.before if p.workload == "deployment")
    first, *rest = o.deployment_pods
    return replace(o, deployment_pods=[replace(first, name=old.name, uid=old.uid), *rest])


def on_delete_rolled(o: Observation) -> Observation:
    """OnDelete, yet the controller deleted web-sts-2 and created it on the new template."""
    assert o.statefulset is not None
    again = with_pod("web-sts-2", revision=o.statefulset.update_revision, created="2026-12-02T22:06:30Z")(o)
    return controller_deleted("web-sts-2", "2026-12-02T22:06:29Z")(again)


def max_unavailable_dropped(o: Observation) -> Observation:
    assert o.statefulset is not None
    return replace(o, statefulset=replace(o.statefulset, max_unavailable=None))


def no_stateful_set(o: Observation) -> Observation:
    return replace(o, statefulset=None)


def deployment_scaled_to(replicas: int) -> Callable[[Observation], Observation]:
    def change(o: Observation) -> Observation:
        assert o.deployment is not None
        return replace(o, deployment=replace(o.deployment, replicas=replicas))

    return change


def scaled_back_by_someone_else(o: Observation) -> Observation:
    """Something else (an autoscaler) set the replicas back to 2 before the probes looked."""
    assert o.statefulset is not None
    return replace(o, statefulset=replace(o.statefulset, replicas=2))


def no_deployment(o: Observation) -> Observation:
    return replace(o, deployment=None)


REVERTED_CONTROLLER_DID_NOT_WAIT = then(
    controller_deleted("web-sts-1", "2026-12-07T10:17:40Z"),
    with_pod("web-sts-1", created="2026-12-07T10:17:41Z", uid="replaced"),
)
"""The controller replaced web-sts-1 while web-sts-2 was stuck (as with maxUnavailable 2)."""


def revert_made_a_third_revision(o: Observation) -> Observation:
    """rollback-forced, but the template differed in more than the image after the
    revert (an annotation stamped at every deploy): the controller made a third
    revision, and the pods moved to it instead of back to web-sts-67449db48f."""
    assert o.statefulset is not None and o.revisions
    first = next(r for r in o.revisions if r.name == "web-sts-67449db48f")
    third = replace(first, name="web-sts-7c4d9b6f5", created="2026-12-07T10:17:30Z", template="stamped")
    revisions = [*(replace(r, number=1) if r is first else r for r in o.revisions), third]
    pods = [replace(p, revision=third.name) for p in o.statefulset_pods]
    sts = replace(o.statefulset, update_revision=third.name, current_revision=third.name)
    return replace(o, revisions=revisions, statefulset_pods=pods, statefulset=sts)


STUCK = dict(revision="web-sts-broken", ready=False, ready_since=None, state="ImagePullBackOff: back-off")

MIN_READY = "[statefulset] OrderedReady creates the next pod only minReadySeconds (5 s) after one is Ready"
MAX_ORDERED = (
    "[statefulset] with OrderedReady, maxUnavailable 2 takes up to 2 pods down at once; they come back one at a time"
)


def new_pod_since_the_failure(o: Observation) -> Observation:
    """stop-node, but web-sts-1 was replaced while lab-worker-1 is still down: a
    new pod, created after the node went NotReady, Pending on its volume's node."""
    old = next(p for p in o.terminating if p.name == "web-sts-1")
    new = replace(old, uid="replaced", created="2026-12-03T08:26:30Z", node="", ip="", terminating=False,
                  state="unschedulable: volume node affinity conflict", phase="Pending")  # fmt: skip
    return replace(
        o, terminating=[p for p in o.terminating if p is not old], statefulset_pods=[*o.statefulset_pods, new]
    )


def replaced_while_down(o: Observation) -> Observation:
    """stop-node, but the lesson itself saw web-sts-1 come back as a new pod."""
    assert o.lesson is not None
    after = [replace(p, uid="replaced") if p.name == "web-sts-1" else p for p in o.lesson.after]
    return replace(with_pod("web-sts-1", uid="replaced")(o), lesson=replace(o.lesson, after=after))


def recreated_orphan(o: Observation) -> Observation:
    survivor = o.statefulset_pods[0]
    return replace(o, statefulset_pods=[replace(survivor, name="web-sts-0", ordinal=0, uid="new"), *o.statefulset_pods])


def without_removed_claims(o: Observation) -> Observation:
    return replace(o, claims=[c for c in o.claims if c.name in ("www-web-sts-0", "www-web-dep")])


def later_deployment_deletion(o: Observation) -> Observation:
    last = next(ev for ev in reversed(o.events) if ev.object_kind == "ReplicaSet" and ev.reason == "deleted")
    return replace(o, events=[replace(ev, time="2026-12-03T08:29:05Z") if ev is last else ev for ev in o.events])


def one_claim_of_another_uid(o: Observation) -> Observation:
    o = uids_from_directories(o)
    return with_claim("www-web-sts-1", uid="99999999-0000-4000-8000-000000000000")(o)


DELETING = "2026-12-02T22:07:00Z"
CANARY_DEP = "web-dep-56d76c9479-jjbqt"
CANARY_DEP_DASHED = "10-244-2-27.nginx-dep"
PARTITION_2 = "[statefulset] ordinals >= partition (2) run the new revision, the others keep theirs"


def _later(time: str, seconds: int) -> str:
    return f"{parse_time(time) + timedelta(seconds=seconds):%Y-%m-%dT%H:%M:%SZ}"


def _pod(o: Observation, name: str) -> PodFacts:
    return next(p for p in o.statefulset_pods if p.name == name)


def ready_after_the_next_deletion(o: Observation) -> Observation:
    """max-unavailable-ordered, but the new web-sts-3 was Ready only 2 s after web-sts-1 was deleted."""
    deleted = [
        ev for ev in o.events if ev.pod == "web-sts-1" and ev.reason == "deleted" and ev.object_kind == "StatefulSet"
    ]
    return with_pod("web-sts-3", ready_since=_later(deleted[-1].time, 2))(o)


def created_with_web_sts_0(o: Observation) -> Observation:
    """max-unavailable-ordered, but web-sts-1 created again in the same second as web-sts-0."""
    return with_pod("web-sts-1", created=_pod(o, "web-sts-0").created)(o)


def created_above_the_broken_pod(o: Observation) -> Observation:
    """held-scale-out on a controller that does not wait: web-sts-2 made 3 s after
    web-sts-0 came back unable to start, and Ready."""
    broken = _pod(o, "web-sts-0")
    made = replace(_pod(o, "web-sts-1"), name="web-sts-2", ordinal=2, uid="uid-of-web-sts-2")
    made = replace(made, created=_later(broken.created, 3), ready_since=_later(broken.created, 5))
    return replace(o, statefulset_pods=[*o.statefulset_pods, made])


def removed_above_the_broken_pod(o: Observation) -> Observation:
    """held-scale-in on a controller that does not wait: web-sts-1 deleted by its
    scale-in 10 s after web-sts-0 came back unable to start."""
    broken = _pod(o, "web-sts-0")
    gone = replace(o, statefulset_pods=[p for p in o.statefulset_pods if p.name != "web-sts-1"])
    return controller_deleted("web-sts-1", _later(broken.created, 10))(gone)


def scaled_in_before_ready(o: Observation) -> Observation:
    """held-released, but the new web-sts-0 became Ready only 2 s after web-sts-1 was deleted."""
    deleted = next(ev for ev in o.events if ev.pod == "web-sts-1" and ev.reason == "deleted")
    return with_pod("web-sts-0", ready_since=_later(deleted.time, 2))(o)


def budget_overspent(o: Observation) -> Observation:
    """max-unavailable-counted on a controller that counts only its own deletions:
    with web-sts-3 already down it took two more, web-sts-2 and web-sts-1, both stuck now."""
    sts = o.statefulset
    assert sts is not None
    two = _pod(o, "web-sts-2")
    deleted = next(
        ev for ev in o.events if ev.pod == "web-sts-2" and ev.reason == "deleted" and ev.object_kind == "StatefulSet"
    )
    stuck = dict(revision=sts.update_revision, ready=False, ready_since=None, phase="Pending", state=two.state)
    again = with_pod("web-sts-1", created=two.created, uid="uid-of-new-web-sts-1", **stuck)(o)
    return controller_deleted("web-sts-1", deleted.time)(again)


EXAMPLES: list[Example] = [
    *pass_and_fail(
        "[statefulset] the StatefulSet exists",
        passing=step("canary"),
        fails_on=step("canary", no_stateful_set),
        why="deleted out of band",
    ),
    *pass_and_fail(
        "[deployment] the Deployment exists",
        passing=step("canary"),
        fails_on=step("canary", no_deployment),
        why="deleted out of band",
    ),
    *pass_and_fail(
        "[statefulset] the StatefulSet's replicas are the stack's",
        passing=step("drift-undone"),
        fails_on=step("drift-kept"),
        why="scaled with kubectl behind the stack's back, kept by a plain up (captured as it was)",
    ),
    *pass_and_fail(
        "[deployment] the Deployment's replicas are the stack's",
        passing=step("canary"),
        fails_on=step("canary", deployment_scaled_to(3)),
        why="the Deployment scaled with kubectl behind the stack's back",
    ),
    *pass_and_fail(
        "[statefulset] after kubectl scale, the cluster runs one pod more than the stack asks for",
        passing=step("scale-behind"),
        fails_on=step("scale-behind", scaled_back_by_someone_else),
        why="the StatefulSet scaled back by someone else (an autoscaler) before the probes looked",
    ),
    *pass_and_fail(
        "[statefulset] the StatefulSet is gone, deleted by the lesson",
        passing=step("orphan"),
        fails_on=step("orphan", with_record(steps=lambda r: [s for s in r.steps if "delete statefulset" not in s])),
        why="gone, but the lesson's record shows no deletion of it: someone else deleted it",
    ),
    *pass_and_fail(
        "[statefulset] pod names are <statefulset>-<ordinal>",
        passing=step("canary"),
        fails_on=step("canary", lambda o: replace(o, statefulset_pods=o.statefulset_pods[:2])),
        why="web-sts-2 missing",
    ),
    *pass_and_fail(
        "[deployment] pod names are <deployment>-<template-hash>-<random>",
        passing=step("canary"),
        fails_on=step("canary", with_pod(CANARY_DEP, name="web-dep-0")),
        why="a pod named like a StatefulSet's",
    ),
    *pass_and_fail(
        "[statefulset] OrderedReady creates each pod after its predecessor is Ready",
        passing=step("canary"),
        fails_on=creation_order(ORDERED, BACKWARDS_PODS),
        why="web-sts-0 created after web-sts-2, each after one was Ready",
    ),
    *pass_and_fail(
        "[statefulset] Parallel creates pods without waiting for each other",
        passing=creation_order(PARALLEL, TOGETHER_PODS),
        fails_on=creation_order(PARALLEL, ORDERED_PODS),
        why="a cluster whose StatefulSet is still OrderedReady",
    ),
    *pass_and_fail(
        "[statefulset] <pod>.<service>.<namespace>.svc.<cluster domain> resolves to the pod's IP",
        passing=seed(),
        fails_on=seed(dns=[not_found(d.query) if d.query.endswith(".svc.cluster.local") else d for d in seed_dns()]),
        why="a cluster whose kubelets use another --cluster-domain than the stack's clusterDomain",
    ),
    *pass_and_fail(
        "[statefulset] each StatefulSet pod carries its name and ordinal as labels",
        passing=seed(),
        fails_on=lambda: (E, with_pod("web-sts-1", identity_labels={POD_NAME_LABEL: "web-sts-1"})(seed_observation())),
        why="a cluster older than Kubernetes 1.28, whose controller sets no ordinal label",
    ),
    *pass_and_fail(
        "[statefulset] hostname is the pod name",
        passing=step("canary"),
        fails_on=step("canary", with_pod("web-sts-1", hostname="web")),
        why="a template that sets spec.hostname",
    ),
    *pass_and_fail(
        "[statefulset] pods are spread across nodes (topology spread on kubernetes.io/hostname)",
        passing=step("uncordon"),
        fails_on=step("uncordon", with_pod("web-sts-1", node="lab-worker-0")),
        why="both pods on one of two schedulable nodes",
    ),
    *pass_and_fail(
        "[statefulset] <pod>.<service> resolves to the pod's IP",
        passing=step("canary"),
        fails_on=step("canary", with_lookup("web-sts-1.nginx-sts", RESOLVED, ["10.244.2.9"])),
        why="a cached old IP",
    ),
    *pass_and_fail(
        "[deployment] <pod>.<service> does not resolve",
        passing=step("canary"),
        fails_on=step("canary", with_lookup(f"{CANARY_DEP}.nginx-dep", RESOLVED, ["10.244.2.27"])),
        why="a Deployment template that sets hostname and subdomain",
    ),
    *pass_and_fail(
        "[deployment] <dashed-ip>.<service> resolves to the pod's IP",
        passing=step("canary"),
        fails_on=step("canary", with_lookup(CANARY_DEP_DASHED, NOT_FOUND, [])),
        why="the Service does not publish the pod",
    ),
    *pass_and_fail(
        "[statefulset] a StatefulSet pod's dashed IP does not resolve under its own Service",
        passing=step("canary", sts_dashed_lookups()),
        fails_on=step("canary", sts_dashed_lookups(resolving="web-sts-1")),
        why="serviceName naming another Service",
    ),
    *pass_and_fail(
        "[statefulset] the Service's own name resolves to its Ready pods",
        passing=step("canary"),
        fails_on=step("canary", with_lookup("nginx-sts", RESOLVED, ["10.244.1.24"])),
        why="a cached answer missing two pods",
    ),
    *pass_and_fail(
        "[statefulset] one Bound claim per ordinal, mounted by its pod",
        passing=step("canary"),
        fails_on=step("canary", with_claim("www-web-sts-1", deleting_since=DELETING)),
        why="`kubectl delete pvc www-web-sts-1` while web-sts-1 runs: Terminating, kept by pvc-protection",
    ),
    *pass_and_fail(
        "[deployment] one Bound claim shared by every pod",
        passing=step("canary"),
        fails_on=step("canary", with_claim("www-web-dep", deleting_since=DELETING)),
        why="the shared claim being deleted",
    ),
    *pass_and_fail(
        "[deployment] all pods run on the node of the shared volume",
        passing=step("canary"),
        fails_on=step("canary", with_pod(CANARY_DEP, node="lab-worker-0")),
        why="a pod started away from its volume",
    ),
    *pass_and_fail(
        "[statefulset] each volume is a host directory pvc-<uid>_<namespace>_<claim>",
        passing=step("canary", uids_from_directories),
        fails_on=step("canary", one_claim_of_another_uid),
        why="a claim bound to another claim's directory",
    ),
    *pass_and_fail(
        "[statefulset] each claim's volume is on its pod's node",
        passing=step("canary"),
        fails_on=step("canary", with_pod("web-sts-0", node="lab-worker-1")),
        why="a pod started away from its volume",
    ),
    *pass_and_fail(
        "[statefulset] each pod serves its own name before and after all pods are deleted",
        passing=seed(stable_storage=STORAGE_RUN),
        fails_on=seed(stable_storage=replace(STORAGE_RUN, after={**STORAGE_RUN.after, "web-sts-1": ""})),
        why="web-sts-1 came back on an empty volume",
    ),
    *pass_and_fail(
        "[deployment] every pod serves the last writer's name, before and after deletion",
        passing=seed(stable_storage=STORAGE_RUN),
        fails_on=seed(stable_storage=replace(STORAGE_RUN, before={**STORAGE_RUN.before, DEP[0].name: DEP[0].name})),
        why="a Deployment pod on a volume of its own",
    ),
    *pass_and_fail(
        "[statefulset] scale-in removes the highest ordinal first, one at a time",
        passing=step("scale-in"),
        fails_on=scale_in((4, 10), (3, 11), killing=(4, 12)),
        why="web-sts-3 deleted before the kubelet began stopping web-sts-4",
    ),
    *pass_and_fail(
        "[statefulset] the StatefulSet controller deletes each scale-in pod once the one above it is gone",
        passing=step("scale-in", SCALE_IN_AUDITED),
        fails_on=step("scale-in", SCALE_IN_TOGETHER),
        why="web-sts-1 deleted while web-sts-2 was still there (a controller that does not wait)",
    ),
    *pass_and_fail(
        "[statefulset] Parallel scale-in deletes its pods without waiting for each other",
        passing=step("parallel-scale-in"),
        fails_on=step("scale-in", SCALE_IN_AUDITED, pod_management_policy="Parallel"),
        why="web-sts-1 deleted only once web-sts-2 was gone (a controller that waits, as for OrderedReady)",
    ),
    *pass_and_fail(
        "[statefulset] looked up all along, a re-created pod's name answers with its new IP (how soon is not promised)",
        passing=step("dns-after-delete"),
        fails_on=step(
            "dns-after-delete",
            with_record(
                lookups=lambda r: [replace(x, addresses=r.lookups[0].addresses) for x in r.lookups],
                problem="web-sts-0.nginx-sts did not answer with the new pod's IP twice in a row within 180 s",
            ),
        ),
        why="a cluster DNS that kept serving the old record (serve_stale) after the pod came back",
    ),
    *pass_and_fail(
        "[deployment] the Deployment scales out all at once",
        passing=step("parallel-scale-out"),
        fails_on=step("parallel-scale-out", with_pod("web-dep-5fc68fb9b-sg7bw", created="2026-12-07T14:11:48Z")),
        why="the second new pod created only once the first was Ready, as OrderedReady does",
    ),
    *pass_and_fail(
        "[statefulset] the headless Service's SRV records name each Ready pod",
        passing=step("parallel-scale-out"),
        fails_on=step("parallel-scale-out", with_srv_targets("nginx-sts", lambda p: dashed_ip(p.ip))),
        why="serviceName naming another Service: no subdomain under this one, so the records are dashed IPs",
    ),
    *pass_and_fail(
        "[deployment] the headless Service's SRV records name each Ready pod",
        passing=step("parallel-scale-out"),
        fails_on=step("parallel-scale-out", with_srv_targets("nginx-dep", lambda p: p.name)),
        why="a cluster DNS set to endpoint_pod_names: the records name the pods, not their IPs",
    ),
    *pass_and_fail(
        "[statefulset] claims of removed ordinals are kept, still Bound",
        passing=step("scale-in"),
        fails_on=step("scale-in", lambda o: replace(o, claims=[replace(c, phase="Released") for c in o.claims])),
        why="the claims' volumes released",
    ),
    *pass_and_fail(
        "[statefulset] claims of removed ordinals are deleted (whenScaled: Delete)",
        passing=step("scale-in", without_removed_claims, pvc_retention_when_scaled="Delete"),
        fails_on=step("scale-in", pvc_retention_when_scaled="Delete"),
        why="an API server that dropped the retention policy",
    ),
    *pass_and_fail(
        "[deployment] the Deployment scales in all at once",
        passing=step("scale-in"),
        fails_on=step("scale-in", later_deployment_deletion),
        why="the second pod deleted 5 s after the first",
    ),
    Example(PARTITION_2, PASSED, step("canary"), "as recorded, judged on currentRevision while it differs"),
    *pass_and_fail(
        PARTITION_2,
        passing=step("canary", lambda o: replace(o, revisions=CANARY_REVISIONS)),
        fails_on=step("canary", partition_ignored),
        why="partition 0, then 2 again",
    ),
    *pass_and_fail(
        "[statefulset] ordinals >= start + partition (1) run the new revision, the others keep theirs",
        passing=step("ordinals"),
        fails_on=step(
            "ordinals", with_pod("web-sts-2", revision="web-sts-7d6f5c4b3a", image="registry.k8s.io/nginx-slim:0.21")
        ),
        why="a pod above the partition left on an older template",
    ),
    *pass_and_fail(
        "[statefulset] with OnDelete, a new template moves no pod: each keeps its revision until it is deleted",
        passing=step("staging", update_strategy="OnDelete"),
        fails_on=step("staging", on_delete_rolled, update_strategy="OnDelete"),
        why="the controller rolled web-sts-2",
    ),
    *pass_and_fail(
        "[statefulset] a rolling update replaces pods from the highest ordinal down, each after the one above is "
        "Ready again",
        passing=step("phased"),
        fails_on=rolling(
            [(0, "2026-11-26T10:00:09Z"), (1, "2026-11-26T10:00:13Z"), (2, "2026-11-26T10:00:17Z")],
            ("2026-11-26T10:00:20Z", "2026-11-26T10:00:16Z", "2026-11-26T10:00:12Z"),
        ),
        why="replaced from the lowest ordinal up",
    ),
    *pass_and_fail(
        "[statefulset] a rolling update replaces pods from the highest ordinal down, each after the one above is "
        "Ready again (2 at a time)",
        passing=step("max-unavailable-ordered"),
        fails_on=step("max-unavailable-ordered", ready_after_the_next_deletion),
        why="web-sts-1 deleted before the new web-sts-3 was Ready",
    ),
    *pass_and_fail(
        MAX_ORDERED,
        passing=step("max-unavailable-ordered"),
        fails_on=step("max-unavailable-ordered", created_with_web_sts_0),
        why="web-sts-0 and -1 created again in the same second: not one at a time",
    ),
    *pass_and_fail(
        "[statefulset] maxUnavailable 2 replaces up to 2 pods at once",
        passing=step("max-unavailable-parallel"),
        fails_on=step("max-unavailable-parallel", max_unavailable_dropped),
        why="an API server that dropped the field: one pod down at a time",
    ),
    *pass_and_fail(
        "[statefulset] a rolling update replaces the next pod only minReadySeconds (5 s) after the new one is Ready",
        passing=step("ordinals-rollout"),
        fails_on=step("ordinals-rollout", with_pod("web-sts-2", ready_since="2026-12-07T08:28:31Z")),
        why="web-sts-1 deleted 1 s after the new web-sts-2 was Ready (an API server that dropped minReadySeconds)",
    ),
    *pass_and_fail(
        MIN_READY,
        passing=step("ordinals"),
        fails_on=step("ordinals", with_pod("web-sts-2", created="2026-12-03T08:22:11Z")),
        why="web-sts-2 created 2 s after web-sts-1 was Ready",
    ),
    *pass_and_fail(
        "[statefulset] created again after a cascading delete, each pod is new and mounts the claim that stayed",
        passing=step("recreated"),
        fails_on=step("recreated", with_claim("www-web-sts-1", created="2026-12-07T11:03:13Z")),
        why="www-web-sts-1 went with the StatefulSet (whenDeleted: Delete): web-sts-1 came back on a new claim",
    ),
    *pass_and_fail(
        "[statefulset] claims that name no class get the cluster's default class",
        passing=step("delete-claim"),
        fails_on=step("delete-claim", with_claim("www-web-sts-1", storage_class="")),
        why="the claim web-sts-1 came back on was left with no class (the DefaultStorageClass admission off)",
    ),
    *pass_and_fail(
        "[statefulset] the deleted claim's volume goes with it (reclaimPolicy Delete), its directory too",
        passing=step("delete-claim"),
        fails_on=step("delete-claim", with_record(old_volume=lambda r: replace(r.old_volume, on_disk=True))),
        why="the PV went, but the provisioner's clean-up left the directory on lab-worker-0's disk",
    ),
    *pass_and_fail(
        "[statefulset] each volume is made where the scheduler placed its pod, not before (WaitForFirstConsumer)",
        passing=step("delete-claim"),
        fails_on=step("delete-claim", with_claim("www-web-sts-1", node="lab-worker-1")),
        why="a provisioner that ignores the node the scheduler chose (a path map pinned to lab-worker-1)",
    ),
    *pass_and_fail(
        "[statefulset] going back to an earlier template returns the pods to its revision, not a third one",
        passing=step("rollback-forced"),
        fails_on=step("rollback-forced", revert_made_a_third_revision),
        why="the reverted template differed in more than the image: a third revision, not the first one back",
    ),
    *pass_and_fail(
        "[statefulset] with OrderedReady, no pod is created above a pod that is not Ready",
        passing=step("held-scale-out"),
        fails_on=step("held-scale-out", created_above_the_broken_pod),
        why="web-sts-2 created while web-sts-0 could not start",
    ),
    *pass_and_fail(
        "[statefulset] with OrderedReady, a scale-in removes no pod above a pod that is not Ready",
        passing=step("held-scale-in"),
        fails_on=step("held-scale-in", removed_above_the_broken_pod),
        why="web-sts-1 removed while web-sts-0 could not start",
    ),
    *pass_and_fail(
        "[statefulset] a scale-in held back by a pod that could not start goes on only once that pod is back and Ready",
        passing=step("held-released"),
        fails_on=step("held-released", scaled_in_before_ready),
        why="web-sts-1 removed before the new web-sts-0 was Ready",
    ),
    *pass_and_fail(
        "[statefulset] maxUnavailable 2 counts a pod that was already down: the rollout takes down only the rest of "
        "its budget",
        passing=step("max-unavailable-counted"),
        fails_on=step("max-unavailable-counted", budget_overspent),
        why="web-sts-3 already down, and two more taken",
    ),
    *pass_and_fail(
        "[statefulset] a rollout stops at a pod that cannot start; the pods below it keep the old revision",
        passing=step("rollback-stalled"),
        fails_on=step("rollback-stalled", with_pod("web-sts-0", revision="web-sts-858c4b857")),
        why="it went past the stuck pod",
    ),
    *pass_and_fail(
        "[statefulset] reverting the template alone does not replace a pod stuck on the broken revision",
        passing=step("rollback-reverted"),
        fails_on=step("rollback-reverted", REVERTED_CONTROLLER_DID_NOT_WAIT),
        why="the controller replaced web-sts-1 meanwhile",
    ),
    *pass_and_fail(
        "[statefulset] with forceRollback, no pod stays stuck on a revision the StatefulSet no longer rolls toward",
        passing=step("rollback-forced"),
        fails_on=step("rollback-forced", with_pod("web-sts-2", **STUCK)),
        why="the stuck pod left in place",
    ),
    *pass_and_fail(
        "[statefulset] a pod whose volume's node is unavailable waits for that node, never re-created elsewhere",
        passing=step("drain"),
        fails_on=step("drain", with_pod("web-sts-1", node="lab-worker-0", state="Running", phase="Running")),
        why="started away from its volume",
    ),
    *pass_and_fail(
        "[statefulset] at most one pod per ordinal: a pod on a failed node is not replaced while it may still run",
        passing=step("stop-node"),
        fails_on=step("stop-node", new_pod_since_the_failure),
        why="web-sts-1 replaced while its node is down",
    ),
    *pass_and_fail(
        "[deployment] pods the volume's node cannot run are replaced under new names, and wait Pending for it",
        passing=step("drain"),
        fails_on=step("drain", dropped_deployment_pod),
        why="one replacement missing",
    ),
]

DRAINED = (
    "[statefulset] draining lab-worker-1 evicts its StatefulSet pods; they come back under their names and wait "
    "for their volumes' node"
)
DELETE_PODS_IDENTITY = "[statefulset] after every pod is deleted: the same names, DNS names and claims, new IPs"
LAST_WRITER = "[deployment] every pod serves the last writer's page, before and after"
STAGED = "[statefulset] deleting web-sts-2 brings back exactly that pod, on the revision its update strategy gives it"
FORCED = (
    "[statefulset] force-deleting web-sts-1 creates it again at once, Pending on its volume's node while that node "
    "is down"
)
ORPHANS = "[statefulset] deleted with --cascade=orphan, the pods outlive the StatefulSet, owned by nothing"
CASCADE = (
    "[statefulset] a cascading delete removes every pod with the StatefulSet (in no promised order); its Service stays"
)
UNCORDONED = "[statefulset] after the uncordon, every pod runs again on its volume's node and serves its own page"
WHILE_DOWN = "[statefulset] while lab-worker-1 is down, web-sts-1 is not replaced: it stays the only web-sts-1"
LOST = "[deployment] the Deployment replaces its pods of lab-worker-1 under new names"
EVICTED = "[deployment] the Deployment's pods evicted from lab-worker-1 are replaced under new names"

EXAMPLES += [
    *pass_and_fail(
        DELETE_PODS_IDENTITY,
        passing=step("delete-pods"),
        fails_on=step(
            "delete-pods",
            lambda o: with_pod(
                "web-sts-0",
                ip=next(
                    p.ip
                    for p in o.lesson.before  # type: ignore[union-attr]
                    if p.name == "web-sts-0"
                ),
            )(o),
        ),
        why="web-sts-0 kept its IP: the same pod",
    ),
    *pass_and_fail(
        "[deployment] after every pod is deleted: new names, the same one claim",
        passing=step("delete-pods"),
        fails_on=step("delete-pods", kept_deployment_pod),
        why="one Deployment pod never deleted",
    ),
    *pass_and_fail(
        "[statefulset] each pod serves the page it wrote before every pod was deleted",
        passing=step("delete-pods"),
        fails_on=step("delete-pods", with_record(served=lambda r: {**r.served, "web-sts-1": "403 Forbidden"})),
        why="web-sts-1 back on a new, empty claim",
    ),
    *pass_and_fail(
        LAST_WRITER,
        passing=step("delete-pods", pages_before()),
        fails_on=step("delete-pods", pages_before(own_page="web-dep-64df8c6c44-qkd4r")),
        why="before the deletion one pod served its own name: a volume of its own",
    ),
    *pass_and_fail(
        STAGED,
        passing=step("staging-delete-pod"),
        fails_on=step("staging-delete-pod", with_pod("web-sts-2", revision="web-sts-6b75bf8978")),
        why="back on the update revision below the partition",
    ),
    *pass_and_fail(
        FORCED,
        passing=step("force-delete-pod"),
        fails_on=step("force-delete-pod", with_pod("web-sts-1", created="2026-12-03T08:27:05Z")),
        why="created again 45 s after the force delete",
    ),
    *pass_and_fail(
        ORPHANS,
        passing=step("orphan"),
        fails_on=step("orphan", with_pod("web-sts-1", owner="StatefulSet/web-sts")),
        why="still owned by it",
    ),
    *pass_and_fail(
        "[statefulset] a pod deleted while no StatefulSet exists is not created again",
        passing=step("orphan"),
        fails_on=step("orphan", recreated_orphan),
        why="web-sts-0 back although nothing owns its name",
    ),
    *pass_and_fail(
        "[statefulset] created again, the StatefulSet adopts the pods left behind and creates the missing one",
        passing=step("adopt"),
        fails_on=step("adopt", with_pod("web-sts-1", owner="")),
        why="an orphan left unadopted",
    ),
    *pass_and_fail(
        "[statefulset] a claim deleted under its running pod stays, Terminating, until the pod goes",
        passing=step("delete-claim"),
        fails_on=step("delete-claim", with_record(claim_held=False)),
        why="a cluster without the claim protection: the claim went while its pod ran",
    ),
    *pass_and_fail(
        "[statefulset] the pod comes back on a new, empty claim: the page it wrote is gone",
        passing=step("delete-claim"),
        fails_on=step("delete-claim", with_record(claims_after=lambda r: r.claims_before)),
        why="the claim was never deleted: the pod came back on the same one",
    ),
    *pass_and_fail(
        "[statefulset] created again with fewer replicas, the StatefulSet deletes the pods above its last ordinal",
        passing=step("adopt"),
        fails_on=step("adopt", excess_kept_running),
        why="an adopted orphan above the replicas that the controller kept running",
    ),
    *pass_and_fail(
        "[statefulset] each pod serves the page it wrote before the StatefulSet was deleted",
        passing=step("adopt"),
        fails_on=step("adopt", with_record(served=lambda r: {**r.served, "web-sts-0": "403 Forbidden"})),
        why="web-sts-0 created on a new, empty claim",
    ),
    *pass_and_fail(
        "[statefulset] in a cascading delete the garbage collector deletes the pods, not kubectl",
        passing=step("cascade-delete", CASCADE_AUDITED),
        fails_on=step("cascade-delete", CASCADE_BY_HAND),
        why="the pods deleted by kubectl before the StatefulSet (a cascade done by hand)",
    ),
    *pass_and_fail(
        "[statefulset] an orphaning delete: kubectl deletes the StatefulSet, the garbage collector none of its pods",
        passing=step("orphan", ORPHAN_AUDITED),
        fails_on=step("orphan", ORPHAN_COLLECTED),
        why="a delete without --cascade=orphan: the garbage collector deleted the pods",
    ),
    *pass_and_fail(
        "[deployment] the node lifecycle controller evicts the Deployment's pods of the failed lab-worker-1",
        passing=step("stop-node", LOST_PODS_EVICTED),
        fails_on=step("stop-node", DELETED_BY_HAND),
        why="the lost pods deleted by kubectl before any eviction (a learner's force delete)",
    ),
    *pass_and_fail(
        CASCADE,
        passing=step("cascade-delete"),
        fails_on=step("cascade-delete", with_record(ended=lambda r: r.ended[1:])),
        why="a pod left",
    ),
    *pass_and_fail(
        "[statefulset] the claims outlive the StatefulSet (whenDeleted: Retain)",
        passing=step("cascade-delete"),
        fails_on=step("cascade-delete", with_record(claims_after={})),
        why="the claims went with it",
    ),
    *pass_and_fail(
        "[statefulset] the claims go with the StatefulSet (whenDeleted: Delete)",
        passing=step("cascade-delete", with_record(claims_after={}), pvc_retention_when_deleted="Delete"),
        fails_on=step("cascade-delete", pvc_retention_when_deleted="Delete"),
        why="an API server that dropped the policy",
    ),
    *pass_and_fail(
        DRAINED,
        passing=step("drain"),
        fails_on=step("drain", with_pod("web-sts-1", node="lab-worker-9", unschedulable="", ready=True)),
        why="web-sts-1 running elsewhere",
    ),
    *pass_and_fail(
        EVICTED,
        passing=step("drain"),
        fails_on=step("drain", dropped_deployment_pod),
        why="one evicted pod not replaced",
    ),
    *pass_and_fail(
        UNCORDONED,
        passing=step("uncordon"),
        fails_on=step("uncordon", with_record(served=lambda r: {**r.served, "web-sts-0": "(not read)"})),
        why="web-sts-0's page could not be read",
    ),
    *pass_and_fail(
        WHILE_DOWN,
        passing=step("stop-node"),
        fails_on=step("stop-node", replaced_while_down),
        why="the lesson saw web-sts-1 replaced",
    ),
    *pass_and_fail(
        LOST,
        passing=step("stop-node"),
        fails_on=step("stop-node", dropped_deployment_pod),
        why="one lost pod not replaced",
    ),
    *pass_and_fail(
        "[statefulset] the lesson delete-pods did all it meant to",
        passing=step("delete-pods"),
        fails_on=step("delete-pods", with_record(problem="5 new pods, all Ready: not within 180 s")),
        why="a pod did not come back in time",
    ),
]

"""Verdicts of the stack's lesson: what its action did, judged against what the
tutorial and the note say it shows. Each lesson step gets its own checks; the
state it leaves (a Pending pod, a missing StatefulSet) is also judged by the
node and workload checks.

A lesson's record describes the pods it acted on and saw come back. When the
cluster has moved on since (a later rollout replaced those pods), its checks
say so ("not applicable") rather than judge a different state.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable

from kube.objects import ordinal_of, pinned_to_its_volume
from probes.checks.claim_lesson import delete_claim_checks
from probes.checks.common import controller_deletions, make_check, worst
from probes.checks.dns_lesson import dns_after_delete_checks
from probes.dns_plan import CONTROL_QUERY
from probes.facts import (
    FAILED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    PASSED,
    Check,
    Expectations,
    Observation,
    PodFacts,
    Verdict,
)
from probes.lesson_catalogue import WITHOUT_STATEFULSET, LessonName
from probes.lesson_record import LessonPod, LessonRecord
from probes.parse import parse_time


def _current(o: Observation) -> dict[str, PodFacts]:
    return {p.name: p for p in [*o.statefulset_pods, *o.deployment_pods, *o.terminating]}


def _moved_on(r: LessonRecord, o: Observation) -> str:
    """Why the record no longer describes the cluster: a pod the lesson left is
    gone or replaced since. Empty while it still does."""
    now = _current(o)
    changed = [p.name for p in r.after if p.workload == "statefulset" and (now.get(p.name) or p).uid != p.uid]
    gone = [p.name for p in r.after if p.workload == "statefulset" and p.name not in now and r.lesson != "orphan"]
    if changed or gone:
        return (
            f"the pods this lesson left have changed since it ran at {r.finished} ({', '.join(changed + gone)}): "
            "its verdicts would describe another state; set lessonRunId to run it again"
        )
    return ""


def _resolves(o: Observation, query: str, ip: str) -> bool | None:
    """True/False from this run's lookups, None when DNS did not prove it answers."""
    answers = {d.query: d for d in o.dns}
    control = answers.get(CONTROL_QUERY)
    if control is None or not control.resolved:
        return None
    found = answers.get(query)
    return found is not None and found.resolved and found.addresses == [ip]


def _pods(r: LessonRecord, workload: str, when: str = "before") -> list[LessonPod]:
    return [p for p in (r.before if when == "before" else r.after) if p.workload == workload]


# --- delete-pods: stable network identity ----------------------------------------


def _identity(e: Expectations, r: LessonRecord, o: Observation) -> list[Check]:
    before = {p.name: p for p in _pods(r, "statefulset")}
    now = {p.name: p for p in o.statefulset_pods}
    lines: list[str] = []
    verdicts: list[Verdict] = []
    if sorted(before) != sorted(now):
        verdicts.append(FAILED)
        lines.append(f"names before: {', '.join(sorted(before))}; now: {', '.join(sorted(now)) or 'none'}")
    for name in sorted(set(before) & set(now)):
        old, new = before[name], now[name]
        dns = _resolves(o, f"{name}.{e.statefulset_service}", new.ip)
        same_claims = old.claims == new.claims
        fine = new.uid != old.uid and new.ip != old.ip and same_claims and dns is True
        verdicts.append(PASSED if fine else INCONCLUSIVE if dns is None and same_claims else FAILED)
        lines.append(
            f"{name}: new pod ({'new' if new.uid != old.uid else 'SAME'} uid), IP {old.ip} -> {new.ip}, "
            f"claim {'+'.join(new.claims) or 'none'} ({'same' if same_claims else 'was ' + '+'.join(old.claims)}), "
            f"{name}.{e.statefulset_service} "
            + ("resolves to the new IP" if dns else "DNS did not answer" if dns is None else "does NOT resolve to it")
        )
    dep_before = {p.name for p in _pods(r, "deployment")}
    dep_now = [p for p in o.deployment_pods]
    kept = [p.name for p in dep_now if p.name in dep_before]
    shared = {c for p in dep_now for c in p.claims} | {c for p in _pods(r, "deployment") for c in p.claims}
    dep_verdict: Verdict = PASSED if not kept and len(shared) == 1 and dep_now else FAILED
    return [
        make_check(
            "after every pod is deleted: the same names, DNS names and claims, new IPs",
            "statefulset",
            worst(verdicts) if verdicts else NOT_APPLICABLE,
            "each pod back under its name, with its claim, a new IP, and its DNS name resolving to the new IP",
            "; ".join(lines) or "no StatefulSet pods",
        ),
        make_check(
            "after every pod is deleted: new names, the same one claim",
            "deployment",
            dep_verdict if dep_before else NOT_APPLICABLE,
            "no pod name comes back; every new pod mounts the one shared claim",
            f"before: {', '.join(sorted(dep_before)) or 'none'}; now: {', '.join(p.name for p in dep_now) or 'none'}; "
            f"claims: {', '.join(sorted(shared)) or 'none'}",
        ),
    ]


def _pages(r: LessonRecord, workload: str, expected_of: Callable[[str], str]) -> tuple[Verdict, str]:
    pods = sorted(p.name for p in r.after if p.workload == workload)
    if not pods:
        return NOT_APPLICABLE, "no pods"
    served = {p: r.served.get(p, "(not read)") for p in pods}
    verdict: Verdict = PASSED if all(served[p] == expected_of(p) for p in pods) else FAILED
    return verdict, ", ".join(f"{p}: {served[p]!r}" for p in pods)


def _last_writers_page(r: LessonRecord, last_writer: str) -> tuple[Verdict, str]:
    """Every Deployment pod served the last writer's page before the deletion
    (read by the lesson once the pages were written) and every new one after."""
    before = sorted(p.name for p in r.before if p.workload == "deployment")
    after_verdict, after_seen = _pages(r, "deployment", lambda pod: last_writer)
    if not before:
        return NOT_APPLICABLE, "no Deployment pods before the deletion"
    if not r.served_before:
        return INCONCLUSIVE, f"before: not read (the lesson's record holds no pages from before); after: {after_seen}"
    served = {p: r.served_before.get(p, "(not read)") for p in before}
    before_ok = all(text == last_writer for text in served.values())
    seen = "before: " + ", ".join(f"{p}: {t!r}" for p, t in served.items()) + f"; after: {after_seen}"
    return (PASSED if before_ok and after_verdict == PASSED else FAILED), seen


def _delete_pods(e: Expectations, r: LessonRecord, o: Observation) -> list[Check]:
    deployment_pods = {p.name for p in _pods(r, "deployment")}
    last_writer = next((text for pod, text in r.written.items() if pod in deployment_pods), "")
    sts_pages = _pages(r, "statefulset", lambda pod: pod)
    dep_pages = _last_writers_page(r, last_writer)
    return [
        *_identity(e, r, o),
        make_check(
            "each pod serves the page it wrote before every pod was deleted",
            "statefulset",
            sts_pages[0],
            "web page == the pod's own name, on its own volume",
            sts_pages[1],
        ),
        make_check(
            "every pod serves the last writer's page, before and after",
            "deployment",
            dep_pages[0],
            f"every page == {last_writer!r}, the last pod that wrote (one shared volume), before and after",
            dep_pages[1],
        ),
    ]


# --- delete-pod, force-delete-pod: revisions of a pod created again -----------------

AT_ONCE_SECONDS = 10
"""How soon "at once" is: the StatefulSet controller creates a pod again within a
second or two of the API server forgetting the old one; a graceful deletion
the node never confirms would take until the node came back."""


def revision_on_return(e: Expectations, o: Observation, ordinal: int, before: str) -> tuple[str, str]:
    """The revision the StatefulSet gives a pod it creates again, and why: with
    RollingUpdate, ordinals below start + partition keep the one they ran
    before (`before`, from the lesson's record: currentRevision says nothing
    once every pod is updated), the others get the update revision; with
    OnDelete, the update revision."""
    sts = o.statefulset
    assert sts is not None
    if e.update_strategy == "RollingUpdate" and ordinal < e.ordinals_start + e.partition:
        kept = before or sts.current_revision
        return kept, f"ordinal {ordinal} < partition {e.partition}: the revision it ran before, {kept}"
    if e.update_strategy == "RollingUpdate":
        return sts.update_revision, f"ordinal {ordinal} >= partition {e.partition}: the update revision"
    return sts.update_revision, "OnDelete: a pod created again gets the update revision"


def _delete_pod(e: Expectations, r: LessonRecord, o: Observation) -> list[Check]:
    assert r.ordinal is not None
    pod = e.names.pod(r.ordinal)
    force = r.lesson == "force-delete-pod"
    name = (
        f"force-deleting {pod} creates it again at once, Pending on its volume's node while that node is down"
        if force
        else f"deleting {pod} brings back exactly that pod, on the revision its update strategy gives it"
    )
    if o.statefulset is None:
        return [make_check(name, "statefulset", INCONCLUSIVE, "a StatefulSet to create it again", "no StatefulSet")]
    before = {p.name: p for p in _pods(r, "statefulset")}
    now = {p.name: p for p in [*o.statefulset_pods, *o.terminating] if p.workload == "statefulset"}
    revision, why = revision_on_return(e, o, r.ordinal, before[pod].revision if pod in before else "")
    back = now.get(pod)
    others = [n for n in before if n != pod]
    kept = [n for n in others if n in now and now[n].uid == before[n].uid]
    lines = []
    if back is None:
        verdict: Verdict = FAILED
        lines.append(f"{pod} does not exist")
    else:
        fresh = pod not in before or back.uid != before[pod].uid
        lines.append(f"{pod}: {'a new pod' if fresh else 'the SAME pod'} on revision {back.revision} ({back.state})")
        if force:
            pinned = back.ready or pinned_to_its_volume(back.unschedulable)
            # The record starts with the force delete; creation times are cut to the second.
            delay = (parse_time(back.created) - parse_time(r.started)).total_seconds()
            prompt = delay <= AT_ONCE_SECONDS
            lines.append(f"created {back.created}, {max(delay, 0):.0f} s after the force delete at {r.started}")
            verdict = PASSED if fresh and pinned and prompt else FAILED if not (fresh and prompt) else INCONCLUSIVE
        else:
            verdict = PASSED if fresh and back.revision == revision else FAILED
    if len(kept) != len(others):
        verdict = FAILED
        lines.append("replaced too: " + ", ".join(n for n in others if n not in kept))
    elif others:
        lines.append(f"untouched: {', '.join(kept)}")
    expected = f"a new {pod} " + (
        f"within {AT_ONCE_SECONDS} s" if force else f"on {revision} ({why}); every other pod untouched"
    )
    return [make_check(name, "statefulset", verdict, expected, "; ".join(lines))]


# --- orphan, adopt, cascade-delete ---------------------------------------------------


def _orphan(e: Expectations, r: LessonRecord, o: Observation) -> list[Check]:
    lowest = e.names.pod(r.ordinal if r.ordinal is not None else e.ordinals_start)
    before = {p.name: p for p in _pods(r, "statefulset")}
    now = {p.name: p for p in o.statefulset_pods}
    if o.statefulset is not None:
        why = (
            f"StatefulSet {e.statefulset} exists again (created {o.statefulset.created}): set lesson adopt to judge it"
        )
        return [
            make_check(
                "deleted with --cascade=orphan, the pods outlive the StatefulSet, owned by nothing",
                "statefulset",
                NOT_APPLICABLE,
                "-",
                why,
            )
        ]
    left = [n for n in before if n != lowest]
    stayed = [n for n in left if n in now and now[n].uid == before[n].uid and not now[n].owner]
    outlived: Verdict = PASSED if left and stayed == left and all(now[n].runs for n in stayed) else FAILED
    recreated = now.get(lowest)
    return [
        make_check(
            "deleted with --cascade=orphan, the pods outlive the StatefulSet, owned by nothing",
            "statefulset",
            outlived if left else NOT_APPLICABLE,
            f"{', '.join(left) or 'no pod'} still running, the same pods, with no owner",
            "; ".join(_left_behind(n, before[n], now.get(n)) for n in left) or "no pods left",
        ),
        make_check(
            "a pod deleted while no StatefulSet exists is not created again",
            "statefulset",
            PASSED if recreated is None else FAILED,
            f"{lowest} stays gone",
            f"{lowest}: gone"
            if recreated is None
            else f"{lowest} exists again ({recreated.state}, owner {recreated.owner or 'none'})",
        ),
    ]


def _left_behind(name: str, before: LessonPod, now: PodFacts | None) -> str:
    if now is None:
        return f"{name}: gone"
    same = "the same pod" if now.uid == before.uid else "a NEW pod"
    return f"{name}: {same}, {now.state}, owner {now.owner or 'none'}"


def _pages_kept(r: LessonRecord) -> Check:
    """A StatefulSet created again (adopt, recreate): each pod serves its own name, the page it wrote before."""
    verdict, seen = _pages(r, "statefulset", lambda pod: pod)
    return make_check(
        "each pod serves the page it wrote before the StatefulSet was deleted",
        "statefulset",
        verdict,
        "web page == the pod's own name: the same claims, the data intact",
        seen,
    )


def _adopt(e: Expectations, r: LessonRecord, o: Observation) -> list[Check]:
    name = "created again, the StatefulSet adopts the pods left behind and creates the missing one"
    if o.statefulset is None:
        return [
            make_check(name, "statefulset", FAILED, "a StatefulSet again", "no StatefulSet: run `pulumi up --refresh`")
        ]
    created = o.statefulset.created
    adopted = [p for p in o.statefulset_pods if p.created < created]
    made = [p for p in o.statefulset_pods if p.created >= created]
    owned = all(p.owner == f"StatefulSet/{e.statefulset}" for p in o.statefulset_pods)
    verdict: Verdict = PASSED if adopted and made and owned and len(o.statefulset_pods) == e.replicas else FAILED
    return [
        *_excess_deleted(e, o),
        make_check(
            name,
            "statefulset",
            verdict,
            "the older pods now owned by it, the missing one created after it",
            f"StatefulSet created {created}; adopted: {', '.join(p.name for p in adopted) or 'none'}; "
            f"created by it: {', '.join(p.name for p in made) or 'none'}; owners: "
            + ", ".join(f"{p.name}: {p.owner or 'none'}" for p in o.statefulset_pods),
        ),
        _pages_kept(r),
    ]


def _recreate(e: Expectations, r: LessonRecord, o: Observation) -> list[Check]:
    """After a cascading delete: every pod made anew by the StatefulSet created
    again, each on the claim that outlived the old one (created before the new
    StatefulSet), serving the page it wrote before."""
    name = "created again after a cascading delete, each pod is new and mounts the claim that stayed"
    if o.statefulset is None:
        return [
            make_check(name, "statefulset", FAILED, "a StatefulSet again", "no StatefulSet: run `pulumi up --refresh`")
        ]
    created = parse_time(o.statefulset.created)
    claims = {c.name: c for c in o.claims}
    lines, fine = [], len(o.statefulset_pods) == e.replicas
    for p in o.statefulset_pods:
        claim = claims.get(e.names.claim_of(p.name))
        new_pod = parse_time(p.created) >= created
        kept = claim is not None and bool(claim.created) and parse_time(claim.created) < created
        fine &= new_pod and kept
        made = "created by it" if new_pod else "older than it"
        held = f"claim {claim.name} from {claim.created}" if claim else f"no claim {e.names.claim_of(p.name)}"
        lines.append(f"{p.name}: {made}, {held}" + ("" if kept else " (a NEW claim: the old one was deleted)"))
    return [
        make_check(
            name,
            "statefulset",
            PASSED if fine else FAILED,
            f"{e.replicas} pods created after the StatefulSet, each on a claim older than it",
            f"StatefulSet created {o.statefulset.created}; " + ("; ".join(lines) or "no pods"),
        ),
        _pages_kept(r),
    ]


def _excess_deleted(e: Expectations, o: Observation) -> list[Check]:
    """Created again with fewer replicas than pods were left behind, the
    StatefulSet adopts them all and deletes those above its last ordinal
    (its own deletion events since it was created say which). Judged only
    where such a pod was seen: deleted by it, or still there."""
    if o.statefulset is None:
        return []
    created = parse_time(o.statefulset.created)

    def above(name: str) -> bool:
        ordinal = ordinal_of(name, e.statefulset)
        return ordinal is not None and ordinal >= e.ordinals.stop

    deleted = {
        ev.pod: ev.time for ev in controller_deletions(e, o.events) if above(ev.pod) and parse_time(ev.time) >= created
    }
    still = {p.name: p for p in [*o.statefulset_pods, *o.terminating] if p.workload == "statefulset" and above(p.name)}
    excess = sorted({*deleted, *still})
    if not excess:
        return []
    lines: list[str] = []
    verdicts: list[Verdict] = []
    for name in excess:
        now = still.get(name)
        if now is not None and not now.terminating:
            verdicts.append(FAILED)
            lines.append(f"{name}: still running ({now.state}, owner {now.owner or 'none'})")
        elif name in deleted:
            verdicts.append(PASSED)
            lines.append(
                f"{name}: deleted by StatefulSet {e.statefulset} at {deleted[name]}"
                + (", terminating" if now else ", gone")
            )
        else:
            verdicts.append(INCONCLUSIVE)
            lines.append(f"{name}: terminating, but no event says who deleted it")
    verdict = worst(verdicts)
    return [
        make_check(
            "created again with fewer replicas, the StatefulSet deletes the pods above its last ordinal",
            "statefulset",
            verdict,
            f"every pod with an ordinal >= {e.ordinals.stop} deleted by the StatefulSet after it was created "
            f"({o.statefulset.created})",
            f"replicas {e.replicas}; " + "; ".join(lines),
        )
    ]


def _cascade(e: Expectations, r: LessonRecord, o: Observation) -> list[Check]:
    before = sorted(p.name for p in _pods(r, "statefulset"))
    ended = [x.pod for x in r.ended]
    service = next((s for s in o.services if s.name == e.statefulset_service), None)
    all_gone = sorted(ended) == before and not o.statefulset_pods and o.statefulset is None
    order = ", ".join(f"{x.pod} at {x.at[11:]}" for x in r.ended) or "none"
    owned_before = {n: u for n, u in r.claims_before.items() if e.names.is_ordinal_claim(n)}
    kept = {n for n, u in owned_before.items() if r.claims_after.get(n) == u}
    if e.pvc_retention_when_deleted == "Delete":
        claims_name, claims_ok = "the claims go with the StatefulSet (whenDeleted: Delete)", not kept
    else:
        claims_name, claims_ok = "the claims outlive the StatefulSet (whenDeleted: Retain)", kept == set(owned_before)
    return [
        make_check(
            "a cascading delete removes every pod with the StatefulSet (in no promised order); its Service stays",
            "statefulset",
            PASSED if all_gone and service is not None and not r.problem else FAILED,
            f"{', '.join(before) or 'no pods'} gone, Service {e.statefulset_service} still there",
            f"ended: {order}; Service {e.statefulset_service}: {'still there' if service else 'GONE'}"
            + (f"; {r.problem}" if r.problem else ""),
        ),
        make_check(
            claims_name,
            "statefulset",
            (PASSED if claims_ok else FAILED) if owned_before else NOT_APPLICABLE,
            "every claim of the StatefulSet "
            + ("deleted" if e.pvc_retention_when_deleted == "Delete" else "kept, the same claim"),
            ", ".join(f"{n}: {'kept' if n in kept else 'gone'}" for n in sorted(owned_before)) or "no claims",
        ),
    ]


# --- drain, uncordon, stop-node, start-node -----------------------------------------


def _drain(e: Expectations, r: LessonRecord, o: Observation) -> list[Check]:
    evicted = sorted((p for p in r.before if p.workload == "statefulset" and p.node == r.node), key=lambda p: p.name)
    now = _current(o)
    lines: list[str] = []
    verdicts: list[Verdict] = []
    for old in evicted:
        back = now.get(old.name)
        if back is not None and back.uid != old.uid and pinned_to_its_volume(back.unschedulable):
            verdicts.append(PASSED)
            lines.append(f"{old.name}: a new pod, {back.state}")
            continue
        waiting_for = [
            p.name for p in evicted if p.name < old.name and (now.get(p.name) is None or not now[p.name].ready)
        ]
        if back is None and waiting_for and e.pod_management_policy == "OrderedReady":
            verdicts.append(PASSED)
            lines.append(f"{old.name}: not created yet, OrderedReady waits for {waiting_for[0]} to be Ready first")
            continue
        verdicts.append(FAILED)
        lines.append(
            f"{old.name}: "
            + ("missing" if back is None else f"{'the SAME' if back.uid == old.uid else 'a new'} pod, {back.state}")
        )
    evicted_dep = [p.name for p in r.before if p.workload == "deployment" and p.node == r.node]
    dep_now = [p.name for p in o.deployment_pods]
    replaced = bool(evicted_dep) and not set(evicted_dep) & set(dep_now) and len(dep_now) == e.deployment_replicas
    checks = []
    if evicted:
        checks.append(
            make_check(
                f"draining {r.node} evicts its StatefulSet pods; they come back under their names and wait for "
                "their volumes' node",
                "statefulset",
                worst(verdicts),
                "each evicted pod created again, Pending on its volume's node affinity (or, OrderedReady, waiting "
                "for a lower ordinal first)",
                "; ".join(lines),
            )
        )
    if evicted_dep:
        checks.append(
            make_check(
                f"the Deployment's pods evicted from {r.node} are replaced under new names",
                "deployment",
                PASSED if replaced else FAILED,
                f"{e.deployment_replicas} pods, none named as an evicted one",
                f"evicted: {', '.join(evicted_dep)}; now: {', '.join(dep_now) or 'none'}",
            )
        )
    return checks


def _data_back(e: Expectations, r: LessonRecord, o: Observation, after_what: str) -> list[Check]:
    claims = {c.name: c for c in o.claims}
    lines: list[str] = []
    verdicts: list[Verdict] = []
    for p in o.statefulset_pods:
        claim = claims.get(e.names.claim_of(p.name))
        served = r.served.get(p.name, "(not read)")
        fine = p.ready and claim is not None and claim.node == p.node and served == p.name
        verdicts.append(PASSED if fine else FAILED)
        lines.append(f"{p.name} on {p.node or 'no node'} ({p.state}), serves {served!r}")
    return [
        make_check(
            f"after {after_what}, every pod runs again on its volume's node and serves its own page",
            "statefulset",
            worst(verdicts) if verdicts and len(verdicts) == e.replicas else FAILED,
            "each pod Ready on its claim's node, serving the name it wrote",
            "; ".join(lines) or "no pods",
        )
    ]


def _stop_node(e: Expectations, r: LessonRecord, o: Observation) -> list[Check]:
    assert r.ordinal is not None
    pod = e.names.pod(r.ordinal)
    old = {p.name: p for p in r.before}[pod]
    now = _current(o).get(pod)
    same = now is not None and now.uid == old.uid
    lost = [p.name for p in r.before if p.workload == "deployment" and p.node == r.node]
    dep_now = [p.name for p in o.deployment_pods]
    checks = [
        make_check(
            f"while {r.node} is down, {pod} is not replaced: it stays the only {pod}",
            "statefulset",
            PASSED if same else FAILED,
            f"the same {pod} (uid {old.uid[:8]}), on {r.node}",
            f"{pod}: "
            + (
                "missing"
                if now is None
                else f"{'the same' if same else 'a NEW'} pod on {now.node or 'no node'}, {now.state}"
            ),
        )
    ]
    if lost:
        checks.append(
            make_check(
                f"the Deployment replaces its pods of {r.node} under new names",
                "deployment",
                PASSED if not set(lost) & set(dep_now) and len(dep_now) == e.deployment_replicas else FAILED,
                f"{e.deployment_replicas} pods, none named as the lost ones",
                f"lost: {', '.join(lost)}; now: {', '.join(dep_now) or 'none'}"
                + (f"; {r.problem}" if r.problem else ""),
            )
        )
    return checks


# --- scale-behind: drift ---------------------------------------------------------


def _scales_statefulset(step: str, name: str) -> bool:
    words = shlex.split(step)
    return any(words[i : i + 3] == ["scale", "statefulset", name] for i in range(len(words)))


def _scale_behind(e: Expectations, r: LessonRecord, o: Observation) -> list[Check]:
    """kubectl scaled the StatefulSet to one replica more: the cluster runs that
    many Ready pods, the new one at the next ordinal, while the stack still asks
    for its own count (the drift check of the workloads says so too)."""
    name = "after kubectl scale, the cluster runs one pod more than the stack asks for"
    wanted = e.replicas + 1
    new_pod = e.names.pod(e.ordinals_start + e.replicas)
    expected = f"{wanted} Ready pods, {new_pod} the new one, while the stack's replicas stay {e.replicas}"
    scaled = next((step for step in r.steps if _scales_statefulset(step, e.statefulset)), "")
    if o.statefulset is None:
        return [make_check(name, "statefulset", FAILED, expected, f"no StatefulSet {e.statefulset} now")]
    ready = sorted(p.name for p in o.statefulset_pods if p.ready)
    was_there = {p.name for p in _pods(r, "statefulset")}
    ok = (
        bool(scaled)
        and o.statefulset.replicas == wanted
        and ready == sorted(e.names.pod(i) for i in range(e.ordinals_start, e.ordinals_start + wanted))
        and new_pod not in was_there
    )
    observed = (
        f"the lesson ran: {scaled or 'no kubectl scale of it'}; the cluster's replicas {o.statefulset.replicas}, "
        f"the stack's {e.replicas}; Ready: {', '.join(ready) or 'none'}; "
        f"before the lesson: {', '.join(sorted(was_there)) or 'none'}"
    )
    return [make_check(name, "statefulset", PASSED if ok else FAILED, expected, observed)]


LESSON_CHECKS: dict[LessonName, Callable[[Expectations, LessonRecord, Observation], list[Check]]] = {
    "delete-pods": _delete_pods,
    "delete-pod": _delete_pod,
    "force-delete-pod": _delete_pod,
    "orphan": _orphan,
    "adopt": _adopt,
    "cascade-delete": _cascade,
    "recreate": _recreate,
    "drain": _drain,
    "uncordon": lambda e, r, o: _data_back(e, r, o, "the uncordon"),
    "stop-node": _stop_node,
    "start-node": lambda e, r, o: _data_back(e, r, o, "the node returns"),
    "scale-behind": _scale_behind,
    "delete-claim": delete_claim_checks,
    "dns-after-delete": dns_after_delete_checks,
}


def check_lesson(e: Expectations, o: Observation) -> list[Check]:
    r = o.lesson
    if r is None or r.lesson == "none":
        return []
    stale = "" if r.lesson in WITHOUT_STATEFULSET else _moved_on(r, o)
    checks = LESSON_CHECKS[r.lesson](e, r, o)
    if stale:
        checks = [make_check(c.name, c.workload, NOT_APPLICABLE, c.expected, stale) for c in checks]
    checks.append(
        make_check(
            f"the lesson {r.lesson} did all it meant to",
            "statefulset",
            FAILED if r.problem else PASSED,
            "its action complete, every step run",
            r.problem or f"finished at {r.finished}, having run {len(r.steps)} command(s) of its own since {r.started}",
        )
    )
    return checks

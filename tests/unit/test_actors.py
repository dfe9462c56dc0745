"""Who did what: the audit log's entries and the controllers' events turned
into actions, and the actors named on a pod's timeline."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from probes.actors import (
    FROM_EVENTS,
    actions_from_audit,
    actions_from_events,
    actor_name,
    gather_actions,
    lab_audit_log,
)
from probes.facts import Action, LifecycleEvent
from report.actors import Actors
from tests.unit.documents import load

NOW = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)
SINCE = NOW - timedelta(hours=1)


def entry(verb: str, name: str, user: str, agent: str = "", code: int = 200, **ref: Any) -> str:
    """One JSON line as the kube-apiserver writes it at Metadata level."""
    return json.dumps(
        {
            "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata", "stage": "ResponseComplete",
            "verb": verb, "user": {"username": user}, "userAgent": agent,
            "objectRef": {"resource": "pods", "namespace": "lab", "name": name, "apiVersion": "v1", **ref},
            "responseStatus": {"code": code},
            "requestReceivedTimestamp": "2026-12-07T04:59:00.123456Z",
        },
        separators=(",", ":"),
    )  # fmt: skip


CONTROLLER = "system:serviceaccount:kube-system:statefulset-controller"


def test_each_kind_of_user_is_named_in_words() -> None:
    assert actor_name(CONTROLLER) == "the StatefulSet controller"
    assert actor_name("system:serviceaccount:kube-system:generic-garbage-collector") == "the garbage collector"
    assert actor_name("system:serviceaccount:kube-system:taint-eviction-controller") == "the taint eviction controller"
    assert actor_name("system:serviceaccount:kube-system:job-controller") == "the job-controller controller"
    assert actor_name("system:node:lab-worker-1") == "the kubelet of lab-worker-1"
    assert actor_name("system:serviceaccount:local-path-storage:local-path-provisioner-service-account") == (
        "the local-path provisioner"
    )
    assert actor_name("kubernetes-admin", "kubectl/v1.37.2 (linux/amd64) kubernetes/abc") == "kubectl"
    assert actor_name("kubernetes-admin", "pulumi-kubernetes/v4.25.0") == "Pulumi's kubernetes provider"
    assert actor_name("alice", "curl/8.0") == "alice (curl)"


def test_the_audit_log_gives_the_namespaces_creates_deletes_and_evictions_with_their_users() -> None:
    lines = [
        entry("create", "web-sts-0", CONTROLLER),
        entry("delete", "web-sts-0", "kubernetes-admin", "kubectl/v1.37.2"),
        entry("create", "web-sts-1", "system:serviceaccount:kube-system:taint-eviction-controller",
              subresource="eviction"),
        entry("delete", "web-sts-0", "system:node:lab-worker-0"),
        entry("delete", "web-sts-9", CONTROLLER, code=404),  # refused: no such pod
        entry("patch", "web-sts-1", CONTROLLER),  # not a create, delete or eviction
        entry("create", "web-sts-0", CONTROLLER).replace('"namespace":"lab"', '"namespace":"other"'),
        '{"cut off',
    ]  # fmt: skip
    found = actions_from_audit(lines, "lab", SINCE)
    assert [(a.verb, a.name, a.actor) for a in found] == [
        ("created", "web-sts-0", "the StatefulSet controller"),
        ("deleted", "web-sts-0", "kubectl"),
        ("evicted", "web-sts-1", "the taint eviction controller"),
        ("deleted", "web-sts-0", "the kubelet of lab-worker-0"),
    ]
    assert found[0].user == CONTROLLER and found[0].kind == "pod"
    assert actions_from_audit(lines, "lab", NOW) == [], "entries older than the window are left out"


def test_without_an_audit_log_the_controllers_events_name_what_they_did() -> None:
    events = [
        LifecycleEvent("web-sts-0", "created", "2026-12-07T04:59:00Z", 1, "StatefulSet", "web-sts"),
        LifecycleEvent("web-dep-abc-12345", "deleted", "2026-12-07T04:59:01Z", 2, "ReplicaSet", "web-dep-abc"),
        LifecycleEvent("web-sts-0", "killing", "2026-12-07T04:59:02Z", 3),
    ]
    assert actions_from_events(events) == [
        Action("2026-12-07T04:59:00Z", "created", "pod", "web-sts-0", "the StatefulSet controller"),
        Action("2026-12-07T04:59:01Z", "deleted", "pod", "web-dep-abc-12345", "the ReplicaSet controller"),
    ]
    actions, source = gather_actions("lab", events, NOW, None)
    assert (len(actions), source) == (2, FROM_EVENTS)


def test_the_audit_log_is_used_only_on_the_lab_cluster_and_says_where_it_is(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "audit.log"
    log.parent.mkdir()
    (log.parent / "audit-2026-12-07T04-00-00.000.log").write_text(entry("create", "web-sts-0", CONTROLLER) + "\n")
    log.write_text(entry("delete", "web-sts-0", "kubernetes-admin", "kubectl/v1.37.2") + "\n")
    env = {"STATEFULSET_LAB_CLUSTER": "1", "STATEFULSET_LAB_STATE": str(tmp_path)}
    assert lab_audit_log(env) == log
    assert lab_audit_log({**env, "STATEFULSET_LAB_CLUSTER": "0"}) is None
    actions, source = gather_actions("lab", [], NOW, log)
    assert [a.verb for a in actions] == ["created", "deleted"], "the rotated file first"
    assert source == f"the lab cluster's audit log ({log})"


def test_the_timeline_names_who_created_and_who_deleted_each_life() -> None:
    doc = load("scale-in")
    sts = next(p for p in doc.pods.statefulset if p.name == "web-sts-0")
    start = datetime.fromisoformat(sts.created.replace("Z", "+00:00"))
    made = Action(sts.created, "created", "pod", "web-sts-0", "the StatefulSet controller", CONTROLLER)
    gone = Action(sts.created, "deleted", "pod", "web-sts-0", "kubectl")
    actors = Actors(replace(doc, actions=[made, gone], actions_source="the lab cluster's audit log (x)"))
    assert actors.of_life("web-sts-0", start, None) == "created by the StatefulSet controller; deleted by kubectl"
    assert Actors(replace(doc, actions=[])).of_life("nobody", start, None) == ""

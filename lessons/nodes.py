"""Lessons that take a node away and give it back.

- drain: every pod writes its name into its page, then the node of the
  StatefulSet pod lessonOrdinal (the highest by default) is drained: its pods
  are evicted, re-created, and wait Pending on their volumes' node.
- uncordon: the nodes of the lab's volumes take pods again; every pod comes
  back on its volume's node and serves the page it wrote.
- stop-node (embedded lab cluster only): the same node stops as a crash would
  (kubelet, kube-proxy, containerd and its containers): it turns NotReady, the
  Deployment replaces its pods, the StatefulSet's pod stays the only one.
- start-node: every stopped lab worker starts again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kube.objects import is_ready, is_terminating
from lessons.cluster import LessonCluster, LessonError, by_name, now, say
from lessons.spec import LessonSpec
from probes.lesson_record import LessonRecord

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EVICTION_SECONDS = 120
"""How long stop-node waits for the Deployment to replace the stopped node's
pods: NotReady after the node monitor grace, evicted after the tolerations."""


def _target_node(lab: LessonCluster, spec: LessonSpec) -> tuple[int, str]:
    ordinal = spec.highest_ordinal if spec.ordinal is None else spec.ordinal
    pod = by_name(lab.snapshot()).get(spec.pod(ordinal))
    if pod is None or not pod.node:
        raise LessonError(f"{spec.pod(ordinal)} does not run on a node now, so there is no node of it to take away")
    return ordinal, pod.node


def _pages(lab: LessonCluster) -> dict[str, str]:
    """Each StatefulSet pod writes its own name: the data that must come back with the node."""
    return {p.name: lab.write_name(p.name) for p in lab.snapshot() if p.workload == "statefulset" and p.ready}


def drain(spec: LessonSpec) -> LessonRecord:
    lab = LessonCluster(spec)
    started = now()
    ordinal, node = _target_node(lab, spec)
    written = _pages(lab)
    before = lab.snapshot()
    say(f"draining {node}, the node of {spec.pod(ordinal)}")
    lab.run(
        lab.kubectl(
            "drain", node, "--ignore-daemonsets", "--delete-emptydir-data", f"--timeout={spec.timeout_seconds}s",
            namespaced=False,
        )
    )  # fmt: skip
    evicted = [p for p in before if p.node == node]
    # An OrderedReady StatefulSet creates only the lowest of its evicted pods
    # while that one cannot be Ready; the Deployment replaces all of its own.
    lowest = min((p.name for p in evicted if p.workload == "statefulset"), default="", key=_ordinal_key)
    gone = {p.uid for p in evicted}

    def re_created() -> bool:
        live = [i for i in lab.pod_items() if not is_terminating(i)]
        names = {i["metadata"]["name"] for i in live if i["metadata"]["uid"] not in gone}
        dep_back = len([i for i in live if i["metadata"]["name"].startswith(f"{spec.deployment}-")])
        dep_before = len([p for p in before if p.workload == "deployment"])
        return (not lowest or lowest in names) and dep_back >= dep_before

    problem = lab.wait_or_problem(f"the pods evicted from {node} created again", re_created)
    return LessonRecord(
        lesson=spec.lesson, started=started, finished=now(), ordinal=ordinal, node=node, before=before,
        after=lab.snapshot(), written=written, steps=lab.steps, problem=problem,
    )  # fmt: skip


def _ordinal_key(name: str) -> int:
    return int(name.rsplit("-", 1)[-1])


def _lab_volume_nodes(lab: LessonCluster) -> set[str]:
    claims = set(lab.claims())
    volumes = lab.json(lab.kubectl("get", "persistentvolumes", "--output=json", namespaced=False))["items"]
    nodes = set()
    for pv in volumes:
        claim = pv.get("spec", {}).get("claimRef") or {}
        if claim.get("namespace") != lab.spec.namespace or claim.get("name") not in claims:
            continue
        for term in pv["spec"].get("nodeAffinity", {}).get("required", {}).get("nodeSelectorTerms", []):
            for expr in term.get("matchExpressions", []):
                if expr.get("key") == "kubernetes.io/hostname":
                    nodes.update(expr.get("values", []))
    return nodes


def _settle(lab: LessonCluster, spec: LessonSpec, before_count: tuple[int, int]) -> tuple[dict[str, str], str]:
    """What each StatefulSet pod serves once every pod is Ready again, and what
    kept that from happening in time (empty when nothing did)."""
    problem = lab.wait_or_problem("every pod Ready again", lambda: lab.all_ready(*before_count))
    return {p.name: lab.served(p.name) for p in lab.snapshot() if p.workload == "statefulset"}, problem


def _counts(spec: LessonSpec, lab: LessonCluster) -> tuple[int, int]:
    dep = len([p for p in lab.snapshot() if p.workload == "deployment"])
    return spec.replicas, dep


def uncordon(spec: LessonSpec) -> LessonRecord:
    lab = LessonCluster(spec)
    started = now()
    before = lab.snapshot()
    wanted = _lab_volume_nodes(lab)
    cordoned = sorted(
        n["metadata"]["name"]
        for n in lab.nodes()
        if n["metadata"]["name"] in wanted and n.get("spec", {}).get("unschedulable")
    )
    for node in cordoned:
        say(f"uncordoning {node}")
        lab.run(lab.kubectl("uncordon", node, namespaced=False))
    served, problem = _settle(lab, spec, _counts(spec, lab))
    return LessonRecord(
        lesson=spec.lesson, started=started, finished=now(), node=", ".join(cordoned), before=before,
        after=lab.snapshot(), served=served, steps=lab.steps, problem=problem,
    )  # fmt: skip


def _labcluster(lab: LessonCluster, *args: str) -> None:
    argv = [sys.executable, "-m", "labcluster", *args]
    lab.steps.append(" ".join(["python", "-m", "labcluster", *args]))
    done = subprocess.run(argv, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise LessonError(
            f"python -m labcluster {' '.join(args)} failed: {(done.stderr or done.stdout).strip()[-800:]}"
        )


def _node_ready(lab: LessonCluster, node: str) -> bool:
    item = next((n for n in lab.nodes() if n["metadata"]["name"] == node), None)
    return item is not None and is_ready(item)


def stop_node(spec: LessonSpec) -> LessonRecord:
    lab = LessonCluster(spec)
    started = now()
    ordinal, node = _target_node(lab, spec)
    written = _pages(lab)
    before = lab.snapshot()
    say(f"stopping {node}, the node of {spec.pod(ordinal)}, as a crash would")
    _labcluster(lab, "node", "stop", node)
    problem = lab.wait_or_problem(f"{node} NotReady", lambda: not _node_ready(lab, node))
    lost = {p.uid for p in before if p.node == node and p.workload == "deployment"}
    if lost and not problem:
        problem = lab.wait_or_problem(
            "the Deployment's replacements of the pods on it",
            lambda: len([p for p in lab.snapshot() if p.workload == "deployment" and p.uid not in lost])
            >= len([p for p in before if p.workload == "deployment"]),
            EVICTION_SECONDS,
        )
    return LessonRecord(
        lesson=spec.lesson, started=started, finished=now(), ordinal=ordinal, node=node, before=before,
        after=lab.snapshot(), written=written, steps=lab.steps, problem=problem,
    )  # fmt: skip


def start_node(spec: LessonSpec) -> LessonRecord:
    lab = LessonCluster(spec)
    started = now()
    before = lab.snapshot()
    stopped = sorted(n["metadata"]["name"] for n in lab.nodes() if not is_ready(n))
    for node in stopped:
        say(f"starting {node}")
        _labcluster(lab, "node", "start", node)
    served, problem = _settle(lab, spec, _counts(spec, lab))
    return LessonRecord(
        lesson=spec.lesson, started=started, finished=now(), node=", ".join(stopped), before=before,
        after=lab.snapshot(), served=served, steps=lab.steps, problem=problem,
    )  # fmt: skip

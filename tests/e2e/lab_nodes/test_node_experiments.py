"""What only several nodes show: a drained worker and a failed worker.

Both scenarios lay the lab out as the seed's cluster had it: `web-sts-0` on
one worker, `web-sts-1` and the Deployment (with its shared volume) on the
other, the worker the experiment then takes away. (A cordon while each part
comes up decides where it lands; the volumes then pin the pods there.) The
failure scenario stops and starts a lab cluster node, so these run on the
lab cluster only (`make e2e` leaves them out on a cluster of your own).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from labstack.automation import ROOT, LabStack
from tests.e2e.kube import kubectl, kubectl_json

pytestmark = pytest.mark.e2e
PAGE = "/usr/share/nginx/html/index.html"
PINNED = "didn't match PersistentVolume's node affinity"


@dataclass(frozen=True)
class Pod:
    name: str
    uid: str
    node: str
    ready: bool
    terminating: bool
    unschedulable: str
    """The scheduler's message on a Pending pod (`0/3 nodes are available: ...`)."""

    @classmethod
    def of(cls, item: dict[str, Any]) -> Pod:
        conditions = item["status"].get("conditions") or []
        scheduled: dict[str, Any] = next((c for c in conditions if c["type"] == "PodScheduled"), {})
        return cls(
            name=item["metadata"]["name"],
            uid=item["metadata"]["uid"],
            node=item["spec"].get("nodeName", ""),
            ready=any(c["type"] == "Ready" and c["status"] == "True" for c in conditions),
            terminating=bool(item["metadata"].get("deletionTimestamp")),
            unschedulable=scheduled.get("message", "") if scheduled.get("status") == "False" else "",
        )


def pods(namespace: str) -> list[Pod]:
    return [Pod.of(i) for i in kubectl_json("get", "pods", f"--namespace={namespace}")["items"]]


def live(namespace: str) -> dict[str, Pod]:
    return {p.name: p for p in pods(namespace) if not p.terminating}


def workers() -> list[str]:
    nodes = kubectl_json("get", "nodes")["items"]
    labels = {n["metadata"]["name"]: n["metadata"].get("labels", {}) for n in nodes}
    found = sorted(name for name, lab in labels.items() if "node-role.kubernetes.io/control-plane" not in lab)
    if len(found) < 2:
        pytest.fail(
            f"the node experiments need two workers, the cluster has {found}: run `make cluster-up WORKERS=2`",
            pytrace=False,
        )
    return found


def wait_for(what: str, check: Callable[[], bool], timeout: float, namespace: str) -> float:
    """Polls `check` every second; returns the seconds it took, or fails naming
    `what` and showing the namespace's pods as they were last seen."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return round(time.monotonic() - start, 1)
        time.sleep(1)
    seen = "\n".join(f"  {p}" for p in pods(namespace))
    raise AssertionError(f"not within {timeout:.0f}s: {what}; pods of {namespace}:\n{seen}")


def served_by(namespace: str, pod: str) -> str:
    return kubectl("exec", pod, f"--namespace={namespace}", "--", "curl", "-s", "http://localhost/").strip()


def labcluster(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "labcluster", *args], cwd=ROOT, check=True, timeout=300, capture_output=True)


def node_ready(node: str) -> bool:
    conditions = kubectl_json("get", "node", node)["status"]["conditions"]
    return any(c["type"] == "Ready" and c["status"] == "True" for c in conditions)


def make_report(lab: SplitLab) -> str:
    """`make report` of the experiment's stack, run as a learner runs it (the
    workspace holds the Makefile), with the suite's backend; its output."""
    env = {**os.environ, **(lab.stack.stack.workspace.env_vars or {})}
    done = subprocess.run(
        ["make", "--no-print-directory", "report", f"STACK={lab.stack.name}"],
        cwd=lab.stack.stack.workspace.work_dir, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


def all_ready(namespace: str, count: int) -> bool:
    now = pods(namespace)
    return len(now) == count and all(p.ready and not p.terminating for p in now)


@dataclass(frozen=True)
class SplitLab:
    namespace: str
    worker: str
    """The worker of web-sts-1 and the Deployment."""
    stack: LabStack


@pytest.fixture
def split_lab(scenario_stack: Callable[..., LabStack], request: pytest.FixtureRequest) -> Iterator[SplitLab]:
    """web-sts-0 on one worker; web-sts-1, having written a page of its own,
    and both Deployment pods on the other. The test names its stack with
    `@pytest.mark.parametrize("split_lab", ["<name>"], indirect=True)`."""
    name = str(request.param)
    first, second = workers()
    namespace = f"e2e-{name}"
    stack = scenario_stack(name, namespace=namespace)
    kubectl("cordon", second)
    try:
        stack.up("web-sts-0 on the first worker", replicas="1", deploymentReplicas="0")
    finally:
        kubectl("uncordon", second)
    kubectl("cordon", first)
    try:
        stack.up("web-sts-1 and the Deployment on the second", replicas="2", deploymentReplicas="2")
    finally:
        kubectl("uncordon", first)
    placed = {p.name: p.node for p in pods(namespace)}
    assert placed.pop("web-sts-0") == first and set(placed.values()) == {second}, placed
    kubectl("exec", "web-sts-1", f"--namespace={namespace}", "--", "sh", "-c", f"echo kept-by-web-sts-1 > {PAGE}")
    yield SplitLab(namespace, second, stack)


@pytest.mark.parametrize("split_lab", ["drain"], indirect=True)
def test_draining_the_worker_of_web_sts_1_leaves_its_pods_pending_on_their_pinned_volumes(split_lab: SplitLab) -> None:
    namespace, node = split_lab.namespace, split_lab.worker
    old = live(namespace)
    kubectl("drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=180s", timeout=240)
    try:
        moved = ["web-sts-1", *(n for n in old if n.startswith("web-dep-"))]

        def recreated_and_pending() -> bool:
            now = live(namespace)
            evicted = [p for p in now.values() if p.name != "web-sts-0"]
            return len(now) == 4 and all(
                p.uid not in {o.uid for o in old.values()} and PINNED in p.unschedulable for p in evicted
            )

        wait_for("web-sts-1 and the Deployment's pods re-created and Pending", recreated_and_pending, 120, namespace)
        now = live(namespace)
        assert now["web-sts-1"].uid != old["web-sts-1"].uid, "re-created under the same name"
        assert not {n for n in now if n.startswith("web-dep-")} & set(moved), "the Deployment's replacements: new names"
        for pod in (p for p in now.values() if p.name != "web-sts-0"):
            assert pod.node == "" and "unschedulable" in pod.unschedulable, pod  # the drained node is cordoned
        assert now["web-sts-0"].uid == old["web-sts-0"].uid and now["web-sts-0"].ready, "web-sts-0 was not on it"
    finally:
        kubectl("uncordon", node)
    wait_for("every pod Ready again after the uncordon", lambda: all_ready(namespace, 4), 180, namespace)
    assert {p.node for p in pods(namespace) if p.name != "web-sts-0"} == {node}
    assert served_by(namespace, "web-sts-1") == "kept-by-web-sts-1"


@pytest.mark.parametrize("split_lab", ["node-failure"], indirect=True)
def test_a_failed_worker_the_deployment_replaces_its_pods_the_statefulset_waits(split_lab: SplitLab) -> None:
    namespace, node = split_lab.namespace, split_lab.worker
    old = live(namespace)
    labcluster("node", "stop", node)
    try:
        started = time.monotonic()
        wait_for(f"{node} NotReady", lambda: not node_ready(node), 90, namespace)

        def deployment_replaced() -> bool:
            now = live(namespace)
            return len([n for n in now if n.startswith("web-dep-") and n not in old]) == 2

        wait_for("the Deployment's replacement pods", deployment_replaced, 120, namespace)
        evicted = time.monotonic() - started
        report = make_report(split_lab)
        for verdict in (
            "PASS  [statefulset] a pod whose volume's node is unavailable waits for that node",
            "PASS  [statefulset] at most one pod per ordinal: a pod on a failed node is not replaced",
            "PASS  [deployment] pods the volume's node cannot run are replaced under new names",
        ):
            assert verdict in report, report
        assert f"worker {node} is stopped and stays so" in report, "make report names the stopped worker"
        assert not node_ready(node), "make report must leave the stopped worker stopped"
        # At most one pod per identity: the old web-sts-1 is terminating on the dead node
        # and no second web-sts-1 exists until it is confirmed gone.
        for _ in range(10):
            same_name = [p for p in pods(namespace) if p.name == "web-sts-1"]
            assert len(same_name) == 1 and same_name[0].uid == old["web-sts-1"].uid, same_name
            time.sleep(1)
        kubectl("delete", "pod", "web-sts-1", f"--namespace={namespace}", "--force", "--grace-period=0")
        wait_for(
            "a new web-sts-1, Pending on its volume's node",
            lambda: (p := live(namespace).get("web-sts-1")) is not None
            and p.uid != old["web-sts-1"].uid
            and PINNED in p.unschedulable,
            60,
            namespace,
        )
    finally:
        labcluster("node", "start", node)
    wait_for(
        "web-sts-1 and the Deployment running again on the restarted node",
        lambda: (p := live(namespace).get("web-sts-1")) is not None and p.ready and p.node == node,
        240,
        namespace,
    )
    assert served_by(namespace, "web-sts-1") == "kept-by-web-sts-1"
    print(f"node failure: Deployment pods replaced {evicted:.0f}s after the node stopped")

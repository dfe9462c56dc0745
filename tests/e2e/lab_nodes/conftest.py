"""The seed's layout on the lab cluster's two workers, for the node lessons:
`web-sts-0` on one worker, `web-sts-1` and the Deployment (with its shared
volume) on the other, the worker the lessons take away. (A cordon while each
part comes up decides where it lands; the volumes then pin the pods there.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kube.names import LabNames
from labstack.automation import ROOT, LabStack, lab_stack
from tests.e2e.kube import kubectl, kubectl_json
from tests.shared_run import shared_run
from tests.stacks_of_the_run import STACKS_OF_THE_RUN, context_config


@dataclass(frozen=True)
class SplitLab:
    stack: LabStack
    namespace: str
    first: str
    """The worker of web-sts-0."""
    worker: str
    """The worker of web-sts-1 and the Deployment, the one the lessons take away."""


def workers() -> list[str]:
    nodes = kubectl_json("get", "nodes")["items"]
    labels = {n["metadata"]["name"]: n["metadata"].get("labels", {}) for n in nodes}
    found = sorted(name for name, lab in labels.items() if "node-role.kubernetes.io/control-plane" not in lab)
    if len(found) < 2:
        pytest.fail(
            f"the node lessons need two workers, the cluster has {found}: run `make cluster-up WORKERS=2`",
            pytrace=False,
        )
    return found


def node_ready(node: str) -> bool:
    conditions = kubectl_json("get", "node", node)["status"]["conditions"]
    return any(c["type"] == "Ready" and c["status"] == "True" for c in conditions)


def pod_nodes(namespace: str) -> dict[str, str]:
    """The node of each pod of the two workloads: the probes' DNS pod, deleted
    without waiting, may still be in the namespace, on any node."""
    names = LabNames()
    lab_pods = f"--selector=app in ({names.statefulset.app},{names.deployment.app})"
    return {
        p["metadata"]["name"]: p["spec"].get("nodeName", "")
        for p in kubectl_json("get", "pods", f"--namespace={namespace}", lab_pods)["items"]
    }


WAIT_FOR_THE_OTHERS_MINUTES = 45


def needs_the_cluster(nodeid: str) -> bool:
    """A test of the run other than the node experiments that the lab's nodes must be left alone for."""
    return nodeid.startswith(("tests/e2e/", "tests/cluster/")) and "/lab_nodes/" not in nodeid


@pytest.fixture(scope="session", autouse=True)
def cluster_to_themselves(request: pytest.FixtureRequest) -> None:
    """The node experiments drain, cordon and stop workers and scale CoreDNS
    to nothing: they start only once every other test of the run has ended,
    so that no other scenario's pods are caught by them (tests/conftest.py
    hands them out after every other cluster test). Unit tests in the same
    run touch no cluster: they are not waited for. The other tests' stacks,
    destroyed in the background, are waited for too."""
    others = [item.nodeid for item in request.session.items if needs_the_cluster(item.nodeid)]
    run = shared_run(request.config)
    deadline = time.monotonic() + WAIT_FOR_THE_OTHERS_MINUTES * 60
    left = run.wait_for(others, timeout=deadline - time.monotonic())
    if left:
        pytest.fail(
            f"the node experiments need the cluster to themselves, but after {WAIT_FOR_THE_OTHERS_MINUTES} min "
            f"these tests had not ended: {left}",
            pytrace=False,
        )
    destroying = run.wait_for_teardowns(timeout=max(deadline - time.monotonic(), 0))
    if destroying:
        pytest.fail(
            f"the node experiments need the cluster to themselves, but after {WAIT_FOR_THE_OTHERS_MINUTES} min "
            f"these stacks were still being destroyed: {destroying}",
            pytrace=False,
        )


SPLIT_LAB = "nodes"
"""The one stack of every node experiment: its set-up (two ups with a cordon
each) and its destroy are paid once, in the run's serial tail."""


@pytest.fixture(scope="session")
def split_lab(workspace: Path, pulumi_env: dict[str, str], setup_stack: LabStack) -> Iterator[SplitLab]:
    """The seed's layout, shared by the node experiments in turn: each leaves
    the layout as it found it (its last step brings every pod back to its
    node) and starts by checking it (`assert_split`)."""
    first, second = workers()
    namespace = f"e2e-{SPLIT_LAB}"
    settings = {"namespace": namespace, "installLocalPath": "false", **context_config()}
    with lab_stack(workspace, f"e2e-{SPLIT_LAB}", pulumi_env, **settings) as stack:
        STACKS_OF_THE_RUN.append(stack)
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
        lab = SplitLab(stack, namespace, first, second)
        try:
            yield lab
        finally:
            # Whatever a lesson left, the nodes take pods again before the stack is destroyed.
            subprocess.run(
                [sys.executable, "-m", "labcluster", "node", "start", second],
                cwd=ROOT, capture_output=True, timeout=300, check=False,
            )  # fmt: skip
            kubectl("uncordon", second)


def assert_split(lab: SplitLab) -> None:
    """web-sts-0 on the first worker, everything else on the second: what
    every node experiment starts from (the one before may have failed)."""
    placed = pod_nodes(lab.namespace)
    sts0 = placed.pop("web-sts-0", "")
    assert sts0 == lab.first and set(placed.values()) == {lab.worker}, (
        f"the node experiments' layout is broken (a test before this one failed?): web-sts-0 on {sts0!r}, "
        f"the others {placed}"
    )


def without_lesson(lab: SplitLab, label: str) -> None:
    """An up that ends the last lesson, so the next experiment is judged on the set-up's checks."""
    lab.stack.unset("lesson", "lessonOrdinal")
    lab.stack.up(label)


def make_report(lab: SplitLab) -> str:
    """`make report` of the lesson's stack, run as a learner runs it (the
    workspace holds the Makefile), with the suite's backend; its output."""
    env = {**os.environ, **(lab.stack.stack.workspace.env_vars or {})}
    done = subprocess.run(
        ["make", "--no-print-directory", "report", f"STACK={lab.stack.name}"],
        cwd=lab.stack.stack.workspace.work_dir, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output

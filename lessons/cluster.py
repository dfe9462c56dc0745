"""How a lesson reads and changes the cluster: kube.runner underneath, every
failure a LessonError naming the command, every wait bounded and said out
loud on stderr (which `pulumi up` shows while the step runs)."""

from __future__ import annotations

import shlex
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kube.objects import is_ready, is_terminating
from kube.runner import CommandError, Runner, run_bounded
from kube.target import display, kubectl
from lessons.spec import LessonSpec
from probes.lesson_record import LessonPod

Item = dict[str, Any]
POLL_SECONDS = 0.5


class LessonError(RuntimeError):
    """The lesson could not do what it meant to; the message says what and why."""


def now() -> str:
    """UTC to the millisecond: the order of pods ending within one second matters."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


def say(message: str) -> None:
    print(f"lesson: {message}", file=sys.stderr, flush=True)


class LessonCluster:
    """The lab's namespace as one lesson sees it, and the commands it ran."""

    def __init__(self, spec: LessonSpec) -> None:
        self.spec = spec
        self.steps: list[str] = []
        self.runner = Runner(LessonError, spec.timeout_seconds)

    # --- running -----------------------------------------------------------------

    def kubectl(self, *args: str, namespaced: bool = True) -> list[str]:
        return kubectl(self.spec.target, *args, namespaced=namespaced)

    def run(self, argv: list[str], timeout: float | None = None, record: bool = True) -> str:
        if record:
            self.steps.append(display(argv))
        return self.runner.run(argv, timeout)

    def json(self, argv: list[str]) -> Item:
        return self.runner.json(argv)

    def wait(self, what: str, done: Callable[[], bool], timeout: float | None = None) -> float:
        """Polls `done` until it holds; the seconds it took. LessonError naming `what` at the timeout."""
        limit = timeout or self.spec.timeout_seconds
        say(f"waiting for {what}")
        start = time.monotonic()
        while not done():
            if time.monotonic() - start > limit:
                raise LessonError(f"not within {limit:.0f}s: {what}")
            time.sleep(POLL_SECONDS)
        return round(time.monotonic() - start, 1)

    def wait_or_problem(self, what: str, done: Callable[[], bool], timeout: float | None = None) -> str:
        """`wait`, for an action that goes on either way: empty when `done` came
        in time, else the problem its record carries (the probes then judge
        what happened instead of the lesson stopping)."""
        try:
            self.wait(what, done, timeout)
        except LessonError as err:
            return str(err)
        return ""

    # --- reading -----------------------------------------------------------------

    def pod_items(self) -> list[Item]:
        """Every pod with either workload's label, terminating ones included."""
        names = self.spec.names
        apps = f"app in ({names.statefulset.app},{names.deployment.app})"
        items: list[Item] = self.json(self.kubectl("get", "pods", f"--selector={apps}", "--output=json"))["items"]
        return items

    def snapshot(self) -> list[LessonPod]:
        """The pods of both workloads that are not on their way out."""
        return [_lesson_pod(i, self.spec) for i in self.pod_items() if not is_terminating(i)]

    def statefulset(self) -> Item | None:
        listed = self.json(
            self.kubectl(
                "get", "statefulsets", f"--field-selector=metadata.name={self.spec.statefulset}", "--output=json"
            )
        )
        found: list[Item] = listed.get("items", [])
        return found[0] if found else None

    def require_statefulset(self, otherwise: str) -> Item:
        """The StatefulSet a lesson acts on; a LessonError saying `otherwise` (what
        cannot be done, or the fix) when it does not exist."""
        found = self.statefulset()
        if found is None:
            raise LessonError(f"StatefulSet {self.spec.statefulset} does not exist: {otherwise}")
        return found

    def claims(self) -> dict[str, str]:
        """Claim name -> uid, of the namespace's claims that are not being deleted."""
        items = self.json(self.kubectl("get", "persistentvolumeclaims", "--output=json"))["items"]
        return {i["metadata"]["name"]: i["metadata"]["uid"] for i in items if not is_terminating(i)}

    def nodes(self) -> list[Item]:
        nodes: list[Item] = self.json(self.kubectl("get", "nodes", "--output=json", namespaced=False))["items"]
        return nodes

    # --- pages -------------------------------------------------------------------

    def write_name(self, pod: str) -> str:
        """The seed's `echo $(hostname) > index.html`: what the pod's volume will serve."""
        page = shlex.quote(f"{self.spec.document_root}/index.html")
        self.run(
            self.kubectl("exec", pod, f"--container={self.spec.container}", "--", "sh", "-c", f"hostname > {page}")
        )
        return pod

    def served(self, pod: str) -> str:
        """The seed's `curl localhost` in the pod; what went wrong, when it could not be read."""
        argv = self.kubectl(
            "exec", pod, f"--container={self.spec.container}", "--", "curl", "--silent", "--max-time", "5",
            "http://localhost/",
        )  # fmt: skip
        try:
            return run_bounded(argv, 30).strip()
        except CommandError as err:
            return f"(not read: {err})"

    # --- waiting -----------------------------------------------------------------

    def all_ready(self, statefulset_pods: int, deployment_pods: int) -> bool:
        pods = [i for i in self.pod_items() if not is_terminating(i)]
        sts = [i for i in pods if i["metadata"]["labels"].get("app") == self.spec.names.statefulset.app]
        dep = [i for i in pods if i["metadata"]["labels"].get("app") == self.spec.names.deployment.app]
        return (
            len(sts) == statefulset_pods
            and len(dep) == deployment_pods
            and all(is_ready(i) for i in sts + dep)
            and len(pods) == len(self.pod_items())
        )


def _lesson_pod(item: Item, spec: LessonSpec) -> LessonPod:
    meta, spec_, status = item["metadata"], item.get("spec", {}), item.get("status", {})
    labels = meta.get("labels", {})
    workload = "statefulset" if labels.get("app") == spec.names.statefulset.app else "deployment"
    controller = next((o for o in meta.get("ownerReferences") or [] if o.get("controller")), None)
    return LessonPod(
        name=meta["name"],
        workload=workload,
        uid=meta.get("uid", ""),
        ip=status.get("podIP", ""),
        node=spec_.get("nodeName", ""),
        revision=labels.get("controller-revision-hash") or labels.get("pod-template-hash", ""),
        claims=[
            v["persistentVolumeClaim"]["claimName"] for v in spec_.get("volumes") or [] if "persistentVolumeClaim" in v
        ],
        ready=is_ready(item),
        owner=f"{controller.get('kind')}/{controller.get('name')}" if controller else "",
    )


def by_name(pods: list[LessonPod]) -> dict[str, LessonPod]:
    return {p.name: p for p in pods}

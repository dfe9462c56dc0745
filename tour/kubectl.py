"""What a step does, as a learner without Pulumi would type it with kubectl:
the tutorial's own commands, where one exists.

A step is a config change and an `up`; some keys map onto one kubectl
command (scale, set image, patch the partition), a lesson onto the kubectl
(or make) commands its action runs. Keys that have none (an immutable field
whose change replaces the StatefulSet, a run id) are left out.
"""

from __future__ import annotations

from collections.abc import Callable

from kube.names import LabNames
from labstack.experiments import Step, stack_file_config

NAMES = LabNames()
STS, DEP, CONTAINER = NAMES.statefulset.workload, NAMES.deployment.workload, NAMES.container


def _partition(value: str) -> str:
    patch = '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":' + value + "}}}}"
    return f"kubectl patch statefulset {STS} -p '{patch}'"


CONFIG: dict[str, Callable[[str], list[str]]] = {
    "replicas": lambda n: [f"kubectl scale statefulset {STS} --replicas={n}"],
    "deploymentReplicas": lambda n: [f"kubectl scale deployment {DEP} --replicas={n}"],
    "image": lambda image: [
        f"kubectl set image statefulset/{STS} {CONTAINER}={image}",
        f"kubectl set image deployment/{DEP} {CONTAINER}={image}",
    ],
    "partition": lambda n: [_partition(n)],
}


def _pod(ordinal: str) -> str:
    return f"{STS}-{ordinal or 1}"


def _node_of(ordinal: str) -> str:
    return f"$(kubectl get pod {_pod(ordinal)} -o jsonpath='{{.spec.nodeName}}')"


LESSONS: dict[str, Callable[[str], list[str]]] = {
    "delete-pods": lambda _: [
        f"kubectl delete pod -l app={NAMES.statefulset.app}",
        f"kubectl delete pod -l app={NAMES.deployment.app}",
    ],
    "delete-pod": lambda n: [f"kubectl delete pod {_pod(n)}"],
    "delete-claim": lambda n: [
        f"kubectl delete pvc {NAMES.claim_of(_pod(n))} --wait=false",
        f"kubectl delete pod {_pod(n)}",
    ],
    "force-delete-pod": lambda n: [f"kubectl delete pod {_pod(n)} --grace-period=0 --force"],
    "orphan": lambda _: [f"kubectl delete statefulset {STS} --cascade=orphan", f"kubectl delete pod {STS}-0"],
    "cascade-delete": lambda _: [f"kubectl delete statefulset {STS}"],
    "drain": lambda n: [f"kubectl drain {_node_of(n)} --ignore-daemonsets --delete-emptydir-data"],
    "uncordon": lambda _: ["kubectl uncordon <the drained node>"],
    "stop-node": lambda n: [f"make node-stop NODE={_node_of(n)}"],
    "start-node": lambda _: ["make node-start NODE=<the stopped worker>"],
}


def kubectl_equivalent(step: Step) -> list[str]:
    """The kubectl commands that do what the step's config change does (in its
    namespace); [] when none do. A stack's first `up` runs the lesson its stack
    file sets, if any. A step with REFRESH=1 creates again what was deleted
    behind the stack's back: its config goes into that object, which kubectl
    would create from a manifest, not change with a command of its own."""
    settings = step.settings if step.config else stack_file_config(step.stack)
    changes = [] if step.refresh else step.config
    lines = [line for key, value in changes if key in CONFIG for line in CONFIG[key](value)]
    lesson = LESSONS.get(settings.get("lesson", ""))
    if lesson is not None:
        lines += lesson(settings.get("lessonOrdinal", ""))
    return lines

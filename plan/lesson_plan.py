"""Whether the stack's lesson can run on its cluster, decided at preview.

The lessons that stop and start a node (stop-node, start-node) act on the
embedded lab cluster of this machine (`python -m labcluster node stop`): on
any other cluster the preview says so, naming the key, before anything runs.
"""

from __future__ import annotations

import json

from kube.target import KubectlTarget
from labcluster.paths import LabPaths
from plan import cluster_facts
from plan.settings import PROJECT, LabSettings
from probes.lesson_catalogue import CATALOGUE


class LessonPlanError(ValueError):
    """The lesson cannot run on this stack's cluster; the message says why and what to use instead."""


def lab_node_names(paths: LabPaths) -> set[str]:
    """The nodes of this machine's lab cluster, as its last `up` laid them out
    (none when it never ran). Read from the layout file alone: the program
    imports nothing else of the lab cluster's code."""
    try:
        layout = json.loads((paths.state / "layout.json").read_text())
    except (OSError, ValueError):
        return set()
    return {str(node["name"]) for node in layout.get("nodes", []) if isinstance(node, dict) and "name" in node}


def check_lesson_cluster(settings: LabSettings, cluster_nodes: list[str], lab_nodes: set[str]) -> None:
    lesson = CATALOGUE[settings.lesson.name]
    if not lesson.lab_only:
        return
    if lab_nodes and set(cluster_nodes) == lab_nodes:
        return
    raise LessonPlanError(
        f"{PROJECT}:lesson {lesson.name} {lesson.does}: it stops and starts nodes of this machine's embedded lab "
        f"cluster, and the stack's cluster is not it (its nodes: {', '.join(cluster_nodes) or 'none'}; the lab's: "
        f"{', '.join(sorted(lab_nodes)) or 'never started'}). On another cluster use the lessons drain and "
        "uncordon, or stop a node by its own means."
    )


def plan_lesson(settings: LabSettings, target: KubectlTarget) -> None:
    """Raises LessonPlanError when the lesson cannot run on the stack's cluster."""
    if not CATALOGUE[settings.lesson.name].lab_only or settings.renders_only:
        return
    check_lesson_cluster(settings, cluster_facts.read_node_names(target), lab_node_names(LabPaths.from_env()))

"""Whether the cluster keeps the StatefulSet fields the stack sets that older
API servers drop without a word: maxUnavailable (honoured from Kubernetes 1.37,
earlier only behind the MaxUnavailableStatefulSet feature gate), the start
ordinal (1.27 on by default) and the claim retention policy (1.27).

A server-side dry run of a small StatefulSet that sets exactly those fields
answers it for this cluster, whatever its version or feature gates: a field
the API server does not know or has switched off is missing from its answer.
The program warns at preview, naming the setting, rather than let the field
be dropped.
"""

from __future__ import annotations

import json
from typing import Any

from kube.runner import CommandError, run_bounded
from kube.target import KubectlTarget, kubectl
from plan.settings import PROJECT, LabSettings

CHECK_NAME = "statefulset-lab-field-check"


def fields_in_use(settings: LabSettings) -> dict[str, tuple[str, ...]]:
    """The settings that use a droppable field -> where the field sits in a StatefulSet's spec."""
    used: dict[str, tuple[str, ...]] = {}
    if settings.max_unavailable and settings.update_strategy == "RollingUpdate":
        used["maxUnavailable"] = ("updateStrategy", "rollingUpdate", "maxUnavailable")
    if settings.ordinals_start:
        used["ordinalsStart"] = ("ordinals", "start")
    if "Delete" in (settings.pvc_retention_when_deleted, settings.pvc_retention_when_scaled):
        used["pvcRetentionWhenDeleted/pvcRetentionWhenScaled"] = ("persistentVolumeClaimRetentionPolicy",)
    return used


def check_manifest(settings: LabSettings) -> dict[str, Any]:
    """The smallest StatefulSet that sets every field in use, as the program would."""
    rolling: dict[str, Any] = {"partition": 0}
    if settings.max_unavailable:
        number = settings.max_unavailable
        rolling["maxUnavailable"] = number if number.endswith("%") else int(number)
    spec: dict[str, Any] = {
        "replicas": 0,
        "serviceName": CHECK_NAME,
        "selector": {"matchLabels": {"app": CHECK_NAME}},
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": rolling},
        "persistentVolumeClaimRetentionPolicy": {
            "whenDeleted": settings.pvc_retention_when_deleted,
            "whenScaled": settings.pvc_retention_when_scaled,
        },
        "template": {
            "metadata": {"labels": {"app": CHECK_NAME}},
            "spec": {"containers": [{"name": "c", "image": settings.image}]},
        },
    }
    if settings.ordinals_start:
        spec["ordinals"] = {"start": settings.ordinals_start}
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": CHECK_NAME}, "spec": spec}


def dropped(answer: dict[str, Any], settings: LabSettings) -> list[str]:
    """The settings whose field is missing from the API server's answer."""
    found = []
    for key, path in fields_in_use(settings).items():
        node: Any = answer.get("spec", {})
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            found.append(key)
    return found


def warning(key: str, version: str) -> str:
    why = {
        "maxUnavailable": "before Kubernetes 1.37 it needs the MaxUnavailableStatefulSet feature gate; "
        "pods are then replaced one at a time",
        "ordinalsStart": "it needs Kubernetes 1.27 or later; pods are then numbered from 0",
        "pvcRetentionWhenDeleted/pvcRetentionWhenScaled": "it needs Kubernetes 1.27 or later; claims are then "
        "always kept",
    }[key]
    return (
        f"{PROJECT}:{key} has no effect on this cluster (API server {version or 'of unknown version'}): a server-side "
        f"dry run of a StatefulSet dropped the field it sets; {why}"
    )


def unsupported_field_warnings(settings: LabSettings, target: KubectlTarget) -> list[str]:
    """One warning per setting whose field this cluster drops; nothing when none is in use."""
    if not fields_in_use(settings) or settings.renders_only:
        return []
    manifest = json.dumps(check_manifest(settings))
    argv = kubectl(target, "create", "--dry-run=server", "--filename=-", "--output=json")
    try:
        answer = json.loads(run_bounded(argv, 45, stdin=manifest))
        version = json.loads(run_bounded(kubectl(target, "version", "--output=json", namespaced=False), 45))
    except (CommandError, ValueError) as err:
        keys = ", ".join(f"{PROJECT}:{k}" for k in fields_in_use(settings))
        return [f"could not check whether this cluster keeps the fields of {keys}: {err}"]
    server = str((version.get("serverVersion") or {}).get("gitVersion", ""))
    return [warning(key, server) for key in dropped(answer, settings)]

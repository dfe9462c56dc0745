"""Reading the resources a policy is shown: Kubernetes objects as their
inputs spell them (camelCase, as in a manifest), and the program's
pulumi-command steps, whose command line carries a JSON spec."""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

STATEFULSET = "kubernetes:apps/v1:StatefulSet"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
CLAIM = "kubernetes:core/v1:PersistentVolumeClaim"
WORKLOADS = (STATEFULSET, DEPLOYMENT, "kubernetes:apps/v1:ReplicaSet")
COMMAND = "command:local:Command"


@dataclass(frozen=True)
class Resource:
    """One resource of the stack as a stack policy sees it."""

    resource_type: str
    props: Mapping[str, Any]


def field(props: Mapping[str, Any], *path: str) -> Any:
    """The value at `path`, None where any step of it is missing."""
    node: Any = props
    for part in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def whole_numbers(value: Any) -> Any:
    """`value` with every whole float as an int: numbers reach a policy through
    protobuf as floats (replicas 3.0), which Kubernetes' int fields refuse."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: whole_numbers(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [whole_numbers(v) for v in value]
    return value


def name_of(props: Mapping[str, Any]) -> str:
    return str(field(props, "metadata", "name") or "?")


def pod_spec(workload: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = field(workload, "spec", "template", "spec")
    return spec if isinstance(spec, Mapping) else {}


def replicas(workload: Mapping[str, Any]) -> int:
    """spec.replicas, 1 when unset (the API server's default)."""
    value = field(workload, "spec", "replicas")
    return 1 if value is None else int(value)


def mounted_claims(workload: Mapping[str, Any]) -> list[str]:
    """Names of the claims the pod template mounts as volumes (not its claim templates)."""
    volumes = pod_spec(workload).get("volumes") or []
    return [
        str(v["persistentVolumeClaim"]["claimName"])
        for v in volumes
        if isinstance(v, Mapping) and isinstance(v.get("persistentVolumeClaim"), Mapping)
    ]


def module_spec(command_line: str, module: str) -> tuple[str, dict[str, Any]] | None:
    """For a step `python -m <module> <what> '<spec>'`: what it runs and its spec;
    None for any other command."""
    try:
        argv = shlex.split(command_line)
    except ValueError:
        return None
    for i in range(len(argv) - 3):
        if argv[i : i + 2] == ["-m", module]:
            try:
                spec = json.loads(argv[i + 3])
            except ValueError:
                return None
            return (argv[i + 2], spec) if isinstance(spec, dict) else None
    return None


def command_spec(props: Mapping[str, Any], module: str) -> tuple[str, dict[str, Any]] | None:
    """The spec of a `local.Command` of the program running `python -m <module>`."""
    create = props.get("create")
    return module_spec(create, module) if isinstance(create, str) else None


def of_type(resources: Sequence[Resource], *types: str) -> list[Resource]:
    return [r for r in resources if r.resource_type in types]

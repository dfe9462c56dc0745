"""Reads the few cluster facts the program needs before it plans anything:
whether a StorageClass and the provisioner's namespace already exist and
which stack (if any) installed them. Read-only kubectl calls, made during
preview and up alike, on the same cluster and context as the provider."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass

from components.kubectl import KubectlTarget, display, kubectl
from components.local_path_specs import OWNER_ANNOTATION


class ClusterUnreachableError(RuntimeError):
    """kubectl could not read from the cluster; the message says how to fix it."""


@dataclass(frozen=True)
class ExistingObject:
    name: str
    owner: str
    """Value of the statefulset-lab/owner annotation; empty when not installed by this project."""


def read_object(target: KubectlTarget, kind: str, name: str) -> ExistingObject | None:
    argv = kubectl(target, "get", kind, name, "--ignore-not-found", "--output", "json", namespaced=False)
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=45, check=False)
    except FileNotFoundError as err:
        raise ClusterUnreachableError("kubectl is not on PATH: run `make toolchain` or install kubectl") from err
    except subprocess.TimeoutExpired as err:
        raise ClusterUnreachableError(f"no answer from the cluster within 45s: {display(argv)}") from err
    if done.returncode != 0:
        raise ClusterUnreachableError(
            f"cannot read {kind} {name} from the cluster ({done.stderr.strip()}). Start the lab cluster with "
            "`make cluster-up`, or check KUBECONFIG and the stack's kubeconfig/context settings."
        )
    if not done.stdout.strip():
        return None
    meta = json.loads(done.stdout)["metadata"]
    return ExistingObject(name=meta["name"], owner=(meta.get("annotations") or {}).get(OWNER_ANNOTATION, ""))

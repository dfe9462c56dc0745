"""Reads the few cluster facts the program needs before it plans anything:
which StorageClasses exist (which one is the default, which stack installed
ours) and whether the provisioner's namespace exists. Read-only GETs, made
during preview and up alike, on the same cluster and context as the
provider: from this process where kube.api_access can use the kubeconfig (a
kubectl start costs more than the read, and every `pulumi` operation makes
these reads before it can plan), else with kubectl, two at a time."""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from kube import api_reads
from kube.api_access import shared_access_for
from kube.runner import CommandFailedError, CommandNotFoundError, CommandTimedOutError, run_bounded
from kube.storage_names import DEFAULT_CLASS_ANNOTATION, OWNER_ANNOTATION
from kube.target import KubectlTarget, display, kubectl

# The annotation older clusters still set on their default class.
BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class"
_FORBIDDEN = re.compile(r'cannot (?P<verb>\w+) resource "(?P<resource>[^"]+)"')


class ClusterUnreachableError(RuntimeError):
    """kubectl could not read from the cluster; the message says how to fix it."""


@dataclass(frozen=True)
class ExistingObject:
    name: str
    owner: str
    """Value of the statefulset-lab/owner annotation; empty when not installed by this project."""
    is_default: bool = False
    """For a StorageClass: the cluster's default class."""


def _from_item(item: dict[str, Any]) -> ExistingObject:
    meta = item["metadata"]
    annotations = meta.get("annotations") or {}
    default = "true" in (annotations.get(DEFAULT_CLASS_ANNOTATION), annotations.get(BETA_DEFAULT_CLASS_ANNOTATION))
    return ExistingObject(name=meta["name"], owner=annotations.get(OWNER_ANNOTATION, ""), is_default=default)


def explain_failure(what: str, stderr: str) -> str:
    """What went wrong reading the cluster, and the fix, from kubectl's stderr."""
    forbidden = _FORBIDDEN.search(stderr)
    if "forbidden" in stderr.lower() and forbidden:
        return (
            f"the kubeconfig's user may not {forbidden['verb']} {forbidden['resource']} ({stderr.strip()}). "
            f"The program reads {what} before it plans anything: grant that user get/list on "
            f"{forbidden['resource']}, or use a kubeconfig with that right."
        )
    return (
        f"cannot read {what} from the cluster ({stderr.strip()}). Start the lab cluster with "
        "`make cluster-up`, or check KUBECONFIG and the stack's kubeconfig/context settings."
    )


READ_TIMEOUT_SECONDS = 45


def _read(target: KubectlTarget, what: str, api_path: str, *args: str) -> dict[str, Any] | None:
    """What `kubectl get <args> --output=json` prints, parsed; None for a
    `--ignore-not-found` get of an object that does not exist."""
    argv = kubectl(target, "get", *args, "--output=json", namespaced=False)
    try:
        access = shared_access_for(target.kubeconfig, target.context)
        if access is not None:
            deadline = time.monotonic() + READ_TIMEOUT_SECONDS
            if "--ignore-not-found" in args:
                return api_reads.get_json_if_found(access, api_path, argv, deadline)
            return api_reads.get_json(access, api_path, argv, deadline)
        out = run_bounded(argv, READ_TIMEOUT_SECONDS)
    except CommandNotFoundError as err:
        raise ClusterUnreachableError(str(err)) from err
    except CommandTimedOutError as err:
        raise ClusterUnreachableError(
            f"no answer from the cluster within {READ_TIMEOUT_SECONDS}s: {display(argv)}"
        ) from err
    except CommandFailedError as err:
        raise ClusterUnreachableError(explain_failure(what, err.stderr)) from err
    return json.loads(out) if out.strip() else None


def read_namespace(target: KubectlTarget, name: str) -> ExistingObject | None:
    found = _read(target, f"namespace {name}", f"/api/v1/namespaces/{name}", "namespace", name, "--ignore-not-found")
    return _from_item(found) if found else None


def read_storage_classes(target: KubectlTarget) -> list[ExistingObject]:
    listed = _read(target, "the StorageClasses", "/apis/storage.k8s.io/v1/storageclasses", "storageclasses")
    return [_from_item(i) for i in (listed or {}).get("items") or []]


def read_storage_facts(target: KubectlTarget, namespace: str) -> tuple[list[ExistingObject], ExistingObject | None]:
    """Every StorageClass, and the namespace `namespace` if it exists, read at once."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        classes = pool.submit(read_storage_classes, target)
        found = pool.submit(read_namespace, target, namespace)
        return classes.result(), found.result()


def read_node_names(target: KubectlTarget) -> list[str]:
    """The names of the cluster's nodes."""
    listed = _read(target, "the nodes", "/api/v1/nodes", "nodes")
    return sorted(i["metadata"]["name"] for i in (listed or {}).get("items") or [])

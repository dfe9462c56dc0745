"""Advice on a StatefulSet field the cluster will drop: maxUnavailable, which
an API server before Kubernetes 1.37 without the MaxUnavailableStatefulSet
feature gate removes without a word.

The cluster answers it, not its version: the StatefulSet the stack is about
to send, renamed and scaled to 0, goes to a server-side dry run (nothing is
created), and a field missing from the answer is one the cluster drops.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from .cluster import kubectl_json
from .resources import field, name_of, whole_numbers

CHECK_NAME = "statefulset-lab-policy-check"
MAX_UNAVAILABLE = ("spec", "updateStrategy", "rollingUpdate", "maxUnavailable")


def requested_max_unavailable(statefulset: Mapping[str, Any]) -> str | None:
    """The maxUnavailable a RollingUpdate StatefulSet asks for, None when it asks for none."""
    if (field(statefulset, "spec", "updateStrategy", "type") or "RollingUpdate") != "RollingUpdate":
        return None
    value = whole_numbers(field(statefulset, *MAX_UNAVAILABLE))
    return None if value is None else str(value)


def dry_run_manifest(statefulset: Mapping[str, Any]) -> dict[str, Any]:
    """The StatefulSet as the stack sends it, under a name of its own and with no pods."""
    manifest: dict[str, Any] = whole_numbers(statefulset)
    manifest.update(apiVersion="apps/v1", kind="StatefulSet")
    manifest["metadata"] = {"name": CHECK_NAME, "namespace": namespace_of(statefulset)}
    manifest["spec"] = {**manifest.get("spec", {}), "replicas": 0}
    return manifest


def namespace_of(statefulset: Mapping[str, Any]) -> str:
    return str(field(statefulset, "metadata", "namespace") or "default")


def kept_by(answer: Mapping[str, Any]) -> bool:
    """Whether the API server's answer still carries maxUnavailable."""
    return field(answer, *MAX_UNAVAILABLE) is not None


def dropped_advice(statefulset: Mapping[str, Any], value: str) -> str:
    return (
        f"StatefulSet {name_of(statefulset)}: statefulset-lab:maxUnavailable {value} has no effect on this cluster: "
        "a server-side dry run of this StatefulSet came back without it (before Kubernetes 1.37 it needs the "
        "MaxUnavailableStatefulSet feature gate). An update will replace the pods one at a time, as if it were unset."
    )


def unchecked_advice(statefulset: Mapping[str, Any], value: str, why: str) -> str:
    return (
        f"StatefulSet {name_of(statefulset)}: could not ask the cluster whether it keeps maxUnavailable {value} "
        f"({why}); before Kubernetes 1.37 an API server without the MaxUnavailableStatefulSet feature gate drops it."
    )


@contextmanager
def kubeconfig_file(kubeconfig: str) -> Iterator[str]:
    """The provider's kubeconfig as a path: it is a path, or the file's text."""
    if "\n" not in kubeconfig:
        yield os.path.expanduser(kubeconfig)
        return
    with tempfile.NamedTemporaryFile("w", suffix=".kubeconfig") as written:
        written.write(kubeconfig)
        written.flush()
        yield written.name


def ask_cluster(manifest: Mapping[str, Any], kubeconfig: str, context: str) -> dict[str, Any]:
    """The API server's answer to a server-side dry run of `manifest`; raises
    RuntimeError naming what went wrong."""
    with kubeconfig_file(kubeconfig) as path:
        argv = ["kubectl", *(["--kubeconfig", path] if path else []), *(["--context", context] if context else [])]
        argv += ["--request-timeout=20s", "create", "--dry-run=server", "--filename=-", "--output=json"]
        return kubectl_json(argv, stdin=json.dumps(manifest))


def max_unavailable_dropped(statefulset: Mapping[str, Any], kubeconfig: str = "", context: str = "") -> list[str]:
    """The advice when the cluster drops the maxUnavailable the StatefulSet asks for."""
    value = requested_max_unavailable(statefulset)
    if value is None:
        return []
    try:
        answer = ask_cluster(dry_run_manifest(statefulset), kubeconfig, context)
    except RuntimeError as err:
        return [unchecked_advice(statefulset, value, str(err))]
    return [] if kept_by(answer) else [dropped_advice(statefulset, value)]

"""The stack that installed local-path cannot pull it from under other stacks.

While another stack's claims use the class, destroying the installing stack
stops at its storage guard, before anything is deleted: the provisioner, the
class and the stack's own workloads are all still there afterwards.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pytest

from components.local_path_storage import APP
from kube.labels import selector
from labstack.automation import ROOT, LabStack, StackOperationError
from tests.e2e.cluster_state import statefulset
from tests.e2e.kube import kubectl_json

pytestmark = pytest.mark.e2e


def installer() -> str:
    """The stack recorded on the local-path StorageClass as its installer."""
    annotations = kubectl_json("get", "storageclass", "local-path")["metadata"].get("annotations") or {}
    return str(annotations.get("statefulset-lab/owner", ""))


def provisioner_uids() -> tuple[str, list[str]]:
    """The uid of the provisioner's Deployment and of its pods that are not being deleted."""
    deployment = kubectl_json("get", "deployment", APP, "--namespace", "local-path-storage")
    pods = kubectl_json("get", "pods", "--namespace", "local-path-storage", "--selector", selector(APP))
    alive = sorted(p["metadata"]["uid"] for p in pods["items"] if not p["metadata"].get("deletionTimestamp"))
    assert alive, "no provisioner pod is running"
    return str(deployment["metadata"]["uid"]), alive


def test_destroying_the_installer_under_another_stacks_claims_is_refused_and_deletes_nothing(
    setup_stack: LabStack, scenario_stack: Callable[..., LabStack]
) -> None:
    user = scenario_stack("guarded", probes="false")
    user.up("a stack on the shared class")
    owner = installer()
    if owner != "statefulset-lab/e2e-setup":
        # Someone else's stack (e.g. a `make demo` seed) owns the installation and
        # cannot be destroyed by the suite: the guard is exercised on its own, with
        # that stack's real spec, against the real claims of the other stack.
        spec = {"storage_class": "local-path", "namespace": "default", "installed_by": owner, "context": ""}
        done = subprocess.run(
            [sys.executable, "-m", "gates", "storage-users", json.dumps(spec)],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 1, done
        assert "claim e2e-guarded/www-web-sts-0 (Bound)" in done.stderr, done.stderr
        return
    before = statefulset("e2e-setup")["metadata"]["uid"]
    provisioner_before = provisioner_uids()
    with pytest.raises(StackOperationError) as refused:
        setup_stack.destroy()
    message = str(refused.value)
    assert "refusing to remove local-path-provisioner" in message, message[-3000:]
    assert "claim e2e-guarded/www-web-sts-0 (Bound)" in message
    assert statefulset("e2e-setup")["metadata"]["uid"] == before, "the installer's own workloads were touched"
    # Whether the provisioner's pod is ready at this instant is up to its probes;
    # what the guard promises is that nothing of it was deleted.
    assert provisioner_uids() == provisioner_before, "the provisioner was deleted or replaced"
    assert kubectl_json("get", "storageclass", "local-path")["provisioner"] == "rancher.io/local-path"
    # The installer goes on working: an up after the refused destroy changes nothing.
    setup_stack.up("after the refused destroy")
    changes = setup_stack.last_resource_changes()
    assert set(changes) == {"same"}, changes

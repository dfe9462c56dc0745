"""The "own cluster" path as a user who is not the cluster's admin.

The cluster's admin gives a learner a namespace with the usual `edit` rights
there and read access to the cluster-wide objects the lab looks at (nodes,
StorageClasses, PersistentVolumes, namespaces), and a kubeconfig of their
own. With it, `installLocalPath: auto` finds the existing local-path
installation, `pulumi up` and the probes pass, but for the SRV checks: they
port-forward to the cluster DNS in kube-system, a right the learner lacks, so
they are inconclusive and name it. Without one of those read rights, the
preview fails naming the right that is missing.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pulumi import automation as auto

from labstack.automation import LabStack, StackOperationError, assert_checks_pass
from tests.e2e.kube import kubectl, kubectl_json

pytestmark = pytest.mark.e2e
NAMESPACE = "e2e-learner"
READER = "statefulset-lab-e2e-reader"


def apply(document: dict[str, object]) -> None:
    kubectl("apply", "--filename=-", stdin=json.dumps(document))


def reader_role() -> dict[str, object]:
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": READER},
        "rules": [
            {"apiGroups": [""], "resources": ["nodes", "persistentvolumes", "namespaces"], "verbs": ["get", "list"]},
            {"apiGroups": ["storage.k8s.io"], "resources": ["storageclasses"], "verbs": ["get", "list", "watch"]},
        ],
    }


def reader_binding() -> dict[str, object]:
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": READER},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": READER},
        "subjects": [{"kind": "ServiceAccount", "name": "learner", "namespace": NAMESPACE}],
    }


def learner_kubeconfig(path: Path) -> Path:
    """A kubeconfig of the learner's own: the admin's cluster entry, the learner's token."""
    admin = kubectl_json("config", "view", "--raw", "--minify")
    cluster = admin["clusters"][0]["cluster"]
    token = kubectl("create", "token", "learner", f"--namespace={NAMESPACE}", "--duration=2h").strip()
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "lab", "cluster": cluster}],
                "users": [{"name": "learner", "user": {"token": token}}],
                "contexts": [{"name": "learner", "context": {"cluster": "lab", "user": "learner"}}],
                "current-context": "learner",
            }
        )
    )
    path.chmod(0o600)
    assert base64.b64decode(cluster["certificate-authority-data"]), "the cluster's CA travels with it"
    return path


@pytest.fixture
def learner(tmp_path: Path, setup_stack: LabStack) -> Iterator[Path]:
    """The learner's namespace, rights and kubeconfig; all removed afterwards."""
    del setup_stack  # the local-path installation the learner is to find
    kubectl("create", "namespace", NAMESPACE)
    try:
        kubectl("create", "serviceaccount", "learner", f"--namespace={NAMESPACE}")
        kubectl(
            "create", "rolebinding", "learner-edit", "--clusterrole=edit",
            f"--serviceaccount={NAMESPACE}:learner", f"--namespace={NAMESPACE}",
        )  # fmt: skip
        apply(reader_role())
        apply(reader_binding())
        yield learner_kubeconfig(tmp_path / "learner.kubeconfig")
    finally:
        kubectl("delete", "clusterrolebinding,clusterrole", READER, "--ignore-not-found")
        kubectl("delete", "namespace", NAMESPACE, "--wait=true", "--timeout=180s")


def test_a_learner_without_admin_rights_runs_the_lab_and_a_missing_right_is_named(
    workspace: Path, pulumi_env: dict[str, str], learner: Path
) -> None:
    stack = auto.create_or_select_stack(
        stack_name="e2e-learner", work_dir=str(workspace), opts=auto.LocalWorkspaceOptions(env_vars=pulumi_env)
    )
    lab = LabStack(stack)
    lab.configure(namespace=NAMESPACE, createNamespace="false", installLocalPath="auto", kubeconfig=str(learner))
    try:
        lab.up("as the learner")
        checks = lab.checks()
        srv = [name for name in checks if "SRV records" in name]
        assert len(srv) == 2, list(checks)
        for name in srv:
            assert checks[name].verdict == "inconclusive", checks[name]
            assert "create on pods/portforward in kube-system" in checks[name].observed, checks[name].observed
        assert_checks_pass(lab, *(name for name in checks if name not in srv and checks[name].verdict == "passed"))
        assert {c.verdict for n, c in checks.items() if n not in srv} <= {"passed", "not applicable"}, checks
        assert "using StorageClass local-path" in "\n".join(lab.log), "auto found the existing installation"

        kubectl("delete", "clusterrolebinding", READER)
        with pytest.raises(StackOperationError) as refused:
            lab.preview()
        assert "may not list storageclasses" in str(refused.value), str(refused.value)[-2000:]
        assert "grant that user get/list on storageclasses" in str(refused.value)
        apply(reader_binding())
    finally:
        try:
            lab.destroy()
        finally:
            stack.workspace.remove_stack("e2e-learner")

"""The measured operations, each against the real cluster.

Deploy: `pulumi up` of the seed's workloads into a fresh namespace vs the same
objects (rendered by the program itself) applied with `kubectl apply` and
waited for with `kubectl rollout status`. Namespaces are deleted between runs,
and the two sides alternate so drift on a noisy machine hits both.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kube.labels import selector
from kube.names import LabNames
from kube.objects import condition_since, is_ready
from kube.target import KubectlTarget
from kube.target import kubectl as target_kubectl
from labstack.automation import lab_stack
from plan.settings import DEFAULT_DNS_PROBE_IMAGE, DEFAULT_IMAGE
from probes.document import document_from_json
from probes.facts import Expectations, gate_failures

ROOT = Path(__file__).resolve().parents[1]
NAMES = LabNames()


def kubectl_argv(*args: str, environ: Mapping[str, str] = os.environ) -> list[str]:
    """kubectl on the benchmark's cluster: $KUBECONFIG (read by kubectl itself)
    and the context $KUBE_CONTEXT names, built as every kubectl argv is (kube.target)."""
    target = KubectlTarget(namespace="", context=environ.get("KUBE_CONTEXT", ""), request_timeout_seconds=60)
    return target_kubectl(target, *args, namespaced=False)


def kubectl(*args: str, timeout: int = 300) -> str:
    done = subprocess.run(kubectl_argv(*args), capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"kubectl {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def delete_namespace(name: str) -> None:
    kubectl("delete", "namespace", name, "--ignore-not-found", "--wait=true", "--timeout=240s")


@dataclass
class UpPhases:
    """Where the time of one `pulumi up` went, from its display as it streams:
    when the first resource started, and each resource's own duration, which
    the CLI prints with it (`web-sts-rollout created (10.3s)`)."""

    total: float
    first_resource: float
    spans: dict[str, float] = field(default_factory=dict)

    def span(self, name: str) -> float:
        return self.spans.get(name, 0.0)


_RESOURCE_DONE = re.compile(r"\s(?P<name>[\w.-]+) (?:created|updated|replaced) \((?P<seconds>[\d.]+)s\)")


def cli(workspace: Path, env: dict[str, str], *args: str) -> UpPhases:
    """Runs `pulumi <args>` as a user would (the CLI, not the Automation API,
    which adds a stack selection and an event log of its own), timing it and
    the lines it prints."""
    start = time.monotonic()
    first: float | None = None
    spans: dict[str, float] = {}
    with subprocess.Popen(
        ["pulumi", "--non-interactive", *args],
        cwd=workspace,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as child:
        assert child.stdout is not None
        output = []
        for line in child.stdout:
            output.append(line)
            if first is None and (" creating" in line or " updating" in line or " same" in line):
                first = time.monotonic() - start
            if match := _RESOURCE_DONE.search(line):
                spans[match["name"]] = float(match["seconds"])
    total = time.monotonic() - start
    if child.returncode != 0:
        raise RuntimeError(f"pulumi {' '.join(args)} failed:\n{''.join(output[-40:])}")
    return UpPhases(total=total, first_resource=first if first is not None else total, spans=spans)


def statefulset_floor(namespace: str) -> float:
    """First StatefulSet pod created -> last one Ready: the controller's own time."""
    items = json.loads(
        kubectl(
            "get", "pods", "--namespace", namespace, "--selector", selector(NAMES.statefulset.app), "--output", "json"
        )
    )["items"]
    created = [_ts(i["metadata"]["creationTimestamp"]) for i in items]
    ready = [_ts(condition_since(i, "Ready") or "") for i in items if is_ready(i)]
    return max(ready) - min(created) if created and len(ready) == len(items) else float("nan")


def _ts(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def pulumi_deploy(
    workspace: Path, env: dict[str, str], namespace: str, replicas: int = 2, with_noop: bool = False
) -> dict[str, Any]:
    """One `pulumi up` into a fresh namespace (probes off), then, `with_noop`,
    the no-op runs: a preview and an `up` with the probes on."""
    with lab_stack(
        workspace, f"bench-{namespace}", env, namespace=namespace, probes="false", replicas=str(replicas)
    ) as stack:
        up = cli(workspace, env, "up", "--yes", "--skip-preview", f"--stack={stack.name}")
        result = {
            "total": up.total,
            "startup": up.first_resource,
            "statefulset_create": up.span(f"{NAMES.statefulset.workload}-statefulset"),
            "statefulset_gate": up.span(f"{NAMES.statefulset.workload}-rollout"),
            "deployment_create": up.span(f"{NAMES.deployment.workload}-deployment"),
            "deployment_gate": up.span(f"{NAMES.deployment.workload}-rollout"),
            "floor": statefulset_floor(namespace),
        }
        if with_noop:
            stack.configure(probes="true")
            cli(workspace, env, "up", "--yes", "--skip-preview", f"--stack={stack.name}")
            result["noop_preview"] = cli(workspace, env, "preview", f"--stack={stack.name}").total
            result["noop_up"] = cli(workspace, env, "up", "--yes", "--skip-preview", f"--stack={stack.name}").total
    return result


def render_manifests(workspace: Path, env: dict[str, str], namespace: str, directory: Path) -> Path:
    """The program's own objects, rendered by the provider, for kubectl to apply.

    The provider refuses a kubeconfig in render mode, and it would take one
    from $KUBECONFIG, so the render runs without it.
    """
    kubeconfig = os.environ.pop("KUBECONFIG", None)
    try:
        return _render(workspace, env, namespace, directory)
    finally:
        if kubeconfig is not None:
            os.environ["KUBECONFIG"] = kubeconfig


def _render(workspace: Path, env: dict[str, str], namespace: str, directory: Path) -> Path:
    rendered = directory.with_name(directory.name + "-render")
    with lab_stack(
        workspace,
        "bench-render",
        env,
        namespace=namespace,
        probes="false",
        renderYamlToDirectory=str(rendered),
        installLocalPath="false",
    ) as stack:
        stack.up("render")
        # Destroying a render-mode stack deletes its files: keep a copy.
        shutil.copytree(rendered / "1-manifest", directory)
    return directory


def kubectl_apply(manifests: Path) -> None:
    # kubectl applies a directory in file-name order; the namespace must come first.
    for namespace_file in sorted(manifests.glob("*-namespace-*.yaml")):
        kubectl("apply", "--filename", str(namespace_file))
    kubectl("apply", "--recursive", "--filename", str(manifests))


def kubectl_deploy(manifests: Path, namespace: str) -> dict[str, float]:
    """The same objects with kubectl, waited for as `pulumi up` waits: both
    rollouts, then a no-op apply of the same files."""
    start = time.monotonic()
    kubectl_apply(manifests)
    kubectl(
        "rollout", "status", f"statefulset/{NAMES.statefulset.workload}", "--namespace", namespace, "--timeout=300s"
    )
    kubectl("rollout", "status", f"deployment/{NAMES.deployment.workload}", "--namespace", namespace, "--timeout=300s")
    total = time.monotonic() - start
    return {
        "total": total,
        "floor": statefulset_floor(namespace),
        "noop_apply": _time(lambda: kubectl_apply(manifests)),
    }


def _time(fn: Any) -> float:
    start = time.monotonic()
    fn()
    return time.monotonic() - start


def probe_runs(workspace: Path, env: dict[str, str], replicas: int, runs: int) -> list[dict[str, Any]]:
    """The probe command at `replicas` pods per workload, run `runs` times."""
    namespace = f"bench-probes-{replicas}"
    results = []
    with lab_stack(
        workspace,
        f"bench-probes-{replicas}",
        env,
        namespace=namespace,
        probes="false",
        replicas=str(replicas),
        deploymentReplicas=str(replicas),
        podManagementPolicy="Parallel",
    ) as stack:
        stack.up(f"{replicas} replicas")
        expect = Expectations.for_lab(
            NAMES,
            namespace=namespace,
            dns_image=DEFAULT_DNS_PROBE_IMAGE,
            replicas=replicas,
            deployment_replicas=replicas,
            image=DEFAULT_IMAGE,
            update_strategy="RollingUpdate",
            partition=0,
            pod_management_policy="Parallel",
            pvc_retention_when_scaled="Retain",
        )
        argv = [sys.executable, "-m", "probes", "observe", f"--expect={json.dumps(expect.__dict__)}"]
        for _ in range(runs):
            start = time.monotonic()
            done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
            elapsed = time.monotonic() - start
            if done.returncode != 0:
                raise RuntimeError(f"probes at {replicas} replicas failed: {done.stderr.strip()}")
            doc = document_from_json(json.loads(done.stdout))
            failed = [c.name for c in gate_failures(doc.checks)]
            results.append({"total": elapsed, "steps": doc.durations, "failed_checks": failed})
    return results


def unit_suite_seconds() -> float:
    start = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "pytest", "tests/unit", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=600,
    )
    return time.monotonic() - start


def cluster_restart_seconds() -> float:
    """`labcluster up` from stopped, binaries and images already built."""
    subprocess.run([sys.executable, "-m", "labcluster", "down"], cwd=ROOT, check=True, timeout=300, capture_output=True)
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "labcluster", "up"], cwd=ROOT, check=True, timeout=600, capture_output=True)
    return time.monotonic() - start

"""VerificationProbes: kubectl probes of the lab, run by `pulumi up`.

One LocalCommand runs `python -m probes observe` after both workloads are up.
It re-runs when anything it observes can have changed (the expectations carry
image, replicas, partition, policy and strategy; the triggers carry the
StatefulSet's identity and generation) or when `probeRunId` changes, never on
preview. Its JSON document becomes the stack outputs; failed checks are
logged as warnings (or fail the step when configured).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pulumi

from components.kubectl import KubectlTarget
from components.local_command import LocalCommand
from components.settings import LabSettings
from probes.facts import Expectations

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class VerificationProbesArgs:
    """Inputs of VerificationProbes."""

    settings: LabSettings
    """The stack's settings: what the checks expect, and probe options."""
    kubectl: KubectlTarget
    """The provider's cluster and context."""
    statefulset: str
    deployment: str
    statefulset_service: str
    deployment_service: str
    triggers: dict[str, pulumi.Input[Any]]
    """Values whose change re-runs the probes (identity and generation of the workloads)."""


def expectations(args: VerificationProbesArgs) -> Expectations:
    s = args.settings
    return Expectations(
        namespace=s.namespace,
        statefulset=args.statefulset,
        deployment=args.deployment,
        statefulset_service=args.statefulset_service,
        deployment_service=args.deployment_service,
        replicas=s.replicas,
        deployment_replicas=s.deployment_replicas,
        image=s.image,
        update_strategy=s.update_strategy,
        partition=s.partition,
        pod_management_policy=s.pod_management_policy,
        pvc_retention_when_scaled=s.pvc_retention_when_scaled,
        stable_storage=s.probes.stable_storage,
        dns_image=s.probes.dns_image,
    )


def observe_command(args: VerificationProbesArgs) -> list[str]:
    """argv of the probe run: the program's own Python, so the probes see the
    same packages, and every value as a separate argument."""
    s = args.settings
    argv = [
        sys.executable, "-m", "probes", "observe",
        "--expect", json.dumps(asdict(expectations(args)), sort_keys=True),
        "--timeout", str(s.probes.timeout_seconds),
    ]  # fmt: skip
    if args.kubectl.kubeconfig:
        argv += ["--kubeconfig", args.kubectl.kubeconfig]
    if args.kubectl.context:
        argv += ["--context", args.kubectl.context]
    if s.probes.fail_on_failed_check:
        argv.append("--fail-on-failed-check")
    return argv


def failed_checks(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in document.get("checks", []) if not c["passed"]]


class VerificationProbes(pulumi.ComponentResource):
    """Observes both workloads and checks them against the seed's observations."""

    document: pulumi.Output[dict[str, Any]]
    """The whole probe document (pods, claims, DNS, events, checks, durations)."""
    checks: pulumi.Output[list[dict[str, Any]]]
    """Named checks, each with passed, expected and observed."""

    def __init__(self, name: str, args: VerificationProbesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("statefulset-lab:probes:VerificationProbes", name, None, opts)
        s = args.settings
        run = LocalCommand(
            f"{name}-observe",
            command=observe_command(args),
            working_dir=str(PROJECT_ROOT),
            triggers={**args.triggers, "run_id": s.probes.run_id},
            # Stable storage deletes and waits for pods twice.
            timeout_seconds=s.probes.timeout_seconds * (4 if s.probes.stable_storage else 2),
            # The component's dependencies (workloads, Services) are the run's.
            opts=pulumi.ResourceOptions(parent=self, depends_on=opts.depends_on if opts else None),
        )
        self.document = run.stdout.apply(lambda out: self._publish(run, out))
        self.checks = self.document.apply(lambda d: d.get("checks", []))
        self.register_outputs({"document": self.document, "checks": self.checks})

    @staticmethod
    def _publish(run: LocalCommand, stdout: str) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(stdout) if stdout else {}
        failed = failed_checks(document)
        for c in failed:
            pulumi.log.warn(
                f"check failed [{c['workload']}] {c['name']}: expected {c['expected']}; observed {c['observed']}",
                resource=run,
            )
        if document:
            total = len(document.get("checks", []))
            pulumi.log.info(f"probes: {total - len(failed)} of {total} checks passed", resource=run)
        return document

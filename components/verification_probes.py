"""VerificationProbes: kubectl probes of the lab, run by `pulumi up`.

One pulumi-command `local.Command` runs `python -m probes observe` after both
workloads have rolled out. Nothing runs at preview. It runs again when
anything it observes can have changed: the expectations it is given (image,
replicas, partition, policy, strategy, ...) are its command line, and the
workloads' identities and generations and `probeRunId` are its triggers.
Nothing that depends on where the checkout or the virtualenv lives is an
input, so moving either does not re-run it (the destructive stable-storage
probe least of all).

Its stdout is the probe document, kept in the stack's state among the
command's outputs, where `make report` and `make up` read it
(labstack.probe_state). The stack's outputs are what a person reads: one
verdict per check and the counts. Failed and inconclusive checks are
warnings (or fail the step when configured). Destroying or replacing it
deletes any DNS probe pod a killed run may have left.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

import pulumi
from pulumi_command import local

from components.local_commands import kubectl_environment, project_python, run_during_up, shell_line
from kube.names import LabNames
from kube.target import KubectlTarget
from plan.settings import LabSettings
from probes.commands import delete_dns_probe_pods
from probes.document import OBSERVE_SUFFIX, PROBES_COMPONENT_TYPE, ProbeDocument, read_document
from probes.facts import VERDICTS, Expectations, counts, gate_failures


@dataclass(frozen=True)
class VerificationProbesArgs:
    """Inputs of VerificationProbes."""

    settings: LabSettings
    """The stack's settings: what the checks expect, and probe options."""
    names: LabNames
    """The names the program gave the workloads, Services and claims."""
    kubectl: KubectlTarget
    """The provider's cluster and context."""
    triggers: list[pulumi.Input[Any]]
    """Values whose change re-runs the probes (identities and generations of the workloads)."""
    lesson_record: pulumi.Input[str] | None = None
    """The record the stack's lesson step printed, handed to the probes on stdin."""
    default_class: str = ""
    """The cluster's default StorageClass, which serves the claims when they name none
    (useDefaultStorageClass); empty when they name their class."""


def expectations(args: VerificationProbesArgs) -> Expectations:
    s = args.settings
    return Expectations.for_lab(
        args.names,
        namespace=s.namespace,
        replicas=s.replicas,
        deployment_replicas=s.deployment_replicas,
        image=s.image,
        update_strategy=s.update_strategy,
        partition=s.partition,
        pod_management_policy=s.pod_management_policy,
        pvc_retention_when_scaled=s.pvc_retention_when_scaled,
        pvc_retention_when_deleted=s.pvc_retention_when_deleted,
        ordinals_start=s.ordinals_start,
        min_ready_seconds=s.min_ready_seconds,
        force_rollback=s.force_rollback,
        max_unavailable=s.max_unavailable,
        lesson=s.lesson.name,
        stable_storage=s.probes.stable_storage,
        dns_image=s.probes.dns_image,
        cluster_domain=s.probes.cluster_domain,
        spread_across_nodes=s.spread_across_nodes,
        claims_name_class=not args.default_class,
        default_class=args.default_class,
    )


def observe_argv(args: VerificationProbesArgs) -> list[str]:
    """argv of the probe run: the program's own Python, so the probes see the
    same packages; every value one `--flag=value` argument."""
    s = args.settings
    argv = [
        project_python(), "-m", "probes", "observe",
        f"--expect={json.dumps(asdict(expectations(args)), sort_keys=True)}",
        f"--timeout={s.probes.timeout_seconds}",
    ]  # fmt: skip
    if args.kubectl.context:
        argv.append(f"--context={args.kubectl.context}")
    if s.probes.fail_on_failed_check:
        argv.append("--fail-on-failed-check")
    if args.lesson_record is not None:
        argv.append("--lesson-record-on-stdin")
    return argv


def cleanup_argv(target: KubectlTarget) -> list[str]:
    """Deletes every DNS probe pod of the namespace: a run killed from outside
    (Ctrl-C, a crash) cannot delete its own."""
    return delete_dns_probe_pods(target)


def check_verdicts(document: ProbeDocument | None) -> dict[str, str]:
    """One line per check for the stack outputs: "[workload] name" -> verdict."""
    return {f"[{c.workload}] {c.name}": c.verdict for c in document.checks} if document else {}


def verdict_counts(document: ProbeDocument | None) -> str:
    if document is not None and document.unobserved:
        return f"not observed: {document.unobserved}"
    tally = counts(document.checks if document else [])
    return ", ".join(f"{tally[v]} {v}" for v in VERDICTS)


class VerificationProbes(pulumi.ComponentResource):
    """Observes both workloads and checks them against the seed's observations."""

    document: pulumi.Output[ProbeDocument | None]
    """The whole probe document (pods, claims, DNS, events, checks, durations)."""
    checks: pulumi.Output[dict[str, str]]
    """Each check's verdict: passed, failed, inconclusive or not applicable."""
    counts: pulumi.Output[str]
    """How many checks got each verdict."""

    def __init__(self, name: str, args: VerificationProbesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(PROBES_COMPONENT_TYPE, name, None, opts)
        target = args.kubectl
        run = run_during_up(
            f"{name}{OBSERVE_SUFFIX}",
            shell_line(observe_argv(args)),
            triggers=[*args.triggers, args.settings.probes.run_id],
            environment=kubectl_environment(target),
            # stdout is the document: recorded, not printed line by line.
            log=local.Logging.STDERR,
            delete=shell_line(cleanup_argv(target)),
            stdin=args.lesson_record,
            # The component's dependencies (workloads, gates, Services) are the run's.
            opts=pulumi.ResourceOptions(parent=self, depends_on=opts.depends_on if opts else None),
        )
        self.document = run.stdout.apply(lambda out: self._publish(run, out))
        self.checks = self.document.apply(check_verdicts)
        self.counts = self.document.apply(verdict_counts)
        # The document itself is the command's stdout; a second copy in the
        # component's state would only slow every save.
        self.register_outputs({"checks": self.checks, "counts": self.counts})

    @staticmethod
    def _publish(run: local.Command, stdout: str) -> ProbeDocument | None:
        document = read_document(stdout)
        if document is None:
            return None
        if document.unobserved:
            pulumi.log.warn(f"probes could not observe the cluster: {document.unobserved}", resource=run)
        for c in gate_failures(document.checks):
            pulumi.log.warn(
                f"check {c.verdict} [{c.workload}] {c.name}: expected {c.expected}; observed {c.observed}",
                resource=run,
            )
        pulumi.log.info(f"probes: {verdict_counts(document)}", resource=run)
        return document

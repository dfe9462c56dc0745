"""The lab's policy pack: advisory policies that say, at preview, what a step
of an experiment will really do when that is not what it seems to do.

Pulumi runs this file in the pack's own virtualenv (PulumiPolicy.yaml); the
rules are pure functions in `advice/`, tested without Pulumi. None of them
blocks an up: the lab's point is to let the learner watch it happen.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

# The rules (advice/) beside this file, and the project's own stdlib-only
# packages they reuse (gates/, kube/: the rollout gate's judgement) one up.
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from advice import dropped_fields, rollouts, storage  # noqa: E402 (needs the path above)
from advice.resources import COMMAND, STATEFULSET, Resource  # noqa: E402


def known(value: Any) -> Any:
    """A plain copy of `value` without what the preview does not know yet
    (reading an unknown raises in pulumi-policy: one unknown field must not
    silence a whole policy)."""
    if isinstance(value, Mapping):
        copied = {}
        for key in list(value.keys()):
            try:
                copied[key] = known(value[key])
            except UnknownValueError:
                continue
        return copied
    if isinstance(value, Sequence) and not isinstance(value, str):
        items = []
        for i in range(len(value)):
            try:
                items.append(known(value[i]))
            except UnknownValueError:
                continue
        return items
    return value


def on_resources(
    name: str, description: str, resource_type: str, rule: Callable[[ResourceValidationArgs, dict[str, Any]], list[str]]
) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type != resource_type:
            return
        for advice in rule(args, known(args.props)):
            report_violation(advice, None)

    return ResourceValidationPolicy(name, description, validate, EnforcementLevel.ADVISORY)


def on_stack(name: str, description: str, rule: Callable[[list[Resource]], list[str]]) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = [Resource(r.resource_type, known(r.props)) for r in args.resources]
        for advice in rule(resources):
            report_violation(advice, None)

    return StackValidationPolicy(name, description, validate, EnforcementLevel.ADVISORY)


def provider_setting(args: ResourceValidationArgs, key: str) -> str:
    props = known(args.provider.props) if args.provider is not None else {}
    value = props.get(key)
    return value if isinstance(value, str) else ""


PolicyPack(
    name="statefulset-lab-advice",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[
        on_resources(
            "partition-holds-every-pod",
            "A StatefulSet partition at or above replicas: an update moves no pod.",
            STATEFULSET,
            lambda _args, props: rollouts.partition_holds_every_pod(props),
        ),
        on_resources(
            "max-unavailable-dropped",
            "A StatefulSet maxUnavailable the cluster drops: pods are replaced one at a time.",
            STATEFULSET,
            lambda args, props: dropped_fields.max_unavailable_dropped(
                props, provider_setting(args, "kubeconfig"), provider_setting(args, "context")
            ),
        ),
        on_resources(
            "force-rollback-with-nothing-stuck",
            "forceRollback while no pod of the StatefulSet is stuck: the up has nothing to roll back.",
            COMMAND,
            lambda _args, props: rollouts.forced_rollback_without_a_stuck_pod(props),
        ),
        on_stack(
            "shared-claim-across-nodes",
            "Pods sharing a ReadWriteOnce claim that their scheduling rules put on different nodes cannot all start.",
            storage.shared_claim_across_nodes,
        ),
        on_stack(
            "claims-deleted-with-data",
            "A claim retention policy of Delete: a step deletes claims and the data on them.",
            storage.claims_deleted_with_data,
        ),
    ],
)

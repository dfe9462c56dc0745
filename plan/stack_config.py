"""Reads this stack's raw config from the Pulumi runtime into LabSettings.

The only place that touches Pulumi's config store; validation itself is the
pure `settings_from_config`, which gets this machine's kubeconfig files through
`LocalKubeconfigs`.
"""

from __future__ import annotations

from dataclasses import replace

import pulumi
from pulumi.runtime import config as runtime_config

from kube.kubeconfig import LocalKubeconfigs
from kube.storage_names import PROVISIONER_NAMESPACE
from kube.target import KubectlTarget
from plan import cluster_facts
from plan.lesson_plan import LessonPlanError, plan_lesson
from plan.settings import LabSettings, SettingsError, settings_from_config
from plan.storage_plan import StoragePlan, StoragePlanError, plan_storage, with_default_class


def raw_stack_config() -> dict[str, object]:
    """Every config key of the stack (all namespaces), as Pulumi passed it:
    `<namespace>:<key>` -> string, e.g. `kubernetes:context`."""
    return {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}


def load_settings() -> LabSettings:
    """Validated settings, or a clean error (no stack trace) before any resource exists."""
    try:
        return settings_from_config(raw_stack_config(), LocalKubeconfigs())
    except SettingsError as err:
        raise pulumi.RunError(str(err)) from err


def check_lesson(settings: LabSettings, target: KubectlTarget) -> None:
    """The lesson can run on the stack's cluster, or a clean error at preview."""
    try:
        plan_lesson(settings, target)
    except (LessonPlanError, cluster_facts.ClusterUnreachableError) as err:
        raise pulumi.RunError(str(err)) from err


def stack_owner() -> str:
    """How this stack marks what it installs cluster-wide."""
    return f"{pulumi.get_project()}/{pulumi.get_stack()}"


def decide_storage(settings: LabSettings, target: KubectlTarget) -> StoragePlan:
    """Installs local-path or uses an existing class, after looking at the cluster."""
    storage = settings.storage
    if settings.renders_only:  # nothing to look at: render what was asked for
        install = storage.install_local_path != "false"
        rendered = StoragePlan(install, storage.storage_class_name, "rendering", install and storage.make_default)
        return replace(rendered, claims_name_class=not storage.use_default_class)
    try:
        classes, existing_namespace = cluster_facts.read_storage_facts(target, PROVISIONER_NAMESPACE)
        existing_class = next((c for c in classes if c.name == storage.storage_class_name), None)
        plan = plan_storage(
            storage.install_local_path,
            storage.storage_class_name,
            stack_owner(),
            existing_class,
            existing_namespace,
            want_default=storage.make_default,
            classes=classes,
        )
        if storage.use_default_class:
            plan = with_default_class(plan, classes)
    except (cluster_facts.ClusterUnreachableError, StoragePlanError) as err:
        raise pulumi.RunError(str(err)) from err
    pulumi.log.info(f"storage: {plan.reason}")
    return plan

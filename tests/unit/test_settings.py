"""Stack config -> LabSettings: defaults, every invalid value, stack files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kube.kubeconfig import LocalKubeconfigs
from plan.settings import (
    PROJECT,
    LabSettings,
    SettingsError,
    known_keys,
    settings_from_config,
)

ROOT = Path(__file__).resolve().parents[2]


def settings(**values: object) -> LabSettings:
    return settings_from_config({f"{PROJECT}:{k}": v for k, v in values.items()})


def problems(**values: object) -> str:
    with pytest.raises(SettingsError) as err:
        settings(**values)
    return str(err.value)


def test_empty_config_gives_the_seed_setup() -> None:
    s = settings()
    assert s == LabSettings()
    assert (s.replicas, s.pod_management_policy, s.update_strategy, s.partition) == (
        2,
        "OrderedReady",
        "RollingUpdate",
        0,
    )
    assert s.image == "registry.k8s.io/nginx-slim:0.24"
    assert s.storage.install_local_path == "auto" and s.storage.storage_class_name == "local-path"


def test_values_are_parsed_into_types() -> None:
    s = settings(
        replicas="5",
        partition="3",
        podManagementPolicy="Parallel",
        probes="false",
        installLocalPath="false",
        storageClassName="standard",
    )
    assert s.replicas == 5 and s.partition == 3
    assert s.pod_management_policy == "Parallel"
    assert s.probes.enabled is False
    assert s.storage.install_local_path == "false" and s.storage.storage_class_name == "standard"


@pytest.mark.parametrize("value", ["two", "2.5", "", "-1"])
def test_replicas_that_are_not_a_whole_number_are_rejected(value: str) -> None:
    message = problems(replicas=value)
    assert f"{PROJECT}:replicas must be a whole number between 0 and 100, got {value!r}" in message


def test_partition_above_replicas_is_accepted_as_kubernetes_accepts_it() -> None:
    """It holds every pod; the policy pack's partition-holds-every-pod says so in the preview."""
    assert settings(replicas="3", partition="5").partition == 5
    assert f"{PROJECT}:partition must be a whole number between 0 and 100, got '101'" in problems(partition="101")


def test_negative_partition_is_rejected() -> None:
    assert f"{PROJECT}:partition must be a whole number between 0 and 100, got '-1'" in problems(partition="-1")


def test_partition_equal_to_replicas_is_allowed() -> None:
    assert settings(replicas="3", partition="3").partition == 3


def test_partition_with_on_delete_is_rejected() -> None:
    message = problems(updateStrategy="OnDelete", partition="1")
    assert f"{PROJECT}:partition applies only to updateStrategy RollingUpdate" in message


@pytest.mark.parametrize(
    ("key", "value", "allowed"),
    [
        ("updateStrategy", "Rolling", "RollingUpdate, OnDelete"),
        ("podManagementPolicy", "parallel", "OrderedReady, Parallel"),
        ("pvcRetentionWhenDeleted", "Keep", "Retain, Delete"),
        ("pvcRetentionWhenScaled", "delete", "Retain, Delete"),
    ],
)
def test_unknown_choices_name_the_key_and_the_allowed_values(key: str, value: str, allowed: str) -> None:
    assert f"{PROJECT}:{key} must be one of {allowed}, got {value!r}" in problems(**{key: value})


@pytest.mark.parametrize(
    "image",
    [
        "NGINX:0.24",
        "nginx slim",
        "registry.k8s.io/nginx-slim:",
        "nginx@sha256:abc",
        ":0.24",
        "a" * 300,
        "nginx;rm -rf /",
    ],
)
def test_malformed_image_references_are_rejected(image: str) -> None:
    assert f"{PROJECT}:image must be an image reference" in problems(image=image)


@pytest.mark.parametrize(
    "image",
    [
        "registry.k8s.io/nginx-slim:0.21",
        "k8s.gcr.io/nginx-slim:0.8",
        "nginx",
        "localhost:5000/team/web:v1.2",
        "nginx@sha256:" + "a" * 64,
    ],
)
def test_well_formed_image_references_are_accepted(image: str) -> None:
    assert settings(image=image).image == image


@pytest.mark.parametrize("namespace", ["Lab", "lab_1", "-lab", "lab-", "a" * 64, "x; rm -rf /", "$(id)"])
def test_namespaces_that_are_not_dns_labels_are_rejected(namespace: str) -> None:
    assert f"{PROJECT}:namespace must be a DNS-1123 label" in problems(namespace=namespace)


def test_storage_class_name_must_be_a_dns_subdomain() -> None:
    assert f"{PROJECT}:storageClassName must be a DNS-1123 subdomain" in problems(storageClassName="Local_Path")


@pytest.mark.parametrize("value", ["yes", "1", "on"])
def test_booleans_accept_only_true_and_false(value: str) -> None:
    assert f"{PROJECT}:probes must be true or false, got {value!r}" in problems(probes=value)


def test_storage_size_must_be_a_quantity() -> None:
    assert f"{PROJECT}:storageSize must be a Kubernetes quantity" in problems(storageSize="1 GB")


def test_probe_timeout_has_a_floor() -> None:
    message = problems(probeTimeoutSeconds="5")
    assert f"{PROJECT}:probeTimeoutSeconds must be a whole number between 10 and 3600, got '5'" in message


def test_unknown_keys_of_the_project_are_rejected() -> None:
    message = problems(replica="3")
    assert f"{PROJECT}:replica is not a setting of this project" in message


def test_keys_of_other_namespaces_are_left_to_their_owners() -> None:
    assert settings_from_config({"pulumi:disable-default-providers": '["*"]', "aws:region": "x"}) == LabSettings()


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as err:
        settings(replicas="x", updateStrategy="Nope", namespace="BAD")
    assert len(err.value.problems) == 3
    assert "pulumi config set" in str(err.value)


def _declared_config() -> dict[str, dict[str, object]]:
    declared: dict[str, dict[str, object]] = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"]
    return declared


def test_pulumi_yaml_declares_exactly_the_known_keys_with_type_default_and_description() -> None:
    declared = _declared_config()
    assert {f"{PROJECT}:{k}" for k in declared} == known_keys()
    for key, spec in declared.items():
        assert {"type", "default", "description"} <= set(spec), key


def test_pulumi_yaml_defaults_agree_with_the_settings_defaults() -> None:
    declared = _declared_config()
    as_config = {
        f"{PROJECT}:{k}": str(v["default"]).lower() if isinstance(v["default"], bool) else str(v["default"])
        for k, v in declared.items()
    }
    assert settings_from_config(as_config) == LabSettings()


STACK_FILES = sorted((ROOT / "stacks").glob("Pulumi.*.yaml"))


def test_the_experiment_stacks_exist() -> None:
    assert {p.name.split(".")[1] for p in STACK_FILES} >= {"seed", "parallel", "canary", "ondelete"}


@pytest.mark.parametrize("path", STACK_FILES, ids=lambda p: p.name)
def test_every_stack_file_loads_and_validates(path: Path) -> None:
    config = yaml.safe_load(path.read_text()).get("config") or {}
    settings_from_config(config, LocalKubeconfigs(str(ROOT)))


def test_stack_files_hold_only_values_that_differ_from_the_defaults() -> None:
    defaults = {f"{PROJECT}:{k}": str(v["default"]) for k, v in _declared_config().items()}
    for path in STACK_FILES:
        config = yaml.safe_load(path.read_text()).get("config") or {}
        same = [k for k, v in config.items() if defaults.get(k) == str(v)]
        assert not same, f"{path.name} repeats defaults: {same}"


def test_install_local_path_accepts_auto_true_false_only() -> None:
    assert settings(installLocalPath="true").storage.install_local_path == "true"
    assert f"{PROJECT}:installLocalPath must be one of auto, true, false" in problems(installLocalPath="yes")


def test_statefulset_deletion_is_one_of_the_propagation_policies() -> None:
    assert settings(statefulSetDeletion="orphan").statefulset_deletion == "orphan"
    message = problems(statefulSetDeletion="cascade")
    assert f"{PROJECT}:statefulSetDeletion must be one of foreground, background, orphan" in message

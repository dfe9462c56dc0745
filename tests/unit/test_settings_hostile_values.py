"""Values that used to pass preview and fail later (or silently do nothing) are
rejected by the settings: whitespace, non-ASCII digits and letters, absurd sizes,
system namespaces, kubernetes:* keys; YAML-typed values are read as Pulumi reads them."""

from __future__ import annotations

import pytest

from plan.settings import PROJECT, LabSettings, SettingsError, settings_from_config


def settings(**values: object) -> LabSettings:
    return settings_from_config({f"{PROJECT}:{k}": v for k, v in values.items()})


def problems(**values: object) -> str:
    with pytest.raises(SettingsError) as err:
        settings(**values)
    return str(err.value)


# --- whitespace and control characters in string values ---------------------------------


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("namespace", "lab\n", "must be a DNS-1123 label"),
        ("namespace", " lab", "must be a DNS-1123 label"),
        ("namespace", "lab\t", "must be a DNS-1123 label"),
        ("namespace", "la\nb", "must be a DNS-1123 label"),
        ("image", "nginx:1.0\n", "must be an image reference"),
        ("image", "registry.k8s.io/nginx-slim:0.24 ", "must be an image reference"),
        ("image", "\tnginx", "must be an image reference"),
        ("provisionerImage", "docker.io/rancher/local-path-provisioner:v0.0.37\n", "must be an image reference"),
        ("dnsProbeImage", "busybox:1.28\n", "must be an image reference"),
        ("storageSize", "1Gi\n", "must be a Kubernetes quantity"),
        ("storageSize", " 1Gi", "must be a Kubernetes quantity"),
        ("storageClassName", "standard\n", "must be a DNS-1123 subdomain"),
        ("kubeconfig", "/etc/kube/config\n", "must be a file path without surrounding whitespace"),
        ("kubeconfig", " /etc/kube/config", "must be a file path without surrounding whitespace"),
        ("kubeconfig", "/etc/kube/con\nfig", "must be a file path without surrounding whitespace"),
        ("kubeconfig", "/etc/kube/config\t", "must be a file path without surrounding whitespace"),
        ("renderYamlToDirectory", "/tmp/manifests\n", "must be a file path without surrounding whitespace"),
        ("context", "kind-kind\n", "must be a context name without surrounding whitespace"),
        ("context", " kind-kind", "must be a context name without surrounding whitespace"),
        ("context", "kind\tkind", "must be a context name without surrounding whitespace"),
        ("probeRunId", "r1\n", "must be a single-line string"),
        ("probeRunId", " r1", "must be a single-line string"),
        ("probeRunId", "r\n1", "must be a single-line string"),
    ],
)
def test_strings_with_whitespace_or_control_characters_are_rejected(key: str, value: str, expected: str) -> None:
    assert f"{PROJECT}:{key} {expected}" in problems(**{key: value})


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("updateStrategy", "OnDelete\n"),
        ("podManagementPolicy", " Parallel"),
        ("pvcRetentionWhenDeleted", "Delete\n"),
        ("pvcRetentionWhenScaled", "Retain "),
        ("statefulSetDeletion", "orphan\n"),
        ("installLocalPath", "auto\n"),
    ],
)
def test_choices_with_whitespace_are_rejected(key: str, value: str) -> None:
    assert f"{PROJECT}:{key} must be one of" in problems(**{key: value})


@pytest.mark.parametrize(
    ("key", "value"), [("probes", "true\n"), ("failOnFailedCheck", " false"), ("probes", "\ttrue")]
)
def test_booleans_with_whitespace_are_rejected(key: str, value: str) -> None:
    assert f"{PROJECT}:{key} must be true or false, got {value!r}" in problems(**{key: value})


def test_a_value_rejected_for_its_whitespace_says_so() -> None:
    assert "got 'lab\\n' (remove the whitespace around it)" in problems(namespace="lab\n")


def test_paths_and_contexts_with_inner_spaces_are_kept() -> None:
    s = settings(context="my cluster", renderYamlToDirectory="/tmp/my manifests")
    assert (s.cluster.context, s.cluster.render_yaml_to_directory) == ("my cluster", "/tmp/my manifests")


# --- whole numbers -----------------------------------------------------------------------

INTEGER_KEYS = ["replicas", "partition", "minReadySeconds", "deploymentReplicas"]


@pytest.mark.parametrize(
    "value",
    ["٣", "\uff13", "+3", "-0", "1_000", " 3", "3 ", "3\n", "\t3", "0x3", "3.0", "1e2", "", "9" * 5000],
    ids=[
        "arabic-indic-digit",
        "fullwidth-digit",
        "plus-sign",
        "minus-zero",
        "underscore",
        "leading-space",
        "trailing-space",
        "trailing-newline",
        "leading-tab",
        "hex",
        "decimal-point",
        "exponent",
        "empty",
        "five-thousand-digits",
    ],
)
def test_replicas_that_are_not_ascii_digits_are_rejected(value: str) -> None:
    assert f"{PROJECT}:replicas must be a whole number between 0 and 100, got {value!r}" in problems(replicas=value)


def test_replicas_with_arabic_indic_digit_is_rejected() -> None:
    assert f"{PROJECT}:replicas must be a whole number between 0 and 100, got '٣'" in problems(replicas="٣")


@pytest.mark.parametrize("key", INTEGER_KEYS)
@pytest.mark.parametrize("value", ["٢", "+1", "-0", "1_0", " 1", "1\n"])
def test_every_whole_number_setting_takes_only_ascii_digits(key: str, value: str) -> None:
    assert f"{PROJECT}:{key} must be a whole number between 0 and" in problems(**{key: value})


@pytest.mark.parametrize("value", ["٣٠", "+30", "3_0", " 30", "30\n"])
def test_probe_timeout_takes_only_ascii_digits(value: str) -> None:
    message = problems(probeTimeoutSeconds=value)
    assert f"{PROJECT}:probeTimeoutSeconds must be a whole number between 10 and 3600, got {value!r}" in message


def test_integers_from_yaml_are_accepted_as_numbers() -> None:
    s = settings(replicas=3, partition=1, minReadySeconds=5, deploymentReplicas=4, probeTimeoutSeconds=60)
    assert (s.replicas, s.partition, s.min_ready_seconds, s.deployment_replicas) == (3, 1, 5, 4)
    assert s.probes.timeout_seconds == 60


@pytest.mark.parametrize("value", [True, False, 3.0, [3]])
def test_yaml_values_that_are_not_integers_are_rejected_as_replicas(value: object) -> None:
    assert f"{PROJECT}:replicas must be a whole number between 0 and 100, got {value!r}" in problems(replicas=value)


def test_yaml_booleans_are_accepted_as_booleans() -> None:
    s = settings(probes=False, failOnFailedCheck=True)
    assert (s.probes.enabled, s.probes.fail_on_failed_check) == (False, True)


@pytest.mark.parametrize("value", [0, 1, "0", "1"])
def test_numbers_are_not_booleans(value: object) -> None:
    assert f"{PROJECT}:probes must be true or false, got {value!r}" in problems(probes=value)


def test_a_yaml_number_for_a_string_setting_is_read_as_its_text() -> None:
    assert settings(probeRunId=7).probes.run_id == "7"


# --- bounds ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "allowed"),
    [
        ("replicas", "101", "between 0 and 100"),
        ("deploymentReplicas", "101", "between 0 and 100"),
        ("partition", "101", "between 0 and 100"),
        ("minReadySeconds", "86401", "between 0 and 86400"),
        ("probeTimeoutSeconds", "9", "between 10 and 3600"),
        ("probeTimeoutSeconds", "3601", "between 10 and 3600"),
        ("replicas", "1000000000000000000000", "between 0 and 100"),
    ],
)
def test_whole_numbers_out_of_their_bounds_are_rejected(key: str, value: str, allowed: str) -> None:
    assert f"{PROJECT}:{key} must be a whole number {allowed}, got {value!r}" in problems(**{key: value})


def test_whole_numbers_at_their_bounds_are_accepted() -> None:
    s = settings(replicas="100", partition="100", deploymentReplicas="100", minReadySeconds="86400")
    assert (s.replicas, s.partition, s.deployment_replicas, s.min_ready_seconds) == (100, 100, 100, 86400)
    assert settings(probeTimeoutSeconds="10").probes.timeout_seconds == 10
    assert settings(probeTimeoutSeconds="3600").probes.timeout_seconds == 3600
    assert settings(replicas="007").replicas == 7


@pytest.mark.parametrize("size", ["0", "0Gi", "0.0", "0.000Mi", "2Ti", "1025Gi", "1.1T", "1Pi", "5Ei", "9" * 40])
def test_storage_sizes_of_zero_or_above_one_tebibyte_are_rejected(size: str) -> None:
    message = problems(storageSize=size)
    assert f"{PROJECT}:storageSize must be a Kubernetes quantity above 0 and at most 1Ti" in message


@pytest.mark.parametrize("size", ["1Gi", "500Mi", "1Ti", "1099511627776", "0.5Gi", "1", "1T"])
def test_storage_sizes_above_zero_up_to_one_tebibyte_are_accepted(size: str) -> None:
    assert settings(storageSize=size).storage.size == size


# --- image references --------------------------------------------------------------------


@pytest.mark.parametrize(
    "image",
    [
        "nginx:1.0ä",
        "nginx:ü",
        "registry.k8s.io/nginx-slim:0.٢٤",
        "nginx:\uff561",
        "ngïnx:1.0",
        "régistry.example/nginx:1.0",
        "team/wéb:1.0",
    ],
)
def test_image_references_with_non_ascii_letters_or_digits_are_rejected(image: str) -> None:
    assert f"{PROJECT}:image must be an image reference" in problems(image=image)


def test_dns_probe_and_provisioner_images_have_ascii_tags_too() -> None:
    message = problems(dnsProbeImage="busybox:1.٢٨", provisionerImage="rancher/local-path-provisioner:vö")
    assert f"{PROJECT}:dnsProbeImage must be an image reference" in message
    assert f"{PROJECT}:provisionerImage must be an image reference" in message


def test_image_tags_keep_underscores_dots_and_dashes() -> None:
    assert settings(image="localhost:5000/web:v1_2.3-rc").image == "localhost:5000/web:v1_2.3-rc"


# --- namespaces --------------------------------------------------------------------------


@pytest.mark.parametrize("namespace", ["kube-system", "kube-public", "kube-node-lease"])
def test_kubernetes_own_namespaces_are_rejected(namespace: str) -> None:
    message = problems(namespace=namespace)
    assert f"{PROJECT}:namespace must not be one of Kubernetes' own namespaces" in message
    assert f"got {namespace!r}" in message


def test_the_provisioners_namespace_is_rejected_with_the_reason() -> None:
    message = problems(namespace="local-path-storage")
    assert f"{PROJECT}:namespace must not be local-path-storage, the namespace of the local-path provisioner" in message
    assert "creates and deletes" in message


def test_default_and_lab_namespaces_are_accepted() -> None:
    assert settings(namespace="default").namespace == "default"
    assert settings(namespace="lab-parallel").namespace == "lab-parallel"


# --- kubernetes:* keys -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "project_key"),
    [
        ("kubernetes:context", "context"),
        ("kubernetes:kubeconfig", "kubeconfig"),
        ("kubernetes:namespace", "namespace"),
        ("kubernetes:renderYamlToDirectory", "renderYamlToDirectory"),
        ("kubernetes:config:context", "context"),
    ],
)
def test_provider_keys_are_rejected_naming_the_project_key(key: str, project_key: str) -> None:
    with pytest.raises(SettingsError) as err:
        settings_from_config({key: "x"})
    (problem,) = err.value.problems
    assert problem.startswith(f"{key} has no effect: the program builds its own Kubernetes provider")
    assert f"set {PROJECT}:{project_key} instead" in problem


@pytest.mark.parametrize("key", ["kubernetes:enableServerSideApply", "kubernetes:suppressDeprecationWarnings"])
def test_provider_keys_without_a_project_key_are_rejected_with_the_removal(key: str) -> None:
    with pytest.raises(SettingsError) as err:
        settings_from_config({key: "true"})
    assert f"{key} has no effect" in str(err.value)
    assert f"remove it (`pulumi config rm {key}`)" in str(err.value)


# --- spreadAcrossNodes -------------------------------------------------------------------


def test_spread_across_nodes_is_off_by_default_and_a_boolean() -> None:
    assert settings().spread_across_nodes is False
    assert settings(spreadAcrossNodes="true").spread_across_nodes is True
    assert settings(spreadAcrossNodes=True).spread_across_nodes is True
    assert f"{PROJECT}:spreadAcrossNodes must be true or false, got 'yes'" in problems(spreadAcrossNodes="yes")

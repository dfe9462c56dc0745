"""Scenario 1 (set-up), 7 (idempotence) and 8 (bad input) on the seed's set-up."""

from __future__ import annotations

import pytest

from labstack.automation import LabStack, StackOperationError, assert_checks_pass
from tests.e2e.cluster_state import claims, statefulset
from tests.e2e.kube import kubectl_json

pytestmark = pytest.mark.e2e

# Every observation of the seed (1-6) that a probe check covers.
SEED_CHECKS = [
    "[statefulset] pod names are <statefulset>-<ordinal>",
    "[deployment] pod names are <deployment>-<template-hash>-<random>",
    "[statefulset] OrderedReady creates each pod after its predecessor is Ready",
    "[statefulset] hostname is the pod name",
    "[deployment] hostname is the pod name",
    "[statefulset] each StatefulSet pod carries its name and ordinal as labels",
    "[statefulset] <pod>.<service> resolves to the pod's IP",
    "[statefulset] <pod>.<service>.<namespace>.svc.<cluster domain> resolves to the pod's IP",
    "[deployment] <pod>.<service> does not resolve",
    "[deployment] <dashed-ip>.<service> resolves to the pod's IP",
    "[statefulset] a StatefulSet pod's dashed IP does not resolve under its own Service",
    "[statefulset] one Bound claim per ordinal, mounted by its pod",
    "[deployment] one Bound claim shared by every pod",
    "[deployment] all pods run on the node of the shared volume",
    "[statefulset] each volume is a host directory pvc-<uid>_<namespace>_<claim>",
    "[statefulset] each pod serves its own name before and after all pods are deleted",
    "[deployment] every pod serves the last writer's name, before and after deletion",
    "[statefulset] ordinals >= partition (0) run the new revision, the others keep theirs",
]


def test_setup_brings_up_storage_services_and_workloads_and_every_seed_check_passes(setup_stack: LabStack) -> None:
    assert_checks_pass(setup_stack, *SEED_CHECKS)
    assert_checks_pass(setup_stack)  # and nothing else failed
    sc = kubectl_json("get", "storageclass", "local-path")
    assert sc["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"] == "true"
    provisioner = kubectl_json("get", "deployment", "local-path-provisioner", "--namespace", "local-path-storage")
    assert provisioner["status"].get("availableReplicas") == 1
    for name in ("nginx-sts", "nginx-dep"):
        assert kubectl_json("get", "service", name, "--namespace", "e2e-setup")["spec"]["clusterIP"] == "None"
    assert {n for n, c in claims("e2e-setup").items() if c["status"]["phase"] == "Bound"} == {
        "www-web-sts-0",
        "www-web-sts-1",
        "www-web-dep",
    }


def test_the_outputs_are_the_verdicts_and_the_document_stays_out_of_the_ups_output(setup_stack: LabStack) -> None:
    outputs = setup_stack.outputs()
    assert {"checks", "checkCounts"} <= set(outputs) and "probes" not in outputs
    document = setup_stack.probes()
    assert outputs["checks"] == {f"[{c.workload}] {c.name}": c.verdict for c in document.checks}
    assert not [line for line in setup_stack.log if "schema_version" in line]


def test_second_up_without_changes_changes_nothing(setup_stack: LabStack) -> None:
    observed_before = setup_stack.probes().observed_at
    preview = setup_stack.preview()
    assert set(preview.change_summary) == {"same"}, preview.change_summary
    setup_stack.up("no-op up")
    changes = setup_stack.last_resource_changes()
    assert set(changes) == {"same"}, changes
    assert setup_stack.probes().observed_at == observed_before, "the probes re-ran without a reason"


# The program reports every config problem at once, so each round sets several
# bad values together and every one must be named; a key takes one bad value per
# round. Pulumi.yaml declares replicas an integer, so the CLI refuses the last
# round itself, before the program runs.
BAD_ROUNDS: list[dict[str, str]] = [
    {
        "replicas": "-1",
        "partition": "101",
        "podManagementPolicy": "Sometimes",
        "updateStrategy": "Recreate",
        "image": "Not An Image",
        "namespace": "Bad_Namespace",
        "storageSize": "0",
        "kubeconfig": "/nonexistent/kubeconfig",
    },
    {"namespace": "lab\n", "replicas": "101"},
    {"namespace": "kube-system"},
    {"replicas": "\u0663"},
]
CLI_REFUSES = {"\u0663": "configuration key 'replicas' must be of type 'integer'"}


def _named(key: str, value: str, error: str) -> bool:
    """The error names the key and the value it refused, on one line (the CLI's own words for its refusals)."""
    if value in CLI_REFUSES:
        return CLI_REFUSES[value] in error
    return any(f"statefulset-lab:{key}" in line and repr(value) in line for line in error.splitlines())


@pytest.mark.parametrize("bad", BAD_ROUNDS, ids=[",".join(f"{k}={v!r}" for k, v in r.items()) for r in BAD_ROUNDS])
def test_bad_input_fails_in_preview_naming_every_bad_value_and_touches_nothing(
    setup_stack: LabStack, bad: dict[str, str]
) -> None:
    before = statefulset("e2e-setup")["metadata"]
    config = setup_stack.stack.get_all_config()
    originals = {key: config.get(f"statefulset-lab:{key}") for key in bad}
    setup_stack.configure(**bad)
    try:
        with pytest.raises(StackOperationError) as err:
            setup_stack.preview()
        unnamed = [f"{key}={value!r}" for key, value in bad.items() if not _named(key, value, str(err.value))]
        assert not unnamed, f"not named: {unnamed}\n{str(err.value)[-3000:]}"
        with pytest.raises(StackOperationError):
            setup_stack.up("bad " + ", ".join(bad))
    finally:
        for key, original in originals.items():
            if original is None:
                setup_stack.unset(key)
            else:
                setup_stack.configure(**{key: original.value})
    after = statefulset("e2e-setup")["metadata"]
    assert (after["uid"], after["generation"]) == (before["uid"], before["generation"])

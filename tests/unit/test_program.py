"""The program's resource graph under Pulumi mocks: types, names, parents,
dependencies, label agreement, storage wiring and the partition await."""

from __future__ import annotations

import json
import shlex
from typing import Any

import pulumi
import pytest

from plan.cluster_facts import ExistingObject
from tests.unit.program_harness import ProgramRun, Registration, run_program

STS = "kubernetes:apps/v1:StatefulSet"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
SERVICE = "kubernetes:core/v1:Service"
PVC = "kubernetes:core/v1:PersistentVolumeClaim"
STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
NAMESPACE = "kubernetes:core/v1:Namespace"
COMMAND = "command:local:Command"
WAIT_FOR = "pulumi.com/waitFor"


@pytest.fixture(scope="module")
def seed() -> ProgramRun:
    return run_program({})


def name_of(r: Registration) -> str:
    return str(r.inputs["metadata"]["name"])


def parent_name(r: Registration) -> str:
    return r.parent.split("::")[-1]


def dependency_names(r: Registration) -> set[str]:
    return {d.split("::")[-1] for d in r.dependencies}


def test_seed_creates_the_seed_objects_with_their_lab_names(seed: ProgramRun) -> None:
    assert name_of(seed.one(STS)) == "web-sts"
    assert name_of(seed.one(DEPLOYMENT, "web-dep-deployment")) == "web-dep"
    assert name_of(seed.one(PVC)) == "www-web-dep"
    assert sorted(name_of(s) for s in seed.all(SERVICE)) == ["nginx-dep", "nginx-sts"]
    assert name_of(seed.one(STORAGE_CLASS)) == "local-path"
    assert name_of(seed.one(NAMESPACE)) == "local-path-storage"
    assert {r.type.rsplit(":", 1)[-1] for r in seed.registrations if not r.custom} == {
        "LocalPathStorage",
        "HeadlessService",
        "StatefulWebApp",
        "SharedVolumeWebApp",
        "VerificationProbes",
    }


def test_every_kubernetes_object_is_parented_to_its_component(seed: ProgramRun) -> None:
    parents = {name: parent_name(r) for r in seed.registrations for name in [r.name]}
    assert parents["web-sts-statefulset"] == "web-sts"
    assert parents["web-dep-deployment"] == "web-dep" and parents["web-dep-claim"] == "web-dep"
    assert parents["nginx-sts-service"] == "nginx-sts" and parents["nginx-dep-service"] == "nginx-dep"
    assert parents["probes-observe"] == "probes"
    for r in seed.registrations:
        if r.name.startswith("local-path-"):
            assert parent_name(r) == "local-path", r.name


def test_every_kubernetes_object_uses_the_stack_provider(seed: ProgramRun) -> None:
    assert seed.one("pulumi:providers:kubernetes").name == "cluster"


def test_workloads_name_their_service_without_waiting_for_it_and_wait_for_the_storage_class(seed: ProgramRun) -> None:
    sts = seed.one(STS)
    dep = seed.one(DEPLOYMENT, "web-dep-deployment")
    assert sts.inputs["spec"]["serviceName"] == "nginx-sts"
    assert "local-path-class" in dependency_names(sts)
    assert "web-dep-claim" in dependency_names(dep)
    # Kubernetes links them by name: created side by side, not one after the other.
    assert not {"nginx-sts-service", "nginx-dep-service"} & (dependency_names(sts) | dependency_names(dep))
    assert "local-path-class" in dependency_names(seed.one(PVC))


def test_storage_class_waits_for_the_provisioner_which_waits_for_its_permissions(seed: ProgramRun) -> None:
    assert "local-path-provisioner" in dependency_names(seed.one(STORAGE_CLASS))
    provisioner = seed.one(DEPLOYMENT, "local-path-provisioner")
    assert {"local-path-role-binding", "local-path-cluster-role-binding"} <= dependency_names(provisioner)


def test_probes_run_after_both_workloads_and_services(seed: ProgramRun) -> None:
    assert {"web-sts-statefulset", "web-dep-deployment", "nginx-sts-service", "nginx-dep-service"} <= dependency_names(
        seed.one(COMMAND, "probes-observe")
    )


def _selector_and_template(r: Registration) -> tuple[dict[str, Any], dict[str, Any]]:
    spec = r.inputs["spec"]
    return spec["selector"]["matchLabels"], spec["template"]["metadata"]["labels"]


def test_selectors_match_templates_and_services(seed: ProgramRun) -> None:
    services = {name_of(s): s.inputs["spec"]["selector"] for s in seed.all(SERVICE)}
    sts_selector, sts_template = _selector_and_template(seed.one(STS))
    dep_selector, dep_template = _selector_and_template(seed.one(DEPLOYMENT, "web-dep-deployment"))
    assert sts_selector == sts_template == services["nginx-sts"] == {"app": "nginx-sts"}
    assert dep_selector == dep_template == services["nginx-dep"] == {"app": "nginx-dep"}


def test_services_are_headless_with_port_web(seed: ProgramRun) -> None:
    for s in seed.all(SERVICE):
        assert s.inputs["spec"]["clusterIP"] == "None"
        assert s.inputs["spec"]["ports"] == [{"name": "web", "port": 80}]


def test_statefulset_spec_follows_the_seed(seed: ProgramRun) -> None:
    spec = seed.one(STS).inputs["spec"]
    assert spec["serviceName"] == "nginx-sts"
    assert spec["replicas"] == 2 and spec["podManagementPolicy"] == "OrderedReady"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    (template,) = spec["volumeClaimTemplates"]
    assert template["metadata"]["name"] == "www"
    assert template["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert template["spec"]["resources"]["requests"] == {"storage": "1Gi"}
    (container,) = spec["template"]["spec"]["containers"]
    assert container["image"] == "registry.k8s.io/nginx-slim:0.24"
    assert container["volumeMounts"] == [{"name": "www", "mountPath": "/usr/share/nginx/html"}]
    assert container["imagePullPolicy"] == "IfNotPresent"


def test_every_deployment_replica_mounts_the_one_claim(seed: ProgramRun) -> None:
    spec = seed.one(DEPLOYMENT, "web-dep-deployment").inputs["spec"]
    assert spec["replicas"] == 2
    assert spec["template"]["spec"]["volumes"] == [
        {"name": "www", "persistentVolumeClaim": {"claimName": "www-web-dep"}}
    ]


def test_claims_name_the_installed_storage_class_explicitly(seed: ProgramRun) -> None:
    (template,) = seed.one(STS).inputs["spec"]["volumeClaimTemplates"]
    assert template["spec"]["storageClassName"] == "local-path"
    assert seed.one(PVC).inputs["spec"]["storageClassName"] == "local-path"


def test_installed_class_is_the_seed_local_path_class_marked_default(seed: ProgramRun) -> None:
    sc = seed.one(STORAGE_CLASS).inputs
    assert sc["provisioner"] == "rancher.io/local-path"
    assert sc["volumeBindingMode"] == "WaitForFirstConsumer" and sc["reclaimPolicy"] == "Delete"
    assert sc["metadata"]["annotations"] == {
        "storageclass.kubernetes.io/is-default-class": "true",
        "statefulset-lab/owner": "statefulset-lab/unit",
    }


def test_provisioner_namespace_allows_privileged_helper_pods(seed: ProgramRun) -> None:
    labels = seed.one(NAMESPACE, "local-path-namespace").inputs["metadata"]["labels"]
    assert labels == {"pod-security.kubernetes.io/enforce": "privileged"}


def test_provisioner_config_points_at_the_seed_node_path(seed: ProgramRun) -> None:
    data = seed.one("kubernetes:core/v1:ConfigMap").inputs["data"]
    assert json.loads(data["config.json"])["nodePathMap"][0]["paths"] == ["/opt/local-path-provisioner"]
    assert set(data) == {"config.json", "setup", "teardown", "helperPod.yaml"}


def test_with_the_default_class_the_claims_name_no_class_and_the_probes_expect_local_path() -> None:
    """The seed's set-up: the installed local-path class is made the default, and serves claims naming none."""
    run = run_program({"useDefaultStorageClass": "true"})
    (template,) = run.one(STS).inputs["spec"]["volumeClaimTemplates"]
    assert "storageClassName" not in template["spec"]
    assert "storageClassName" not in run.one(PVC).inputs["spec"]
    expect = probe_expectations(run)
    assert (expect["claims_name_class"], expect["default_class"]) == (False, "local-path")


def probe_expectations(run: ProgramRun) -> dict[str, Any]:
    argv = shlex.split(run.one(COMMAND, "probes-observe").inputs["create"])
    found: dict[str, Any] = json.loads(next(a for a in argv if a.startswith("--expect=")).removeprefix("--expect="))
    return found


def test_with_the_default_class_an_existing_default_serves_the_claims() -> None:
    cluster = {("storageclass", "standard"): ExistingObject("standard", "", True)}
    run = run_program({"useDefaultStorageClass": "true", "installLocalPath": "true"}, cluster=cluster)
    assert "storageClassName" not in run.one(PVC).inputs["spec"]
    assert probe_expectations(run)["default_class"] == "standard"


def test_the_default_class_without_any_default_is_refused_before_anything_is_registered() -> None:
    registered: list[Registration] = []
    with pytest.raises(
        pulumi.RunError, match="the cluster has no default StorageClass and this stack does not make one"
    ):
        run_program({"useDefaultStorageClass": "true", "defaultStorageClass": "false"}, record=registered)
    assert registered == []


def test_existing_storage_class_is_used_without_installing_the_provisioner() -> None:
    run = run_program(
        {"installLocalPath": "false", "storageClassName": "standard"},
        cluster={("storageclass", "standard"): ExistingObject("standard", "")},
    )
    assert not run.all(STORAGE_CLASS) and not run.all(NAMESPACE)
    (template,) = run.one(STS).inputs["spec"]["volumeClaimTemplates"]
    assert template["spec"]["storageClassName"] == "standard"
    assert run.one(PVC).inputs["spec"]["storageClassName"] == "standard"


def test_auto_uses_a_local_path_class_another_stack_installed() -> None:
    cluster = {
        ("storageclass", "local-path"): ExistingObject("local-path", "statefulset-lab/seed"),
        ("namespace", "local-path-storage"): ExistingObject("local-path-storage", "statefulset-lab/seed"),
    }
    run = run_program({}, cluster=cluster)
    assert not run.all(STORAGE_CLASS)
    assert run.one(PVC).inputs["spec"]["storageClassName"] == "local-path"


def test_auto_keeps_managing_what_this_stack_installed() -> None:
    ours = {("storageclass", "local-path"): ExistingObject("local-path", "statefulset-lab/unit")}
    sc = run_program({}, cluster=ours).one(STORAGE_CLASS)
    assert sc.inputs["metadata"]["annotations"]["statefulset-lab/owner"] == "statefulset-lab/unit"


def test_installing_over_a_foreign_provisioner_is_refused_before_anything_is_registered() -> None:
    registered: list[Registration] = []
    cluster = {("namespace", "local-path-storage"): ExistingObject("local-path-storage", "")}
    with pytest.raises(pulumi.RunError, match="installLocalPath is true but the cluster already has"):
        run_program({"installLocalPath": "true"}, record=registered, cluster=cluster)
    assert registered == []


def test_installed_class_is_not_a_second_default_next_to_the_clusters_own() -> None:
    run = run_program(
        {"installLocalPath": "true"}, cluster={("storageclass", "standard"): ExistingObject("standard", "", True)}
    )
    assert "storageclass.kubernetes.io/is-default-class" not in run.one(STORAGE_CLASS).inputs["metadata"]["annotations"]


def test_installed_class_is_not_marked_default_when_configured_so() -> None:
    run = run_program({"defaultStorageClass": "false"})
    assert "storageclass.kubernetes.io/is-default-class" not in run.one(STORAGE_CLASS).inputs["metadata"]["annotations"]


def gate_spec(gate: Registration) -> dict[str, Any]:
    """The JSON spec a rollout gate's shell line hands to `python -m gates rollout`."""
    argv = shlex.split(gate.inputs["create"])
    assert argv[1:4] == ["-m", "gates", "rollout"], argv
    spec: dict[str, Any] = json.loads(argv[4])
    return spec


@pytest.mark.parametrize(
    "config",
    [{}, {"replicas": "3", "partition": "2"}, {"updateStrategy": "OnDelete"}, {"podManagementPolicy": "Parallel"}],
    ids=["seed", "partition", "ondelete", "parallel"],
)
def test_every_strategy_waits_through_the_rollout_gate_not_the_provider(config: dict[str, str]) -> None:
    run = run_program(config)
    sts = run.one(STS)
    assert json.loads(sts.inputs["metadata"]["annotations"][WAIT_FOR]) == ["jsonpath={.status.observedGeneration}"]
    gate = run.one(COMMAND, "web-sts-rollout")
    assert gate_spec(gate) == {
        "kind": "statefulset",
        "name": "web-sts",
        "namespace": "default",
        "selector": "app=nginx-sts",
        "timeout_seconds": 600,
        "on_delete": config.get("updateStrategy") == "OnDelete",
        "context": "",
        "force_rollback": False,
    }
    assert "web-sts-statefulset" in dependency_names(gate)
    assert parent_name(gate) == "web-sts"


def test_the_gates_run_again_when_their_workload_is_replaced_or_changed(seed: ProgramRun) -> None:
    for gate, workload in (("web-sts-rollout", "web-sts"), ("web-dep-rollout", "web-dep")):
        assert seed.one(COMMAND, gate).inputs["triggers"] == [
            f"uid-{workload}-{'statefulset' if workload == 'web-sts' else 'deployment'}",
            1,
        ]


def test_the_deployment_waits_for_its_old_replica_set_through_a_gate(seed: ProgramRun) -> None:
    gate = seed.one(COMMAND, "web-dep-rollout")
    assert gate_spec(gate)["kind"] == "deployment" and gate_spec(gate)["selector"] == "app=nginx-dep"
    assert "web-dep-deployment" in dependency_names(gate) and parent_name(gate) == "web-dep"
    # The gate waits instead of the provider, which would wait for the shared claim
    # to be bound even with no pod to bind it (deploymentReplicas 0).
    annotations = seed.one(DEPLOYMENT, "web-dep-deployment").inputs["metadata"]["annotations"]
    assert json.loads(annotations[WAIT_FOR]) == ["jsonpath={.status.observedGeneration}"]
    assert annotations["statefulset-lab/governing-service"] == "nginx-dep"


def test_probes_wait_for_both_gates(seed: ProgramRun) -> None:
    assert {"web-sts-rollout", "web-dep-rollout"} <= dependency_names(seed.one(COMMAND, "probes-observe"))


def test_statefulset_is_deleted_before_it_is_replaced(seed: ProgramRun) -> None:
    assert seed.one(STS).delete_before_replace


def test_parallel_policy_and_retention_reach_the_spec() -> None:
    run = run_program({"podManagementPolicy": "Parallel", "pvcRetentionWhenScaled": "Delete"})
    spec = run.one(STS).inputs["spec"]
    assert spec["podManagementPolicy"] == "Parallel"
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Delete"}


def test_default_namespace_is_used_not_created(seed: ProgramRun) -> None:
    assert [r for r in seed.all(NAMESPACE) if r.name == "lab-namespace"] == []
    assert seed.one(STS).inputs["metadata"]["namespace"] == "default"


def test_own_namespace_is_created_and_every_workload_waits_for_it() -> None:
    run = run_program({"namespace": "lab-parallel"})
    assert name_of(run.one(NAMESPACE, "lab-namespace")) == "lab-parallel"
    for r in [run.one(STS), run.one(PVC), run.one(DEPLOYMENT, "web-dep-deployment"), *run.all(SERVICE)]:
        assert r.inputs["metadata"]["namespace"] == "lab-parallel"
        assert "lab-namespace" in dependency_names(r)


def test_probes_observe_the_configured_expectations() -> None:
    run = run_program({"replicas": "3", "partition": "1", "probeRunId": "r1"})
    probe = run.one(COMMAND, "probes-observe")
    argv = shlex.split(probe.inputs["create"])
    assert argv[1:4] == ["-m", "probes", "observe"]
    expect = json.loads(next(a for a in argv if a.startswith("--expect=")).removeprefix("--expect="))
    assert (expect["replicas"], expect["partition"], expect["namespace"]) == (3, 1, "default")
    assert probe.inputs["triggers"] == ["uid-web-sts-statefulset", 1, "uid-web-dep-deployment", 1, "r1"]


def test_probes_can_be_turned_off() -> None:
    run = run_program({"probes": "false"})
    assert not [r for r in run.all(COMMAND) if r.name == "probes-observe"]
    assert run.exports["outputs"] == ["namespace", "statefulset", "deployment", "storageClass"]


def test_the_stack_outputs_are_the_verdicts_not_the_probe_document(seed: ProgramRun) -> None:
    # The document stays the probe command's stdout in the state (labstack.probe_state).
    assert seed.exports["outputs"] == [
        "namespace", "statefulset", "deployment", "storageClass", "checks", "checkCounts",
    ]  # fmt: skip


def test_bad_config_fails_before_any_resource_is_registered() -> None:
    registered: list[Registration] = []
    with pytest.raises(pulumi.RunError, match="statefulset-lab:partition applies only to updateStrategy RollingUpdate"):
        run_program({"replicas": "2", "partition": "1", "updateStrategy": "OnDelete"}, record=registered)
    assert registered == []


def test_render_mode_writes_manifests_and_probes_nothing() -> None:
    run = run_program({"renderYamlToDirectory": "/tmp/manifests", "partition": "1"})
    assert run.one("pulumi:providers:kubernetes").inputs["renderYamlToDirectory"] == "/tmp/manifests"
    assert run.all(COMMAND) == []


def test_statefulset_carries_its_deletion_policy() -> None:
    annotations = run_program({"statefulSetDeletion": "orphan"}).one(STS).inputs["metadata"]["annotations"]
    assert annotations["pulumi.com/deletionPropagationPolicy"] == "orphan"


def test_default_deletion_removes_pods_first(seed: ProgramRun) -> None:
    assert seed.one(STS).inputs["metadata"]["annotations"]["pulumi.com/deletionPropagationPolicy"] == "foreground"


def test_the_installing_stack_guards_its_storage_and_the_guard_goes_first(seed: ProgramRun) -> None:
    guard = seed.one(COMMAND, "storage-guard")
    assert "create" not in guard.inputs or not guard.inputs["create"]
    argv = shlex.split(guard.inputs["delete"])
    assert argv[1:4] == ["-m", "gates", "storage-users"]
    assert json.loads(argv[4]) == {
        "storage_class": "local-path",
        "namespace": "default",
        "installed_by": "statefulset-lab/unit",
        "context": "",
    }
    # Depending on everything else, it is deleted before anything else.
    everything = {r.name for r in seed.registrations if r.custom and r.name != "storage-guard"}
    everything -= {"cluster"}  # the provider
    assert everything <= dependency_names(guard), everything - dependency_names(guard)


def test_a_stack_using_someone_elses_storage_has_no_guard() -> None:
    theirs = {
        ("storageclass", "local-path"): ExistingObject("local-path", "statefulset-lab/other"),
        ("namespace", "local-path-storage"): ExistingObject("local-path-storage", "statefulset-lab/other"),
    }
    assert not [r for r in run_program({}, cluster=theirs).all(COMMAND) if r.name == "storage-guard"]


def test_the_drain_outlives_the_workloads_and_goes_before_the_provisioner() -> None:
    run = run_program({"namespace": "lab-a"})
    drain = run.one(COMMAND, "storage-drain")
    argv = shlex.split(drain.inputs["delete"])
    assert argv[1:4] == ["-m", "gates", "storage-drain"] and json.loads(argv[4])["namespace"] == "lab-a"
    assert "local-path-provisioner" in dependency_names(drain)
    # The workloads' components depend on it; their children go before them on destroy.
    workloads = [r for r in run.registrations if r.name in ("web-sts", "web-dep") and not r.custom]
    for dependent in (run.one(NAMESPACE, "lab-namespace"), *workloads):
        assert "storage-drain" in dependency_names(dependent), dependent.name
    assert len(workloads) == 2


def test_spread_across_nodes_adds_a_hard_hostname_spread_to_the_statefulset_only() -> None:
    assert "topologySpreadConstraints" not in run_program({}).one(STS).inputs["spec"]["template"]["spec"]
    run = run_program({"spreadAcrossNodes": "true"})
    assert run.one(STS).inputs["spec"]["template"]["spec"]["topologySpreadConstraints"] == [
        {
            "maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": {"app": "nginx-sts"}},
        }
    ]
    deployment = run.one(DEPLOYMENT, "web-dep-deployment").inputs["spec"]["template"]["spec"]
    assert "topologySpreadConstraints" not in deployment

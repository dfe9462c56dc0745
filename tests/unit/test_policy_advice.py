"""The policy pack's advice (policy/advice), judged on the inputs the program
really registers for each setting (run under Pulumi's mocks), and on a real
v1.34 API server's answer to a dry run for the field it drops."""

from __future__ import annotations

import copy
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from gates.rollout_wait import RolloutSpec
from policy.advice import dropped_fields, rollouts, storage
from policy.advice.resources import COMMAND, DEPLOYMENT, STATEFULSET, Resource, module_spec
from tests.unit.program_harness import ProgramRun, run_program
from tests.unit.test_gates_blocked_rollouts import SPEC, broken
from tests.unit.test_gates_rollout_progress import listing, pod, sts

FIELD_CHECK = Path(__file__).resolve().parents[1] / "fixtures" / "field-check"


def resources_of(run: ProgramRun) -> list[Resource]:
    return [Resource(r.type, r.inputs) for r in run.registrations]


def statefulset(config: dict[str, str]) -> dict[str, Any]:
    return run_program(config).one(STATEFULSET).inputs


@pytest.fixture(scope="module")
def seed() -> ProgramRun:
    return run_program({})


# partition-holds-every-pod


def test_a_partition_at_replicas_says_nothing_will_move_and_how_to_roll_out() -> None:
    [advice] = rollouts.partition_holds_every_pod(statefulset({"replicas": "3", "partition": "3"}))
    assert "partition 3 is at or above replicas 3, so nothing will move" in advice
    assert "web-sts-0..web-sts-2" in advice
    assert "statefulset-lab:partition 2 moves web-sts-2 only" in advice


def test_the_partition_advice_counts_from_the_start_ordinal() -> None:
    [advice] = rollouts.partition_holds_every_pod(
        statefulset({"replicas": "2", "partition": "2", "ordinalsStart": "1"})
    )
    assert "reaches only ordinals >= 3" in advice
    assert "web-sts-1..web-sts-2" in advice


def test_a_partition_below_replicas_or_no_pods_gets_no_advice(seed: ProgramRun) -> None:
    assert rollouts.partition_holds_every_pod(statefulset({"replicas": "3", "partition": "2"})) == []
    assert rollouts.partition_holds_every_pod(statefulset({"replicas": "0"})) == []
    assert rollouts.partition_holds_every_pod(seed.one(STATEFULSET).inputs) == []


def test_on_delete_has_no_partition_to_advise_on() -> None:
    inputs = statefulset({"updateStrategy": "OnDelete", "replicas": "1"})
    inputs["spec"]["updateStrategy"]["rollingUpdate"] = {"partition": 5}
    assert rollouts.partition_holds_every_pod(inputs) == []


# force-rollback-with-nothing-stuck


def nothing_stuck(spec: RolloutSpec, kubeconfig: str) -> list[str]:
    return []


def test_force_rollback_with_no_pod_stuck_says_this_up_does_nothing_and_to_set_it_back() -> None:
    run = run_program({"forceRollback": "true"})
    [advice] = rollouts.forced_rollback_without_a_stuck_pod(run.one(COMMAND, "web-sts-rollout").inputs, nothing_stuck)
    assert "forceRollback is on for StatefulSet web-sts, and none of its pods is stuck now" in advice
    assert "this up has nothing to roll back" in advice
    assert "Set forceRollback false" in advice
    assert rollouts.forced_rollback_without_a_stuck_pod(run.one(COMMAND, "web-dep-rollout").inputs, nothing_stuck) == []


def test_force_rollback_while_a_pod_is_stuck_is_what_it_is_for_and_gets_no_advice() -> None:
    gate = run_program({"forceRollback": "true"}).one(COMMAND, "web-sts-rollout").inputs
    asked: list[tuple[RolloutSpec, str]] = []

    def one_stuck(spec: RolloutSpec, kubeconfig: str) -> list[str]:
        asked.append((spec, kubeconfig))
        return ["web-sts-2 (ImagePullBackOff)"]

    assert rollouts.forced_rollback_without_a_stuck_pod(gate, one_stuck) == []
    [(spec, _)] = asked
    assert (spec.kind, spec.name, spec.selector, spec.force_rollback) == (
        "statefulset",
        "web-sts",
        "app=nginx-sts",
        True,
    )


def test_force_rollback_on_a_cluster_that_cannot_be_asked_says_what_it_does_and_why_it_cannot_tell() -> None:
    def unreachable(spec: RolloutSpec, kubeconfig: str) -> list[str]:
        raise RuntimeError("the connection to the server was refused")

    gate = run_program({"forceRollback": "true"}).one(COMMAND, "web-sts-rollout").inputs
    [advice] = rollouts.forced_rollback_without_a_stuck_pod(gate, unreachable)
    assert "could not be read (the connection to the server was refused)" in advice
    assert "with none, it does nothing" in advice


def test_without_force_rollback_no_command_gets_advice_nor_asks_the_cluster(seed: ProgramRun) -> None:
    def never(spec: RolloutSpec, kubeconfig: str) -> list[str]:
        raise AssertionError("asked the cluster")

    assert all(rollouts.forced_rollback_without_a_stuck_pod(c.inputs, never) == [] for c in seed.all(COMMAND))


def test_the_stuck_pods_are_the_ones_the_rollout_gate_judges_blocked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck = listing(sts(current="r1", update="r2"), broken("web-sts-2", "r2"), pod("web-sts-1", "r1", ready=True))
    fake_kubectl(tmp_path, monkeypatch, json.dumps(stuck))
    assert rollouts.stuck_pods(SPEC, "") == ['web-sts-2 (ImagePullBackOff: Back-off pulling image "nginx-slim:broken")']


def test_a_command_line_that_is_not_a_module_step_has_no_spec() -> None:
    assert module_spec("kubectl get pods", "gates") is None
    assert module_spec("python -m gates rollout 'not json'", "gates") is None
    assert module_spec("python -m gates rollout 'unbalanced", "gates") is None
    assert module_spec('python -m lessons drain \'{"lesson": "drain"}\'', "lessons") == ("drain", {"lesson": "drain"})


# max-unavailable-dropped


def fake_kubectl(folder: Path, monkeypatch: pytest.MonkeyPatch, answer: str) -> Path:
    """A kubectl first on PATH that records its arguments and stdin (in <calls>.argv, .stdin) and prints `answer`."""
    calls = folder / "calls"
    (folder / "answer.json").write_text(answer)
    kubectl = folder / "kubectl"
    kubectl.write_text(
        f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {calls}.argv\ncat > {calls}.stdin\ncat {folder / 'answer.json'}\n"
    )
    kubectl.chmod(kubectl.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return calls


def v1_34_answer() -> dict[str, Any]:
    answer: dict[str, Any] = json.loads((FIELD_CHECK / "answer-v1.34.4.json").read_text())
    return answer


def test_the_dry_run_sends_the_stacks_statefulset_renamed_without_pods() -> None:
    inputs = statefulset({"maxUnavailable": "2", "replicas": "4", "namespace": "lab-x"})
    assert dropped_fields.requested_max_unavailable(inputs) == "2"
    manifest = dropped_fields.dry_run_manifest(inputs)
    assert manifest["metadata"] == {"name": dropped_fields.CHECK_NAME, "namespace": "lab-x"}
    assert manifest["spec"]["replicas"] == 0
    assert manifest["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"] == 2
    assert manifest["spec"]["template"] == inputs["spec"]["template"]
    assert inputs["spec"]["replicas"] == 4, "the stack's own inputs must stay as they are"


def test_numbers_that_reach_a_policy_as_floats_go_to_the_cluster_as_integers() -> None:
    inputs = statefulset({"maxUnavailable": "2"})
    inputs["spec"].update(replicas=3.0, updateStrategy={"rollingUpdate": {"partition": 1.0, "maxUnavailable": 2.0}})
    assert dropped_fields.requested_max_unavailable(inputs) == "2"
    rolling = dropped_fields.dry_run_manifest(inputs)["spec"]["updateStrategy"]["rollingUpdate"]
    assert json.dumps(rolling) == '{"partition": 1, "maxUnavailable": 2}'


def test_a_cluster_that_drops_max_unavailable_gets_the_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dropped_fields, "ask_cluster", lambda manifest, kubeconfig, context: v1_34_answer())
    [advice] = dropped_fields.max_unavailable_dropped(statefulset({"maxUnavailable": "50%"}))
    assert "maxUnavailable 50% has no effect on this cluster" in advice
    assert "one at a time" in advice


def test_a_cluster_that_keeps_max_unavailable_gets_none(monkeypatch: pytest.MonkeyPatch) -> None:
    kept = v1_34_answer()
    kept["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"] = 2
    monkeypatch.setattr(dropped_fields, "ask_cluster", lambda manifest, kubeconfig, context: kept)
    assert dropped_fields.max_unavailable_dropped(statefulset({"maxUnavailable": "2"})) == []


def test_a_failed_dry_run_says_it_could_not_check_and_why(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(manifest: object, kubeconfig: str, context: str) -> dict[str, Any]:
        raise RuntimeError("the connection to the server was refused")

    monkeypatch.setattr(dropped_fields, "ask_cluster", refused)
    [advice] = dropped_fields.max_unavailable_dropped(statefulset({"maxUnavailable": "2"}))
    assert "could not ask the cluster whether it keeps maxUnavailable 2" in advice
    assert "refused" in advice


def test_without_max_unavailable_the_cluster_is_not_asked(seed: ProgramRun, monkeypatch: pytest.MonkeyPatch) -> None:
    def never(manifest: object, kubeconfig: str, context: str) -> dict[str, Any]:
        raise AssertionError("asked the cluster")

    monkeypatch.setattr(dropped_fields, "ask_cluster", never)
    assert dropped_fields.max_unavailable_dropped(seed.one(STATEFULSET).inputs) == []


def test_the_dry_run_goes_to_the_providers_kubeconfig_and_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = fake_kubectl(tmp_path, monkeypatch, (FIELD_CHECK / "answer-v1.34.4.json").read_text())
    manifest = dropped_fields.dry_run_manifest(statefulset({"maxUnavailable": "2"}))
    answer = dropped_fields.ask_cluster(manifest, "/lab/admin.kubeconfig", "lab")
    argv = Path(f"{calls}.argv").read_text().split("\n")
    assert argv[:4] == ["--kubeconfig", "/lab/admin.kubeconfig", "--context", "lab"]
    assert "--dry-run=server" in argv
    assert json.loads(Path(f"{calls}.stdin").read_text()) == manifest
    assert not dropped_fields.kept_by(answer)


def test_a_kubeconfig_given_as_text_reaches_kubectl_as_a_file() -> None:
    with dropped_fields.kubeconfig_file("apiVersion: v1\nkind: Config\n") as path:
        assert Path(path).read_text().startswith("apiVersion: v1")
    with dropped_fields.kubeconfig_file("~/admin.kubeconfig") as path:
        assert path == os.path.expanduser("~/admin.kubeconfig")


# shared-claim-across-nodes


def with_deployment_pod_spec(run: ProgramRun, **pod_spec: Any) -> list[Resource]:
    resources = []
    for r in run.registrations:
        inputs = copy.deepcopy(r.inputs)
        if r.type == DEPLOYMENT:
            inputs["spec"]["template"]["spec"].update(pod_spec)
        resources.append(Resource(r.type, inputs))
    return resources


HOSTNAME_ANTI_AFFINITY = {
    "podAntiAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [
            {"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": {"app": "nginx-dep"}}}
        ]
    }
}


def spread(max_skew: int, when: str = "DoNotSchedule") -> list[dict[str, Any]]:
    return [{"maxSkew": max_skew, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": when}]


def test_the_labs_shared_claim_alone_gets_no_advice(seed: ProgramRun) -> None:
    assert storage.shared_claim_across_nodes(resources_of(seed)) == []


def test_pods_sharing_a_read_write_once_claim_but_kept_apart_cannot_all_start(seed: ProgramRun) -> None:
    [advice] = storage.shared_claim_across_nodes(with_deployment_pod_spec(seed, affinity=HOSTNAME_ANTI_AFFINITY))
    assert advice.startswith("Deployment web-dep: its 2 pods all mount the ReadWriteOnce claim www-web-dep")
    assert "required pod anti-affinity on kubernetes.io/hostname" in advice
    assert "cannot start" in advice
    [advice] = storage.shared_claim_across_nodes(with_deployment_pod_spec(seed, topologySpreadConstraints=spread(1)))
    assert "topology spread on kubernetes.io/hostname (maxSkew 1, DoNotSchedule)" in advice


def test_a_spread_that_lets_the_pods_share_a_node_gets_no_advice(seed: ProgramRun) -> None:
    assert storage.shared_claim_across_nodes(with_deployment_pod_spec(seed, topologySpreadConstraints=spread(2))) == []
    soft = spread(1, "ScheduleAnyway")
    assert storage.shared_claim_across_nodes(with_deployment_pod_spec(seed, topologySpreadConstraints=soft)) == []
    one_pod = run_program({"deploymentReplicas": "1"})
    assert storage.shared_claim_across_nodes(with_deployment_pod_spec(one_pod, affinity=HOSTNAME_ANTI_AFFINITY)) == []


def test_a_claim_many_nodes_can_mount_gets_no_advice(seed: ProgramRun) -> None:
    resources = with_deployment_pod_spec(seed, affinity=HOSTNAME_ANTI_AFFINITY)
    for r in resources:
        if r.resource_type == "kubernetes:core/v1:PersistentVolumeClaim":
            r.props["spec"]["accessModes"] = ["ReadWriteMany"]
    assert storage.shared_claim_across_nodes(resources) == []


def test_the_spread_statefulset_has_a_claim_per_pod_and_gets_no_advice() -> None:
    assert storage.shared_claim_across_nodes(resources_of(run_program({"spreadAcrossNodes": "true"}))) == []


# claims-deleted-with-data


def test_the_cascade_delete_lesson_with_retention_delete_says_the_data_goes() -> None:
    run = run_program({"pvcRetentionWhenDeleted": "Delete", "lesson": "cascade-delete"})
    [advice] = storage.claims_deleted_with_data(resources_of(run))
    assert advice.startswith("StatefulSet web-sts: the lesson cascade-delete deletes it")
    assert "the volumes and the pages the pods wrote are deleted" in advice


def test_retention_delete_without_the_lesson_names_what_would_delete_the_claims() -> None:
    [advice] = storage.claims_deleted_with_data(resources_of(run_program({"pvcRetentionWhenDeleted": "Delete"})))
    assert "whatever deletes it (pulumi destroy" in advice
    [advice] = storage.claims_deleted_with_data(resources_of(run_program({"pvcRetentionWhenScaled": "Delete"})))
    assert "lowering replicas deletes the claims of the ordinals it removes" in advice


def test_retained_claims_get_no_advice_even_with_the_cascade_delete_lesson(seed: ProgramRun) -> None:
    assert storage.claims_deleted_with_data(resources_of(seed)) == []
    assert storage.claims_deleted_with_data(resources_of(run_program({"lesson": "cascade-delete"}))) == []

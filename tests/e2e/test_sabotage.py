"""The checks against a wrong cluster: ten changes made with kubectl behind
the stack's back (DNS, Services, hostnames, storage, partitions and
revisions, ownership, scaling). Each must fail the checks it targets, leave
the others' verdicts alone, and be undone (tests/e2e/sabotage.py)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from labcluster.nodes import node_volumes_dir
from labcluster.paths import LabPaths
from labstack.automation import LabStack
from probes.srv import RECHECK_SECONDS
from tests.e2e.cluster_state import claims, pods, wait_until
from tests.e2e.kube import kubectl, kubectl_json
from tests.e2e.sabotage import Sabotage, judge_in_turn

pytestmark = pytest.mark.e2e
OLD, NEW = "registry.k8s.io/nginx-slim:0.24", "registry.k8s.io/nginx-slim:0.21"

STS_NAMES = "[statefulset] pod names are <statefulset>-<ordinal>"
DEP_NAMES = "[deployment] pod names are <deployment>-<template-hash>-<random>"
STS_POD_DNS = "[statefulset] <pod>.<service> resolves to the pod's IP"
STS_POD_FQDN = "[statefulset] <pod>.<service>.<namespace>.svc.<cluster domain> resolves to the pod's IP"
STS_SERVICE_NAME = "[statefulset] the Service's own name resolves to its Ready pods"
DEP_SERVICE_NAME = "[deployment] the Service's own name resolves to its Ready pods"
DEP_DASHED_IP = "[deployment] <dashed-ip>.<service> resolves to the pod's IP"
DEP_POD_DNS = "[deployment] <pod>.<service> does not resolve"
STS_DASHED_IP = "[statefulset] a StatefulSet pod's dashed IP does not resolve under its own Service"
STS_SRV = "[statefulset] the headless Service's SRV records name each Ready pod"
DEP_SRV = "[deployment] the headless Service's SRV records name each Ready pod"
DEP_HOSTNAME = "[deployment] hostname is the pod name"
STS_CLAIMS = "[statefulset] one Bound claim per ordinal, mounted by its pod"
DEP_CLAIM = "[deployment] one Bound claim shared by every pod"
VOLUME_DIRECTORIES = "[statefulset] each volume is a host directory pvc-<uid>_<namespace>_<claim>"
PARTITION_3 = "[statefulset] ordinals >= partition (3) run the new revision, the others keep theirs"
STS_EXISTS = "[statefulset] the StatefulSet exists"


def _ready_addresses(ns: str, service: str) -> set[str]:
    slices = kubectl_json("get", "endpointslices", "-n", ns, "-l", f"kubernetes.io/service-name={service}")["items"]
    return {
        address
        for s in slices
        for e in s.get("endpoints") or []
        if (e.get("conditions") or {}).get("ready")
        for address in e["addresses"]
    }


def _pod_ips(ns: str, app: str) -> set[str]:
    items = kubectl_json("get", "pods", "-n", ns, "-l", f"app={app}")["items"]
    return {p["status"]["podIP"] for p in items if p["status"].get("podIP")}


def _then_dns_caches_expire(change: Callable[[], object]) -> Callable[[], None]:
    """The change, then as long as the cluster DNS may still serve answers it
    cached before it (the lab's record TTL is 5 s): until then the old answers
    are what DNS truly says, and a probe reading them is right to pass."""

    def changed() -> None:
        change()
        time.sleep(RECHECK_SECONDS)

    return changed


def _select(ns: str, service: str, app: str) -> Callable[[], None]:
    def change() -> None:
        kubectl(
            "patch",
            "service",
            service,
            "-n",
            ns,
            "--type=merge",
            "-p",
            json.dumps({"spec": {"selector": {"app": app}}}),
        )
        wait_until(lambda: _ready_addresses(ns, service) == _pod_ips(ns, app), 60, f"{service} serves the {app} pods")

    return change


def _rolled_out(ns: str, kind: str, name: str) -> None:
    kubectl("rollout", "status", f"{kind}/{name}", "-n", ns, "--timeout=180s", timeout=200)


def _deleting(ns: str, claim: str) -> bool:
    return bool(claims(ns).get(claim, {}).get("metadata", {}).get("deletionTimestamp"))


def _bound(ns: str, claim: str) -> bool:
    found = claims(ns).get(claim)
    return (
        found is not None and found["status"].get("phase") == "Bound" and not found["metadata"].get("deletionTimestamp")
    )


def _running(ns: str, app: str, count: int) -> Callable[[], bool]:
    return lambda: len([p for p in pods(ns, app) if p.ready_since]) == count


def test_services_and_dns_out_of_band(scenario_stack: Callable[..., LabStack]) -> None:
    ns = "e2e-sabotage-net"
    stack = scenario_stack("sabotage-net")
    stack.up("set-up")

    def recreate_dep_service() -> None:
        stack.refresh()
        stack.up("the Service created again")
        wait_until(lambda: _ready_addresses(ns, "nginx-dep") == _pod_ips(ns, "nginx-dep"), 60, "nginx-dep serves again")

    judge_in_turn(
        stack,
        [
            Sabotage(
                "the StatefulSet's Service selects nothing",
                break_it=_then_dns_caches_expire(_select(ns, "nginx-sts", "nobody")),
                targets=[STS_POD_DNS, STS_POD_FQDN, STS_SERVICE_NAME, STS_SRV],
                restore=_select(ns, "nginx-sts", "nginx-sts"),
                # With no pod behind the Service, a dashed IP under it cannot resolve either way.
                collateral=[STS_DASHED_IP],
            ),
            Sabotage(
                "the Deployment's Service selects the StatefulSet's pods",
                break_it=_then_dns_caches_expire(_select(ns, "nginx-dep", "nginx-sts")),
                targets=[DEP_SERVICE_NAME, DEP_DASHED_IP, DEP_SRV],
                restore=_select(ns, "nginx-dep", "nginx-dep"),
                collateral=[DEP_POD_DNS],
            ),
            Sabotage(
                "the Deployment's Service deleted",
                break_it=_then_dns_caches_expire(
                    lambda: kubectl("delete", "service", "nginx-dep", "-n", ns, "--wait=true")
                ),
                targets=[DEP_SERVICE_NAME, DEP_DASHED_IP, DEP_SRV],
                restore=recreate_dep_service,
                collateral=[DEP_POD_DNS],
            ),
        ],
    )


def volume_directory_on_its_node(ns: str, claim: str) -> Path:
    """Where the lab cluster's host sees the claim's volume directory on its node's disk."""
    volume = kubectl_json("get", "pv", claims(ns)[claim]["spec"]["volumeName"])
    terms = volume["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"]
    node = terms[0]["matchExpressions"][0]["values"][0]
    path = Path((volume["spec"].get("hostPath") or volume["spec"].get("local"))["path"])
    return node_volumes_dir(LabPaths.from_env(), node) / path.name


def move_away(directory: Path) -> Callable[[], None]:
    def change() -> None:
        directory.rename(directory.with_name(directory.name + ".moved"))

    return change


def move_back(directory: Path) -> Callable[[], None]:
    def change() -> None:
        directory.with_name(directory.name + ".moved").rename(directory)

    return change


def test_claims_deleted_under_their_pods(scenario_stack: Callable[..., LabStack]) -> None:
    ns = "e2e-sabotage-claims"
    stack = scenario_stack("sabotage-claims")
    stack.up("set-up")
    on_the_lab = os.environ.get("STATEFULSET_LAB_CLUSTER") == "1"
    directory = volume_directory_on_its_node(ns, "www-web-sts-0") if on_the_lab else None

    def delete_claim(claim: str) -> Callable[[], None]:
        def change() -> None:
            kubectl("delete", "pvc", claim, "-n", ns, "--wait=false")
            wait_until(lambda: _deleting(ns, claim), 30, f"{claim} being deleted")

        return change

    def let_web_sts_1_go() -> None:
        # The claim goes with its pod; the StatefulSet makes both anew (an empty volume).
        kubectl("delete", "pod", "web-sts-1", "-n", ns, "--wait=true")
        wait_until(lambda: _bound(ns, "www-web-sts-1") and _running(ns, "nginx-sts", 2)(), 120, "web-sts-1 back")

    def let_web_dep_go() -> None:
        # The Deployment's pods hold the shared claim: without them it goes, and the stack makes it again.
        kubectl("scale", "deployment", "web-dep", "-n", ns, "--replicas=0")
        wait_until(lambda: "www-web-dep" not in claims(ns), 120, "www-web-dep gone")
        stack.refresh()
        stack.up("the shared claim created again")
        wait_until(_running(ns, "nginx-dep", 2), 120, "the Deployment's pods back")

    # Only the lab cluster's disks can be looked at: on another cluster the check reads the API alone.
    disk = (
        [
            Sabotage(
                "the volume directory of web-sts-0 moved away on its node's disk",
                break_it=move_away(directory),
                targets=[VOLUME_DIRECTORIES],
                restore=move_back(directory),
            )
        ]
        if directory is not None
        else []
    )
    judge_in_turn(
        stack,
        [
            *disk,
            Sabotage(
                "the claim of web-sts-1 deleted while its pod runs",
                break_it=delete_claim("www-web-sts-1"),
                targets=[STS_CLAIMS],
                restore=let_web_sts_1_go,
                # One-way: the claim made anew holds none of the old data, and the check says so.
                restored_targets=[],
                collateral=["[statefulset] each claim's volume is on its pod's node"],
            ),
            Sabotage(
                "the Deployment's shared claim deleted while its pods run",
                break_it=delete_claim("www-web-dep"),
                targets=[DEP_CLAIM],
                restore=let_web_dep_go,
                # New pods and a new volume: where they run and their names are judged afresh.
                collateral=[DEP_NAMES, "[deployment] all pods run on the node of the shared volume"],
            ),
        ],
    )


def test_a_partition_the_cluster_was_made_to_ignore(scenario_stack: Callable[..., LabStack]) -> None:
    ns = "e2e-sabotage-partition"
    stack = scenario_stack("sabotage-partition", replicas="3")
    stack.up("3 replicas", image=OLD)
    stack.up("staging: partition 3 and a new image", partition="3", image=NEW)

    def partition(value: int) -> None:
        patch = {"spec": {"updateStrategy": {"rollingUpdate": {"partition": value}}}}
        kubectl("patch", "statefulset", "web-sts", "-n", ns, "--type=merge", "-p", json.dumps(patch))

    def roll_every_pod_then_hold_again() -> None:
        partition(0)
        _rolled_out(ns, "statefulset", "web-sts")
        partition(3)

    def back_to_the_old_image_then_stage_again() -> None:
        stack.up("partition 0 and the old image", partition="0", image=OLD)
        stack.up("staging again", partition="3", image=NEW)

    judge_in_turn(
        stack,
        [
            Sabotage(
                "partition 0 then 3 again with kubectl: every held pod rolled",
                break_it=roll_every_pod_then_hold_again,
                targets=[PARTITION_3],
                restore=back_to_the_old_image_then_stage_again,
                # The pods were re-created by a rolling update: the order checks see it.
                collateral=[
                    "[statefulset] OrderedReady creates each pod after its predecessor is Ready",
                    "[statefulset] a rolling update replaces pods from the highest ordinal down, "
                    "each after the one above is Ready again",
                ],
            ),
        ],
    )


def test_ownership_hostnames_and_scale_behind_the_stacks_back(scenario_stack: Callable[..., LabStack]) -> None:
    ns = "e2e-sabotage-owner"
    stack = scenario_stack("sabotage-owner")
    stack.up("set-up")

    def orphan_the_pods() -> None:
        kubectl("delete", "statefulset", "web-sts", "-n", ns, "--cascade=orphan", "--wait=true")

    def create_the_statefulset_again() -> None:
        stack.refresh()
        stack.up("the StatefulSet created again")
        wait_until(_running(ns, "nginx-sts", 2), 120, "the StatefulSet's pods Ready")

    def scale(kind: str, name: str, replicas: int, app: str) -> Callable[[], None]:
        def change() -> None:
            kubectl("scale", kind, name, "-n", ns, f"--replicas={replicas}")
            wait_until(
                lambda: len(pods(ns, app)) == replicas and _running(ns, app, replicas)(), 120, f"{replicas} {app}"
            )

        return change

    def give_dep_pods_a_hostname() -> None:
        patch = [{"op": "add", "path": "/spec/template/spec/hostname", "value": "imposter"}]
        kubectl("patch", "deployment", "web-dep", "-n", ns, "--type=json", "-p", json.dumps(patch))
        _rolled_out(ns, "deployment", "web-dep")

    def take_the_hostname_back() -> None:
        patch = [{"op": "remove", "path": "/spec/template/spec/hostname"}]
        kubectl("patch", "deployment", "web-dep", "-n", ns, "--type=json", "-p", json.dumps(patch))
        _rolled_out(ns, "deployment", "web-dep")

    def scale_sts_back() -> None:
        scale("statefulset", "web-sts", 2, "nginx-sts")()
        kubectl("delete", "pvc", "www-web-sts-2", "-n", ns, "--wait=true")

    sts_checks = [n for n in stack.checks() if n.startswith("[statefulset]")]
    judge_in_turn(
        stack,
        [
            Sabotage(
                "the StatefulSet deleted with --cascade=orphan",
                break_it=orphan_the_pods,
                targets=[STS_EXISTS],
                restore=create_the_statefulset_again,
                # Without the StatefulSet its pods are anybody's: every StatefulSet
                # check may change; the Deployment's must not.
                collateral=sts_checks,
            ),
            Sabotage(
                "the Deployment scaled to 3 with kubectl",
                break_it=scale("deployment", "web-dep", 3, "nginx-dep"),
                targets=[DEP_NAMES, "[deployment] the Deployment's replicas are the stack's"],
                restore=scale("deployment", "web-dep", 2, "nginx-dep"),
                collateral=["[deployment] the Deployment scales in all at once"],
            ),
            Sabotage(
                "the Deployment's pods all named 'imposter'",
                break_it=give_dep_pods_a_hostname,
                targets=[DEP_HOSTNAME],
                restore=take_the_hostname_back,
                # A rollout replaces the Deployment's pods: their names and place are judged afresh.
                collateral=[DEP_NAMES, "[deployment] all pods run on the node of the shared volume"],
            ),
            Sabotage(
                "the StatefulSet scaled to 3 with kubectl",
                break_it=scale("statefulset", "web-sts", 3, "nginx-sts"),
                targets=[STS_NAMES, "[statefulset] the StatefulSet's replicas are the stack's"],
                restore=scale_sts_back,
                # The extra pod brings its own claim and its own place, and is one
                # pod more than the replicas the rollout is judged against.
                collateral=[
                    STS_CLAIMS,
                    "[statefulset] ordinals >= partition (0) run the new revision, the others keep theirs",
                    "[statefulset] pods are spread across nodes (topology spread on kubernetes.io/hostname)",
                    "[statefulset] OrderedReady creates each pod after its predecessor is Ready",
                ],
            ),
        ],
    )

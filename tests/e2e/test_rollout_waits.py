"""`pulumi up` returns only once a rollout is over.

Each scenario flips the image back and forth and, the moment `up` returns,
reads the StatefulSet's and the Deployment's state: every replica Ready on
the new revision, nothing left of the old one. First with the probes off (so
nothing after the workloads can hide a wait that returned early), then with
the probes on, where every check must hold on the settled state.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from labstack.automation import LabStack, assert_checks_pass
from tests.e2e.rollout_state import deployment_rollout_problems, statefulset_rollout_problems

pytestmark = pytest.mark.e2e
IMAGES = ("registry.k8s.io/nginx-slim:0.21", "registry.k8s.io/nginx-slim:0.24")


def assert_rolled_out(namespace: str, image: str, partition: int = 0) -> None:
    problems = statefulset_rollout_problems(namespace, image, partition) + deployment_rollout_problems(namespace, image)
    assert not problems, f"`pulumi up` returned before the rollout was over: {problems}"


def flip_images(stack: LabStack, namespace: str, flips: int, label: str) -> None:
    for i in range(flips):
        image = IMAGES[i % 2]
        stack.up(f"{label} {i + 1}: {image}", image=image)
        assert_rolled_out(namespace, image)


@pytest.mark.parametrize("policy", ["OrderedReady", "Parallel"])
def test_image_flips_return_only_after_the_rollout(scenario_stack: Callable[..., LabStack], policy: str) -> None:
    namespace = f"e2e-flips-{policy.lower()}"
    stack = scenario_stack(
        f"flips-{policy.lower()}", namespace=namespace, replicas="3", podManagementPolicy=policy, probes="false"
    )
    stack.up("3 replicas", image=IMAGES[1])
    assert_rolled_out(namespace, IMAGES[1])

    flip_images(stack, namespace, 3, "probes off, flip")

    stack.configure(probes="true")
    flip_images(stack, namespace, 3, "probes on, flip")
    assert_checks_pass(stack)


def test_a_flip_with_a_scale_out_or_in_returns_after_both(scenario_stack: Callable[..., LabStack]) -> None:
    namespace = "e2e-flip-scale"
    stack = scenario_stack("flip-scale", namespace=namespace, replicas="2", probes="false")
    stack.up("2 replicas", image=IMAGES[1])

    stack.up("scale out and flip", image=IMAGES[0], replicas="4", deploymentReplicas="3")
    assert_rolled_out(namespace, IMAGES[0])

    stack.up("scale in and flip", image=IMAGES[1], replicas="2", deploymentReplicas="1")
    assert_rolled_out(namespace, IMAGES[1])


def test_a_partitioned_flip_returns_once_the_ordinals_above_the_partition_moved(
    scenario_stack: Callable[..., LabStack],
) -> None:
    namespace = "e2e-flip-partition"
    stack = scenario_stack("flip-partition", namespace=namespace, replicas="3", probes="false")
    stack.up("3 replicas", image=IMAGES[1])

    stack.up("partition 1, new image", image=IMAGES[0], partition="1")
    problems = statefulset_rollout_problems(namespace, IMAGES[0], partition=1)
    problems += deployment_rollout_problems(namespace, IMAGES[0])
    assert not problems, f"`pulumi up` returned before the partitioned rollout was over: {problems}"

    stack.up("partition 0", partition="0")
    assert_rolled_out(namespace, IMAGES[0])


def test_on_delete_returns_without_waiting_for_pods_that_nobody_deleted(
    scenario_stack: Callable[..., LabStack],
) -> None:
    namespace = "e2e-flip-ondelete"
    stack = scenario_stack("flip-ondelete", namespace=namespace, updateStrategy="OnDelete", probes="false")
    stack.up("OnDelete", image=IMAGES[1])
    stack.up("new image", image=IMAGES[0])
    assert stack.timings["new image"] < 120, stack.timings
    # The Deployment rolls; the StatefulSet's pods keep the old image until deleted.
    assert not deployment_rollout_problems(namespace, IMAGES[0])
    still_old = statefulset_rollout_problems(namespace, IMAGES[1], partition=99)
    assert not still_old, still_old

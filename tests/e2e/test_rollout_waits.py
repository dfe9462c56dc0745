"""`pulumi up` returns only once a rollout is over.

Each scenario flips the image (or scales) and, the moment `up` returns,
reads the StatefulSet's and the Deployment's state: every replica Ready on
the new revision, nothing left of the old one. First with the probes off (so
nothing after the workloads can hide a wait that returned early), then with
the probes on, where every check must hold on the settled state. Partitioned
and OnDelete rollouts are the staging and OnDelete lessons (test_lessons.py).
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


def flip_image(stack: LabStack, namespace: str, image: str, label: str) -> None:
    stack.up(f"{label}: {image}", image=image)
    assert_rolled_out(namespace, image)


@pytest.mark.parametrize("policy", ["OrderedReady", "Parallel"])
def test_image_flips_return_only_after_the_rollout(scenario_stack: Callable[..., LabStack], policy: str) -> None:
    namespace = f"e2e-flips-{policy.lower()}"
    stack = scenario_stack(
        f"flips-{policy.lower()}", namespace=namespace, replicas="3", podManagementPolicy=policy, probes="false"
    )
    stack.up("3 replicas", image=IMAGES[1])
    assert_rolled_out(namespace, IMAGES[1])

    # One flip each way: forward with the probes off, back with them on.
    flip_image(stack, namespace, IMAGES[0], "probes off, flip")

    stack.configure(probes="true")
    flip_image(stack, namespace, IMAGES[1], "probes on, flip back")
    assert_checks_pass(stack)


def test_a_flip_with_a_scale_out_or_in_returns_after_both(scenario_stack: Callable[..., LabStack]) -> None:
    namespace = "e2e-flip-scale"
    stack = scenario_stack("flip-scale", namespace=namespace, replicas="2", probes="false")
    stack.up("2 replicas", image=IMAGES[1])

    stack.up("scale out and flip", image=IMAGES[0], replicas="4", deploymentReplicas="3")
    assert_rolled_out(namespace, IMAGES[0])

    stack.up("scale in and flip", image=IMAGES[1], replicas="2", deploymentReplicas="1")
    assert_rolled_out(namespace, IMAGES[1])

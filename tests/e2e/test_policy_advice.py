"""The lab's policy pack speaks in a real preview, through the Automation
API as `make preview` runs it: each advice line names the step it is about,
and the preview itself still succeeds (every policy is advisory)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from labstack.automation import LabStack

pytestmark = pytest.mark.e2e


def test_a_preview_advises_on_a_partition_a_forced_rollback_and_claims_deleted_with_their_data(
    scenario_stack: Callable[..., LabStack],
) -> None:
    stack = scenario_stack("advice", replicas="3", partition="2", probes="false").with_advice()
    stack.up("3 replicas, partition 2")
    assert "partition-holds-every-pod" not in "\n".join(stack.log), "partition 2 of 3 moves a pod: no advice"

    stack.configure(partition="3", forceRollback="true", pvcRetentionWhenDeleted="Delete", lesson="cascade-delete")
    preview = stack.preview()
    said = preview.stdout
    print(said[said.find("Policies:") :])  # the advice as a learner sees it, in the test's log

    assert "partition 3 is at or above replicas 3, so nothing will move" in said, said
    assert "forceRollback is on for StatefulSet web-sts, and none of its pods is stuck now" in said, said
    assert "the lesson cascade-delete deletes it" in said, said
    assert "[advisory]" in said and "[mandatory]" not in said, said

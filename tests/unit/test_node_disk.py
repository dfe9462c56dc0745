"""The probes look at a lab node's disk for each volume's directory: a worker's
under the lab's state, the control plane's at /opt/local-path-provisioner
itself; nowhere on another cluster, and never for a claim with nothing to find."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from probes.facts import ClaimFacts
from probes.node_disk import lab_disk_lookup, with_disk

DIRECTORY = "pvc-2faeb290-9612-41e2-b815-30e264317bc0_lab_www-web-sts-0"
CLAIM = ClaimFacts(
    name="www-web-sts-0",
    phase="Bound",
    storage_class="local-path",
    volume="pvc-2faeb290-9612-41e2-b815-30e264317bc0",
    node="lab-worker-1",
    host_path=f"/opt/local-path-provisioner/{DIRECTORY}",
)


def test_a_workers_volume_is_looked_for_under_the_labs_state(tmp_path: Path) -> None:
    lookup = lab_disk_lookup({"STATEFULSET_LAB_CLUSTER": "1", "STATEFULSET_LAB_STATE": str(tmp_path)})
    assert lookup is not None
    assert with_disk([CLAIM], lookup)[0].on_disk is False
    (tmp_path / "nodes" / "lab-worker-1" / "local-path" / DIRECTORY).mkdir(parents=True)
    assert with_disk([CLAIM], lookup)[0].on_disk is True
    # Another worker's disk does not hold it.
    assert with_disk([replace(CLAIM, node="lab-worker-0")], lookup)[0].on_disk is False


def test_nothing_is_looked_at_off_the_lab_or_for_a_claim_with_nothing_to_find(tmp_path: Path) -> None:
    assert lab_disk_lookup({"STATEFULSET_LAB_STATE": str(tmp_path)}) is None
    assert with_disk([CLAIM], None) == [CLAIM]
    lookup = lab_disk_lookup({"STATEFULSET_LAB_CLUSTER": "1", "STATEFULSET_LAB_STATE": str(tmp_path)})
    pending = replace(CLAIM, phase="Pending", node=None, host_path=None)
    elsewhere = replace(CLAIM, host_path=f"/mnt/disks/{DIRECTORY}")
    assert [c.on_disk for c in with_disk([pending, elsewhere], lookup)] == [None, None]

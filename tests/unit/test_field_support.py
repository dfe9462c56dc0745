"""The preview says when the cluster drops a StatefulSet field the stack sets,
judged from a real API server's answer to a server-side dry run."""

from __future__ import annotations

import json
from pathlib import Path

from plan.field_support import check_manifest, dropped, fields_in_use, warning
from plan.settings import PROJECT, LabSettings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "field-check"
EVERY_FIELD = LabSettings(max_unavailable="2", ordinals_start=1, pvc_retention_when_deleted="Delete")


def answer(version: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((FIXTURES / f"answer-{version}.json").read_text())
    return loaded


def test_the_default_settings_use_no_droppable_field_and_need_no_dry_run() -> None:
    assert fields_in_use(LabSettings()) == {}


def test_the_dry_run_manifest_sets_what_the_settings_set() -> None:
    spec = check_manifest(EVERY_FIELD)["spec"]
    assert spec["updateStrategy"]["rollingUpdate"]["maxUnavailable"] == 2
    assert spec["ordinals"] == {"start": 1}
    assert spec["persistentVolumeClaimRetentionPolicy"]["whenDeleted"] == "Delete"
    assert (
        check_manifest(LabSettings(max_unavailable="50%"))["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"]
        == "50%"
    )
    assert json.loads((FIXTURES / "manifest.json").read_text()) == check_manifest(EVERY_FIELD)


def test_kubernetes_1_34_drops_max_unavailable_and_keeps_the_rest() -> None:
    assert dropped(answer("v1.34.4"), EVERY_FIELD) == ["maxUnavailable"]


def test_a_field_the_stack_does_not_set_is_never_reported() -> None:
    assert dropped(answer("v1.34.4"), LabSettings(ordinals_start=1)) == []


def test_the_warning_names_the_key_the_version_and_the_consequence() -> None:
    text = warning("maxUnavailable", "v1.34.4")
    assert text.startswith(f"{PROJECT}:maxUnavailable has no effect on this cluster (API server v1.34.4)")
    assert "MaxUnavailableStatefulSet feature gate; pods are then replaced one at a time" in text

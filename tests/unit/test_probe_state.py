"""The probe document is read where the stack keeps it: the probe command's
stdout in `pulumi stack export`, recorded from real ups on the lab cluster
(tests/fixtures/stack-exports, tests/fixtures/capture_stack_export.py).
A stack made before the document left the stack outputs reads too."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from components.verification_probes import check_verdicts, verdict_counts
from labstack.probe_state import COMMAND_TYPE, STACK_TYPE, document_in_state, probe_command_urn
from labstack.pulumi_cli import resources
from probes.document import read_document

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "stack-exports"


def export(name: str) -> dict[str, Any]:
    state: dict[str, Any] = json.loads((EXPORTS / f"{name}.json").read_text())
    return state


def stack_outputs(state: dict[str, Any]) -> dict[str, Any]:
    outputs: dict[str, Any] = next(r for r in resources(state) if r["type"] == STACK_TYPE)["outputs"]
    return outputs


def without_probe_command(state: dict[str, Any]) -> dict[str, Any]:
    trimmed = copy.deepcopy(state)
    trimmed["deployment"]["resources"] = [r for r in resources(state) if r["type"] != COMMAND_TYPE]
    return trimmed


def test_the_document_is_the_probe_commands_stdout_and_the_outputs_are_its_verdicts() -> None:
    state = export("after-up")
    document = document_in_state(state)
    assert document is not None and document.checks
    outputs = stack_outputs(state)
    assert "probes" not in outputs
    assert outputs["checkCounts"] == verdict_counts(document)
    assert outputs["checks"] == check_verdicts(document)


def test_the_probe_command_is_found_by_its_type_and_its_parent() -> None:
    state = export("after-up")
    urn = probe_command_urn(state)
    assert urn is not None and urn.endswith("::probes-observe")
    assert probe_command_urn(without_probe_command(state)) is None


def test_a_probe_command_left_for_deletion_by_a_stopped_replacement_is_not_read() -> None:
    state = export("after-up")
    current = next(r for r in resources(state) if r["type"] == COMMAND_TYPE)
    old = copy.deepcopy(current) | {"delete": True}
    old["outputs"]["stdout"] = "not the current document"
    state["deployment"]["resources"].insert(0, old)
    assert document_in_state(state) == document_in_state(export("after-up"))


def test_an_older_stack_reads_the_document_its_probe_command_printed() -> None:
    older = export("before-the-outputs-change")
    document = document_in_state(older)
    assert document is not None
    assert read_document(stack_outputs(older)["probes"]) == document


def test_an_older_stack_without_its_probe_command_reads_its_probes_output() -> None:
    older = export("before-the-outputs-change")
    assert document_in_state(without_probe_command(older)) == document_in_state(older)


def test_a_stack_without_probes_has_no_document() -> None:
    assert document_in_state(without_probe_command(export("after-up"))) is None
    assert document_in_state(None) is None

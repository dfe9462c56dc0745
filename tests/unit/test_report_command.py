"""`make report` finds the probe command in the stack's state from the
component's type, never from a URN written by hand."""

from __future__ import annotations

from typing import Any

from labstack.probe_state import probe_command_urn
from tests.unit.program_harness import ProgramRun, run_program


def exported(run: ProgramRun) -> dict[str, Any]:
    """The program's resources as `pulumi stack export` lists them."""
    listed = [{"urn": r.urn, "type": r.type, "parent": r.parent} for r in run.registrations]
    return {"version": 3, "deployment": {"resources": listed}}


def test_the_report_finds_the_probe_command_the_program_registers() -> None:
    run = run_program()
    probe = run.one("command:local:Command", "probes-observe")
    assert probe_command_urn(exported(run)) == probe.urn
    assert run.by_urn(probe.parent).type == "statefulset-lab:probes:VerificationProbes"


def test_a_stack_without_probes_has_no_probe_command() -> None:
    assert probe_command_urn(exported(run_program({"probes": "false"}))) is None
    assert probe_command_urn(None) is None

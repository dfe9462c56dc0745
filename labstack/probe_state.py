"""Where a stack keeps its probe document: in its state, as the probe command's stdout.

The probe command (the `local.Command` child of the VerificationProbes
component whose name ends in `-observe`) prints the document, and Pulumi
records what a command printed among its outputs. So `pulumi stack export`
holds the document of the last probe run that succeeded, written in the same
checkpoint as the rest of the up: it is neither a stack output (which
`pulumi up` would print as a diff) nor a file beside the state that could
drift from it.

Stacks made before the document left the stack outputs also have it as
their `probes` output, in JSON Lines; that copy is read when the state has
no probe command with a document (see docs/probes.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labstack.pulumi_cli import resources
from probes.document import OBSERVE_SUFFIX, PROBES_COMPONENT_TYPE, ProbeDocument, read_document

COMMAND_TYPE = "command:local:Command"
STACK_TYPE = "pulumi:pulumi:Stack"
OLD_DOCUMENT_OUTPUT = "probes"
"""The stack output older versions kept the whole document in."""


def probe_command(state: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The probe command as an exported state records it, None when the stack has none."""
    listed = resources(state)
    components = {r.get("urn") for r in listed if r.get("type") == PROBES_COMPONENT_TYPE}
    found = [
        r
        for r in listed
        if r.get("type") == COMMAND_TYPE
        and r.get("parent") in components
        and str(r.get("urn", "")).endswith(OBSERVE_SUFFIX)
        # An up stopped during a replacement leaves the old command behind, marked for deletion.
        and not r.get("delete")
    ]
    return found[0] if found else None


def probe_command_urn(state: Mapping[str, Any] | None) -> str | None:
    """The URN of the probe command in an exported state, None when the stack has none."""
    command = probe_command(state)
    return str(command["urn"]) if command else None


def _outputs(resource: Mapping[str, Any] | None) -> Mapping[str, Any]:
    outputs = (resource or {}).get("outputs")
    return outputs if isinstance(outputs, Mapping) else {}


def stored_probe_output(state: Mapping[str, Any] | None) -> str | None:
    """The document's text as the state keeps it: the probe command's stdout,
    else an older stack's `probes` output; None when the state has neither."""
    stdout = _outputs(probe_command(state)).get("stdout")
    if isinstance(stdout, str) and stdout.strip():
        return stdout
    stack = next((r for r in resources(state) if r.get("type") == STACK_TYPE), None)
    old = _outputs(stack).get(OLD_DOCUMENT_OUTPUT)
    return old if isinstance(old, str) and old.strip() else None


def document_in_state(state: Mapping[str, Any] | None) -> ProbeDocument | None:
    """The probe document of the stack's last probe run, None when there is
    none; a DocumentError when an older lab wrote it in another schema."""
    return read_document(stored_probe_output(state))

"""The probe document as the stack stores it: JSON Lines, one section per line.

Pulumi prints a stack output that is one JSON value in full, and shortens
long text (to three lines of 150 characters) unless asked for the full
output. Written as several JSON objects, one `{"<section>": ...}` per line,
the document is text to Pulumi, so `pulumi up` ends with a short glimpse of
it, while `pulumi stack output probes` prints it whole and `jq -s add` or
`read_document` turn it back into the one document.
"""

from __future__ import annotations

import json
from typing import Any

PROBES_COMPONENT_TYPE = "statefulset-lab:probes:VerificationProbes"
"""The Pulumi type of the component that runs the probes: `make report` finds
the probe command in the stack's state as its child."""
OBSERVE_SUFFIX = "-observe"
"""How the probe command's resource name ends (`<component>-observe`)."""


def document_lines(document: dict[str, Any]) -> str:
    return "\n".join(json.dumps({key: document[key]}, sort_keys=True) for key in sorted(document))


def read_document(stored: object) -> dict[str, Any]:
    """The document from any way it reaches a reader: the JSON Lines text
    (`pulumi stack output probes`), that text as a JSON string (`--json`),
    or a document of the earlier one-object form."""
    if isinstance(stored, dict):
        return stored
    text = str(stored).strip()
    if text.startswith('"'):
        return read_document(json.loads(text))
    document: dict[str, Any] = {}
    decoder = json.JSONDecoder()
    position = 0
    while position < len(text):
        value, position = decoder.raw_decode(text, position)
        if not isinstance(value, dict):
            raise ValueError("a probe document is made of JSON objects")
        document.update(value)
        while position < len(text) and text[position].isspace():
            position += 1
    return document

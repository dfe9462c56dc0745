"""The pinned versions in toolchain/versions.env that image names depend on."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

VERSIONS_ENV = Path(__file__).resolve().parent.parent / "toolchain" / "versions.env"


def parse_versions(text: str) -> dict[str, str]:
    """KEY=value lines of a shell env file; comments and blank lines ignored."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = re.fullmatch(r"\s*([A-Z][A-Z0-9_]*)=[\"']?([^\"'#\s]*)[\"']?\s*(#.*)?", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


@cache
def pinned(key: str) -> str:
    versions = parse_versions(VERSIONS_ENV.read_text())
    if key not in versions:
        raise KeyError(f"{key} is not set in {VERSIONS_ENV}")
    return versions[key]

"""Atomic, change-aware file writes: rendered files are rewritten only when they differ."""

from __future__ import annotations

import os
from pathlib import Path


def write_if_changed(path: Path, text: str, mode: int = 0o644) -> bool:
    """Writes `text` atomically with `mode`; returns whether the content changed."""
    if path.exists() and path.read_text() == text:
        os.chmod(path, mode)
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    # os.open's mode is filtered by the umask; chmod makes it exact.
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    return True


def write_private(path: Path, text: str) -> bool:
    """Writes a file only its owner can read (keys, kubeconfigs)."""
    return write_if_changed(path, text, 0o600)

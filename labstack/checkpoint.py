"""`python -m labstack.checkpoint STACK`, the first step of `make up`: a file
backend's checkpoint that an up killed while writing it left empty or cut
short is put back from the copy of the previous checkpoint the backend keeps
beside it (`<stack>.json.bak`); the cut one is kept under another name.

The backend writes each file with a small JSON file of attributes beside it
(`<stack>.json.attrs`: content type and MD5). A kill can cut that one short
too, after the checkpoint itself was written whole: it is then written again
for the checkpoint as it is, which keeps the newest state.

Without either repair, every pulumi command on the stack, `stack select`
first, fails with "failed to load checkpoint: EOF"."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

from labstack.pulumi_cli import PulumiError, stack_step
from labstack.recover import PROJECT, backend_root


def stack_file(root: Path, stack: str, project: str = PROJECT) -> Path:
    return root / ".pulumi" / "stacks" / project / f"{stack}.json"


DEFAULT_ATTRIBUTES = {
    "user.cache_control": "",
    "user.content_disposition": "",
    "user.content_encoding": "",
    "user.content_language": "",
    "user.content_type": "text/plain; charset=utf-8",
    "user.metadata": None,
}
"""What the backend writes beside a checkpoint, but its MD5 (as its backups' attributes read)."""


def readable(path: Path) -> bool:
    try:
        return isinstance(json.loads(path.read_text()), dict)
    except (OSError, ValueError):
        return False


def restore_cut_checkpoint(root: Path, stack: str) -> list[str]:
    """What it did, a line; nothing when the checkpoint reads (or the stack has none yet)."""
    current = stack_file(root, stack)
    if not current.exists():
        return []
    if readable(current):
        return _rewrite_cut_attributes(current, stack)
    backup = current.with_name(current.name + ".bak")
    if not readable(backup):
        raise PulumiError(
            f"the checkpoint of stack {stack} ({current}) is cut short and has no readable backup beside it: "
            f"import an earlier one from {root / '.pulumi' / 'backups' / PROJECT / stack} with "
            f"`pulumi stack import --stack {stack} --file <it>`"
        )
    kept = current.with_name(f"{current.name}.cut-{int(time.time())}")
    current.rename(kept)
    shutil.copy2(backup, current)
    attrs = backup.with_name(backup.name + ".attrs")
    if attrs.exists():
        shutil.copy2(attrs, current.with_name(current.name + ".attrs"))
    why = f"an interrupted up cut it short (kept as {kept.name})"
    return [f"put back the checkpoint of stack {stack} from its backup: {why}"]


def _rewrite_cut_attributes(checkpoint: Path, stack: str) -> list[str]:
    """The attributes of a whole checkpoint written again when they were cut short."""
    attrs = checkpoint.with_name(checkpoint.name + ".attrs")
    if not attrs.exists() or readable(attrs):
        return []
    backup_attrs = checkpoint.with_name(checkpoint.name + ".bak.attrs")
    fields = json.loads(backup_attrs.read_text()) if readable(backup_attrs) else dict(DEFAULT_ATTRIBUTES)
    fields["md5"] = base64.b64encode(hashlib.md5(checkpoint.read_bytes()).digest()).decode()
    kept = attrs.with_name(f"{attrs.name}.cut-{int(time.time())}")
    attrs.rename(kept)
    attrs.write_text(json.dumps(fields, separators=(",", ":")))
    why = f"an interrupted up cut them short (kept as {kept.name})"
    return [f"wrote the attributes of stack {stack}'s checkpoint again: {why}"]


def _restore(stack: str) -> list[str]:
    root = backend_root(os.environ.get("PULUMI_BACKEND_URL", ""))
    return restore_cut_checkpoint(root, stack) if root is not None else []


if __name__ == "__main__":
    sys.exit(stack_step("checkpoint", sys.argv[1:], _restore))

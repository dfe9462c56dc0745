"""`python -m labstack.checkpoint STACK`, the first step of `make up`: a file
backend's checkpoint that an up killed while writing it left empty or cut
short is put back from the copy of the previous checkpoint the backend keeps
beside it (`<stack>.json.bak`); the cut one is kept under another name.
Without that, every pulumi command on the stack, `stack select` first, fails
with "failed to load checkpoint"."""

from __future__ import annotations

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


def readable(path: Path) -> bool:
    try:
        return isinstance(json.loads(path.read_text()), dict)
    except (OSError, ValueError):
        return False


def restore_cut_checkpoint(root: Path, stack: str) -> list[str]:
    """What it did, a line; nothing when the checkpoint reads (or the stack has none yet)."""
    current = stack_file(root, stack)
    if not current.exists() or readable(current):
        return []
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


def _restore(stack: str) -> list[str]:
    root = backend_root(os.environ.get("PULUMI_BACKEND_URL", ""))
    return restore_cut_checkpoint(root, stack) if root is not None else []


if __name__ == "__main__":
    sys.exit(stack_step("checkpoint", sys.argv[1:], _restore))

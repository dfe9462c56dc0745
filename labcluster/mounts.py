"""Finding and removing the mounts under a directory before deleting it.

Deleting a tree that still has /proc, /dev or a pod volume mounted inside would
reach into the mounted file system; every delete in labcluster goes through
`remove_tree`, which unmounts first and refuses to delete if anything stays mounted.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .errors import LabError


def _unescape(field: str) -> str:
    # mountinfo escapes space, tab, newline and backslash as octal.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mounts_under(directory: Path) -> list[Path]:
    """Mount points at or below `directory`, deepest first."""
    root = directory.resolve()
    found: list[Path] = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        point = Path(_unescape(line.split()[4]))
        if point == root or root in point.parents:
            found.append(point)
    return sorted(set(found), key=lambda p: len(p.parts), reverse=True)


def unmount_under(directory: Path) -> None:
    for point in mounts_under(directory):
        done = subprocess.run(["umount", str(point)], capture_output=True, check=False)
        if done.returncode != 0:
            subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


def remove_tree(directory: Path) -> None:
    """Unmounts everything below `directory`, then deletes it."""
    if not directory.exists():
        return
    unmount_under(directory)
    left = mounts_under(directory)
    if left:
        raise LabError(
            f"cannot delete {directory}: still mounted: {', '.join(map(str, left[:5]))}",
            "stop what uses these mounts (python -m labcluster down), then retry",
        )
    shutil.rmtree(directory)

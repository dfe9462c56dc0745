"""Finding and removing the mounts under a directory before deleting it.

Deleting a tree that still has /proc, /dev or a pod volume mounted inside would
reach into the mounted file system; every delete in labcluster goes through
`remove_tree`, which unmounts first and refuses to delete if anything stays mounted.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import LabError


def _unescape(field: str) -> str:
    # mountinfo escapes space, tab, newline and backslash as octal.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


@dataclass(frozen=True)
class MountEntry:
    """One line of /proc/<pid>/mountinfo: where it is mounted and what."""

    point: Path
    fstype: str


def parse_mountinfo(text: str) -> list[MountEntry]:
    entries = []
    for line in text.splitlines():
        fields = line.split()
        # Optional fields (shared:N, master:N) end at a lone "-"; the file system type follows it.
        if "-" not in fields[6:]:
            continue
        fstype = fields[fields.index("-", 6) + 1]
        entries.append(MountEntry(Path(_unescape(fields[4])), fstype))
    return entries


def deepest_first(points: set[Path]) -> list[Path]:
    return sorted(points, key=lambda p: (len(p.parts), str(p)), reverse=True)


def points_under(entries: list[MountEntry], directory: Path, include_self: bool = True) -> list[Path]:
    """Mount points below `directory` (and at it, with `include_self`), deepest first (pure)."""
    found = {e.point for e in entries if directory in e.point.parents or (include_self and e.point == directory)}
    return deepest_first(found)


def is_mounted(point: Path, fstype: str = "") -> bool:
    """Whether something (of that type) is mounted at `point` in this process's mount namespace."""
    entries = parse_mountinfo(Path("/proc/self/mountinfo").read_text())
    return any(e.point == point and (not fstype or e.fstype == fstype) for e in entries)


def mounts_under(directory: Path) -> list[Path]:
    """Mount points at or below `directory`, deepest first."""
    return points_under(parse_mountinfo(Path("/proc/self/mountinfo").read_text()), directory.resolve())


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

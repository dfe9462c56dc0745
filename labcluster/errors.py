"""The one error type the commands raise: a problem and the fix for it."""

from __future__ import annotations


class LabError(Exception):
    """A failure the user can act on.

    `problem` says what went wrong, `fix` what to do about it, and `details` (often
    the tail of a component's log) shows the evidence.
    """

    def __init__(self, problem: str, fix: str = "", details: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix
        self.details = details

    def render(self) -> str:
        lines = [f"labcluster: error: {self.problem}"]
        if self.fix:
            lines.append(f"labcluster: fix: {self.fix}")
        if self.details:
            lines.append(self.details.rstrip())
        return "\n".join(lines)

"""The topics a report groups its checks by, in the order of the tutorial and
the seed note: key -> title. A topic is a subject of the report (stable
storage, updates, ...); an experiment is a series of steps (docs/experiments.md);
a lesson is the action one step runs (probes.lesson_catalogue)."""

from __future__ import annotations

from typing import Final, Literal

Topic = Literal["ordering", "identity", "storage", "scaling", "updates", "deletion", "nodes"]

TOPICS: Final[dict[str, str]] = {
    "ordering": "Names and creation order",
    "identity": "Stable network identity",
    "storage": "Stable storage",
    "scaling": "Scaling",
    "updates": "Updates",
    "deletion": "Deletion",
    "nodes": "Nodes",
}

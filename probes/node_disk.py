"""The lab cluster's node disks, as its host sees them.

A PersistentVolume's path is only what the provisioner wrote into the API; on
the lab cluster the probes can also look at the node's disk. Each worker's
/opt/local-path-provisioner is a directory of the host under the lab's state
(labcluster.nodes.node_volumes_dir), so the probes, which run on the host, see
whether a volume's directory is really there. On any other cluster nobody
looks, and the claims say so (`on_disk` None).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import PurePosixPath

from labcluster.nodes import node_volumes_dir
from labcluster.paths import LOCAL_PATH_DIR, lab_cluster_paths
from probes.facts import ClaimFacts

DiskLookup = Callable[[str, str], bool | None]
"""(node, the volume's path on that node) -> whether the directory is there; None: cannot tell."""


def lab_disk_lookup(environ: Mapping[str, str] | None = None) -> DiskLookup | None:
    """How to look at a lab node's disk, when the probes run against the lab cluster (as `make` says)."""
    cluster = lab_cluster_paths(os.environ if environ is None else environ)
    if cluster is None:
        return None

    def on_disk(node: str, path: str) -> bool | None:
        inside = PurePosixPath(path)
        if not inside.is_relative_to(LOCAL_PATH_DIR):
            return None  # not a local-path volume: no host directory of the lab's to look at
        return (node_volumes_dir(cluster, node) / inside.relative_to(LOCAL_PATH_DIR)).is_dir()

    return on_disk


def with_disk(claims: list[ClaimFacts], lookup: DiskLookup | None) -> list[ClaimFacts]:
    """The claims with what their node's disk holds, where it can be looked at."""
    if lookup is None:
        return claims
    return [
        replace(c, on_disk=lookup(c.node, c.host_path)) if c.node and c.host_path and c.phase == "Bound" else c
        for c in claims
    ]

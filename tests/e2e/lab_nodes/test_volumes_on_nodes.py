"""Each volume is a directory on the node that made it, and on no other node."""

from __future__ import annotations

from pathlib import Path

import pytest

from labcluster.nodes import node_volumes_dir
from labcluster.paths import LabPaths
from labstack.automation import LabStack
from tests.e2e.kube import kubectl_json

pytestmark = pytest.mark.e2e


def test_volume_directories_live_on_their_nodes_only(setup_stack: LabStack) -> None:
    paths = LabPaths.from_env()
    nodes = [n["metadata"]["name"] for n in kubectl_json("get", "nodes")["items"]]
    claims = [c for c in setup_stack.probes().claims if c.name.startswith("www-web-")]
    assert len(claims) == 3, claims
    for claim in claims:
        assert claim.host_path and claim.node, claim
        directory = Path(claim.host_path).name
        on_node = node_volumes_dir(paths, claim.node) / directory
        assert on_node.is_dir(), f"{claim.name}: {on_node} missing on {claim.node}"
        assert (on_node / "index.html").read_text().strip(), "the stable-storage probe wrote a page into it"
        elsewhere = [n for n in nodes if n != claim.node and (node_volumes_dir(paths, n) / directory).exists()]
        assert not elsewhere, f"{claim.name}'s directory is visible on {elsewhere} too"

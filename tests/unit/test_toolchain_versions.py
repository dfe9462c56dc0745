"""The toolchain builds the Pulumi CLI and plugin the pinned SDKs expect."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def versions_env() -> dict[str, str]:
    pairs = re.findall(r"^([A-Z_]+)=(\S+)$", (ROOT / "toolchain" / "versions.env").read_text(), re.MULTILINE)
    return dict(pairs)


def requirement_pins() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    return {name.lower(): version for name, version in pins}


def test_pulumi_cli_matches_the_pulumi_sdk_pin() -> None:
    assert versions_env()["PULUMI_VERSION"] == requirement_pins()["pulumi"]


def test_kubernetes_plugin_matches_the_pulumi_kubernetes_pin() -> None:
    assert versions_env()["PULUMI_KUBERNETES_VERSION"] == requirement_pins()["pulumi-kubernetes"]


def test_every_runtime_requirement_is_pinned_exactly() -> None:
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    assert lines and all("==" in line for line in lines)


def test_kubernetes_is_a_minor_that_runs_on_cgroup_v1_and_containerd_1_6() -> None:
    assert versions_env()["KUBERNETES_VERSION"].startswith("v1.34.")

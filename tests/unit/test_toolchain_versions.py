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


def minor(version: str) -> str:
    return ".".join(version.lstrip("v").split(".")[:2])


# containerd's RELEASES.md ("Kubernetes Support"): the containerd minors recommended
# for each Kubernetes minor.
CONTAINERD_FOR_KUBERNETES = {"1.35": {"2.1", "2.2"}, "1.36": {"2.2", "2.3"}, "1.37": {"2.3", "2.4"}}


def test_containerd_is_a_release_recommended_for_the_kubernetes_minor() -> None:
    env = versions_env()
    assert minor(env["CONTAINERD_VERSION"]) in CONTAINERD_FOR_KUBERNETES[minor(env["KUBERNETES_VERSION"])]


def test_runc_and_the_cni_plugins_are_at_least_what_containerd_2_4_is_tested_with() -> None:
    # containerd v2.4.2: script/setup/runc-version (v1.5.2), go.mod's containernetworking/plugins (v1.9.1).
    env = versions_env()
    assert tuple(map(int, env["RUNC_VERSION"].lstrip("v").split("."))) >= (1, 5, 2)
    assert tuple(map(int, env["CNI_PLUGINS_VERSION"].lstrip("v").split("."))) >= (1, 9, 1)

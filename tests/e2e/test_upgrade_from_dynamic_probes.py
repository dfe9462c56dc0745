"""A stack made when the probes ran as a Pulumi dynamic resource upgrades to
the pulumi-command probes: the checkout is upgraded in place (as `git pull`
would), `make up`'s migration step runs, and `pulumi up` succeeds."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from pulumi import automation as auto

from labstack.automation import PROJECT_FILES, ROOT, LabStack, assert_checks_pass, copy_project
from labstack.migrate import OLD_COMMAND_TYPE, migrate
from tests.stacks_of_the_run import context_config

pytestmark = pytest.mark.e2e
# The last version of the program whose probes ran as a dynamic resource.
LAST_DYNAMIC_RELEASE = "999fd74"
OLD_FILES = ["Pulumi.yaml", "__main__.py", "components", "probes", "stacks"]
STACK = "e2e-upgrade"


def checkout_of(commit: str, dest: Path) -> None:
    """The program's files as they were at `commit`, read from this clone's history."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, *OLD_FILES], capture_output=True, check=False
    )
    if archive.returncode != 0:
        pytest.fail(
            f"cannot read commit {commit} from {ROOT}: {archive.stderr.decode().strip()} (a full clone is needed)",
            pytrace=False,
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    (dest / ".venv").symlink_to(ROOT / ".venv")


def upgrade_in_place(project: Path) -> None:
    """Today's program over the old one; the stack's own config file stays."""
    for name in {*OLD_FILES, *PROJECT_FILES} - {"stacks"}:
        target = project / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    fresh = copy_project(project.parent / "fresh")
    for name in set(PROJECT_FILES) - {"stacks"}:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(fresh / name), str(project / name))


def resource_types(stack: auto.Stack) -> list[str]:
    deployment = stack.export_stack().deployment or {}
    return [r["type"] for r in deployment.get("resources", [])]


def test_a_stack_with_the_old_dynamic_probe_resource_upgrades(
    tmp_path: Path, pulumi_env: dict[str, str], setup_stack: LabStack
) -> None:
    """setup_stack: the old program installs no class of its own; it uses the set-up stack's local-path."""
    project = tmp_path / "checkout"
    project.mkdir()
    checkout_of(LAST_DYNAMIC_RELEASE, project)
    stack = auto.create_or_select_stack(
        stack_name=STACK, work_dir=str(project), opts=auto.LocalWorkspaceOptions(env_vars=pulumi_env)
    )
    lab = LabStack(stack)
    lab.configure(namespace=STACK, installLocalPath="false", replicas="2", partition="1", **context_config())
    try:
        lab.up("old program")
        assert OLD_COMMAND_TYPE in resource_types(stack)

        upgrade_in_place(project)
        removed = migrate(STACK, cwd=str(project), env={**os.environ, **pulumi_env})
        assert removed and all(OLD_COMMAND_TYPE in urn for urn in removed), removed
        assert OLD_COMMAND_TYPE not in resource_types(stack)

        lab.up("today's program")
        types = resource_types(stack)
        assert OLD_COMMAND_TYPE not in types
        assert types.count("command:local:Command") == 3, types  # two rollout gates and the probes
        assert_checks_pass(lab)
        assert migrate(STACK, cwd=str(project), env={**os.environ, **pulumi_env}) == [], "a second run changes nothing"
    finally:
        try:
            lab.destroy()
        finally:
            stack.workspace.remove_stack(STACK)

"""A run's own Pulumi home: its logs stay in the run, its plugins are the installed ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from labstack.pulumi_home import installed_plugins, private_home, run_env


def test_the_installed_plugins_are_in_the_usual_home_unless_pulumi_home_names_another(tmp_path: Path) -> None:
    assert installed_plugins({"PULUMI_HOME": str(tmp_path)}) == tmp_path / "plugins"
    assert installed_plugins({}) == Path.home() / ".pulumi" / "plugins"


def test_a_private_home_links_to_the_installed_plugins_and_keeps_its_own_logs(tmp_path: Path) -> None:
    usual = tmp_path / "usual"
    (usual / "plugins" / "resource-kubernetes-v4").mkdir(parents=True)
    home = private_home(tmp_path / "run", {"PULUMI_HOME": str(usual)})
    assert home == tmp_path / "run" / "pulumi-home"
    assert (home / "plugins").is_symlink()
    assert (home / "plugins" / "resource-kubernetes-v4").is_dir()
    assert not (usual / "logs").exists()


def test_a_private_home_is_made_once_and_a_nested_run_links_to_the_real_plugins(tmp_path: Path) -> None:
    usual = tmp_path / "usual"
    (usual / "plugins").mkdir(parents=True)
    outer = private_home(tmp_path / "outer", {"PULUMI_HOME": str(usual)})
    assert private_home(tmp_path / "outer", {"PULUMI_HOME": str(usual)}) == outer
    inner = private_home(tmp_path / "inner", {"PULUMI_HOME": str(outer)})
    assert (inner / "plugins").readlink() == (usual / "plugins").resolve()


def test_the_run_environment_names_its_backend_and_home_and_turns_off_prompts_and_downloads(tmp_path: Path) -> None:
    env = run_env(tmp_path, "secret", {"PULUMI_HOME": str(tmp_path / "usual")})
    assert env["PULUMI_BACKEND_URL"] == f"file://{tmp_path / 'backend'}"
    assert (tmp_path / "backend").is_dir()
    assert env["PULUMI_HOME"] == str(tmp_path / "pulumi-home")
    assert env["PULUMI_CONFIG_PASSPHRASE"] == "secret"
    assert env["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"] == "true"
    assert env["PULUMI_SKIP_UPDATE_CHECK"] == "true"


def test_a_worker_that_loses_the_race_to_make_the_link_uses_the_one_another_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Side-by-side workers share one run folder: between one worker's look and its
    link, another may have made the same link; a link elsewhere is still an error."""
    usual = tmp_path / "usual"
    (usual / "plugins").mkdir(parents=True)
    made = private_home(tmp_path / "run", {"PULUMI_HOME": str(usual)})
    real_is_symlink = Path.is_symlink
    looks: list[Path] = []

    def first_look_misses(self: Path) -> bool:
        looks.append(self)
        return False if len(looks) == 1 else real_is_symlink(self)

    monkeypatch.setattr(Path, "is_symlink", first_look_misses)
    assert private_home(tmp_path / "run", {"PULUMI_HOME": str(usual)}) == made
    looks.clear()
    with pytest.raises(FileExistsError):
        private_home(tmp_path / "run", {"PULUMI_HOME": str(tmp_path / "elsewhere")})

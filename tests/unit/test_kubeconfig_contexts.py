"""kubeconfig and context are checked at preview against this machine's files:
paths resolved once, the context looked up where kubectl would look, and
kubernetes:* keys from the real config store rejected."""

from __future__ import annotations

import json
import os
import pwd
from collections.abc import Iterator, Sequence
from pathlib import Path

import pulumi
import pytest
from pulumi.runtime import config as runtime_config

from kube.kubeconfig import KubeconfigError, LocalKubeconfigs, context_names
from plan.settings import (
    PROJECT,
    LabSettings,
    SettingsError,
    check_context_listed,
    settings_from_config,
)
from plan.stack_config import load_settings, raw_stack_config


def kubeconfig(path: Path, *contexts: str, current: str = "") -> Path:
    """Writes a kubeconfig defining `contexts` (all on one cluster) and returns its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "lab", "cluster": {"server": "https://127.0.0.1:6443"}}],
        "users": [{"name": "admin", "user": {}}],
        "contexts": [{"name": name, "context": {"cluster": "lab", "user": "admin"}} for name in contexts],
        "current-context": current or (contexts[0] if contexts else ""),
    }
    path.write_text(json.dumps(document))
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A HOME of its own, and no $KUBECONFIG."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    return home


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project directory, as the cwd of the program."""
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    return project


def settings(**values: str) -> LabSettings:
    return settings_from_config({f"{PROJECT}:{k}": v for k, v in values.items()}, LocalKubeconfigs())


def problems(**values: str) -> str:
    with pytest.raises(SettingsError) as err:
        settings(**values)
    return str(err.value)


# --- the pure decision -------------------------------------------------------------------


def test_a_listed_context_has_no_problem() -> None:
    assert check_context_listed("kind-kind", ["lab", "kind-kind"], ["/k/config"]) is None


def test_an_unlisted_context_names_the_file_and_the_contexts_there() -> None:
    problem = check_context_listed("kind", ["lab", "kind-kind"], ["/k/config"])
    assert problem == "must be a context of /k/config, one of lab, kind-kind, got 'kind'"


def test_an_unlisted_context_of_merged_files_names_every_file() -> None:
    problem = check_context_listed("x", ["a", "b"], ["/one", "/two"])
    assert problem == "must be a context of the kubeconfigs /one, /two, one of a, b, got 'x'"


def test_a_kubeconfig_without_contexts_says_so() -> None:
    assert check_context_listed("x", [], ["/k"]) == "must be a context of /k, which defines none, got 'x'"


# --- reading kubeconfig documents --------------------------------------------------------


def test_context_names_are_read_in_order() -> None:
    text = "contexts:\n- name: lab\n  context: {}\n- name: kind-kind\n  context: {}\n"
    assert context_names(text, "k") == ["lab", "kind-kind"]


def test_an_empty_kubeconfig_defines_no_contexts() -> None:
    assert context_names("", "k") == []
    assert context_names("apiVersion: v1\nkind: Config\n", "k") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "contexts: [\n",
            "/k is not valid YAML (expected the node content, but found '<stream end>' at line 2, column 1)",
        ),
        ("key: a: b\n", "/k is not valid YAML (mapping values are not allowed here at line 1, column 7)"),
        ("- just\n- a list\n", "/k is not a kubeconfig (a YAML mapping with a contexts list)"),
        ("contexts: lab\n", "/k is not a kubeconfig: its contexts is not a list"),
        ("contexts:\n- context: {}\n", "/k is not a kubeconfig: a context has no name (a string)"),
        ("contexts:\n- name: 5\n", "/k is not a kubeconfig: a context has no name (a string)"),
    ],
)
def test_a_kubeconfig_that_cannot_be_parsed_is_an_error_naming_the_file(text: str, expected: str) -> None:
    with pytest.raises(KubeconfigError) as err:
        context_names(text, "/k")
    assert str(err.value) == expected


# --- where kubectl looks -----------------------------------------------------------------


def test_without_kubeconfig_env_the_default_file_is_in_home(home: Path) -> None:
    assert LocalKubeconfigs().default_files() == (str(home / ".kube" / "config"),)


def test_an_empty_kubeconfig_env_means_the_default_file(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBECONFIG", "")
    assert LocalKubeconfigs().default_files() == (str(home / ".kube" / "config"),)


def test_kubeconfig_env_is_a_colon_separated_list(home: Path, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBECONFIG", "/a/config::rel/config:/a/config")
    assert LocalKubeconfigs().default_files() == ("/a/config", str(project / "rel" / "config"))


def test_contexts_of_kubeconfig_env_files_are_merged_and_missing_files_skipped(tmp_path: Path) -> None:
    first = kubeconfig(tmp_path / "first", "lab", "shared")
    second = kubeconfig(tmp_path / "second", "shared", "kind-kind")
    files = [str(first), str(tmp_path / "missing"), str(second)]
    assert LocalKubeconfigs(str(tmp_path)).contexts(files) == ["lab", "shared", "kind-kind"]


def test_no_existing_kubeconfig_at_all_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KubeconfigError) as err:
        LocalKubeconfigs(str(tmp_path)).contexts([str(tmp_path / "a"), str(tmp_path / "b")])
    assert str(err.value) == f"no kubeconfig exists (looked for {tmp_path / 'a'}, {tmp_path / 'b'})"


def test_an_unreadable_kubeconfig_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    with pytest.raises(KubeconfigError) as err:
        LocalKubeconfigs(str(tmp_path)).contexts([str(tmp_path / "dir")])
    assert str(err.value) == f"{tmp_path / 'dir'} cannot be read (Is a directory)"


# --- kubeconfig: resolved once, must exist -----------------------------------------------


def test_kubeconfig_under_home_is_expanded_once(home: Path, project: Path) -> None:
    kubeconfig(home / "lab.yaml", "lab")
    assert settings(kubeconfig="~/lab.yaml").cluster.kubeconfig == str(home / "lab.yaml")


def test_kubeconfig_under_a_users_home_is_expanded() -> None:
    user = pwd.getpwuid(os.getuid())
    assert LocalKubeconfigs("/project").resolve(f"~{user.pw_name}/k") == os.path.join(user.pw_dir, "k")


def test_a_relative_kubeconfig_is_taken_from_the_project_directory(home: Path, project: Path) -> None:
    kubeconfig(project / "kube" / "config", "lab")
    assert settings(kubeconfig="kube/config").cluster.kubeconfig == str(project / "kube" / "config")
    assert settings(kubeconfig="./kube/../kube/config").cluster.kubeconfig == str(project / "kube" / "config")


def test_an_absolute_kubeconfig_is_kept(home: Path, tmp_path: Path) -> None:
    path = kubeconfig(tmp_path / "k", "lab")
    assert settings(kubeconfig=str(path)).cluster.kubeconfig == str(path)


def test_a_missing_kubeconfig_is_rejected_naming_key_path_and_fix(home: Path, project: Path) -> None:
    message = problems(kubeconfig="~/nope.yaml")
    assert (
        f"{PROJECT}:kubeconfig must be the path of an existing kubeconfig file, "
        f"got '~/nope.yaml' ({home / 'nope.yaml'}), which does not exist" in message
    )
    assert f"pulumi config set {PROJECT}:kubeconfig <path>" in message
    assert f"pulumi config rm {PROJECT}:kubeconfig" in message


def test_a_missing_absolute_kubeconfig_is_shown_once(home: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    assert f"got '{missing}', which does not exist" in problems(kubeconfig=str(missing))


def test_a_directory_is_not_a_kubeconfig(home: Path, project: Path) -> None:
    (project / "kube").mkdir()
    assert f"{PROJECT}:kubeconfig must be the path of an existing kubeconfig file" in problems(kubeconfig="kube")


def test_a_kubeconfig_of_an_unknown_user_is_rejected(home: Path, project: Path) -> None:
    assert "got '~no-such-user-here/config'" in problems(kubeconfig="~no-such-user-here/config")


def test_a_kubeconfig_starting_with_a_dash_is_a_value_like_any_other(home: Path, project: Path) -> None:
    kubeconfig(project / "-kubeconfig", "lab")
    assert settings(kubeconfig="-kubeconfig").cluster.kubeconfig == str(project / "-kubeconfig")


# --- context: defined by the kubeconfig kubectl would read -------------------------------


def test_a_context_of_the_configured_kubeconfig_is_accepted(home: Path, tmp_path: Path) -> None:
    path = kubeconfig(tmp_path / "k", "lab", "kind-kind")
    assert settings(kubeconfig=str(path), context="kind-kind").cluster.context == "kind-kind"


def test_a_context_missing_from_the_configured_kubeconfig_is_rejected_listing_the_others(
    home: Path, tmp_path: Path
) -> None:
    path = kubeconfig(tmp_path / "k", "lab", "kind-kind")
    message = problems(kubeconfig=str(path), context="kind")
    assert f"{PROJECT}:context must be a context of {path}, one of lab, kind-kind, got 'kind'" in message


def test_the_configured_kubeconfig_wins_over_kubeconfig_env(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig(tmp_path / "env", "from-env")))
    path = kubeconfig(tmp_path / "k", "lab")
    assert f"{PROJECT}:context must be a context of {path}, one of lab" in problems(
        kubeconfig=str(path), context="from-env"
    )


def test_a_context_is_looked_up_in_every_kubeconfig_env_file(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = kubeconfig(tmp_path / "first", "lab")
    second = kubeconfig(tmp_path / "second", "kind-kind")
    monkeypatch.setenv("KUBECONFIG", f"{first}:{tmp_path / 'missing'}:{second}")
    assert settings(context="kind-kind").cluster.context == "kind-kind"
    message = problems(context="kind")
    assert (
        f"{PROJECT}:context must be a context of the kubeconfigs {first}, {tmp_path / 'missing'}, {second}" in message
    )
    assert "one of lab, kind-kind, got 'kind'" in message


def test_a_context_is_looked_up_in_the_home_kubeconfig_without_kubeconfig_env(home: Path) -> None:
    kubeconfig(home / ".kube" / "config", "lab")
    assert settings(context="lab").cluster.context == "lab"
    assert f"{PROJECT}:context must be a context of {home / '.kube' / 'config'}, one of lab" in problems(context="x")


def test_a_context_without_any_kubeconfig_is_rejected(home: Path) -> None:
    message = problems(context="lab")
    assert (
        f"{PROJECT}:context 'lab' cannot be checked: no kubeconfig exists (looked for {home / '.kube' / 'config'})"
        in message
    )


def test_a_context_in_an_unparsable_kubeconfig_is_rejected(home: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.write_text("contexts: [\n")
    message = problems(kubeconfig=str(broken), context="lab")
    assert f"{PROJECT}:context 'lab' cannot be checked: {broken} is not valid YAML" in message


def test_a_context_starting_with_a_dash_is_a_value_like_any_other(home: Path, tmp_path: Path) -> None:
    path = kubeconfig(tmp_path / "k", "-lab")
    assert settings(kubeconfig=str(path), context="-lab").cluster.context == "-lab"


def test_a_context_is_not_looked_up_when_the_kubeconfig_is_missing(home: Path, tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as err:
        settings(kubeconfig=str(tmp_path / "missing"), context="lab")
    assert [p.split(" ")[0] for p in err.value.problems] == [f"{PROJECT}:kubeconfig"]


class _NothingToRead:
    """A machine whose files must not be looked at."""

    def resolve(self, path: str) -> str:
        raise AssertionError(path)

    def is_file(self, path: str) -> bool:
        raise AssertionError(path)

    def default_files(self) -> tuple[str, ...]:
        raise AssertionError("default_files")

    def contexts(self, files: Sequence[str]) -> list[str]:
        raise AssertionError(files)


def test_without_kubeconfig_and_context_nothing_is_read() -> None:
    assert settings_from_config({f"{PROJECT}:replicas": "3"}, _NothingToRead()).replicas == 3


def test_without_a_context_a_broken_kubeconfig_env_is_not_read(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken"
    broken.write_text("contexts: [\n")
    monkeypatch.setenv("KUBECONFIG", str(broken))
    assert settings().cluster == LabSettings().cluster


# --- the config store the program reads --------------------------------------------------


@pytest.fixture
def stack_config() -> Iterator[dict[str, str]]:
    """The runtime config store the program reads, emptied for the test and restored after."""
    values: dict[str, str] = {}
    token = runtime_config.CONFIG.set(values)
    yield values
    runtime_config.CONFIG.reset(token)


def test_keys_of_every_namespace_reach_the_settings_as_namespace_colon_key(
    stack_config: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"kubernetes:namespace": "lab", f"{PROJECT}:replicas": "3"}))
    stack_config["kubernetes:context"] = "kind-kind"
    assert raw_stack_config() == {
        "kubernetes:namespace": "lab",
        "kubernetes:context": "kind-kind",
        f"{PROJECT}:replicas": "3",
    }


def test_the_program_rejects_a_provider_context_in_the_stack_config(
    stack_config: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULUMI_CONFIG", raising=False)
    stack_config["kubernetes:context"] = "kind-kind"
    with pytest.raises(pulumi.RunError) as err:
        load_settings()
    assert "kubernetes:context has no effect" in str(err.value)
    assert f"set {PROJECT}:context instead" in str(err.value)


def test_the_program_checks_the_kubeconfig_on_disk(
    stack_config: dict[str, str], monkeypatch: pytest.MonkeyPatch, home: Path, project: Path
) -> None:
    monkeypatch.delenv("PULUMI_CONFIG", raising=False)
    stack_config[f"{PROJECT}:kubeconfig"] = "~/nope.yaml"
    with pytest.raises(pulumi.RunError) as err:
        load_settings()
    assert f"{PROJECT}:kubeconfig must be the path of an existing kubeconfig file" in str(err.value)


def test_the_program_hands_the_provider_and_kubectl_the_expanded_kubeconfig(
    stack_config: dict[str, str], monkeypatch: pytest.MonkeyPatch, home: Path, project: Path
) -> None:
    monkeypatch.delenv("PULUMI_CONFIG", raising=False)
    kubeconfig(home / "lab.yaml", "lab")
    stack_config.update({f"{PROJECT}:kubeconfig": "~/lab.yaml", f"{PROJECT}:context": "lab"})
    cluster = load_settings().cluster
    assert (cluster.kubeconfig, cluster.context) == (str(home / "lab.yaml"), "lab")

"""The machine side of validating `kubeconfig` and `context`: resolves the
configured kubeconfig path, finds the files kubectl would read without one, and
reads the context names they define.

`LocalKubeconfigs` is the `KubeconfigLookup` the program hands to
`settings_from_config`; the decisions stay in components.settings.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import yaml

from components.settings import KubeconfigError


def context_names(text: str, source: str) -> list[str]:
    """Names of the contexts a kubeconfig document defines; `source` names it in errors."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise KubeconfigError(f"{source} is not valid YAML ({_one_line(err)})") from err
    # kubectl reads an empty file as an empty kubeconfig.
    if document is None:
        return []
    if not isinstance(document, dict):
        raise KubeconfigError(f"{source} is not a kubeconfig (a YAML mapping with a contexts list)")
    entries = document.get("contexts") or []
    if not isinstance(entries, list):
        raise KubeconfigError(f"{source} is not a kubeconfig: its contexts is not a list")
    names = []
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str):
            raise KubeconfigError(f"{source} is not a kubeconfig: a context has no name (a string)")
        names.append(name)
    return names


def _one_line(err: yaml.YAMLError) -> str:
    if isinstance(err, yaml.MarkedYAMLError) and err.problem and err.problem_mark:
        mark = err.problem_mark
        return f"{err.problem} at line {mark.line + 1}, column {mark.column + 1}"
    return " ".join(str(err).split())


class LocalKubeconfigs:
    """Answers from this machine's files and environment, as kubectl and the
    Kubernetes provider would see them when run from `project_dir`."""

    def __init__(self, project_dir: str | None = None) -> None:
        # Pulumi runs the program from the project directory.
        self._project_dir = project_dir or os.getcwd()

    def resolve(self, path: str) -> str:
        # join keeps an absolute path as it is; `~user` of an unknown user stays
        # unexpanded and then names a file that does not exist.
        return os.path.normpath(os.path.join(self._project_dir, os.path.expanduser(path)))

    def is_file(self, path: str) -> bool:
        return os.path.isfile(path)

    def default_files(self) -> tuple[str, ...]:
        # As client-go: $KUBECONFIG's entries in order, empty ones dropped, no
        # `~` expansion (the shell's job); unset or empty means ~/.kube/config.
        entries = [entry for entry in os.environ.get("KUBECONFIG", "").split(os.pathsep) if entry]
        if not entries:
            return (os.path.join(os.path.expanduser("~"), ".kube", "config"),)
        return tuple(dict.fromkeys(self._from_project(entry) for entry in entries))

    def contexts(self, files: Sequence[str]) -> list[str]:
        names: list[str] = []
        read = 0
        for path in files:
            try:
                with open(self._from_project(path), encoding="utf-8") as stream:
                    text = stream.read()
            except FileNotFoundError:
                continue  # kubectl skips the missing files of $KUBECONFIG
            except (OSError, UnicodeDecodeError) as err:
                reason = err.strerror if isinstance(err, OSError) else "not UTF-8 text"
                raise KubeconfigError(f"{path} cannot be read ({reason})") from err
            read += 1
            # Merged as kubectl merges: the first file that defines a name wins.
            for name in context_names(text, path):
                if name not in names:
                    names.append(name)
        if not read:
            raise KubeconfigError(f"no kubeconfig exists (looked for {', '.join(files)})")
        return names

    def _from_project(self, path: str) -> str:
        return os.path.join(self._project_dir, path)

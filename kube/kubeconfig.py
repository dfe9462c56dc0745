"""The one reader of kubeconfig files, merged as kubectl merges them.

Used at preview to check the `kubeconfig` and `context` settings (strictly:
a file that cannot be read or parsed is an error naming it), and by the
probes to reach the API server without a kubectl process (a reader error
there means: leave it to kubectl).

Files are read in order; missing ones are skipped (as kubectl skips the
missing entries of $KUBECONFIG); the first file that names a context,
cluster or user wins, and the first current-context wins.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

Entry = dict[str, Any]


class KubeconfigError(ValueError):
    """A kubeconfig that cannot be read or parsed, or none at all; the message names the files."""


def _one_line(err: yaml.YAMLError) -> str:
    if isinstance(err, yaml.MarkedYAMLError) and err.problem and err.problem_mark:
        mark = err.problem_mark
        return f"{err.problem} at line {mark.line + 1}, column {mark.column + 1}"
    return " ".join(str(err).split())


def parse_kubeconfig(text: str, source: str) -> dict[str, Any]:
    """One kubeconfig document, checked as far as this project reads it;
    `source` names it in errors. An empty file is an empty kubeconfig."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise KubeconfigError(f"{source} is not valid YAML ({_one_line(err)})") from err
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise KubeconfigError(f"{source} is not a kubeconfig (a YAML mapping with a contexts list)")
    entries = document.get("contexts") or []
    if not isinstance(entries, list):
        raise KubeconfigError(f"{source} is not a kubeconfig: its contexts is not a list")
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise KubeconfigError(f"{source} is not a kubeconfig: a context has no name (a string)")
    return document


def context_names(text: str, source: str) -> list[str]:
    """Names of the contexts a kubeconfig document defines, in order."""
    return [str(entry["name"]) for entry in parse_kubeconfig(text, source).get("contexts") or []]


@dataclass
class MergedKubeconfig:
    """The contexts, clusters and users of several files, as kubectl sees them.

    Every entry carries `_dir`, the directory of its file, against which the
    relative paths it names (certificates, token files) are taken."""

    current_context: str = ""
    contexts: dict[str, Entry] = field(default_factory=dict)
    clusters: dict[str, Entry] = field(default_factory=dict)
    users: dict[str, Entry] = field(default_factory=dict)

    def add(self, document: dict[str, Any], directory: str) -> None:
        self.current_context = self.current_context or str(document.get("current-context") or "")
        for kind, key, named in (
            ("contexts", "context", self.contexts),
            ("clusters", "cluster", self.clusters),
            ("users", "user", self.users),
        ):
            for entry in document.get(kind) or []:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    body = entry.get(key)
                    named.setdefault(entry["name"], {**(body if isinstance(body, dict) else {}), "_dir": directory})


def read_merged(files: Sequence[str], base_dir: str = "") -> MergedKubeconfig:
    """The files merged; a relative file name is taken from `base_dir`.
    Raises KubeconfigError when a file cannot be read or parsed, or when none exists."""
    merged = MergedKubeconfig()
    read = 0
    for name in files:
        path = os.path.join(base_dir, name)
        try:
            with open(path, encoding="utf-8") as stream:
                text = stream.read()
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as err:
            reason = err.strerror if isinstance(err, OSError) else "not UTF-8 text"
            raise KubeconfigError(f"{name} cannot be read ({reason})") from err
        read += 1
        merged.add(parse_kubeconfig(text, name), os.path.dirname(path))
    if not read:
        raise KubeconfigError(f"no kubeconfig exists (looked for {', '.join(files)})")
    return merged


class LocalKubeconfigs:
    """This machine's kubeconfig files as kubectl and the Kubernetes provider
    see them when run from `project_dir` (the program's working directory).

    It is the `KubeconfigLookup` the program hands to the settings' validation."""

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
        return tuple(dict.fromkeys(os.path.join(self._project_dir, entry) for entry in entries))

    def read(self, files: Sequence[str]) -> MergedKubeconfig:
        return read_merged(files, self._project_dir)

    def contexts(self, files: Sequence[str]) -> list[str]:
        return list(self.read(files).contexts)

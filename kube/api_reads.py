"""`kubectl get ... --output=json` answered by this process itself, without
starting kubectl.

The probes list a dozen kinds of objects on every run and the rollout gates
list their workload's pods several times a second; each kubectl process costs
about 75 ms of CPU (most of it starting kubectl), on a machine whose two cores
also run the cluster. The same GETs from this process cost a few milliseconds.

Only a plain `get` of the kinds below, with the flags the probes and gates use
(`--selector`, `--field-selector`, `--output=json`), is answered here, and only
when the kubeconfig is one kube.api_access can honour; anything else returns
None and the caller runs kubectl. The answer has kubectl's shape: a List whose
items carry their `kind` and `apiVersion` (the API leaves them out of a list's
items), in the order of the kinds asked for. A refusal or an unreachable server
is a CommandFailedError worded as kubectl words it.

It is switched on (`enable`, which puts `read` first in kube.runner's
JSON_READERS) by the entry points that run under `pulumi up` (`python -m
probes`, `python -m gates`, `python -m lessons`): code that calls kubectl-reading functions
directly, tests with a stand-in kubectl among them, keeps running kubectl.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from kube.api_access import ApiAccess, shared_access_for
from kube.runner import JSON_READERS, CommandFailedError, CommandTimedOutError
from kube.target import display


@dataclass(frozen=True)
class Kind:
    """Where a kind's objects are listed, and what kubectl calls them."""

    prefix: str
    api_version: str
    kind: str
    plural: str
    namespaced: bool = True


_CORE, _APPS = "/api/v1", "/apis/apps/v1"
_KINDS = [
    Kind(_CORE, "v1", "Pod", "pods"),
    Kind(_CORE, "v1", "Service", "services"),
    Kind(_CORE, "v1", "PersistentVolumeClaim", "persistentvolumeclaims"),
    Kind(_CORE, "v1", "Event", "events"),
    Kind(_CORE, "v1", "PersistentVolume", "persistentvolumes", namespaced=False),
    Kind(_CORE, "v1", "Node", "nodes", namespaced=False),
    Kind(_APPS, "apps/v1", "StatefulSet", "statefulsets"),
    Kind(_APPS, "apps/v1", "Deployment", "deployments"),
    Kind(_APPS, "apps/v1", "ReplicaSet", "replicasets"),
    Kind(_APPS, "apps/v1", "ControllerRevision", "controllerrevisions"),
]
KINDS = {name: k for k in _KINDS for name in (k.plural, k.plural[:-1])}
"""By the names the probes and gates use, plural or singular (`statefulset,pods`)."""


def enable() -> None:
    """From here on, in this process, Runner.json asks `read` first."""
    if read not in JSON_READERS:
        JSON_READERS.append(read)


@dataclass(frozen=True)
class Get:
    """One `kubectl get` the API can answer: its kinds and where it looks."""

    kinds: list[Kind]
    namespace: str
    kubeconfig: str
    context: str
    query: str
    """The list query: labelSelector and fieldSelector, URL-encoded."""

    def path(self, kind: Kind) -> str:
        where = f"/namespaces/{urllib.parse.quote(self.namespace)}" if kind.namespaced else ""
        return f"{kind.prefix}{where}/{kind.plural}" + (f"?{self.query}" if self.query else "")


def parse_get(argv: list[str]) -> Get | None:
    """The get an argv asks for, if this module can answer it exactly."""
    if len(argv) < 3 or argv[0] != "kubectl":
        return None
    flags: dict[str, str] = {}
    words: list[str] = []
    for arg in argv[1:]:
        if arg.startswith("--"):
            name, equals, value = arg[2:].partition("=")
            if not equals:
                return None
            flags[name] = value
        else:
            words.append(arg)
    if len(words) != 2 or words[0] != "get" or flags.pop("output", "") != "json":
        return None
    kinds = [KINDS.get(name) for name in words[1].split(",")]
    known = {"kubeconfig", "context", "namespace", "request-timeout", "selector", "field-selector"}
    if None in kinds or set(flags) - known:
        return None
    if "namespace" not in flags and any(k is not None and k.namespaced for k in kinds):
        return None  # kubectl would take the context's namespace
    query = [
        (key, flags.get(flag, "")) for flag, key in (("selector", "labelSelector"), ("field-selector", "fieldSelector"))
    ]
    return Get(
        kinds=[k for k in kinds if k is not None],
        namespace=flags.get("namespace", "default"),
        kubeconfig=flags.get("kubeconfig", ""),
        context=flags.get("context", ""),
        query=urllib.parse.urlencode([(key, value) for key, value in query if value]),
    )


def read(argv: list[str], timeout_seconds: float) -> dict[str, Any] | None:
    """What `argv` (a `kubectl get ... --output=json`) would print, read from
    the API by this process; None when it cannot answer this one exactly (the
    caller runs kubectl then)."""
    get = parse_get(argv)
    access = shared_access_for(get.kubeconfig, get.context) if get else None
    if get is None or access is None:
        return None
    deadline = time.monotonic() + max(timeout_seconds, 0.1)
    items: list[dict[str, Any]] = []
    for kind in get.kinds:
        listed = get_json(access, get.path(kind), argv, deadline)
        items += [_as_kubectl_prints(kind, item) for item in listed.get("items") or []]
    return {"apiVersion": "v1", "kind": "List", "items": items, "metadata": {"resourceVersion": ""}}


def _as_kubectl_prints(kind: Kind, item: dict[str, Any]) -> dict[str, Any]:
    """An item of an API list as kubectl prints it: with its kind and
    apiVersion, without the managed fields (kubectl hides them by default)."""
    metadata = {k: v for k, v in (item.get("metadata") or {}).items() if k != "managedFields"}
    return {"kind": kind.kind, "apiVersion": kind.api_version, **item, "metadata": metadata}


class _Connection(http.client.HTTPSConnection):
    """HTTPS to the API server, verified against the kubeconfig's
    tls-server-name where it gives one."""

    def __init__(self, access: ApiAccess, timeout: float) -> None:
        super().__init__(access.host, access.port, timeout=timeout, context=access.tls)
        self._access = access

    def connect(self) -> None:
        raw = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._access.tls.wrap_socket(raw, server_hostname=self._access.server_name)


_kept = threading.local()
"""Each thread's open connection and the ApiAccess it was made for: a gate
polls several times a second, and a TLS handshake per read would cost the
API server and this process more than the read itself. A process reads one
cluster, so one connection per thread is enough."""


def _connection(access: ApiAccess, timeout: float) -> _Connection:
    connection: _Connection | None = getattr(_kept, "connection", None)
    if connection is None or connection._access is not access:
        if connection is not None:
            connection.close()
        connection = _kept.connection = _Connection(access, timeout)
    connection.timeout = timeout
    if connection.sock is not None:
        connection.sock.settimeout(timeout)
    return connection


def _get_once(connection: _Connection, path: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.reason, response.read()
    except BaseException:
        connection.close()
        raise


def _exchange(access: ApiAccess, path: str, headers: dict[str, str], timeout: float) -> tuple[int, str, bytes]:
    """(status, reason, body) of one GET, on the thread's kept connection;
    once more on a new one when the server had closed the kept one."""
    connection = _connection(access, timeout)
    reused = connection.sock is not None
    try:
        return _get_once(connection, path, headers)
    except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
        if not reused:
            raise
    return _get_once(_connection(access, timeout), path, headers)


def get_json(access: ApiAccess, path: str, argv: list[str], deadline: float) -> dict[str, Any]:
    """One GET of the API; errors as kubectl would report them, naming argv."""
    status, reason, document = _answer(access, path, argv, deadline)
    if status != 200:
        raise _refusal(argv, reason, document)
    return document


def get_json_if_found(access: ApiAccess, path: str, argv: list[str], deadline: float) -> dict[str, Any] | None:
    """get_json of one object, None when the server says it does not exist
    (what `kubectl get KIND NAME --ignore-not-found` prints nothing for)."""
    status, reason, document = _answer(access, path, argv, deadline)
    if status == 404 and document.get("reason") == "NotFound":
        return None
    if status != 200:
        raise _refusal(argv, reason, document)
    return document


def _refusal(argv: list[str], reason: str, document: dict[str, Any]) -> CommandFailedError:
    said = f"Error from server ({document.get('reason') or reason}): {document.get('message', '')}"
    return CommandFailedError(f"{display(argv)} failed: {said}", argv, said, 1)


def _answer(access: ApiAccess, path: str, argv: list[str], deadline: float) -> tuple[int, str, dict[str, Any]]:
    """The status, its reason phrase and the JSON body of one GET; a timeout, a connection that
    fails or a body that is not JSON raise as kubectl would report them."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise CommandTimedOutError(f"timed out: {display(argv)}", argv)
    headers = {"Accept": "application/json"}
    if access.token:
        headers["Authorization"] = f"Bearer {access.token}"
    try:
        status, reason, body = _exchange(access, path, headers, left)
    except TimeoutError as err:
        raise CommandTimedOutError(f"timed out after {left:.0f}s: {display(argv)}", argv) from err
    except (OSError, ssl.SSLError, http.client.HTTPException) as err:
        said = f"Unable to connect to the server: {err}"
        raise CommandFailedError(f"{display(argv)} failed: {said}", argv, said, 1) from err
    try:
        document: dict[str, Any] = json.loads(body)
    except json.JSONDecodeError as err:
        said = f"the server answered {status} with no JSON: {body[:200]!r}"
        raise CommandFailedError(f"{display(argv)} failed: {said}", argv, said, 1) from err
    return status, reason, document

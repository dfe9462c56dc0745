"""A stand-in kubectl on PATH that answers from captured listings.

`get` answers with the fixture file of the kind asked for (the files
`tests/fixtures/capture.py --listings-only` writes); `exec` prints the pod's
name (its hostname) unless the pod is listed as failing; `run`, `wait` and
`delete` of the DNS probe pod succeed unless told otherwise, and the DNS
script then gets no answer. Every call is logged, so a test can say which
pods were never exec'd into.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

_SCRIPT = """#!{python}
import json, pathlib, sys
conf = json.loads(pathlib.Path({conf!r}).read_text())
args = [a for a in sys.argv[1:] if not a.startswith(("--namespace=", "--request-timeout=", "--context="))]
with open(conf["log"], "a") as log:
    log.write(json.dumps(args) + "\\n")
if conf["unreachable"]:
    print("The connection to the server 10.240.0.1:6443 was refused", file=sys.stderr)
    sys.exit(1)
verb = args[0]
if verb == "get":
    kind = args[1]
    selector = next((a.split("=", 1)[1] for a in args if a.startswith("--selector=")), "")
    name = {{"statefulsets": "statefulset", "deployments": "deployment", "replicasets": "replicasets",
            "services": "services", "nodes": "nodes", "persistentvolumeclaims": "claims",
            "persistentvolumes": "volumes", "events": "events",
            "controllerrevisions": "controllerrevisions"}}.get(kind)
    if kind == "pods":
        name = "pods-statefulset" if selector.endswith("nginx-sts") else "pods-deployment"
    listing = pathlib.Path(conf["fixtures"]) / f"{{name}}.json"
    # A state captured before the probes listed ControllerRevisions: none.
    document = json.loads(listing.read_text()) if listing.exists() else {{"kind": "List", "items": []}}
    if "items" not in document:
        document = {{"apiVersion": "v1", "kind": "List", "items": [document]}}
    print(json.dumps(document))
elif verb == "exec":
    pod = args[1]
    if pod.startswith("probe-dns-"):
        sys.exit(0)
    if pod in conf["failing_execs"]:
        print(f"Error from server: error dialing backend: {{pod}}", file=sys.stderr)
        sys.exit(1)
    print(pod)
elif verb == "version":
    print(json.dumps({{"serverVersion": {{"gitVersion": "v1.34.4"}}}}))
elif verb == "config":
    print(json.dumps({{"current-context": "lab", "clusters": [{{"cluster": {{"server": "https://10.240.0.1:6443"}}}}]}}))
elif verb == "logs":
    pod = args[1]
    if pod in conf["failing_execs"]:
        print(f"Error from server: error dialing backend: {{pod}}", file=sys.stderr)
        sys.exit(1)
    print(f"{{pod}} log line 1")
elif verb in ("run", "wait"):
    if conf["dns_pod_fails"]:
        print("error: timed out waiting for the condition", file=sys.stderr)
        sys.exit(1)
elif verb == "delete":
    pass
else:
    print(f"unexpected kubectl call {{args}}", file=sys.stderr)
    sys.exit(2)
"""


@dataclass
class FakeKubectl:
    log: Path

    def calls(self) -> list[list[str]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def exec_targets(self) -> list[str]:
        return [c[1] for c in self.calls() if c[0] == "exec" and not c[1].startswith("probe-dns-")]


@dataclass
class Behaviour:
    fixtures: str
    failing_execs: list[str] = field(default_factory=list)
    dns_pod_fails: bool = True
    """By default the DNS pod does not start: DNS checks are then inconclusive, which these tests do not judge."""
    unreachable: bool = False


def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, behaviour: Behaviour) -> FakeKubectl:
    """Puts the stand-in first on PATH (and no kubeconfig the probes could use to exec themselves)."""
    log = tmp_path / "kubectl-calls.log"
    conf = tmp_path / "kubectl.json"
    conf.write_text(
        json.dumps(
            {
                "fixtures": str(FIXTURES / behaviour.fixtures),
                "log": str(log),
                "failing_execs": behaviour.failing_execs,
                "dns_pod_fails": behaviour.dns_pod_fails,
                "unreachable": behaviour.unreachable,
            }
        )
    )
    script = tmp_path / "kubectl"
    script.write_text(_SCRIPT.format(python=sys.executable, conf=str(conf)))
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "no-kubeconfig"))
    return FakeKubectl(log)

"""The gate's loop against a stand-in kubectl: it waits until the listing
says done, gives up at its deadline with what it was waiting for, and leaves
no process behind."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from gates.__main__ import main
from gates.reads import GateError
from gates.rollout_wait import RolloutSpec, wait
from tests.unit.test_gates_rollout_progress import listing, sts, sts_pods

SPEC = RolloutSpec(kind="statefulset", name="web-sts", namespace="lab", selector="app=nginx-sts", timeout_seconds=20)


def fake_kubectl(tmp_path: Path, listings: list[dict[str, object]], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A kubectl on PATH that answers `get` with the next listing (the last
    one repeats) and `rollout status` at once; it logs every call."""
    (tmp_path / "listings.json").write_text(json.dumps(listings))
    script = tmp_path / "kubectl"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, pathlib, sys\n"
        f"here = pathlib.Path({str(tmp_path)!r})\n"
        "(here / 'calls.log').open('a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        "if 'rollout' in sys.argv:\n"
        "    print('Waiting for 1 pods to be ready...')\n"
        "    sys.exit(0)\n"
        "listings = json.loads((here / 'listings.json').read_text())\n"
        "count = here / 'count'\n"
        "n = int(count.read_text()) if count.exists() else 0\n"
        "count.write_text(str(n + 1))\n"
        "print(json.dumps(listings[min(n, len(listings) - 1)]))\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    return tmp_path / "calls.log"


def test_waits_until_the_listing_says_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    half = listing(sts(current="r1", ready=2, updated=2), *sts_pods("r1 r2 r2"))
    done = listing(sts(), *sts_pods())
    calls = fake_kubectl(tmp_path, [half, half, done], monkeypatch)
    assert wait(SPEC).done
    argvs = [json.loads(line) for line in calls.read_text().splitlines()]
    assert sum("rollout" in a for a in argvs) == 1
    assert argvs[0][2:5] == ["rollout", "status", "statefulset/web-sts"], "the watch comes first"
    assert argvs[1] == [
        "--namespace=lab",
        "--request-timeout=30s",
        "get",
        "statefulset,pods",
        "--selector=app=nginx-sts",
        "--output=json",
    ]


def test_on_delete_never_asks_kubectl_rollout_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = RolloutSpec(**{**SPEC.__dict__, "on_delete": True})
    calls = fake_kubectl(tmp_path, [listing(sts(ready=2)), listing(sts(), *sts_pods())], monkeypatch)
    assert wait(spec).done
    assert "rollout" not in calls.read_text()


def test_gives_up_at_the_deadline_saying_what_it_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = RolloutSpec(**{**SPEC.__dict__, "timeout_seconds": 2})
    fake_kubectl(tmp_path, [listing(sts(generation=3), *sts_pods())], monkeypatch)
    with pytest.raises(GateError, match="did not finish rolling out within 2s; waiting for: the controller"):
        wait(spec)


def test_a_missing_kubectl_ends_the_gate_with_the_fix_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["rollout", SPEC.to_json()]) == 1
    assert capsys.readouterr().err.strip() == (
        "rollout: kubectl is not on PATH: run `make toolchain`, or install kubectl"
    )


def test_a_failing_read_fails_the_gate_with_kubectl_s_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "kubectl"
    script.write_text(
        "#!/bin/sh\necho 'error: the server has asked for the client to provide credentials' >&2\nexit 1\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(GateError, match="asked for the client to provide credentials"):
        wait(RolloutSpec(**{**SPEC.__dict__, "on_delete": True}))


def test_the_spec_the_program_writes_is_the_spec_the_gate_reads() -> None:
    assert RolloutSpec.from_json(SPEC.to_json()) == SPEC
    assert "kubeconfig" not in SPEC.to_json(), "the kubeconfig reaches the gate through KUBECONFIG only"

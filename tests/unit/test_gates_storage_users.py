"""The storage guard: who else uses the installed class."""

from __future__ import annotations

import json
from typing import Any

import pytest

import gates.storage_users as storage_users_module
from gates.reads import GateError
from gates.storage_users import (
    GuardSpec,
    StallClock,
    kept_claims_message,
    own_kept_claims,
    own_released,
    refusal,
    storage_users,
)


def claim(namespace: str, name: str, cls: str = "local-path", phase: str = "Bound") -> dict[str, Any]:
    return {
        "kind": "PersistentVolumeClaim",
        "metadata": {"namespace": namespace, "name": name},
        "spec": {"storageClassName": cls},
        "status": {"phase": phase},
    }


def volume(name: str, namespace: str, phase: str = "Bound", cls: str = "local-path") -> dict[str, Any]:
    return {
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": {"storageClassName": cls, "claimRef": {"namespace": namespace, "name": "x"}},
        "status": {"phase": phase},
    }


def users(*items: dict[str, Any]) -> list[str]:
    return [u.what for u in storage_users({"items": list(items)}, "local-path", "default")]


def test_own_claims_and_other_classes_do_not_count() -> None:
    assert users(claim("default", "www-web-sts-0"), volume("pvc-1", "default"), claim("lab", "x", cls="standard")) == []


def test_another_namespaces_claim_is_a_user() -> None:
    assert users(claim("e2e-scaling", "www-web-sts-3"), volume("pvc-2", "e2e-scaling")) == [
        "claim e2e-scaling/www-web-sts-3 (Bound)"
    ]


def test_a_pending_claim_is_a_user_too() -> None:
    assert users(claim("lab", "www-web-dep", phase="Pending")) == ["claim lab/www-web-dep (Pending)"]


def test_a_released_volume_is_settling_not_refused_at_once() -> None:
    found = storage_users({"items": [volume("pvc-3", "gone", phase="Released")]}, "local-path", "default")
    assert [(u.what, u.settling) for u in found] == [("volume pvc-3 (Released, being deleted)", True)]


def test_the_refusal_names_the_users_the_installer_and_the_way_out() -> None:
    spec = GuardSpec("local-path", "default", "statefulset-lab/seed")
    text = refusal(spec, storage_users({"items": [claim("lab-a", "www-web-sts-0")]}, "local-path", "default"))
    assert "claim lab-a/www-web-sts-0 (Bound)" in text and "statefulset-lab/seed" in text
    assert "Destroy those stacks" in text and "Nothing of this stack has been deleted" in text


def test_the_drain_waits_only_for_the_stacks_own_released_volumes() -> None:
    listing = {
        "items": [
            volume("pvc-own-released", "default", phase="Released"),
            volume("pvc-own-bound", "default"),
            volume("pvc-other-released", "lab-b", phase="Released"),
            volume("pvc-own-other-class", "default", phase="Released", cls="standard"),
        ]
    }
    assert own_released(listing, "local-path", "default") == ["pvc-own-released"]


def test_claims_the_stack_keeps_stop_the_drain_with_the_way_out() -> None:
    going = {
        **claim("default", "www-web-sts-1"),
        "metadata": {"namespace": "default", "name": "www-web-sts-1", "deletionTimestamp": "x"},
    }
    listing = {"items": [claim("default", "www-web-sts-0"), going, claim("lab-b", "www-web-sts-0")]}
    kept = own_kept_claims(listing, "local-path", "default")
    assert kept == ["www-web-sts-0"]
    text = kept_claims_message(GuardSpec("local-path", "default", "statefulset-lab/seed"), kept)
    assert "kubectl delete pvc www-web-sts-0 --namespace=default" in text and "run the destroy again" in text


def test_a_wait_stalls_only_after_the_count_stopped_going_down_for_its_patience() -> None:
    clock = StallClock(patience=60, last_progress=0.0)
    assert not clock.stalled(100, now=0.0)
    assert not clock.stalled(40, now=59.0)  # progress: the patience starts again
    assert not clock.stalled(40, now=118.0)
    assert not clock.stalled(41, now=118.5)  # more volumes is no progress
    assert clock.stalled(41, now=119.5)


def released_volumes(count: int) -> str:
    return json.dumps({"items": [volume(f"pvc-{i}", "lab-b", phase="Released") for i in range(count)]})


def test_the_guard_waits_as_long_as_the_provisioner_keeps_deleting(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    listings = iter([released_volumes(n) for n in (90, 60, 30, 1)] + [released_volumes(0)])
    monkeypatch.setattr(storage_users_module, "read_json", lambda argv, deadline: json.loads(next(listings)))
    monkeypatch.setattr("gates.storage_users.time.monotonic", lambda: now[0])
    monkeypatch.setattr("gates.storage_users.time.sleep", lambda s: now.__setitem__(0, now[0] + 50))
    spec = json.dumps({"storage_class": "local-path", "namespace": "default", "installed_by": "statefulset-lab/seed"})
    assert storage_users_module.run(spec) == 0
    assert now[0] == 200  # four waits of 50 s each: longer than the patience, never without progress


def test_the_guard_refuses_once_the_deletion_stalls_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    monkeypatch.setattr(storage_users_module, "read_json", lambda argv, deadline: json.loads(released_volumes(3)))
    monkeypatch.setattr("gates.storage_users.time.monotonic", lambda: now[0])
    monkeypatch.setattr("gates.storage_users.time.sleep", lambda s: now.__setitem__(0, now[0] + 10))
    spec = json.dumps({"storage_class": "local-path", "namespace": "default", "installed_by": "statefulset-lab/seed"})
    with pytest.raises(GateError, match="deleted none of these volumes in 60s") as refused:
        storage_users_module.run(spec)
    assert "volume pvc-2 (Released, being deleted)" in str(refused.value)
    assert now[0] == 70


def test_the_drain_waits_for_its_own_volumes_while_they_go_and_gives_up_when_they_stop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [0.0]
    own = [volume(f"pvc-{i}", "default", phase="Released") for i in range(3)]
    listings = iter([{"items": own[:n]} for n in (3, 2, 2, 2, 2, 2, 2)])
    monkeypatch.setattr(storage_users_module, "read_json", lambda argv, deadline: next(listings))
    monkeypatch.setattr("gates.storage_users.time.monotonic", lambda: now[0])
    monkeypatch.setattr("gates.storage_users.time.sleep", lambda s: now.__setitem__(0, now[0] + 40))
    spec = json.dumps({"storage_class": "local-path", "namespace": "default", "installed_by": "statefulset-lab/seed"})
    with pytest.raises(GateError, match="deleted none of the volumes of this stack's claims in 180s: pvc-0, pvc-1"):
        storage_users_module.drain(spec)
    assert now[0] == 240  # 40 s of progress, then 200 s without

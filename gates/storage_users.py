"""Storage gates of a stack that installed local-path-provisioner.

The guard refuses to remove the installation while others still use it; the
drain lets it go only once the stack's own released volumes are deleted.

A stack that installed rancher/local-path-provisioner owns a cluster-wide
service: other stacks of the lab (with `installLocalPath: auto`) put their
claims on its StorageClass. Removing the provisioner under them would leave
their volumes without anyone to delete them (and a Pending claim without
anyone to create it). So before the installing stack removes it, the guard
lists the claims and volumes of the class outside the stack's own
namespace, waits for volumes that are only being cleaned up as long as the
provisioner keeps deleting them, and fails (exit 1) while any remain, naming
them and the way out.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from gates.reads import GateError, read_json
from kube.target import KubectlTarget, kubectl

RELEASE_WAIT_SECONDS = 60
"""How long the guard waits for the provisioner to delete one more released volume."""


@dataclass
class StallClock:
    """Times a wait out only when the count it watches stops going down.

    The provisioner deletes released volumes one helper pod at a time: a
    hundred of them (a destroyed 100-replica stack) take minutes, so a fixed
    deadline would refuse while the cleanup is visibly progressing."""

    patience: float
    fewest: int | None = None
    last_progress: float = field(default_factory=time.monotonic)

    def stalled(self, count: int, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if self.fewest is None or count < self.fewest:
            self.fewest, self.last_progress = count, now
        return now - self.last_progress > self.patience


@dataclass(frozen=True)
class GuardSpec:
    """The JSON document the program hands to `python -m gates storage-users`."""

    storage_class: str
    namespace: str
    """The installing stack's own namespace: its claims are its own business."""
    installed_by: str
    context: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> GuardSpec:
        return cls(**json.loads(text))

    @property
    def target(self) -> KubectlTarget:
        return KubectlTarget(namespace=self.namespace, context=self.context)


@dataclass(frozen=True)
class StorageUser:
    what: str
    """e.g. `claim lab-parallel/www-web-sts-0` or `volume pvc-… (Released)`."""
    settling: bool
    """A volume whose claim is gone: the provisioner is about to delete it."""


def storage_users(listing: dict[str, Any], storage_class: str, own_namespace: str) -> list[StorageUser]:
    """Claims and volumes of `storage_class` that belong to anyone but `own_namespace`."""
    users: list[StorageUser] = []
    items = listing.get("items", [])
    for pvc in (i for i in items if i.get("kind") == "PersistentVolumeClaim"):
        meta = pvc["metadata"]
        if pvc.get("spec", {}).get("storageClassName") == storage_class and meta.get("namespace") != own_namespace:
            phase = pvc.get("status", {}).get("phase", "?")
            users.append(StorageUser(f"claim {meta.get('namespace')}/{meta['name']} ({phase})", settling=False))
    for pv in (i for i in items if i.get("kind") == "PersistentVolume"):
        spec = pv.get("spec", {})
        claim = spec.get("claimRef") or {}
        if spec.get("storageClassName") != storage_class or claim.get("namespace") == own_namespace:
            continue
        phase = pv.get("status", {}).get("phase", "?")
        if phase in ("Released", "Failed") or pv["metadata"].get("deletionTimestamp"):
            users.append(StorageUser(f"volume {pv['metadata']['name']} ({phase}, being deleted)", settling=True))
        elif phase != "Bound" or not claim:
            users.append(StorageUser(f"volume {pv['metadata']['name']} ({phase})", settling=False))
        # A Bound volume is reported through its claim above.
    return users


def refusal(spec: GuardSpec, users: list[StorageUser]) -> str:
    listed = ", ".join(u.what for u in users[:12]) + (f" and {len(users) - 12} more" if len(users) > 12 else "")
    stalled = (
        f" (the provisioner deleted none of these volumes in {RELEASE_WAIT_SECONDS}s: see kubectl logs "
        "-n local-path-storage deployment/local-path-provisioner)"
        if all(u.settling for u in users)
        else ""
    )
    return (
        f"refusing to remove local-path-provisioner (StorageClass {spec.storage_class}, installed by stack "
        f"{spec.installed_by}): other stacks still use it: {listed}{stalled}. Destroy those stacks (or delete "
        "their claims) first, then run this again. Nothing of this stack has been deleted."
    )


def run(spec_json: str) -> int:
    """`python -m gates storage-users '<json>'`: exit 0 when nobody else uses the class."""
    spec = GuardSpec.from_json(spec_json)
    argv = kubectl(spec.target, "get", "persistentvolumeclaims,persistentvolumes", "--all-namespaces", "--output=json")
    clock = StallClock(RELEASE_WAIT_SECONDS)
    while True:
        users = storage_users(read_json(argv, time.monotonic() + 60), spec.storage_class, spec.namespace)
        if not users:
            return 0
        if any(not u.settling for u in users) or clock.stalled(len(users)):
            raise GateError(refusal(spec, users))
        print(f"waiting for {len(users)} released volume(s) of {spec.storage_class} to be deleted", file=sys.stderr)
        time.sleep(2)


def own_released(listing: dict[str, Any], storage_class: str, own_namespace: str) -> list[str]:
    """Volumes of the class whose claims in `own_namespace` are gone but which
    the provisioner has not deleted yet (it must, before it is removed)."""
    names = []
    for pv in (i for i in listing.get("items", []) if i.get("kind") == "PersistentVolume"):
        spec = pv.get("spec", {})
        if spec.get("storageClassName") != storage_class:
            continue
        if (spec.get("claimRef") or {}).get("namespace") != own_namespace:
            continue
        if pv.get("status", {}).get("phase") in ("Released", "Failed") or pv["metadata"].get("deletionTimestamp"):
            names.append(str(pv["metadata"]["name"]))
    return names


def own_kept_claims(listing: dict[str, Any], storage_class: str, own_namespace: str) -> list[str]:
    """Claims of the class in `own_namespace` that outlive the stack's
    workloads (a StatefulSet's, with pvcRetentionWhenDeleted: Retain, in a
    namespace the stack does not delete) and are not being deleted."""
    return [
        str(pvc["metadata"]["name"])
        for pvc in listing.get("items", [])
        if pvc.get("kind") == "PersistentVolumeClaim"
        and pvc["metadata"].get("namespace") == own_namespace
        and pvc.get("spec", {}).get("storageClassName") == storage_class
        and not pvc["metadata"].get("deletionTimestamp")
    ]


def kept_claims_message(spec: GuardSpec, kept: list[str]) -> str:
    return (
        f"the claims {', '.join(kept)} in namespace {spec.namespace} are kept (pvcRetentionWhenDeleted: Retain) "
        f"and use {spec.storage_class}, whose provisioner this stack is about to remove: nobody could delete their "
        f"volumes afterwards. The workloads are gone; delete the claims (kubectl delete pvc {' '.join(kept)} "
        f"--namespace={spec.namespace}) and run the destroy again, which then removes the provisioner."
    )


DRAIN_SECONDS = 180
"""How long the drain waits for the provisioner to delete one more of the stack's volumes."""


def drain(spec_json: str) -> int:
    """`python -m gates storage-drain '<json>'`: exit 0 once no claim of the
    stack uses the class any more and the provisioner has deleted the volumes
    of those that went."""
    spec = GuardSpec.from_json(spec_json)
    argv = kubectl(spec.target, "get", "persistentvolumes,persistentvolumeclaims", "--all-namespaces", "--output=json")
    clock = StallClock(DRAIN_SECONDS)
    while True:
        listing = read_json(argv, time.monotonic() + 60)
        kept = own_kept_claims(listing, spec.storage_class, spec.namespace)
        if kept:
            raise GateError(kept_claims_message(spec, kept))
        left = own_released(listing, spec.storage_class, spec.namespace)
        if not left:
            return 0
        if clock.stalled(len(left)):
            raise GateError(
                f"the provisioner deleted none of the volumes of this stack's claims in {DRAIN_SECONDS}s: "
                f"{', '.join(left)}; it stays installed. Look at its log: kubectl logs -n local-path-storage "
                "deployment/local-path-provisioner"
            )
        print(f"waiting for the provisioner to delete {len(left)} volume(s): {', '.join(left)}", file=sys.stderr)
        time.sleep(1)

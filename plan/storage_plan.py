"""Pure decision: install local-path-provisioner, or use a class the cluster has.

`installLocalPath` is auto (default), true or false. auto installs unless the
StorageClass or the provisioner's namespace already exists and was not
installed by this stack (kind and k3s ship their own; another stack of this
project may have installed it); then the existing class is used.

The installed class becomes the cluster's default only when asked for
(`defaultStorageClass`) and the cluster has no default class of its own:
marking a second default (minikube's, a cloud's) would change where the
user's other claims go.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from plan.cluster_facts import ExistingObject
from plan.settings import PROJECT


@dataclass(frozen=True)
class StoragePlan:
    install: bool
    """Install local-path-provisioner and its StorageClass (else use what the cluster has)."""
    storage_class_name: str
    """The class the workloads' claims ask for."""
    reason: str
    """Why, in the words the preview shows."""
    make_default: bool = False
    """Mark the installed class as the cluster default: asked for, and the
    cluster has no other default (two defaults would send the user's other
    claims who knows where)."""
    claims_name_class: bool = True
    """The claims name storage_class_name; False: they name none, and
    storage_class_name is the cluster's default class that will serve them."""


class StoragePlanError(ValueError):
    pass


def describe(obj: ExistingObject) -> str:
    return f"installed by stack {obj.owner}" if obj.owner else "not installed by this project"


def default_decision(
    want_default: bool, class_name: str, owner: str, classes: list[ExistingObject]
) -> tuple[bool, str]:
    """(mark ours default?, why) given every StorageClass of the cluster."""
    others = [c.name for c in classes if c.is_default and not (c.name == class_name and c.owner == owner)]
    if not want_default:
        return False, f"{class_name} is not marked as the default class ({PROJECT}:defaultStorageClass is false)"
    if others:
        return False, (
            f"{class_name} is not marked as the default class: the cluster's default is {', '.join(others)}, "
            "which stays the default (the lab's claims name their class explicitly)"
        )
    return True, f"{class_name} is the cluster's default class"


def plan_storage(
    mode: str,
    class_name: str,
    owner: str,
    existing_class: ExistingObject | None,
    existing_namespace: ExistingObject | None,
    want_default: bool = True,
    classes: list[ExistingObject] | None = None,
) -> StoragePlan:
    foreign = [o for o in (existing_class, existing_namespace) if o is not None and o.owner != owner]
    if mode == "false":
        if existing_class is None:
            raise StoragePlanError(
                f"{PROJECT}:storageClassName {class_name!r} does not exist in the cluster and "
                f"{PROJECT}:installLocalPath is false. Set storageClassName to a class the cluster has "
                f"(`kubectl get storageclass`) or installLocalPath to auto."
            )
        return StoragePlan(False, class_name, f"using the cluster's StorageClass {class_name}")
    if not foreign:
        default, why = default_decision(want_default, class_name, owner, classes or [])
        return StoragePlan(True, class_name, f"installing local-path-provisioner; {why}", default)
    if mode == "true":
        what = "; ".join(f"{o.name} ({describe(o)})" for o in foreign)
        raise StoragePlanError(
            f"{PROJECT}:installLocalPath is true but the cluster already has {what}. Set installLocalPath to "
            f"auto to use it, or to false with storageClassName naming the class to use."
        )
    if existing_class is None:
        raise StoragePlanError(
            f"local-path-provisioner is already installed ({describe(foreign[0])}) but StorageClass "
            f"{class_name!r} does not exist. Set {PROJECT}:storageClassName to the class it serves "
            f"(`kubectl get storageclass`; kind calls it standard) or installLocalPath to false."
        )
    return StoragePlan(False, class_name, f"using StorageClass {class_name}, {describe(existing_class)}")


def with_default_class(plan: StoragePlan, classes: list[ExistingObject]) -> StoragePlan:
    """useDefaultStorageClass: the claims name no class, and the cluster's one
    default class serves them: the one this plan marks default, or the
    cluster's own. Without exactly one, claims would wait Pending for a class
    nobody gives them (or get whichever default Kubernetes picks), so the
    preview stops and says which setting fixes it."""
    if plan.make_default:
        return replace(plan, claims_name_class=False, reason=plan.reason + "; the claims name no class")
    defaults = sorted(c.name for c in classes if c.is_default)
    if len(defaults) == 1:
        return replace(
            plan,
            storage_class_name=defaults[0],
            claims_name_class=False,
            reason=plan.reason + f"; the claims name no class: the cluster's default, {defaults[0]}, serves them",
        )
    if not defaults:
        raise StoragePlanError(
            f"{PROJECT}:useDefaultStorageClass is true, but the cluster has no default StorageClass and this "
            f"stack does not make one ({plan.reason}). Set {PROJECT}:defaultStorageClass true where this stack "
            "installs local-path, mark a class default (kubectl annotate storageclass <name> "
            "storageclass.kubernetes.io/is-default-class=true), or set useDefaultStorageClass false."
        )
    raise StoragePlanError(
        f"{PROJECT}:useDefaultStorageClass is true, but the cluster has {len(defaults)} default StorageClasses "
        f"({', '.join(defaults)}): Kubernetes would give new claims the newest. Leave one default, or set "
        f"useDefaultStorageClass false and {PROJECT}:storageClassName to the class to use."
    )

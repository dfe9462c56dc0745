"""installLocalPath auto/true/false against what the cluster already has."""

from __future__ import annotations

import pytest

from components.cluster_facts import ExistingObject
from components.storage_plan import StoragePlanError, plan_storage

ME = "statefulset-lab/seed"
OURS_SC = ExistingObject("local-path", ME)
OURS_NS = ExistingObject("local-path-storage", ME)
OTHER_SC = ExistingObject("local-path", "statefulset-lab/other")
K3S_SC = ExistingObject("local-path", "")
KIND_NS = ExistingObject("local-path-storage", "")


@pytest.mark.parametrize("mode", ["auto", "true"])
def test_an_empty_cluster_gets_the_provisioner(mode: str) -> None:
    assert plan_storage(mode, "local-path", ME, None, None).install


@pytest.mark.parametrize("mode", ["auto", "true"])
def test_what_this_stack_installed_stays_managed(mode: str) -> None:
    assert plan_storage(mode, "local-path", ME, OURS_SC, OURS_NS).install


def test_auto_uses_the_class_k3s_ships() -> None:
    plan = plan_storage("auto", "local-path", ME, K3S_SC, None)
    assert not plan.install and plan.storage_class_name == "local-path"
    assert "not installed by this project" in plan.reason


def test_auto_uses_the_class_another_stack_installed() -> None:
    plan = plan_storage("auto", "local-path", ME, OTHER_SC, ExistingObject("local-path-storage", "x/other"))
    assert not plan.install and "statefulset-lab/other" in plan.reason


def test_auto_on_kind_names_the_class_to_use() -> None:
    with pytest.raises(StoragePlanError, match="kind calls it standard"):
        plan_storage("auto", "local-path", ME, None, KIND_NS)


def test_true_refuses_to_install_over_a_foreign_installation() -> None:
    with pytest.raises(StoragePlanError, match="installLocalPath is true but the cluster already has local-path"):
        plan_storage("true", "local-path", ME, K3S_SC, None)


def test_false_uses_an_existing_class() -> None:
    plan = plan_storage("false", "standard", ME, ExistingObject("standard", ""), KIND_NS)
    assert not plan.install and plan.storage_class_name == "standard"


def test_false_with_a_missing_class_names_the_fix() -> None:
    with pytest.raises(StoragePlanError, match="'standard' does not exist in the cluster"):
        plan_storage("false", "standard", ME, None, None)

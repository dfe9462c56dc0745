"""installLocalPath auto/true/false against what the cluster already has."""

from __future__ import annotations

import pytest

from plan.cluster_facts import ExistingObject, explain_failure
from plan.storage_plan import StoragePlanError, default_decision, plan_storage, with_default_class

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


STANDARD_DEFAULT = ExistingObject("standard", "", is_default=True)
OURS_DEFAULT = ExistingObject("local-path", ME, is_default=True)


def test_installed_class_becomes_default_on_a_cluster_without_one() -> None:
    plan = plan_storage("auto", "local-path", ME, None, None, want_default=True, classes=[])
    assert plan.install and plan.make_default


def test_installed_class_never_becomes_a_second_default() -> None:
    """minikube, GKE, EKS, AKS: the cluster's own default stays the only one."""
    plan = plan_storage("true", "local-path", ME, None, None, want_default=True, classes=[STANDARD_DEFAULT])
    assert plan.install and not plan.make_default
    assert "the cluster's default is standard" in plan.reason


def test_our_own_default_from_an_earlier_up_stays_default() -> None:
    plan = plan_storage("auto", "local-path", ME, OURS_DEFAULT, OURS_NS, want_default=True, classes=[OURS_DEFAULT])
    assert plan.install and plan.make_default


def test_a_default_installed_by_another_stack_counts_as_the_clusters() -> None:
    theirs = ExistingObject("local-path", "statefulset-lab/other", is_default=True)
    decision = default_decision(True, "local-path", ME, [theirs])
    assert decision[0] is False


def test_default_can_be_declined() -> None:
    plan = plan_storage("auto", "local-path", ME, None, None, want_default=False, classes=[])
    assert plan.install and not plan.make_default and "defaultStorageClass is false" in plan.reason


def test_a_missing_right_is_named_with_the_fix() -> None:
    stderr = (
        'Error from server (Forbidden): storageclasses.storage.k8s.io is forbidden: User "learner" '
        'cannot list resource "storageclasses" in API group "storage.k8s.io" at the cluster scope'
    )
    message = explain_failure("the StorageClasses", stderr)
    assert "may not list storageclasses" in message and "grant that user get/list on storageclasses" in message


def test_an_unreachable_cluster_names_the_fix() -> None:
    message = explain_failure("the StorageClasses", "The connection to the server 10.0.0.1:6443 was refused")
    assert "make cluster-up" in message and "KUBECONFIG" in message


def test_the_default_class_is_the_installed_one_when_the_plan_marks_it() -> None:
    plan = with_default_class(plan_storage("auto", "local-path", ME, None, None), [])
    assert (plan.storage_class_name, plan.claims_name_class) == ("local-path", False)
    assert plan.reason.endswith("the claims name no class")


def test_the_default_class_is_the_clusters_own_when_it_has_one() -> None:
    standard = ExistingObject("standard", "", is_default=True)
    plan = with_default_class(plan_storage("auto", "local-path", ME, None, None, classes=[standard]), [standard])
    assert (plan.storage_class_name, plan.claims_name_class) == ("standard", False)
    assert "the cluster's default, standard, serves them" in plan.reason


def test_the_default_class_without_a_default_names_the_fixes() -> None:
    plan = plan_storage("false", "local-path", ME, K3S_SC, None)
    with pytest.raises(StoragePlanError, match="no default StorageClass") as err:
        with_default_class(plan, [K3S_SC])
    assert "defaultStorageClass true" in str(err.value) and "is-default-class=true" in str(err.value)


def test_two_default_classes_are_refused() -> None:
    both = [ExistingObject("standard", "", True), ExistingObject("fast", "", True)]
    with pytest.raises(StoragePlanError, match=r"2 default StorageClasses \(fast, standard\)"):
        with_default_class(plan_storage("false", "local-path", ME, K3S_SC, None), both)


def test_claims_name_their_class_unless_asked() -> None:
    assert plan_storage("auto", "local-path", ME, None, None).claims_name_class

"""Pod and claim names come from LabNames alone: what the checks expect is what
the program's names make."""

from __future__ import annotations

from kube.names import LabNames, WorkloadNames

OTHER = LabNames(statefulset=WorkloadNames("db", "db-headless"), volume="data")


def test_an_ordinal_names_its_pod_and_its_claim() -> None:
    assert (OTHER.pod(3), OTHER.claim_of_ordinal(3)) == ("db-3", "data-db-3")
    assert OTHER.claim_of_ordinal(3) == OTHER.claim_of(OTHER.pod(3))


def test_only_the_claim_templates_claims_are_ordinal_claims() -> None:
    assert OTHER.is_ordinal_claim("data-db-0") and OTHER.is_ordinal_claim("data-db-12")
    assert not OTHER.is_ordinal_claim("data-db-")
    assert not OTHER.is_ordinal_claim("data-db-x")
    assert not OTHER.is_ordinal_claim("www-db-0")
    assert not OTHER.is_ordinal_claim(OTHER.shared_claim)


def test_a_deployment_pod_of_a_template_begins_with_its_hash() -> None:
    assert "web-dep-5d9c7b4f6-abcde".startswith(LabNames().deployment_pod_prefix("5d9c7b4f6"))

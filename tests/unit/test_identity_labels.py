"""The identity labels check and where its evidence comes from: the labels
the StatefulSet controller puts on each pod, read from `kubectl get pods`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from probes.checks.labels import check_identity_labels
from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, PASSED, POD_INDEX_LABEL, POD_NAME_LABEL, PodFacts
from probes.parse import pod_facts
from tests.unit.test_probe_checks import DEP, STS, E


def _verdict_and_evidence(pods: list[PodFacts]) -> tuple[str, str]:
    (check,) = check_identity_labels(E, pods)
    return check.verdict, check.observed


def test_every_pod_labelled_with_its_own_name_and_ordinal_passes() -> None:
    verdict, observed = _verdict_and_evidence(STS)
    assert verdict == PASSED
    assert f"web-sts-1: {POD_NAME_LABEL}=web-sts-1, {POD_INDEX_LABEL}=1" in observed


def test_a_pod_without_the_ordinal_label_fails_and_is_named() -> None:
    bare = replace(STS[1], identity_labels={POD_NAME_LABEL: "web-sts-1"})
    verdict, observed = _verdict_and_evidence([STS[0], bare])
    assert verdict == FAILED
    assert f"{POD_INDEX_LABEL}=(none)" in observed
    assert observed.endswith("not as the controller labels them: web-sts-1")


def test_a_pod_labelled_as_another_pod_fails() -> None:
    swapped = replace(STS[0], identity_labels={POD_NAME_LABEL: "web-sts-1", POD_INDEX_LABEL: "1"})
    assert _verdict_and_evidence([swapped, STS[1]])[0] == FAILED


def test_labels_not_recorded_are_inconclusive_and_no_pods_not_applicable() -> None:
    verdict, observed = _verdict_and_evidence([replace(STS[0], identity_labels=None), STS[1]])
    assert (verdict, observed) == (INCONCLUSIVE, "the labels of web-sts-0 were not recorded in this document")
    assert _verdict_and_evidence([])[0] == NOT_APPLICABLE


def _listed_pod(name: str, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "creationTimestamp": "2026-01-01T00:00:00Z", "labels": labels},
        "spec": {"containers": [{"image": "nginx"}]},
        "status": {},
    }


def test_the_labels_are_read_for_statefulset_pods_only() -> None:
    labels = {"app": "nginx-sts", POD_NAME_LABEL: "web-sts-0", POD_INDEX_LABEL: "0", "other": "x"}
    read = pod_facts(_listed_pod("web-sts-0", labels), "statefulset", "web-sts")
    assert read.identity_labels == {POD_NAME_LABEL: "web-sts-0", POD_INDEX_LABEL: "0"}
    assert pod_facts(_listed_pod("web-sts-0", {"app": "nginx-sts"}), "statefulset", "web-sts").identity_labels == {}
    assert pod_facts(_listed_pod(DEP[0].name, labels), "deployment").identity_labels is None

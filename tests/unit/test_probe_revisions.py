"""Which template a pod runs, from the StatefulSet's ControllerRevisions and the
pod's creation, not from currentRevision (probes.revisions)."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from kube.target import KubectlTarget
from probes.evidence import with_evidence
from probes.facts import FAILED, Check, Revision
from probes.gather import Listings
from probes.parse import parse_revisions
from probes.revisions import fate, template_change
from tests.unit.test_probe_checks import STS_FACTS, E, sts_pod

OWNER = "3f1c0f5e-2b1a-4c8e-9d7f-0a1b2c3d4e5f"


def controller_revision(name: str, number: int, created: str, owner: str = OWNER) -> dict[str, Any]:
    """A ControllerRevision as `kubectl get controllerrevisions -o json` lists it (data left out)."""
    return {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {
            "name": name,
            "creationTimestamp": created,
            "labels": {"app": "nginx-sts", "controller.kubernetes.io/hash": name.rsplit("-", 1)[1]},
            "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web-sts", "uid": owner, "controller": True}
            ],
        },
        "revision": number,
    }


def test_only_the_statefulsets_own_revisions_count_oldest_template_first() -> None:
    listing = {
        "items": [
            controller_revision("web-sts-6b75bf8978", 2, "2026-12-02T22:05:20Z"),
            controller_revision("web-sts-5c5d8dd5d7", 1, "2026-12-02T22:04:49Z"),
            controller_revision("web-sts-0ld0ld0ld0", 1, "2026-12-01T10:00:00Z", owner="an-earlier-statefulset"),
        ]
    }
    assert [r.name for r in parse_revisions(listing, OWNER)] == ["web-sts-5c5d8dd5d7", "web-sts-6b75bf8978"]


FIRST = Revision("r1", 1, "2026-11-26T10:00:00Z")
BROKEN = Revision("r2", 2, "2026-11-26T10:05:00Z")


def test_a_pod_on_the_update_revision_created_after_it_appeared_was_rolled() -> None:
    change = template_change(replace(STS_FACTS, current_revision="r2", update_revision="r2"), [FIRST, BROKEN])
    assert change.since == BROKEN.created
    assert fate(sts_pod(0, "2026-11-26T10:06:00Z", None, revision="r2"), change)[0] == "rolled"
    assert fate(sts_pod(0, "2026-11-26T10:01:00Z", None, revision="r1"), change)[0] == "kept"


def test_a_template_brought_back_has_no_known_change_time() -> None:
    """Reverted to r1: its revision keeps its object and gets number 3, so when
    the template came back is recorded nowhere; a pod on r1 older than r2 kept it."""
    reverted = [replace(FIRST, number=3), BROKEN]
    change = template_change(replace(STS_FACTS, current_revision="r1", update_revision="r1"), reverted)
    assert change.since is None and change.previous == BROKEN
    assert fate(sts_pod(0, "2026-11-26T10:01:00Z", None, revision="r1"), change)[0] == "kept"
    assert fate(sts_pod(0, "2026-11-26T10:07:00Z", None, revision="r1"), change)[0] == "unknown"


def test_a_statefulset_with_one_template_has_nothing_to_hold() -> None:
    change = template_change(replace(STS_FACTS, current_revision="r1", update_revision="r1"), [FIRST])
    assert fate(sts_pod(0, "2026-11-26T10:01:00Z", None, revision="r1"), change)[0] == "unchanged"


def test_a_partition_check_that_did_not_pass_shows_the_revisions_that_judged_it() -> None:
    listings: dict[str, dict[str, Any]] = {f.name: {} for f in fields(Listings)} | {
        "revisions": {"items": [controller_revision("web-sts-6b75bf8978", 2, "2026-12-02T22:05:20Z")]}
    }
    failed = Check("ordinals >= partition (2) run the new revision, the others keep theirs", "statefulset", FAILED,
                   "-", "web-sts-0 @web-sts-6b75bf8978 created after the template changed")  # fmt: skip
    (checked,) = with_evidence([failed], KubectlTarget(namespace="lab"), E, Listings(**listings), [], ("", ""))
    (evidence,) = checked.evidence
    assert "controllerrevisions" in evidence.command
    assert evidence.output == "web-sts-6b75bf8978 revision 2 created 2026-12-02T22:05:20Z"


def test_an_update_revision_missing_from_the_listing_falls_back_to_the_current_revision() -> None:
    """Revisions listed a moment before the controller made r3: nothing in the
    history tells when r3 appeared, so the pods are judged as without revisions."""
    sts = replace(STS_FACTS, current_revision="r2", update_revision="r3")
    change = template_change(sts, [FIRST, BROKEN])
    assert (change.update, change.previous, change.since, change.fallback_current) == ("r3", None, None, "r2")
    assert fate(sts_pod(0, "2026-11-26T10:06:00Z", None, revision="r3"), change)[0] == "rolled"
    assert fate(sts_pod(0, "2026-11-26T10:01:00Z", None, revision="r2"), change)[0] == "kept"


def test_without_revisions_a_pod_on_the_update_revision_is_rolled_only_while_current_differs() -> None:
    rolling = template_change(replace(STS_FACTS, current_revision="r1", update_revision="r2"), None)
    assert fate(sts_pod(1, "2026-11-26T10:06:00Z", None, revision="r2"), rolling)[0] == "rolled"
    settled = template_change(replace(STS_FACTS, current_revision="r2", update_revision="r2"), None)
    assert fate(sts_pod(1, "2026-11-26T10:06:00Z", None, revision="r2"), settled)[0] == "unknown"


def test_the_previous_template_is_the_highest_numbered_older_revision() -> None:
    """Three templates, listed in no particular order: the one before r3 is r2."""
    third = Revision("r3", 3, "2026-11-26T10:10:00Z")
    change = template_change(replace(STS_FACTS, current_revision="r2", update_revision="r3"), [BROKEN, third, FIRST])
    assert change.previous == BROKEN and change.since == third.created


def test_a_revision_made_in_the_same_second_as_the_one_before_still_dates_the_change() -> None:
    """Timestamps have whole seconds: a template changed twice within one second
    leaves two revisions with one time, and the change is still dated."""
    quick = Revision("r2", 2, FIRST.created)
    change = template_change(replace(STS_FACTS, current_revision="r2", update_revision="r2"), [FIRST, quick])
    assert change.since == FIRST.created


def test_a_pod_created_in_the_second_its_template_appeared_was_rolled() -> None:
    change = template_change(replace(STS_FACTS, current_revision="r2", update_revision="r2"), [FIRST, BROKEN])
    assert fate(sts_pod(0, BROKEN.created, None, revision="r2"), change)[0] == "rolled"


def test_a_pod_on_the_update_revision_created_before_it_appeared_kept_its_template() -> None:
    """The rule the partition check rests on: a pod older than the change to its
    revision was not made by that change (r2 dated 10:05, web-sts-0 from 10:04)."""
    change = template_change(replace(STS_FACTS, current_revision="r2", update_revision="r2"), [FIRST, BROKEN])
    assert fate(sts_pod(0, "2026-11-26T10:04:00Z", None, revision="r2"), change)[0] == "kept"


def test_a_pod_created_in_the_second_of_the_previous_template_is_not_known_to_predate_it() -> None:
    """Reverted to r1 (number 3): a pod on r1 created in the very second r2 was
    made cannot be told to have run r1 before r2."""
    reverted = [replace(FIRST, number=3), BROKEN]
    change = template_change(replace(STS_FACTS, current_revision="r1", update_revision="r1"), reverted)
    assert fate(sts_pod(0, BROKEN.created, None, revision="r1"), change)[0] == "unknown"

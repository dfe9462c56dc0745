"""Going back to an earlier template (probes.checks.history): the pods return
to that template's ControllerRevision, renumbered, not to a third one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from probes.checks.history import check_revision_history
from probes.facts import FAILED, PASSED, Check, Revision
from probes.parse import parse_revisions
from tests.unit.test_probe_checks import STS, STS_FACTS, E, observation
from tests.unit.test_probe_revisions import OWNER, controller_revision

OLD, NEW = "registry.k8s.io/nginx-slim:0.24", "registry.k8s.io/nginx-slim:0.21"
FIRST = Revision("web-sts-aaa", 3, "2026-12-07T10:00:00Z", [OLD], "t-old")
"""The template the StatefulSet was made with, brought back: number 3 now."""
NAME = "going back to an earlier template returns the pods to its revision, not a third one"
SECOND = Revision("web-sts-bbb", 2, "2026-12-07T10:05:00Z", [NEW], "t-new")


def judged(revisions: list[Revision], update: str, **changes: Any) -> list[Check]:
    sts = replace(STS_FACTS, update_revision=update, current_revision=update)
    pods = [replace(p, revision=update) for p in STS]
    return check_revision_history(
        E, observation(statefulset=sts, statefulset_pods=pods, revisions=revisions, **changes)
    )


def test_a_reverted_template_is_its_first_revision_renumbered() -> None:
    (check,) = judged([SECOND, FIRST], "web-sts-aaa")
    assert (check.name, check.verdict) == (NAME, PASSED)
    assert "update revision web-sts-aaa (#3, registry.k8s.io/nginx-slim:0.24, made 10:00:00)" in check.observed
    assert "pods on it: web-sts-0, web-sts-1" in check.observed


def test_a_third_revision_holding_the_same_template_fails() -> None:
    """A controller that made a new revision for a template it already had: the pods move on, not back."""
    first = replace(FIRST, number=1)
    third = Revision("web-sts-ccc", 3, "2026-12-07T10:09:00Z", [OLD], "t-old")
    (check,) = judged([first, SECOND, third], "web-sts-ccc")
    assert check.verdict == FAILED
    assert "web-sts-aaa holds the same template: a third revision" in check.observed


def test_the_image_back_in_a_template_changed_otherwise_is_not_a_way_back() -> None:
    """Reverting the image while something else in the template changed (an annotation stamped per
    deploy, say): a new revision, and the pods do not return to the one they had."""
    first = replace(FIRST, number=1)
    third = Revision("web-sts-ccc", 3, "2026-12-07T10:09:00Z", [OLD], "t-old-stamped")
    (check,) = judged([first, SECOND, third], "web-sts-ccc")
    assert check.verdict == FAILED
    assert "the images are web-sts-aaa's again, but the template differs in more than the image" in check.observed


def test_a_template_changed_beside_an_image_that_never_changed_is_left_out() -> None:
    """Two templates with one image (a probe setting changed, say): the image did not go back anywhere."""
    first = Revision("web-sts-aaa", 1, "2026-12-07T10:00:00Z", [OLD], "t-old")
    probe_changed = Revision("web-sts-eee", 2, "2026-12-07T10:05:00Z", [OLD], "t-old-probe")
    assert judged([first, probe_changed], "web-sts-eee") == []


def test_a_revision_brought_back_while_another_holds_its_template_still_fails() -> None:
    duplicate = Revision("web-sts-ddd", 1, "2026-12-07T09:59:00Z", [OLD], "t-old")
    (check,) = judged([duplicate, SECOND, FIRST], "web-sts-aaa")
    assert check.verdict == FAILED


def test_left_out_where_no_template_came_back() -> None:
    first = replace(FIRST, number=1)
    assert judged([first, SECOND], "web-sts-bbb") == []
    assert judged([first], "web-sts-aaa") == []


def test_left_out_without_the_revisions_templates() -> None:
    """A document from before the templates were read: it cannot tell a way back from a new template."""
    assert judged([replace(SECOND, template=""), replace(FIRST, template="")], "web-sts-aaa") == []
    assert judged([], "web-sts-aaa") == []
    assert check_revision_history(E, observation(statefulset=None, revisions=[SECOND, FIRST])) == []


def test_pods_not_yet_on_the_revision_are_named_as_none_yet() -> None:
    sts = replace(STS_FACTS, update_revision="web-sts-aaa")
    (check,) = check_revision_history(E, observation(statefulset=sts, revisions=[SECOND, FIRST]))
    assert check.verdict == PASSED and check.observed.endswith("pods on it: none yet")


def with_template(item: dict[str, Any], image: str, **extra: Any) -> dict[str, Any]:
    template = {
        "metadata": {"labels": {"app": "nginx-sts"}, **extra},
        "spec": {"containers": [{"name": "nginx", "image": image}]},
    }
    return {**item, "data": {"spec": {"template": {"$patch": "replace", **template}}}}


def test_the_parser_reads_each_revisions_images_and_a_digest_of_its_template() -> None:
    a = with_template(controller_revision("web-sts-aaa", 3, "2026-12-07T10:00:00Z"), OLD)
    b = with_template(controller_revision("web-sts-bbb", 2, "2026-12-07T10:05:00Z"), NEW)
    stamped = with_template(controller_revision("web-sts-ccc", 4, "2026-12-07T10:09:00Z"), OLD, annotations={"at": "1"})
    revisions = {r.name: r for r in parse_revisions({"items": [a, b, stamped]}, OWNER)}
    assert revisions["web-sts-aaa"].images == [OLD] and revisions["web-sts-bbb"].images == [NEW]
    assert len({r.template for r in revisions.values()}) == 3
    same_again = with_template(controller_revision("web-sts-zzz", 5, "2026-12-07T10:10:00Z"), OLD)
    assert parse_revisions({"items": [same_again]}, OWNER)[0].template == revisions["web-sts-aaa"].template


def test_a_revision_without_data_has_no_template() -> None:
    (r,) = parse_revisions({"items": [controller_revision("web-sts-aaa", 1, "2026-12-07T10:00:00Z")]}, OWNER)
    assert (r.images, r.template) == ([], "")


def test_an_older_different_image_alone_is_no_way_back() -> None:
    """Y, then X, then X with another probe setting: the image never went away and came back."""
    y = Revision("web-sts-yyy", 1, "2026-12-07T09:50:00Z", [NEW], "t-y")
    x = Revision("web-sts-xxx", 2, "2026-12-07T10:00:00Z", [OLD], "t-x")
    probe_changed = Revision("web-sts-zzz", 3, "2026-12-07T10:05:00Z", [OLD], "t-x-probe")
    assert judged([y, x, probe_changed], "web-sts-zzz") == []


def test_a_revision_made_in_the_same_second_as_the_update_does_not_make_it_brought_back() -> None:
    first = replace(FIRST, number=1)
    same_second = Revision("web-sts-bbb", 2, FIRST.created, [NEW], "t-new")
    update = Revision("web-sts-ccc", 3, FIRST.created, [NEW + "-b"], "t-b")
    assert judged([first, same_second, update], "web-sts-ccc") == []


def test_the_evidence_names_every_revision_with_its_images() -> None:
    (check,) = judged([SECOND, FIRST], "web-sts-aaa")
    assert check.observed == (
        "update revision web-sts-aaa (#3, registry.k8s.io/nginx-slim:0.24, made 10:00:00); "
        "others: web-sts-bbb (#2, registry.k8s.io/nginx-slim:0.21, made 10:05:00); "
        "it is the revision first made for this template, renumbered; pods on it: web-sts-0, web-sts-1"
    )
    (bare,) = judged([SECOND, replace(FIRST, images=[])], "web-sts-aaa")
    assert bare.observed.startswith("update revision web-sts-aaa (#3, no image, made 10:00:00)")

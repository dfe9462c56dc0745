"""The tour's page in a real browser: headless Chromium renders a page made
from the recorded lesson documents to its DOM and to a screenshot; every
step and every check of every step must be in the DOM, and the screenshot
must show a page, not a blank. Without Chromium the test fails and says how
to install it (report page's browser test, whose helpers this reuses)."""

from __future__ import annotations

import pytest

from tests.fixtures.documents.page_reader import PageReader
from tests.unit.recorded_tour import recorded_tour
from tests.unit.test_report_page_in_chromium import HEIGHT, WIDTH, Rendered, pixels, render
from tour.page import render_tour_page, step_anchor

PASS_BADGE = bytes((0xC6, 0xF6, 0xD5))
"""The background of a passed mark (--pass-bg), which the header's tally shows."""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    tmp = tmp_path_factory.mktemp("tour-chromium")
    page = tmp / "tour.html"
    page.write_text(render_tour_page(recorded_tour()))
    return render(tmp, page, page, timeout=90)


def test_every_step_and_every_check_of_each_is_in_the_browsers_dom(rendered: Rendered) -> None:
    page = PageReader(rendered.dom)
    run = recorded_tour()
    steps = {e.attrs["id"]: e for e in page.find("div", "step")}
    assert set(steps) == {step_anchor(s) for s in run.steps}
    for step in run.steps:
        result = run.results.get(step.name)
        if result is None or result.document is None:
            continue
        shown = steps[step_anchor(step)]
        checks = [e for e in page.find("div", "check") if e.within("div", "step") is shown]
        assert len(checks) == len(result.document.checks), step.name
        text = shown.all_text
        assert all(check.name in text for check in result.document.checks), step.name


def test_each_steps_timeline_names_who_did_what(rendered: Rendered) -> None:
    """The recorded adopt step: the StatefulSet controller created web-sts-0 and deleted web-sts-2."""
    page = PageReader(rendered.dom)
    run = recorded_tour()
    adopt = next(s for s in run.steps if s.name == "adopt")
    (shown,) = [e for e in page.find("div", "step") if e.attrs["id"] == step_anchor(adopt)]
    whos = [t.all_text for t in page.find("text", "who") if t.within("div", "step") is shown]
    assert "created by the StatefulSet controller" in whos
    assert "created by the StatefulSet controller; deleted by the StatefulSet controller" in whos
    assert "who: from the controllers' events" in shown.all_text, "recorded before the probes read an audit log"


def test_the_tour_screenshot_shows_a_page_not_a_blank(rendered: Rendered) -> None:
    width, height, rows = pixels(rendered.png)
    assert (width, height) == (WIDTH, HEIGHT)
    colours = {row[x : x + 3] for row in rows[::8] for x in range(0, len(row), 3 * 8)}
    coloured = sum(row[x : x + 3] != b"\xff\xff\xff" for row in rows[::8] for x in range(0, len(row), 3 * 8))
    assert len(colours) > 50, f"only {len(colours)} colours: a blank or broken page"
    assert coloured > (height // 8) * (width // 8) * 0.05, "nearly all of the page is white"
    assert any(PASS_BADGE in row for row in rows), "the header's tally of passed checks is drawn"

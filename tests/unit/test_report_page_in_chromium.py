"""The report page in a real browser: headless Chromium (Debian's `chromium`,
installed by `make system-packages`) renders a page made from an observer
document with failed and inconclusive checks, to its DOM and to a 1280 px
wide screenshot. Every check and both workloads must be in the DOM, the
timeline's axis must be round and span the window its title names, and the
screenshot must show a page, not a blank.

Without Chromium this test fails and says how to install it: a skipped
browser test would let a page no browser can show pass unnoticed.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from probes.facts import FAILED, INCONCLUSIVE, verdict_of
from report.page import RunRecord, render_page
from tests.fixtures.documents import document, load
from tests.fixtures.documents.page_reader import PageReader

CHROMIUM = Path("/usr/bin/chromium")
WIDTH, HEIGHT = 1280, 2000
DOCUMENT = "pod-away-from-volume"
MEASURE = """<script>
const sticking = [...document.querySelectorAll("section *")].filter(
  (e) => e.getBoundingClientRect().right > e.closest("section").getBoundingClientRect().right + 1);
document.body.dataset.pageWidth = document.documentElement.scrollWidth;
document.body.dataset.sticking = sticking.map((e) => e.tagName + "." + e.getAttribute("class")).join(" ");
</script>"""
"""Measures, in a copy of the page for the DOM dump only (the page has no script): its width, and
what sticks out of its section."""
FAIL_BADGE = (0xFE, 0xD7, 0xD7)
"""The background of a FAIL mark (--fail-bg), which the page's header shows for a failed check."""


def browser() -> str:
    """The Chromium binary; the test fails, saying how to install it, without one."""
    found = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    if found is None:
        pytest.fail("headless Chromium is not installed: run `make system-packages` (installs Debian's chromium)")
    return found


def chromium(profile: Path, *args: str) -> subprocess.Popen[bytes]:
    """Headless Chromium with nothing of its own going to the network."""
    return subprocess.Popen(
        [
            browser(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--window-size={WIDTH},{HEIGHT}",
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@dataclass(frozen=True)
class Rendered:
    dom: str
    png: bytes


def render(tmp: Path, page: Path, dom_page: Path, timeout: float = 60) -> Rendered:
    """The screenshot of `page` and the DOM of `dom_page` (the page, or a copy that measures itself)."""
    screenshot = tmp / "page.png"
    # Both renderings at once, each with a profile of its own.
    shooting = chromium(tmp / "profile-shot", f"--screenshot={screenshot}", page.as_uri())
    dumping = chromium(tmp / "profile-dom", "--dump-dom", dom_page.as_uri())
    dom, dom_err = dumping.communicate(timeout=timeout)
    _, shot_err = shooting.communicate(timeout=timeout)
    assert dumping.returncode == 0, dom_err.decode(errors="replace")[-2000:]
    assert shooting.returncode == 0 and screenshot.exists(), shot_err.decode(errors="replace")[-2000:]
    return Rendered(dom.decode(), screenshot.read_bytes())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    tmp = tmp_path_factory.mktemp("chromium")
    page = tmp / "report.html"
    page.write_text(render_page(document(DOCUMENT), RunRecord("seed", "v3.260.0", ["kubernetes 4.25.0"])))
    measured = tmp / "measured.html"
    measured.write_text(page.read_text().replace("</body>", MEASURE + "</body>"))
    return render(tmp, page, measured)


def test_every_check_and_both_workloads_are_in_the_browsers_dom(rendered: Rendered) -> None:
    doc = load(DOCUMENT)
    page = PageReader(rendered.dom)
    text = page.all_text
    assert "StatefulSet web-sts" in text and "Deployment web-dep" in text
    for check in doc["checks"]:
        assert check["name"] in text, check["name"]
    checks = page.find("div", "check")
    assert len(checks) == len(doc["checks"])
    failing = [c for c in doc["checks"] if verdict_of(c) in (FAILED, INCONCLUSIVE)]
    assert failing and len([c for c in checks if "failed" in c.classes or "inconclusive" in c.classes]) == len(failing)
    assert len(page.find("svg")) >= 2, "the timeline and the topology are drawn"


def test_the_timeline_in_the_browser_has_round_ticks_over_the_window_it_names(rendered: Rendered) -> None:
    page = PageReader(rendered.dom)
    (section,) = [s for s in page.find("section") if s.attrs.get("id") == "timeline"]
    window = int(re.search(r"the (\d+) s before", section.all_text).group(1))  # type: ignore[union-attr]
    ticks = [int(t) for t in re.findall(r"\+(\d+)s", section.all_text)]
    assert ticks[0] == 0 and ticks[-1] == window
    step = ticks[1] - ticks[0]
    assert re.fullmatch(r"[125]0*", str(step)) and ticks == list(range(0, window + 1, step))


def test_the_timeline_in_the_browser_names_who_created_each_pod_and_its_source(rendered: Rendered) -> None:
    """The document's pods were created by their controllers: their events say so (no audit log in it)."""
    page = PageReader(rendered.dom)
    (section,) = [s for s in page.find("section") if s.attrs.get("id") == "timeline"]
    whos = [t.all_text for t in page.find("text", "who") if t.within("section") is section]
    doc = document(DOCUMENT)
    assert len(whos) >= len(doc.pods.statefulset) + len(doc.pods.deployment)
    assert "created by the StatefulSet controller" in whos
    assert any(w.startswith("created by the ReplicaSet controller") for w in whos)
    assert "who: from the controllers' events" in section.all_text


def test_nothing_sticks_out_at_1280_px(rendered: Rendered) -> None:
    (body,) = PageReader(rendered.dom).find("body")
    assert int(body.attrs["data-page-width"]) <= WIDTH
    assert body.attrs["data-sticking"] == ""


def pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB rows of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, compressed = 8, []
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind, body = png[position + 4 : position + 8], png[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
        elif kind == b"IDAT":
            compressed.append(body)
    channels = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(b"".join(compressed)), width * channels
    rows, previous = [], bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        rows.append(_unfilter(raw[start], raw[start + 1 : start + 1 + stride], previous, channels))
        previous = rows[-1]
    return width, height, [bytes(b for i, b in enumerate(row) if i % channels < 3) for row in rows]


def _unfilter(kind: int, line: bytes, previous: bytes, channels: int) -> bytes:
    """Undoes one row's PNG filter (None, Sub, Up, Average, Paeth)."""
    if kind == 0:
        return line
    current = bytearray(line)
    for x in range(len(current)):
        left = current[x - channels] if x >= channels else 0
        up, corner = previous[x], previous[x - channels] if x >= channels else 0
        if kind == 1:
            current[x] = (current[x] + left) & 0xFF
        elif kind == 2:
            current[x] = (current[x] + up) & 0xFF
        elif kind == 3:
            current[x] = (current[x] + (left + up) // 2) & 0xFF
        else:
            guess = left + up - corner
            near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))
            current[x] = (current[x] + near[2]) & 0xFF
    return bytes(current)


def test_the_screenshot_shows_a_page_not_a_blank(rendered: Rendered) -> None:
    width, height, rows = pixels(rendered.png)
    assert (width, height) == (WIDTH, HEIGHT)
    colours, coloured = set(), 0
    for row in rows[::4]:
        for x in range(0, len(row), 3 * 4):
            rgb = row[x : x + 3]
            colours.add(rgb)
            coloured += rgb != b"\xff\xff\xff"
    sampled = (height // 4) * (width // 4)
    assert len(colours) > 100, f"only {len(colours)} colours: a blank or broken page"
    assert coloured > sampled * 0.2, "most of the page is white"
    assert any(bytes(FAIL_BADGE) in row for row in rows), "the failed check's mark is drawn"

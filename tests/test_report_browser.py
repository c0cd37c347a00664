"""The HTML report in a real browser: headless Chromium driven by Playwright.

The system Chromium is used (``playwright install`` downloads a browser, which the
project's machines cannot do): ``make test`` installs it with
scripts/install-chromium, or PLAINT_CHROMIUM names one. These tests fail, and do
not skip, when it is missing: a report nobody has opened is not tested.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import MINIMAL_SPEC, REPO, STRUCTURAL_ONLY_CONFIG, run_plaint

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    pytest.fail("Python playwright is not installed: run `make test`, which installs the test extra",
                pytrace=False)

CURRENT = REPO / "process_specs" / "before-and-after" / "housing-association-current.yaml"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]

# A process with a finding of each kind: an error (a step nobody reaches), a warning (a role
# that owns nothing) and a waived warning (a second idle role).
MIXED = MINIMAL_SPEC.replace(
    "roles:\n  agent:\n    title: Complaints agent\n",
    "roles:\n  agent:\n    title: Complaints agent\n  idle: {title: Idle}\n  spare: {title: Spare}\n",
) + """\
  orphan: {kind: task, owner: agent, next: close}
waivers:
  - {rule: unused-role, at: spare, reason: kept for the winter, approved_by: Head of service,
     expires: 2030-01-01}
"""

HOSTILE_TITLE = "<script>alert(1)</script> \"'><img src=x onerror=alert(2)> {{ 7*7 }} \\ back\\slash"
HOSTILE = """\
plaint: 1
process:
  id: hostile
  title: "<script>alert(1)</script> \\"'><img src=x onerror=alert(2)> {{ 7*7 }} \\\\ back\\\\slash"
  owner: manager
roles:
  agent: {title: "\\"'><img src=x onerror=alert(3)>"}
  manager: {title: "</svg><script>alert(4)</script>", senior: true}
channels:
  phone: {kind: phone, free: true}
steps:
  receive:
    kind: receive
    title: "<script>alert(5)</script>"
    owner: agent
    channels: [phone]
    next: respond
  respond:
    kind: respond
    title: "\\"'><img src=x onerror=alert(6)> {{ x }} \\x07bell \\u202eevil"
    owner: manager
    next: close
  close: {kind: close, owner: agent, title: "]]></text><script>alert(7)</script>"}
  orphan: {kind: task, owner: agent, title: "<b onmouseover=alert(8)>orphan</b>", next: close}
waivers:
  - {rule: unreachable-step, at: orphan, reason: "</td><script>alert(9)</script>",
     approved_by: "<img src=x onerror=alert(10)>", expires: 2020-01-01}
"""


def chromium() -> str:
    """The Chromium to drive: $PLAINT_CHROMIUM, else chromium on the PATH, else /usr/bin/chromium."""
    given = os.environ.get("PLAINT_CHROMIUM")
    candidates = [given] if given else [shutil.which("chromium"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    where = f"PLAINT_CHROMIUM={given} is not an executable" if given else "no chromium found"
    pytest.fail(f"the browser tests need Chromium ({where}): run `make test`, which installs it "
                "with scripts/install-chromium, or set PLAINT_CHROMIUM to a Chromium executable",
                pytrace=False)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    (folder / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (folder / "mixed.yaml").write_text(MIXED)
    (folder / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    out = {}
    for name, spec in [("current", CURRENT), ("mixed", folder / "mixed.yaml"),
                       ("hostile", folder / "hostile.yaml")]:
        out[name] = folder / f"{name}.html"
        proc = run_plaint("report", spec, "--today", "2026-12-01", "-o", out[name])
        assert proc.returncode in (0, 1), proc.stderr
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@dataclass
class Watched:
    """A page with everything it said and asked for."""

    page: Page
    url: str = ""
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: Path) -> Page:
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        return self.page

    @property
    def elsewhere(self) -> list[str]:
        """Requests for anything but the report file itself."""
        return [r for r in self.requests if r.split("#", 1)[0] != self.url]


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    # Reduced motion: scrolling is instant, so what a click shows is there at once.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce",
                                  java_script_enabled=True)
    page = context.new_page()
    w = Watched(page)
    page.on("console", lambda m: w.console.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: w.errors.append(str(e)))
    page.on("request", lambda r: w.requests.append(r.url))

    def dialog(d: object) -> None:
        w.dialogs.append(getattr(d, "message", "?"))
        d.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", dialog)
    yield w
    context.close()


def has_class(page: Page, element_id: str, name: str) -> bool:
    return page.evaluate("([id, name]) => document.getElementById(id).classList.contains(name)",
                         [element_id, name])


def highlighted(page: Page) -> list[str]:
    return page.evaluate("() => Array.from(document.querySelectorAll('.highlight'), e => e.id)")


# -- the diagram and the findings -----------------------------------------------------------------


def test_diagram_is_visible(watched: Watched, reports: dict[str, Path]) -> None:
    page = watched.open(reports["current"])
    svg = page.locator(".diagram svg")
    assert svg.count() == 1 and svg.is_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    step = page.locator("#f1-step-investigate")
    assert step.is_visible()
    step_box = step.bounding_box()
    assert step_box is not None and step_box["width"] > 10 and step_box["height"] > 10


def test_clicking_a_finding_highlights_its_step(watched: Watched, reports: dict[str, Path]) -> None:
    page = watched.open(reports["current"])
    assert highlighted(page) == []
    page.click("#f1-finding-6 td.message")  # a row about step 'investigate'
    assert has_class(page, "f1-step-investigate", "highlight")
    assert has_class(page, "f1-finding-6", "highlight")
    # The step is brought into view (inside the diagram's own scrolling too).
    assert page.locator("#f1-step-investigate").is_visible()
    in_view = page.evaluate("""() => {
        const r = document.getElementById('f1-step-investigate').getBoundingClientRect();
        const d = document.querySelector('.diagram').getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight && r.left >= d.left - 1 && r.right <= d.right + 1;
    }""")
    assert in_view
    # Another finding moves the highlight.
    page.click("#f1-finding-9 td.message")  # step 'stage2-review'
    assert sorted(highlighted(page)) == ["f1-finding-9", "f1-step-stage2-review"]


def test_finding_button_works_from_the_keyboard(watched: Watched, reports: dict[str, Path]) -> None:
    page = watched.open(reports["current"])
    button = page.locator("#f1-finding-9 button.locate")
    assert button.get_attribute("aria-label") == "Finding 9: show step stage2-review on the diagram"
    button.focus()
    page.keyboard.press("Enter")
    assert has_class(page, "f1-step-stage2-review", "highlight")
    page.keyboard.press("Escape")
    assert highlighted(page) == []


def test_clicking_a_step_highlights_its_findings(watched: Watched, reports: dict[str, Path]) -> None:
    page = watched.open(reports["current"])
    page.locator("#f1-step-investigate").click()
    # Both findings about 'investigate' (6 and 7), and nothing else.
    assert sorted(highlighted(page)) == ["f1-finding-6", "f1-finding-7", "f1-step-investigate"]
    assert "#" not in page.url, "the click shows the rows instead of jumping to a link"
    assert page.locator("#f1-finding-6").is_visible()
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "f1-finding-6"
    # From the keyboard: a step with findings is a link, reached with Tab, used with Enter.
    page.locator("#f1-step-stage2-review a").focus()
    page.keyboard.press("Enter")
    assert "f1-finding-9" in highlighted(page) and "f1-step-stage2-review" in highlighted(page)


def test_coverage_evidence_shows_the_step(watched: Watched, reports: dict[str, Path]) -> None:
    page = watched.open(reports["current"])
    page.locator('#f1-coverage ~ * button.step-link[data-step="quarterly-report"]').first.click()
    assert "f1-step-quarterly-report" in highlighted(page)


# -- filters --------------------------------------------------------------------------------------


def visible_rows(page: Page) -> list[str]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('tr.finding'))
        .filter(r => r.offsetParent !== null).map(r => r.dataset.level + ':' + r.dataset.pack)""")


def test_severity_filter_hides_rows(watched: Watched, reports: dict[str, Path]) -> None:
    page = watched.open(reports["mixed"])
    everything = visible_rows(page)
    assert sorted(everything) == ["error:structural", "waived:structural", "warning:structural"]
    warning = page.locator('.filters button[data-level="warning"]')
    assert warning.get_attribute("aria-pressed") == "true"
    warning.click()
    assert warning.get_attribute("aria-pressed") == "false"
    assert sorted(visible_rows(page)) == ["error:structural", "waived:structural"]
    page.locator('.filters button[data-level="waived"]').click()
    assert visible_rows(page) == ["error:structural"]
    assert page.locator(".filters .status").inner_text() == "Showing 1 of 3 findings"
    page.locator('.filters button[data-pack="structural"]').click()
    assert visible_rows(page) == []
    assert page.locator("tr.no-match").is_visible()
    page.locator(".filters button.reset").click()
    assert sorted(visible_rows(page)) == sorted(everything)
    assert not page.locator("tr.no-match").is_visible()


def test_printing_shows_every_row_and_hides_controls(watched: Watched, reports: dict[str, Path]) -> None:
    page = watched.open(reports["mixed"])
    page.locator('.filters button[data-level="error"]').click()
    assert len(visible_rows(page)) == 2
    page.emulate_media(media="print")
    assert len(visible_rows(page)) == 3, "a filtered-out row is still printed"
    assert not page.locator(".filters").is_visible()
    assert not page.locator(".topnav").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000


# -- the page as a whole -----------------------------------------------------------------------------


def png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of pixels (RGB or RGBA bytes) of an 8-bit PNG, without Pillow."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = depth = colour = 0
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        kind, data = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", data[:10])
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    assert depth == 8 and colour in (2, 6), "screenshots are 8-bit RGB or RGBA"
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows: list[bytes] = []
    prior = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prior[x], prior[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prior = line
    return width, height, rows


def test_png_decoder_sees_a_blank_page_as_one_colour(watched: Watched) -> None:
    # The decoder that judges the screenshots must be able to say "blank".
    watched.page.set_content("<html><body style='background:#fff'></body></html>")
    width, height, rows = png_pixels(watched.page.screenshot())
    colours = {row[x:x + 3] for row in rows[::7] for x in range(0, width * 3, 3 * 5)}
    assert (width, height) == (1280, 900) and colours == {b"\xff\xff\xff"}


def test_screenshot_is_not_blank(watched: Watched, reports: dict[str, Path]) -> None:
    page = watched.open(reports["current"])
    width, height, rows = png_pixels(page.screenshot())
    assert (width, height) == (1280, 900)
    sample = [row[x:x + 3] for row in rows[::3] for x in range(0, width * 3, 9)]
    colours = set(sample)
    assert len(colours) > 20, "the page shows text and colour, not one flat colour"
    ink = sum(1 for c in sample if c != b"\xff\xff\xff") / len(sample)
    assert ink > 0.03


def test_no_console_errors_and_no_network(watched: Watched, reports: dict[str, Path]) -> None:
    page = watched.open(reports["current"])
    page.click("#f1-finding-6 td.message")
    page.locator("#f1-step-stage2-review").click()
    page.locator(".diagram-tools button.zoom").click()
    page.locator('.filters button[data-level="warning"]').click()
    for details in page.locator("details").all()[:2]:
        details.locator("summary").click()
    page.emulate_media(media="print")
    page.pdf(format="A4")
    assert watched.console == []
    assert watched.errors == []
    assert watched.elsewhere == [], "the report must load nothing but itself"


def test_hostile_spec_text_stays_text(watched: Watched, reports: dict[str, Path]) -> None:
    page = watched.open(reports["hostile"])
    # Give anything that might run a chance to: click every step and row, hover over titles.
    for step in page.locator(".diagram g.node").all():
        step.click(force=True)
    for row in page.locator("tr.finding td.message").all()[:5]:
        row.click()
    page.locator(".diagram text").first.hover()
    page.wait_for_timeout(200)
    assert watched.dialogs == []
    assert watched.errors == []
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert HOSTILE_TITLE in page.title()
    assert page.locator("img, iframe, object, embed").count() == 0
    assert page.locator("script").count() == 1
    tooltip = page.locator("#f1-step-receive a").get_attribute("xlink:title") or ""
    assert tooltip.startswith("<script>alert(5)</script>")
    text = page.locator("body").inner_text()
    assert "\x07" not in text and "\u202e" not in text
    assert "</td><script>alert(9)</script>" in text
    assert watched.elsewhere == []

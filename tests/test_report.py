"""plaint report: the HTML audit report, through the installed command as a user runs it.

What the page does in a browser (the diagram, clicks, filters, printing) is tested
in tests/test_report_browser.py; here: what the file holds, escaping, determinism,
exit codes and writing the file.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import MINIMAL_SPEC, PLAINT, REPO, STRUCTURAL_ONLY_CONFIG, run_plaint

SPECS = REPO / "process_specs"
CURRENT = SPECS / "before-and-after" / "housing-association-current.yaml"
SMALL_BUSINESS = SPECS / "small-business.yaml"
CHRISTMAS = SPECS / "regulated" / "asic-credit-provider.yaml"  # breaks a deadline at Christmas
TODAY = "2026-12-01"  # the examples' waivers are current on this date
WHEN = "2026-12-01T09:30:00Z"

# The spec every hostile-text test uses: each string that could break out of HTML, SVG,
# a template or a script, in every place a spec holds text.
HOSTILE = r"""plaint: 1
process:
  id: hostile
  title: "<script>alert(1)</script> {{ 7*7 }} {% raw %} ${x} \\ back\\slash \x07bell \u202eevil"
  owner: manager
roles:
  agent: {title: "\"'><img src=x onerror=alert(2)>"}
  manager: {title: "</svg><script>alert(3)</script>", senior: true}
channels:
  phone: {kind: phone, free: true, where: "javascript:alert(10)"}
steps:
  receive:
    kind: receive
    title: "<script>alert(4)</script>"
    owner: agent
    channels: [phone]
    next: respond
  respond:
    kind: respond
    title: "\"'><img src=x onerror=alert(5)> {{ x }} \\n \x1b[31m"
    owner: manager
    next: close
  close: {kind: close, owner: agent, title: "]]></text><script>alert(6)</script>"}
  orphan: {kind: task, owner: agent, title: "<b onmouseover=alert(7)>orphan</b>", next: close}
waivers:
  - rule: unreachable-step
    at: orphan
    reason: "</td></tr><script>alert(8)</script>"
    approved_by: "<img src=x onerror=alert(9)>"
    expires: 2020-01-01
"""

# Characters that must never reach the page raw: C0/C1 controls and text-reordering marks.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def report(*args: str | Path, out: Path, cwd: Path = REPO, env: dict[str, str] | None = None,
           ) -> tuple[int, str, str, str]:
    """Run ``plaint report ... -o out``; returns (exit code, html, stdout, stderr)."""
    base = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    proc = subprocess.run([str(PLAINT), "report", *map(str, args), "-o", str(out)], cwd=cwd,
                          env={**base, "NO_COLOR": "1", **(env or {})}, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    html = out.read_text(encoding="utf-8") if out.exists() else ""
    return proc.returncode, html, proc.stdout, proc.stderr


class _Page(HTMLParser):
    """Tags, ids and text of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.script = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.append(found["id"] or "")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script += data
        else:
            self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def rows_of(html: str, table_class: str) -> list[str]:
    """The <tr> elements of the first table with this class, as HTML text."""
    table = re.search(rf'<table class="{table_class}">(.*?)</table>', html, re.DOTALL)
    assert table, f"no table.{table_class}"
    return re.findall(r"<tr\b.*?</tr>", table.group(1), re.DOTALL)


def row_headed(html: str, section: str, header: str) -> str:
    """The table row of a section (coverage, timing, ...) whose row header starts with ``header``."""
    start = html.index(f'<section class="{section}-section')
    part = html[start:html.index("</section>", start)]
    for tr in re.findall(r"<tr\b.*?</tr>", part, re.DOTALL):
        if re.search(rf'<th scope="row">{re.escape(header)}(?![\w-])', tr):
            return tr
    raise AssertionError(f"no row '{header}' in the {section} section")


@pytest.fixture(scope="module")
def current(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, str]:
    """The report of the housing association's current process (13 warnings)."""
    out = tmp_path_factory.mktemp("current") / "report.html"
    code, html, stdout, _ = report(CURRENT, "--today", TODAY, "--generated-at", WHEN, out=out)
    return code, html, stdout


# -- what the report holds ------------------------------------------------------------------


def test_report_has_every_section(current: tuple[int, str, str]) -> None:
    code, html, stdout = current
    assert code == 0  # warnings only
    assert "report.html: 1 file, PASS" in stdout
    ids = set(parse(html).ids)
    for section in ("summary", "diagram", "findings", "coverage", "timing", "waivers"):
        assert f"f1-{section}" in ids, section
    assert "run-metadata" in ids
    assert html.count("<svg") == 1
    assert 'id="f1-step-' in html.replace("&#45;", "-")  # the diagram's steps, prefixed
    numbers = [i for i in ids if i.startswith("f1-finding-")]
    assert sorted(numbers, key=lambda i: int(i.rsplit("-", 1)[1])) == [
        f"f1-finding-{n}" for n in range(1, 14)]


def test_summary_counts_and_verdict(current: tuple[int, str, str]) -> None:
    html = current[1]
    summary = re.search(r'<section class="summary".*?</section>', html, re.DOTALL).group(0)
    assert "✓ PASS" in summary
    counts = dict(re.findall(r'<li class="sev-(\w+)[^"]*"><span class="n">(\d+)</span>', summary))
    assert counts == {"error": "0", "warning": "13", "info": "0", "waived": "0"}
    assert "<code>iso10002</code> 1.0.0" in summary
    digest = hashlib.sha256(CURRENT.read_bytes()).hexdigest()
    assert digest in summary


def test_findings_table_links_rows_to_steps(current: tuple[int, str, str]) -> None:
    html = current[1]
    rows = [r for r in rows_of(html, "findings") if 'class="finding' in r]
    assert len(rows) == 13
    # Finding 6 is about step 'investigate' (line 191): it can be shown on the diagram.
    six = next(r for r in rows if 'id="f1-finding-6"' in r)
    assert 'data-step="investigate"' in six and 'data-level="warning"' in six
    assert 'data-pack="iso10002"' in six and "line 191, col 3" in six
    assert "acknowledgement-before-investigation" in six
    assert "ISO 10002:2018 4.6 (number not verified): Responsiveness" in six
    # Finding 1 is about the process as a whole: nothing on the diagram to show.
    one = next(r for r in rows if 'id="f1-finding-1"' in r)
    assert "data-step" not in one and "button" not in one
    # The diagram's step links to its first finding.
    assert 'xlink:href="#f1-finding-6"' in html


def test_coverage_matrix_statuses(current: tuple[int, str, str]) -> None:
    html = current[1]
    commitment = row_headed(html, "coverage", "Commitment")
    assert "badge st-finding" in commitment
    assert "process-owner-senior" in commitment and 'href="#f1-finding-1"' in commitment
    assert "ISO 10002:2018 4.2" in commitment
    accessibility = row_headed(html, "coverage", "Accessibility")
    assert re.search(r'<td><span class="badge st-met">', accessibility)
    assert "<code>letter</code>" in accessibility or 'data-step="' not in accessibility
    statuses = re.findall(r'<td><span class="badge st-([\w-]+)">', "".join(rows_of(html, "coverage")))
    assert {"met", "finding", "not-applicable"} <= set(statuses)


@pytest.fixture(scope="module")
def christmas(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str]:
    """The report of the credit provider whose 30-day deadline breaks at Christmas."""
    out = tmp_path_factory.mktemp("christmas") / "report.html"
    code, html, _, _ = report(CHRISTMAS, "--today", TODAY, "--generated-at", WHEN, out=out)
    return code, html


def test_coverage_of_a_regulated_process_lists_its_rules(christmas: tuple[int, str]) -> None:
    code, html = christmas
    assert code == 1  # the 30-day deadline is broken at Christmas
    assert "ASIC RG 271" in html
    row = row_headed(html, "coverage", "asic-idr-response-within-30-days")
    assert "badge st-finding" in row


def test_timing_table(christmas: tuple[int, str]) -> None:
    html = christmas[1]
    broken = row_headed(html, "timing", "idr-response")
    assert "badge st-broken" in broken
    assert "30 calendar days" in broken
    assert "−3 calendar days and 3 hours" in broken  # the worst margin, negative
    assert "2026-12-01 (a Tuesday)" in broken
    kept = row_headed(html, "timing", "acknowledge")
    assert "badge st-kept" in kept
    # Each promise carries its critical path, collapsible.
    assert html.count("<summary>Critical path of the worst case") == len(
        re.findall(r'<tr class="promise-row">', html))
    assert "Broken for 25 of the 365 start dates of 2026" in html


def test_waivers_applied(tmp_path: Path) -> None:
    code, html, _, _ = report(SMALL_BUSINESS, "--today", TODAY, "--generated-at", WHEN,
                              out=tmp_path / "r.html")
    assert code == 0
    (row,) = [r for r in rows_of(html, "waivers") if "<th" in r and "scope=\"row\"" in r]
    assert "channels-free-of-charge" in row and "<code>phone</code>" in row
    assert "Owner (Spokes &amp; Sprockets), 2026-03-03" in row
    assert "2027-12-31" in row and "Applied" in row and 'href="#f1-finding-1"' in row
    assert 'class="waiver-note"' in html  # shown with the finding it covers


def test_waivers_expired_and_unused(tmp_path: Path) -> None:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    spec = tmp_path / "spec.yaml"
    spec.write_text(MINIMAL_SPEC + (
        "waivers:\n"
        "  - {rule: unreachable-step, at: receive, reason: old, approved_by: Ann, expires: 2020-01-01}\n"
        "  - {rule: unreachable-step, at: close, reason: spare, approved_by: Bob, expires: 2030-01-01}\n"
        "  - {rule: no-such-rule, at: close, reason: typo, approved_by: Cy, expires: 2030-01-01}\n"))
    code, html, _, _ = report(spec, "--today", TODAY, out=tmp_path / "r.html")
    assert code == 1  # an expired waiver is an error
    rows = [r for r in rows_of(html, "waivers") if 'scope="row"' in r]
    states = [re.search(r'class="badge st-([\w-]+)"', r).group(1) for r in rows]
    assert states == ["expired", "unused", "unknown-rule"]
    findings = {re.search(r'id="f1-finding-(\d+)"', r).group(1): r
                for r in rows_of(html, "findings") if 'class="finding' in r}
    for row, rule in zip(rows, ["waiver-expired", "waiver-unused", "waiver-unknown-rule"], strict=True):
        number = re.search(r'href="#f1-finding-(\d+)"', row).group(1)
        assert rule in findings[number]


def test_run_metadata(current: tuple[int, str, str]) -> None:
    html = current[1]
    meta = html[html.index('id="run-metadata"'):]
    assert "plaint 0." in meta or "plaint 1." in meta
    assert "2026-12-01T09:30:00Z" in meta and "given with --generated-at" in meta
    assert "<code>2026-12-01</code>" in meta and "given with --today" in meta
    assert "--fail-on error" in meta
    assert hashlib.sha256(CURRENT.read_bytes()).hexdigest() in meta
    assert re.search(r"<code>iso10002</code></th><td>ISO 10002:2018[^<]*</td><td>1\.0\.0</td>", meta)


# -- escaping ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("hostile")
    spec = folder / "hostile.yaml"
    spec.write_text(HOSTILE, encoding="utf-8")
    code, html, _, stderr = report(spec, "--today", TODAY, out=folder / "r.html")
    assert code == 1, stderr
    return html


def test_spec_text_never_becomes_markup(hostile: str) -> None:
    page = parse(hostile)
    scripts = [t for t, _ in page.tags if t == "script"]
    assert len(scripts) == 1, "only the report's own script"
    assert not [t for t, _ in page.tags if t in ("img", "iframe", "object", "embed", "b")]
    for tag, attrs in page.tags:
        for name in attrs:
            assert not name.startswith("on"), f"<{tag} {name}> is an event handler"
    assert "alert(" not in page.script
    text = "".join(page.text)
    assert "<script>alert(1)</script>" in text  # shown as text, not run
    assert "</td></tr><script>alert(8)</script>" in text
    assert "<img src=x onerror=alert(9)>" in text


def test_template_syntax_in_spec_text_is_not_evaluated(hostile: str) -> None:
    text = "".join(parse(hostile).text)
    assert "{{ 7*7 }} {% raw %} ${x} \\ back\\slash" in text
    assert " 49 " not in text


def test_control_and_reordering_characters_are_shown_not_sent(hostile: str) -> None:
    assert not INVISIBLE.search(hostile)
    text = "".join(parse(hostile).text)
    assert "\\u0007bell \\u202eevil" in text


# -- no network ---------------------------------------------------------------------------------


def test_no_external_resources(current: tuple[int, str, str]) -> None:
    html = current[1]
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "object", "embed", "img", "base"), tag
        for name in ("src", "href", "xlink:href", "action", "data", "poster"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*(https?:|//|ftp:|file:)", value, re.I), (tag, name, value)
    assert not re.search(r"url\(\s*['\"]?(?!#|data:)", html), "a CSS url() that loads something"
    assert "@import" not in html


def test_content_security_policy_allows_only_the_report_script(current: tuple[int, str, str]) -> None:
    html = current[1]
    page = parse(html)
    policy = next(a["content"] for t, a in page.tags
                  if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy
    digest = base64.b64encode(hashlib.sha256(page.script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy, "the CSP must match the script, or it is blocked"


# -- determinism ---------------------------------------------------------------------------------


def test_same_input_and_time_give_identical_bytes(tmp_path: Path) -> None:
    # Two runs at once, with different hash seeds: nothing may depend on set or dict order.
    args = (SPECS, "--today", TODAY, "--generated-at", WHEN)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda seed: report(*args, out=tmp_path / f"{seed}.html",
                                                 env={"PYTHONHASHSEED": seed}), ["1", "2"]))
    assert [r[0] for r in runs] == [1, 1]
    assert (tmp_path / "1.html").read_bytes() == (tmp_path / "2.html").read_bytes()


def test_source_date_epoch_fixes_the_time(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.html", tmp_path / "b.html", tmp_path / "c.html"
    env = {"SOURCE_DATE_EPOCH": "1798761600"}  # 2027-01-01T00:00:00Z
    report(CURRENT, "--today", TODAY, out=a, env=env)
    report(CURRENT, "--today", TODAY, out=b, env=env)
    assert a.read_bytes() == b.read_bytes()
    assert "2027-01-01T00:00:00Z" in a.read_text() and "from SOURCE_DATE_EPOCH" in a.read_text()
    # --generated-at wins over the environment.
    report(CURRENT, "--today", TODAY, "--generated-at", WHEN, out=c, env=env)
    assert "2026-12-01T09:30:00Z" in c.read_text() and "2027-01-01T00:00:00Z" not in c.read_text()


@pytest.mark.parametrize(("given", "shown"), [
    ("2026-12-01T10:30:00+01:00", "2026-12-01T09:30:00Z"),  # converted to UTC
    ("2026-12-01T09:30:00", "2026-12-01T09:30:00Z"),  # no offset: taken as UTC
    ("2026-12-01", "2026-12-01T00:00:00Z"),
])
def test_generated_at_forms(tmp_path: Path, given: str, shown: str) -> None:
    code, html, _, _ = report(CURRENT, "--today", TODAY, "--generated-at", given,
                              out=tmp_path / "r.html")
    assert code == 0
    assert f'<time datetime="{shown}">' in html


def test_bad_times_are_usage_errors(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _, _, stderr = report(CURRENT, "--generated-at", "yesterday", out=out)
    assert code == 2 and "--generated-at" in stderr and not out.exists()
    code, _, _, stderr = report(CURRENT, out=out, env={"SOURCE_DATE_EPOCH": "soon"})
    assert code == 2 and "SOURCE_DATE_EPOCH" in stderr and not out.exists()


# -- exit codes and files -------------------------------------------------------------------------


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (tmp_path / "good.yaml").write_text(MINIMAL_SPEC)
    (tmp_path / "orphan.yaml").write_text(
        MINIMAL_SPEC + "  orphan: {kind: task, owner: agent, next: close}\n")
    (tmp_path / "broken.yaml").write_text("plaint: 1\nsteps: [a, b\n")
    return tmp_path


def test_exit_codes(specs: Path) -> None:
    out = specs / "out.html"
    assert report(specs / "good.yaml", out=out)[0] == 0
    code, html, _, _ = report(specs / "orphan.yaml", out=out)
    assert code == 1 and "✖ FAIL" in html
    code, html, _, _ = report(specs / "broken.yaml", out=out)
    assert code == 2 and "NOT CHECKED" in html


def test_fail_on_sets_the_verdict(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, html, _, _ = report(CURRENT, "--today", TODAY, "--fail-on", "warning", out=out)
    assert code == 1
    assert "✖ FAIL" in html and "--fail-on warning" in html


def test_unreadable_file_is_reported_with_the_others(specs: Path) -> None:
    out = specs / "out.html"
    code, html, stdout, _ = report(specs, specs / "missing.yaml", out=out)
    assert code == 2
    assert "wrote" in stdout and out.exists()
    names = [Path(p).name for p in re.findall(r"<th scope=\"row\"><a href=\"#f\d-summary\">[^<]*</a>"
                                               r"<br><code class=\"muted\">([^<]+)</code>", html)]
    assert names == ["broken.yaml", "good.yaml", "orphan.yaml", "missing.yaml"]
    broken = html[html.index('id="f1"'):html.index('id="f2"')]
    assert "NOT CHECKED" in broken
    assert f"{specs / 'broken.yaml'}:2:" in broken  # file:line:col of the error
    assert "yaml-syntax" in broken
    good = html[html.index('id="f2"'):html.index('id="f3"')]
    assert "✓ PASS" in good and "<svg" in good
    missing = html[html.index('id="f4"'):html.index('id="run-metadata"')]
    assert "no such file" in missing


def test_multi_file_report(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, html, stdout, _ = report(CURRENT, SMALL_BUSINESS, "--today", TODAY, out=out)
    assert code == 0 and "2 files" in stdout
    page = parse(html)
    assert 'id="overview"' in html
    overview = rows_of(html, "overview")
    assert len([r for r in overview if 'href="#f1-summary"' in r or 'href="#f2-summary"' in r]) == 2
    assert html.count("<svg") == 2
    # Each file's ids carry its prefix, so nothing clashes.
    mine = [i for i in page.ids if re.match(r"f\d", i)]
    assert len(mine) == len(set(mine))
    svg = html.replace("&#45;", "-")  # Graphviz writes '-' in ids as a character reference
    assert 'xlink:href="#f1-finding-6"' in svg and 'id="f1-step-investigate"' in svg
    assert 'id="f2-step-' in svg and 'id="f1-step-receive"' not in svg


def test_standard_input(specs: Path) -> None:
    out = specs / "out.html"
    proc = subprocess.run([str(PLAINT), "report", "--config", str(specs / ".plaint.yaml"), "-",
                           "-o", str(out)], input=MINIMAL_SPEC, capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    html = out.read_text()
    assert "<code>&lt;stdin&gt;</code>" in html
    assert hashlib.sha256(MINIMAL_SPEC.encode()).hexdigest() in html
    assert "of the text read from standard input" in html


def test_output_to_standard_output(specs: Path) -> None:
    proc = run_plaint("report", specs / "good.yaml", "-o", "-", "--generated-at", WHEN)
    assert proc.returncode == 0
    assert proc.stdout.startswith("<!DOCTYPE html>") and proc.stdout.endswith("</html>\n")


def test_default_output_is_report_html(specs: Path) -> None:
    proc = run_plaint("report", "good.yaml", cwd=specs)
    assert proc.returncode == 0
    assert (specs / "report.html").read_text().startswith("<!DOCTYPE html>")


def test_output_into_missing_folder_fails_cleanly(specs: Path) -> None:
    target = specs / "missing" / "r.html"
    code, _, _, stderr = report(specs / "good.yaml", out=target)
    assert code == 2 and "does not exist" in stderr
    assert not target.parent.exists()


def _in_process(args: list[str]) -> int:
    from plaint.cli.main import main

    with pytest.raises(SystemExit) as stop:
        main(args)
    return int(stop.value.code or 0)


def test_no_partial_file_when_rendering_fails(specs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plaint.cli import report as report_command

    out = specs / "r.html"
    out.write_text("the previous report")

    def broken(data: object) -> str:
        raise RuntimeError("template failed")

    monkeypatch.setattr(report_command, "render_report", broken)
    with pytest.raises(RuntimeError):
        _in_process(["report", str(specs / "good.yaml"), "-o", str(out)])
    assert out.read_text() == "the previous report"
    assert sorted(p.name for p in specs.iterdir()) == [
        ".plaint.yaml", "broken.yaml", "good.yaml", "orphan.yaml", "r.html"]


def test_no_partial_file_when_writing_fails(specs: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = specs / "r.html"
    out.write_text("the previous report")

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    assert _in_process(["report", str(specs / "good.yaml"), "-o", str(out)]) == 2
    assert f"cannot write {out}: No space left on device" in capsys.readouterr().err
    assert out.read_text() == "the previous report"
    assert not [p for p in specs.iterdir() if p.name.endswith(".tmp")]


def test_a_diagram_that_cannot_be_drawn_leaves_the_rest(specs: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from plaint.renderers import diagram

    def no_graphviz(*args: object, **kwargs: object) -> str:
        raise diagram.DiagramError("Graphviz is not available")

    monkeypatch.setattr(diagram, "inline_svg", no_graphviz)
    out = specs / "r.html"
    assert _in_process(["report", str(specs / "orphan.yaml"), "-o", str(out)]) == 1
    html = out.read_text()
    assert "The diagram could not be drawn: Graphviz is not available" in html
    assert "<svg" not in html and 'id="f1-findings"' in html
    assert "data-step=" not in html  # nothing to point at
    assert "no diagram: Graphviz is not available" in capsys.readouterr().err


def test_output_that_is_a_folder_is_a_usage_error(specs: Path) -> None:
    proc = run_plaint("report", specs / "good.yaml", "-o", specs)
    assert proc.returncode == 2 and "is a directory" in proc.stderr
    assert "Traceback" not in proc.stderr

"""One hostile spec through every output that shows spec text: the HTML report, the
diagrams (SVG, DOT, Mermaid), every `plaint check` format, `plaint timing` and
`plaint diff`.

The spec is valid, so its text reaches every output, and it has findings, so its text
reaches finding messages too (an expired waiver's approver is quoted in the finding).
Each output must stay well-formed, and the hostile text must arrive as inert text:
shown, escaped as the format needs, and never markup, a statement, a link, a workflow
command or a terminal control sequence.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from subprocess import CompletedProcess
from urllib.parse import unquote, urlsplit

import pygraphviz
import pytest
from conftest import run_many
from test_ci_formats import annotations, unescape, validate_sarif
from test_report import parse

from plaint.renderers import DOCS_BASE_URL
from plaint.renderers.escape import visible

TODAY = "2026-12-01"
WHEN = "2026-12-01T09:30:00Z"

# -- the payloads: each tries to break out of one kind of output ----------------------------

MARKUP = "</script><script>alert(1)</script>\"><img src=x onerror=alert(2)> <!-- --!> ]]> &amp; 'q'"
DOT_SYNTAX = "\"]; evil [label=\"x\"]; receive -> evil; <b>bold</b> > \\N \\\\ \\\" {braces}"
MERMAID_SYNTAX = "--> s_evil\nclick s_receive call alert(3) %%{init: {'theme':'dark'}}%% :::evil end"
MARKDOWN_SYNTAX = ("a\\|b | cell | [x](javascript:alert(4)) ![i](http://evil.example/i.png) "
                   "<img src=x> `code` *em*")
WORKFLOW_COMMANDS = "\n::error::pwned %0A ::warning file=x::y"
TERMINAL = "\x1b[2J\x1b[31mred \u202eevil \u200bzero-width"
TEMPLATE = "{{7*7}} {% if true %}jinja{% endif %} ${x}"
LONG = " ".join(["long"] * 1000)

# The file name is spec text too: it becomes the SVG's links to the spec's lines, and a
# first segment with ':' would read as a URL scheme ('%2F%2F' decodes to '//', a comment).
SPEC_NAME = "javascript:alert(1)%2F%2F<i>&'x, y.yaml"

TEXT = {
    "process": "Process " + MARKUP + TEMPLATE + TERMINAL + WORKFLOW_COMMANDS,
    "version": DOT_SYNTAX,
    "description": LONG,
    "commitment": MARKDOWN_SYNTAX + WORKFLOW_COMMANDS,
    "agent": "Agent " + DOT_SYNTAX + MERMAID_SYNTAX,
    "team": MARKUP,
    "agent-description": TERMINAL,
    "manager": "Manager " + MARKDOWN_SYNTAX + TERMINAL,
    "auditor": WORKFLOW_COMMANDS,
    "phone": MARKUP,
    "where": "javascript:alert(5)",
    "receive": "Receive " + MARKUP,
    "receive-description": TEMPLATE,
    "respond": "Respond " + MERMAID_SYNTAX + WORKFLOW_COMMANDS,
    "when": "when " + DOT_SYNTAX + MERMAID_SYNTAX + MARKDOWN_SYNTAX,
    "branch": MARKUP,
    "to-body": MARKUP + DOT_SYNTAX,
    "close": "Close " + TERMINAL + TEMPLATE,
    "orphan": "Orphan " + MARKUP + MARKDOWN_SYNTAX + LONG,
    "reason": ("reason " + MARKUP + MARKDOWN_SYNTAX + WORKFLOW_COMMANDS + TERMINAL + TEMPLATE
               + DOT_SYNTAX + MERMAID_SYNTAX),
    "approver": "Jo " + MARKDOWN_SYNTAX + WORKFLOW_COMMANDS,
    "ticket": MARKUP,
    "expired-approver": "Expired " + MARKUP + WORKFLOW_COMMANDS + TERMINAL,
}


def spec_text(text: dict[str, str]) -> str:
    """The spec, with ``text`` in every free-text field. Findings: 'orphan' is unreachable,
    the promise is broken, the waiver of 'dead-end' has expired (its approver is quoted in
    the finding), and 'auditor' is unused, waived with the hostile reason."""
    q = {key: json.dumps(value) for key, value in text.items()}  # a JSON string is YAML too
    return f"""\
plaint: 1
process:
  id: hostile
  title: {q["process"]}
  version: {q["version"]}
  description: {q["description"]}
  owner: manager
  commitments:
    - {{name: respond, from: receive, to: respond, within: 1 working day, description: {q["commitment"]}}}
roles:
  agent: {{title: {q["agent"]}, team: {q["team"]}, description: {q["agent-description"]}}}
  manager: {{title: {q["manager"]}, senior: true}}
  auditor: {{title: {q["auditor"]}}}
channels:
  phone: {{kind: phone, title: {q["phone"]}, where: {q["where"]}, free: true}}
steps:
  receive:
    kind: receive
    title: {q["receive"]}
    description: {q["receive-description"]}
    owner: agent
    channels: [phone]
    takes: 1 working day
    next: respond
  respond:
    kind: respond
    title: {q["respond"]}
    owner: manager
    takes: 3 working days
    next:
      - {{to: close, when: {q["when"]}, title: {q["branch"]}}}
      - {{to: refer, when: otherwise}}
  refer: {{kind: refer, owner: manager, to_body: {q["to-body"]}}}
  close: {{kind: close, owner: agent, title: {q["close"]}}}
  orphan: {{kind: task, owner: agent, title: {q["orphan"]}, next: close}}
waivers:
  - rule: unused-role
    at: auditor
    reason: {q["reason"]}
    approved_by: {q["approver"]}
    expires: 2099-01-01
    ticket: {q["ticket"]}
  - rule: dead-end
    at: process
    reason: gone
    approved_by: {q["expired-approver"]}
    expires: 2001-01-01
"""


STEPS = {"receive", "respond", "respond~choice", "refer", "close", "orphan"}
EDGES = {("receive", "respond"), ("respond", "respond~choice"), ("respond~choice", "close"),
         ("respond~choice", "refer"), ("orphan", "close")}

# Characters no output for people may carry raw: controls (but tab and line breaks),
# text-reordering marks and zero-width characters.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e"
                       "\u2060-\u2064\u2066-\u2069\ufeff]")

# Each command (run in the spec's folder; most write a file there) and its documented exit
# status. The diagrams are written next to the spec, so that their links to the spec's lines
# are its bare file name.
COMMANDS: dict[str, tuple[tuple[str, ...], int]] = {
    "check": (("check", SPEC_NAME, "--today", TODAY, "-f", "text", "-o", "check.txt",
               "-f", "concise", "-o", "check.concise", "-f", "json", "-o", "check.json",
               "-f", "sarif", "-o", "check.sarif", "-f", "junit", "-o", "check.xml",
               "-f", "github", "-o", "check.github", "-f", "gitlab", "-o", "check.gitlab",
               "-f", "markdown", "-o", "check.md"), 1),
    "report": (("report", SPEC_NAME, "--today", TODAY, "--generated-at", WHEN, "-o", "report.html"), 1),
    "svg": (("render", SPEC_NAME, "--today", TODAY, "-f", "svg", "-o", "diagram.svg"), 0),
    "dot": (("render", SPEC_NAME, "--today", TODAY, "-f", "dot", "-o", "diagram.dot"), 0),
    "mermaid": (("render", SPEC_NAME, "--today", TODAY, "-f", "mermaid", "-o", "diagram.mmd"), 0),
    "timing": (("timing", SPEC_NAME, "--today", TODAY, "-o", "timing.txt"), 1),
    "timing-json": (("timing", SPEC_NAME, "--today", TODAY, "-f", "json", "-o", "timing.json"), 1),
    "diff": (("diff", "old.yaml", SPEC_NAME, "--today", TODAY, "-o", "diff.txt"), 1),
    "diff-markdown": (("diff", "old.yaml", SPEC_NAME, "--today", TODAY, "-f", "markdown",
                       "-o", "diff.md"), 1),
    "diff-json": (("diff", "old.yaml", SPEC_NAME, "--today", TODAY, "-f", "json", "-o", "diff.json"), 1),
    "rules": (("rules", "--format", "json"), 0),
}


@dataclass(frozen=True)
class Outputs:
    folder: Path
    runs: dict[str, CompletedProcess[str]]

    def read(self, name: str) -> str:
        return (self.folder / name).read_text(encoding="utf-8")

    def check_json(self) -> dict:
        (checked,) = json.loads(self.read("check.json"))["files"]
        return checked

    def findings(self, *, waived: bool | None = None) -> list[dict]:
        found = self.check_json()["findings"]
        return [f for f in found if waived is None or bool(f["waiver"]) == waived]

    def finding(self, rule: str) -> dict:
        (found,) = [f for f in self.findings() if f["rule"] == rule]
        return found


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    """The hostile spec through every command, run at once. For diff, an earlier version
    with plain text and without the expired waiver, so the diff lists its finding too."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / SPEC_NAME).write_text(spec_text(TEXT), encoding="utf-8")
    plain = spec_text({key: f"plain {key}" for key in TEXT}).split("  - rule: dead-end\n")[0]
    (folder / "old.yaml").write_text(plain, encoding="utf-8")
    done = run_many([args for args, _ in COMMANDS.values()], cwd=folder)
    return Outputs(folder, dict(zip(COMMANDS, done, strict=True)))


def one_line(text: str) -> str:
    """What a one-line output shows for spec text: line breaks as spaces, invisible
    characters as escapes."""
    return visible(re.sub(r"[\t\n\r]+", " ", text))


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def cell_boundaries(markdown: str) -> list[list[int]]:
    """For each Markdown table (consecutive lines starting with '|'), the number of cell
    boundaries in each row, counted as GitHub does: a backslash escapes the character after it, so '\\|'
    is no boundary and '\\\\|' is one."""
    tables = re.findall(r"(?:^\|.*\n)+", markdown, re.MULTILINE)
    assert tables, "no table"
    return [[len(re.findall(r"(?:\\.|[^\\|])*\|", row)) for row in table.splitlines()]
            for table in tables]


def prose(markdown: str) -> str:
    """Markdown outside code blocks and code spans (where nothing is markup)."""
    outside = re.sub(r"^```.*?^```$", "", markdown, flags=re.DOTALL | re.MULTILINE)
    return re.sub(r"(?<![\\`])(`+)(?!`).*?(?<!`)\1(?!`)", "``", outside)


def assert_no_markup_in_markdown(text: str, allowed_tags: set[str]) -> None:
    outside = prose(text)
    tags = set(re.findall(r"<(/?[A-Za-z][^\s>/]*)", outside))
    assert tags <= allowed_tags, tags - allowed_tags
    # Links and images: only the renderer's own links to the rule pages.
    for target in re.findall(r"(?<!\\)\]\(([^)]*)\)", outside):
        assert target.startswith(DOCS_BASE_URL), target
    assert not re.search(r"(?<!\\)!\[", outside), "an image"
    assert not re.search(r"(?<!\\)\[(?!`)", outside), "a link opened by spec text"
    assert not INVISIBLE.search(text)
    # A line break in spec text must not start a line of its own.
    assert not re.search(r"^(::|click|--> )", text, re.MULTILINE)
    for rows in cell_boundaries(text):
        assert len(set(rows)) == 1, rows


# -- the commands ---------------------------------------------------------------------------


def test_every_command_reads_the_spec_and_exits_as_documented(outputs: Outputs) -> None:
    for name, (_, status) in COMMANDS.items():
        run = outputs.runs[name]
        assert "Traceback" not in run.stdout + run.stderr, (name, run.stderr)
        assert run.returncode == status, (name, run.returncode, run.stderr)
    checked = outputs.check_json()
    assert checked["path"] == SPEC_NAME and checked["readable"]
    rules = {f["rule"] for f in checked["findings"]}
    assert not rules & {"schema", "yaml-syntax", "internal-error"}, "the spec must pass the schema"
    assert {"unreachable-step", "waiver-expired", "commitment-kept", "unused-role"} <= rules


def test_json_carries_the_text_exactly(outputs: Outputs) -> None:
    (waived,) = outputs.findings(waived=True)
    assert waived["rule"] == "unused-role"
    assert waived["waiver"]["reason"] == TEXT["reason"]
    assert waived["waiver"]["approved_by"] == TEXT["approver"]
    assert f"(approved by {TEXT['expired-approver']})" in outputs.finding("waiver-expired")["message"]
    timing = json.loads(outputs.read("timing.json"))
    assert timing["title"] == TEXT["process"] and timing["file"] == SPEC_NAME
    diff = json.loads(outputs.read("diff.json"))
    (compared,) = diff["files"]
    title = next(c for c in compared["changes"]["process"] if c["field"] == "title")
    assert (title["before"], title["after"]) == ("plain process", TEXT["process"])


def test_gitlab_is_json_with_one_issue_per_unwaived_finding(outputs: Outputs) -> None:
    issues = json.loads(outputs.read("check.gitlab"))
    assert len(issues) == len(outputs.findings(waived=False))
    expired = next(i for i in issues if i["check_name"] == "waiver-expired")
    assert expired["description"] == outputs.finding("waiver-expired")["message"]
    assert {i["location"]["path"] for i in issues} == {SPEC_NAME}


def test_text_and_concise_show_control_characters_as_escapes(outputs: Outputs) -> None:
    for name in ("check.txt", "check.concise"):
        text = outputs.read(name)
        assert not INVISIBLE.search(text), name
        # One line per finding: the approver's line break did not start a line of its own.
        located = [line for line in text.splitlines() if line.startswith(f"{SPEC_NAME}:")]
        assert len(located) == len(outputs.findings()), name
        assert not re.search(r"^\s*::", text, re.MULTILINE), name
        expired = next(line for line in located if "waiver-expired]" in line)
        assert re.search(r"\\(x1b|u001b)\[2J", expired) and "\\u202eevil \\u200bzero-width" in expired


def test_report_html_holds_the_text_as_text(outputs: Outputs) -> None:
    page_html = outputs.read("report.html")
    page = parse(page_html)
    tags = [tag for tag, _ in page.tags]
    assert tags.count("script") == 1 and tags.count("style") == 1, "only the report's own"
    injected = {"img", "iframe", "object", "embed", "b", "i", "base", "link", "form", "input",
                "foreignobject", "image", "use", "animate", "set"}
    assert not injected & set(tags), injected & set(tags)
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), f"<{tag} {name}> is an event handler"
            if name in ("href", "xlink:href", "src", "action", "formaction"):
                assert (value or "").startswith("#"), f"<{tag} {name}={value!r}> leaves the page"
    assert "alert(" not in page.script
    for raw in ("<script>alert", "<img src=x", "<!-- --!>", "]]>", "<b>bold", "<i>&", "\x1b"):
        assert raw not in page_html, raw
    assert not INVISIBLE.search(page_html)
    text = "".join(page.text)
    for shown in ("</script><script>alert(1)</script>\"><img src=x onerror=alert(2)>",
                  "<!-- --!> ]]> &amp; 'q'", TEMPLATE, "\\u001b[2J\\u001b[31mred \\u202eevil",
                  "approved by Expired </script>", SPEC_NAME):
        assert shown in text, shown  # shown, not run: the template syntax was not evaluated either


# -- diagrams -------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def test_svg_is_well_formed_and_links_only_to_the_spec(outputs: Outputs) -> None:
    svg = ET.fromstring(outputs.read("diagram.svg"))
    elements = list(svg.iter())
    assert all(e.tag.startswith(SVG) for e in elements), "an element from another namespace"
    tags = {e.tag.removeprefix(SVG) for e in elements}
    assert not tags & {"script", "foreignObject", "image", "use", "animate", "set", "iframe"}, tags
    for element in elements:
        for name, value in element.attrib.items():
            assert not name.removeprefix(XLINK).lower().startswith("on"), name
            if name in (f"{XLINK}href", "href"):
                # A link that runs nothing: a relative reference to a line of the spec.
                assert urlsplit(value).scheme == "", value
                path, _, line = value.partition("#L")
                assert unquote(path) == SPEC_NAME and line.isdigit(), value
                assert re.fullmatch(r"[A-Za-z0-9%._~/-]+", path), value  # percent-encoded
    drawn = {e.get("id") for e in elements if (e.get("id") or "").startswith(("step-", "gateway-"))}
    assert drawn == {"step-receive", "step-respond", "step-refer", "step-close", "step-orphan",
                     "gateway-respond-choice"}
    # Tooltips give the whole text, on one line, control characters written out.
    tooltips = [a.get(f"{XLINK}title") or "" for a in svg.iter(f"{SVG}a")]
    for step in ("receive", "respond", "close", "orphan"):
        assert any(t.startswith(f"{one_line(TEXT[step])} ({step})\n") for t in tooltips), step
    # Labels are wrapped and cut short, but show what the author wrote: '\N' is not
    # replaced by the node's name, and no quote or bracket ended the label.
    for element_id, text in (("edge-2", TEXT["when"]), ("lane-1", TEXT["agent"])):
        (drawn_label,) = [e for e in elements if e.get("id") == element_id]
        shown = compact("".join(t.text or "" for t in drawn_label.iter(f"{SVG}text")))
        assert len(shown) > 60 and compact(one_line(text)).startswith(shown.split("…")[0]), shown


def test_dot_keeps_every_text_inside_its_string_or_label(outputs: Outputs) -> None:
    source = outputs.read("diagram.dot")
    assert not INVISIBLE.search(source)
    graph = pygraphviz.AGraph(string=source)
    nodes = {str(n) for n in graph.nodes()}
    assert {n for n in nodes if not n.startswith("~")} == STEPS, "a node was added or lost"
    assert {(str(a), str(b)) for a, b in graph.edges() if not a.startswith("~")} == EDGES
    for name in ("receive", "respond", "close", "orphan", "~lane-0", "~lane-1"):
        label = graph.get_node(name).attr["label"]
        # HTML-like labels: only the renderer's own elements; the spec's <b> is text.
        assert set(re.findall(r"</?([A-Za-z]+)", label)) <= {"TABLE", "TR", "TD", "B", "BR", "FONT"}
        # What Graphviz shows: entities decoded, then backslash escapes expanded.
        shown = html.unescape(re.sub(r"<[^>]*>", "", label)).replace("\\\\", "\\")
        title = TEXT[{"~lane-0": "agent", "~lane-1": "manager"}.get(name, name)]
        assert compact(shown).startswith(compact(visible(title))[:40]), (name, shown[:80])
    tooltip = graph.get_edge("respond~choice", "close").attr["labeltooltip"]
    assert "evil [label=" in tooltip and tooltip.count("\n") == 0


def mermaid_id(step: str) -> str:
    return "s_" + step.replace("-", "_").replace("~", "__")


def test_mermaid_labels_stay_inside_their_quotes(outputs: Outputs) -> None:
    text = outputs.read("diagram.mmd")
    lines = text.splitlines()
    assert not INVISIBLE.search(text)
    # Mermaid reads '%%{init: ...}%%' anywhere in the text as configuration.
    assert "%%{" not in text
    assert [i for i, line in enumerate(lines) if "%%" in line] == [0] and lines[0].startswith("%% ")
    assert "`" not in text, "a backtick could end the Markdown code fence around the diagram"
    bare = re.sub(r'"[^"]*"', '""', "\n".join(lines[1:]))  # every label, quotes and all, emptied
    assert '"' * 3 not in bare and not re.search(r'[^"]"[^"]|[^"]"$', bare), "an unbalanced quote"
    for statement in ("click", ":::", "s_evil", "<", "%%"):
        assert statement not in bare, statement
    edges = re.findall(r'^\s*(s_\w+) -\.?->(?:\|""\|)? (s_\w+)$', bare, re.MULTILINE)
    assert len(edges) == len(re.findall(r"-\.?->", bare)) == len(EDGES)
    assert set(edges) == {(mermaid_id(a), mermaid_id(b)) for a, b in EDGES}
    defined = re.findall(r'^\s+(s_\w+)(?:\(\[|\[\[|\[/|\{\{|[>(\[{])""', bare, re.MULTILINE)
    assert sorted(defined) == sorted(map(mermaid_id, STEPS))
    assert bare.count("subgraph ") == 2 and len(re.findall(r"^\s*end$", bare, re.MULTILINE)) == 2
    labels = "".join(re.findall(r'"([^"]*)"', text))
    assert "<" not in re.sub(r"</?(br/|small)>", "", labels), "markup in a label"


# -- plaint check's CI formats --------------------------------------------------------------


def test_markdown_summary_has_no_markup_from_the_spec(outputs: Outputs) -> None:
    text = outputs.read("check.md")
    assert_no_markup_in_markdown(text, {"sub", "/sub", "details", "/details", "summary", "/summary",
                                        "br"})
    fences = [line for line in text.splitlines() if line.startswith("```")]
    assert fences == ["```mermaid", "```"], "the diagram's text ended its fence"
    outside = prose(text)
    assert "http://evil" not in outside, "a bare web address becomes a link"
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in outside and "\\\\u001b\\[2J" in outside
    assert "\\[x\\](javascript:alert(4))" in outside


def test_junit_has_a_testcase_per_rule_and_the_text_as_text(outputs: Outputs) -> None:
    raw = outputs.read("check.xml")
    root = ET.fromstring(raw)
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == SPEC_NAME
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert len(cases) == len(suite.findall("testcase")) == int(suite.get("tests"))
    # Rules of the packs that run on every spec (the spec names no regime); the input and
    # waiver rules appear only when they report something.
    rules = json.loads(outputs.runs["rules"].stdout)
    always = {p["id"] for p in rules["packs"] if p["applies"] == "always"} - {"input", "waivers"}
    in_force = {r["id"] for r in rules["rules"] if r["enabled"] and r["pack"] in always}
    found = {f["rule"] for f in outputs.findings()}
    assert set(cases) == in_force | found
    failing = {name for name, case in cases.items() if case.find("failure") is not None}
    assert failing == {f["rule"] for f in outputs.findings(waived=False)}
    skipped = {name for name, case in cases.items() if case.find("skipped") is not None}
    assert skipped == {"unused-role"}
    expired = cases["waiver-expired"].find("failure")
    message = outputs.finding("waiver-expired")["message"]
    assert expired is not None and expired.get("message") == visible(message)
    note = cases["unused-role"].find("skipped")
    assert note is not None and note.get("message") == visible(
        f"waived: {TEXT['reason']} (approved by {TEXT['approver']}, expires 2099-01-01)")
    assert "<script" not in raw and "<img" not in raw and not INVISIBLE.search(raw)


def test_sarif_validates_and_keeps_the_text(outputs: Outputs) -> None:
    doc = validate_sarif(outputs.read("check.sarif"))
    (run,) = doc["runs"]
    assert len(run["results"]) == len(outputs.findings())
    by_rule = {r["ruleId"]: r for r in run["results"]}
    (suppression,) = by_rule["unused-role"]["suppressions"]
    assert suppression["justification"].startswith(TEXT["reason"])
    assert TEXT["expired-approver"] in by_rule["waiver-expired"]["message"]["text"]


def test_github_annotations_are_one_command_per_finding(outputs: Outputs) -> None:
    text = outputs.read("check.github")
    found = annotations(text)  # every line but the summary is a well-formed command
    assert len(found) == len(outputs.findings(waived=False))
    assert {unescape(m["file"]) for m in found} == {SPEC_NAME}
    (expired,) = [m for m in found if unescape(m["title"]).startswith("plaint waiver-expired")]
    assert unescape(expired["message"]).startswith(visible(outputs.finding("waiver-expired")["message"]))
    assert not INVISIBLE.search(text)


# -- plaint timing and plaint diff ----------------------------------------------------------


def test_timing_text_shows_control_characters_as_escapes(outputs: Outputs) -> None:
    text = outputs.read("timing.txt")
    assert not INVISIBLE.search(text)
    assert not re.search(r"^::", text, re.MULTILINE)


def test_diff_text_keeps_each_change_on_its_line(outputs: Outputs) -> None:
    text = outputs.read("diff.txt")
    assert not INVISIBLE.search(text)
    assert not re.search(r"^\s*(::|click)", text, re.MULTILINE)
    assert f"title: plain process -> {one_line(TEXT['process'])}\n" in text


def test_diff_markdown_has_no_markup_from_the_spec(outputs: Outputs) -> None:
    text = outputs.read("diff.md")
    assert_no_markup_in_markdown(text, {"br", "sub", "/sub"})
    assert "&lt;/script&gt;&lt;script&gt;alert" in text and "\\[x\\](javascript:alert(4))" in text


def test_diff_markdown_makes_no_link_of_a_web_address(outputs: Outputs) -> None:
    assert "http://evil" not in outputs.read("diff.md")

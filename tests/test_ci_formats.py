"""CI output formats of `plaint check`: SARIF, JUnit, GitHub annotations, GitLab Code
Quality and Markdown; several formats in one run; and text from a spec that tries to
break out of each of them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import MappingProxyType

import jsonschema
import pytest
from conftest import FIXTURES, STRUCTURAL_ONLY_CONFIG, run_plaint
from test_cli import GOOD

from plaint import __version__
from plaint.cli.check import pair_formats
from plaint.core.findings import AppliedWaiver, Clause, Finding, Severity, Span
from plaint.core.packs import Rule
from plaint.core.pipeline import FileResult
from plaint.core.run import CheckOptions, run_check
from plaint.renderers import (
    DOCS_BASE_URL,
    RENDERERS,
    RenderContext,
    artifact_path,
    fingerprints,
    github,
    markdown,
    mermaid,
    rules_in_force,
)
from plaint.renderers.diagram_model import build_diagram
from plaint.renderers.escape import visible

CI_FORMATS = ("sarif", "junit", "github", "gitlab", "markdown")
SARIF_SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


# Text that would end a GitHub command, start another, or make Markdown and XML markup.
HOSTILE = ("Kept | for <b>audits</b> [x](https://evil.example) ![i](https://evil.example/i.png) "
           "@security-team #12 www.evil.example `tick` *em* _u_ ~s~ $x$ & "
           "::error file=evil.yaml,line=1::injected %0A 100% x,y: z\u0007\nsecond line")

# One unreachable step (an error), a waived unused role with a hostile reason and approver,
# and an expired waiver whose approver (hostile) appears in the finding's message.
WAIVED = GOOD.replace("  manager: {title: Manager, senior: true}\n",
                      "  manager: {title: Manager, senior: true}\n  auditor: {title: Auditor}\n") + f"""\
  orphan: {{kind: task, owner: agent, next: close}}
waivers:
  - rule: unused-role
    at: auditor
    reason: {json.dumps(HOSTILE)}
    approved_by: {json.dumps("Jo `Bloggs` & *Co* ::warning file=x::y")}
    expires: 2099-01-01
  - rule: dead-end
    at: process
    reason: no longer needed
    approved_by: {json.dumps(HOSTILE)}
    expires: 2001-01-01
"""


@pytest.fixture
def specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of specs, made the working folder (as a repository root is in CI)."""
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "waived.yaml").write_text(WAIVED)
    (tmp_path / "broken.yaml").write_text("plaint: 1\nsteps: [a, b\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*paths: str) -> tuple[list[FileResult], RenderContext]:
    results = run_check(CheckOptions(paths=list(paths), today=None))
    rules, documented = rules_in_force(results)
    packs = tuple(sorted({p for r in results for p in r.packs}))
    return results, RenderContext(tool_version=__version__, packs=packs, rules=rules, documented=documented)


def render(fmt: str, *paths: str) -> str:
    results, context = check(*paths)
    return RENDERERS[fmt](results, context)


def rule(rule_id: str = "org/hostile", title: str = HOSTILE, severity: Severity = Severity.WARNING) -> Rule:
    return Rule(id=rule_id, title=title, severity=severity, pack="org", checks=HOSTILE,
                clauses=(Clause("Org policy", HOSTILE, "1.2", True, "https://example.org/a b(c)"),),
                rationale=HOSTILE, hint=HOSTILE, examples=MappingProxyType({}), function=None,
                params=MappingProxyType({}), stage=None)


def hostile_finding(**changes: object) -> Finding:
    values: dict = {"rule": "org/hostile", "severity": Severity.WARNING, "message": HOSTILE,
                    "file": "dir, with: colon/spec%.yaml", "span": Span(3, 5, 3, 9), "pointer": "/steps/x",
                    "element": "x", "pack": "org", "hint": HOSTILE}
    values.update(changes)
    return Finding(**values)  # type: ignore[arg-type]


def synthetic() -> tuple[list[FileResult], RenderContext]:
    waiver = AppliedWaiver("org/waived", "y", HOSTILE, HOSTILE, "2099-01-01")
    findings = [hostile_finding(),
                hostile_finding(rule="org/waived", span=Span(7, 1, 7, 4), element="y", waiver=waiver)]
    return [FileResult("dir, with: colon/spec%.yaml", findings)], RenderContext(rules=(rule(),))


# --- SARIF -----------------------------------------------------------------------------

_URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_URI_CHARS.match(value) and _SCHEME.match(value))


@FORMATS.checks("uri-reference")
def _is_uri_reference(value: object) -> bool:
    if not isinstance(value, str):
        return True
    # Without a scheme, the first segment must not hold a ':' (it would read as one).
    first = value.split("/", 1)[0]
    return bool(_URI_CHARS.match(value)) and (bool(_SCHEME.match(value)) or ":" not in first)


def validate_sarif(text: str) -> dict:
    doc = json.loads(text)
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=FORMATS)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    return doc


def test_the_vendored_schema_is_the_official_one() -> None:
    assert SARIF_SCHEMA["id"] == ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                                  "sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator.check_schema(SARIF_SCHEMA)
    # The validator really rejects what the schema forbids (so a passing test means something).
    with pytest.raises(AssertionError):
        validate_sarif(json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}))
    with pytest.raises(AssertionError):
        validate_sarif(json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {
            "name": "x", "informationUri": "no scheme"}}}]}))


def test_sarif_validates_and_describes_rules_results_and_waivers(specs: Path) -> None:
    doc = validate_sarif(render("sarif", "."))
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "plaint" and driver["version"] == __version__
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    for result in run["results"]:
        described = rules[result["ruleIndex"]]
        assert described["id"] == result["ruleId"]
    by_id = {r["id"]: r for r in rules}
    unreachable = by_id["unreachable-step"]
    assert unreachable["helpUri"] == f"{DOCS_BASE_URL}unreachable-step.md"
    assert unreachable["shortDescription"]["text"] and unreachable["fullDescription"]["text"]
    assert "How to fix it" in unreachable["help"]["text"] and unreachable["help"]["markdown"]
    assert unreachable["defaultConfiguration"]["level"] == "error"

    by_rule = {r["ruleId"]: r for r in run["results"]}
    orphan = by_rule["unreachable-step"]
    assert orphan["level"] == "error"
    location = orphan["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "waived.yaml"
    assert location["physicalLocation"]["region"] == {"startLine": 13, "startColumn": 3, "endLine": 13,
                                                       "endColumn": 9}
    assert location["logicalLocations"][0]["name"] == "orphan"
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "/steps/orphan"
    assert orphan["suppressions"] == []

    waived = by_rule["unused-role"]
    (suppression,) = waived["suppressions"]
    assert suppression["kind"] == "inSource" and suppression["status"] == "accepted"
    assert suppression["justification"].startswith(HOSTILE)
    assert "approved by Jo `Bloggs`" in suppression["justification"]
    # SARIF: either every result of a run has suppressions, or none has.
    assert all("suppressions" in r for r in run["results"])

    # The file that could not be read is a result of its load rule.
    broken = by_rule["yaml-syntax"]
    assert broken["level"] == "error" and broken["properties"]["unreadable"] is True
    assert broken["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.yaml"


def test_sarif_fingerprints_ignore_lines(specs: Path) -> None:
    before = json.loads(render("sarif", "waived.yaml"))["runs"][0]["results"]
    (specs / "waived.yaml").write_text("# a comment that moves every line down\n\n" + WAIVED)
    after = json.loads(render("sarif", "waived.yaml"))["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == \
        [r["locations"][0]["physicalLocation"]["region"]["startLine"] + 2 for r in before]
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]


def test_sarif_of_hostile_rule_text_validates_and_escapes_its_markdown() -> None:
    results, context = synthetic()
    doc = validate_sarif(RENDERERS["sarif"](results, context))
    descriptor = doc["runs"][0]["tool"]["driver"]["rules"][0]
    assert "helpUri" not in descriptor, "an organisation's rule has no page on plaint's site"
    help_md = descriptor["help"]["markdown"]
    assert "<b>" not in help_md and "](https://evil" not in help_md and "![i]" not in help_md
    assert "([source](https://example.org/a%20b%28c%29))" in help_md
    assert len(descriptor["shortDescription"]["text"]) <= 1024
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "dir%2C%20with%3A%20colon/spec%25.yaml"


def test_sarif_without_rule_metadata_still_validates(specs: Path) -> None:
    results, _ = check(".")
    validate_sarif(RENDERERS["sarif"](results, RenderContext()))


# --- JUnit -----------------------------------------------------------------------------

def test_junit_reads_with_a_junit_reader(specs: Path, tmp_path: Path) -> None:
    import junitparser  # a test dependency: a JUnit reader that is not ours
    report = tmp_path / "plaint.xml"
    report.write_text(render("junit", "."), encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(report))
    suites = {suite.name: suite for suite in xml}
    assert sorted(suites) == ["broken.yaml", "good.yaml", "waived.yaml"]

    def outcome(case: object) -> str:
        kinds = {type(r).__name__ for r in case.result}  # type: ignore[attr-defined]
        return next(iter(kinds)) if kinds else "passed"

    waived = {case.name: case for case in suites["waived.yaml"]}
    assert all(case.classname == "waived.yaml" for case in waived.values())
    assert outcome(waived["unreachable-step"]) == "Failure"
    failure = waived["unreachable-step"].result[0]
    assert failure.type == "error"
    assert "waived.yaml:13:3: error: step 'orphan' cannot be reached" in failure.text
    assert outcome(waived["unused-role"]) == "Skipped"
    assert waived["unused-role"].result[0].message.startswith("waived: " + visible(HOSTILE))
    assert outcome(waived["waiver-expired"]) == "Failure"
    assert outcome(waived["dead-end"]) == "passed"
    assert suites["waived.yaml"].tests == len(waived)
    assert suites["waived.yaml"].failures == 2 and suites["waived.yaml"].skipped == 1

    # A file that could not be read: an error for its load rule, and the rules it never ran skipped.
    broken = {case.name: case for case in suites["broken.yaml"]}
    assert outcome(broken["yaml-syntax"]) == "Error"
    assert outcome(broken["unreachable-step"]) == "Skipped"
    assert "could not be read" in broken["unreachable-step"].result[0].message
    assert suites["broken.yaml"].errors == 1

    assert all(outcome(case) == "passed" for case in suites["good.yaml"])
    assert xml.tests == sum(s.tests for s in suites.values())
    assert xml.failures == 2 and xml.errors == 1


def test_junit_structure_as_gitlab_and_jenkins_read_it(specs: Path) -> None:
    root = ET.fromstring(render("junit", "."))
    assert root.tag == "testsuites"
    totals = {k: 0 for k in ("tests", "failures", "errors", "skipped")}
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        counted = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        assert {k: int(suite.get(k)) for k in counted} == counted
        for key, value in counted.items():
            totals[key] += value
        names = [(c.get("classname"), c.get("name")) for c in cases]
        assert len(names) == len(set(names)), "GitLab keeps only the first of two equal test names"
        assert all(len(list(c)) <= 1 for c in cases)
    assert {k: int(root.get(k)) for k in totals} == totals
    assert not any(e.get("time") or e.get("timestamp") for e in root.iter()), "no times: deterministic"


def test_junit_holds_hostile_text_as_text() -> None:
    results, context = synthetic()
    text = RENDERERS["junit"](results, context)
    root = ET.fromstring(text)  # well-formed, control character and all
    (failure,) = root.iter("failure")
    assert failure.get("message") == visible(HOSTILE)
    (skipped,) = root.iter("skipped")
    assert skipped.get("message").startswith("waived: " + visible(HOSTILE))
    assert "<b>" not in text and "\u0007" not in text


# --- GitHub workflow commands ---------------------------------------------------------

# The documented syntax (docs.github.com, "Workflow commands for GitHub Actions"):
# ::error file={name},line={line},col={col},endLine={endLine},endColumn={endColumn},title={title}::{message}
# with property values free of ',', ':', CR and LF, and the message free of CR and LF.
_VALUE = r"(?:[^%,:\r\n]|%25|%0D|%0A|%3A|%2C)*"
ANNOTATION = re.compile(
    rf"^::(?P<level>error|warning|notice) file=(?P<file>{_VALUE}),line=(?P<line>[1-9]\d*),"
    rf"col=(?P<col>[1-9]\d*),endLine=(?P<endLine>[1-9]\d*),endColumn=(?P<endColumn>[1-9]\d*),"
    rf"title=(?P<title>{_VALUE})::(?P<message>(?:[^%\r\n]|%25|%0D|%0A)*)$")


def unescape(value: str) -> str:
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, plain)
    return value


def annotations(text: str) -> list[re.Match[str]]:
    lines = text.splitlines()
    assert lines[-1].startswith("plaint: ") and not lines[-1].startswith("::")
    matches = []
    for line in lines[:-1]:
        match = ANNOTATION.match(line)
        assert match, f"not a well-formed workflow command: {line!r}"
        matches.append(match)
    return matches


def test_github_annotations_match_the_documented_syntax(specs: Path) -> None:
    found = annotations(render("github", "."))
    by_title = {unescape(m["title"]).split(":")[0]: m for m in found}
    assert sorted(by_title) == ["plaint unreachable-step", "plaint waiver-expired", "plaint yaml-syntax"]
    orphan = by_title["plaint unreachable-step"]
    assert (orphan["level"], orphan["file"], orphan["line"], orphan["col"]) == ("error", "waived.yaml",
                                                                                "13", "3")
    assert unescape(orphan["title"]) == ("plaint unreachable-step: Every step can be reached from a "
                                         "receive step")
    assert unescape(orphan["message"]).startswith("step 'orphan' cannot be reached")
    # The waived finding is left out; the expired waiver's hostile approver stays one line.
    assert "unused-role" not in render("github", ".")
    expired = unescape(by_title["plaint waiver-expired"]["message"])
    assert visible(HOSTILE) in expired


def test_github_commands_cannot_be_injected() -> None:
    results, context = synthetic()
    text = RENDERERS["github"](results, context)
    (match,) = annotations(text)  # one finding, one line: the waived one is left out
    assert unescape(match["file"]) == "dir, with: colon/spec%.yaml"
    assert unescape(match["title"]) == f"plaint org/hostile: {visible(HOSTILE)}"
    assert unescape(match["message"]) == f"{visible(HOSTILE)}\nHow to fix it: {visible(HOSTILE)}"
    assert github.escape_property("a:b,c%\r\n") == "a%3Ab%2Cc%25%0D%0A"
    assert github.escape_data("a:b,c%\r\n") == "a:b,c%25%0D%0A"


# --- GitLab Code Quality --------------------------------------------------------------

def test_gitlab_code_quality_report(specs: Path) -> None:
    issues = json.loads(render("gitlab", "."))
    assert {i["check_name"] for i in issues} == {"unreachable-step", "waiver-expired", "yaml-syntax"}
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert not issue["location"]["path"].startswith(("/", "./"))
        assert issue["location"]["lines"]["begin"] >= 1
    by_rule = {i["check_name"]: i for i in issues}
    assert by_rule["yaml-syntax"]["severity"] == "blocker"
    assert by_rule["unreachable-step"]["severity"] == "major"
    assert by_rule["unreachable-step"]["location"] == {"path": "waived.yaml", "lines": {"begin": 13}}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_fingerprints_are_stable_and_unique() -> None:
    base = hostile_finding()
    moved = hostile_finding(span=Span(30, 1, 30, 2))
    assert fingerprints([base]) == fingerprints([moved]), "a line number is not part of the identity"
    assert fingerprints([base]) != fingerprints([hostile_finding(element="z")])
    assert fingerprints([base]) != fingerprints([hostile_finding(file="other.yaml")])
    # Two findings of one rule on one element: told apart, by pointer, then message, then order.
    twins = [hostile_finding(pointer="/a"), hostile_finding(pointer="/b")]
    same = [hostile_finding(), hostile_finding()]
    by_message = [hostile_finding(message="one"), hostile_finding(message="two")]
    for group in (twins, same, by_message):
        assert len(set(fingerprints(group))) == 2
    for group in (twins, by_message):
        # Told apart by what they say, not by their order: the identity does not swap.
        assert fingerprints(group[::-1]) == fingerprints(group)[::-1]
    # A finding alone on its element keeps its fingerprint when another appears elsewhere.
    assert fingerprints([base, hostile_finding(element="z")])[0] == fingerprints([base])[0]


# --- Markdown -------------------------------------------------------------------------

_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def test_markdown_summary_tables_and_diagram(specs: Path) -> None:
    text = render("markdown", ".")
    assert text.startswith("## ❌ plaint: 3 errors, 0 warnings, 0 info\n")
    assert "3 files checked (1 clean), 1 waived, **1 file could not be read**." in text
    assert "| `waived.yaml` | 2 | 0 | 0 | 1 |" in text
    assert f"[`unreachable-step`]({DOCS_BASE_URL}unreachable-step.md)" in text
    assert "<details><summary>1 waived finding</summary>" in text
    # Every table row has as many cells as its header.
    for table in re.findall(r"(?:^\|.*\|\n)+", text, re.MULTILINE):
        rows = table.splitlines()
        widths = {len(_CELL_SPLIT.split(row)) for row in rows}
        assert len(widths) == 1, rows
    (diagram,) = re.findall(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert "flowchart LR" in diagram
    assert "s_orphan" in diagram and "s_close" in diagram
    assert "s_receive" not in diagram, "only the steps with findings and their neighbours are drawn"
    assert "class s_orphan error" in diagram


def test_markdown_cannot_be_given_markup_by_a_spec() -> None:
    results, context = synthetic()
    text = RENDERERS["markdown"](results, context)
    for forbidden in ("<b>", "](https://evil", "![i]", "@security-team", "#12", "www.evil",
                      "https://evil", "*em*", "_u_", "~s~", "$x$", "`tick`", "\u0007"):
        assert forbidden not in text, forbidden
    assert not any(line.startswith("second line") for line in text.splitlines()), "a newline ends no row"
    for table in re.findall(r"(?:^\|.*\|\n)+", text, re.MULTILINE):
        assert len({len(_CELL_SPLIT.split(row)) for row in table.splitlines()}) == 1
    assert markdown.escape("1. not a list", line_start=True) == "1\\. not a list"
    assert markdown.code("a`b|c", table=True) == "``a`b\\|c``"


def test_affected_steps_keep_lanes_classes_and_branches(tmp_path: Path) -> None:
    spec = tmp_path / "choice.yaml"
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    spec.write_text(GOOD.replace("  respond: {kind: respond, owner: manager, next: close}\n",
                                 "  respond:\n    kind: respond\n    owner: manager\n    next:\n"
                                 "      - {to: close, when: satisfied}\n"
                                 "      - {to: review, when: dissatisfied}\n"
                                 "  review: {kind: review, owner: manager, next: respond}\n"
                                 "  extra: {kind: task, owner: manager, next: close}\n"))
    results, _ = check(str(spec))
    (result,) = results
    assert {f.element for f in result.findings if not f.waived} >= {"respond"}
    diagram = build_diagram(result)
    part = mermaid.affected(diagram)
    assert part is not None
    kept = {n.id for n in part.nodes}
    # respond's findings: its predecessors (receive, and review round the loop), and both
    # branches of its choice, through the gateway; not the unrelated task.
    assert {"respond", "receive", "review", "close", "respond~choice"} <= kept
    text = mermaid.render(part)
    assert 'subgraph L1["Agent"]' in text and "classDef error" in text
    assert {lane.id for lane in part.lanes} == {n.lane for n in part.nodes}
    for edge in part.edges:
        assert edge.source in kept and edge.target in kept
    (tmp_path / "good.yaml").write_text(GOOD)
    clean = build_diagram(check(str(tmp_path / "good.yaml"))[0][0])
    assert mermaid.affected(clean) is None and mermaid.render_affected(clean) is None


# --- Several formats in one run, and determinism --------------------------------------

@pytest.mark.parametrize(("formats", "outputs", "order", "expected"), [
    ((), (), (), [("text", None)]),
    (("json",), (), ("fmt",), [("json", None)]),
    (("json",), ("a.json",), ("output", "fmt"), [("json", "a.json")]),  # one of each: either order
    (("sarif", "text"), ("a.sarif",), ("fmt", "output", "fmt"), [("sarif", "a.sarif"), ("text", None)]),
    (("sarif", "text"), ("a.txt",), ("fmt", "fmt", "output"), [("sarif", None), ("text", "a.txt")]),
    (("sarif", "sarif"), ("a", "b"), ("fmt", "output", "fmt", "output"), [("sarif", "a"), ("sarif", "b")]),
])
def test_formats_pair_with_the_output_that_follows(formats: tuple, outputs: tuple, order: tuple,
                                                   expected: list) -> None:
    assert pair_formats(formats, outputs, order) == expected


@pytest.mark.parametrize(("formats", "outputs", "order", "message"), [
    (("sarif", "text"), (), ("fmt", "fmt"), "standard output"),
    (("sarif", "text"), ("a",), ("output", "fmt", "fmt"), "comes before any --format"),
    (("sarif", "text"), ("a", "b"), ("fmt", "output", "output", "fmt"), "two outputs"),
    (("sarif", "junit"), ("a", "a"), ("fmt", "output", "fmt", "output"), "same --output"),
])
def test_format_pairing_mistakes(formats: tuple, outputs: tuple, order: tuple, message: str) -> None:
    import click

    with pytest.raises(click.UsageError, match=message):
        pair_formats(formats, outputs, order)


def test_several_formats_in_one_run(specs: Path) -> None:
    out = specs / "reports"
    out.mkdir()
    proc = run_plaint("check", ".", "--format", "sarif", "--output", out / "plaint.sarif",
                      "-f", "text", "-f", "junit", "-o", out / "plaint.xml",
                      "--format=gitlab", f"--output={out / 'gl.json'}",
                      "-f", "markdown", "-o", out / "summary.md", "-f", "github", "-o", out / "gh.txt",
                      cwd=specs)
    assert proc.returncode == 2, proc.stderr  # broken.yaml could not be read
    assert "waived.yaml:13:3: error: step 'orphan' cannot be reached" in proc.stdout
    assert "1 file could not be read" in proc.stdout
    validate_sarif((out / "plaint.sarif").read_text(encoding="utf-8"))
    ET.fromstring((out / "plaint.xml").read_text(encoding="utf-8"))
    assert json.loads((out / "gl.json").read_text(encoding="utf-8"))
    assert (out / "summary.md").read_text(encoding="utf-8").startswith("## ")
    annotations((out / "gh.txt").read_text(encoding="utf-8"))


def test_single_format_and_output_still_pair_in_either_order(specs: Path) -> None:
    target = specs / "out.json"
    proc = run_plaint("check", "good.yaml", "-o", target, "-f", "json", cwd=specs)
    assert proc.returncode == 0 and proc.stdout == ""
    assert json.loads(target.read_text())["summary"]["files"] == 1


def test_two_formats_to_standard_output_is_a_usage_error(specs: Path) -> None:
    proc = run_plaint("check", "good.yaml", "-f", "sarif", "-f", "text", cwd=specs)
    assert proc.returncode == 2
    assert "standard output" in proc.stderr
    assert proc.stdout == ""


def test_a_missing_output_folder_writes_nothing(specs: Path) -> None:
    proc = run_plaint("check", "good.yaml", "-f", "sarif", "-o", specs / "a.sarif",
                      "-f", "junit", "-o", specs / "missing" / "a.xml", cwd=specs)
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    assert not (specs / "a.sarif").exists()


@pytest.mark.parametrize("fmt", CI_FORMATS)
def test_ci_formats_are_deterministic(specs: Path, fmt: str) -> None:
    first = render(fmt, ".")
    second = render(fmt, ".")
    assert first == second
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", first), "no timestamps"


def test_paths_for_code_hosts(specs: Path) -> None:
    assert artifact_path("./a/b.yaml") == "a/b.yaml"
    assert artifact_path(str(specs / "a" / "b.yaml")) == "a/b.yaml"
    assert artifact_path("<stdin>") == "<stdin>"
    assert artifact_path("/elsewhere/x.yaml") == "/elsewhere/x.yaml"

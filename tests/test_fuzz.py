"""Property-based tests: generated specs (valid ones, and mutations of valid ones) through
every command's in-process API. Each either succeeds or fails cleanly (findings, or a
DiagramError for a drawing), and every output stays well-formed and escaped.

Reproducible in CI: ``derandomize=True`` makes hypothesis derive its examples from the
test's source, so every run tries the same specs (no example database is needed). The
number of examples keeps the module under a minute; raise ``FUZZ_EXAMPLES`` locally
(e.g. ``FUZZ_EXAMPLES=500 pytest tests/test_fuzz.py``) to search harder.
``FUZZ_SHRINK=0`` skips shrinking a failure (quicker to see several at once).
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import yaml
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from test_ci_formats import annotations, validate_sarif
from test_report import parse

from plaint import __version__
from plaint.core.audit import audit
from plaint.core.calendar import CalendarError
from plaint.core.diff import diff_files
from plaint.core.engine import RuleSet
from plaint.core.findings import Severity
from plaint.core.pipeline import FileResult, check_bytes
from plaint.core.promises import promises
from plaint.core.run import default_ruleset
from plaint.core.timing import calendar_of
from plaint.renderers import RENDERERS, RenderContext, rules_in_force
from plaint.renderers.diagram import DiagramError, draw_all
from plaint.renderers.diff_report import DIFF_RENDERERS
from plaint.renderers.report import render_report
from plaint.renderers.report_data import build_report
from plaint.renderers.timing_report import render_json, render_text, timing_document

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                 phases=tuple(Phase) if os.environ.get("FUZZ_SHRINK", "1") == "1" else [Phase.generate])
TODAY = date(2026, 12, 1)
WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)

KINDS = ["receive", "record", "acknowledge", "assess", "investigate", "respond", "communicate", "review",
         "follow-up", "wait", "task", "close", "refer", "redirect", "collect", "analyse", "satisfaction",
         "monitor", "audit", "management-review", "improve"]
UNITS = ["hours", "working days", "business days", "calendar days", "days", "weeks", "months"]
# Text that tries to break out of each output format.
HOSTILE = ["<script>alert(1)</script>", "\"'><img src=x onerror=alert(2)>", "::error file=x::y", "%0A",
           "a\nb", "a\rb", "]]>", "{{ 7*7 }}", "\\N \\\\", "a|b", "`x`", "[x](javascript:alert(3))",
           "\u202eevil", "\x1b[31m", "\x07", "z\u200bw", "e\u0301", "\U0001F600", "&amp;", "--> end"]
# Characters no output may carry raw: controls (but line breaks and tabs), bidi overrides.
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

IDS = st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,3})?", fullmatch=True)
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=30),
                 st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4).map(" ".join))
DURATION = st.builds(lambda n, u: f"{n} {u}", st.integers(0, 30), st.sampled_from(UNITS))


@cache
def rules() -> RuleSet:
    return default_ruleset()


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    """A spec that the schema accepts: roles, channels, 1-15 steps with random kinds and
    control flow (any of which may break rules, which is fine)."""
    roles = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    channels = draw(st.lists(IDS, min_size=1, max_size=2, unique=True))
    names = draw(st.lists(IDS, min_size=1, max_size=15, unique=True))
    steps: dict[str, Any] = {}
    for index, name in enumerate(names):
        kind = "receive" if index == 0 else draw(st.sampled_from(KINDS))
        step: dict[str, Any] = {"kind": kind, "owner": draw(st.sampled_from(roles))}
        if kind == "receive":
            step["channels"] = channels
        if kind in ("refer", "redirect"):
            step["to_body" if kind == "refer" else "to_procedure"] = draw(TEXT)
        if draw(st.booleans()):
            step["title"] = draw(TEXT)
        if draw(st.booleans()):
            step["takes"] = draw(st.one_of(DURATION, st.builds(lambda d: {"max": d}, DURATION)))
        later = names[index + 1:] or names  # mostly forward; the last step may loop back
        flow = draw(st.sampled_from(["none", "one", "choice", "parallel"]))
        if flow == "one":
            step["next"] = draw(st.sampled_from(later))
        elif flow == "choice":
            targets = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3))
            step["next"] = [{"to": t, "when": draw(TEXT),
                             **({"max": draw(st.integers(1, 3))} if draw(st.booleans()) else {})}
                            for t in targets]
        elif flow == "parallel" and len(later) >= 2:
            step["next"] = {"parallel": draw(st.lists(st.sampled_from(later), min_size=2, max_size=2,
                                                      unique=True))}
        steps[name] = step
    spec: dict[str, Any] = {
        "plaint": 1,
        "process": {"id": draw(IDS), "title": draw(TEXT), "owner": roles[0]},
        "roles": {r: {"title": draw(TEXT)} for r in roles},
        "channels": {c: {"kind": "web-form"} for c in channels},
        "steps": steps,
    }
    if draw(st.booleans()):
        spec["process"]["commitments"] = [{"name": "reply", "from": names[0], "to": names[-1],
                                           "within": draw(DURATION)}]
    if draw(st.booleans()):
        spec["waivers"] = [{"rule": draw(st.sampled_from(["unused-role", "dead-end", "unreachable-step"])),
                            "at": draw(st.sampled_from(names)), "reason": draw(TEXT),
                            "approved_by": draw(TEXT), "expires": "2099-01-01"}]
    return spec


def dump(spec: Any) -> str:
    return yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)


@st.composite
def mutants(draw: st.DrawFn) -> str:
    """The YAML text of a valid spec, broken in one way."""
    spec = draw(specs())
    how = draw(st.sampled_from(["drop", "wrong-type", "unknown-step", "duplicate-step", "bytes"]))
    steps = spec["steps"]
    name = draw(st.sampled_from(sorted(steps)))
    if how == "drop":
        section = draw(st.sampled_from(["process", "roles", "channels", "steps", "plaint"]))
        if draw(st.booleans()):
            del spec[section]
        else:
            steps[name].pop(draw(st.sampled_from(sorted(steps[name]))))
    elif how == "wrong-type":
        value = draw(st.one_of(st.integers(), st.booleans(), st.none(), st.lists(st.integers(), max_size=2),
                               st.floats(allow_nan=True)))
        steps[name][draw(st.sampled_from(["kind", "owner", "next", "takes", "title", "channels"]))] = value
    elif how == "unknown-step":
        steps[name]["next"] = draw(IDS.filter(lambda s: s not in steps))
    text = dump(spec)
    if how == "duplicate-step":
        text = text.replace(f"\n  {name}:\n", f"\n  {name}:\n    kind: task\n  {name}:\n", 1)
    if how == "bytes":
        raw = text.encode("utf-8")
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]  # type: ignore[return-value]
    return text


def checked(text: str | bytes, name: str = "fuzz.yaml") -> FileResult:
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    return check_bytes(raw, name, rules())


def assert_outputs_well_formed(results: list[FileResult]) -> None:
    """Every check format, diagrams, the report and timing, on these results."""
    ruleset, documented = rules_in_force(results)
    packs = tuple(sorted({p for r in results for p in r.packs}))
    context = RenderContext(tool_version=__version__, packs=packs, rules=ruleset, documented=documented)
    out = {fmt: render(results, context) for fmt, render in RENDERERS.items()}
    json.loads(out["json"])
    json.loads(out["gitlab"])
    validate_sarif(out["sarif"])
    ET.fromstring(out["junit"])
    annotations(out["github"])
    for fmt in ("text", "concise", "markdown", "junit", "github"):
        assert not RAW_CONTROL.search(out[fmt]), fmt
    prose = re.sub(r"```.*?```", "", out["markdown"], flags=re.DOTALL)  # code blocks are not markup
    for fragment in ("<script", "<img", "](javascript:"):
        assert fragment not in prose, fragment
    for result in results:
        if result.process is not None and result.graph is not None:
            try:
                drawings = draw_all(result, ["dot", "mermaid"])
            except DiagramError:
                pass  # a clean failure (Graphviz refused or timed out)
            else:
                for fmt in ("dot", "mermaid"):
                    text = drawings[fmt].content.decode("utf-8")
                    assert not RAW_CONTROL.search(text), fmt
                assert "<script" not in drawings["mermaid"].content.decode("utf-8")
            try:
                calendar = calendar_of(result.graph)
            except CalendarError:
                continue  # plaint timing refuses it with a message
            rows = promises(result, TODAY.year)
            document = timing_document(result, calendar, rows, TODAY.year, __version__)
            json.loads(render_json(document))
            json.dumps(document, allow_nan=False)
            timing_text = render_text(document, rows)
            assert not RAW_CONTROL.search(timing_text), "timing text"
            assert not re.search(r"^::", timing_text, re.MULTILINE), "timing text"
    audits = [audit(result, TODAY, None) for result in results]
    data, _ = build_report(audits, Severity.ERROR, generated_at=WHEN, generated_at_source="fixed",
                           today=TODAY, today_given=True, config=None)
    page = parse(render_report(data))
    assert [t for t, _ in page.tags if t == "script"] == ["script"]
    assert not [t for t, _ in page.tags if t in ("img", "iframe", "object", "embed")]
    assert not [name for _, attrs in page.tags for name in attrs if name.startswith("on")]
    assert "alert(" not in page.script


@FUZZ
@given(spec=specs())
def test_valid_specs_pass_through_every_output(spec: dict[str, Any]) -> None:
    result = checked(dump(spec))
    assert not result.unreadable, result.findings
    assert not [f for f in result.findings if f.rule in ("schema", "internal-error")], result.findings
    assert_outputs_well_formed([result])


@FUZZ
@given(text=mutants())
def test_mutated_specs_fail_cleanly(text: str | bytes) -> None:
    result = checked(text)
    assert not [f for f in result.findings if f.rule == "internal-error"], result.findings
    for finding in result.findings:
        assert finding.span.line >= 1 and finding.span.column >= 1
    assert_outputs_well_formed([result])


@FUZZ
@given(old=specs(), new=st.one_of(specs(), mutants()))
def test_diff_of_two_generated_specs(old: dict[str, Any], new: str | bytes | dict[str, Any]) -> None:
    before = checked(dump(old), "old.yaml")
    after = checked(dump(new) if isinstance(new, dict) else new, "new.yaml")
    report = diff_files(before, after, year=TODAY.year)
    from plaint.core.diff import DiffReport

    whole = DiffReport((report,), Severity.ERROR, TODAY.year, None)
    for fmt, render in DIFF_RENDERERS.items():
        text = render(whole, __version__)
        if fmt == "json":
            json.loads(text)  # JSON may carry any character; it escapes the controls itself
        else:
            assert not RAW_CONTROL.search(text), fmt

"""JUnit XML, for the test reports of GitLab, Jenkins and other CI servers.

One ``<testsuite>`` per file, one ``<testcase>`` per rule in force for it
(``classname`` the file, ``name`` the rule id; GitLab shows the class name as
the suite and keeps only the first of two test cases with one name, so one
case per rule and file is also what it needs):

- a rule with no finding passes (an empty test case);
- a rule with unwaived findings fails: one ``<failure>`` (``type`` the worst
  severity, ``message`` the first finding) whose text lists every finding of
  that rule as ``file:line:col: severity: message``, waived ones marked;
- a file that could not be read gives an ``<error>`` instead: the check could
  not run, which is what JUnit's error means;
- a rule whose findings are all waived is ``<skipped>``, with the waivers'
  reasons: an accepted exception is neither a pass nor a failure;
- when an earlier stage stopped the file (it could not be read, or it does not
  match the spec schema), the rules that never ran are ``<skipped>`` with that
  reason, not reported as passes.

Rules that no pack runs (the input and waiver rules) appear only when they
report something. There are no times or timestamps: the output is the same on
every run. Text is escaped by the XML writer, and characters XML cannot hold
at all (control characters) are written out as ``\\u0007``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from plaint.core.findings import Finding
from plaint.core.pipeline import FileResult
from plaint.renderers import RenderContext, artifact_path, file_rules
from plaint.renderers.escape import visible

# Beyond visible()'s set: what XML 1.0 forbids outright (lone surrogates, U+FFFE, U+FFFF).
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", visible(text))


def _line(finding: Finding) -> str:
    state = " (waived)" if finding.waived else ""
    out = f"{artifact_path(finding.file)}:{finding.span.line}:{finding.span.column}: " \
          f"{finding.severity}{state}: {finding.message}"
    if finding.hint:
        out += f"\n    how to fix it: {finding.hint}"
    if finding.waiver:
        w = finding.waiver
        out += f"\n    waived: {w.reason} (approved by {w.approved_by}, expires {w.expires})"
    return out


def _waiver_note(findings: list[Finding]) -> str:
    reasons = sorted({f"{f.waiver.reason} (approved by {f.waiver.approved_by}, expires {f.waiver.expires})"
                      for f in findings if f.waiver})
    return "waived: " + "; ".join(reasons)


def _stopped_reason(result: FileResult) -> str:
    if result.unreadable:
        return "not checked: the file could not be read"
    return "not checked: the spec has errors that stop later checks (see the failing test cases)"


def _case(suite: ET.Element, path: str, rule_id: str, findings: list[Finding],
          skipped_reason: str | None, tally: dict[str, int]) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": _xml(path), "name": _xml(rule_id),
                                         "file": _xml(path)})
    tally["tests"] += 1
    live = [f for f in findings if not f.waived]
    if live:
        worst = max(live, key=lambda f: f.severity)
        first = live[0].message + (f" (and {len(live) - 1} more)" if len(live) > 1 else "")
        tag = "error" if any(f.fatal for f in live) else "failure"
        element = ET.SubElement(case, tag, {"message": _xml(first), "type": str(worst.severity)})
        element.text = _xml("\n".join(_line(f) for f in findings))
        tally["errors" if tag == "error" else "failures"] += 1
    elif findings:
        note = _waiver_note(findings)
        element = ET.SubElement(case, "skipped", {"message": _xml(note)})
        element.text = _xml("\n".join(_line(f) for f in findings))
        tally["skipped"] += 1
    elif skipped_reason:
        ET.SubElement(case, "skipped", {"message": skipped_reason}).text = skipped_reason
        tally["skipped"] += 1


def _suite(parent: ET.Element, result: FileResult) -> dict[str, int]:
    path = artifact_path(result.path)
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_rule[finding.rule].append(finding)
    in_force = {rule.id for rule in file_rules(result)}
    # The rules ran only when the file reached the graph stage; otherwise they are skipped.
    stopped = None if result.graph is not None else _stopped_reason(result)
    tally = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    suite = ET.SubElement(parent, "testsuite", {"name": _xml(path)})
    for rule_id in sorted(in_force | set(by_rule)):
        _case(suite, path, rule_id, by_rule.get(rule_id, []), stopped, tally)
    # The counts go after the name, as readers and people expect to see them.
    suite.attrib.update({key: str(value) for key, value in tally.items()})
    return tally


def render(results: list[FileResult], context: RenderContext) -> str:
    root = ET.Element("testsuites", {"name": "plaint"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for result in results:
        for key, value in _suite(root, result).items():
            totals[key] += value
    root.attrib.update({key: str(value) for key, value in totals.items()})
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

"""SARIF 2.1.0, for code scanning (GitHub) and any SARIF viewer.

One run; ``tool.driver.rules`` describes every rule in force (with its help
text, the clauses it rests on and a help URI for plaint's own rules) and
every rule a finding names; a result per finding, with its region, logical
location (element id and JSON pointer) and a partial fingerprint that does
not depend on the line.

Waived findings stay in the log as results with a suppression (``inSource``:
the waiver is written in the spec), whose justification is the waiver's reason
with its approver and expiry. SARIF asks that either every result of a run
carries ``suppressions`` or none does, so unwaived results carry an empty list.
GitHub code scanning does not read ``suppressions`` and would show waived
findings as open alerts: docs/ci.md shows how to leave them out of the file
uploaded there, while the full log stays the audit record.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from plaint.core.findings import Finding, Severity
from plaint.core.packs import Rule
from plaint.core.pipeline import FileResult
from plaint.renderers import PROJECT_URL, RenderContext, artifact_path, run_fingerprints
from plaint.renderers.markdown import escape as md

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "plaint/v1"  # bump the version if what goes into a fingerprint changes
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub's reading of a rule's weight for results that are not about security.
PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}
TEXT_LIMIT = 1024  # GitHub's limit on a rule's short and full description


def _clip(text: str, limit: int = TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _clause_link(url: str | None) -> str | None:
    # Only web addresses become links, with the characters that would end one encoded.
    if not url or not url.startswith(("https://", "http://")):
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%-._~")


def _help(rule: Rule, uri: str | None) -> dict[str, str]:
    clauses = [c.label() for c in rule.clauses]
    text = [f"What it checks: {rule.checks}", f"Why it matters: {rule.rationale}",
            f"How to fix it: {rule.hint}"]
    if clauses:
        text.append("Rests on: " + "; ".join(clauses) + ".")
    if uri:
        text.append(f"Documentation: {uri}")
    markdown = [f"**What it checks.** {md(rule.checks)}", f"**Why it matters.** {md(rule.rationale)}",
                f"**How to fix it.** {md(rule.hint)}"]
    if rule.clauses:
        lines = []
        for clause in rule.clauses:
            link = _clause_link(clause.url)
            source = f" ([source]({link}))" if link else ""
            lines.append(f"- {md(clause.label(), line_start=True)}{source}")
        markdown.append("**Rests on:**\n\n" + "\n".join(lines))
    if uri:
        markdown.append(f"[Rule documentation]({uri})")
    return {"text": "\n\n".join(text), "markdown": "\n\n".join(markdown)}


def _descriptor(rule: Rule, context: RenderContext) -> dict[str, Any]:
    uri = context.help_uri(rule.id)
    out: dict[str, Any] = {
        "id": rule.id,
        "shortDescription": {"text": _clip(rule.title)},
        "fullDescription": {"text": _clip(rule.checks or rule.title)},
        "help": _help(rule, uri),
    }
    if uri:
        out["helpUri"] = uri
    out["defaultConfiguration"] = {"level": LEVELS[rule.severity]}
    out["properties"] = {
        "tags": [rule.pack],
        "problem.severity": PROBLEM_SEVERITY[rule.severity],
        "pack": rule.pack,
        "clauses": [c.label() for c in rule.clauses],
    }
    return out


def _bare_descriptor(rule_id: str) -> dict[str, Any]:
    """A rule the context does not describe (a caller that gave no rules)."""
    return {"id": rule_id, "shortDescription": {"text": rule_id},
            "fullDescription": {"text": rule_id}, "help": {"text": rule_id}}


def _region(finding: Finding) -> dict[str, int]:
    span = finding.span
    start_line, start_col = max(1, span.line), max(1, span.column)
    end_line = max(start_line, span.end_line)
    end_col = span.end_column if end_line > start_line else max(start_col, span.end_column)
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line,
            "endColumn": max(1, end_col)}


def artifact_uri(path: str) -> str:
    """A relative URI reference for a file in the working folder (resolved against the
    repository by code hosts); a ``file:`` URI for one elsewhere."""
    shown = artifact_path(path)
    if PurePath(shown).is_absolute():
        return Path(shown).as_uri()
    # ':' is encoded too, so that no first segment reads as a URI scheme.
    return quote(shown, safe="/")


def _location(finding: Finding) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": {
        "artifactLocation": {"uri": artifact_uri(finding.file)},
        "region": _region(finding),
    }}
    if finding.element or finding.pointer:
        logical: dict[str, str] = {}
        if finding.element:
            logical["name"] = finding.element
        if finding.pointer:
            logical["fullyQualifiedName"] = finding.pointer
        logical["kind"] = "element"
        location["logicalLocations"] = [logical]
    return location


def _result(finding: Finding, index: int, fingerprint: str) -> dict[str, Any]:
    text = finding.message + (f"\n\nHow to fix it: {finding.hint}" if finding.hint else "")
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [_location(finding)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "suppressions": [],
    }
    if finding.waiver:
        w = finding.waiver
        expiry = f", expires {w.expires}" if w.expires else ""
        result["suppressions"] = [{
            "kind": "inSource", "status": "accepted",
            "justification": f"{w.reason} (approved by {w.approved_by}{expiry})",
            "properties": {"approvedBy": w.approved_by, "expires": w.expires, "target": w.target},
        }]
    properties: dict[str, Any] = {"pack": finding.pack}
    if finding.fatal:
        properties["unreadable"] = True  # the file could not be read: plaint exits 2
    result["properties"] = properties
    return result


def document(results: list[FileResult], context: RenderContext) -> dict[str, Any]:
    descriptors = [_descriptor(rule, context) for rule in context.rules]
    index = {rule.id: i for i, rule in enumerate(context.rules)}
    for finding in (f for r in results for f in r.findings):
        if finding.rule not in index:
            index[finding.rule] = len(descriptors)
            descriptors.append(_bare_descriptor(finding.rule))
    out = []
    for result, prints in zip(results, run_fingerprints(results), strict=True):
        for finding, fingerprint in zip(result.findings, prints, strict=True):
            out.append(_result(finding, index[finding.rule], fingerprint))
    driver: dict[str, Any] = {"name": "plaint", "informationUri": PROJECT_URL}
    if context.tool_version:
        driver["version"] = context.tool_version
    driver["rules"] = descriptors
    tool: dict[str, Any] = {"driver": driver}
    if context.packs:
        # The policy packs used, with their versions: what a rule's outcome depends on.
        tool["extensions"] = [{"name": pack_id, "version": version} for pack_id, version in context.packs]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{"tool": tool, "columnKind": "unicodeCodePoints", "results": out}],
    }


def render(results: list[FileResult], context: RenderContext) -> str:
    return json.dumps(document(results, context), indent=2, ensure_ascii=False) + "\n"

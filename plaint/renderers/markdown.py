"""Markdown: a summary for ``$GITHUB_STEP_SUMMARY``, a pull-request comment or a wiki.

Counts by severity and by file, the findings grouped by file (waived ones
folded away, with their reasons), and for each process a Mermaid diagram of
the steps with findings and their direct neighbours.

Everything that comes from a spec or a pack passes through :func:`escape` or
:func:`code`: it cannot make a link, an image, HTML, emphasis, maths or a new
table cell, break a table row, mention a person or team (``@name``) or refer
to an issue (``#12``), and bare web addresses are not turned into links.
"""

from __future__ import annotations

import re

from plaint.core.findings import Finding, Severity
from plaint.core.pipeline import FileResult
from plaint.renderers import RenderContext, artifact_path
from plaint.renderers.escape import printable
from plaint.renderers.summary import counts, plural

MAX_ROWS = 100  # findings listed per file (a pull-request comment holds 65,536 characters)
MAX_DIAGRAM_NODES = 60  # larger neighbourhoods are left to `plaint render`
SIZE_BUDGET = 60_000  # past this, diagrams are left out so the findings still fit a comment

# ASCII punctuation that Markdown (GitHub's flavour included: ~ for strikethrough,
# $ for maths, | for tables) gives a meaning; a backslash makes each literal.
_PUNCTUATION = set("\\`*_[]|~!$")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LEADING = re.compile(r"^([-+#>=]|\d+[.)])")  # what would start a list, heading or quote
_URL = re.compile(r"(?i)(://|\bwww\.)")
# GitHub links @name and #123 in rendered text, even escaped; a zero-width space stops it.
_REFERENCE = re.compile(r"([@#])(?=\w)")


def escape(text: str, *, line_start: bool = False) -> str:
    """Spec text as literal inline Markdown, on one line. ``line_start``: the text
    begins a line or a list item, where ``-``, ``#``, ``>`` or ``1.`` would start a
    block of their own."""
    out = "".join("\\" + ch if ch in _PUNCTUATION else _ENTITIES.get(ch, ch) for ch in printable(text))
    if line_start:
        out = _LEADING.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], out)
    out = _URL.sub(lambda m: "\\:" + m.group(1)[1:] if m.group(1) == "://" else m.group(1)[:-1] + "\\.",
                   out)
    return _REFERENCE.sub(lambda m: m.group(1) + "\u200b", out)


def code(text: str, *, table: bool = False) -> str:
    """Text in a code span (shown as written, never interpreted). In a table cell a
    ``|`` still ends the cell, so there it is escaped too (GitHub drops the backslash)."""
    body = printable(text)
    longest = max((len(run) for run in re.findall("`+", body)), default=0)
    fence = "`" * (longest + 1)
    if body.startswith("`") or body.endswith("`") or (body[:1] == " " and body[-1:] == " "):
        body = f" {body} "
    if table:
        body = body.replace("|", "\\|")
    return f"{fence}{body}{fence}"


def _rule_link(rule_id: str, context: RenderContext) -> str:
    uri = context.help_uri(rule_id)
    label = code(rule_id, table=True)
    return f"[{label}]({uri})" if uri else label


def _count_cells(findings: list[Finding]) -> list[str]:
    """Errors, warnings, info (unwaived), and waived."""
    live = [f for f in findings if not f.waived]
    by_severity = [sum(1 for f in live if f.severity == s)
                   for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    return [str(n) for n in (*by_severity, len(findings) - len(live))]


def _summary(results: list[FileResult], context: RenderContext) -> list[str]:
    c = counts(results)
    clean = sum(1 for r in results if all(f.waived for f in r.findings))
    status = "❌" if c["error"] or c["unreadable"] else ("⚠️" if c["warning"] else "✅")
    lines = [f"## {status} plaint: {plural(c['error'], 'error')}, {plural(c['warning'], 'warning')}, "
             f"{c['info']} info", ""]
    facts = [f"{plural(c['files'], 'file')} checked ({clean} clean)"]
    if c["waived"]:
        facts.append(f"{c['waived']} waived")
    if c["unreadable"]:
        facts.append(f"**{plural(c['unreadable'], 'file')} could not be read**")
    lines.append(", ".join(facts) + ".")
    if context.tool_version or context.packs:
        packs = ", ".join(f"{escape(p)} {escape(v)}" for p, v in context.packs)
        lines += ["", f"<sub>plaint {escape(context.tool_version)}" + (f"; packs: {packs}" if packs else "")
                  + "</sub>"]
    with_findings = [r for r in results if r.findings]
    if with_findings:
        lines += ["", "| file | errors | warnings | info | waived |", "|---|---:|---:|---:|---:|"]
        for result in with_findings:
            cells = _count_cells(result.findings)
            lines.append(f"| {code(artifact_path(result.path), table=True)} | " + " | ".join(cells) + " |")
        if len(with_findings) > 1:
            every = [f for r in results for f in r.findings]
            lines.append("| **all files** | " + " | ".join(f"**{n}**" for n in _count_cells(every)) + " |")
    return lines


def _finding_cell(finding: Finding) -> str:
    text = escape(finding.message)
    if finding.hint:
        text += f"<br>*How to fix it:* {escape(finding.hint)}"
    return text


def _where(finding: Finding) -> str:
    return f"{finding.span.line}:{finding.span.column}"


def _diagram(result: FileResult) -> str | None:
    if result.process is None or result.graph is None:
        return None
    from plaint.renderers import mermaid
    from plaint.renderers.diagram_model import build_diagram

    part = mermaid.affected(build_diagram(result))
    if part is None:
        return None
    steps = sum(1 for n in part.nodes if not n.gateway)
    if steps > MAX_DIAGRAM_NODES:
        return (f"*{steps} steps are around the findings: too many to draw here; "
                "`plaint render` draws the whole process with its findings.*")
    # The Mermaid text escapes its labels, backticks included, so no fence can end early.
    return "```mermaid\n" + mermaid.render(part) + "```"


def _file_section(result: FileResult, context: RenderContext, diagrams: bool) -> list[str]:
    lines = ["", f"### {code(artifact_path(result.path))}", ""]
    live = [f for f in result.findings if not f.waived]
    waived = [f for f in result.findings if f.waived]
    if live:
        lines += ["| where | severity | rule | finding |", "|---|---|---|---|"]
        for finding in live[:MAX_ROWS]:
            severity = str(finding.severity)
            if finding.severity == Severity.ERROR:
                severity = f"**{severity}**"
            lines.append(f"| {_where(finding)} | {severity} | {_rule_link(finding.rule, context)} | "
                         f"{_finding_cell(finding)} |")
        if len(live) > MAX_ROWS:
            lines += ["", f"*… and {len(live) - MAX_ROWS} more: the text, JSON or SARIF output lists "
                          "them all.*"]
    if waived:
        lines += ["", f"<details><summary>{plural(len(waived), 'waived finding')}</summary>", "",
                  "| where | rule | finding | reason | approved by | expires |", "|---|---|---|---|---|---|"]
        for finding in waived[:MAX_ROWS]:
            w = finding.waiver
            assert w is not None
            lines.append(f"| {_where(finding)} | {_rule_link(finding.rule, context)} | "
                         f"{escape(finding.message)} | {escape(w.reason)} | {escape(w.approved_by)} | "
                         f"{escape(w.expires or '')} |")
        if len(waived) > MAX_ROWS:
            lines += ["", f"*… and {len(waived) - MAX_ROWS} more.*"]
        lines += ["", "</details>"]
    if diagrams and live:
        drawing = _diagram(result)
        if drawing:
            lines += ["", "**Steps with findings, and their neighbours:**", "", drawing]
    return lines


def _document(results: list[FileResult], context: RenderContext, diagrams: bool) -> str:
    lines = _summary(results, context)
    for result in results:
        if result.findings:
            lines += _file_section(result, context, diagrams)
    return "\n".join(lines) + "\n"


def render(results: list[FileResult], context: RenderContext) -> str:
    text = _document(results, context, diagrams=True)
    if len(text) > SIZE_BUDGET:
        text = _document(results, context, diagrams=False)
    return text

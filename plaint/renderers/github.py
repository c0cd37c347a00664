"""GitHub Actions workflow commands: an annotation per finding, on the file and line.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::MESSAGE`` for
errors (``warning`` and ``notice`` for the others), escaped as GitHub's toolkit
does: in the message ``%``, carriage return and line feed become ``%25``,
``%0D``, ``%0A``; in a property ``:`` and ``,`` too (``%3A``, ``%2C``). So no
text from a spec can end a command or start another: each finding is exactly
one line. Waived findings are left out (an annotation asks for action, and an
accepted exception needs none); the summary line at the end counts them, and
the Markdown, SARIF and JUnit outputs list them with their reasons.

GitHub shows at most 10 error and 10 warning annotations per step (and 50 per
job) on the summary page; the others are still marked in the log.
"""

from __future__ import annotations

from plaint.core.findings import Finding, Severity
from plaint.core.pipeline import FileResult
from plaint.renderers import RenderContext, artifact_path
from plaint.renderers.escape import visible
from plaint.renderers.text import summary_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A command's message (GitHub's escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value (GitHub's escapeProperty)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, title: str) -> str:
    span = finding.span
    properties = {
        "file": artifact_path(finding.file),
        "line": str(span.line),
        "col": str(span.column),
        "endLine": str(max(span.line, span.end_line)),
        "endColumn": str(span.end_column),
        "title": title,
    }
    # Control characters are shown, not passed on: the log viewer must not obey them.
    props = ",".join(f"{key}={escape_property(visible(value))}" for key, value in properties.items())
    message = finding.message + (f"\nHow to fix it: {finding.hint}" if finding.hint else "")
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(visible(message))}"


def render(results: list[FileResult], context: RenderContext) -> str:
    lines = []
    for result in results:
        for finding in result.findings:
            if finding.waived:
                continue
            rule = context.rule(finding.rule)
            title = f"plaint {finding.rule}" + (f": {rule.title}" if rule else "")
            lines.append(annotation(finding, title))
    # A plain line (not a command) for the log: it cannot be taken for one.
    lines.append("plaint: " + summary_line(results))
    return "\n".join(lines) + "\n"

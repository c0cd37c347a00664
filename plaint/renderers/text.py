"""Text for people: grouped by file, coloured on a terminal, with a summary."""

from __future__ import annotations

import click

from plaint.core.findings import Finding, Severity
from plaint.core.pipeline import FileResult
from plaint.renderers import RenderContext
from plaint.renderers.summary import counts, plural

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def _clean(text: str) -> str:
    # Spec text could hold terminal escape sequences; show them, never obey them.
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in text)


def _label(finding: Finding, color: bool) -> str:
    name = f"{finding.severity} (waived)" if finding.waived else str(finding.severity)
    padded = f"{name}:"
    if not color:
        return padded
    if finding.waived:
        return click.style(padded, dim=True)
    return click.style(padded, fg=_COLOURS[finding.severity], bold=finding.severity == Severity.ERROR)


def render(results: list[FileResult], context: RenderContext) -> str:
    color = context.color
    lines: list[str] = []
    for result in results:
        if not result.findings:
            continue
        for f in result.findings:
            # The full location on every line, so terminals and editors can jump to it.
            rule = click.style(f.rule, dim=True) if color else f.rule
            lines.append(f"{_clean(f.location())}: {_label(f, color)} {_clean(f.message)}  [{rule}]")
            if f.hint:
                lines.append(f"    hint: {_clean(f.hint)}")
            if f.waiver:
                w = f.waiver
                lines.append(f"    waived: {_clean(w.reason)} (approved by "
                             f"{_clean(w.approved_by)}, expires {w.expires})")
        lines.append("")
    lines.append(summary_line(results, color))
    return "\n".join(lines) + "\n"


def summary_line(results: list[FileResult], color: bool = False) -> str:
    c = counts(results)
    clean_files = sum(1 for r in results if all(f.waived for f in r.findings))
    parts = [plural(c["error"], "error"), plural(c["warning"], "warning"), f"{c['info']} info"]
    if c["waived"]:
        parts.append(f"{c['waived']} waived")
    text = f"{plural(c['files'], 'file')} checked ({clean_files} clean): " + ", ".join(parts)
    if c["unreadable"]:
        text += f"; {plural(c['unreadable'], 'file')} could not be read"
    if not color:
        return text
    bad = c["error"] or c["unreadable"]
    return click.style(text, fg="red" if bad else ("yellow" if c["warning"] else "green"),
                       bold=True)


def render_concise(results: list[FileResult], context: RenderContext) -> str:
    """One line per finding, ``file:line:col: severity [rule] message``, for editors and grep."""
    lines = []
    for result in results:
        for f in result.findings:
            level = f"{f.severity} (waived)" if f.waived else str(f.severity)
            lines.append(f"{_clean(f.location())}: {level} [{f.rule}] {_clean(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")

"""``plaint diff`` output: text for people, JSON for machines, Markdown for pull requests.

Each renderer takes a :class:`plaint.core.diff.DiffReport` and the tool version
and returns the whole output; nothing here recomputes analysis. Everything a
spec author wrote is escaped: control characters are written out in text, and
Markdown's own characters (``|``, backticks, ``<``, ``[``, ``*``, ``@``…) are
escaped, so a title can neither break a table nor add a link, an image, HTML
or a mention.

The JSON shape (``format: plaint-diff``, version 1) is documented in docs/diff.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from plaint.core.diff import (
    ADDED,
    CHANGED,
    GROUPS,
    REMOVED,
    DiffReport,
    ElementChange,
    FieldChange,
    FileDiff,
    PromiseChange,
    PromiseTiming,
    TransitionChange,
    TransitionInfo,
    Value,
)
from plaint.core.findings import Finding
from plaint.core.timing import measure_words
from plaint.renderers.escape import printable
from plaint.renderers.markdown import escape as markdown_escape
from plaint.renderers.summary import plural

FORMAT_VERSION = 1

GROUP_TITLES = {"step": "Steps", "role": "Roles", "channel": "Channels",
                "commitment": "Commitments", "publication": "Publications", "waiver": "Waivers"}
GROUP_KEYS = {"step": "steps", "role": "roles", "channel": "channels",
              "commitment": "commitments", "publication": "publications", "waiver": "waivers"}
MARKS = {ADDED: "+", REMOVED: "-", CHANGED: "~"}
STATE_WORDS = {"ok": "", "invalid": "has errors, so its procedure could not be read",
               "unreadable": "could not be read", "absent": "does not exist"}

Escape = Callable[[str], str]


# -- words shared by text and Markdown -----------------------------------------------------------

def value_words(value: Value, esc: Escape) -> str:
    """A field's value in words: '(not set)', 'true', '[a, b]', '{key: value}'."""
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return esc("[") + ", ".join(value_words(v, esc) for v in value) + esc("]")
    if isinstance(value, dict):
        items = ", ".join(f"{esc(str(k))}: {value_words(v, esc)}" for k, v in value.items())
        return esc("{") + items + esc("}")
    return esc(str(value))


def field_words(change: FieldChange, esc: Escape, arrow: str) -> str:
    """'owner: a -> b', or for a list 'tells: + external-referral, - remedy'."""
    name = esc(change.field)
    if change.added or change.removed:
        parts = [f"+ {', '.join(esc(x) for x in change.added)}"] if change.added else []
        if change.removed:
            parts.append(f"- {', '.join(esc(x) for x in change.removed)}")
        return f"{name}: " + "; ".join(parts)
    return f"{name}: {value_words(change.before, esc)} {arrow} {value_words(change.after, esc)}"


def transition_words(info: TransitionInfo, target: str, esc: Escape) -> str:
    text = f"to {esc(target)}"
    if info.form == "parallel":
        text += " (in parallel)"
    if info.guard is not None:
        text += f" when {esc(info.guard)}"
    if info.max is not None:
        text += f" (max {info.max})"
    return text


def move_words(move: TransitionChange, esc: Escape, arrow: str) -> str:
    if move.change == ADDED:
        assert move.after is not None
        return "+ " + transition_words(move.after, move.target, esc)
    if move.change == REMOVED:
        assert move.before is not None
        return "- " + transition_words(move.before, move.target, esc)
    assert move.before is not None and move.after is not None
    return (f"~ {transition_words(move.before, move.target, esc)} {arrow} "
            f"{transition_words(move.after, move.target, esc)}")


def summary_of(element: ElementChange, esc: Escape) -> str:
    """What an added or removed element is, in a few words: its kind, owner, title…"""
    values = {f.field: (f.after if element.change == ADDED else f.before) for f in element.fields}
    if element.group == "publication":
        values.pop("where", None)  # its id is 'medium: where' already
    parts = []
    for name in ("kind", "owner", "title", "senior", "from", "to", "within", "where", "reason",
                 "approved_by", "expires"):
        value = values.get(name)
        if value in (None, False, [], ""):
            continue
        if name == "senior":
            parts.append("senior")
        elif name == "kind":
            parts.append(value_words(value, esc))
        elif name == "title":
            parts.append(f'"{value_words(value, esc)}"')
        else:
            parts.append(f"{name.replace('_', ' ')} {value_words(value, esc)}")
    nexts = [transition_words(m.after or m.before, m.target, esc)  # type: ignore[arg-type]
             for m in element.transitions]
    if nexts:
        parts.append("next " + "; ".join(nexts))
    return ", ".join(parts)


def process_words(diff: FileDiff, esc: Escape, arrow: str) -> str | None:
    """'process x', or 'process x -> y' when the id changed; None when neither has one."""
    old, new = diff.old_process, diff.new_process
    if old and new and old != new:
        return f"process {esc(old)} {arrow} {esc(new)}"
    shown = new or old
    return f"process {esc(shown)}" if shown else None


def amount_words(x: float | None, measure: str) -> str:
    """'3 working days'; a negative margin as '-1 working day' (late by one)."""
    if x is None:
        return "-"
    return ("-" if x < 0 else "") + measure_words(abs(x), measure)


def delta_words(change: PromiseChange) -> str:
    if change.change == ADDED:
        return "new"
    if change.change == REMOVED:
        return "removed"
    delta = change.worst_delta
    if delta is None:
        return "-" if change.change == CHANGED else "="
    if abs(delta) < 1e-9:
        return "="
    assert change.after is not None
    sign = "+" if delta > 0 else "-"
    return sign + measure_words(abs(delta), change.after.measure)


def status_words(change: PromiseChange) -> str:
    before = change.before.status if change.before else None
    after = change.after.status if change.after else None
    shown = {s: (s.upper() if s == "broken" else s) for s in (before, after) if s}
    if before is None:
        return shown[after]  # type: ignore[index]
    if after is None:
        return f"was {shown[before]}"
    return shown[after] if before == after else f"{shown[before]} -> {shown[after]}"


def promise_details(change: PromiseChange, esc: Escape, arrow: str) -> list[str]:
    """What else changed about a promise: best case, margin, late start dates, critical path."""
    b, a = change.before, change.after
    if b is None or a is None or change.change == "unchanged":
        return []
    out = []

    def pair(label: str, before: str, after: str) -> None:
        if before != after:
            out.append(f"{label}: {before} {arrow} {after}")

    pair("within", b.within, a.within)
    pair("best case", amount_words(b.best, b.measure), amount_words(a.best, a.measure))
    pair("margin", amount_words(b.margin, b.measure), amount_words(a.margin, a.measure))
    pair("broken on", _late(b), _late(a))
    pair("worst start date", b.worst_start or "-", a.worst_start or "-")
    pair("critical path", _path(b, esc), _path(a, esc))
    return out


def _late(t: PromiseTiming) -> str:
    return f"{t.late_starts} of {t.starts} start dates" if t.starts else "-"


def _path(t: PromiseTiming, esc: Escape) -> str:
    return " > ".join(esc(s) for s in t.path) or "-"


def headline(diff: FileDiff, esc: Escape, arrow: str) -> str:
    """'old.yaml -> new.yaml', 'new.yaml (added)', 'old.yaml (deleted)'."""
    if diff.old is None:
        return f"{esc(diff.new or '')} (added)"
    if diff.new is None:
        return f"{esc(diff.old)} (deleted)"
    return f"{esc(diff.old)} {arrow} {esc(diff.new)}"


def state_notes(diff: FileDiff, esc: Escape) -> list[str]:
    notes = []
    for label, name, state in (("old", diff.old, diff.old_state), ("new", diff.new, diff.new_state)):
        if name is not None and state != "ok":
            notes.append(f"The {label} version {STATE_WORDS[state]}.")
    return notes


def whole_file_words(diff: FileDiff) -> str | None:
    """For a spec added or deleted: '25 steps, 8 roles and 3 commitments added' (not each one)."""
    if diff.old is not None and diff.new is not None:
        return None
    change = ADDED if diff.old is None else REMOVED
    counts = [plural(len(diff.of_group(g)), g) for g in GROUPS if diff.of_group(g)]
    if not counts:
        return None
    listing = ", ".join(counts[:-1]) + " and " + counts[-1] if len(counts) > 1 else counts[0]
    return f"Procedure: {listing} {change}."


def counts_words(diff: FileDiff) -> str:
    return (f"{len(diff.introduced)} introduced, {len(diff.fixed)} fixed, "
            f"{len(diff.unchanged)} unchanged")


def verdict_words(report: DiffReport) -> str:
    failing = sum(len(f.failing) for f in report.files)
    unreadable = [f for f in report.files if f.unreadable]
    if unreadable:
        return (f"{plural(len(unreadable), 'new version')} could not be read "
                f"({', '.join(printable(f.new or '') for f in unreadable)}).")
    if failing:
        return (f"the change introduces {plural(failing, 'finding')} at or above "
                f"{report.fail_on}.")
    return f"the change introduces no finding at or above {report.fail_on}."


def _finding_level(f: Finding) -> str:
    return f"{f.severity} (waived)" if f.waived else str(f.severity)


# -- text ----------------------------------------------------------------------------------------

def _table(header: list[str], rows: list[list[str]], indent: str) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return [(indent + "  ".join(c.ljust(widths[i]) for i, c in enumerate(row))).rstrip()
            for row in [header, *rows]]


def _text_file(diff: FileDiff) -> list[str]:
    esc, arrow = printable, "->"
    out = [f"== {headline(diff, esc, arrow)}"]
    which = process_words(diff, esc, arrow)
    if which:
        out.append(which)
    out += state_notes(diff, esc)
    out.append("")
    out.append(f"Findings: {counts_words(diff)}")
    for label, findings in (("introduced", diff.introduced), ("fixed", diff.fixed)):
        for f in findings:
            out.append(f"  {label}: {esc(f.location())}: {_finding_level(f)}: {esc(f.message)}  "
                       f"[{f.rule}]")
    out.append("")
    whole = whole_file_words(diff)
    if whole:
        out += [whole, ""]
    if diff.process and not whole:
        out.append("Process:")
        out += [f"  {field_words(c, esc, arrow)}" for c in diff.process]
        out.append("")
    for group in GROUPS:
        elements = diff.of_group(group)
        if not elements or whole:
            continue
        out.append(f"{GROUP_TITLES[group]}:")
        for e in elements:
            if e.change in (ADDED, REMOVED):
                about = summary_of(e, esc)
                out.append(f"  {MARKS[e.change]} {esc(e.id)}" + (f": {about}" if about else ""))
                continue
            out.append(f"  ~ {esc(e.id)}")
            out += [f"      {field_words(c, esc, arrow)}" for c in e.fields]
            out += [f"      next: {move_words(m, esc, arrow)}" for m in e.transitions]
        out.append("")
    if not diff.process and not diff.elements and diff.old_state == diff.new_state == "ok":
        out += ["Procedure: no change.", ""]
    if diff.promises:
        out.append(f"Timing (worst case over every start date of {diff.year}):")
        rows = []
        for p in diff.promises:
            b, a = p.before, p.after
            rows.append([esc(p.name), (a or b).within if (a or b) else "-",  # type: ignore[union-attr]
                         amount_words(b.worst, b.measure) if b else "-",
                         amount_words(a.worst, a.measure) if a else "-",
                         delta_words(p), status_words(p)])
        out += _table(["PROMISE", "WITHIN", "WORST BEFORE", "WORST AFTER", "CHANGE", "STATUS"],
                      rows, "  ")
        for p in diff.promises:
            details = promise_details(p, esc, arrow)
            if details:
                out.append(f"  {esc(p.name)}:")
                out += [f"      {d}" for d in details]
        out.append("")
    return out


def render_text(report: DiffReport, tool_version: str = "") -> str:
    out: list[str] = []
    if report.base is not None and not report.files:
        out += [f"No process spec changed since {printable(report.base)}.", ""]
    for diff in report.files:
        out += _text_file(diff)
    introduced = sum(len(f.introduced) for f in report.files)
    fixed = sum(len(f.fixed) for f in report.files)
    out.append(f"{plural(len(report.files), 'spec')} compared: {plural(introduced, 'finding')} "
               f"introduced, {fixed} fixed; {verdict_words(report)}")
    return "\n".join(out) + "\n"


# -- Markdown ------------------------------------------------------------------------------------

def md(text: str) -> str:
    """Spec text as literal Markdown, the same way as plaint check's Markdown summary."""
    return markdown_escape(text)


def _md_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_file(diff: FileDiff) -> list[str]:
    esc, arrow = md, "→"
    title = headline(diff, esc, arrow)
    out = [f"### {title}", ""]
    which = process_words(diff, esc, arrow)
    if which:
        out += [which[0].upper() + which[1:] + ".", ""]
    notes = state_notes(diff, esc)
    if notes:
        out += [" ".join(notes), ""]
    out += [f"**Findings:** {counts_words(diff)}.", ""]
    if diff.introduced or diff.fixed:
        out += [_md_row(["", "severity", "rule", "where", "message"]), _md_row(["---"] * 5)]
        for label, findings in (("introduced", diff.introduced), ("fixed", diff.fixed)):
            for f in findings:
                where = f"{esc(f.element or '')} (line {f.span.line})" if f.element else \
                    f"line {f.span.line}"
                out.append(_md_row([label, _finding_level(f), esc(f.rule), where, esc(f.message)]))
        out.append("")
    whole = whole_file_words(diff)
    if whole:
        out += [f"**{whole.replace(':', ':**', 1)}", ""]
    rows = []
    for c in () if whole else diff.process:
        rows.append(["changed", "process", field_words(c, esc, arrow)])
    for group in () if whole else GROUPS:
        for e in diff.of_group(group):
            what = f"{group} {esc(e.id)}"
            if e.change in (ADDED, REMOVED):
                rows.append([e.change, what, summary_of(e, esc)])
                continue
            parts = [field_words(c, esc, arrow) for c in e.fields]
            parts += [f"next: {move_words(m, esc, arrow)}" for m in e.transitions]
            rows.append([e.change, what, "<br>".join(parts)])
    if rows:
        out += ["**Procedure**", "", _md_row(["change", "element", "what"]), _md_row(["---"] * 3)]
        out += [_md_row(row) for row in rows]
        out.append("")
    elif diff.old_state == diff.new_state == "ok" and not whole:
        out += ["**Procedure:** no change.", ""]
    if diff.promises:
        out += [f"**Timing** (worst case over every start date of {diff.year})", "",
                _md_row(["promise", "within", "worst before", "worst after", "change", "status",
                         "details"]),
                _md_row(["---"] * 7)]
        for p in diff.promises:
            b, a = p.before, p.after
            shown = a or b
            out.append(_md_row([
                esc(p.name), esc(shown.within) if shown else "-",
                amount_words(b.worst, b.measure) if b else "-",
                amount_words(a.worst, a.measure) if a else "-",
                esc(delta_words(p)), esc(status_words(p).replace("->", arrow)),
                "<br>".join(promise_details(p, esc, arrow)),
            ]))
        out.append("")
    return out


def render_markdown(report: DiffReport, tool_version: str = "") -> str:
    failing = sum(len(f.failing) for f in report.files)
    unreadable = any(f.unreadable for f in report.files)
    mark = "could not be read" if unreadable else ("fails" if failing else "passes")
    since = f" since {md(report.base)}" if report.base is not None else ""
    out = [f"## plaint diff{since}: {mark}", "", f"**Verdict:** {md(verdict_words(report))}", ""]
    if report.base is not None and not report.files:
        out += [f"No process spec changed since {md(report.base)}.", ""]
    for diff in report.files:
        out += _md_file(diff)
    out.append(f"<sub>plaint {md(tool_version)}; fail-on {report.fail_on}</sub>")
    return "\n".join(out) + "\n"


# -- JSON ----------------------------------------------------------------------------------------

def _field_data(c: FieldChange) -> dict[str, Any]:
    return {"field": c.field, "before": c.before, "after": c.after, "added": list(c.added),
            "removed": list(c.removed)}


def _info_data(info: TransitionInfo | None) -> dict[str, Any] | None:
    if info is None:
        return None
    return {"form": info.form, "when": info.guard, "max": info.max}


def _element_data(e: ElementChange) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "change": e.change, "fields": [_field_data(c) for c in e.fields]}
    if e.group == "step":
        out["transitions"] = [{"change": m.change, "to": m.target, "before": _info_data(m.before),
                               "after": _info_data(m.after)} for m in e.transitions]
    return out


def _timing_data(t: PromiseTiming | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {"within": t.within, "status": t.status, "measure": t.measure, "best": t.best,
            "worst": t.worst, "margin": t.margin, "worst_start": t.worst_start,
            "late_starts": t.late_starts, "starts": t.starts, "critical_path": list(t.path)}


def _file_data(diff: FileDiff) -> dict[str, Any]:
    return {
        "old": diff.old, "new": diff.new, "old_state": diff.old_state, "new_state": diff.new_state,
        "process": {"old": diff.old_process, "new": diff.new_process},
        "changes": {
            "process": [_field_data(c) for c in diff.process],
            **{GROUP_KEYS[g]: [_element_data(e) for e in diff.of_group(g)] for g in GROUPS},
        },
        "timing": [{"kind": p.kind, "name": p.name, "label": p.label, "severity": p.severity,
                    "change": p.change, "worst_delta": p.worst_delta,
                    "before": _timing_data(p.before), "after": _timing_data(p.after)}
                   for p in diff.promises],
        "findings": {"introduced": [f.as_dict() for f in diff.introduced],
                     "fixed": [f.as_dict() for f in diff.fixed],
                     "unchanged": len(diff.unchanged)},
        "failing": len(diff.failing),
        "fails": diff.fails,
    }


def document(report: DiffReport, tool_version: str = "") -> dict[str, Any]:
    return {
        "format": "plaint-diff",
        "version": FORMAT_VERSION,
        "tool": {"name": "plaint", "version": tool_version},
        "base": report.base,
        "fail_on": str(report.fail_on),
        "year": report.year,
        "files": [_file_data(d) for d in report.files],
        "summary": {
            "files": len(report.files),
            "changed": sum(1 for d in report.files if d.changed),
            "introduced": sum(len(d.introduced) for d in report.files),
            "fixed": sum(len(d.fixed) for d in report.files),
            "failing": sum(len(d.failing) for d in report.files),
            "unreadable": sum(1 for d in report.files if d.unreadable),
            "fails": report.fails,
        },
    }


def render_json(report: DiffReport, tool_version: str = "") -> str:
    return json.dumps(document(report, tool_version), indent=2, ensure_ascii=False) + "\n"


DIFF_RENDERERS: dict[str, Callable[[DiffReport, str], str]] = {
    "text": render_text, "json": render_json, "markdown": render_markdown,
}

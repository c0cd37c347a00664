"""Renderers: turn check results into text for people and machines.

Each renderer is a function ``render(results, context) -> str``; the registry
below also feeds the CLI's ``--format`` choices, so a new format is one module
and one entry here. Renderers never recompute analysis.

The helpers here are shared by the CI formats, so that they agree with each
other: :func:`rules_in_force` (the rule metadata SARIF and JUnit describe),
:func:`artifact_path` (how a file is named to a code host) and
:func:`fingerprints` (a finding's identity across runs).
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from urllib.parse import quote

from plaint.core.findings import Finding
from plaint.core.packs import Rule
from plaint.core.pipeline import FileResult

PROJECT_URL = "https://github.com/plaint-dev/plaint"
# Where the built-in rules' pages live (docs/rules/<id>.md in the repository, the
# same page a Finding's ``docs`` names): the one place that says so, for SARIF's
# helpUri and the links in Markdown output.
DOCS_BASE_URL = f"{PROJECT_URL}/blob/main/docs/rules/"
# How plaint.core.packs names the origin of the packs it ships (rules of other packs
# have no page under DOCS_BASE_URL).
_BUILTIN_ORIGIN = "plaint/policies/packs/"


@dataclass(frozen=True)
class RenderContext:
    color: bool = False
    tool_version: str = ""
    packs: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (id, version)
    # The rules in force in the run and every rule a finding names, one per id, sorted
    # by id (see rules_in_force); empty when the caller has none to give.
    rules: tuple[Rule, ...] = field(default_factory=tuple)
    documented: frozenset[str] = frozenset()  # ids of rules with a page under DOCS_BASE_URL

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def help_uri(self, rule_id: str) -> str | None:
        """The rule's documentation page, for the rules plaint ships."""
        if rule_id not in self.documented:
            return None
        return f"{DOCS_BASE_URL}{quote(rule_id, safe='')}.md"


Renderer = Callable[[list[FileResult], RenderContext], str]


def file_rules(result: FileResult) -> list[Rule]:
    """The rules a file was checked against: those of the packs applied to it
    (regulatory packs only where the process lists them), in pack order."""
    if result.rules is None:
        return []
    applied = {pack_id for pack_id, _ in result.packs}
    return [r for r in result.rules.active if r.pack in applied]


def rules_in_force(results: Iterable[FileResult]) -> tuple[tuple[Rule, ...], frozenset[str]]:
    """Every rule in force for some file, and every rule a finding names (the input
    and waiver rules, which no pack runs), one per id and sorted by id; with the ids
    of those that come from plaint's own packs (they have a page under DOCS_BASE_URL).

    Where files were checked with different configurations, the first file's
    version of a rule (its configured severity) describes it.
    """
    results = list(results)
    found: dict[str, Rule] = {}
    documented: set[str] = set()
    for result in results:
        if result.rules is None:
            continue
        for pack in result.rules.packs:
            if pack.origin.startswith(_BUILTIN_ORIGIN):
                documented.update(r.id for r in pack.rules)
        for rule in file_rules(result):
            found.setdefault(rule.id, rule)
        for finding in result.findings:
            if finding.rule not in found and finding.rule in result.rules.rules:
                found[finding.rule] = result.rules.rules[finding.rule]
    missing = {f.rule for r in results for f in r.findings} - set(found)
    if missing:
        # Only files whose configuration failed have no rule set; their rule is built in.
        from plaint.core.packs import builtin_packs

        for pack in builtin_packs():
            for rule in pack.rules:
                if rule.id in missing:
                    found[rule.id] = rule
                    documented.add(rule.id)
    return tuple(found[k] for k in sorted(found)), frozenset(documented)


def artifact_path(path: str) -> str:
    """A file's name as code hosts want it: relative to the working folder (the
    repository's root, in CI) where it lies inside it, with forward slashes and no
    leading ``./``. Other paths keep their form; ``<stdin>`` stays as it is."""
    if path == "<stdin>":
        return path
    pure = PurePath(path)
    if pure.is_absolute() and _inside_cwd(path):
        pure = PurePath(os.path.relpath(path, Path.cwd()))
    text = pure.as_posix()
    while text.startswith("./"):
        text = text[2:]
    return text


def _inside_cwd(path: str) -> bool:
    cwd = Path.cwd().resolve()
    try:
        Path(path).resolve().relative_to(cwd)
    except ValueError:
        return False
    return True


def _digest(parts: Iterable[str]) -> str:
    # Unit separators between parts, so ("ab", "c") and ("a", "bc") differ.
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """A stable identity for each finding, for code hosts that track findings across
    commits (SARIF partialFingerprints, GitLab Code Quality).

    It is built from the rule, the file and the element (or, for a finding on no
    element, its JSON pointer), never the line, so it survives edits elsewhere in
    the file. Only where two findings would share one does it take in more: the
    JSON pointer, then the message, then the order among equals; so each finding's
    identity is unique in the run and changes only when it must.
    """
    keys: list[tuple[str, ...]] = [
        (f.rule, artifact_path(f.file), f.element or f.pointer) for f in findings]
    for extra in (lambda f: f.pointer, lambda f: f.message):
        counts = Counter(keys)
        keys = [(*key, extra(f)) if counts[key] > 1 else key for key, f in zip(keys, findings, strict=True)]
    counts = Counter(keys)
    seen: Counter[tuple[str, ...]] = Counter()
    out = []
    for key in keys:
        if counts[key] > 1:
            seen[key] += 1
            key = (*key, str(seen[key]))
        out.append(_digest(key))
    return out


def run_fingerprints(results: Sequence[FileResult]) -> list[list[str]]:
    """The fingerprints of a run's findings, one list per file, in the files' order."""
    flat = iter(fingerprints([f for r in results for f in r.findings]))
    return [[next(flat) for _ in r.findings] for r in results]


def _lazy(module: str, function: str = "render") -> Renderer:
    """A registry entry that imports its module only when used (start-up stays fast)."""

    def render(results: list[FileResult], context: RenderContext) -> str:
        from importlib import import_module

        return getattr(import_module(f"plaint.renderers.{module}"), function)(results, context)

    return render


RENDERERS: dict[str, Renderer] = {
    "text": _lazy("text"),
    "concise": _lazy("text", "render_concise"),
    "json": _lazy("json_output"),
    "sarif": _lazy("sarif"),
    "junit": _lazy("junit"),
    "github": _lazy("github"),
    "gitlab": _lazy("gitlab"),
    "markdown": _lazy("markdown"),
}

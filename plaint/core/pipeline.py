"""One file through every stage: load, validate, model, graph, evaluate.

A stage that fails becomes findings and stops that file's later stages (so a
typo does not produce twenty graph findings); other files go on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from plaint.core.engine import RuleSet
from plaint.core.findings import Finding, Hit, sort_findings
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process, build_model, check_references
from plaint.core.source import LoadError, SourceDocument, decode, load_file, load_text
from plaint.core.validate import validate

SPEC_SUFFIXES = (".yaml", ".yml")


@dataclass
class FileResult:
    """Everything later stages and renderers need about one checked file."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    document: SourceDocument | None = None
    process: Process | None = None
    graph: ProcessGraph | None = None
    packs: tuple[tuple[str, str], ...] = ()  # (id, version) of the packs this file was checked with
    rules: RuleSet | None = None  # the rule set it was checked with (None: its configuration failed)

    @property
    def unreadable(self) -> bool:
        return any(f.fatal for f in self.findings)


def _packs(rules: RuleSet) -> tuple[tuple[str, str], ...]:
    """The packs in force before the process is known (regulatory packs only once it is)."""
    return tuple((p.id, p.version) for p in rules.packs_for(None))


def check_document(doc: SourceDocument, rules: RuleSet) -> FileResult:
    result = FileResult(doc.path, document=doc, packs=_packs(rules), rules=rules)
    schema_hits = validate(doc.data)
    if schema_hits:
        result.findings = sort_findings([rules.stamp("schema", h, doc, doc.path) for h in schema_hits])
        return result
    try:
        process = build_model(doc.data)
    except Exception as err:  # schema-valid data that the model cannot take is our bug
        hit = Hit(f"could not build the model: {type(err).__name__}: {err}",
                  hint="This is a bug in plaint, not in your process. Please report it.")
        result.findings = [rules.stamp("internal-error", hit, doc, doc.path)]
        return result
    result.process = process
    reference_hits = check_references(process)
    if reference_hits:
        result.findings = sort_findings(
            [rules.stamp("reference", h, doc, doc.path) for h in reference_hits])
        return result
    result.packs = tuple((p.id, p.version) for p in rules.packs_for(process))
    result.graph = ProcessGraph(process)
    result.findings = sort_findings(rules.evaluate(process, result.graph, doc))
    return result


def check_path(path: str | Path, rules: RuleSet) -> FileResult:
    """Check one file; never raises for bad input."""
    shown = str(path)
    try:
        doc = load_file(path)
    except LoadError as err:
        return FileResult(shown, [rules.stamp_problem(err.problem, shown)], packs=_packs(rules),
                          rules=rules)
    return check_document(doc, rules)


def check_bytes(raw: bytes, shown: str, rules: RuleSet) -> FileResult:
    """Check content read elsewhere (standard input)."""
    try:
        doc = load_text(decode(raw), shown)
    except LoadError as err:
        return FileResult(shown, [rules.stamp_problem(err.problem, shown)], packs=_packs(rules),
                          rules=rules)
    return check_document(doc, rules)


_NOT_A_SPEC = re.compile(rb"^plaint-(pack|config):", re.MULTILINE)


def _is_other_plaint_file(path: Path) -> bool:
    """A policy pack or configuration kept beside the specs (seen from its first lines)."""
    try:
        with path.open("rb") as handle:
            return _NOT_A_SPEC.search(handle.read(4096)) is not None
    except OSError:
        return False  # let the check report it


def expand_paths(paths: list[str]) -> list[str]:
    """Files as given; folders become their ``*.yaml``/``*.yml`` files, sorted, recursively.

    Hidden files and folders (such as ``.plaint.yaml`` or ``.git``) are skipped, and
    so are policy packs and configurations kept in the folder (``plaint-pack:`` or
    ``plaint-config:`` at the top level). Files named explicitly are always checked.
    """
    out: list[str] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.suffix in SPEC_SUFFIXES and f.is_file()
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and not _is_other_plaint_file(f)
            )
            out.extend(str(f) for f in found)
        else:
            out.append(given)
    return out

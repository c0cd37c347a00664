"""Policy packs: rules as data, loaded with positions and validated by schema."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from plaint import __version__
from plaint.core import cache as disk_cache
from plaint.core.findings import Clause, Severity
from plaint.core.source import LoadError, SourceDocument, load_file, load_text
from plaint.core.validate import load_schema, validate

BUILTIN_PACKAGE = "plaint.policies.packs"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    pack: str
    clauses: tuple[Clause, ...]
    checks: str
    rationale: str
    hint: str
    examples: Mapping[str, str]
    function: str | None
    params: Mapping[str, Any]
    stage: str | None

    @property
    def docs(self) -> str:
        return f"docs/rules/{self.id}.md"


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    version: str
    description: str | None
    source: str | None
    url: str | None
    effective: str | None
    always: bool
    rules: tuple[Rule, ...]
    origin: str
    regime: bool = False  # applies where a process lists its id in 'regimes'


class PackError(Exception):
    """A pack that cannot be used; message carries file:line:col."""


def _rule(raw: Mapping[str, Any], pack_id: str) -> Rule:
    check = raw.get("check") or {}
    return Rule(
        id=raw["id"], title=raw["title"], severity=Severity.parse(raw["severity"]), pack=pack_id,
        clauses=tuple(Clause(c["source"], c["topic"], c.get("ref"), c.get("verified", True),
                             c.get("url")) for c in raw.get("clauses", ())),
        checks=raw["checks"].strip(), rationale=raw["rationale"].strip(), hint=raw["hint"].strip(),
        examples=MappingProxyType(dict(raw["examples"])),
        function=check.get("function"), params=MappingProxyType(dict(check.get("params") or {})),
        stage=raw.get("stage"),
    )


def load_checked(origin: str | Path, schema_name: str, what: str, *, text: str | None = None,
                 error: type[Exception] = PackError) -> SourceDocument:
    """Load YAML (``text``, or the file at ``origin``) and validate it against a schema.

    Any problem raises ``error`` with one ``file:line:col: ...`` line per problem.
    """
    try:
        doc = load_text(text, str(origin)) if text is not None else load_file(origin)
    except LoadError as err:
        p = err.problem
        raise error(f"{origin}:{p.span.line}:{p.span.column}: {p.message}") from None
    problems = validate(doc.data, schema_name)
    if problems:
        lines = []
        for hit in problems:
            span = doc.locate(hit.path, key=hit.key)
            lines.append(f"{origin}:{span.line}:{span.column}: invalid {what}: {hit.message}"
                         + (f" {hit.hint}" if hit.hint else ""))
        raise error("\n".join(lines))
    return doc


def _pack(data: Mapping[str, Any], origin: str) -> Pack:
    meta = data["pack"]
    return Pack(
        id=meta["id"], title=meta["title"], version=meta["version"],
        description=meta.get("description"), source=meta.get("source"), url=meta.get("url"),
        effective=meta.get("effective"), always=bool(meta.get("always", False)),
        rules=tuple(_rule(r, meta["id"]) for r in data["rules"]), origin=origin,
        regime=bool(meta.get("regime", False)),
    )


def parse_pack(text: str, origin: str) -> Pack:
    """Parse and validate pack text, or raise PackError with a position."""
    return _pack(load_checked(origin, "policy-pack-v1.json", "pack", text=text).data, origin)


def load_pack_file(path: str | Path) -> Pack:
    """Read, parse and validate a pack file, or raise PackError with a position."""
    return _pack(load_checked(path, "policy-pack-v1.json", "pack").data, str(path))


def packs_cache_name(texts: Mapping[str, str]) -> str:
    """The cache entry for packs with these texts (by file name), under the current pack
    schema and plaint release (whose loader turned the text into data)."""
    digest = hashlib.sha256(json.dumps([__version__, texts, load_schema("policy-pack-v1.json")],
                                       sort_keys=True).encode()).hexdigest()[:32]
    return f"packs-{digest}.json"


def builtin_packs() -> list[Pack]:
    """The packs shipped with plaint, in name order.

    Parsing their YAML is most of the start-up of a one-file check, so the parsed and
    validated data is kept in the on-disk cache under a hash of the packs' text and
    the pack schema: an edited pack or schema is parsed and validated afresh.
    """
    folder = resources.files(BUILTIN_PACKAGE)
    texts = {entry.name: entry.read_text(encoding="utf-8")
             for entry in sorted(folder.iterdir(), key=lambda e: e.name)
             if entry.name.endswith(".yaml")}
    name = packs_cache_name(texts)
    stored = disk_cache.read(name)
    if isinstance(stored, dict) and sorted(stored) == sorted(texts):
        try:
            return [_pack(stored[n], f"plaint/policies/packs/{n}") for n in texts]
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged entry: parse the packs again
    parsed = {n: load_checked(f"plaint/policies/packs/{n}", "policy-pack-v1.json", "pack",
                              text=text).data for n, text in texts.items()}
    packs = [_pack(data, f"plaint/policies/packs/{n}") for n, data in parsed.items()]
    if json.loads(json.dumps(parsed)) == parsed:  # JSON keeps it exactly (no dates, no tuples)
        disk_cache.write(name, parsed)
    return packs

"""Findings: what plaint reports, and where.

A check function yields a :class:`Hit` (what and where); the engine turns it
into a :class:`Finding` by stamping the rule's id, severity, clauses, hint and
docs, and the source position of the element.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, NamedTuple


class Severity(enum.IntEnum):
    """Ordered so that ``severity >= threshold`` works."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]

    def __str__(self) -> str:
        return self.name.lower()


class Span(NamedTuple):
    """1-based start and end of a piece of source text (end column exclusive).

    A named tuple rather than a dataclass: one is made for every key and value
    of every file, and tuples are much cheaper to create.
    """

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class LoadProblem:
    """Why a file could not be read as a YAML document."""

    rule: str
    message: str
    span: Span
    hint: str | None = None


@dataclass(frozen=True)
class Clause:
    """The clause, regulation or principle a rule rests on."""

    source: str  # e.g. "ISO 10002:2018", "FCA DISP 1"
    topic: str  # named topic, e.g. "Responsiveness"
    ref: str | None = None  # clause number, when known
    verified: bool = True  # False where the number is inferred, not seen in a source
    url: str | None = None

    def label(self) -> str:
        number = f" {self.ref}" if self.ref else ""
        flag = " (number not verified)" if self.ref and not self.verified else ""
        return f"{self.source}{number}{flag}: {self.topic}"

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "topic": self.topic, "ref": self.ref,
                "verified": self.verified, "url": self.url}


@dataclass(frozen=True)
class Hit:
    """What a check function reports: a message about one place in the spec.

    ``path`` is the JSON-pointer path of the element (as a tuple); ``key`` asks
    for the position of the key rather than its value.
    """

    message: str
    path: tuple[str | int, ...] = ()
    element: str | None = None
    key: bool = False
    hint: str | None = None


@dataclass(frozen=True)
class AppliedWaiver:
    """A waiver from the spec that covers a finding."""

    rule: str
    target: str
    reason: str
    approved_by: str
    expires: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "target": self.target, "reason": self.reason,
                "approved_by": self.approved_by, "expires": self.expires}


def json_pointer(path: tuple[str | int, ...]) -> str:
    """RFC 6901 pointer for a path tuple."""
    if not path:
        return ""
    parts = (str(p).replace("~", "~0").replace("/", "~1") for p in path)
    return "/" + "/".join(parts)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    file: str
    span: Span
    pointer: str = ""
    element: str | None = None
    pack: str = ""
    clauses: tuple[Clause, ...] = ()
    hint: str | None = None
    docs: str | None = None
    waiver: AppliedWaiver | None = None
    fatal: bool = False  # the file could not be read: exit code 2

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    def sort_key(self) -> tuple:
        return (self.file, self.span.line, self.span.column, self.rule, self.message,
                self.pointer)

    def location(self) -> str:
        return f"{self.file}:{self.span.line}:{self.span.column}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "file": self.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "pointer": self.pointer,
            "element": self.element,
            "pack": self.pack,
            "clauses": [c.as_dict() for c in self.clauses],
            "hint": self.hint,
            "docs": self.docs,
            "waiver": self.waiver.as_dict() if self.waiver else None,
            "fatal": self.fatal,
        }


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)

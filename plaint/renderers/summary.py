"""Counts shared by the renderers (so every format agrees)."""

from __future__ import annotations

from collections import Counter

from plaint.core.pipeline import FileResult


def counts(results: list[FileResult]) -> dict[str, int]:
    tally: Counter[str] = Counter()
    for result in results:
        for finding in result.findings:
            if finding.waived:
                tally["waived"] += 1
            else:
                tally[str(finding.severity)] += 1
    return {
        "files": len(results),
        "unreadable": sum(1 for r in results if r.unreadable),
        "error": tally["error"],
        "warning": tally["warning"],
        "info": tally["info"],
        "waived": tally["waived"],
    }


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")

"""Small helpers for readable messages (not a check function: the name starts with '_')."""

from __future__ import annotations

from collections.abc import Iterable

TERMINAL_WORDS = "a close, refer or redirect step"


def quoted(ids: Iterable[str], limit: int = 8) -> str:
    """'a', 'b' and 'c' — at most ``limit`` names, then how many more."""
    names = [f"'{i}'" for i in ids]
    if len(names) > limit:
        names = [*names[:limit], f"{len(names) - limit} more"]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def ordinal(n: int) -> str:
    """1 -> 'first', 2 -> 'second' ... (1-based), then '11th' and so on."""
    words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth"]
    if 1 <= n <= len(words):
        return words[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def with_kind(name: str, kind: str) -> str:
    """'x' (kind), or just 'x' when the id already says the kind."""
    return f"'{name}'" if kind in name else f"'{name}' ({kind})"

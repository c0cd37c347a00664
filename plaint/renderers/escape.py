"""Escaping spec text for the languages diagrams are written in.

Everything a spec author wrote (titles, guards, role names) passes through one
of these before it reaches DOT, SVG or Mermaid; ids are checked by the schema
(``^[a-z][a-z0-9]*(-[a-z0-9]+)*$``) but are escaped all the same.
"""

from __future__ import annotations

import re
import textwrap

# Control characters, and the characters that reorder or hide text (bidirectional
# overrides and isolates, zero-width marks): a title must not hide or disguise what it says.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e"
                        "\u2060-\u2064\u2066-\u2069\ufeff]")
_SPACE = re.compile(r"[\t\n\r]+")


def visible(text: str) -> str:
    """``text`` with control and invisible formatting characters written as ``\\u202e``."""
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def printable(text: str) -> str:
    """One line of visible text: line breaks and tabs become spaces, and the characters
    :func:`visible` names are written out. XML (and so SVG) cannot hold control
    characters at all, and a newline would break a DOT or Mermaid statement."""
    return visible(_SPACE.sub(" ", text))


def html(text: str) -> str:
    """Text for an HTML-like Graphviz label: every markup character as an entity.

    Graphviz decodes the entities and then still expands backslash escapes (``\\N``
    is the node's name), so a backslash goes in as two ``&#92;``, read as one.
    """
    return (printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;").replace("\\", "&#92;&#92;"))


def dot_string(text: str) -> str:
    """A double-quoted DOT string for an escString attribute (tooltip, URL, id, class).

    Graphviz decodes a label's entities and then expands its backslash escapes
    (``\\N`` is the node's name, ``\\l`` a line break, ``\\\\`` a backslash), so a
    backslash reaches it as two ``&#92;`` entities: no escape can be formed, and
    the label shows one backslash. ``&`` becomes ``&amp;`` because Graphviz copies
    entities into SVG as they are, and the text must show what the author wrote.
    """
    body = (printable(text).replace("&", "&amp;").replace("\\", "&#92;&#92;")
            .replace('"', '\\"'))
    return f'"{body}"'


# What a browser would read as the start of another URL: a scheme (text up to a ':'
# before any '/', '?' or '#'), or '//' and a host.
_NOT_RELATIVE = re.compile(r"^(?:[^/?#]*:|//)")


def relative_url(url: str) -> str:
    """A relative reference (a path, or ``#anchor``) as a link that stays one: a spec file
    named ``javascript:alert(1)%2F%2F.yaml`` would otherwise make every link to its lines
    a script. Such a reference is written ``./...``, which names the same file."""
    return "./" + url if _NOT_RELATIVE.match(url) else url


def dot_lines(lines: list[str]) -> str:
    """Several lines of a label: each escaped, joined by Graphviz's newline escape."""
    body = "\\n".join(dot_string(line)[1:-1] for line in lines)
    return f'"{body}"'


def dot_tooltip(lines: list[str]) -> str:
    """A tooltip of one or more lines.

    Graphviz expands a tooltip's backslash escapes twice (``\\\\`` to ``\\``, then
    ``\\N`` to the node's name), so a backslash reaches it as four entities.
    """
    body = "\\n".join(dot_string(line)[1:-1].replace("&#92;", "&#92;&#92;") for line in lines)
    return f'"{body}"'


def wrap(text: str, width: int, max_lines: int = 4) -> list[str]:
    """Wrap a label; a label longer than ``max_lines`` ends with an ellipsis."""
    lines = textwrap.wrap(printable(text), width=width, break_long_words=True,
                          break_on_hyphens=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, width - 1)].rstrip() + "…"
    return lines

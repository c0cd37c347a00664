"""Load YAML safely, with a position for every key and value.

One compose pass through libyaml (or PyYAML's pure-Python parser where libyaml
is missing) gives nodes with marks; one walk over those nodes (recursive, but
bounded by the depth limit) builds plain data and a side table from
JSON-pointer paths to source spans. The walk also enforces the input rules:
string keys only, no duplicate keys, only the tags of the YAML core schema,
bounded alias expansion, no self-referencing anchors, and bounded nesting.

Scalars are read as in the YAML 1.2 core schema, not YAML 1.1: only
``true``/``false`` are booleans (``yes``, ``no``, ``on``, ``off`` stay text),
dates stay text, and numbers are plain decimals (``9:30`` and ``1_000`` stay
text, ``010`` is not octal).

Nothing in a file is ever executed: no Python tags, no custom constructors.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from plaint.core.findings import LoadProblem, Span

PathTuple = tuple[str | int, ...]

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000
# The pure-Python composer recurses once per level; refuse runaway nesting
# before Python's own recursion limit does (libyaml stops at 1,000 levels).
_PY_COMPOSE_DEPTH = 2 * MAX_DEPTH

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL}

# Each of these matches a subset of what PyYAML's YAML 1.1 resolvers match, with
# the same value, so that anything ``yaml.safe_dump`` writes reads back the same.
_BOOL_RX = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT_RX = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT_RX = re.compile(r"""^(?:[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?
                           |\.[0-9]+(?:[eE][-+][0-9]+)?
                           |[-+]?\.(?:inf|Inf|INF)
                           |\.(?:nan|NaN|NAN))$""", re.X)
_NULL_VALUES = ("", "~", "null", "Null", "NULL")
# Values accepted under an explicit tag ("!!int 010", "!!float 3").
_EXPLICIT_INT_RX = re.compile(r"^[-+]?[0-9]+$")

_BREAK_RX = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks, as the parser counts them
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_CONTROL_NAMES = {
    0x07: "bell", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed", 0x1B: "escape",
    0x7F: "delete",
}


def _core_schema_resolvers() -> dict[str | None, list]:
    """Implicit resolvers for the YAML 1.2 core schema (see the module docstring)."""
    base = yaml.resolver.Resolver.yaml_implicit_resolvers
    table: dict[str | None, list] = {}
    for first, pairs in base.items():
        kept = [(tag, rx) for tag, rx in pairs if tag in (_NULL, _MERGE)]
        if kept:
            table[first] = kept
    for first in "tTfF":
        table.setdefault(first, []).insert(0, (_BOOL, _BOOL_RX))
    for first in "-+0123456789":
        table.setdefault(first, []).append((_INT, _INT_RX))
    for first in "-+0123456789.":
        table.setdefault(first, []).append((_FLOAT, _FLOAT_RX))
    return table


class _PyPositionLoader(yaml.SafeLoader):
    """The pure-Python loader, with a nesting limit in its recursive composer."""

    yaml_implicit_resolvers = _core_schema_resolvers()
    _compose_depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self._compose_depth >= _PY_COMPOSE_DEPTH:
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "exceeded maximum nesting depth", mark)
        self._compose_depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._compose_depth -= 1


_DEFAULT_TAGS = {yaml.ScalarNode: _STR, yaml.SequenceNode: _SEQ, yaml.MappingNode: _MAP}


if hasattr(yaml, "CSafeLoader"):
    class _CPositionLoader(yaml.CSafeLoader):  # type: ignore[misc, valid-type, name-defined]
        yaml_implicit_resolvers = _core_schema_resolvers()
        # libyaml calls resolve() once per node; PyYAML's version rebuilds the list of
        # candidate patterns each time. The same lookup, precomputed (there are no
        # path resolvers and no wildcard resolvers in the core-schema table).
        _by_first: ClassVar[dict[str, tuple]] = {
            first: tuple(pairs) for first, pairs in yaml_implicit_resolvers.items()}

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is yaml.ScalarNode and implicit[0]:
                for tag, regexp in self._by_first.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _DEFAULT_TAGS[kind]

    assert None not in _CPositionLoader.yaml_implicit_resolvers and not _CPositionLoader.yaml_path_resolvers

    _PositionLoader: type = _CPositionLoader
else:  # pragma: no cover - libyaml is almost always there
    _PositionLoader = _PyPositionLoader


@dataclass
class SourceDocument:
    """Plain data from one YAML file plus where each part of it is written."""

    path: str
    text: str
    data: Any
    values: dict[PathTuple, Span] = field(default_factory=dict)
    keys: dict[PathTuple, Span] = field(default_factory=dict)

    def locate(self, path: PathTuple, *, key: bool = False) -> Span:
        """The span of the value (or, with ``key``, the key) at ``path``.

        Falls back to the nearest ancestor that is written in the file.
        """
        path = tuple(path)
        if key and path in self.keys:
            return self.keys[path]
        while path and path not in self.values:
            path = path[:-1]
        return self.values.get(path, Span(1, 1, 1, 1))


class LoadError(Exception):
    """A file that cannot be read as a plaint YAML document."""

    def __init__(self, problem: LoadProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _mark_span(mark: Any) -> Span:
    if mark is None:
        return Span(1, 1, 1, 1)
    return Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 1)


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``, counting line breaks as YAML does."""
    line, start = 1, 0
    for match in _BREAK_RX.finditer(text, 0, index):
        line += 1
        start = match.end()
    return line, index - start + 1


def _line_text(text: str, line: int) -> str:
    """The 1-based ``line`` of ``text``, or '' past its end."""
    lines = _BREAK_RX.split(text)
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    row = _line_text(text, mark.line + 1)
    return row[mark.column] if mark.column < len(row) else ""


def _at_end(text: str, mark: Any) -> bool:
    """True when nothing but blank space follows ``mark``."""
    lines = _BREAK_RX.split(text)
    if mark.line >= len(lines):
        return True
    rest = [lines[mark.line][mark.column:], *lines[mark.line + 1:]]
    return not "".join(rest).strip()


def _max_bytes(max_bytes: int | None) -> int:
    return MAX_BYTES if max_bytes is None else max_bytes


def _too_large(size: int, limit: int, *, at_least: bool = False) -> LoadError:
    shown = f"more than {limit:,}" if at_least else f"{size:,}"
    return LoadError(LoadProblem(
        "file-too-large",
        f"file is {shown} bytes; plaint reads process specs of at most {limit:,} bytes",
        Span(1, 1, 1, 1),
        "Split the process into smaller files, or check that this is the right file.",
    ))


# Byte-order marks of the encodings plaint refuses. UTF-32 LE's mark begins with
# UTF-16 LE's, so the longer marks are tried first.
_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))
_BOM_PREFIXES = tuple(bom for bom, _ in _BOMS)
# Wide encodings recognised without a mark, from the first bytes of a file holding a NUL.
_WIDE = (("utf-32-le", "UTF-32 (little-endian)"), ("utf-32-be", "UTF-32 (big-endian)"),
         ("utf-16-le", "UTF-16 (little-endian)"), ("utf-16-be", "UTF-16 (big-endian)"))
_SNIFF_BYTES = 512
_SAVE_AS_UTF8 = "Save the file as UTF-8 (most editors offer this under 'Save with encoding')."


def _wide_encoding(raw: bytes) -> str | None:
    """The name of UTF-32 or UTF-16 if ``raw``, which holds a NUL, reads as one without a mark.

    Such text has NULs in the unused bytes of its characters, and YAML's punctuation,
    indentation and line breaks are ASCII even when the words are not. Binary data
    read that way has NULs or control characters, and few ASCII characters.
    """
    for codec, name in _WIDE:
        unit = 4 if "32" in codec else 2
        size = min(len(raw), _SNIFF_BYTES)
        chars = raw[: size - size % unit].decode(codec, "replace")
        if not chars or _NON_PRINTABLE.search(chars):
            continue
        ascii_count = sum(char < "\x7f" for char in chars)
        if ascii_count >= 2 and 4 * ascii_count >= len(chars):
            return name
    return None


def decode(raw: bytes, max_bytes: int | None = None) -> str:
    """Bytes to text, refusing what a process spec cannot be.

    ``max_bytes`` defaults to :data:`MAX_BYTES`, read when called.
    """
    limit = _max_bytes(max_bytes)
    if len(raw) > limit:
        # Callers read at most one byte past the limit, so the true size is unknown.
        raise _too_large(len(raw), limit, at_least=True)
    if raw.startswith(_BOM_PREFIXES):
        name = next(name for bom, name in _BOMS if raw.startswith(bom))
        raise LoadError(LoadProblem(
            "file-encoding",
            f"file is {name} (it starts with a {name} byte-order mark); plaint reads UTF-8",
            Span(1, 1, 1, 1), _SAVE_AS_UTF8,
        ))
    if b"\x00" in raw:
        wide = _wide_encoding(raw)
        if wide is not None:
            raise LoadError(LoadProblem(
                "file-encoding",
                f"file looks like {wide} without a byte-order mark; plaint reads UTF-8",
                Span(1, 1, 1, 1), _SAVE_AS_UTF8,
            ))
        before = raw[: raw.index(b"\x00")].decode("utf-8", "replace")
        line, col = _line_col(before, len(before))
        raise LoadError(LoadProblem(
            "file-binary",
            "file contains a NUL byte, so it is binary data, not YAML text",
            Span(line, col, line, col + 1),
            "Check that the path names a YAML process spec.",
        ))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        good = raw[: err.start].decode("utf-8", "replace")
        line, col = _line_col(good, len(good))
        raise LoadError(LoadProblem(
            "file-encoding",
            f"file is not valid UTF-8: byte 0x{raw[err.start]:02x} cannot start a character here "
            f"(line {line}, column {col})",
            Span(line, col, line, col + 1),
            "Save the file as UTF-8 (a file saved as Latin-1 or Windows-1252 shows this).",
        )) from None
    return text.removeprefix("\ufeff")


def _control_problem(text: str) -> LoadProblem | None:
    """A positioned problem for the first character YAML forbids, if any."""
    found = _NON_PRINTABLE.search(text)
    if found is None:
        return None
    char = found.group()
    line, col = _line_col(text, found.start())
    name = _CONTROL_NAMES.get(ord(char))
    label = f"U+{ord(char):04X}" + (f" ({name})" if name else "")
    return LoadProblem(
        "file-encoding",
        f"line {line} holds the control character {label}, which YAML does not allow in text",
        Span(line, col, line, col + 1),
        "Remove the character; it often comes from text copied out of a terminal or another program.",
    )


_TOKEN_RX = re.compile(r"[&*]([^\s,\[\]{}]+)")

# Plain words for the parser's most common complaints: (problem contains, context contains, words).
_EXPLAIN: list[tuple[str, str, str]] = [
    ("mapping values are not allowed", "",
     "a ':' here cannot start a key: check that this line is indented like the keys around it, "
     "and put quotes around a value that contains ': '"),
    ("could not find expected ':'", "", "this line has no ':' after its key"),
    ("did not find expected ',' or ']'", "",
     "a '[' list is not closed with ']', or two of its items have no ',' between them"),
    ("did not find expected ',' or '}'", "",
     "a '{' mapping is not closed with '}', or two of its entries have no ',' between them"),
    ("did not find expected '-' indicator", "",
     "this line does not line up with the list items ('- ') above it"),
    ("did not find expected key", "block mapping",
     "this line does not fit the mapping above it: check its indentation"),
    ("found unexpected end of stream", "quoted scalar", "a quoted value has no closing quote"),
    ("did not find expected <document start>", "",
     "there is more text after the end of the YAML (a stray bracket or quote?)"),
]


MAX_KEY_CHARS = 1024  # YAML's limit on a key written without '?', up to its ':'
# Where a block key can start on its line: after the indentation and any '- ' entries.
_BLOCK_KEY_START = re.compile(r"(?:[ ]*-[ ]+)*[ ]*")


def _long_key(err: yaml.MarkedYAMLError, text: str) -> tuple[int, int, int] | None:
    """Line, column and length of a key over YAML's limit, if that is what the parser tripped on.

    The parser stops treating text as a key once its ':' is more than 1024 characters
    away, then reports a missing ':' (or a ':' in the wrong place) although the ':'
    is there. Only a ':' on the same line, after a long key, counts: an ordinary
    missing ':' keeps its own message.
    """
    mark, problem = err.problem_mark, err.problem or ""
    if mark is None:
        return None
    row = _line_text(text, mark.line + 1)
    if row[mark.column:].lstrip(" ")[:1] != ":":
        return None
    before = row[: mark.column]
    ctx = err.context_mark
    if "could not find expected ':'" in problem:
        # The key had to be one here (a block mapping's key): its start is known.
        if ctx is None or ctx.line != mark.line:
            return None
        start = ctx.column
    else:
        if "mapping values are not allowed" in problem:  # a mapping's first key, or after '- '
            found = _BLOCK_KEY_START.match(before)
            start = found.end() if found else 0
        elif "expected ','" in problem:  # in '{...}' or '[...]'
            start = max(before.rfind(c) for c in "{[,") + 1
            start += len(before[start:]) - len(before[start:].lstrip(" "))
        else:
            return None
        if ": " in before[start:]:  # a value holding ': ', not one long key
            return None
    length = mark.column - start
    return (mark.line + 1, start + 1, length) if length > MAX_KEY_CHARS else None


def _syntax_problem(err: yaml.YAMLError, text: str) -> LoadProblem:
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        problem = err.problem or "invalid YAML"
        context = err.context or ""
        if "maximum nesting depth" in problem:
            return LoadProblem(
                "yaml-depth-limit",
                f"YAML is nested deeper than the parser allows ({problem}); "
                f"plaint reads at most {MAX_DEPTH} levels",
                _mark_span(mark),
                "A process spec needs only a few levels of nesting; look for runaway brackets.",
            )
        hint = "Check indentation, colons after keys, and quotes around values that contain ': ' or '#'."
        at = mark
        found = _TOKEN_RX.match(_line_text(text, mark.line + 1)[mark.column:]) if mark else None
        name = found.group(1) if found else "?"
        if "duplicate anchor" in context:
            first = err.context_mark
            return LoadProblem(
                "yaml-syntax",
                f"YAML syntax error: anchor '&{name}' is defined twice (first at line "
                f"{first.line + 1}, column {first.column + 1})",
                _mark_span(mark), "Rename one of the anchors, and the aliases ('*name') that use it.",
            )
        if "undefined alias" in problem:
            return LoadProblem(
                "yaml-syntax",
                f"YAML syntax error: the alias '*{name}' names no anchor: '&{name}' is not defined "
                "before it",
                _mark_span(mark), "Define the anchor first ('key: &name value'), or remove the alias.",
            )
        char = _char_at(text, mark)
        if char == "\t" or "tab character" in problem:
            return LoadProblem(
                "yaml-syntax",
                "YAML syntax error: a tab character is used for indentation; YAML indents with spaces only",
                _mark_span(mark), "Replace the tabs with spaces (most editors can do this for you).",
            )
        if "cannot start any token" in problem and char:
            return LoadProblem(
                "yaml-syntax",
                f"YAML syntax error: a value cannot start with {char!r} unless it is quoted",
                _mark_span(mark), f"Put quotes around the value, e.g. \"{char}...\".",
            )
        long_key = _long_key(err, text)
        if long_key is not None:
            line, column, length = long_key
            return LoadProblem(
                "yaml-syntax",
                f"YAML syntax error: a key is longer than {MAX_KEY_CHARS} characters, the most YAML "
                f"allows for a key; shorten it (this one runs {length:,} characters up to its ':')",
                Span(line, column, line, column + length),
                "Ids are short names; put long text in a title or description.",
            )
        words = next((w for p, c, w in _EXPLAIN if p in problem and c in context), None)
        ctx_mark = err.context_mark
        at_end = mark is not None and _at_end(text, mark)
        if ctx_mark is not None and ("could not find expected ':'" in problem or at_end):
            # The parser noticed at the end of the file (an unclosed bracket or quote) or
            # on the line after a key without ':'; the culprit is where the context began.
            at = ctx_mark
        detail = f"{problem}, {context}" if context else problem
        if ctx_mark is not None and at is not ctx_mark and context:
            detail += f" that starts at line {ctx_mark.line + 1}, column {ctx_mark.column + 1}"
        elif at is ctx_mark and at_end:
            detail += "; noticed at the end of the file"
        elif at is ctx_mark and mark is not None:
            detail += f"; noticed at line {mark.line + 1}, column {mark.column + 1}"
        message = f"YAML syntax error: {words} ({detail})" if words else f"YAML syntax error: {detail}"
        return LoadProblem("yaml-syntax", message, _mark_span(at), hint)
    if isinstance(err, yaml.reader.ReaderError):
        line, col = _line_col(text, err.position)
        char = chr(err.character) if isinstance(err.character, int) else err.character
        return LoadProblem(
            "file-encoding",
            f"character {char!r} is not allowed in YAML ({err.reason})",
            Span(line, col, line, col),
            "Remove control characters from the file.",
        )
    return LoadProblem("yaml-syntax", f"YAML error: {err}", Span(1, 1, 1, 1), None)


def compose(text: str) -> yaml.Node:
    """Parse text into one YAML node tree (marks included), or raise LoadError."""
    control = _control_problem(text)
    if control is not None:
        raise LoadError(control)
    parser = _PositionLoader(text)
    try:
        node = parser.get_single_node()
    except yaml.composer.ComposerError as err:
        if "expected a single document" in f"{err.context} {err.problem}":
            raise LoadError(LoadProblem(
                "yaml-multiple-documents",
                "file holds more than one YAML document (a '---' line starts a second one); "
                "a process spec is one document",
                _mark_span(err.problem_mark),
                "Remove the '---' separator and keep one process per file.",
            )) from None
        raise LoadError(_syntax_problem(err, text)) from None
    except yaml.YAMLError as err:
        raise LoadError(_syntax_problem(err, text)) from None
    except RecursionError:
        raise LoadError(LoadProblem(
            "yaml-depth-limit", "YAML is nested too deeply to read", Span(1, 1, 1, 1),
            "A process spec needs only a few levels of nesting; look for runaway brackets.",
        )) from None
    finally:
        parser.dispose()
    if node is None:
        raise LoadError(LoadProblem(
            "file-empty",
            "file is empty (no YAML content, only blank lines or comments)",
            Span(1, 1, 1, 1),
            "Start from 'plaint init', or check that this is the right file.",
        ))
    return node


def _problem(rule: str, message: str, node: yaml.Node, hint: str | None) -> LoadError:
    return LoadError(LoadProblem(rule, message, _span(node), hint))


MAX_INT_DIGITS = 100


def _bad_scalar(node: yaml.ScalarNode, wanted: str) -> LoadError:
    shown = node.tag.replace("tag:yaml.org,2002:", "!!")
    return _problem(
        "yaml-tag", f"tag '{shown}' does not fit the value {node.value!r}, which is not {wanted}",
        node, "Remove the tag; quote the value if it should be text.",
    )


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == _STR:
        return value
    if tag == _INT:
        if not _EXPLICIT_INT_RX.match(value):
            raise _bad_scalar(node, "a whole number")
        if len(value) > MAX_INT_DIGITS:
            # Python refuses to convert longer numbers; no field wants one, so the schema
            # reports it, positioned, as a value of the wrong type.
            return value
        return int(value, 10)
    if tag == _FLOAT:
        if not (_FLOAT_RX.match(value) or _EXPLICIT_INT_RX.match(value)):
            raise _bad_scalar(node, "a number")
        lowered = value.lower()
        if lowered.endswith(".inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        return math.nan if lowered == ".nan" else float(value)
    if tag == _BOOL:
        if not _BOOL_RX.match(value):
            raise _bad_scalar(node, "true or false")
        return value.lower() == "true"
    if value not in _NULL_VALUES:
        raise _bad_scalar(node, "null")
    return None


def _check_tag(node: yaml.Node) -> None:
    tag = node.tag
    allowed = _SCALAR_TAGS if isinstance(node, yaml.ScalarNode) else (
        {_SEQ} if isinstance(node, yaml.SequenceNode) else {_MAP}
    )
    if tag not in allowed:
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise _problem(
            "yaml-tag",
            f"tag '{shown}' is not allowed; plaint reads plain YAML (strings, numbers, "
            "true/false, null, lists and mappings) and never constructs objects",
            node,
            "Remove the tag. Quote the value if it should be text.",
        )


def _non_string_key(key: yaml.Node) -> LoadError:
    # A tag on a key is judged as on a value: '!!python/name:os.system : x' is a Python
    # tag (the key is empty because the tag is all that is written), and '!!bool yes'
    # is a tag that does not fit its text, not a boolean.
    try:
        _check_tag(key)
        if isinstance(key, yaml.ScalarNode):
            _scalar(key)
    except LoadError as err:
        return err
    if not isinstance(key, yaml.ScalarNode):
        return _problem(
            "yaml-non-string-key",
            "a list or mapping is used as a key; every key in a process spec is text",
            key, "Write the key as text, e.g. 'review:'.",
        )
    value = key.value
    what = {
        _INT: "a number", _FLOAT: "a number", _BOOL: "true/false (a boolean)", _NULL: "null (no value)",
    }[key.tag]
    shown = f"key '{value}'" if value else "an empty key"
    return _problem(
        "yaml-non-string-key",
        f"{shown} is read as {what}, not text; every key in a process spec is text",
        key, f"Quote the key (\"{value}\":), or rename it with letters." if value
        else "Write a name before the ':'.",
    )


class _Cycle(Exception):
    """An anchor used inside itself; carries the anchored node."""

    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.node = node


def _self_alias(text: str, node: yaml.Node) -> LoadError:
    """yaml-alias-limit for an anchor used inside itself, at the alias where possible."""
    span = _span(node)
    name, where = None, span
    try:
        start, end = node.start_mark, node.end_mark
        for token in yaml.scan(text, Loader=_PositionLoader):
            mark = token.start_mark
            if isinstance(token, yaml.AnchorToken) and (mark.line, mark.column) == (start.line, start.column):
                name = token.value
            elif (isinstance(token, yaml.AliasToken) and name is not None and token.value == name
                  and (start.line, start.column) < (mark.line, mark.column) < (end.line, end.column)):
                where = Span(mark.line + 1, mark.column + 1, token.end_mark.line + 1,
                             token.end_mark.column + 1)
                break
    except yaml.YAMLError:  # pragma: no cover - the text has already been parsed once
        pass
    named = f"'&{name}' " if name else ""
    return LoadError(LoadProblem(
        "yaml-alias-limit",
        f"the anchor {named}at line {span.line}, column {span.column} is used inside itself, "
        "so it would expand forever",
        where, "Do not use an alias ('*name') inside the value its anchor ('&name') marks.",
    ))


def _merged_pairs(node: yaml.MappingNode, cache: dict[int, list], active: set[int]
                  ) -> list[tuple[yaml.Node, yaml.Node]]:
    """Mapping pairs with YAML merge keys (``<<: *defaults``) expanded.

    Keys written in the mapping itself win over merged ones, as in YAML.
    Results are cached per node, so chains of merges cost linear time, and a
    mapping merged into itself raises :class:`_Cycle`.
    """
    ident = id(node)
    if ident in cache:
        return cache[ident]
    if ident in active:
        raise _Cycle(node)
    active.add(ident)
    own: list[tuple[yaml.Node, yaml.Node]] = []
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    try:
        for key, value in node.value:
            if key.tag == _MERGE:
                sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
                for source in sources:
                    if not isinstance(source, yaml.MappingNode):
                        raise _problem(
                            "yaml-syntax", "a merge key '<<' needs a mapping (or list of mappings)",
                            source, "Merge only mappings defined with an anchor ('&name').",
                        )
                    merged.extend(_merged_pairs(source, cache, active))
            else:
                own.append((key, value))
    finally:
        active.discard(ident)
    result = own
    if merged:
        written = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
        seen: set[Any] = set()
        for key, value in merged:
            if isinstance(key, yaml.ScalarNode) and key.value not in written and key.value not in seen:
                seen.add(key.value)
                result = [*result, (key, value)]
    cache[ident] = result
    return result


def build(node: yaml.Node, path: str = "<string>", text: str = "", *,
          max_depth: int = MAX_DEPTH, max_alias_nodes: int = MAX_ALIAS_NODES) -> SourceDocument:
    """Walk composed nodes into plain data and the position side table.

    Recursion is bounded: depth is checked before descending.
    """
    walker = _Walker(max_depth, max_alias_nodes)
    try:
        data = walker.walk(node, (), 0, None)
    except _Cycle as cycle:
        raise _self_alias(text, cycle.node) from None
    return SourceDocument(path=path, text=text, data=data, values=walker.values, keys=walker.keys)


_ScalarNode, _SequenceNode = yaml.ScalarNode, yaml.SequenceNode
_new_span = tuple.__new__  # Span(...) without the named tuple's Python-level __new__


class _Walker:
    """One walk over the composed nodes: data, positions and the input rules in one pass.

    A class rather than a nested recursive function, which would be a reference cycle
    left for the garbage collector after every file. Plain string scalars, most of any
    spec, are handled inline by their container: the same checks, without a call each.
    """

    def __init__(self, max_depth: int, max_alias_nodes: int) -> None:
        self.max_depth = max_depth
        self.max_alias_nodes = max_alias_nodes
        self.values: dict[PathTuple, Span] = {}
        self.keys: dict[PathTuple, Span] = {}
        self.seen: set[int] = set()
        self.active: set[int] = set()  # collections on the path from the root to here
        self.merge_cache: dict[int, list] = {}
        self.budget = max_alias_nodes

    def walk(self, current: yaml.Node, where: PathTuple, depth: int, aliased: Span | None) -> Any:
        # ``aliased`` is the span of the container where an alias was used, or None.
        values = self.values
        ident = id(current)
        if ident in self.active:
            raise _Cycle(current)
        if depth > self.max_depth:
            raise _problem(
                "yaml-depth-limit", f"YAML is nested more than {self.max_depth} levels deep",
                current, "A process spec needs only a few levels of nesting.",
            )
        if not isinstance(current, _ScalarNode):
            if ident in self.seen and aliased is None:
                aliased = values.get(where[:-1], _span(current))
            else:
                self.seen.add(ident)
        if aliased:
            self.budget -= 1
            if self.budget < 0:
                raise LoadError(LoadProblem(
                    "yaml-alias-limit",
                    f"aliases expand to more than {self.max_alias_nodes:,} nodes "
                    "(an 'alias bomb': anchors that repeat anchors)",
                    aliased, "Write the repeated parts out, or use fewer nested aliases.",
                ))
        _check_tag(current)
        values[where] = _span(current)
        if isinstance(current, _ScalarNode):
            return _scalar(current)
        # A child plain string can skip walk(): it is never active or aliased here, and
        # its depth is within the limit; its tag and span are set as walk() would.
        inline = aliased is None and depth + 1 <= self.max_depth
        self.active.add(ident)
        try:
            if isinstance(current, _SequenceNode):
                items = []
                for index, item in enumerate(current.value):
                    child = (*where, index)
                    if inline and item.tag == _STR and type(item) is _ScalarNode:
                        b, e = item.start_mark, item.end_mark
                        values[child] = _new_span(Span, (b.line + 1, b.column + 1, e.line + 1, e.column + 1))
                        items.append(item.value)
                    else:
                        items.append(self.walk(item, child, depth + 1, aliased))
                return items
            pairs = current.value
            for key_node, _ in pairs:
                if key_node.tag == _MERGE:
                    pairs = _merged_pairs(current, self.merge_cache, set())
                    break
            keys = self.keys
            mapping: dict[str, Any] = {}
            first_at: dict[str, yaml.Node] = {}
            for key_node, value_node in pairs:
                if not (key_node.tag == _STR and isinstance(key_node, _ScalarNode)):
                    raise _non_string_key(key_node)
                name = key_node.value
                if name in first_at:
                    first = first_at[name].start_mark
                    raise _problem(
                        "yaml-duplicate-key",
                        f"key '{name}' appears twice in the same mapping "
                        f"(first at line {first.line + 1}); YAML would silently keep only the last",
                        key_node, "Remove or rename one of the two entries.",
                    )
                first_at[name] = key_node
                child = (*where, name)
                b, e = key_node.start_mark, key_node.end_mark
                keys[child] = _new_span(Span, (b.line + 1, b.column + 1, e.line + 1, e.column + 1))
                if inline and value_node.tag == _STR and type(value_node) is _ScalarNode:
                    b, e = value_node.start_mark, value_node.end_mark
                    values[child] = _new_span(Span, (b.line + 1, b.column + 1, e.line + 1, e.column + 1))
                    mapping[name] = value_node.value
                else:
                    mapping[name] = self.walk(value_node, child, depth + 1, aliased)
            return mapping
        finally:
            self.active.discard(ident)


def load_text(text: str, path: str = "<string>") -> SourceDocument:
    """Parse YAML text into a positioned document, or raise LoadError."""
    return build(compose(text), path, text)


def load_file(path: str | Path, max_bytes: int | None = None) -> SourceDocument:
    """Read, decode and parse one file, or raise LoadError (never anything else).

    ``max_bytes`` defaults to :data:`MAX_BYTES`, read when called. At most one
    byte more than the limit is read, so a device or pipe cannot fill memory.
    """
    shown = str(path)
    limit = _max_bytes(max_bytes)
    try:
        p = Path(path)
        if p.is_dir():
            raise LoadError(LoadProblem("file-unreadable", "path is a folder, not a file",
                                        Span(1, 1, 1, 1), None))
        size = p.stat().st_size
        if size > limit:
            raise _too_large(size, limit)
        with p.open("rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise LoadError(LoadProblem("file-unreadable", "no such file", Span(1, 1, 1, 1),
                                    "Check the path.")) from None
    except OSError as err:
        reason = err.strerror or str(err)
        raise LoadError(LoadProblem("file-unreadable", f"cannot read file: {reason}",
                                    Span(1, 1, 1, 1), None)) from None
    if len(raw) > limit:  # a pipe or device that reports no size
        raise _too_large(len(raw), limit, at_least=True)
    text = decode(raw, limit)
    return load_text(text, shown)

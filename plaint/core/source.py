"""Load YAML safely, with a position for every key and value.

One compose pass through libyaml (or PyYAML's pure-Python parser where libyaml
is missing) gives nodes with marks; one iterative walk over those nodes builds
plain data and a side table from JSON-pointer paths to source spans. The walk
also enforces the input rules: string keys only, no duplicate keys, only the
tags of the YAML core schema, bounded alias expansion and nesting depth.

Nothing in a file is ever executed: no Python tags, no custom constructors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plaint.core.findings import LoadProblem, Span

PathTuple = tuple[str | int, ...]

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL}


def _core_schema_resolvers() -> dict[str | None, list]:
    """PyYAML's implicit resolvers, minus YAML 1.1 surprises.

    Booleans are only ``true``/``false`` (``yes``, ``no``, ``on``, ``off`` stay
    strings, as in YAML 1.2), and timestamps are not resolved, so dates stay
    strings that the schema checks by format.
    """
    base = yaml.resolver.Resolver.yaml_implicit_resolvers
    table: dict[str | None, list] = {}
    for first, pairs in base.items():
        kept = [(tag, rx) for tag, rx in pairs if tag not in (_BOOL, "tag:yaml.org,2002:timestamp")]
        if kept:
            table[first] = kept
    bool_rx = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
    for first in "tTfF":
        table.setdefault(first, []).insert(0, (_BOOL, bool_rx))
    return table


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PositionLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers = _core_schema_resolvers()


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


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
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def decode(raw: bytes, max_bytes: int = MAX_BYTES) -> str:
    """Bytes to text, refusing what a process spec cannot be."""
    if len(raw) > max_bytes:
        raise LoadError(LoadProblem(
            "file-too-large",
            f"file is {len(raw):,} bytes; plaint reads process specs of at most {max_bytes:,} bytes",
            Span(1, 1, 1, 1),
            "Split the process into smaller files, or check that this is the right file.",
        ))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(LoadProblem(
            "file-encoding",
            "file is UTF-16 (it starts with a UTF-16 byte-order mark); plaint reads UTF-8",
            Span(1, 1, 1, 1),
            "Save the file as UTF-8 (most editors offer this under 'Save with encoding').",
        ))
    if b"\x00" in raw:
        index = raw.index(b"\x00")
        line, col = _line_col(raw[:index].decode("utf-8", "replace"), index)
        raise LoadError(LoadProblem(
            "file-binary",
            "file contains a NUL byte, so it is binary data, not YAML text",
            Span(line, col, line, col),
            "Check that the path names a YAML process spec.",
        ))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        good = raw[: err.start].decode("utf-8", "replace")
        line, col = _line_col(good, len(good))
        raise LoadError(LoadProblem(
            "file-encoding",
            f"file is not valid UTF-8: byte 0x{raw[err.start]:02x} cannot start a character here",
            Span(line, col, line, col),
            "Save the file as UTF-8.",
        )) from None
    return text.removeprefix("\ufeff")


def _syntax_problem(err: yaml.YAMLError, text: str) -> LoadProblem:
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        problem = err.problem or "invalid YAML"
        context = f" ({err.context})" if err.context else ""
        if "maximum nesting depth" in problem:
            return LoadProblem(
                "yaml-depth-limit",
                f"YAML is nested deeper than the parser allows ({problem})",
                _mark_span(mark),
                "A process spec needs only a few levels of nesting; look for runaway brackets.",
            )
        return LoadProblem(
            "yaml-syntax",
            f"YAML syntax error: {problem}{context}",
            _mark_span(mark),
            "Check indentation, colons after keys, and quotes around values that contain ': ' or '#'.",
        )
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
    loader = _PositionLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.composer.ComposerError as err:
        if "expected a single document" in f"{err.context} {err.problem}":
            raise LoadError(LoadProblem(
                "yaml-multiple-documents",
                "file holds more than one YAML document; a process spec is one document",
                _mark_span(err.problem_mark),
                "Remove the '---' separator and keep one process per file.",
            )) from None
        raise LoadError(_syntax_problem(err, text)) from None
    except yaml.YAMLError as err:
        raise LoadError(_syntax_problem(err, text)) from None
    finally:
        loader.dispose()
    if node is None:
        raise LoadError(LoadProblem(
            "file-empty",
            "file is empty (no YAML content, only blank lines or comments)",
            Span(1, 1, 1, 1),
            "Start from 'plaint init', or check that this is the right file.",
        ))
    return node


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag == _INT:
        return _CONSTRUCTOR.construct_yaml_int(node)
    if tag == _FLOAT:
        return _CONSTRUCTOR.construct_yaml_float(node)
    if tag == _BOOL:
        return node.value.lower() == "true"
    return None


def _problem(rule: str, message: str, node: yaml.Node, hint: str | None) -> LoadError:
    return LoadError(LoadProblem(rule, message, _span(node), hint))


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


def _merged_pairs(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    """Mapping pairs with YAML merge keys (``<<: *defaults``) expanded.

    Keys written in the mapping itself win over merged ones, as in YAML.
    """
    own: list[tuple[yaml.Node, yaml.Node]] = []
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    for key, value in node.value:
        if key.tag == _MERGE:
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise _problem(
                        "yaml-syntax", "a merge key '<<' needs a mapping (or list of mappings)",
                        source, "Merge only mappings defined with an anchor ('&name').",
                    )
                merged.extend(_merged_pairs(source))
        else:
            own.append((key, value))
    if not merged:
        return own
    written = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
    seen: set[Any] = set()
    extra = []
    for key, value in merged:
        if isinstance(key, yaml.ScalarNode) and key.value not in written and key.value not in seen:
            seen.add(key.value)
            extra.append((key, value))
    return own + extra


def build(node: yaml.Node, path: str = "<string>", text: str = "", *,
          max_depth: int = MAX_DEPTH, max_alias_nodes: int = MAX_ALIAS_NODES) -> SourceDocument:
    """Walk composed nodes into plain data and the position side table.

    Recursion is bounded: depth is checked before descending.
    """
    values: dict[PathTuple, Span] = {}
    keys: dict[PathTuple, Span] = {}
    seen: set[int] = set()
    budget = [max_alias_nodes]

    def walk(current: yaml.Node, where: PathTuple, depth: int, aliased: Span | None) -> Any:
        # ``aliased`` is the span of the container where an alias was used, or None.
        if depth > max_depth:
            raise _problem(
                "yaml-depth-limit", f"YAML is nested more than {max_depth} levels deep",
                current, "A process spec needs only a few levels of nesting.",
            )
        if not isinstance(current, yaml.ScalarNode):
            ident = id(current)
            if ident in seen and aliased is None:
                aliased = values.get(where[:-1], _span(current))
            else:
                seen.add(ident)
        if aliased:
            budget[0] -= 1
            if budget[0] < 0:
                raise LoadError(LoadProblem(
                    "yaml-alias-limit",
                    f"aliases expand to more than {max_alias_nodes:,} nodes "
                    "(an 'alias bomb' or a self-referencing anchor)",
                    aliased, "Write the repeated parts out, or use fewer nested aliases.",
                ))
        _check_tag(current)
        values[where] = _span(current)
        if isinstance(current, yaml.ScalarNode):
            return _scalar(current)
        if isinstance(current, yaml.SequenceNode):
            return [walk(item, (*where, index), depth + 1, aliased)
                    for index, item in enumerate(current.value)]
        mapping: dict[str, Any] = {}
        first_at: dict[str, yaml.Node] = {}
        for key_node, value_node in _merged_pairs(current):
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
                raise _problem(
                    "yaml-non-string-key",
                    f"key {shown!r} is not a string; every key in a process spec is text",
                    key_node, "Quote the key, e.g. '\"1\": ...', or rename it.",
                )
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
            keys[child] = _span(key_node)
            mapping[name] = walk(value_node, child, depth + 1, aliased)
        return mapping

    data = walk(node, (), 0, None)
    return SourceDocument(path=path, text=text, data=data, values=values, keys=keys)


def load_text(text: str, path: str = "<string>") -> SourceDocument:
    """Parse YAML text into a positioned document, or raise LoadError."""
    return build(compose(text), path, text)


def load_file(path: str | Path, max_bytes: int = MAX_BYTES) -> SourceDocument:
    """Read, decode and parse one file, or raise LoadError (never anything else)."""
    shown = str(path)
    try:
        p = Path(path)
        if p.is_dir():
            raise LoadError(LoadProblem("file-unreadable", "path is a folder, not a file",
                                        Span(1, 1, 1, 1), None))
        size = p.stat().st_size
        if size > max_bytes:
            raise LoadError(LoadProblem(
                "file-too-large",
                f"file is {size:,} bytes; plaint reads process specs of at most {max_bytes:,} bytes",
                Span(1, 1, 1, 1),
                "Split the process into smaller files, or check that this is the right file.",
            ))
        raw = p.read_bytes()
    except FileNotFoundError:
        raise LoadError(LoadProblem("file-unreadable", "no such file", Span(1, 1, 1, 1),
                                    "Check the path.")) from None
    except OSError as err:
        raise LoadError(LoadProblem("file-unreadable", f"cannot read file: {err.strerror}",
                                    Span(1, 1, 1, 1), None)) from None
    text = decode(raw, max_bytes)
    return load_text(text, shown)

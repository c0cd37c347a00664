"""The YAML loader: unreadable input, positions, YAML traps, and the CLI's exit codes for them."""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, MINIMAL_SPEC, STRUCTURAL_ONLY_CONFIG, run_many, run_plaint
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from plaint.core import source
from plaint.core.findings import Span
from plaint.core.pipeline import check_path
from plaint.core.run import default_ruleset
from plaint.core.source import LoadError, SourceDocument, compose, decode, load_file, load_text

BROKEN = FIXTURES / "broken"

# Every broken fixture: the rule it breaks, and the 1-based line and column of the
# problem, worked out by hand from the file's text (the header comment is line 1).
EXPECTED: dict[str, tuple[str, int, int]] = {
    # "  receive: {kind: receive, owner: agent, next: [record": the '[' is character 48;
    # the parser only notices at the end of the file, but the culprit is the bracket.
    "yaml-syntax-unclosed-bracket.yaml": ("yaml-syntax", 4, 48),
    # "  title:" is indented 2 under "process:", whose keys start in column 5.
    "yaml-syntax-bad-indentation.yaml": ("yaml-syntax", 5, 3),
    # "\tid: acme": the tab itself.
    "yaml-syntax-tab.yaml": ("yaml-syntax", 4, 1),
    # The second "  review:" (the first is on line 4).
    "yaml-duplicate-key-step.yaml": ("yaml-duplicate-key", 7, 3),
    # The second "    owner:" (the first is on line 6).
    "yaml-duplicate-key-in-step.yaml": ("yaml-duplicate-key", 8, 5),
    # "  1:", "  true:", "  null:": the key.
    "yaml-non-string-key-int.yaml": ("yaml-non-string-key", 4, 3),
    "yaml-non-string-key-bool.yaml": ("yaml-non-string-key", 4, 3),
    "yaml-non-string-key-null.yaml": ("yaml-non-string-key", 4, 3),
    # "process: !!python/...": the tagged node starts at the tag, column 10.
    "yaml-tag-python.yaml": ("yaml-tag", 3, 10),
    # "roles: !include ...": column 8.
    "yaml-tag-include.yaml": ("yaml-tag", 3, 8),
    # The "---" that starts the second document.
    "yaml-multiple-documents.yaml": ("yaml-multiple-documents", 4, 1),
    # Expansions so far: b 9*10 = 90, c 9*91 = 819, d 9*820 = 7,380 (8,289 in all); the
    # first '*d' in e adds 7,381 and passes 10,000. The span is e's list, from '&e' (column 4).
    "yaml-alias-limit-bomb.yaml": ("yaml-alias-limit", 6, 4),
    # "    deputy: *roles": the alias, inside the mapping anchored '&roles' on line 3.
    "yaml-alias-limit-self.yaml": ("yaml-alias-limit", 6, 13),
    # "a: [[[...": the k-th '[' is column 3 + k and depth k; depth 65 is the first too deep.
    "yaml-depth-limit-flow.yaml": ("yaml-depth-limit", 2, 68),
    # Line 2 + d holds the mapping at depth d + 1, indented 2 * (d + 1); depth 65 is the
    # mapping whose first key is on line 67, column 131.
    "yaml-depth-limit-block.yaml": ("yaml-depth-limit", 67, 131),
    "file-empty.yaml": ("file-empty", 1, 1),
    "file-empty-comments.yaml": ("file-empty", 1, 1),
    "file-empty-whitespace.yaml": ("file-empty", 1, 1),
    # "proc\x00ess:": the NUL is the fifth character of line 2.
    "file-binary-nul.yaml": ("file-binary", 2, 5),
    # b"\x89PNG\r\n\x1a\n\x00": CRLF ends line 1, LF ends line 2; the NUL starts line 3.
    "file-binary-png.yaml": ("file-binary", 3, 1),
    # "  title: Caf\xe9 complaints": the Latin-1 byte is character 13 of line 3.
    "file-encoding-latin1.yaml": ("file-encoding", 3, 13),
    "file-encoding-utf16.yaml": ("file-encoding", 1, 1),
    # "  title: Complaints\x07": 9 + 10 characters before the bell.
    "file-encoding-control-bell.yaml": ("file-encoding", 3, 20),
    # "  title: \x1b[1m...": the escape follows the 9 characters of "  title: ".
    "file-encoding-control-escape.yaml": ("file-encoding", 3, 10),
}


def _load_problem(path: Path) -> tuple[str, int, int, str]:
    with pytest.raises(LoadError) as caught:
        load_file(path)
    problem = caught.value.problem
    return problem.rule, problem.span.line, problem.span.column, problem.message


# --- unreadable input -------------------------------------------------------------------


def test_every_broken_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_fixture_is_refused_at_the_problem(name: str) -> None:
    rule, line, column, message = _load_problem(BROKEN / name)
    assert (rule, line, column) == EXPECTED[name], message
    assert name.startswith(rule)
    assert message and "Traceback" not in message


def test_broken_messages_say_what_is_wrong() -> None:
    said = {name: _load_problem(BROKEN / name)[3] for name in EXPECTED}
    assert "tab" in said["yaml-syntax-tab.yaml"]
    assert "'['" in said["yaml-syntax-unclosed-bracket.yaml"]
    assert "first at line 4" in said["yaml-duplicate-key-step.yaml"]
    assert "first at line 6" in said["yaml-duplicate-key-in-step.yaml"]
    assert "number" in said["yaml-non-string-key-int.yaml"]
    assert "boolean" in said["yaml-non-string-key-bool.yaml"]
    assert "null" in said["yaml-non-string-key-null.yaml"]
    assert "!!python/object/apply:os.system" in said["yaml-tag-python.yaml"]
    assert "'!include'" in said["yaml-tag-include.yaml"]
    assert "'&roles' at line 3, column 8" in said["yaml-alias-limit-self.yaml"]
    assert "10,000" in said["yaml-alias-limit-bomb.yaml"]
    assert "U+0007" in said["file-encoding-control-bell.yaml"]
    assert "U+001B" in said["file-encoding-control-escape.yaml"]
    assert "0xe9" in said["file-encoding-latin1.yaml"]
    assert "UTF-16" in said["file-encoding-utf16.yaml"]


def test_python_tag_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    spec = tmp_path / "evil.yaml"
    spec.write_text(f"a: !!python/object/apply:os.system ['touch {marker}']\n"
                    f"b: !!python/object/apply:builtins.exec ['open(\"{marker}\", \"w\")']\n")
    with pytest.raises(LoadError):
        load_file(spec)
    assert not marker.exists()


def test_ten_thousand_levels_stop_at_the_parser_limit(tmp_path: Path) -> None:
    # libyaml refuses past 1,000 levels: the root mapping is one, so the 1,000th '['
    # (column 3 + 1,000) is the first too deep; in block style the 1,000th '- '.
    flow = tmp_path / "flow.yaml"
    flow.write_text("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    block = tmp_path / "block.yaml"
    block.write_text("a:\n" + "- " * 10_000 + "x\n")
    maps = tmp_path / "maps.yaml"
    maps.write_text("a: " + "{x: " * 10_000 + "1" + "}" * 10_000 + "\n")
    assert _load_problem(flow)[:3] == ("yaml-depth-limit", 1, 1003)
    assert _load_problem(block)[:3] == ("yaml-depth-limit", 2, 2 * 1000 - 1)
    assert _load_problem(maps)[:3] == ("yaml-depth-limit", 1, 4 * 1000)
    result = run_plaint("check", flow, "--format", "concise", "--color", "never")
    assert result.returncode == 2 and "Traceback" not in result.stdout + result.stderr
    assert f"{flow}:1:1003: error [yaml-depth-limit]" in result.stdout


def test_pure_python_parser_gives_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    # Where libyaml is missing, PyYAML's own parser is used; its composer recurses, so
    # plaint stops it at a fixed depth before Python's recursion limit would.
    with_libyaml = load_text(SPEC)
    monkeypatch.setattr(source, "_PositionLoader", source._PyPositionLoader)
    text = "a: " + "[" * 10_000 + "]" * 10_000 + "\n"
    with pytest.raises(LoadError) as caught:
        compose(text)
    problem = caught.value.problem
    assert problem.rule == "yaml-depth-limit"
    assert (problem.span.line, problem.span.column) == (1, 3 + source._PY_COMPOSE_DEPTH)
    for name in EXPECTED:
        if name.startswith("yaml-"):
            rule, line, column, _ = _load_problem(BROKEN / name)
            assert (rule, line, column) == EXPECTED[name], name
    pure = load_text(SPEC)
    assert (pure.data, pure.values, pure.keys) == (with_libyaml.data, with_libyaml.values, with_libyaml.keys)


def test_depth_limit_is_inclusive() -> None:
    # 64 levels below the root mapping load; 65 do not.
    assert load_text("a: " + "[" * 63 + "1" + "]" * 63 + "\n").data["a"]
    with pytest.raises(LoadError, match="more than 64 levels"):
        load_text("a: " + "[" * 64 + "1" + "]" * 64 + "\n")


@pytest.mark.parametrize(("text", "line", "column"), [
    ("a: &a [*a]\n", 1, 8),
    ("a: &a {<<: *a}\n", 1, 12),  # merged into itself
    ("x: 1\na: &a\n  b:\n    - *a\n", 4, 7),
])
def test_self_reference_is_an_alias_problem(text: str, line: int, column: int) -> None:
    with pytest.raises(LoadError) as caught:
        load_text(text)
    problem = caught.value.problem
    assert (problem.rule, problem.span.line, problem.span.column) == ("yaml-alias-limit", line, column)


def test_merge_chains_cost_linear_time() -> None:
    # Each level merges the one above nine times: naive expansion is 9**40 calls.
    lines = ["m0: &m0 {k0: v}"]
    lines += [f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 9)}], k{i}: v}}" for i in range(1, 41)]
    started = time.perf_counter()
    doc = load_text("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5
    assert doc.data["m40"] == {f"k{i}": "v" for i in range(41)}


def test_alias_budget_allows_ordinary_reuse() -> None:
    text = "defaults: &d {owner: agent, takes: 1 hours}\n" + "".join(
        f"s{i}: {{<<: *d, kind: task}}\n" for i in range(500))
    assert load_text(text).data["s499"] == {"kind": "task", "owner": "agent", "takes": "1 hours"}


@pytest.mark.parametrize(("text", "rule", "line", "column"), [
    ("a: !!int abc\n", "yaml-tag", 1, 4),
    ("a: !!float abc\n", "yaml-tag", 1, 4),
    ("a: !!bool yes\n", "yaml-tag", 1, 4),
    ("a: !!null x\n", "yaml-tag", 1, 4),
    ("a: !!set {x}\n", "yaml-tag", 1, 4),
    ("a: !!binary aGk=\n", "yaml-tag", 1, 4),
    ("a: *nope\n", "yaml-syntax", 1, 4),
    ("a: &x 1\nb: &x 2\n", "yaml-syntax", 2, 4),
    ("a: 1\nb\nc: 2\n", "yaml-syntax", 2, 1),  # no ':' after 'b'; noticed on line 3
    ("a: 'open\n", "yaml-syntax", 1, 4),  # unclosed quote
    ("a: @x\n", "yaml-syntax", 1, 4),
    ("[a, b]: x\n", "yaml-non-string-key", 1, 1),
    ("? \n: x\n", "yaml-non-string-key", 1, 2),
    ("a: {<<: 3}\n", "yaml-syntax", 1, 9),
    ("plaint: 1\n---\n", "yaml-multiple-documents", 2, 1),
    # Tags on keys are judged as tags on values are, at the tag.
    ("!!python/name:os.system : x\n", "yaml-tag", 1, 1),
    ("a: 1\n!Ref b: x\n", "yaml-tag", 2, 1),
    ("? !!python/tuple [a, b]\n: x\n", "yaml-tag", 1, 3),
    ("{!!python/name:os.system : x}\n", "yaml-tag", 1, 2),
    ("!!bool yes: x\n", "yaml-tag", 1, 1),  # 'yes' is not a boolean, so the tag does not fit
    ("!!int 1: x\n", "yaml-non-string-key", 1, 1),
    ('a: !!python/object/apply:os.system ["ls"]\n', "yaml-tag", 1, 4),
])
def test_more_unreadable_text(text: str, rule: str, line: int, column: int) -> None:
    with pytest.raises(LoadError) as caught:
        load_text(text)
    problem = caught.value.problem
    assert (problem.rule, problem.span.line, problem.span.column) == (rule, line, column), problem.message


def test_explicit_tags_that_fit_are_plain_data() -> None:
    data = load_text("a: !!str 12\nb: !!int '7'\nc: !!float 3\nd: !!bool true\ne: !!null ''\n").data
    assert data == {"a": "12", "b": 7, "c": 3.0, "d": True, "e": None}
    # '!!str' makes a key text, as it does a value.
    assert load_text("!!str 12: x\n!!str true: y\n").data == {"12": "x", "true": "y"}


@pytest.mark.parametrize("text", [
    "!!python/name:os.system : x\n",
    "!<tag:yaml.org,2002:python/name:os.system> : x\n",  # the same tag, written in full
])
def test_python_tag_on_a_key_is_named_as_a_tag(text: str) -> None:
    with pytest.raises(LoadError) as caught:
        load_text(text)
    problem = caught.value.problem
    assert problem.rule == "yaml-tag"
    assert problem.message.startswith("tag '!!python/name:os.system' is not allowed; plaint reads plain YAML")
    assert "never constructs objects" in problem.message and "key" not in problem.message


# --- encodings other than UTF-8, and binary data ---------------------------------------------

_TEXT = "# complaints\nplaint: 1\nprocess:\n  id: acme\n  title: Réclamations 日本語\n"


_BOM_SAID = "file is UTF-{0} (it starts with a UTF-{0} byte-order mark)"


@pytest.mark.parametrize(("raw", "said"), [
    (b"\xff\xfe\x00\x00" + _TEXT.encode("utf-32-le"), _BOM_SAID.format(32)),
    (b"\x00\x00\xfe\xff" + _TEXT.encode("utf-32-be"), _BOM_SAID.format(32)),
    (b"\xff\xfe" + _TEXT.encode("utf-16-le"), _BOM_SAID.format(16)),
    (b"\xfe\xff" + _TEXT.encode("utf-16-be"), _BOM_SAID.format(16)),
    (_TEXT.encode("utf-16-le"), "file looks like UTF-16 (little-endian) without a byte-order mark"),
    (_TEXT.encode("utf-16-be"), "file looks like UTF-16 (big-endian) without a byte-order mark"),
    (_TEXT.encode("utf-32-le"), "file looks like UTF-32 (little-endian) without a byte-order mark"),
    (_TEXT.encode("utf-32-be"), "file looks like UTF-32 (big-endian) without a byte-order mark"),
    # Words outside ASCII: the keys, indentation and line breaks are still ASCII.
    ("# 苦情処理の手順\nprocess:\n  title: 苦情処理の手順と対応\n  description: お客様からの苦情\n"
     .encode("utf-16-le"),
     "file looks like UTF-16 (little-endian) without a byte-order mark"),
])
def test_wide_encodings_are_named(raw: bytes, said: str) -> None:
    with pytest.raises(LoadError) as caught:
        decode(raw)
    problem = caught.value.problem
    assert (problem.rule, problem.span.line, problem.span.column) == ("file-encoding", 1, 1)
    assert problem.message == f"{said}; plaint reads UTF-8"
    assert problem.hint and "UTF-8" in problem.hint


def _random_bytes(seed: int, size: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size)) + b"\x00"


@pytest.mark.parametrize("raw", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00",
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00<<>>",
    b"\x00" * 64,
    b"a\x00",
    b"plaint: 1\nproc\x00ess:\n  id: acme\n",  # UTF-8 text with one NUL in it
    *(_random_bytes(seed, size) for seed, size in [(1, 16), (2, 300), (3, 4000), (4, 100_000)]),
])
def test_binary_data_is_still_binary(raw: bytes) -> None:
    with pytest.raises(LoadError) as caught:
        decode(raw)
    assert caught.value.problem.rule == "file-binary", caught.value.problem.message


def test_random_binary_is_never_taken_for_wide_text() -> None:
    for seed in range(500):
        with pytest.raises(LoadError) as caught:
            decode(_random_bytes(seed, 16 + seed * 8))
        assert caught.value.problem.rule == "file-binary", seed


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    spec = tmp_path / "bom.yaml"
    spec.write_bytes(b"\xef\xbb\xbf" + MINIMAL_SPEC.encode())
    doc = load_file(spec)
    assert doc.data["process"]["id"] == "minimal"
    assert doc.keys[("plaint",)] == Span(1, 1, 1, 7)
    assert not doc.text.startswith("\ufeff")


# --- keys over YAML's 1024-character limit -------------------------------------------------

_LONG = "x" * 1100


@pytest.mark.parametrize(("text", "line", "column", "length"), [
    (f"a: 1\n{_LONG}: v\n", 2, 1, 1100),  # a later key of a block mapping
    (f"a:\n  {_LONG}: v\n", 2, 3, 1100),  # the first key of a nested mapping
    (f"a:\n- {_LONG}: v\n", 2, 3, 1100),  # after a list's '- '
    (f'a: 1\n"{_LONG}": v\n', 2, 1, 1102),  # quoted: the quotes count
    (f"a: 1\n{'x' * 1020}     : v\n", 2, 1, 1025),  # so do spaces before the ':'
    (f"a: 1\n{'é' * 1025}: v\n", 2, 1, 1025),  # characters, not bytes
    (f"a: {{b: c, {_LONG}: v}}\n", 1, 11, 1100),
    (f"a: [b, {_LONG}: v]\n", 1, 8, 1100),
])
@pytest.mark.parametrize("pure", [False, True])
def test_a_key_over_1024_characters_is_named(monkeypatch: pytest.MonkeyPatch, text: str, line: int,
                                              column: int, length: int, pure: bool) -> None:
    if pure:
        monkeypatch.setattr(source, "_PositionLoader", source._PyPositionLoader)
    with pytest.raises(LoadError) as caught:
        load_text(text)
    problem = caught.value.problem
    assert (problem.rule, problem.span.line, problem.span.column) == ("yaml-syntax", line, column)
    assert problem.message == (
        "YAML syntax error: a key is longer than 1024 characters, the most YAML allows for a key; "
        f"shorten it (this one runs {length:,} characters up to its ':')")
    assert problem.hint and "title or description" in problem.hint


def test_a_key_of_1024_characters_is_allowed() -> None:
    assert load_text(f"a: 1\n{'x' * 1024}: v\n").data["x" * 1024] == "v"


@pytest.mark.parametrize(("text", "said"), [
    (f"a: 1\n{_LONG}\nc: 2\n", "this line has no ':' after its key"),  # long, but no ':' at all
    (f'a: 1\n"{_LONG}" b: v\n', "this line has no ':' after its key"),
    (f"a: {_LONG}: c\n", "put quotes around a value that contains ': '"),  # a long value with ': '
])
def test_other_long_lines_keep_their_message(text: str, said: str) -> None:
    with pytest.raises(LoadError) as caught:
        load_text(text)
    assert said in caught.value.problem.message
    assert "1024" not in caught.value.problem.message


def test_control_character_position_counts_characters_not_bytes() -> None:
    with pytest.raises(LoadError) as caught:
        load_text("title: é😀\x07\n")
    assert (caught.value.problem.span.line, caught.value.problem.span.column) == (1, 10)


def test_nul_position_counts_characters_not_bytes() -> None:
    with pytest.raises(LoadError) as caught:
        decode("title: é😀\x00\n".encode())
    assert (caught.value.problem.span.line, caught.value.problem.span.column) == (1, 10)


def test_unreadable_paths(tmp_path: Path) -> None:
    assert _load_problem(tmp_path / "missing.yaml")[:3] == ("file-unreadable", 1, 1)
    assert _load_problem(tmp_path)[:3] == ("file-unreadable", 1, 1)


def test_too_large_with_a_small_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(MINIMAL_SPEC)
    monkeypatch.setattr(source, "MAX_BYTES", 100)
    rule, line, column, message = _load_problem(spec)
    assert (rule, line, column) == ("file-too-large", 1, 1)
    assert f"{len(MINIMAL_SPEC.encode()):,} bytes" in message and "at most 100 bytes" in message
    with pytest.raises(LoadError, match="at most 100 bytes"):
        decode(MINIMAL_SPEC.encode())
    # The pipeline (what the CLI runs) reads the limit when it is called, too.
    result = check_path(spec, default_ruleset())
    assert result.unreadable and [f.rule for f in result.findings] == ["file-too-large"]
    monkeypatch.setattr(source, "MAX_BYTES", 10_000)
    assert load_file(spec).data["process"]["id"] == "minimal"


def test_too_large_real_eleven_megabytes(tmp_path: Path) -> None:
    spec = tmp_path / "huge.yaml"
    line = "# " + "x" * 97 + "\n"  # 100 bytes
    with spec.open("w") as handle:
        handle.write(MINIMAL_SPEC)
        handle.write(line * (11 * 1024 * 1024 // len(line)))
    assert spec.stat().st_size > 11 * 1024 * 1024 - 100
    rule, _, _, message = _load_problem(spec)
    assert rule == "file-too-large"
    assert "10,485,760" in message
    result = run_plaint("check", spec, "--format", "concise", "--color", "never")
    assert result.returncode == 2
    assert f"{spec}:1:1:" in result.stdout and "[file-too-large]" in result.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_device_is_read_only_up_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_BYTES", 1000)
    rule, _, _, message = _load_problem(Path("/dev/zero"))
    assert rule == "file-too-large" and "more than 1,000 bytes" in message


# --- data and positions for a normal spec -----------------------------------------------

SPEC = """\
plaint: 1
process:
  id: acme
  title: "ACME complaints"
  description: >
    Folded text
    over two lines.
roles:
  agent: {title: Agent, senior: false}
steps:
  receive:
    kind: receive
    channels:
      - web
      - phone
    note: |
      line one
      line two
    summary: a plain scalar
      that continues here
    next: close
"""


@pytest.fixture(scope="module")
def spec() -> SourceDocument:
    return load_text(SPEC, "spec.yaml")


def test_normal_spec_data(spec: SourceDocument) -> None:
    assert spec.path == "spec.yaml" and spec.text == SPEC
    assert spec.data == {
        "plaint": 1,
        "process": {"id": "acme", "title": "ACME complaints",
                    "description": "Folded text over two lines.\n"},
        "roles": {"agent": {"title": "Agent", "senior": False}},
        "steps": {"receive": {
            "kind": "receive", "channels": ["web", "phone"], "note": "line one\nline two\n",
            "summary": "a plain scalar that continues here", "next": "close",
        }},
    }


@pytest.mark.parametrize(("path", "span"), [
    (("plaint",), Span(1, 9, 1, 10)),
    (("process", "id"), Span(3, 7, 3, 11)),
    (("process", "title"), Span(4, 10, 4, 27)),  # the quotes are part of the scalar
    (("process", "description"), Span(5, 16, 8, 1)),  # a block scalar ends where 'roles' starts
    (("roles", "agent"), Span(9, 10, 9, 39)),  # a flow mapping, braces included
    (("roles", "agent", "title"), Span(9, 18, 9, 23)),
    (("roles", "agent", "senior"), Span(9, 33, 9, 38)),
    (("steps", "receive", "channels", 0), Span(14, 9, 14, 12)),  # a block sequence item
    (("steps", "receive", "channels", 1), Span(15, 9, 15, 14)),
    (("steps", "receive", "note"), Span(16, 11, 19, 1)),
    (("steps", "receive", "summary"), Span(19, 14, 20, 26)),  # a plain scalar over two lines
    (("steps", "receive", "next"), Span(21, 11, 21, 16)),
])
def test_value_spans(spec: SourceDocument, path: tuple, span: Span) -> None:
    assert spec.values[path] == span


@pytest.mark.parametrize(("path", "span"), [
    (("plaint",), Span(1, 1, 1, 7)),
    (("process",), Span(2, 1, 2, 8)),
    (("roles", "agent"), Span(9, 3, 9, 8)),
    (("roles", "agent", "senior"), Span(9, 25, 9, 31)),  # a key inside a flow mapping
    (("steps", "receive"), Span(11, 3, 11, 10)),
    (("steps", "receive", "channels"), Span(13, 5, 13, 13)),
])
def test_key_spans(spec: SourceDocument, path: tuple, span: Span) -> None:
    assert spec.keys[path] == span


def test_locate(spec: SourceDocument) -> None:
    assert spec.locate(("steps", "receive", "kind")) == Span(12, 11, 12, 18)
    assert spec.locate(("steps", "receive", "kind"), key=True) == Span(12, 5, 12, 9)
    # Not written in the file: the nearest ancestor that is.
    assert spec.locate(("steps", "receive", "owner")) == spec.values[("steps", "receive")]
    assert spec.locate(("steps", "receive", "owner"), key=True) == spec.values[("steps", "receive")]
    assert spec.locate(("steps", "nope", "next", 0, "to")) == spec.values[("steps",)]
    assert spec.locate(("steps", "receive", "channels", 7)) == Span(14, 7, 16, 5)
    assert spec.locate(("missing",)) == spec.values[()] == Span(1, 1, 22, 1)
    assert spec.locate(()) == spec.values[()]
    assert SourceDocument("x", "", None).locate(("a", 1)) == Span(1, 1, 1, 1)


YAML11 = """\
a: yes
b: no
c: on
d: off
e: y
f: Y
g: NO
h: true
i: false
j: True
k: FALSE
l: 2024-03-01
m: 2024-03-01 10:00:00
n: 9:30
o: 010
p: 1_000
q: 0x1F
r: 12
s: -3
t: 1.5
u: ~
v: null
w:
x: .inf
y: 1e5
on: off
"""


def test_yaml11_traps_are_avoided() -> None:
    data = load_text(YAML11).data
    assert data == {
        "a": "yes", "b": "no", "c": "on", "d": "off", "e": "y", "f": "Y", "g": "NO",
        "h": True, "i": False, "j": True, "k": False,
        "l": "2024-03-01", "m": "2024-03-01 10:00:00",
        "n": "9:30", "o": "010", "p": "1_000", "q": "0x1F",
        "r": 12, "s": -3, "t": 1.5, "u": None, "v": None, "w": None, "x": float("inf"),
        "y": "1e5", "on": "off",
    }
    assert all(type(data[k]) is bool for k in "hijk")


def test_merge_keys() -> None:
    text = """\
defaults: &defaults
  owner: agent
  takes: 1 hours
more: &more {tells: [reference]}
steps:
  record:
    <<: [*defaults, *more]
    kind: record
    takes: 2 hours
"""
    doc = load_text(text)
    assert doc.data["steps"]["record"] == {
        "kind": "record", "takes": "2 hours", "owner": "agent", "tells": ["reference"]}
    # Own keys win and keep their own position; merged keys point at the anchor's text.
    assert doc.values[("steps", "record", "takes")] == Span(9, 12, 9, 19)
    assert doc.keys[("steps", "record", "owner")] == Span(2, 3, 2, 8)
    assert doc.values[("steps", "record", "tells", 0)] == Span(4, 22, 4, 31)
    assert ("steps", "record", "<<") not in doc.keys


# --- property: what safe_dump writes loads back, with spans that hold the scalars ---------

KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=8)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30))
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=25,
)
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def _paths(value: object, here: tuple = ()):
    yield here, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*here, index))


def _slice(text: str, span: Span) -> str:
    starts = [0] + [m.end() for m in _BREAK.finditer(text)]
    return text[starts[span.line - 1] + span.column - 1: starts[span.end_line - 1] + span.end_column - 1]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=DATA, flow=st.booleans(), unicode=st.booleans())
def test_dumped_data_round_trips_with_positions(data: object, flow: bool, unicode: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=unicode, sort_keys=False)
    assume(yaml.safe_load(text) == data)  # PyYAML's own round trip is not under test
    doc = load_text(text)
    assert doc.data == data
    for path, value in _paths(data):
        assert path in doc.values, path
        if path and isinstance(path[-1], str):
            assert path in doc.keys, path
            assert yaml.safe_load(_slice(text, doc.keys[path])) == path[-1]
        if not isinstance(value, (dict, list)):
            snippet = _slice(text, doc.values[path])
            parsed = yaml.safe_load(snippet)
            assert parsed == value and type(parsed) is type(value), (path, snippet)
    assert set(doc.values) == {path for path, _ in _paths(data)}


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=200))
def test_any_bytes_load_or_raise_load_error(raw: bytes) -> None:
    try:
        load_text(decode(raw))
    except LoadError as err:
        assert err.problem.span.line >= 1 and err.problem.span.column >= 1


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="[]{}:,-?!&*#|>'\"\n \t%@`<~.ab01", max_size=60))
def test_yaml_punctuation_loads_or_raises_load_error(text: str) -> None:
    try:
        load_text(text)
    except LoadError as err:
        assert err.problem.span.line >= 1 and err.problem.span.column >= 1


# --- through the command line -------------------------------------------------------------


@pytest.fixture(scope="module")
def broken_runs() -> dict[str, object]:
    names = sorted(EXPECTED)
    runs = run_many(("check", f"tests/fixtures/broken/{name}", "--format", "concise", "--color", "never")
                    for name in names)
    return dict(zip(names, runs, strict=True))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_reports_broken_file(broken_runs: dict, name: str) -> None:
    result = broken_runs[name]
    rule, line, column = EXPECTED[name]
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"tests/fixtures/broken/{name}:{line}:{column}: error [{rule}]" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_checks_the_valid_spec_beside_broken_ones(tmp_path: Path) -> None:
    valid = tmp_path / "valid.yaml"
    valid.write_text(MINIMAL_SPEC)
    (tmp_path / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)  # about reading, not ISO
    result = run_plaint("check", "tests/fixtures/broken", valid, "--format", "json")
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert files["valid.yaml"] == {"path": str(valid), "readable": True, "findings": []}
    assert sorted(name for name, f in files.items() if not f["readable"]) == sorted(EXPECTED)
    alone = run_plaint("check", valid)
    assert alone.returncode == 0, alone.stdout

"""Bad input through the installed command: tests/bad_input/ (see its README) and huge
files generated here. Each gives a positioned message with its rule and the right exit
code, no traceback, in bounded time and memory; and a good spec checked with it is
still reported."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import MINIMAL_SPEC, PLAINT, STRUCTURAL_ONLY_CONFIG, TESTS, run_many

CORPUS = TESTS / "bad_input"
MEMORY_LIMIT = 2 * 1024 ** 3  # address space of each plaint process checking a huge file

# file -> (exit code, rule of the first finding, its line, its column); exit 0 files have none.
EXPECTED: dict[str, tuple[int, str | None, int, int]] = {
    "yaml-syntax-unclosed-flow-mapping.yaml": (2, "yaml-syntax", 18, 10),
    "yaml-syntax-document-end-marker.yaml": (2, "yaml-syntax", 22, 1),
    "yaml-syntax-unknown-directive.yaml": (2, "yaml-syntax", 1, 5),
    "yaml-syntax-key-longer-than-1024.yaml": (2, "yaml-syntax", 18, 3),
    "yaml-duplicate-key-top-level.yaml": (2, "yaml-duplicate-key", 21, 1),
    "yaml-tag-local.yaml": (2, "yaml-tag", 4, 7),
    "yaml-non-string-key-float.yaml": (2, "yaml-non-string-key", 7, 3),
    "yaml-tag-python-name-key.yaml": (2, "yaml-tag", 2, 1),
    "file-encoding-utf16-be.yaml": (2, "file-encoding", 1, 1),
    "file-encoding-utf32.yaml": (2, "file-encoding", 1, 1),
    "file-encoding-utf32-be.yaml": (2, "file-encoding", 1, 1),
    "file-encoding-utf16-no-bom.yaml": (2, "file-encoding", 1, 1),
    "file-encoding-overlong-utf8.yaml": (2, "file-encoding", 5, 18),
    "file-encoding-truncated-utf8.yaml": (2, "file-encoding", 20, 6),
    "file-encoding-surrogate.yaml": (2, "file-encoding", 5, 18),
    "file-encoding-noncharacter.yaml": (2, "file-encoding", 5, 18),
    "schema-document-marker-only.yaml": (1, "schema", 2, 1),
    "schema-scalar-document.yaml": (1, "schema", 1, 1),
    "schema-list-document.yaml": (1, "schema", 1, 1),
    "schema-unicode-ids.yaml": (1, "schema", 17, 11),
    "reference-missing.yaml": (1, "reference", 16, 21),
    "unbounded-loop-circular.yaml": (1, "unbounded-loop", 22, 9),
    "unbounded-loop-self.yaml": (1, "unbounded-loop", 22, 9),
    "cannot-finish-self-loop.yaml": (1, "cannot-finish", 18, 3),
    "ok-utf8-bom.yaml": (0, None, 0, 0),
    "ok-unicode-text.yaml": (0, "unused-role", 7, 3),  # waived, so exit 0
}


def test_every_corpus_file_has_an_expectation_and_a_readme_line() -> None:
    names = sorted(p.name for p in CORPUS.glob("*.yaml") if not p.name.startswith("."))
    assert names == sorted(EXPECTED)
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for name in names:
        stem = name.removesuffix(".yaml")
        assert f"`{name}`" in readme or stem.split("-")[-1] in readme, name


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]


@pytest.fixture(scope="module")
def corpus_runs() -> dict[str, tuple]:
    names = sorted(EXPECTED)
    good = CORPUS / "ok-utf8-bom.yaml"
    runs = run_many([("check", CORPUS / n, "--format", "concise", "--color", "never") for n in names]
                    + [("check", CORPUS / n, good, "--format", "json") for n in names])
    return {n: (runs[i], runs[len(names) + i]) for i, n in enumerate(names)}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(corpus_runs: dict[str, tuple], name: str) -> None:
    alone, with_good = corpus_runs[name]
    code, rule, line, column = EXPECTED[name]
    _no_traceback(alone)
    assert alone.returncode == code, alone.stdout + alone.stderr
    path = CORPUS / name
    if rule is None:
        assert alone.stdout == ""
    else:
        first = alone.stdout.splitlines()[0]
        where = re.escape(f"{path}:{line}:{column}: ")
        assert re.match(rf"{where}\w+( \(waived\))? \[{re.escape(rule)}\] \S", first), first
    # Checked beside a good spec, the good spec is reported (readable, no findings) and
    # the exit code is the worse of the two.
    _no_traceback(with_good)
    assert with_good.returncode == code
    files = {Path(f["path"]).name: f for f in json.loads(with_good.stdout)["files"]}
    assert files["ok-utf8-bom.yaml"]["readable"] and files["ok-utf8-bom.yaml"]["findings"] == []
    assert files[name]["readable"] is (code != 2)


_UTF32_BOM = "file is UTF-32 (it starts with a UTF-32 byte-order mark); plaint reads UTF-8"
# file -> what its message says; each once had a misleading one (UTF-16 for UTF-32, binary
# for UTF-16 text, a non-string key for a Python tag, a missing ':' for a long key).
MESSAGES = {
    "file-encoding-utf32.yaml": _UTF32_BOM,
    "file-encoding-utf32-be.yaml": _UTF32_BOM,
    "file-encoding-utf16-be.yaml": _UTF32_BOM.replace("32", "16"),
    "file-encoding-utf16-no-bom.yaml":
        "file looks like UTF-16 (little-endian) without a byte-order mark; plaint reads UTF-8",
    "yaml-tag-python-name-key.yaml": "tag '!!python/name:os.system' is not allowed; plaint reads plain YAML",
    "yaml-syntax-key-longer-than-1024.yaml":
        "YAML syntax error: a key is longer than 1024 characters, the most YAML allows for a key; shorten it",
    "schema-document-marker-only.yaml":
        "the file: expected a mapping (key: value pairs), found an empty document (no keys, no values).",
}


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_corpus_message_names_the_real_problem(corpus_runs: dict[str, tuple], name: str) -> None:
    first = corpus_runs[name][0].stdout.splitlines()[0]
    assert MESSAGES[name] in first, first


def test_unusual_unicode_in_text_is_shown_escaped() -> None:
    result = run_many([("check", CORPUS / "ok-unicode-text.yaml", "--color", "never")])[0]
    waived = next(line for line in result.stdout.splitlines() if line.startswith("    waived:"))
    for hidden in ("\u202e", "\u202c", "\x1b", "\x07", "\u200b", "\x00", "\x85", "\u2066", "\r"):
        assert hidden not in result.stdout, repr(hidden)
    shown = "kept \\u202eevil\\u202c \\x1b[2J \\x07 z\\u200bw e\u0301 \U0001F600 \\x00 \\x85 line\\nbreak \\r"
    assert shown in waived
    assert "approved by J\u00f6 \\u2066Bloggs\\u2069" in waived


def test_unusual_unicode_in_ids_is_named_in_the_message() -> None:
    result = run_many([("check", CORPUS / "schema-unicode-ids.yaml", "--format", "concise")])[0]
    assert "step id 'clo\\u202ese' is not valid: ids are lowercase words joined by hyphens" in result.stdout
    assert "step id 'caf\u00e9' is not valid" in result.stdout
    assert "step id '\U0001F600' is not valid" in result.stdout
    assert "step id 'a\\u200db' is not valid" in result.stdout
    assert "\u202e" not in result.stdout and "\u200d" not in result.stdout


# --- syntax errors at every line ----------------------------------------------------------

_LINES = MINIMAL_SPEC.splitlines()


def _corrupt(kind: str, index: int) -> str:
    line = _LINES[index]
    indent = len(line) - len(line.lstrip())
    bad = "\t" + line if kind == "tab" else line[:indent] + "@" + line[indent:]
    return "\n".join([*_LINES[:index], bad, *_LINES[index + 1:]]) + "\n"


@pytest.fixture(scope="module")
def corrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], object]:
    folder = tmp_path_factory.mktemp("corrupted")
    keys = [(kind, i) for kind in ("tab", "at") for i in range(len(_LINES))]
    for kind, i in keys:
        (folder / f"{kind}-{i + 1}.yaml").write_text(_corrupt(kind, i), encoding="utf-8")
    runs = run_many([("check", folder / f"{kind}-{i + 1}.yaml", "--format", "concise") for kind, i in keys])
    return {"folder": folder, **dict(zip(keys, runs, strict=True))}


@pytest.mark.parametrize("kind", ["tab", "at"])
def test_a_syntax_error_on_any_line_is_found_on_that_line(corrupted: dict, kind: str) -> None:
    for i, line in enumerate(_LINES):
        result = corrupted[(kind, i)]
        _no_traceback(result)
        column = 1 if kind == "tab" else len(line) - len(line.lstrip()) + 1
        path = corrupted["folder"] / f"{kind}-{i + 1}.yaml"
        assert result.returncode == 2, (i, result.stdout)
        assert result.stdout.startswith(f"{path}:{i + 1}:{column}: error [yaml-syntax] "), (i, result.stdout)


# --- huge input, generated here ---------------------------------------------------------------


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _bounded(*args: str | Path, timeout: float) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    result = subprocess.run(
        [str(PLAINT), *map(str, args)], env={**os.environ, "NO_COLOR": "1"}, capture_output=True,
        text=True, encoding="utf-8", errors="replace", timeout=timeout, check=False,
        preexec_fn=_limit_memory,
    )
    return result, time.perf_counter() - started


def _chain(steps: int) -> str:
    lines = [MINIMAL_SPEC.split("steps:\n")[0] + "steps:",
             "  receive: {kind: receive, owner: agent, channels: [web], next: s0}"]
    lines += [f"  s{i}: {{kind: task, owner: agent, next: s{i + 1}}}" for i in range(steps - 2)]
    lines.append(f"  s{steps - 2}: {{kind: close, owner: agent}}")
    return "\n".join(lines) + "\n"


def _write_huge(folder: Path) -> dict[str, Path]:
    paths = {}

    def write(name: str, text: str) -> None:
        paths[name] = folder / f"{name}.yaml"
        paths[name].write_text(text, encoding="utf-8")

    big = folder / "fifty-megabytes.yaml"
    with big.open("w", encoding="utf-8") as handle:
        handle.write(MINIMAL_SPEC)
        row = "# " + "x" * 1021 + "\n"
        handle.write(row * (50 * 1024))
    paths["fifty-megabytes"] = big
    write("nesting-flow", "a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    write("nesting-block", "a:\n" + "- " * 10_000 + "x\n")
    laughs = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        laughs.append(f"{level}: &{level} [{', '.join([f'*{prev}'] * 9)}]")
    write("billion-laughs", "\n".join(laughs) + "\n")
    write("long-title", MINIMAL_SPEC.replace("Minimal complaints process", "x" * 5_000_000))
    write("long-guard", MINIMAL_SPEC.replace(
        "    next: close\n", "    next:\n      - {to: close, when: " + "w " * 1_000_000 + "}\n"
        "      - {to: close, when: otherwise}\n"))
    write("steps-100000", _chain(100_000))
    return paths


# name -> (exit code, rule of the first finding, line, column, seconds allowed)
HUGE: dict[str, tuple[int, str, int, int, float]] = {
    "fifty-megabytes": (2, "file-too-large", 1, 1, 20),
    "nesting-flow": (2, "yaml-depth-limit", 1, 1003, 20),
    "nesting-block": (2, "yaml-depth-limit", 2, 1999, 20),
    # a holds 9 nodes, b 9 * 10 = 90 expansions, c 819, d 7,380, e passes 10,000.
    "billion-laughs": (2, "yaml-alias-limit", 5, 4, 20),
    "long-title": (0, "", 0, 0, 30),
    # the two branches go to the same step: a finding about the guarded transition.
    "long-guard": (1, "duplicate-transition", 18, 9, 30),
    # Checked in full, and clean (structural packs): about 45 s and 0.8 GB on the development
    # machine (10,000 steps: 3 s).
    "steps-100000": (0, "", 0, 0, 240),
}


@pytest.fixture(scope="module")
def huge_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    folder = tmp_path_factory.mktemp("huge")
    (folder / ".plaint.yaml").write_text(STRUCTURAL_ONLY_CONFIG)
    paths = _write_huge(folder)
    good = folder / "good.yaml"
    good.write_text(MINIMAL_SPEC)
    jobs = [(name, ("check", paths[name], good, "--format", "concise", "--color", "never"), HUGE[name][4])
            for name in HUGE]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        runs = list(pool.map(lambda job: _bounded(*job[1], timeout=job[2]), jobs))
    return {name: (paths[name], *run) for (name, _, _), run in zip(jobs, runs, strict=True)}


@pytest.mark.parametrize("name", sorted(HUGE))
def test_huge_input_is_handled_in_bounded_time_and_memory(huge_runs: dict, name: str) -> None:
    path, result, seconds = huge_runs[name]
    code, rule, line, column, allowed = HUGE[name]
    _no_traceback(result)
    assert "MemoryError" not in result.stderr
    assert result.returncode == code, result.stdout[:2000] + result.stderr[-2000:]
    assert seconds < allowed
    if code == 2:
        assert result.stdout.startswith(f"{path}:{line}:{column}: error [{rule}] "), result.stdout[:500]
    elif name == "steps-100000":
        # Structural packs only: a plain chain has nothing wrong with it.
        assert result.stdout == "", result.stdout[:500]
    elif rule:
        assert f"{path}:{line}:{column}: " in result.stdout and f"[{rule}]" in result.stdout
    # The good spec beside it has no findings, and nothing names it as unreadable.
    assert "good.yaml" not in result.stdout


# --- numbers Python will not convert ------------------------------------------------------


def test_an_integer_of_five_thousand_digits_is_refused_clearly(tmp_path: Path) -> None:
    # Python refuses to convert integers this long; the loader keeps the digits as text,
    # so the schema reports a value of the wrong kind, positioned, instead of a traceback.
    spec = tmp_path / "digits.yaml"
    spec.write_text(MINIMAL_SPEC.replace("plaint: 1", "plaint: " + "9" * 5000))
    result = run_many([("check", spec, "--format", "concise")])[0]
    _no_traceback(result)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{spec}:1:9: error [schema] plaint: format version '9999")

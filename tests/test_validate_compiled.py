"""The compiled validity check agrees with jsonschema: it may never pass what jsonschema rejects."""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from plaint.core.source import LoadError, load_file
from plaint.core.validate import compile_check, compiled, validator
from plaint.policies.functions import all_functions

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

_JUNK = [None, True, False, 0, 1, 1.5, 2.0, -3, "", "x", "Bad Id", "3 working days", [], {}, ["a"],
         {"a": 1}, "yes", "x-note"]


def _paths(data: Any, where: tuple = ()) -> list[tuple]:
    out = [where]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, (*where, index))
    return out


def _documents(patterns: list[str]) -> list[Any]:
    docs = []
    for path in sorted(p for pattern in patterns for p in ROOT.glob(pattern)):
        try:
            docs.append(load_file(path).data)
        except LoadError:
            pass
    return docs


def _mutations(docs: list[Any], count: int) -> list[Any]:
    rng = random.Random(7)
    cases = list(docs)
    bases = [d for d in docs if isinstance(d, dict)]
    for _ in range(count):
        data = copy.deepcopy(rng.choice(bases))
        where = rng.choice(_paths(data)[1:])
        parent = data
        for part in where[:-1]:
            parent = parent[part]
        roll = rng.random()
        if roll < 0.6:
            parent[where[-1]] = copy.deepcopy(rng.choice(_JUNK))
        elif isinstance(parent, dict) and roll < 0.8:
            del parent[where[-1]]
        elif isinstance(parent, dict):
            parent[rng.choice(["x-note", "extra", "Bad Key", "when", "max"])] = rng.choice(_JUNK)
        cases.append(data)
    return cases


@pytest.mark.parametrize(("schema", "patterns", "count"), [
    ("process-spec-v1.json", ["process_specs/**/*.yaml", "tests/fixtures/**/*.yaml"], 1500),
    ("policy-pack-v1.json", ["plaint/policies/packs/*.yaml", "tests/fixtures/**/*pack*.yaml"], 600),
    ("config-v1.json", ["**/.plaint.yaml", "tests/fixtures/**/*config*.yaml"], 300),
])
def test_compiled_check_agrees_with_jsonschema_on_documents_and_mutations(
        schema: str, patterns: list[str], count: int) -> None:
    fast, slow = compiled(schema), validator(schema)
    assert fast is not None, f"{schema} should compile"
    docs = _documents(patterns) + ([generate.spec(0)] if schema.startswith("process") else [])
    assert len(docs) >= 2, schema
    verdicts = set()
    for data in _mutations(docs, count):
        verdict = next(iter(slow.iter_errors(data)), None) is None
        assert fast(data) == verdict
        verdicts.add(verdict)
    assert verdicts == {True, False}  # both answers were exercised


def test_parameter_schemas_of_every_function_compile() -> None:
    # Rule parameters are checked on every run; each function's schema must take the fast path.
    for name, function in all_functions().items():
        assert compile_check(dict(function.params_schema)) is not None, name

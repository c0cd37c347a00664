"""The compiled validity check agrees with jsonschema: it may never pass what jsonschema rejects."""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path
from typing import Any

from plaint.core.source import LoadError, load_file
from plaint.core.validate import compiled, validator

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


def test_compiled_check_agrees_with_jsonschema_on_specs_and_mutations() -> None:
    fast, slow = compiled("process-spec-v1.json"), validator("process-spec-v1.json")
    assert fast is not None
    docs = [generate.spec(0)]
    for path in sorted([*ROOT.glob("process_specs/**/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml")]):
        try:
            docs.append(load_file(path).data)
        except LoadError:
            pass
    rng = random.Random(7)
    cases = list(docs)
    bases = [d for d in docs if isinstance(d, dict)]
    for _ in range(1500):
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
    for data in cases:
        assert fast(data) == (next(iter(slow.iter_errors(data)), None) is None)

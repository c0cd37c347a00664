"""The on-disk cache (holiday tables, parsed built-in packs) changes speed, never results:
a cold, a warm, a damaged, an unwritable and a switched-off cache give the same output."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
from datetime import date
from importlib import resources
from pathlib import Path

import holidays
import pytest
from conftest import PLAINT, REPO

from plaint.core import cache, calendar
from plaint.core.packs import BUILTIN_PACKAGE, builtin_packs, packs_cache_name

SPEC = REPO / "process_specs" / "small-business.yaml"  # names GB-ENG holidays


def check(cache_dir: str | Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLAINT_CACHE_DIR": str(cache_dir), "NO_COLOR": "1"}
    return subprocess.run([str(PLAINT), "check", str(SPEC), "--format", "json", *extra], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def timing(cache_dir: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLAINT_CACHE_DIR": str(cache_dir), "NO_COLOR": "1"}
    return subprocess.run([str(PLAINT), "timing", str(SPEC), "--year", "2026"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def reference() -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """Output with the cache switched off: what every other run must reproduce."""
    return check("off"), timing("off")


def test_cold_and_warm_runs_match_a_run_without_cache(tmp_path: Path, reference: tuple) -> None:
    folder = tmp_path / "cache"
    cold = check(folder)
    entries = sorted(p.name for p in folder.iterdir())
    assert any(n.startswith("packs-") for n in entries), entries
    assert any(n.startswith(f"holidays-{importlib.metadata.version('holidays')}-GB-ENG-")
               for n in entries), entries
    warm = check(folder)
    assert sorted(p.name for p in folder.iterdir()) == entries  # nothing new the second time
    for run in (cold, warm):
        assert (run.returncode, run.stdout, run.stderr) == (reference[0].returncode,
                                                          reference[0].stdout, reference[0].stderr)
    assert timing(folder).stdout == reference[1].stdout
    # The worst start falls before Christmas only because the bank holidays count.
    assert reference[1].returncode == 0
    assert "worst case: 1 working day and 4 hours (13 calendar days" in reference[1].stdout


def test_switched_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for off in ("off", "OFF", ""):
        monkeypatch.setenv("PLAINT_CACHE_DIR", off)
        assert cache.folder() is None
        cache.write("entry.json", [1])
        assert cache.read("entry.json") is None
    assert list(tmp_path.iterdir()) == []


def test_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PLAINT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "plaint"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.folder() == tmp_path / "home" / ".cache" / "plaint"


@pytest.mark.parametrize("damage", ["", "not json", "{", "[1, 2]", '{"a": 1}', "[[\"x\", 1]]", "null"])
def test_damaged_entries_are_rebuilt(tmp_path: Path, reference: tuple, damage: str) -> None:
    folder = tmp_path / "cache"
    check(folder)
    entries = sorted(folder.iterdir())
    for entry in entries:
        entry.write_text(damage, encoding="utf-8")
    run = check(folder)
    assert (run.returncode, run.stdout, run.stderr) == (reference[0].returncode, reference[0].stdout,
                                                      reference[0].stderr)
    # Each damaged entry was written again, whole.
    for entry in entries:
        assert json.loads(entry.read_text(encoding="utf-8")) not in (None, [1, 2], {"a": 1})


def test_an_unwritable_folder_is_skipped_silently(tmp_path: Path, reference: tuple) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    run = check(blocker / "cache")
    assert (run.returncode, run.stdout, run.stderr) == (reference[0].returncode, reference[0].stdout,
                                                      reference[0].stderr)


def test_holiday_tables_from_the_cache_equal_the_package(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAINT_CACHE_DIR", str(tmp_path))
    assert calendar._holidays_release() == importlib.metadata.version("holidays")
    for region, year in ((("GB", "SCT"), 2026), (("IE", None), 2027), (("AU", "NSW"), 2025)):
        direct = holidays.country_holidays(region[0], subdiv=region[1], years=[year])
        expected = {d: str(n) for d, n in sorted(direct.items()) if d.year == year}
        built = calendar._holiday_table(*region, year)
        stored = calendar._holiday_table(*region, year)  # the second time from the file
        assert built == stored == expected
        assert list(stored) == sorted(stored) and all(isinstance(d, date) for d in stored)
    assert len(list(tmp_path.glob("holidays-*.json"))) == 3


def test_a_holiday_entry_is_what_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Proves the entry is read (not rebuilt): a made-up holiday in it is taken as real.
    monkeypatch.setenv("PLAINT_CACHE_DIR", str(tmp_path))
    name = f"holidays-{calendar._holidays_release()}-GB-ENG-2031.json"
    cache.write(name, [["2031-03-04", "Made-up Day"]])
    assert calendar._holiday_table("GB", "ENG", 2031) == {date(2031, 3, 4): "Made-up Day"}


def test_built_in_packs_from_the_cache_equal_the_parsed_packs(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAINT_CACHE_DIR", "off")
    parsed = builtin_packs()
    monkeypatch.setenv("PLAINT_CACHE_DIR", str(tmp_path))
    first = builtin_packs()  # parses and writes
    assert len(list(tmp_path.glob("packs-*.json"))) == 1
    assert builtin_packs() == first == parsed  # read back: the same packs, rule for rule


def test_the_packs_entry_is_keyed_by_their_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = resources.files(BUILTIN_PACKAGE)
    texts = {e.name: e.read_text(encoding="utf-8") for e in folder.iterdir() if e.name.endswith(".yaml")}
    edited = {**texts, "iso10002.yaml": texts["iso10002.yaml"] + "\n# edited\n"}
    assert packs_cache_name(edited) != packs_cache_name(texts)
    assert packs_cache_name(texts) == packs_cache_name(dict(sorted(texts.items())))
    # An entry under the current key is trusted as it stands: an edited pack cannot be
    # served from it because its key differs.
    monkeypatch.setenv("PLAINT_CACHE_DIR", str(tmp_path))
    builtin_packs()
    entry = tmp_path / packs_cache_name(texts)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["iso10002.yaml"]["pack"]["title"] = "Read from the cache"
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert {p.id: p.title for p in builtin_packs()}["iso10002"] == "Read from the cache"

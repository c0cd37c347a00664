"""Shared helpers: the fixture folders, a minimal valid spec, and running the CLI."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# Every plaint the tests run shares one cache folder made for this session, never the
# user's own (tests/test_cache.py covers the cache itself with folders of its own).
if "PLAINT_CACHE_DIR" not in os.environ:
    os.environ["PLAINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="plaint-test-cache-")
    atexit.register(shutil.rmtree, os.environ["PLAINT_CACHE_DIR"], ignore_errors=True)

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
PLAINT = Path(sys.executable).parent / "plaint"

# The smallest spec that passes every built-in rule: every role and channel is used.
# Loader and schema tests are about reading the format, not about ISO 10002: their
# folders run only the always-on packs.
STRUCTURAL_ONLY_CONFIG = "plaint-config: 1\npacks: []\n"

MINIMAL_SPEC = """\
plaint: 1
process:
  id: minimal
  title: Minimal complaints process
roles:
  agent:
    title: Complaints agent
channels:
  web:
    kind: web-form
steps:
  receive:
    kind: receive
    owner: agent
    channels: [web]
    next: close
  close:
    kind: close
    owner: agent
"""


def run_plaint(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run the installed ``plaint`` command; never raises for a non-zero exit."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [str(PLAINT), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
        encoding="utf-8", errors="replace", timeout=120, check=False,
    )


def run_many(commands: Iterable[tuple[str | Path, ...]], cwd: Path = REPO
             ) -> list[subprocess.CompletedProcess[str]]:
    """Run several ``plaint`` commands at once (each is a separate process), in order."""
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        return list(pool.map(lambda args: run_plaint(*args, cwd=cwd), commands))

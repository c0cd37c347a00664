"""plaint init: the templates it writes, and how it writes them."""

from __future__ import annotations

import json
import shlex
from importlib import resources
from pathlib import Path

import pytest
import yaml
from conftest import run_many, run_plaint

from plaint.cli.init import DEFAULT_TEMPLATE, TEMPLATES, template_text

# The regulator's pack each template is written for (none for the small business).
REGIMES = {"small-business": [], "regulated-firm": ["fca-disp1"], "public-body": ["spso-mchp"]}

# Calendars, public holidays and the worst day to receive a complaint change from year
# to year: a template must pass in any of them, a leap year included.
YEARS = ["2026-06-01", "2027-12-20", "2028-02-29", "2031-02-28"]

# The defaults, written down, so that no .plaint.yaml above the temporary folder counts.
DEFAULT_CONFIG = "plaint-config: 1\npacks: [iso10002]\n"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each template, written by `plaint init` into a folder with the default configuration."""
    folder = tmp_path_factory.mktemp("templates")
    (folder / ".plaint.yaml").write_text(DEFAULT_CONFIG)
    paths = {name: folder / f"{name}.yaml" for name in TEMPLATES}
    procs = run_many([("init", path, "--template", name) for name, path in paths.items()])
    for proc in procs:
        assert proc.returncode == 0, proc.stderr
    return paths


def test_every_template_is_shipped_as_package_data() -> None:
    folder = resources.files("plaint").joinpath("templates")
    shipped = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    assert shipped == sorted(f"{name}.yaml" for name in TEMPLATES)
    assert set(REGIMES) == set(TEMPLATES)
    assert DEFAULT_TEMPLATE == "small-business"


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_template_is_a_commented_starting_point(name: str) -> None:
    text = template_text(name)
    spec = yaml.safe_load(text)
    assert spec["plaint"] == 1
    assert spec["process"].get("regimes", []) == REGIMES[name]
    # Placeholders the user replaces, and comments that say why each part is there.
    assert "REPLACE" in text and "Example" in spec["process"]["title"]
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) >= 60, f"{name}: only {len(comments)} comment lines"
    assert "ISO 10002" in text
    # Starting points, not copies of the bundled examples.
    for example in ("small-business.yaml", "regulated-financial-firm.yaml", "regulated/spso-council.yaml"):
        bundled = (Path(__file__).parent.parent / "process_specs" / example).read_text()
        assert spec["process"]["id"] != yaml.safe_load(bundled)["process"]["id"]


@pytest.mark.parametrize("today", YEARS)
def test_every_template_passes_with_no_findings_at_all(written: dict[str, Path], today: str) -> None:
    names = sorted(written)
    procs = run_many([("check", "--today", today, "--fail-on", "info", "--format", "json", written[name])
                      for name in names])
    for name, proc in zip(names, procs, strict=True):
        assert proc.returncode == 0, f"{name} in {today[:4]}:\n{proc.stdout}{proc.stderr}"
        doc = json.loads(proc.stdout)
        findings = [f"{f['rule']}: {f['message']}" for file in doc["files"] for f in file["findings"]]
        assert findings == [], f"{name} in {today[:4]}"
        assert doc["summary"]["waived"] == 0
        packs = {pack["id"] for pack in doc["packs"]}
        # The regulator's pack really ran: zero findings is not zero rules.
        assert {"iso10002", "structural", "timing", *REGIMES[name]} <= packs


# One edit per template that breaks a rule of the pack it is written for: the checks that
# pass above are the ones that would catch a user's mistake.
BREAKAGES = {
    "small-business": ("within: 15 working days", "within: 2 working days", "commitment-kept"),
    "regulated-firm": ("retention: 3 years", "retention: 2 years", "fca-records-kept-3-years"),
    "public-body": ("tells: [decision, reasons, remedy, external-referral, referral-time-limit]",
                    "tells: [decision, reasons, remedy, external-referral]",
                    "spso-stage2-response-signposts-spso"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_an_edit_that_breaks_the_rules_is_caught(written: dict[str, Path], name: str) -> None:
    old, new, rule = BREAKAGES[name]
    text = written[name].read_text()
    assert text.count(old) == 1
    broken = written[name].with_name(f"broken-{name}.yaml")
    broken.write_text(text.replace(old, new))
    proc = run_plaint("check", "--today", YEARS[0], "--format", "json", broken)
    assert proc.returncode == 1, proc.stdout
    rules = {f["rule"] for file in json.loads(proc.stdout)["files"] for f in file["findings"]}
    assert rule in rules


def test_writes_complaints_yaml_by_default_with_next_steps(tmp_path: Path) -> None:
    proc = run_plaint("init", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    written = tmp_path / "complaints.yaml"
    assert written.read_text(encoding="utf-8") == template_text(DEFAULT_TEMPLATE)
    assert "Wrote complaints.yaml from the small-business template" in proc.stdout
    for command in ("plaint check complaints.yaml", "plaint render complaints.yaml",
                    "plaint report complaints.yaml"):
        assert command in proc.stdout
    # The check it suggests runs as printed, and passes.
    line = next(line for line in proc.stdout.splitlines() if "plaint check" in line)
    args = shlex.split(line[line.index("plaint check"):])[1:]
    assert run_plaint(*args, cwd=tmp_path).returncode == 0


def test_next_steps_quote_a_path_with_spaces(tmp_path: Path) -> None:
    proc = run_plaint("init", "our complaints.yaml", "-t", "public-body", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "plaint check 'our complaints.yaml'" in proc.stdout
    assert (tmp_path / "our complaints.yaml").read_text(encoding="utf-8") == template_text("public-body")


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "complaints.yaml"
    target.write_text("mine\n")
    proc = run_plaint("init", target)
    assert proc.returncode == 2
    assert "already exists" in proc.stderr and "--force" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert target.read_text() == "mine\n"


def test_force_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "complaints.yaml"
    target.write_text("mine\n")
    proc = run_plaint("init", target, "--template", "regulated-firm", "--force")
    assert proc.returncode == 0, proc.stderr
    assert target.read_text(encoding="utf-8") == template_text("regulated-firm")
    # Written atomically: no temporary file is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["complaints.yaml"]


def test_dash_writes_the_template_to_standard_output_only(tmp_path: Path) -> None:
    proc = run_plaint("init", "-", "--template", "public-body", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == template_text("public-body")
    assert list(tmp_path.iterdir()) == []


def test_unknown_template_exits_2_with_the_list(tmp_path: Path) -> None:
    proc = run_plaint("init", "--template", "bank", cwd=tmp_path)
    assert proc.returncode == 2
    for name in TEMPLATES:
        assert name in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_refuses_a_folder(tmp_path: Path) -> None:
    proc = run_plaint("init", tmp_path)
    assert proc.returncode == 2
    assert "is a folder" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_exits_2_without_a_traceback(tmp_path: Path) -> None:
    proc = run_plaint("init", tmp_path / "no-such-folder" / "complaints.yaml")
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_template_name_in_python_is_a_user_error() -> None:
    from plaint.core.run import UserError

    with pytest.raises(UserError, match="small-business"):
        template_text("bank")

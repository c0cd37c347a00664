"""plaint init: write a commented starting spec from a built-in template.

The templates are package data (``plaint/templates/<name>.yaml``). Each passes
the default packs and the regimes it lists with no findings at all, so every
finding a new user sees comes from an edit they made.
"""

from __future__ import annotations

import shlex
from importlib import resources
from pathlib import Path

import click

from plaint.cli.output import write_atomic
from plaint.core.run import UserError

# name -> who it is for; the order is the order of the help text.
TEMPLATES: dict[str, str] = {
    "small-business": "a small shop or service firm, no regulator (ISO 10002)",
    "regulated-firm": "a UK financial firm under the FCA's DISP 1 (fca-disp1)",
    "public-body": "a Scottish public body under the SPSO's MCHP (spso-mchp)",
}
DEFAULT_TEMPLATE = "small-business"
DEFAULT_PATH = "complaints.yaml"


def template_text(name: str) -> str:
    """The text of the built-in template ``name`` (one of :data:`TEMPLATES`)."""
    if name not in TEMPLATES:
        raise UserError(f"unknown template {name!r}; choose one of: {', '.join(TEMPLATES)}")
    folder = resources.files("plaint").joinpath("templates")
    return folder.joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def _next_steps(path: str) -> str:
    # Quoted when needed, so the commands can be pasted into a shell as they are.
    shown = shlex.quote(path)
    diagram = shlex.quote((Path(path).stem or "complaints") + ".svg")
    return (
        "Next steps:\n"
        f"  1. Fill in your details: search {shown} for REPLACE and \"Example\".\n"
        f"  2. Check it, and again after every change:  plaint check {shown}\n"
        f"  3. Draw it as a swimlane diagram:            plaint render {shown} -o {diagram}\n"
        f"  4. Write the auditor's HTML report:          plaint report {shown} -o report.html\n"
    )


_HELP = "\n".join([
    "Write a commented starting spec to PATH (default: complaints.yaml; - for standard output).",
    "",
    "\b",
    "Templates:",
    *(f"  {name:<15} {who}" for name, who in TEMPLATES.items()),
    "",
    "Each template passes 'plaint check' as written; replace its placeholders (search for "
    "REPLACE) with your organisation's details.",
    "",
    "Exit status: 0 written; 2 PATH exists (without --force), is a folder, or its folder "
    "does not exist, or the command was used wrongly.",
])


@click.command(help=_HELP, short_help="Write a commented starting spec from a template.")
@click.argument("path", default=DEFAULT_PATH, metavar="[PATH]")
@click.option("--template", "-t", type=click.Choice(list(TEMPLATES)), default=DEFAULT_TEMPLATE,
              show_default=True, help="Which kind of organisation to start from.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it already exists.")
def init(path: str, template: str, force: bool) -> int:
    """Write the template to PATH, refusing to overwrite without --force."""
    text = template_text(template)
    if path == "-":
        # Only the spec on standard output, so it can be piped or redirected.
        click.echo(text, nl=False)
        return 0
    target = Path(path)
    if target.is_dir():
        raise UserError(f"{path} is a folder; give the path of the file to write, e.g. "
                        f"{Path(path) / DEFAULT_PATH}")
    if target.exists() and not force:
        raise UserError(f"{path} already exists; give another path, or --force to overwrite it")
    write_atomic(path, text)
    click.echo(f"Wrote {path} from the {template} template: {TEMPLATES[template]}.\n")
    click.echo(_next_steps(path), nl=False)
    return 0

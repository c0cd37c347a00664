"""Entry point. The only place where plaint decides its exit status."""

from __future__ import annotations

import sys

import click

from plaint import __version__
from plaint.core.packs import PackError
from plaint.core.run import EXIT_ERROR, UserError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plaint")
def cli() -> None:
    """Check complaint-handling processes against ISO 10002 and regulators' rules."""


def _register() -> None:
    from plaint.cli import check, diff, docs, explain, init, render, report, rules, schema, timing

    cli.add_command(check.check)
    cli.add_command(rules.rules)
    cli.add_command(explain.explain)
    cli.add_command(schema.schema)
    cli.add_command(docs.docs)
    cli.add_command(timing.timing)
    cli.add_command(render.render)
    cli.add_command(report.report)
    cli.add_command(diff.diff)
    cli.add_command(init.init)


_register()


def main(argv: list[str] | None = None) -> None:
    """Run a command; every outcome becomes exit code 0, 1 or 2 here."""
    try:
        code = cli.main(args=argv, prog_name="plaint", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("plaint: interrupted", err=True)
        code = EXIT_ERROR
    except click.ClickException as err:
        err.show()
        code = EXIT_ERROR
    except (UserError, PackError) as err:
        click.echo(f"plaint: {err}", err=True)
        code = EXIT_ERROR
    except click.exceptions.Exit as err:
        code = err.exit_code
    except BrokenPipeError:
        code = EXIT_ERROR
    sys.exit(code if isinstance(code, int) else 0)

"""Entry point. The only place where plaint decides its exit status."""

from __future__ import annotations

import importlib
import sys

import click

from plaint import __version__
from plaint.core.packs import PackError
from plaint.core.run import EXIT_ERROR, UserError

# Each command's module, loaded only when the command runs: `plaint check` should not pay
# at start-up for the report's templates or the diagram code.
COMMANDS = {
    "check": "plaint.cli.check", "rules": "plaint.cli.rules", "explain": "plaint.cli.explain",
    "schema": "plaint.cli.schema", "docs": "plaint.cli.docs", "timing": "plaint.cli.timing",
    "render": "plaint.cli.render", "report": "plaint.cli.report", "diff": "plaint.cli.diff",
    "init": "plaint.cli.init",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        return getattr(importlib.import_module(COMMANDS[cmd_name]), cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plaint")
def cli() -> None:
    """Check complaint-handling processes against ISO 10002 and regulators' rules."""


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

"""The ``socialkit`` command.

Each command group lives in its own module of this package and registers itself on :data:`app`
when imported; :data:`COMMAND_MODULES` lists them. A :class:`~socialkit.errors.SocialkitError`
raised by any command is printed as a plain message (no traceback) and exits with code 1.
"""

from __future__ import annotations

import importlib
import sys

import typer

from ..errors import SocialkitError

__all__ = ["app", "main"]

app = typer.Typer(
    name="socialkit",
    help="Analytics and reporting for municipal social services.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Modules of this package that add commands to :data:`app`, in help order.
COMMAND_MODULES: tuple[str, ...] = (
    "data",
    "serve",
    "users",
    "db",
    "entry",
    "index",
    "report",
    "maturity",
    "monitoring",
    "access",
    "needs",
    "passport",
    "vulnerability",
    "contracting",
    "professionals",
    "i18n",
    "strategy",
    "library",
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script: run the CLI, turning user errors into messages."""
    try:
        app(args=argv, prog_name="socialkit")
    except SocialkitError as exc:
        from ..config import default_lang
        from ..i18n import t

        typer.echo(f"{t('core.error', default_lang())}: {exc}", err=True)
        sys.exit(exc.exit_code)

"""``socialkit i18n``: the translator's commands on the message catalogs (docs/i18n.md)."""

from __future__ import annotations

import typer

from ..config import default_lang
from ..errors import SocialkitError
from ..i18n import t
from . import app

i18n_app = typer.Typer(help=t("i18n.cli.help", "en"), no_args_is_help=True)
app.add_typer(i18n_app, name="i18n")


@i18n_app.command("extract", help=t("i18n.cli.extract_help", "en"))
def extract() -> None:
    from ..i18n.tools import extract as run

    typer.echo(t("i18n.cli.extracted", default_lang(), n=len(run())))


@i18n_app.command("update", help=t("i18n.cli.update_help", "en"))
def update() -> None:
    from ..i18n.tools import update as run

    typer.echo(t("i18n.cli.updated", default_lang(), n=len(run())))


@i18n_app.command("compile", help=t("i18n.cli.compile_help", "en"))
def compile_() -> None:
    from ..i18n.tools import compile_catalogs

    lang = default_lang()
    try:
        stats = compile_catalogs()
    except ValueError as exc:
        raise SocialkitError(f"{t('i18n.cli.problems', lang)}\n{exc}") from None
    for code, (done, fuzzy, todo) in sorted(stats.items()):
        typer.echo(t("i18n.cli.status", lang, lang=code, translated=done, fuzzy=fuzzy,
                     untranslated=todo))


@i18n_app.command("import-yaml", help=t("i18n.cli.import_help", "en"))
def import_yaml() -> None:
    from ..i18n.tools import import_yaml as run

    try:
        report = run()
    except ValueError as exc:
        raise SocialkitError(str(exc)) from None
    for line in report.lines():
        typer.echo(line)

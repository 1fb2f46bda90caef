"""``socialkit strategy``: from evidence to a participatory strategy, tracked to the end.

Every command computes everything first and writes its files all or nothing
(:func:`socialkit.files.write_outputs`); bad input is refused with the item, file, row, column
and rule, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import t
from . import app
from ._checks import Force, check_lang, lang_help

strategy_app = typer.Typer(help=t("strategy.cli.help", "en"), no_args_is_help=True)
app.add_typer(strategy_app, name="strategy")

Cycle = Annotated[Path, typer.Option(help="Strategy cycle folder (strategy.yaml and its tables), "
                                     "e.g. catalogs/strategy/ua_mykolaivka.")]
Out = Annotated[Path, typer.Option(help="Output folder.")]
Lang = Annotated[str | None, typer.Option(help=lang_help("Language (default: the cycle's)."))]


def _read(cycle: Path, tables_from: Path | None = None):
    from ..strategy.inputs import read_cycle

    return read_cycle(cycle, tables_from)


def _name(cycle, lang: str) -> str:
    from ..strategy.display import unit_name

    return unit_name(cycle, lang)


def _lang(cycle, lang: str | None) -> str:
    return check_lang(lang or cycle.meta.lang)


@strategy_app.command("evidence")
def evidence_cmd(
    out: Out,
    cycle: Annotated[Path | None, typer.Option(help="A strategy cycle: its own evidence pack.")
                     ] = None,
    catalog: Annotated[Path | None, typer.Option(help="Intake catalog (default: demo).")] = None,
    municipality: Annotated[list[str] | None, typer.Option(
        help="Municipality id (repeat; default: every municipality).")] = None,
    district: Annotated[list[str] | None, typer.Option(
        help="A district of the catalog: one pack for its municipalities (repeat).")] = None,
    lang: Annotated[str, typer.Option(help=lang_help("Language."))] = "en",
    pdf: Annotated[bool, typer.Option(help="Write PDFs too (else workbooks only).")] = True,
    force: Force = False,
) -> None:
    """Evidence packs (PDF and workbook): one per municipality, per district, or a cycle's."""
    from ..files import check_out_dir, write_outputs
    from ..reporting.strategy import catalog_evidence, evidence_workbook, render_evidence
    from ..strategy.build import cycle_evidence

    lang = check_lang(lang)
    check_out_dir(out)
    files: dict[str, object] = {}
    if cycle is not None:
        c = _read(cycle)
        pack, _ = cycle_evidence(c, (lang, "en"))
        files[f"evidence_{c.meta.id}_{lang}.xlsx"] = evidence_workbook(pack, lang)
        if pdf:
            files[f"evidence_{c.meta.id}_{lang}.pdf"] = render_evidence(c, pack, lang)
        name, count = _name(c, lang), len(pack.problems())
    else:
        files, names, count = catalog_evidence(catalog, municipality or (), district or (),
                                               lang, pdf)
        name = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
    write_outputs(files, out, command="socialkit strategy evidence", force=force)
    typer.echo(t("strategy.cli.evidence_done", lang, name=name, problems=count, out=out))


@strategy_app.command("consultation")
def consultation_cmd(cycle: Cycle, out: Out,
                     workbook: Annotated[Path | None, typer.Option(
                         "--import", help="Read the cycle's tables from this workbook "
                         "(sheets sessions, attendance, excerpts, …).")] = None,
                     lang: Lang = None, force: Force = False) -> None:
    """Participation, theme frequencies by group, quotes per theme (small groups suppressed),
    and where the voices agree or differ with the data."""
    from ..files import write_outputs
    from ..strategy.build import build_strategy

    c = _read(cycle, workbook)
    lang = _lang(c, lang)
    s = build_strategy(c, (lang, "en"))
    q = s.quotes
    files = {"participation.csv": s.participation,
             "themes.csv": s.frequencies.drop(columns=["suppressed"]),
             "quotes.csv": q, "voices_and_data.csv": s.comparison}
    write_outputs(files, out, command="socialkit strategy consultation", force=force)
    typer.echo(t("strategy.cli.consultation_done", lang, name=_name(c, lang),
                 sessions=len(c["sessions"]), excerpts=len(c["excerpts"]), out=out))


@strategy_app.command("priorities")
def priorities_cmd(cycle: Cycle, out: Out, lang: Lang = None, force: Force = False) -> None:
    """Weighted scores, ranking, agreement between raters and sensitivity to the weights."""
    from ..errors import SocialkitError
    from ..files import write_outputs
    from ..strategy.build import build_strategy

    c = _read(cycle)
    lang = _lang(c, lang)
    p = build_strategy(c, (lang, "en")).priorities
    if p is None:
        raise SocialkitError(f"{c.source('ratings')}: no ratings; expected rater, problem_id, "
                             "criterion, score rows")
    files = {"ranking.csv": p.ranking,
             "criteria_scores.csv": p.criteria_scores.reset_index(),
             "agreement.csv": p.agreement,
             "sensitivity.csv": p.sensitivity.assign(top=p.sensitivity["top"].map(";".join)),
             "tipping.csv": p.tipping.assign(new_top=p.tipping["new_top"].map(";".join))}
    write_outputs(files, out, command="socialkit strategy priorities", force=force)
    typer.echo(t("strategy.cli.priorities_done", lang, name=_name(c, lang),
                 top=", ".join(p.top), robust=t("core.yes" if p.robust else "core.no", lang),
                 out=out))


@strategy_app.command("render")
def render_cmd(cycle: Cycle, out: Out, lang: Lang = None, force: Force = False) -> None:
    """The strategy document (PDF in the cycle's language, with the participation record and
    the answers to the public consultation) and the plan workbook the working group edits."""
    from ..files import write_outputs
    from ..reporting.strategy import plan_workbook, render_strategy
    from ..strategy.build import build_strategy

    c = _read(cycle)
    lang = _lang(c, lang)
    s = build_strategy(c, (lang, "en"))
    files = {f"strategy_{c.meta.id}_{lang}.pdf": render_strategy(s, lang),
             f"plan_{c.meta.id}.xlsx": plan_workbook(c)}
    write_outputs(files, out, command="socialkit strategy render", force=force)
    typer.echo(t("strategy.cli.render_done", lang, name=_name(c, lang),
                 out=out))


@strategy_app.command("track")
def track_cmd(
    cycle: Cycle,
    workbook: Annotated[Path | None, typer.Option(
        "--import", help="Progress workbook to store as a new version (sheets progress, "
        "milestone_status, indicator_actuals).")] = None,
    date: Annotated[str | None, typer.Option(help="Date of the imported version, YYYY-MM-DD.")
                    ] = None,
    history: Annotated[Path | None, typer.Option(
        help="Folder of the versions (default: <cycle>/tracking).")] = None,
    report: Annotated[str | None, typer.Option(help="Write the implementation report of this "
                                               "year (e.g. 2027) into --out.")] = None,
    out: Annotated[Path | None, typer.Option(help="Folder of the implementation report.")] = None,
    lang: Lang = None,
    force: Force = False,
) -> None:
    """Import a progress workbook as a new dated version (and show what changed), and/or
    write the yearly implementation report."""
    from ..errors import SocialkitError
    from ..strategy.tracking import diff_versions, import_progress, read_versions

    c = _read(cycle)
    lang = _lang(c, lang)
    history = history or (cycle / "tracking")
    if workbook is None and report is None:
        raise SocialkitError("strategy track: give --import WORKBOOK --date DATE, or "
                             "--report YEAR --out FOLDER")
    if workbook is not None:
        if date is None:
            raise SocialkitError("--import needs --date YYYY-MM-DD (the version's date)")
        before = read_versions(history, c)
        folder = import_progress(workbook, c, history, date, force=force)
        versions = read_versions(history, c)
        new = next(v for v in versions if v.date == date)
        older = [v for v in before if v.date < date]
        diff = diff_versions(older[-1] if older else None, new)
        typer.echo(t("strategy.cli.track_done", lang, date=date, folder=folder,
                     changes=len(diff)))
        for r in diff.itertuples(index=False):
            typer.echo(f"  {r.kind} {r.id}: {r.field} {r.before!s} -> {r.after!s}")
    if report is not None:
        from ..files import write_outputs
        from ..reporting.strategy import render_implementation
        from ..strategy.build import build_strategy

        if out is None:
            raise SocialkitError("--report needs --out FOLDER")
        if not (len(report) == 4 and report.isdigit()):
            raise SocialkitError(f"--report {report!r}: expected a year such as 2027")
        s = build_strategy(c, (lang, "en"))
        versions = read_versions(history, c)
        write_outputs({f"implementation_{c.meta.id}_{report}_{lang}.pdf":
                       render_implementation(s, versions, report, lang)}, out,
                      command="socialkit strategy track", force=force)
        typer.echo(t("strategy.cli.report_done", lang, year=report,
                     name=_name(c, lang), out=out))


@strategy_app.command("demo")
def demo_cmd(out: Annotated[Path, typer.Option(help="Folder (catalogs/strategy in the "
                                                "repository).")],
             force: Force = False) -> None:
    """Write the synthetic strategy cycles (Mykolaivka hromada, Cantemir district)."""
    from ..files import check_out_dir, write_outputs
    from ..strategy.demo import demo_files

    check_out_dir(out)
    files = demo_files()
    folders: dict[str, dict[str, str]] = {}
    for rel, text in files.items():
        folder, name = rel.rsplit("/", 1)
        folders.setdefault(folder, {})[name] = text
    for folder, content in folders.items():
        write_outputs(content, out / folder, command="socialkit strategy demo", force=force)
    typer.echo(t("strategy.cli.demo_done", "en", out=out, files=len(files)))


@strategy_app.command("publish")
def publish_cmd(
    cycle: Cycle,
    stage: Annotated[str, typer.Option(
        help="draft: the draft put to public consultation; final: the adopted strategy.")
    ] = "draft",
    municipality: Annotated[list[str] | None, typer.Option(
        help="Municipality id the items belong to (repeatable; default: the cycle's).")] = None,
    publish: Annotated[bool, typer.Option(
        help="Publish at once (default), or keep as drafts for an editor to publish.")] = True,
    comments_until: Annotated[str | None, typer.Option(
        help="Last day of the public consultation, YYYY-MM-DD: residents comment on the "
        "public page until then (a draft's default: 30 days from today; a final: none).")
    ] = None,
    as_user: Annotated[str | None, typer.Option(
        "--as", help="Act as this user, with their library roles (default: the "
        "administrator).")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Database URL (default: "
                                            "SOCIALKIT_DB_URL).")] = None,
    lang: Lang = None,
) -> None:
    """Put the strategy document and its action-plan workbook on the e-platform (the public
    library): the draft for public consultation, or the final strategy."""
    import getpass
    import io

    from ..library import LibraryError, Reader, open_library
    from ..reporting.strategy import plan_workbook, render_strategy
    from ..strategy.build import build_strategy

    if stage not in ("draft", "final"):
        raise LibraryError("bad_stage", value=stage)
    c = _read(cycle)
    lang = _lang(c, lang)
    mids = list(municipality or c.meta.municipalities)
    if not mids:
        raise LibraryError("strategy_no_municipality", cycle=c.meta.id)
    lib = open_library(url)
    reader = lib.reader(as_user, None) if as_user else Reader.system(getpass.getuser())
    pdf = render_strategy(build_strategy(c, (lang, "en")), lang)
    book = io.BytesIO()
    plan_workbook(c).save(book)
    period = f"{c.meta.period.start}–{c.meta.period.end}"
    import datetime as dt

    until = comments_until or ((dt.date.today() + dt.timedelta(days=30)).isoformat()
                               if stage == "draft" else None)
    langs = dict.fromkeys([lang, "en"])

    def titles(what: str) -> dict[str, str]:
        return {lg: t(f"strategy.publish.{what}_{stage}", lg, name=_name(c, lg), period=period)
                for lg in langs}

    for mid in mids:
        for name, data, item_type, what in (
                (f"strategy_{c.meta.id}_{lang}.pdf", pdf, "strategy", "strategy"),
                (f"plan_{c.meta.id}.xlsx", book.getvalue(), "action_plan", "plan")):
            item = lib.add(reader, name, data, mid, item_type=item_type, titles=titles(what),
                           language=lang, tags=["strategy", stage, c.meta.id],
                           visibility="public", publish=publish, lang=lang,
                           comments_until=until if item_type == "strategy" else None)
            typer.echo(t("library.cli.added", lang, item=item.item_id, file=item.file_name,
                         status=t(f"library.status.{item.status}", lang)), err=True)

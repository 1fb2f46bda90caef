"""``socialkit needs``: cluster settlements or municipalities by their needs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import t
from . import app
from ._checks import Force, check_choice, check_range, lang_help


@app.command("needs", help=t("needs.cli.help", "en"))
def needs_cmd(
    out: Annotated[Path, typer.Option(help="Folder for clusters.csv, summary.csv, "
                                      "profiles.csv, validity.csv and features.csv.")],
    catalog: Annotated[Path | None, typer.Option(
        help="Intake catalog (settlements, facilities, passport_values; default: demo).")
    ] = None,
    level: Annotated[str, typer.Option(help="settlement or municipality.")] = "settlement",
    method: Annotated[str, typer.Option(
        help="kmeans, ward, complete, average or gmm.")] = "kmeans",
    k: Annotated[int | None, typer.Option(help="Number of clusters (default: chosen).")] = None,
    k_rule: Annotated[str | None, typer.Option(
        help="gap (default), gap_tibs2001, silhouette, calinski_harabasz, davies_bouldin, "
             "bic (default for gmm).")] = None,
    transform: Annotated[str | None, typer.Option(help="log1p or asinh.")] = None,
    year: Annotated[int | None, typer.Option(help="Passport year (default: latest).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    lang: Annotated[str, typer.Option(help=lang_help("Language of names and messages."))] = "en",
    force: Force = False,
) -> None:
    """Rates per 1,000, age shares and distances → clusters, validity per k, stability."""
    from ..config import SUPPORTED_LANGS, resolve_lang
    from ..data import load_all
    from ..errors import SocialkitError
    from ..files import check_out_dir, csv_text, write_outputs
    from ..needs import K_RULES, LEVELS, METHODS, TRANSFORMS, cluster, needs_features
    from ..needs.display import cluster_names, cluster_summary, explain_k
    from ..needs.publish import published_features

    lang = resolve_lang(lang)
    for option, value, choices in (("--lang", lang, SUPPORTED_LANGS), ("--level", level, LEVELS),
                                   ("--method", method, tuple(METHODS)),
                                   ("--k-rule", k_rule, (None, *K_RULES)),
                                   ("--transform", transform, (None, *TRANSFORMS))):
        check_choice(option, value, choices)
    check_range("--k", k, 1)
    check_range("--year", year, 1990, 2100)
    check_out_dir(out)
    tables = load_all(catalog)
    try:
        features = needs_features(tables, level, year=year)
        complete = features.dropna()
        res = cluster(complete, k=k, method=method, transform=transform, k_rule=k_rule,
                      random_state=seed)
    except ValueError as exc:  # a k or a year that does not fit the data
        raise SocialkitError(str(exc)) from exc
    members = res.members.assign(name=res.labels.map(cluster_names(res, lang)))
    texts = {
        "clusters.csv": csv_text(members, index=True),
        "summary.csv": csv_text(cluster_summary(res, lang), index=True),
        "profiles.csv": csv_text(res.profiles, index=True),
        "validity.csv": csv_text(res.validity, index=True),
        "features.csv": csv_text(published_features(features, tables, level, year), index=True),
    }
    # everything is computed before the first file is written, and written all or nothing
    write_outputs(texts, out, command="socialkit needs", force=force)
    typer.echo(t("needs.cli.done", lang, units=len(complete),
                 left_out=len(features) - len(complete), k=res.k, out=out))
    typer.echo(explain_k(res, lang))

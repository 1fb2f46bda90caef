"""Localised views of the result tables, for the Excel workbook, the CSV files, the report
notebook and the dashboard: the maturity display layer.

:func:`socialkit.maturity.assess` is language-free; here ids become names in the reader's
language (dimensions, levels, peer groups, statuses, roles,
effort and cost bands), column headers go through :func:`socialkit.i18n.t`, and
:func:`display_table` formats numbers for the language. Nothing here computes a result.
"""

from __future__ import annotations

import pandas as pd

from ..errors import DataValidationError, Problem
from ..frameworks.maturity import OVERALL, MaturityFramework, text
from ..i18n import display_name, format_number, format_percent, format_period, t
from .assess import TABLES, MaturityResult, pick_round

__all__ = [
    "cost_label",
    "display_table",
    "first_municipality",
    "first_page",
    "labels",
    "headline",
    "heatmap_frame",
    "label_table",
    "municipality_name",
    "peer_label",
    "pick_round",
    "printed_radar",
    "progress_frame",
    "radar_frame",
    "require_round",
    "safe_peer_groups",
    "safe_radar_frame",
    "text_tables",
    "view",
    "with_text",
]

#: Peer groups a radar compares with, in order of preference.
PEER_ORDER = ("region", "size", "all")
#: Fewest other municipalities a peer average is computed from (else it is another
#: municipality's own score, whoever reads it).
MIN_PEERS = 2

_DROP = {"effort_value"}


def _code_name(fw: MaturityFramework, lang: str):
    names = {d.id: text(d.name, lang) for d in fw.dimensions}
    names[OVERALL] = t("maturity.overall", lang)
    return lambda c: names.get(c, c)


def _level_name(fw: MaturityFramework, lang: str):
    names = {lev.level: text(lev.name, lang) for lev in fw.levels}
    return lambda v: names.get(int(v), str(v)) if pd.notna(v) else t(
        "maturity.insufficient_data", lang)


def cost_label(fw: MaturityFramework, band: str, lang: str = "en",
               currency: str | None = None) -> str:
    """Cost band ``band`` of the framework written in ``lang`` and ``currency``.

    A band with a fixed text gives that text; a band with amounts gives "Up to 50,000 UAH",
    "50,000–500,000 UAH" or "Over 500,000 UAH" in the language, with the amounts in
    ``currency`` (ISO 4217; default the framework's) formatted for the language (Babel) and the
    currency's short name in that language (``core.currency.<ISO>``: грн, lei, дин., руб.).
    A currency the band has no amounts in gives the framework's currency. An unknown band id
    is returned as it is.

    >>> from socialkit.maturity import load_framework
    >>> fw = load_framework()
    >>> cost_label(fw, "low", "uk"), cost_label(fw, "high", "ro", "MDL")
    ('До 50\xa0000 грн', 'Peste 300.000 lei')
    """
    b = fw.cost_bands.get(band)
    if b is None:
        return band
    if not b.currencies:
        return text(b.name, lang)
    cur = currency if currency in b.currencies else fw.currency

    def money(amounts: dict[str, float]) -> str:
        return t("core.money", lang, amount=format_number(amounts[cur], lang),
                 currency=t(f"core.currency.{cur}", lang))

    if b.min and b.max and cur in b.min and cur in b.max:
        return t("maturity.cost.between", lang, low=format_number(b.min[cur], lang),
                 high=money(b.max))
    if b.max and cur in b.max:
        return t("maturity.cost.up_to", lang, amount=money(b.max))
    return t("maturity.cost.over", lang, amount=money(b.min or {}))


#: Text columns :func:`with_text` adds to a result table, after the columns they follow.
_TEXT_COLUMNS = {"progress": ("direction", ("statement",)),
                 "action_plan": ("end", ("title", "description", "indicator"))}


def with_text(table: str, df: pd.DataFrame, fw: MaturityFramework, lang: str = "en"
              ) -> pd.DataFrame:
    """A copy of result table ``table`` with its plain-language columns in ``lang``.

    ``progress`` gets a ``statement`` per row (:func:`~socialkit.maturity.progress.progress_statement`),
    ``action_plan`` the action's ``title``, ``description`` and ``indicator`` from the
    framework's action library; other tables are returned as they are.
    """
    if table not in _TEXT_COLUMNS:
        return df.copy()
    after, columns = _TEXT_COLUMNS[table]
    texts: dict[str, list[str]] = {}
    if table == "progress":
        from .progress import progress_statement

        texts["statement"] = [progress_statement(r, fw, lang) for r in df.to_dict("records")]
    else:
        acts = {a.id: a for a in fw.actions}
        for col in columns:
            texts[col] = [text(getattr(acts[a], col), lang) if a in acts else ""
                          for a in df["action_id"]]
    out = df.drop(columns=[c for c in columns if c in df.columns])
    pos = out.columns.get_loc(after) + 1 if after in out.columns else len(out.columns)
    for i, col in enumerate(columns):
        out.insert(pos + i, col, pd.Series(texts[col], index=out.index, dtype=object))
    return out


def text_tables(result: MaturityResult, lang: str = "en") -> dict[str, pd.DataFrame]:
    """Every result table (:data:`~socialkit.maturity.assess.TABLES`) with its
    plain-language columns in ``lang`` (:func:`with_text`): what the CSV files and the workbook
    hold."""
    return {name: with_text(name, getattr(result, name), result.framework, lang)
            for name in TABLES}


def label_table(df: pd.DataFrame, fw: MaturityFramework, lang: str = "en",
                names: pd.Series | None = None, currency: str | None = None) -> pd.DataFrame:
    """A copy of a result table with names instead of ids and localised headers.

    Cost bands are written in ``currency`` (:func:`cost_label`; the result's
    ``currency``, from the catalog).

    Numbers stay numbers (rounded to 2 decimals); ``level``-like columns get the level name
    beside the number.
    """
    out = df.drop(columns=[c for c in _DROP if c in df.columns]).copy()
    code = _code_name(fw, lang)
    lname = _level_name(fw, lang)
    if "municipality_id" in out and names is not None:
        out.insert(1, "municipality", out["municipality_id"].map(names).fillna(
            out["municipality_id"]))
    for col in ("code", "dimension"):
        if col in out:
            out[col] = out[col].map(code)
    for col in ("level", "level_from", "level_to", "target_level"):
        if col in out:
            pos = out.columns.get_loc(col) + 1
            out.insert(pos, f"{col}__name", out[col].map(lname))
    if "level_id" in out:
        out = out.drop(columns="level_id")
    if "action_id" in out:
        acts = {a.id: a for a in fw.actions}
        for col in ("title", "description", "indicator"):
            if col in out:
                out[col] = [text(getattr(acts[a], col), lang) if a in acts else v
                            for a, v in zip(out["action_id"], out[col], strict=True)]
    maps = {
        "status": lambda v: t(f"maturity.gap_status.{v}", lang) if v != "scored"
        else t("maturity.scored", lang),
        "direction": lambda v: t(f"maturity.directions.{v}", lang),
        "peer_group": lambda v: t(f"maturity.peer_groups.{v}", lang),
        "effort": lambda v: text(fw.effort[v].name, lang) if v in fw.effort else v,
        "cost": lambda v: cost_label(fw, v, lang, currency),
        "responsible": lambda v: text(fw.roles.get(v), lang) or v,
    }
    for col, f in maps.items():
        if col in out:
            out[col] = out[col].map(lambda v, f=f: f(v) if pd.notna(v) else v)
    if "peer_value" in out and "peer_group" in df:
        sizes = {sc.id: text(sc.name, lang) for sc in fw.size_classes}
        out["peer_value"] = [
            t("maturity.peer_groups.all", lang) if g == "all" else sizes.get(v, v)
            if g == "size" else v for g, v in zip(df["peer_group"], df["peer_value"],
                                                  strict=True)]
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(2)
    headers = {}
    for col in out.columns:
        if col.endswith("__name"):
            headers[col] = t(f"maturity.columns.{col.removesuffix('__name')}_name", lang)
        else:
            headers[col] = t(f"maturity.columns.{col}", lang)
    return out.rename(columns=headers)


def display_table(df: pd.DataFrame, lang: str = "en", decimals: int = 1,
                  percent: tuple[str, ...] = ()) -> pd.DataFrame:
    """Numbers formatted as text for ``lang`` (missing as "–"); other cells unchanged."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if col in percent:
            out[col] = [format_percent(v / 100 if pd.notna(v) else None, lang) for v in s]
        elif pd.api.types.is_float_dtype(s):
            out[col] = [format_number(v, lang, decimals) for v in s]
        elif pd.api.types.is_integer_dtype(s):
            out[col] = [format_number(v, lang, 0) for v in s]
    return out


def municipality_name(result: MaturityResult, municipality_id: str, lang: str = "en") -> str:
    """The municipality's name as a reader of ``lang`` sees it
    (:func:`~socialkit.i18n.display_name`), else its id."""
    mun = result.municipalities
    if mun is None:
        return municipality_id
    rows = mun.loc[mun["municipality_id"] == municipality_id]
    if rows.empty:
        return municipality_id
    return display_name(rows.iloc[0], lang) or municipality_id


def require_round(result: MaturityResult, municipality_id: str, round: str | None = None,
                  source: str = "maturity_responses") -> str:
    """:func:`pick_round`, or a :class:`DataValidationError` naming the municipality and the
    responses file when the municipality answered in no round (a report has nothing to show,
    and its figures would fail on empty data)."""
    shown = pick_round(result, municipality_id, round)
    if shown is None:
        raise DataValidationError([Problem(
            source=source, column="municipality_id", value=municipality_id,
            table="maturity_responses", code="no_answers_any",
            message="no answers for this municipality in any round",
            expected="at least one round of answers for the municipality the report is about "
                     "('socialkit validate' lists every municipality without answers)",
            expected_code="some_answers")],
            header=f"no digital-maturity answers for municipality {municipality_id}")
    return shown


def headline(result: MaturityResult, municipality_id: str, round: str, lang: str = "en"
             ) -> str:
    """Markdown: the overall score and level, and what the level means."""
    fw = result.framework
    lv = result.levels
    row = lv[(lv["municipality_id"] == municipality_id) & (lv["round"] == round)
             & (lv["code"] == OVERALL)]
    if row.empty or pd.isna(row["score"].iloc[0]):
        return t("maturity.notebook.headline_insufficient", lang, round=round)
    level = fw.level(int(row["level"].iloc[0]))
    head = t("maturity.notebook.headline", lang,
             score=format_number(row["score"].iloc[0], lang, 1), level=level.level,
             level_name=text(level.name, lang))
    desc = t("maturity.notebook.level_description", lang, level_name=text(level.name, lang),
             description=text(level.description, lang))
    return f"{head}\n\n{desc}"


#: Columns shown in the notebook for each table.
_VIEWS: dict[str, list[str]] = {
    "scores": ["code", "score", "level", "answered", "expected", "status"],
    "gaps": ["code", "score", "level", "target_level", "gap", "status"],
    "action_plan": ["order", "action_id", "title", "dimension", "effort", "cost", "responsible", "start",
                    "end", "indicator"],
    "progress": ["code", "score_from", "score_to", "change", "direction"],
}


def view(result: MaturityResult, table: str, municipality_id: str, lang: str = "en",
         round: str | None = None) -> pd.DataFrame:
    """One municipality's rows of ``table``, labelled and formatted for a report."""
    df = getattr(result, table)
    df = with_text(table, df[df["municipality_id"] == municipality_id], result.framework, lang)
    if round is not None and "round" in df and table != "action_plan":
        df = df[df["round"] == round]
    if table == "scores":
        df = df.merge(result.levels[["municipality_id", "round", "code", "level"]],
                      on=["municipality_id", "round", "code"])
    cols = _VIEWS.get(table, list(df.columns))
    out = label_table(df[[c for c in cols if c in df.columns]].reset_index(drop=True),
                      result.framework, lang, currency=result.currency)
    if table == "action_plan":  # the action's code means nothing to a reader; its title does
        out = out.drop(columns=t("maturity.columns.action_id", lang), errors="ignore")
        for col in ("start", "end"):
            name = t(f"maturity.columns.{col}", lang)
            if name in out:
                out[name] = [format_period(v, lang) for v in out[name]]
    return display_table(out, lang)


def first_municipality(result: MaturityResult) -> str:
    """The first municipality of the catalog (else the first one assessed)."""
    mun = result.municipalities
    if mun is not None and len(mun):
        return str(mun["municipality_id"].iloc[0])
    return str(result.scores["municipality_id"].iloc[0])


def radar_frame(result: MaturityResult, municipality_id: str, round: str, lang: str = "en",
                peer_group: str = "region") -> pd.DataFrame:
    """``dimension, score, peer_mean`` for the radar (peer group falls back to ``all``)."""
    b = result.benchmarks
    b = b[(b["municipality_id"] == municipality_id) & (b["round"] == round)
          & (b["code"] != OVERALL)]
    if peer_group not in set(b["peer_group"]):
        peer_group = "all"
    b = b[b["peer_group"] == peer_group].set_index("code").reindex(
        result.framework.dimension_ids).reset_index()
    name = _code_name(result.framework, lang)
    return pd.DataFrame({"dimension": b["code"].map(name), "score": b["score"],
                         "peer_mean": b["peer_mean"], "peer_group": peer_group})


def _peer_cells(result: MaturityResult, municipality_id: str, round: str) -> list[tuple]:
    """``[(peer_group, {(round, code): members}), ...]`` of the radar's groups, in
    :data:`PEER_ORDER`, skipping groups with fewer than :data:`MIN_PEERS` other members."""
    b = result.benchmarks
    b = b[(b["round"] == round) & (b["code"] != OVERALL) & b["score"].notna()]
    own = b[b["municipality_id"] == municipality_id]
    out = []
    for group in PEER_ORDER:
        mine = own[own["peer_group"] == group]
        if mine.empty or mine["n_peers"].min() - 1 < MIN_PEERS:
            continue
        # the members of each of the municipality's (code, peer value) cells, from one
        # grouping of the group's rows (not one scan of the national table per cell)
        of_group = b[b["peer_group"] == group]
        wanted = pd.MultiIndex.from_arrays([mine["code"], mine["peer_value"]])
        of_group = of_group[pd.MultiIndex.from_arrays(
            [of_group["code"], of_group["peer_value"]]).isin(wanted)]
        ids = of_group["municipality_id"].to_numpy(dtype=object)
        found = {key: set(ids[rows].tolist()) for key, rows in of_group.groupby(
            ["code", "peer_value"], sort=False).indices.items()}
        cells = {(round, code): found.get((code, value), set())
                 for code, value in zip(mine["code"], mine["peer_value"], strict=True)}
        out.append((group, cells))
    return out


def safe_peer_groups(result: MaturityResult, municipality_ids, visible,
                     rounds: dict | None = None) -> dict:
    """The peer group each radar of ``municipality_ids`` may show to a reader who sees
    ``visible`` (``None``: every municipality), by :func:`socialkit.scoping.choose_safe`.

    ``rounds`` maps a municipality to the round its radar shows (default :func:`pick_round`).
    A municipality maps to ``None`` when no group's average is safe to show.
    """
    from ..scoping import choose_safe

    rounds = rounds or {}
    if visible is None:  # the reader sees every municipality: the first large-enough group
        return {mid: next((g for g, _ in _peer_cells(result, mid, rounds.get(mid)
                                                     or pick_round(result, mid))), None)
                for mid in municipality_ids}
    candidates = []
    for mid in municipality_ids:
        rnd = rounds.get(mid) or pick_round(result, mid)
        candidates.append((mid, _peer_cells(result, mid, rnd) if rnd else []))
    return choose_safe(candidates, visible)


def safe_radar_frame(result: MaturityResult, municipality_id: str, round: str, lang: str = "en",
                     visible=None, group: str | None = "auto") -> tuple[pd.DataFrame, str | None]:
    """The radar frame with the peer average of a group that is safe to show.

    A reader who sees ``visible`` (for a PDF: the municipalities it shows by name; for a
    dashboard user: their scope) must not be able to work out a municipality they do not see
    from the average (:mod:`socialkit.scoping`). ``group`` is the peer group chosen for the
    reader with :func:`safe_peer_groups` (``"auto"``: choose for this municipality alone).
    Returns the frame and the group used; with no safe group ``peer_mean`` is missing and the
    group is ``None``.
    """
    if group == "auto":
        group = safe_peer_groups(result, [municipality_id], visible,
                                 {municipality_id: round})[municipality_id]
    frame = radar_frame(result, municipality_id, round, lang, group or "all")
    if group is None:
        frame = frame.assign(peer_mean=float("nan"))
    return frame, group


def printed_radar(result: MaturityResult, municipality_id: str, round: str, lang: str = "en",
                  max_rows: int | None = None) -> tuple[pd.DataFrame, str | None, str]:
    """The radar of a printed report (PDF): :func:`safe_radar_frame` for a reader who sees the
    municipalities the report names, i.e. the rows of its heatmap (:func:`heatmap_peers`).

    Returns the frame, the peer group used (``None``: no average is safe to print, the frame's
    ``peer_mean`` is missing) and the group's readable name (``""`` without a group).
    The dashboard applies the same rule with the user's scope as ``visible``.
    """
    rows = HEATMAP_MAX_ROWS if max_rows is None else max_rows
    shown = set(heatmap_peers(result, round, municipality_id, rows))
    frame, group = safe_radar_frame(result, municipality_id, round, lang, visible=shown)
    label = peer_label(result, municipality_id, round, lang, group) if group else ""
    return frame, group, label


def peer_label(result: MaturityResult, municipality_id: str, round: str, lang: str,
               peer_group: str) -> str:
    """Readable name of a municipality's peer group, e.g. ``Same oblast (Donetsk)``."""
    b = result.benchmarks
    row = b[(b["municipality_id"] == municipality_id) & (b["round"] == round)
            & (b["peer_group"] == peer_group)]
    label = t(f"maturity.peer_groups.{peer_group}", lang)
    if row.empty or peer_group == "all":
        return label
    value = row["peer_value"].iloc[0]
    if peer_group == "size":
        value = next((text(sc.name, lang) for sc in result.framework.size_classes
                      if sc.id == value), value)
    elif peer_group == "region":
        value = _region_name(result, str(value), lang)
    return f"{label} ({value})"


def _region_name(result: MaturityResult, region: str, lang: str) -> str:
    """The oblast's name in ``lang``: the data's ``region_local`` when it has one, else the
    message catalog's (``passport.regions``), else as recorded."""
    mun = result.municipalities
    if mun is not None and "region_local" in mun:
        rows = mun.loc[(mun["region"] == region) & mun["region_local"].notna()]
        if len(rows):
            shown = display_name(rows.iloc[0], lang, "region")
            if shown != region:
                return shown
    key = f"passport.regions.{region}"
    name = t(key, lang)
    return region if name == key else name


#: Rows a dimension × municipality heatmap shows at most (a printed page holds about this many).
HEATMAP_MAX_ROWS = 25


def heatmap_peers(result: MaturityResult, round: str, municipality_id: str | None,
                  max_rows: int = HEATMAP_MAX_ROWS) -> list[str]:
    """The municipalities a heatmap shows: all of them when they fit in ``max_rows``;
    otherwise ``municipality_id`` and its nearest peers by overall score, taken from the same
    region (oblast) first.
    """
    s = result.scores[(result.scores["round"] == round) & (result.scores["code"] == OVERALL)]
    ids = list(dict.fromkeys(s["municipality_id"]))
    if len(ids) <= max_rows or municipality_id is None or municipality_id not in ids:
        return ids[:max_rows] if municipality_id is None else ids
    overall = s.drop_duplicates("municipality_id").set_index("municipality_id")["score"]
    distance = (overall - overall.get(municipality_id)).abs().fillna(float("inf"))
    same_region = pd.Series(False, index=distance.index)
    mun = result.municipalities
    if mun is not None and "region" in mun:
        region = mun.drop_duplicates("municipality_id").set_index("municipality_id")["region"]
        same_region = distance.index.map(region).to_series(index=distance.index) == region.get(
            municipality_id)
    order = pd.DataFrame({"other_region": ~same_region, "distance": distance})
    order = order.drop(index=municipality_id).sort_values(["other_region", "distance"],
                                                          kind="stable")
    return [municipality_id, *order.index[: max_rows - 1]]


def heatmap_frame(result: MaturityResult, round: str, lang: str = "en",
                  municipality_id: str | None = None,
                  max_rows: int = HEATMAP_MAX_ROWS) -> pd.DataFrame:
    """``dimension, municipality, score`` of the municipalities assessed in ``round``.

    With more than ``max_rows`` municipalities, only :func:`heatmap_peers` of
    ``municipality_id`` are shown, so the figure stays readable (and renderable) at the scale
    of a whole country.
    """
    s = result.scores[result.scores["round"] == round]
    if municipality_id is not None or s["municipality_id"].nunique() > max_rows:
        s = s[s["municipality_id"].isin(heatmap_peers(result, round, municipality_id, max_rows))]
    name = _code_name(result.framework, lang)
    labels = {m: municipality_name(result, m, lang) for m in s["municipality_id"].unique()}
    return pd.DataFrame({"dimension": s["code"].map(name),
                         "municipality": s["municipality_id"].map(labels),
                         "score": s["score"]}).reset_index(drop=True)


def progress_frame(result: MaturityResult, municipality_id: str, lang: str = "en"
                   ) -> pd.DataFrame:
    """``dimension, round, score`` of one municipality in every round."""
    s = result.scores[result.scores["municipality_id"] == municipality_id]
    name = _code_name(result.framework, lang)
    return pd.DataFrame({"dimension": s["code"].map(name), "round": s["round"],
                         "score": s["score"]}).reset_index(drop=True)


def labels(result: MaturityResult, lang: str = "en") -> dict[str, str]:
    """Names in ``lang`` of the ids the maturity findings use: dimensions, level ids,
    ``action:<id>`` (the action's title) and ``role:<id>`` (who is responsible)."""
    fw = result.framework
    out = {d.id: text(d.name, lang) for d in fw.dimensions}
    out.update({lev.id: text(lev.name, lang) for lev in fw.levels})
    out.update({f"action:{a.id}": text(a.title, lang) for a in fw.actions})
    out.update({f"role:{k}": text(v, lang) for k, v in fw.roles.items()})
    return out


def first_page(result: MaturityResult, municipality_id: str, lang: str = "en",
               round: str | None = None) -> str:
    """The report's first page (HTML): what matters most and the first actions of the plan.

    Built from :func:`socialkit.maturity.findings.maturity_findings`.
    """
    from ..findings import first_page_html
    from .findings import maturity_findings

    f = maturity_findings(result, municipality_id, round)
    lead = t("summary.lead.maturity", lang, name=municipality_name(result, municipality_id, lang),
             round=f.period or "–")
    return first_page_html(f, lang, labels(result, lang), lead=lead)

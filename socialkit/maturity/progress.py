"""Progress between assessment rounds, per dimension and overall.

:func:`compare_rounds` is language-free (codes and numbers); :func:`progress_statement` and
:func:`summarise_progress` say it in plain words in a language, for the display layer.

Scores of every round come from one :mod:`socialkit.index` run over all rounds together
(goalpost normalisation with ``global: true``), so a point means the same in every round and
``change = score_to - score_from`` is a real change, not a shift of the field. Consecutive
rounds present in the data are compared (baseline -> follow-up, follow-up -> next ...).

``direction`` is ``improved`` when ``change >= tolerance``, ``declined`` when
``change <= -tolerance``, ``unchanged`` in between, and ``no_data`` when either score is
missing (the round was skipped, or too few answers to score).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..frameworks.maturity import OVERALL, MaturityFramework, text
from ..i18n import format_number, t

__all__ = ["DIRECTIONS", "compare_rounds", "progress_statement", "summarise_progress"]

#: Values of ``direction``.
DIRECTIONS: tuple[str, ...] = ("improved", "unchanged", "declined", "no_data")


@lru_cache(maxsize=8192)
def _cached_number(value: float, lang: str) -> str:
    return format_number(value, lang, 1)


def _number(value: object, lang: str) -> str:
    """One-decimal number for ``lang`` (``"–"`` when missing); cached, statements repeat."""
    if value is None or pd.isna(value):
        return format_number(None, lang, 1)
    return _cached_number(round(float(value), 1), lang)


def _name(fw: MaturityFramework, code: str, lang: str) -> str:
    if code == OVERALL:
        return t("maturity.overall", lang)
    return text(fw.dimension(code).name, lang)


def _level_name(fw: MaturityFramework, level: object, lang: str) -> str:
    if level is None or pd.isna(level):
        return t("maturity.insufficient_data", lang)
    return text(fw.level(int(level)).name, lang)


def progress_statement(row: pd.Series | dict, fw: MaturityFramework, lang: str = "en") -> str:
    """One plain sentence about one row of the progress table, in ``lang``.

    >>> fw = load_framework()  # doctest: +SKIP
    >>> progress_statement({"code": "overall", "direction": "improved", "change": 6.2,
    ...     "score_from": 31.0, "score_to": 37.2, "level_from": 2, "level_to": 2,
    ...     "round_from": "2020-12", "round_to": "2021-04"}, fw)  # doctest: +SKIP
    'Overall: up 6.2 points, from 31.0 (Developing) in 2020-12 to 37.2 (Developing) in 2021-04.'
    """
    r = dict(row)
    kw = {
        "name": _name(fw, r["code"], lang),
        "round_from": r["round_from"], "round_to": r["round_to"],
        "score_from": _number(r.get("score_from"), lang),
        "score_to": _number(r.get("score_to"), lang),
        "change": _number(abs(r["change"]) if pd.notna(r.get("change")) else None, lang),
        "level_from": _level_name(fw, r.get("level_from"), lang),
        "level_to": _level_name(fw, r.get("level_to"), lang),
    }
    direction = r["direction"]
    if direction == "no_data":
        if pd.isna(r.get("score_from")) and pd.isna(r.get("score_to")):
            key = "maturity.progress.no_data_both"
        elif pd.isna(r.get("score_to")):
            key = "maturity.progress.no_data_to"
        else:
            key = "maturity.progress.no_data_from"
        return t(key, lang, **kw)
    sentence = t(f"maturity.progress.{direction}", lang, **kw)
    lf, lt = r.get("level_from"), r.get("level_to")
    if pd.notna(lf) and pd.notna(lt) and int(lt) != int(lf):
        sentence += " " + t("maturity.progress.level_up" if int(lt) > int(lf)
                            else "maturity.progress.level_down", lang, **kw)
    return sentence


def compare_rounds(levels: pd.DataFrame, fw: MaturityFramework,
                   tolerance: float = 0.5) -> pd.DataFrame:
    """Change between consecutive rounds for every municipality and code.

    Parameters
    ----------
    levels : pandas.DataFrame
        From :func:`socialkit.maturity.scoring.score_levels`.
    fw : MaturityFramework
        The dimensions compared.
    tolerance : float
        Changes smaller than this (in points of 0-100) count as ``unchanged``.

    Returns
    -------
    pandas.DataFrame
        ``municipality_id, code, round_from, round_to, score_from, score_to, change,
        level_from, level_to, level_change, direction``; empty when the data hold a single
        round. Language-free: :func:`progress_statement` (or
        :func:`socialkit.maturity.report.text_tables`) says a row in a language.
    """
    cols = ["municipality_id", "code", "round_from", "round_to", "score_from", "score_to",
            "change", "level_from", "level_to", "level_change", "direction"]
    rounds = sorted(levels["round"].unique())
    if len(rounds) < 2:
        return pd.DataFrame(columns=cols)
    munis = pd.unique(levels["municipality_id"])
    codes = fw.dimension_ids + [OVERALL]
    grid = pd.MultiIndex.from_product([munis, codes], names=["municipality_id", "code"])
    by = levels.set_index(["municipality_id", "code", "round"])
    frames = []
    for r0, r1 in zip(rounds[:-1], rounds[1:], strict=True):
        a = by.xs(r0, level="round").reindex(grid)
        b = by.xs(r1, level="round").reindex(grid)
        f = grid.to_frame(index=False)
        f["round_from"], f["round_to"] = r0, r1
        f["score_from"] = a["score"].to_numpy(dtype=float)
        f["score_to"] = b["score"].to_numpy(dtype=float)
        f["change"] = f["score_to"] - f["score_from"]
        f["level_from"] = pd.array(a["level"].to_numpy(), dtype="Int64")
        f["level_to"] = pd.array(b["level"].to_numpy(), dtype="Int64")
        f["level_change"] = f["level_to"] - f["level_from"]
        ch = f["change"].to_numpy()
        f["direction"] = np.select(
            [np.isnan(ch), ch >= tolerance, ch <= -tolerance],
            ["no_data", "improved", "declined"], default="unchanged")
        frames.append(f)
    return pd.concat(frames, ignore_index=True)[cols]


def summarise_progress(progress: pd.DataFrame, municipality_id: str, fw: MaturityFramework,
                       lang: str = "en") -> str:
    """A short paragraph: the overall statement, the most improved and any declined dimension."""
    p = progress[progress["municipality_id"] == municipality_id]
    if p.empty:
        return t("maturity.progress.single_round", lang)
    last = p[p["round_to"] == p["round_to"].max()]
    overall = last[last["code"] == OVERALL]
    parts = [progress_statement(overall.iloc[0], fw, lang)] if len(overall) else []
    dims = last[(last["code"] != OVERALL) & last["change"].notna()]
    if len(dims):
        best = dims.loc[dims["change"].idxmax()]
        if best["change"] > 0:
            parts.append(t("maturity.progress.most_improved", lang,
                           name=_name(fw, best["code"], lang),
                           change=format_number(best["change"], lang, 1)))
        worse = dims[dims["direction"] == "declined"]
        if len(worse):
            parts.append(t("maturity.progress.declined_list", lang, names=", ".join(
                _name(fw, c, lang) for c in worse["code"])))
    return " ".join(parts)

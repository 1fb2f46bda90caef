"""Localised tables of the registry: the reminder list, the coverage table, certificate records.

Language-free results (:mod:`~socialkit.professionals.ledger`) become tables with headers and
labels in the reader's language here; :mod:`socialkit.reporting.professionals` lays them out as
PDFs, and the CLI writes the reminder workbook through :mod:`socialkit.files` (formula-like
text stays text). Counts of people in the coverage table go through
:func:`socialkit.disclosure.publish` (1–4 are not shown).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..disclosure import publish, resolve_threshold
from ..frameworks.training_points import PointsRules, load_rules
from ..i18n import available_keys, display_name, display_names, format_date, format_number, t
from .ledger import compliance, current_employment, licence_totals, points_ledger
from .registry import Registry

__all__ = ["REMINDER_COLUMNS", "certificate_records", "coverage", "institution_names", "label",
           "localise", "programme_title", "reminders_workbook", "training_activity"]

#: The registry is Serbia's: ``*_local`` columns (institution names, programme titles) are
#: Serbian in Cyrillic, shown in sr-Cyrl and transliterated in sr-Latn
#: (:func:`socialkit.i18n.display_name`); every other reader sees the English text.
COUNTRY = "RS"

#: Columns of the reminder list, in order (each also passes the reader's field list).
REMINDER_COLUMNS = ("surname", "given_name", "personal_number", "email", "licence_type",
                    "number", "valid_to", "earned", "planned", "required", "shortfall",
                    "status", "act_by", "days_left", "next_session_date")


def label(kind: str, key: str, lang: str) -> str:
    """``professionals.<kind>.<key>`` in ``lang``; the key itself if there is no message (a
    role or activity added to the rules file without a translation still shows)."""
    full = f"professionals.{kind}.{key}"
    return t(full, lang) if full in available_keys("en") else str(key)


def institution_names(institutions: pd.DataFrame, lang: str) -> dict[str, str]:
    """``{institution_id: name}`` in the reader's language and script."""
    names = display_names(institutions, lang, "name", country=COUNTRY)
    return dict(zip(institutions["institution_id"], names, strict=True))


def programme_title(row, lang: str) -> str:
    """A programme's title in the reader's language and script (``title`` / ``title_local``)."""
    return display_name(dict(row), lang, "title", country=COUNTRY)


def _date(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return format_date(pd.Timestamp(value).date(), lang, "medium")


def localise(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of a compliance/record table with labels, dates and headers in ``lang``."""
    out = frame.copy()
    for col, kind in (("licence_type", "licence_types"), ("status", "status")):
        if col in out:
            out[col] = out[col].map(lambda v, k=kind: label(k, v, lang))
    for col in ("valid_to", "act_by", "next_session_date", "valid_from"):
        if col in out:
            out[col] = out[col].map(lambda v: _date(v, lang))
    return out.rename(columns={c: t(f"professionals.columns.{c}", lang) for c in out.columns
                               if f"professionals.columns.{c}" in available_keys("en")})


def reminders_workbook(records: pd.DataFrame, lang: str, institution: str, as_of: str):
    """The reminder list as an openpyxl workbook: title, date, note, one row per licence.

    ``records`` is the compliance list already cut to what the reader may see
    (:func:`~socialkit.professionals.privacy.export_records`); its columns are kept in
    :data:`REMINDER_COLUMNS` order. Save it with :func:`socialkit.files.write_output_file`
    (text that looks like a formula is stored as text).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    cols = [c for c in REMINDER_COLUMNS if c in records.columns]
    table = localise(records[cols], lang)
    wb = Workbook()
    ws = wb.active
    ws.title = t("professionals.reminders.sheet", lang)[:31]
    ws.append([t("professionals.reminders.title", lang)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([t("professionals.reminders.subtitle", lang, institution=institution,
                 date=format_date(dt.date.fromisoformat(str(as_of)[:10]), lang))])
    ws.append([t("professionals.reminders.note", lang)])
    ws["A3"].font = Font(italic=True, size=9)
    ws.append([])
    ws.append(list(table.columns))
    for cell in ws[5]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and np.isnan(v)) else
                   (int(v) if isinstance(v, np.integer) else v) for v in row])
    for i, col in enumerate(table.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in table.iloc[:, i - 1]]) + 2
        ws.column_dimensions[ws.cell(row=5, column=i).column_letter].width = min(width, 40)
    ws.freeze_panes = "A6"
    return wb


def coverage(registry: Registry, as_of: str, rules: PointsRules | None = None,
             ledger: pd.DataFrame | None = None, threshold: int | None = None
             ) -> pd.DataFrame:
    """Per institution: professionals employed on ``as_of``, how many took part in a session in
    the twelve months before it, the median points of their current licence periods, and how
    many are short of points; a last row for all institutions. Counts 1–4 are blanked
    (:func:`socialkit.disclosure.publish`), and the share with them; so is a count whose
    complement (staff minus it) is 1–4, and the total of a column with a blank cell (else
    the total less the shown cells gives the blank ones).

    Returns
    -------
    DataFrame
        ``institution_id, staff, trained, trained_share, median_points, short``.
    """
    rules = rules or load_rules()
    day = pd.Timestamp(str(as_of)[:10])
    ledger = points_ledger(registry, rules) if ledger is None else ledger
    staff = current_employment(registry, day)
    recent = registry.participations.merge(registry.sessions[["session_id", "date"]],
                                           on="session_id")
    recent = recent[(recent["date"] <= day) & (recent["date"] > day - pd.DateOffset(years=1))]
    staff["trained"] = staff["person_id"].isin(set(recent["person_id"]))
    totals = licence_totals(registry, day, rules, ledger)
    live = totals[(totals["valid_from"] <= day) & (totals["valid_to"] >= day)]
    staff = staff.merge(live.groupby("person_id")["earned"].max().rename("points"),
                        on="person_id", how="left")
    short = compliance(registry, day, rules, ledger=ledger)
    staff["short"] = staff["person_id"].isin(set(short["person_id"]))

    def summarise(g: pd.DataFrame) -> pd.Series:
        return pd.Series({"staff": len(g), "trained": int(g["trained"].sum()),
                          "median_points": float(g["points"].median()),
                          "short": int(g["short"].sum())})

    per = staff.groupby("institution_id").apply(summarise, include_groups=False).reset_index()
    total = summarise(staff)
    per = pd.concat([per, pd.DataFrame([{"institution_id": "*", **total.to_dict()}])],
                    ignore_index=True)
    for c in ("staff", "trained", "short"):
        per[c] = per[c].astype("int64")
    per["trained_share"] = per["trained"] / per["staff"].where(per["staff"] > 0)
    # the complements are counts of people too: "24 staff, 23 trained" tells of 1 untrained
    per["untrained"] = per["staff"] - per["trained"]
    per["not_short"] = per["staff"] - per["short"]
    out = publish(per, counts=["staff", "trained", "short", "untrained", "not_short"],
                  rates={"trained_share": ("staff", 1.0)}, threshold=threshold)
    hide_trained = out["untrained"].isna() | out["trained"].isna() | out["staff"].isna()
    out["trained"] = out["trained"].mask(hide_trained)
    out["short"] = out["short"].mask(out["not_short"].isna() | out["staff"].isna())
    # the total row less the shown cells would give the sum of the hidden ones (one hidden
    # cell, or two that must be 1 and 1): a column with a hidden cell hides its total too
    total = out["institution_id"] == "*"
    for c in ("staff", "trained", "short"):
        if out.loc[~total, c].isna().any():
            out.loc[total, c] = pd.NA
    # a share is shown only with its count; a median only for a group of at least
    # five whose size is shown (the median of two or three people is one person's points)
    out["trained_share"] = out["trained_share"].where(out["trained"].notna())
    out["median_points"] = out["median_points"].where(per["staff"] >= resolve_threshold(threshold))
    return out[["institution_id", "staff", "trained", "trained_share", "median_points",
                "short"]]


def certificate_records(registry: Registry, rules: PointsRules | None = None,
                        participation_ids: list[str] | None = None) -> pd.DataFrame:
    """What each certificate shows: one row per participation with its points.

    Columns ``participation_id, person_id, surname, given_name, programme_id, title,
    title_local, accredited, accreditation_number, accredited_from, accredited_to, hours,
    activity, session_id, date, place, online, role, rule_set, points, licence_number,
    licence_valid_to`` (the licence the points count for: the first by end date, if any).
    """
    from .ledger import scored_participations

    rules = rules or load_rules()
    scored = scored_participations(registry, rules)
    if participation_ids is not None:
        scored = scored[scored["participation_id"].isin(participation_ids)]
    out = scored.merge(registry.persons[["person_id", "surname", "given_name"]],
                       on="person_id").merge(
        registry.programmes.drop(columns=["activity"]), on="programme_id").merge(
        registry.sessions[["session_id", "place", "online"]], on="session_id")
    led = points_ledger(registry, rules)
    lic = led.merge(registry.licences[["licence_id", "number", "valid_to"]], on="licence_id")
    lic = lic.sort_values("valid_to").drop_duplicates("participation_id")
    out = out.merge(lic[["participation_id", "number", "valid_to"]].rename(
        columns={"number": "licence_number", "valid_to": "licence_valid_to"}),
        on="participation_id", how="left")
    return out.sort_values(["date", "participation_id"]).reset_index(drop=True)


def number(value, lang: str, decimals: int = 0) -> str:
    """A number for ``lang`` (``–`` when missing)."""
    return format_number(value, lang, decimals)


def training_activity(registry, threshold: int | None = None) -> pd.DataFrame:
    """Sessions and participations per quarter and activity (of the persons the reader may
    see); counts of 1-4 participations are blank.

    Returns
    -------
    DataFrame
        ``quarter, activity, sessions, participations``, newest quarter first.
    """
    sess = registry.sessions.merge(registry.programmes[["programme_id", "activity"]],
                                   on="programme_id")
    sess["quarter"] = sess["date"].dt.to_period("Q").astype(str)
    part = registry.participations.merge(sess[["session_id", "quarter", "activity"]],
                                         on="session_id")
    counts = part.groupby(["quarter", "activity"]).size().rename("participations")
    n_sess = (sess[sess["session_id"].isin(part["session_id"])]
              .groupby(["quarter", "activity"]).size().rename("sessions"))
    out = pd.concat([n_sess, counts], axis=1).fillna(0).astype("int64").reset_index()
    out = out.sort_values(["quarter", "activity"], ascending=[False, True])
    return publish(out.reset_index(drop=True), counts=["participations"], threshold=threshold)

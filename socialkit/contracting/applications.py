"""Applications of NGOs entered through an XLSForm, checked at once, added to a region-year.

The application form is an XLSForm (:mod:`socialkit.forms`, the machinery of every data
collection form of the suite), so an NGO or the customer's staff can fill it in KoboToolbox,
ODK or Excel: one row per application with its competition, lot, organisation, submission
time, price (the subsidy asked), the volume offered and the documents attached (a
``select_multiple`` of the competition's documents). Labels are in every language of the suite,
from the message catalogs.

:func:`add_applications` reads a filled workbook (or a KoboToolbox/ODK export), refuses it whole
when any row breaks the form (type, required, constraint) or the procedure (unknown competition,
lot or organisation, a lot of another competition, a submission after the deadline, an id
already used) — every problem with file, row, column and expected value — and otherwise returns
the region-year with the applications added and, per new application, every missing document
(:func:`~socialkit.contracting.evaluate.check_completeness`).
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem
from .evaluate import check_completeness
from .load import check_contracting
from .model import ContractingData, code_text, empty_table

__all__ = ["FORM_ID", "DOCUMENTS", "add_applications", "application_form",
           "write_application_form"]

FORM_ID = "contracting_application"

#: The documents the form offers (``contracting.documents.*``); a competition asks for some.
DOCUMENTS: tuple[str, ...] = ("charter", "registration_certificate", "service_plan", "budget",
                              "staff_list", "tax_certificate")

#: XLSForm language columns, one per language of the suite (socialkit's codes in parentheses).
_LANGS = {"en": "English (en)", "uk": "Українська (uk)", "ro": "Română (ro)",
          "sr": "Српски (sr)", "ru": "Русский (ru)", "be": "Беларуская (be)"}
_ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
_DATETIME = r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?$"

#: (name, XLSForm type, label key, constraint, constraint message key)
_FIELDS = [
    ("application_id", "text", "contracting.pdf.application", f"regex(., '{_ID}')", "id"),
    ("competition_id", "text", "contracting.flat.col.tender_id", f"regex(., '{_ID}')", "id"),
    ("lot_id", "text", "contracting.pdf.lot", f"regex(., '{_ID}')", "id"),
    ("ngo_id", "text", "contracting.flat.col.ngo_id", f"regex(., '{_ID}')", "id"),
    ("submitted", "text", "contracting.pdf.submitted", f"regex(., '{_DATETIME}')",
     "datetime"),
    ("price", "decimal", "contracting.pdf.price", ". > 0", "positive"),
    ("clients", "integer", "contracting.pdf.clients", ". >= 0", "whole"),
    ("hours", "integer", "contracting.pdf.hours", ". >= 0", "whole"),
    ("visits", "integer", "contracting.pdf.visits", ". >= 0", "whole"),
    ("documents", "select_multiple documents", "contracting.call.documents", "", ""),
]


def write_application_form(path: str | Path) -> Path:
    """Write the application XLSForm (``survey``, ``choices``, ``settings``) to ``path``."""
    from ..i18n import t

    path = Path(path)
    survey = pd.DataFrame(
        [{"type": typ, "name": name, "required": "" if name == "documents" else "yes",
          "constraint": constraint,
          **{f"label::{head}": t(key, code) for code, head in _LANGS.items()},
          **{f"constraint_message::{head}": t(f"contracting.form.{msg}", code) if msg else ""
             for code, head in _LANGS.items()}}
         for name, typ, key, constraint, msg in _FIELDS])
    choices = pd.DataFrame(
        [{"list_name": "documents", "name": doc,
          **{f"label::{head}": code_text("documents", doc, code)
             for code, head in _LANGS.items()}} for doc in DOCUMENTS])
    settings = pd.DataFrame([{
        "form_id": FORM_ID, "version": "1", "default_language": _LANGS["en"],
        "form_title": t("contracting.pdf.application", "en"),
        **{f"form_title::{head}": t("contracting.pdf.application", code)
           for code, head in _LANGS.items()}}])
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        survey.to_excel(writer, sheet_name="survey", index=False)
        choices.to_excel(writer, sheet_name="choices", index=False)
        settings.to_excel(writer, sheet_name="settings", index=False)
    return path


@cache
def application_form():
    """The application form, loaded by :func:`socialkit.forms.load_form` (once)."""
    from ..forms import load_form

    with tempfile.TemporaryDirectory() as tmp:
        return load_form(write_application_form(Path(tmp) / f"{FORM_ID}.xlsx"))


def add_applications(data: ContractingData, path: str | Path, lang: str = "en"
                     ) -> tuple[ContractingData, pd.DataFrame]:
    """``data`` with the applications of the filled form at ``path`` added.

    Returns
    -------
    (ContractingData, completeness)
        the region-year with the new applications and their documents; per new application
        ``complete`` and ``missing`` (every missing document, ``; ``-joined).

    Raises
    ------
    DataValidationError
        (a :class:`socialkit.forms.FormImportError` for the form's own rules) listing every
        problem of the file — its rows as the spreadsheet shows them — and nothing is added.
    """
    from ..forms import import_file

    path = Path(path)
    imported = import_file(application_form(), path, lang=lang)
    rows = [dict(r.values, _row=r.source_row) for r in imported.records]
    cols = [c for c in empty_table("applications").columns]
    apps = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    apps.index = pd.Index([int(r["_row"]) - 2 for r in rows])  # messages name the file's rows
    docs = pd.DataFrame(
        [(r["application_id"], d) for r in rows for d in _choices(r.get("documents"))],
        columns=["application_id", "document"])
    source = path.name
    known = set(data.applications["application_id"])
    problems = [Problem(source=source, row=int(i) + 2, column="application_id",
                        message="application id already used (rule: unique ids)",
                        value=a, expected="a new id", table="applications",
                        code="duplicate_id", expected_code="unique")
                for i, a in apps["application_id"].items() if a in known]
    # the procedure's rules on the new rows alone (the region-year's other tables as they are)
    later = {name: empty_table(name) for name in
             ("eligibility", "scores", "awards", "contracts", "schedule", "deliveries",
              "payments")}
    check = data.replace(applications=apps, application_documents=docs, **later,
                         sources={**data.sources, "applications": source,
                                  "application_documents": source})
    problems += check_contracting(check)
    if problems:
        raise DataValidationError(problems, header=f"{len(problems)} problem(s) in {source}")
    merged = data.replace(
        applications=pd.concat([data.applications, apps], ignore_index=True),
        application_documents=pd.concat([data.application_documents, docs],
                                         ignore_index=True))
    complete = check_completeness(merged)
    return merged, complete[complete["application_id"].isin(apps["application_id"])] \
        .reset_index(drop=True)


def _choices(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value).split()

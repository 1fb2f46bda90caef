"""Entering data with a form into the store: the form's validation on the server before every
save, submission only of complete records, bulk import accepted whole or refused whole.

This is where :mod:`socialkit.forms` (what a valid record is) meets the store (who may save
what, the workflow, the audit trail). The entry page of the dashboard and ``socialkit entry``
call these functions, never :meth:`Store.save` directly, so a value the form refuses never
reaches the database, whatever the browser sent.

* :func:`save_entry` — a draft: typed and checked against the form (types, choice lists,
  constraints, relevance: non-relevant values cleared, calculations computed). Empty required
  fields are allowed in a draft (the user comes back to it); any other error refuses the save
  with every problem listed, in the user's language.
* :func:`submit_entry` — the stored values are validated again, required fields included;
  only a complete record is submitted for approval.
* :func:`import_entries` — a file (the form's layout, KoboToolbox or ODK Central export)
  through :func:`socialkit.forms.import_file` (every row validated; refused whole with sheet,
  row, column, value, expected), then the store's rights and workflow for every row
  (:meth:`Store.save_many`: one transaction, all rows or none).
* :func:`register_form` / :func:`register_shipped_forms` — make a form version known to the
  store (a ``sensitive`` form becomes a restricted one: domestic-violence right needed).

>>> from socialkit.forms import load_form, form_path
>>> from socialkit.store import Actor, open_store
>>> store = open_store("sqlite://")
>>> admin = Actor.system()
>>> store.add_institution(admin, "csw-ns", "csw", "CSW Novi Sad")
>>> form = load_form(form_path("csw_state"))
>>> register_form(store, admin, form)
>>> saved = save_entry(store, admin, form, "csw-ns", "2026Q1", {"computers": "3"})
>>> saved.record.status, saved.record.values["computers"], len(saved.missing) > 0
('draft', 3, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataValidationError, Problem
from ..forms import Form, check_period, import_file, load_form, validate_submission
from ..forms import form_path as shipped_form_path
from ..i18n import t, tn
from .access import Actor
from .core import Store, StoredRecord

__all__ = ["EntryError", "SavedEntry", "check_entry", "entry_label", "follow_up", "import_entries",
           "register_form", "register_shipped_forms", "save_entry", "submit_entry"]

#: The longest period the store keeps (``records.period``).
MAX_PERIOD = 16


def _lg(lang: str) -> str:
    from ..config import resolve_lang

    return resolve_lang(lang)


class EntryError(DataValidationError):
    """A record the form refuses: ``errors`` maps each field (or ``period``) to its messages
    in the user's language; ``problems`` has one :class:`~socialkit.errors.Problem` each."""

    def __init__(self, label: str, errors: Mapping[str, list[str]], lang: str = "en"):
        self.label = label
        self.errors = {k: list(v) for k, v in errors.items()}
        problems = [Problem(source=label, column=key, message=msg)
                    for key, msgs in self.errors.items() for msg in msgs]
        super().__init__(problems, header=tn("entry.refused", len(problems), _lg(lang),
                                             record=label))


@dataclass(frozen=True)
class SavedEntry:
    """A saved draft and what it still needs: ``missing`` are the required fields still
    empty (a draft may have them; :func:`submit_entry` refuses until they are filled)."""

    record: StoredRecord
    missing: list[str] = field(default_factory=list)


def entry_label(form: Form, institution_id: str, period: str) -> str:
    """How messages name a record: ``form / institution / period``."""
    return f"{form.form_id} / {institution_id} / {period}"


def register_form(store: Store, actor: Actor, form: Form) -> None:
    """Make ``form``'s version known to the store (administrators); a form whose settings say
    ``sensitive: yes`` is restricted to users with the domestic-violence right."""
    store.register_form(actor, form.form_id, form.version, title=form.title("en"),
                        restricted=form.sensitive)


def register_shipped_forms(store: Store, actor: Actor) -> list[Form]:
    """Register the five instruments under ``socialkit/frameworks/forms/``."""
    from ..forms import SHIPPED_FORMS

    forms = [load_form(shipped_form_path(name)) for name in SHIPPED_FORMS]
    for form in forms:
        register_form(store, actor, form)
    return forms


def _check_key(form: Form, period: str, lang: str) -> dict[str, list[str]]:
    period = (period or "").strip()
    if not period or len(period) > MAX_PERIOD or not check_period(period, form.period_type):
        expected = (t(f"forms.expected.period_{form.period_type}", _lg(lang),
                      example={"quarter": "2026Q1", "year": "2026",
                               "month": "2026-03"}[form.period_type])
                    if form.period_type else t("entry.period_any", _lg(lang), n=MAX_PERIOD))
        return {"period": [t("entry.bad_period", _lg(lang), period=period or "∅",
                             expected=expected)]}
    return {}


def check_entry(form: Form, values: Mapping[str, Any], period: str, *, lang: str = "en",
                complete: bool = False):
    """Validate one record as the server does before a save.

    Returns ``(result, errors)``: the :class:`~socialkit.forms.SubmissionResult` and the
    errors that refuse the save (``complete=False``, a draft: all but empty required fields;
    ``complete=True``, a submission: all of them), with a bad ``period`` under ``"period"``.
    """
    res = validate_submission(form, dict(values), lang=lang)
    errors = _check_key(form, period, lang)
    missing = set(res.missing_required)
    for key, msgs in res.errors.items():
        name = key.rsplit("/", 1)[-1]
        if complete or name not in missing:
            errors[key] = msgs
    return res, errors


def save_entry(store: Store, actor: Actor, form: Form, institution_id: str, period: str,
               values: Mapping[str, Any], *, expected_version: int | None = None,
               lang: str = "en", reason: str | None = None) -> SavedEntry:
    """Validate ``values`` with ``form`` and save them as a draft (see the module docstring).

    Raises
    ------
    EntryError
        When the form refuses a value (nothing is written).
    socialkit.store.StoreError
        When the store refuses (rights, a concurrent edit, a locked record).
    """
    period = (period or "").strip()
    label = entry_label(form, institution_id, period)
    res, errors = check_entry(form, values, period, lang=lang)
    if errors:
        raise EntryError(label, errors, lang)
    rec = store.save(actor, form.form_id, form.version, institution_id, period, res.values,
                     expected_version=expected_version, reason=reason)
    return SavedEntry(rec, res.missing_required)


def submit_entry(store: Store, actor: Actor, form: Form, record_id: int, expected_version: int,
                 *, lang: str = "en", comment: str | None = None) -> StoredRecord:
    """Submit a draft for approval after validating its stored values completely (required
    fields included) with ``form``.

    Raises
    ------
    EntryError
        Listing every field still missing or wrong (the record stays a draft).
    """
    rec = store.record(actor, record_id)
    res, errors = check_entry(form, rec.values, rec.period, lang=lang, complete=True)
    if errors:
        raise EntryError(rec.label, errors, lang)
    return store.submit(actor, record_id, expected_version, comment)


def import_entries(store: Store, actor: Actor, form: Form, path: str | Path, *,
                   institution_id: str | None = None, period: str | None = None,
                   lang: str = "en", reason: str | None = None) -> list[StoredRecord]:
    """Bulk import a file into the store: all rows saved as drafts, or none.

    Every row goes through the form's validation (:func:`socialkit.forms.import_file`), then
    the store's checks for every row (:meth:`Store.save_many`). A form without a period type
    still needs a ``period`` column (any text up to 16 characters, e.g. a response id): the
    store keeps one record per form, institution and period.

    Raises
    ------
    socialkit.forms.FormImportError
        Every problem of the file (sheet, row, column, value, expected); nothing written.
    socialkit.store.BatchRefusedError
        Every row the store refuses (rights, a record no longer a draft); nothing written.
    """
    path = Path(path)
    imp = import_file(form, path, institution_id=institution_id, period=period, lang=lang)
    problems: list[Problem] = []
    for rec in imp.records:
        row = rec.source_row
        if not rec.institution_id:
            problems.append(Problem(source=path.name, row=row, column="institution_id",
                                    message=t("forms.import.missing_value", _lg(lang))))
        bad = _check_key(form, rec.period or "", lang)
        if bad:
            problems.append(Problem(source=path.name, row=row, column="period",
                                    message=bad["period"][0], value=rec.period))
    if problems:
        from ..forms import FormImportError

        raise FormImportError(problems, header=tn("forms.import.refused", len(problems),
                                                  _lg(lang), file=path.name))
    return store.save_many(actor, form.form_id, form.version,
                           [(r.institution_id, r.period.strip(), r.values) for r in imp.records],
                           rows=[r.source_row or i + 2 for i, r in enumerate(imp.records)],
                           source=path.name, reason=reason)


def follow_up(store: Store, actor: Actor, form: Form, *, lang: str = "en",
              status: str | None = None, rules_file: str | Path | None = None):
    """The validation-rule violations and outliers among the records the actor may read, for
    follow-up (never a refusal: real data break rules for real reasons).

    Returns ``(violations, outliers)``: :func:`socialkit.forms.evaluate_rules` over
    ``rules_file`` (default: the shipped form's ``<form>.rules.yaml``; none: no violations) and
    :func:`socialkit.forms.flag_outliers` of every numeric field, per period.
    """
    import pandas as pd

    from ..forms import evaluate_rules, flag_outliers, load_rules, rules_path

    frame = store.records(actor, form_id=form.form_id, status=status, values=True)
    path = Path(rules_file) if rules_file else rules_path(shipped_form_path(form.form_id))
    if path.is_file() and len(frame):
        violations = evaluate_rules(form, load_rules(path, form), frame, lang=lang)
    else:
        violations = pd.DataFrame(columns=["rule_id", "rule", "importance", "institution_id",
                                           "period", "left", "operator", "right",
                                           "instruction"])
    numeric = [f.name for f in form.value_fields
               if f.repeat is None and f.type in ("integer", "decimal") and f.name in frame]
    for name in numeric:
        frame[name] = pd.to_numeric(frame[name], errors="coerce")
    outliers = flag_outliers(frame, numeric, by=["period"]) if numeric and len(frame) else \
        pd.DataFrame(columns=["institution_id", "period", "field", "value", "median", "mad",
                              "z"])
    return violations, outliers

"""Record-level exports of the entry forms, only when k-anonymity holds.

A record-level export (one row per accepted record, one column per field) is what an analyst
asks for first and what discloses most. :func:`export_records` lets it out only when, over the
form's quasi-identifiers (``socialkit/frameworks/record_exports.yaml``: for domestic violence
the municipality, the quarter, the victim's sex and age group), every equivalence class holds at
least ``k`` people (:func:`socialkit.disclosure.k_anonymity`). Otherwise, as asked:

``refuse`` (the default)
    :class:`~socialkit.disclosure.KAnonymityError`, naming the quasi-identifiers, ``k`` and how
    many classes are below ``k``; nothing is returned;
``generalise``
    the quasi-identifiers are coarsened one after another in the form's ``generalise`` order
    (a quarter becomes its year; a municipality or institution its district; any other value
    ``*``) until k-anonymity holds — aggregate records of the same coarsened key are added up —
    and the classes still below ``k`` are then suppressed;
``suppress``
    the classes below ``k`` are suppressed: for aggregate records the counts of those classes
    are blanked, with every other count that would give one back by subtraction (secondary
    suppression along each dimension's total, :func:`socialkit.disclosure.suppress_lines`);
    for respondent records the rows are left out.

Whatever the mode, every other count of people in the export goes through small-cell
suppression (1–4 blanked, with their complements), calculated fields computed from a blanked
count are blanked, and the ``drop`` fields (telephone, location, free text) never leave.

How a record counts people (:func:`record_classes`): a **respondent** record is one person, its
class the values of its quasi-identifiers. An **aggregate** record (a centre's quarter) holds
counts: each count of a dimension that is a quasi-identifier is a class of that many people —
``victims_female = 3`` in Kula in 2026Q1 is the class (Kula, 2026Q1, female, ``*``) of 3
people, ``*`` marking the quasi-identifier the count does not split (age group).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..disclosure import (
    ANY,
    KAnonymity,
    KAnonymityError,
    Lines,
    k_anonymity,
    resolve_threshold,
    suppress_lines,
)
from ..errors import FrameworkError, SocialkitError
from ..frameworks.record_exports import FormExport, load_record_exports

__all__ = ["HOW", "RecordExport", "district_hierarchy", "export_records", "export_spec",
           "generalise_records", "record_classes"]

#: The ways :func:`export_records` deals with classes below k.
HOW = ("refuse", "generalise", "suppress")
#: Columns of a record that are not the form's fields.
_META = ("record_id", "form_id", "form_version", "institution_id", "municipality_id", "period",
         "status", "version", "updated_by", "updated_at")


@dataclass(frozen=True)
class RecordExport:
    """An export that may leave: the table, the check it passed and what was done to it."""

    frame: pd.DataFrame
    check: KAnonymity
    spec: FormExport
    #: Quasi-identifiers coarsened, in order (``generalise``).
    generalised: tuple[str, ...] = ()
    #: Classes below k after generalisation, suppressed (``generalise`` and ``suppress``).
    suppressed_classes: int = 0
    #: Cells blanked by small-cell suppression (counts of people, their complements, derived).
    blanked_cells: int = 0
    #: Respondent rows left out.
    dropped_rows: int = 0
    notes: list[str] = field(default_factory=list)


def export_spec(form_id: str, *, spec_path: str | Path | None = None,
                quasi_identifiers: list[str] | None = None, k: int | None = None) -> FormExport:
    """The export entry of ``form_id`` (shipped file or ``spec_path``), with the
    quasi-identifiers and ``k`` replaced when given (``k`` only raised: never below 5)."""
    entry = load_record_exports(spec_path).form(form_id, str(spec_path or "record_exports.yaml"))
    update: dict = {}
    if quasi_identifiers is not None:
        update["quasi_identifiers"] = list(quasi_identifiers)
        update["generalise"] = [g for g in entry.generalise if g in quasi_identifiers]
    if k is not None:
        update["k"] = resolve_threshold(k, what="k-anonymity")
    return entry.model_copy(update=update) if update else entry


def district_hierarchy(institutions: pd.DataFrame) -> dict[str, dict[str, str]]:
    """``{"institution_id": {id: district}, "municipality_id": {id: district}}`` from the
    store's institution tree (``institution_id, municipality_id, parent_id``): an institution's
    district is its nearest ancestor without a municipality that is not the root (the
    province); without one, ``*``.

    >>> inst = pd.DataFrame({"institution_id": ["p", "d", "c"],
    ...     "municipality_id": [None, None, "M"], "parent_id": [None, "p", "d"]})
    >>> district_hierarchy(inst)["municipality_id"]
    {'M': 'd'}
    """
    parent = dict(zip(institutions["institution_id"], institutions["parent_id"], strict=True))
    mun = dict(zip(institutions["institution_id"], institutions["municipality_id"],
                   strict=True))
    by_inst: dict[str, str] = {}
    for inst in parent:
        up, seen = parent.get(inst), {inst}
        while up is not None and pd.notna(up) and up not in seen:
            seen.add(up)
            if pd.isna(mun.get(up)) and pd.notna(parent.get(up)):
                by_inst[inst] = str(up)
                break
            up = parent.get(up)
        else:
            by_inst[inst] = ANY
    by_mun: dict[str, str] = {}
    for inst, m in mun.items():
        if pd.notna(m) and by_inst.get(inst, ANY) != ANY:
            by_mun.setdefault(str(m), by_inst[inst])
    return {"institution_id": by_inst, "municipality_id": by_mun}


def _check_fields(records: pd.DataFrame, spec: FormExport, form_id: str) -> None:
    names = set(spec.count_fields) | set(spec.derived)
    for d in spec.derived.values():
        names |= set(d)
    for q in spec.record_quasi_identifiers:
        names.add(q)
    missing = sorted(n for n in names if n not in records.columns)
    if missing and len(records):
        raise FrameworkError("record_exports.yaml", f"form '{form_id}': field(s) "
                             f"{', '.join(missing)} are not in its records; expected the "
                             "form's own field names", key=f"forms.{form_id}")


def record_classes(records: pd.DataFrame, spec: FormExport) -> pd.DataFrame:
    """The people of ``records`` as classes over the quasi-identifiers: one row per record
    (respondent) or per record and category of a quasi-identifier dimension (counts), the
    quasi-identifiers' values (``*`` where a row does not split them) and ``size``.

    >>> from socialkit.frameworks.record_exports import FormExport
    >>> spec = FormExport(unit="counts", quasi_identifiers=["m", "sex"],
    ...     dimensions={"sex": {"total": "t", "categories": {"f": "female", "ma": "male"}}})
    >>> rec = pd.DataFrame({"m": ["A"], "t": [7], "f": [3], "ma": [4]})
    >>> record_classes(rec, spec).values.tolist()
    [['A', 'female', 3], ['A', 'male', 4]]
    """
    qi = spec.quasi_identifiers
    rec_qi = spec.record_quasi_identifiers
    if spec.unit == "respondent" or not set(qi) & set(spec.dimensions):
        out = records[rec_qi].astype(object).copy()
        if spec.unit == "respondent":
            out["size"] = 1
        else:   # the record's people: the first total, else the sum of its counts
            tot = next((d.total for d in spec.dimensions.values() if d.total), None)
            fields = [tot] if tot else spec.count_fields
            out["size"] = records[fields].apply(pd.to_numeric, errors="coerce").sum(
                axis=1, min_count=1).fillna(0).astype("int64")
        return out.reset_index(drop=True)
    parts = []
    for name in qi:
        if name not in spec.dimensions:
            continue
        for fld, code in spec.dimensions[name].categories.items():
            part = records[rec_qi].astype(object).copy()
            for other in qi:
                if other in spec.dimensions:
                    part[other] = code if other == name else ANY
            part["size"] = pd.to_numeric(records[fld], errors="coerce").fillna(0).astype("int64")
            parts.append(part[[*qi, "size"]])
    return pd.concat(parts, ignore_index=True)


def _check(records: pd.DataFrame, spec: FormExport) -> KAnonymity:
    return k_anonymity(record_classes(records, spec), spec.quasi_identifiers, spec.k,
                       count="size")


def _level(values: pd.Series, name: str, hierarchy: dict[str, dict[str, str]]) -> pd.Series:
    """One step up the generalisation hierarchy of quasi-identifier ``name``."""
    if name == "period":
        return values.astype(object).map(lambda p: str(p)[:4] if pd.notna(p) else p)
    if name in hierarchy:
        return values.astype(object).map(lambda v: hierarchy[name].get(v, ANY))
    return pd.Series(ANY, index=values.index, dtype=object)


def generalise_records(records: pd.DataFrame, spec: FormExport, steps: list[str],
                       hierarchy: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """``records`` with the quasi-identifiers of ``steps`` coarsened; aggregate records of the
    same coarsened key added up (``records``: how many; a count missing in all stays missing),
    institution-level columns that no longer apply left out."""
    hierarchy = hierarchy or {}
    out = records.copy()
    for name in steps:
        out[name] = _level(out[name], name, hierarchy)
    if spec.unit == "respondent" or not steps:
        return out
    keys = spec.record_quasi_identifiers
    fields = spec.count_fields
    num = out[fields].apply(pd.to_numeric, errors="coerce")
    num[keys] = out[keys]
    summed = num.groupby(keys, dropna=False, sort=True)[fields].sum(min_count=1)
    summed.insert(0, "records", out.groupby(keys, dropna=False, sort=True).size())
    return summed.reset_index()


def _blank_counts(frame: pd.DataFrame, spec: FormExport, small: pd.DataFrame | None,
                  threshold: int) -> tuple[pd.DataFrame, int]:
    """Small-cell suppression of every count of people in ``frame`` (one system per row: each
    dimension's categories add up to its total); ``small`` marks the cells of classes below
    k, suppressed from the start. Returns the frame and the cells blanked."""
    fields = [f for f in spec.count_fields if f in frame.columns]
    if frame.empty or not fields:
        return frame, 0
    n_rows, n_f = len(frame), len(fields)
    col = {f: j for j, f in enumerate(fields)}
    values = frame[fields].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    cells = values.reshape(-1)                       # row-major: cell = row * n_f + j
    hidden = np.zeros(cells.size, dtype=bool)
    if small is not None:
        hidden = small[fields].to_numpy(dtype=bool).reshape(-1)
    line, cell, tot = [], [], []
    n_line = 0
    for dim in spec.dimensions.values():
        if not dim.total or dim.total not in col:
            continue
        members = [col[f] for f in dim.categories if f in col]
        for r in range(n_rows):
            for j in members:
                line.append(n_line)
                cell.append(r * n_f + j)
                tot.append(False)
            line.append(n_line)
            cell.append(r * n_f + col[dim.total])
            tot.append(True)
            n_line += 1
    suppressed, _ = suppress_lines(cells, Lines(line, cell, tot), threshold, hidden=hidden)
    mask = suppressed.reshape(n_rows, n_f)
    out = frame.copy()
    for j, f in enumerate(fields):
        if mask[:, j].any():
            s = pd.to_numeric(out[f], errors="coerce").round().astype("Int64")
            s[mask[:, j]] = pd.NA
            out[f] = s
    blanked = int(mask.sum())
    for name, inputs in spec.derived.items():
        if name not in out.columns:
            continue
        used = [f for f in inputs if f in col]
        if not used:
            continue
        gone = mask[:, [col[f] for f in used]].any(axis=1) & out[name].notna().to_numpy()
        if gone.any():
            s = out[name].astype(object)
            s[gone] = pd.NA
            out[name] = s
            blanked += int(gone.sum())
    return out, blanked


def _small_cells(records: pd.DataFrame, spec: FormExport, check: KAnonymity) -> pd.DataFrame:
    """Boolean frame over the count fields: the cells that are classes below k."""
    mask = pd.DataFrame(False, index=records.index, columns=spec.count_fields)
    if check.holds:
        return mask
    rec_qi = spec.record_quasi_identifiers
    below = check.below
    key = records[rec_qi].astype(object).apply(tuple, axis=1) if rec_qi else \
        pd.Series([()] * len(records), index=records.index)
    for name in spec.quasi_identifiers:
        if name not in spec.dimensions:
            continue
        for fld, code in spec.dimensions[name].categories.items():
            bad = below[below[name] == code]
            bad_keys = set(bad[rec_qi].astype(object).apply(tuple, axis=1)) if rec_qi else \
                ({()} if len(bad) else set())
            mask[fld] = mask[fld] | key.isin(bad_keys)
    return mask


def export_records(records: pd.DataFrame, form_id: str, *, how: str = "refuse",
                   spec: FormExport | None = None,
                   hierarchy: dict[str, dict[str, str]] | None = None,
                   what: str | None = None, lang: str = "en") -> RecordExport:
    """The record-level export of ``records`` (one row per record, one column per field, as
    ``Store.records(..., values=True)`` or :func:`~socialkit.protection.wide_records` give it)
    when k-anonymity holds over the form's quasi-identifiers (see the module docstring).

    Parameters
    ----------
    records
        The records of one form.
    form_id
        Its id (the entry of ``record_exports.yaml`` unless ``spec`` is given).
    how
        ``refuse``, ``generalise`` or ``suppress``.
    spec
        The form's export entry (:func:`export_spec`: another file, other quasi-identifiers
        or a higher ``k``).
    hierarchy
        ``{quasi-identifier: {value: coarser value}}`` for ``generalise`` (municipality and
        institution → district, from the store's institution tree); period needs none.
    what
        Name of the export in messages (default: the form id).
    lang
        Language of the refusal.

    Raises
    ------
    KAnonymityError
        ``how="refuse"`` and a class below k.
    """
    if how not in HOW:
        raise SocialkitError(f"--how {how}: expected one of {', '.join(HOW)}")
    spec = spec or export_spec(form_id)
    what = what or form_id
    _check_fields(records, spec, form_id)
    missing_qi = [q for q in spec.record_quasi_identifiers if q not in records.columns]
    if missing_qi:
        raise SocialkitError(f"{what}: quasi-identifier(s) {', '.join(missing_qi)} are neither "
                             "a column of the records nor a dimension of the form's counts")
    threshold = resolve_threshold()
    if records.empty:
        empty = pd.DataFrame(columns=[q for q in spec.record_quasi_identifiers])
        return RecordExport(empty, k_anonymity(pd.DataFrame(columns=["size", *spec.quasi_identifiers]),
                                               spec.quasi_identifiers, spec.k, count="size"),
                            spec)
    data = records.drop(columns=[c for c in (*spec.drop, "status", "updated_by", "updated_at",
                                             "version", "form_version")
                                 if c in records.columns and c not in spec.quasi_identifiers])
    data = base = data.reset_index(drop=True)
    check = _check(data, spec)
    steps: list[str] = []
    if not check.holds and how == "refuse":
        raise KAnonymityError(check, what, lang)
    if not check.holds and how == "generalise":
        for name in spec.generalise:
            steps.append(name)
            data = generalise_records(base, spec, steps, hierarchy)
            check = _check(data, spec)
            if check.holds:
                break
    suppressed_classes = len(check.below)
    dropped = 0
    if spec.unit == "respondent":
        if not check.holds:
            qi = spec.quasi_identifiers
            small = check.below[qi].astype(object)
            key = data[qi].astype(object).where(data[qi].notna(), None).apply(tuple, axis=1)
            bad = set(small.where(small.notna(), None).apply(tuple, axis=1))
            keep = ~key.isin(bad)
            dropped = int((~keep).sum())
            data = data[keep].reset_index(drop=True)
        out, blanked = data, 0
    else:
        small = _small_cells(data, spec, check)
        out, blanked = _blank_counts(data, spec, small, threshold)
    final = _check(out.fillna({f: 0 for f in spec.count_fields if f in out.columns})
                   if spec.unit == "counts" else out, spec)
    if not final.holds:   # a blanked cell counts as 0 people: what is left must hold
        raise KAnonymityError(final, what, lang)
    return RecordExport(out, final, spec, tuple(steps), suppressed_classes, blanked, dropped)

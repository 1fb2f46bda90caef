"""pandera schemas of the registry's tables (the store's ``prof_*`` tables, see docs/professionals.md).

Every table is read as text and checked here; dates are ISO ``YYYY-MM-DD``; yes/no columns
hold ``true``/``false`` (also ``yes``/``no``, ``1``/``0``). Ids follow the suite's id pattern.

================  ===================================  ==========================================
table             key                                  columns
================  ===================================  ==========================================
institutions      institution_id                       name, name_local, municipality, kind
persons           person_id                            surname, given_name, personal_number,
                                                       profession, email
employments       person_id, institution_id, start     end (empty: still employed)
licences          licence_id                           person_id, licence_type, number,
                                                       valid_from, valid_to, renews (licence_id)
programmes        programme_id                         title, title_local, activity, accredited,
                                                       accreditation_number, accredited_from,
                                                       accredited_to, hours, knowledge_test
sessions          session_id                           programme_id, date, place, online
participations    participation_id                     person_id, session_id, role
================  ===================================  ==========================================
"""

from __future__ import annotations

import pandera.pandas as pa

from ..data.schemas import ID_PATTERN

__all__ = ["BOOL_VALUES", "DATE_COLUMNS", "BOOL_COLUMNS", "DATE_PATTERN", "SCHEMAS", "TABLES",
           "jmbg_check_digit"]

DATE_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
#: Text a yes/no cell may hold, and what it means.
BOOL_VALUES = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}

TABLES: tuple[str, ...] = ("institutions", "persons", "employments", "licences", "programmes",
                           "sessions", "participations")


def _id(unique: bool = False, nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(ID_PATTERN), unique=unique, nullable=nullable)


def _date(nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(DATE_PATTERN), nullable=nullable)


def _text(nullable: bool = False) -> pa.Column:
    return pa.Column(str, nullable=nullable)


def _bool() -> pa.Column:
    return pa.Column(str, pa.Check.isin(sorted(BOOL_VALUES)), nullable=False)


def _schema(name: str, columns: dict, unique: list[str] | None = None) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, name=name, coerce=True, strict=False, unique=unique,
                              report_duplicates="all")


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "institutions": _schema("institutions", {
        "institution_id": _id(unique=True), "name": _text(), "name_local": _text(nullable=True),
        "municipality": _text(nullable=True), "kind": _text()}),
    "persons": _schema("persons", {
        "person_id": _id(unique=True), "surname": _text(), "given_name": _text(),
        "personal_number": pa.Column(str, pa.Check.str_matches(r"^\d{13}$"), unique=True),
        "profession": _text(), "email": pa.Column(str, nullable=True, required=False)}),
    "employments": _schema("employments", {
        "person_id": _id(), "institution_id": _id(), "start": _date(),
        "end": _date(nullable=True)}, unique=["person_id", "institution_id", "start"]),
    "licences": _schema("licences", {
        "licence_id": _id(unique=True), "person_id": _id(), "licence_type": _text(),
        "number": _text(), "valid_from": _date(), "valid_to": _date(),
        "renews": _id(nullable=True)}),
    "programmes": _schema("programmes", {
        "programme_id": _id(unique=True), "title": _text(), "title_local": _text(nullable=True),
        "activity": _text(), "accredited": _bool(),
        "accreditation_number": _text(nullable=True), "accredited_from": _date(nullable=True),
        "accredited_to": _date(nullable=True),
        "hours": pa.Column(float, [pa.Check.ge(0), pa.Check.le(10_000)], nullable=True),
        "knowledge_test": _bool()}),
    "sessions": _schema("sessions", {
        "session_id": _id(unique=True), "programme_id": _id(), "date": _date(),
        "place": _text(nullable=True), "online": _bool()}),
    "participations": _schema("participations", {
        "participation_id": _id(unique=True), "person_id": _id(), "session_id": _id(),
        "role": _text()}),
}

DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "employments": ("start", "end"), "licences": ("valid_from", "valid_to"),
    "programmes": ("accredited_from", "accredited_to"), "sessions": ("date",)}
BOOL_COLUMNS: dict[str, tuple[str, ...]] = {
    "programmes": ("accredited", "knowledge_test"), "sessions": ("online",)}


def jmbg_check_digit(first12: str) -> int:
    """The control digit of a 13-digit Serbian personal number (ЈМБГ) from its first 12 digits.

    ``k = 11 − ((7(a+g) + 6(b+h) + 5(c+i) + 4(d+j) + 3(e+k) + 2(f+l)) mod 11)``; 10 and 11 give 0.

    >>> jmbg_check_digit("010199071000")
    8
    """
    d = [int(c) for c in first12]
    s = sum(w * (d[i] + d[i + 6]) for i, w in enumerate((7, 6, 5, 4, 3, 2)))
    k = 11 - s % 11
    return 0 if k > 9 else k

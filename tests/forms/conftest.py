"""Fixtures for socialkit.forms: tiny XLSForms written on the fly, the shipped forms loaded once."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from socialkit.forms import SHIPPED_FORMS, form_path, load_form

EN, SR = "English (en)", "Српски (sr)"


def write_xlsform(path: Path, survey: list[dict], choices: list[dict] | None = None,
                  settings: dict | None = None) -> Path:
    """Write an XLSForm: each survey/choices row a dict of column → value."""
    wb = openpyxl.Workbook()
    sheets = [("survey", survey), ("choices", choices or []),
              ("settings", [settings] if settings else [])]
    first = True
    for title, rows in sheets:
        ws = wb.active if first else wb.create_sheet(title)
        ws.title = title
        first = False
        columns: list[str] = []
        for row in rows:
            for c in row:
                if c not in columns:
                    columns.append(c)
        if not columns:
            columns = {"survey": ["type", "name", "label"], "choices": ["list_name", "name",
                                                                        "label"],
                       "settings": ["form_id"]}[title]
        ws.append(columns)
        for row in rows:
            ws.append([row.get(c) for c in columns])
    wb.save(path)
    return path


@pytest.fixture
def make_form(tmp_path):
    """make_form(survey, choices=None, settings=None) → the loaded Form."""
    counter = iter(range(1000))

    def make(survey, choices=None, settings=None, name=None):
        path = tmp_path / (name or f"form{next(counter)}.xlsx")
        return load_form(write_xlsform(path, survey, choices, settings))
    return make


@pytest.fixture
def xlsform(tmp_path):
    """xlsform(survey, choices=None, settings=None) → the path of the written workbook."""
    counter = iter(range(1000))

    def make(survey, choices=None, settings=None):
        return write_xlsform(tmp_path / f"bad{next(counter)}.xlsx", survey, choices, settings)
    return make


@pytest.fixture(scope="session")
def shipped():
    """The five shipped forms, loaded once per session."""
    return {name: load_form(form_path(name)) for name in SHIPPED_FORMS}

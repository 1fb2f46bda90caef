"""Errors raised by socialkit.

Every error a user can cause (bad data, a bad framework file, a failed report) is a
:class:`SocialkitError`. The CLI catches it, prints its message without a traceback and exits
non-zero. Messages name the file, row, column and what was expected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "DataValidationError",
    "FrameworkError",
    "Problem",
    "ReportError",
    "SocialkitError",
]


class SocialkitError(Exception):
    """Base class of every error socialkit raises for a user to act on."""

    exit_code: int = 1


@dataclass(frozen=True)
class Problem:
    """One problem found in the data: where it is and what was expected.

    ``row`` is the 1-based line number in the source file counting the header as line 1
    (so it matches what a spreadsheet or a text editor shows), or ``None`` when the problem
    concerns the whole table or column.
    """

    source: str
    message: str
    row: int | None = None
    column: str | None = None
    value: object = None
    expected: str | None = None
    table: str | None = None
    #: i18n keys (``core.problem.<code>``, ``core.expected.<expected_code>``, or a full key
    #: such as ``contracting.problem.after_deadline`` when the code has a dot) and their
    #: placeholders, so the problem can be shown in the user's language; ``message`` and
    #: ``expected`` hold the English text.
    code: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    expected_code: str | None = None
    expected_params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str = "en") -> str:
        """The problem as one line in ``lang``: in English the text it was raised with (the
        source language, often more specific than the catalog's message of its code), in
        another language the catalogs' message of its code, else that English text."""
        from .i18n import available_keys, t

        tr = lang != "en"
        where = self.source
        if self.row is not None:
            where += t("core.problem.at_row", lang, row=self.row) if tr else f", row {self.row}"
        if self.column is not None:
            where += (t("core.problem.at_column", lang, column=self.column) if tr
                      else f", column '{self.column}'")
        key = _key("problem", self.code) if self.code else ""
        message = (t(key, lang, **self.params)
                   if tr and key and key in available_keys() else self.message)
        text = f"{where}: {message}"
        if self.value is not None and not _isna(self.value):
            value = self.value.item() if hasattr(self.value, "item") else self.value
            text += t("core.problem.found", lang, value=repr(value)) if tr else f" (found {value!r})"
        if self.expected:
            key = _key("expected", self.expected_code) if self.expected_code else ""
            expected = (t(key, lang, **self.expected_params)
                        if tr and key and key in available_keys() else self.expected)
            text += t("core.problem.expected", lang, expected=expected) if tr else (
                f"; expected {expected}")
        return text


def _key(kind: str, code: str) -> str:
    """The message key of a problem or expected ``code``: ``core.<kind>.<code>``, or the code
    itself when it is a full key of another domain (``contracting.problem.after_deadline``)."""
    return code if "." in code else f"core.{kind}.{code}"


def _isna(value: object) -> bool:
    try:
        return bool(value != value)  # NaN
    except (TypeError, ValueError):
        return False


class DataValidationError(SocialkitError):
    """One or more problems in input data; ``problems`` lists every one found."""

    def __init__(self, problems: Iterable[Problem] | str, header: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(source="input", message=problems)]
        self.problems: list[Problem] = list(problems)
        self.header = header or f"{len(self.problems)} problem(s) found in the data"
        lines = [self.header + ":"] + [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class FrameworkError(SocialkitError):
    """A framework file (questionnaire, index spec, indicator framework, rubric) is invalid."""

    def __init__(self, source: str, message: str, key: str | None = None):
        self.source = source
        self.key = key
        where = f"{source}, key '{key}'" if key else source
        super().__init__(f"{where}: {message}")


class ReportError(SocialkitError):
    """A report could not be produced."""

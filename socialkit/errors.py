"""Errors raised by socialkit.

Every error a user can cause (bad data, a bad framework file, a failed report) is a
:class:`SocialkitError`. The CLI catches it, prints its message without a traceback and exits
non-zero. Messages name the file, row, column and what was expected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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

    def __str__(self) -> str:
        where = self.source
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.value is not None and not _isna(self.value):
            value = self.value.item() if hasattr(self.value, "item") else self.value
            text += f" (found {value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text


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

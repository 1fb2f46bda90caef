"""Checks every command runs on its options before it reads or writes anything.

A bad option is a :class:`~socialkit.errors.SocialkitError` naming the option, the value and
what was expected, so the command exits with code 1 and no traceback, before any output.
"""

from __future__ import annotations

import math
import re
from typing import Annotated

import typer

from ..errors import SocialkitError

__all__ = ["Force", "check_choice", "check_lang", "check_range", "check_round"]

#: The ``--force`` option of every command that writes files.
Force = Annotated[bool, typer.Option(
    "--force", help="Replace files in the output folder that socialkit did not write.")]


def check_lang(lang: str, option: str = "--lang") -> str:
    """``lang`` if it is a supported language."""
    from ..config import SUPPORTED_LANGS

    if lang not in SUPPORTED_LANGS:
        raise SocialkitError(f"{option} {lang!r}: expected one of {', '.join(SUPPORTED_LANGS)}")
    return lang


def check_choice(option: str, value: object, choices: tuple) -> object:
    """``value`` if it is one of ``choices`` (``None`` allowed when listed)."""
    if value not in choices:
        allowed = ", ".join(str(c) for c in choices if c is not None)
        raise SocialkitError(f"{option} {value}: expected one of {allowed}")
    return value


def check_range(option: str, value: float | int | None, low: float | None = None,
                high: float | None = None, *, low_open: bool = False) -> float | int | None:
    """``value`` if it is a finite number within [low, high] (``(low, high]`` with
    ``low_open``); ``None`` passes."""
    if value is None:
        return value
    ok = isinstance(value, int) or math.isfinite(value)
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        if low is not None and high is not None:
            want = f"a number {'above' if low_open else 'from'} {low}" + (
                f" up to {high}" if low_open else f" to {high}")
        elif low is not None:
            want = f"a number {'above' if low_open else 'of at least'} {low}"
        else:
            want = f"a number of at most {high}"
        raise SocialkitError(f"{option} {value}: expected {want}")
    return value


_ROUND = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def check_round(value: str | None, option: str = "--round") -> str | None:
    """``value`` if it is an assessment round ``YYYY-MM`` (``None`` passes)."""
    if value is not None and not _ROUND.match(value):
        raise SocialkitError(f"{option} {value}: expected a round as YYYY-MM with a month "
                             "from 01 to 12, e.g. 2021-04")
    return value

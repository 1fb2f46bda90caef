"""Checks every command runs on its options before it reads or writes anything.

A bad option is a :class:`~socialkit.errors.SocialkitError` naming the option, the value and
what was expected, so the command exits with code 1 and no traceback, before any output.
"""

from __future__ import annotations

import math
import re
from typing import Annotated

import typer

from ..config import default_lang
from ..errors import SocialkitError
from ..i18n import t

__all__ = ["Force", "check_choice", "check_lang", "check_range", "check_round"]

#: The ``--force`` option of every command that writes files.
Force = Annotated[bool, typer.Option(
    "--force", help="Replace files in the output folder that socialkit did not write.")]


def lang_help(text: str) -> str:
    """The help of a ``--lang`` option: ``text`` and every language it accepts.

    >>> lang_help("Language of messages.")
    'Language of messages (en, uk, ro, sr-Cyrl, sr-Latn, ru, be).'
    """
    from ..config import SUPPORTED_LANGS

    return f"{text.rstrip('.')} ({', '.join(SUPPORTED_LANGS)})."


def check_lang(lang: str, option: str = "--lang") -> str:
    """``lang`` if it is a supported language (an alias such as ``sr`` gives its language)."""
    from ..config import SUPPORTED_LANGS, resolve_lang

    lang = resolve_lang(lang)
    if lang not in SUPPORTED_LANGS:
        raise SocialkitError(t("files.lang", default_lang(), option=option, value=lang,
                               choices=", ".join(SUPPORTED_LANGS)))
    return lang


def check_choice(option: str, value: object, choices: tuple) -> object:
    """``value`` if it is one of ``choices`` (``None`` allowed when listed)."""
    if value not in choices:
        allowed = ", ".join(str(c) for c in choices if c is not None)
        raise SocialkitError(t("files.choice", default_lang(), option=option, value=value,
                               choices=allowed))
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
            key = "range_above_to" if low_open else "range_between"
        elif low is not None:
            key = "range_above" if low_open else "range_at_least"
        else:
            key = "range_at_most"
        raise SocialkitError(t(f"files.{key}", default_lang(), option=option, value=value,
                               low=low, high=high))
    return value


_ROUND = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def check_round(value: str | None, option: str = "--round") -> str | None:
    """``value`` if it is an assessment round ``YYYY-MM`` (``None`` passes)."""
    if value is not None and not _ROUND.match(value):
        raise SocialkitError(t("files.round", default_lang(), option=option, value=value))
    return value

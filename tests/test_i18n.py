"""Every message exists in English and Ukrainian; numbers and dates follow the language."""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest

from socialkit.i18n import (
    available_keys,
    format_date,
    format_number,
    format_percent,
    plural_form,
    t,
    tn,
)


def test_every_key_exists_in_both_languages():
    en, uk = available_keys("en"), available_keys("uk")
    assert en, "no English messages"
    assert sorted(en - uk) == [], "keys missing in Ukrainian"
    assert sorted(uk - en) == [], "keys missing in English"


def test_placeholders_agree_between_languages():
    fmt = string.Formatter()
    for key in available_keys("en") & available_keys("uk"):
        en = {f for _, f, _, _ in fmt.parse(t(key, "en")) if f}
        uk = {f for _, f, _, _ in fmt.parse(t(key, "uk")) if f}
        assert en == uk, key


def test_ukrainian_messages_are_ukrainian():
    cyrillic = re.compile("[а-яіїєґА-ЯІЇЄҐ]")
    keys = available_keys("uk")
    share = sum(bool(cyrillic.search(t(k, "uk"))) for k in keys) / len(keys)
    assert share > 0.8


def test_number_and_date_formatting():
    assert format_number(1234567.891, "en", 2) == "1,234,567.89"
    assert format_number(1234567.891, "uk", 2).replace("\xa0", " ") == "1 234 567,89"
    assert format_number(None, "en") == "–"
    assert format_percent(0.256, "en", 1) == "25.6%"
    assert format_date(dt.date(2021, 4, 1), "en") == "1 April 2021"
    assert "квітня" in format_date("2021-04-01", "uk")


def test_fallback_and_unknown_language():
    assert t("core.no_such_key", "uk") == "core.no_such_key"
    with pytest.raises(ValueError, match="unknown language"):
        t("core.yes", "xx")


@pytest.mark.parametrize(("n", "uk", "en"), [
    (1, "1 населений пункт", "1 settlement"),
    (2, "2 населені пункти", "2 settlements"),
    (5, "5 населених пунктів", "5 settlements"),
    (21, "21 населений пункт", "21 settlements"),
])
def test_plural_forms_follow_the_language(n, uk, en):
    assert tn("summary.count.settlements", n, "uk") == uk
    assert tn("summary.count.settlements", n, "en") == en


def test_plural_categories_and_fallbacks():
    assert [plural_form(n, "uk") for n in (1, 2, 5, 11, 21, 22, 25)] == [
        "one", "few", "many", "many", "one", "few", "many"]
    assert [plural_form(n, "en") for n in (0, 1, 2, 21)] == ["other", "one", "other", "other"]
    # a plural message reads as its "other" form through t(), and its key is listed once
    assert t("summary.count.settlements", "en") == "{n} settlements"
    assert "summary.count.settlements" in available_keys("uk")
    assert not any(k.startswith("summary.count.settlements.") for k in available_keys("uk"))
    # a plain message works with tn; an unknown key comes back as itself
    assert tn("core.yes", 3, "uk") == "так"
    assert tn("core.no_such_key", 3, "uk") == "core.no_such_key"


def test_every_plural_message_has_the_forms_of_its_language():
    from socialkit.i18n import _catalogs

    for lang, needed in (("en", {"one", "other"}), ("uk", {"one", "few", "many", "other"})):
        plurals = _catalogs(lang)[1]
        assert plurals, lang
        for key, forms in plurals.items():
            assert needed <= set(forms), (lang, key)

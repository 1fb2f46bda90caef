"""The assessment is language-free: one result, shown in any language by the display layer."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from socialkit.config import SUPPORTED_LANGS
from socialkit.maturity import OVERALL, TABLES, assess, report

#: What a language-free table may hold as text: ids, codes and periods (2021Q3, 2020-12).
_CODE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$")


@pytest.fixture
def args(tiny, tiny_answers, tiny_municipalities):
    return dict(responses=tiny_answers, framework=tiny, municipalities=tiny_municipalities,
                targets={"m3": {"A": 3}, "m1": {"B": 3}})


def test_result_is_the_same_whatever_the_language(args, monkeypatch):
    """The default language (``SOCIALKIT_LANG``) chose the language of the progress
    statements and action titles inside the result."""
    results = {}
    for lang in SUPPORTED_LANGS:
        monkeypatch.setenv("SOCIALKIT_LANG", lang)
        results[lang] = assess(**args)
    for lang, res in results.items():
        for name in TABLES:
            pd.testing.assert_frame_equal(getattr(res, name), getattr(results["en"], name),
                                          obj=f"{name} ({lang})")


def test_result_holds_codes_not_sentences(args):
    res = assess(**args)
    assert len(res.progress) and len(res.action_plan)
    for name in TABLES:
        table = getattr(res, name)
        for col in table.columns:
            texts = [v for v in table[col].tolist() if isinstance(v, str)]
            odd = [v for v in texts if not _CODE.match(v)]
            assert not odd, (name, col, odd[:3])


def test_two_languages_from_one_result(args):
    res = assess(**args)
    tables = {lang: report.text_tables(res, lang) for lang in ("en", "uk")}
    overall = {lang: t["progress"].set_index(["municipality_id", "code"]).loc[("m1", OVERALL)]
               for lang, t in tables.items()}
    assert overall["en"]["statement"].startswith("Overall: up 14.6 points")
    assert overall["uk"]["statement"].startswith("Загалом: зростання на 14,6 бала")
    titles = {lang: dict(zip(t["action_plan"]["action_id"], t["action_plan"]["title"],
                             strict=True)) for lang, t in tables.items()}
    assert (titles["en"]["A-2"], titles["uk"]["A-2"]) == ("A to mid", "А до середнього")
    # the text columns sit where the result tables had them, the rest is the result itself
    assert list(tables["en"]["action_plan"].columns[-3:]) == ["title", "description", "indicator"]
    pd.testing.assert_frame_equal(tables["uk"]["progress"].drop(columns="statement"),
                                  res.progress)
    shown = {lang: report.view(res, "action_plan", "m3", lang).to_numpy().ravel().tolist()
             for lang in ("en", "uk")}
    assert "А до середнього" in shown["uk"] and "A to mid" not in shown["uk"]
    assert "A to mid" in shown["en"]

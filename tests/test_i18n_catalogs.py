"""The gettext catalogs: complete in every language, compiled by the documented command, YAML
imported, templates current, plural forms and formats per locale (docs/i18n.md)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from socialkit import config
from socialkit.config import SUPPORTED_LANGS
from socialkit.i18n import format_date, format_number, format_percent, language_name, t, tn
from socialkit.i18n.catalogs import catalog_plural_categories, clear_cache, read_messages
from socialkit.i18n.tools import catalog_problems, extract, import_yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("lang", SUPPORTED_LANGS)
def test_every_message_is_translated(lang):
    """Every key of English translated and confirmed, its placeholders kept, every plural form
    of the language written (fails for a language until its translators' work is merged)."""
    problems = catalog_problems(lang)
    assert not problems, (f"{len(problems)} problem(s) in the {lang} catalogs, e.g.:\n"
                          + "\n".join(problems[:20]))


def _copy_locale(tmp_path: Path, domains=("core", "summary", "i18n")) -> Path:
    root = tmp_path / "locale"
    for code in ("en", "uk"):
        (root / code / "LC_MESSAGES").mkdir(parents=True)
        for d in domains:
            shutil.copy(config.locale_dir() / code / "LC_MESSAGES" / f"{d}.po",
                        root / code / "LC_MESSAGES" / f"{d}.po")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_completeness_check_catches_what_it_should(tmp_path):
    root = _copy_locale(tmp_path)
    assert catalog_problems("uk", root) == []
    core = root / "uk" / "LC_MESSAGES" / "core.po"
    summary = root / "uk" / "LC_MESSAGES" / "summary.po"
    # a missing key, a dropped placeholder, an added one, a missing plural form, a fuzzy one
    _edit(core, 'msgctxt "core.yes"\nmsgid "yes"\nmsgstr "так"\n\n', "")
    _edit(core, 'msgstr "Таблиці записано; каталог: {path}"', 'msgstr "Таблиці записано"')
    _edit(core, 'msgstr "порожнє значення"', 'msgstr "порожнє значення {oops}"')
    _edit(summary, 'msgstr[2] "{n} населених пунктів"', 'msgstr[2] ""')
    _edit(core, 'msgctxt "core.no"', '#, fuzzy\nmsgctxt "core.no"')
    problems = "\n".join(catalog_problems("uk", root))
    assert "core.yes: missing" in problems
    assert "core.export_written: placeholder(s) ['path'] missing" in problems
    assert "core.problem.empty_value: placeholder(s) ['oops'] not in the English" in problems
    assert "summary.count.settlements: 3 of 4 plural forms" in problems
    assert "core.no: fuzzy" in problems
    # English must say what its msgid says
    _edit(root / "en" / "LC_MESSAGES" / "core.po", 'msgstr "yes"', 'msgstr "yes!"')
    assert "core.yes: msgstr differs" in "\n".join(catalog_problems("en", root))


def test_editing_a_po_and_running_compile_changes_the_output(tmp_path):
    """The translator's loop of docs/i18n.md: edit a .po, run `socialkit i18n compile`, see it."""
    root = _copy_locale(tmp_path)
    env = {**os.environ, "SOCIALKIT_LOCALE_DIR": str(root),
           "SOCIALKIT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    show = [sys.executable, "-c", "from socialkit.i18n import t, tn; "
            "print(t('core.yes', 'uk'), tn('summary.count.settlements', 5, 'uk'))"]

    def run(args):
        return subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout

    assert run(show).split() == ["так", "5", "населених", "пунктів"]
    _edit(root / "uk" / "LC_MESSAGES" / "core.po", 'msgstr "так"', 'msgstr "авжеж"')
    _edit(root / "uk" / "LC_MESSAGES" / "summary.po", 'msgstr[2] "{n} населених пунктів"',
          'msgstr[2] "{n} поселень"')
    out = run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "compile"])
    assert "uk:" in out
    assert run(show).split() == ["авжеж", "5", "поселень"]
    # a broken placeholder is refused by the command, with the file and key named
    _edit(root / "uk" / "LC_MESSAGES" / "core.po", 'msgstr "Таблиці записано; каталог: {path}"',
          'msgstr "Таблиці записано; каталог: {pth}"')
    bad = subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "compile"],
                         env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "core.export_written" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_templates_are_current(tmp_path):
    """The committed .pot templates are what `socialkit i18n extract` makes of the English."""
    root = tmp_path / "locale"
    shutil.copytree(config.locale_dir(), root)
    fw = tmp_path / "frameworks"
    fw.mkdir()
    for path in config.FRAMEWORKS_DIR.glob("*.yaml"):
        shutil.copy(path, fw / path.name)
    shutil.copytree(config.FRAMEWORKS_DIR / "locale", fw / "locale")
    for pot in extract(root, fw):
        committed = (config.locale_dir() if pot.parent == root
                     else config.FRAMEWORKS_DIR / "locale") / pot.name
        assert pot.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
            f"{committed.name} is stale: run `socialkit i18n extract`")


def test_import_yaml_handles_new_domains_languages_and_frameworks(tmp_path):
    base, root, fw = tmp_path / "i18n", tmp_path / "i18n" / "locale", tmp_path / "frameworks"
    for d in ("en", "ro", "sr", "sr-Latn", "be"):
        (base / d).mkdir(parents=True)
    (base / "en" / "store.yaml").write_text(
        "# the store\ntitle: \"Store of {name}\"\n# a count\nitems:\n"
        "  one: \"{n} item\"\n  other: \"{n} items\"\nleft: \"left\"\n", encoding="utf-8")
    (base / "ro" / "store.yaml").write_text(
        "title: \"Depozitul {name}\"\nitems:\n  one: \"{n} articol\"\n"
        "  few: \"{n} articole\"\n  other: \"{n} de articole\"\nextra: \"x\"\n", encoding="utf-8")
    (base / "sr" / "store.yaml").write_text("title: \"Магацин {name}\"\n", encoding="utf-8")
    (base / "sr-Latn" / "store.yaml").write_text("title: \"Magacin {name}\"\n", encoding="utf-8")
    (base / "be" / "other.yaml").write_text("a: \"б\"\n", encoding="utf-8")
    (fw / "translations" / "ro").mkdir(parents=True)
    (fw / "toy.yaml").write_text("items:\n  - name: {en: \"Home care\", uk: \"Догляд\"}\n"
                                 "  - name: {en: \"Day care\"}\n", encoding="utf-8")
    (fw / "translations" / "ro" / "toy.yaml").write_text(
        "\"Home care\": \"Îngrijire la domiciliu\"\n\"Not there\": \"x\"\n", encoding="utf-8")

    report = import_yaml(base, root, fw)
    text = "\n".join(report.lines())
    assert report.missing["ro"]["store"] == ["store.left"]
    assert report.missing["sr"]["store"] == ["store.items", "store.left"]
    assert report.missing["ro"]["framework:toy"] == ["Day care"]
    assert "store.extra" in text and "sr-Latn" in text and "other" in text and "Not there" in text
    assert not list((base / "en").glob("*.yaml")) and not (base / "ro").exists()
    assert (base / "sr-Latn" / "store.yaml").exists()  # never imported: derived from sr
    assert (base / "be" / "other.yaml").exists()  # no English 'other': kept
    po = (root / "ro" / "LC_MESSAGES" / "store.po").read_text(encoding="utf-8")
    assert 'msgctxt "store.items"' in po and 'msgstr[1] "{n} articole"' in po
    assert "nplurals=3" in po and "#. a count" in po
    assert (root / "store.pot").is_file() and (fw / "locale" / "toy.pot").is_file()
    # idempotent: nothing left to import, nothing rewritten
    again = import_yaml(base, root, fw)
    assert again.written == [] and again.deleted == []
    # what the package reads
    clear_cache()
    plain, plurals = read_messages("ro", root)
    assert plain["store.title"] == "Depozitul {name}"
    assert [plurals["store.items"][c] for c in ("one", "few", "other")] == [
        "{n} articol", "{n} articole", "{n} de articole"]
    assert read_messages("sr-Latn", root)[0]["store.title"] == "Magacin {name}"
    assert read_messages("ro", fw / "locale", ("toy",))[0] == {"Home care": "Îngrijire la domiciliu"}


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ("one", "other")), ("uk", ("one", "few", "many", "other")),
    ("ru", ("one", "few", "many", "other")), ("be", ("one", "few", "many", "other")),
    ("ro", ("one", "few", "other")),
    ("sr-Cyrl", ("one", "few", "other")), ("sr-Latn", ("one", "few", "other")),
])
def test_gettext_forms_follow_cldr(lang, expected):
    from socialkit.i18n.catalogs import CATALOG_LANG

    assert catalog_plural_categories(CATALOG_LANG[lang]) == expected


def test_languages_and_aliases():
    assert SUPPORTED_LANGS == ("en", "uk", "ro", "sr-Cyrl", "sr-Latn", "ru", "be")
    assert config.resolve_lang("sr") == "sr-Cyrl"
    assert t("i18n.cli.updated", "sr", n=2) == "Измењено каталога: 2."
    assert t("i18n.cli.updated", "sr-Latn", n=2) == "Izmenjeno kataloga: 2."
    assert [language_name(x, capital=True) for x in SUPPORTED_LANGS] == [
        "English", "Українська", "Română", "Српски (ћирилица)", "Srpski (latinica)",
        "Русский", "Беларуская"]


def test_numbers_and_dates_per_locale():
    nb = {lang: format_number(1234567.891, lang, 2).replace("\xa0", " ").replace("\u202f", " ")
          for lang in SUPPORTED_LANGS}
    assert nb["ro"] == "1.234.567,89" and nb["sr-Cyrl"] == nb["sr-Latn"] == "1.234.567,89"
    assert nb["ru"] == nb["be"] == "1 234 567,89"
    assert format_percent(0.256, "ro", 1).startswith("25,6")
    day = dt.date(2021, 4, 1)
    assert "aprilie" in format_date(day, "ro")
    assert format_date(day, "sr-Cyrl") == "1. април 2021." and "april" in format_date(day, "sr-Latn")
    assert "апреля" in format_date(day, "ru") and "красавіка" in format_date(day, "be")


def test_plurals_read_correctly_in_every_language():
    assert tn("summary.count.settlements", 22, "uk") == "22 населені пункти"
    assert tn("summary.count.settlements", 25, "uk") == "25 населених пунктів"
    assert tn("summary.count.settlements", 1, "en") == "1 settlement"
    # a fraction is CLDR's "other": the fourth form of uk/ru/be, the genitive singular
    assert tn("summary.unit.score_points", 16.7, "uk", v="16,7") == "16,7 бала"
    assert tn("summary.unit.score_points", 1.5, "ru", v="1,5") == "1,5 балла"
    assert tn("summary.unit.score_points", 2.5, "be", v="2,5") == "2,5 бала"
    assert tn("summary.unit.score_points", 2, "be", v="2") == "2 балы"
    assert tn("summary.unit.score_points", 11, "ru", v="11") == "11 баллов"
    # a visible decimal zero is a fraction too (CLDR operand v): "16,0 бала"
    from decimal import Decimal
    assert tn("summary.unit.score_points", Decimal("16.0"), "uk", v="16,0") == "16,0 бала"


@pytest.mark.parametrize("code", ["uk", "ru", "be"])
def test_east_slavic_catalogs_carry_the_fraction_form(code, tmp_path):
    """Every shipped .po of uk/ru/be has the four-form Plural-Forms of Transifex/Weblate and a
    fourth msgstr per plural message; a catalog the tools create for them gets the same rule,
    and the rule's expression puts whole numbers and fractions where CLDR does."""
    from babel import Locale

    from socialkit.i18n.catalogs import PLURAL_FORMS
    from socialkit.i18n.tools import _new_catalog, _write_po

    for po in sorted((config.locale_dir() / code / "LC_MESSAGES").glob("*.po")):
        text = po.read_text(encoding="utf-8")
        assert "nplurals=4;" in text, po
        assert text.count("msgid_plural") == text.count("msgstr[3]"), po
    cat = _new_catalog(code, "toy", "toy")
    cat.add(("{n} thing", "{n} things"), ("a", "b", "c", "d"), context="toy.n")
    _write_po(tmp_path / "toy.po", cat)
    assert "nplurals=4;" in (tmp_path / "toy.po").read_text(encoding="utf-8")
    # the C expression, evaluated as gettext would (Python's gettext.c2py), agrees with CLDR
    import gettext

    rule = gettext.c2py(PLURAL_FORMS[code][1])
    cldr = Locale.parse(code).plural_form
    order = ("one", "few", "many", "other")
    for n in list(range(0, 230)) + [1011, 1021, 1000001]:
        assert order[rule(n)] == cldr(n), (code, n)


def _column_families() -> dict[str, list[str]]:
    families: dict[str, list[str]] = {}
    for key in read_messages("en")[0]:
        parent = key.rpartition(".")[0]
        if parent.rpartition(".")[2] in ("columns", "col", "cols", "column", "headers"):
            families.setdefault(parent, []).append(key)
    return families


@pytest.mark.parametrize("lang", SUPPORTED_LANGS)
def test_the_columns_of_one_table_keep_distinct_names(lang):
    """Two columns with different English names must not read the same in a translation: a
    table's columns are named by them (ro "Grupul" for both "Group" and "Peers" put the
    passport's figures under the wrong headings)."""
    en, msgs = read_messages("en")[0], read_messages(lang)[0]
    same = []
    for keys in _column_families().values():
        by_text: dict[str, list[str]] = {}
        for key in keys:
            by_text.setdefault(msgs.get(key, en[key]).strip().casefold(), []).append(key)
        same += [ks for ks in by_text.values() if len({en[k].casefold() for k in ks}) > 1]
    assert same == [], f"{lang}: columns of one table translated alike: {same}"


def test_update_makes_no_catalog_for_a_framework_that_carries_the_language(tmp_path):
    """A framework file whose every text is written in a language itself (the strategy code
    book: ``{en: ..., ro: ...}``) gets no empty ``.po`` for it from ``socialkit i18n update``;
    one with a text missing that language does."""
    from socialkit.i18n.tools import update

    root = _copy_locale(tmp_path)
    fw = tmp_path / "frameworks"
    (fw / "locale").mkdir(parents=True)
    (fw / "whole.yaml").write_text("items:\n  - {en: Care, uk: Догляд}\n  - {en: Day, uk: День}\n",
                                   encoding="utf-8")
    (fw / "part.yaml").write_text("items:\n  - {en: Care, uk: Догляд}\n  - {en: Day}\n",
                                  encoding="utf-8")
    update(root, fw, langs=["uk"])
    assert not (fw / "locale" / "uk" / "LC_MESSAGES" / "whole.po").exists()
    assert (fw / "locale" / "uk" / "LC_MESSAGES" / "part.po").is_file()

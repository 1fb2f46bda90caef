"""No hard-coded language rules: a name, a framework text, a problem or a form message in the
reader's language comes from socialkit.i18n (display_name, the catalogs, the scripts), never
from a comparison with one language code (docs/i18n.md, "Local names")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from socialkit import config
from socialkit.errors import Problem
from socialkit.i18n import display_name, display_names, t, to_latin

PKG = Path(__file__).resolve().parents[1] / "socialkit"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

#: ``lang == "uk"``, ``lang != "sr"``, ``lang in ("ru", "be")``: English (the source language of
#: every text) may be compared with; another language is a rule of socialkit.i18n.
_RULE = re.compile(r"""\blang\w*\s*(?:==|!=)\s*["'](?!en["'])[a-z]{2}(?:-\w+)?["']"""
                   r"""|\blang\w*\s+(?:not\s+)?in\s+[(\[{]\s*["'](?!en["'])[a-z]{2}""")


def _rules_in(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines() if _RULE.search(line)]


def _code_of_notebook(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def test_no_module_or_report_notebook_compares_the_language_with_a_code():
    found = {}
    for path in sorted([*PKG.rglob("*.py"), *(PKG.parent / "notebooks").glob("*.ipynb")]):
        rel = path.relative_to(PKG.parent).as_posix()
        if rel.startswith("socialkit/i18n/") or rel == "socialkit/config.py":  # the rules
            continue
        source = (_code_of_notebook(path) if path.suffix == ".ipynb"
                  else path.read_text(encoding="utf-8"))
        rules = _rules_in(source)
        if rules:
            found[rel] = rules
    assert found == {}, "use socialkit.i18n.display_name(s) or the catalogs"


@pytest.mark.parametrize("line, caught", [
    ('name = inst.at[i, "name_local" if lang == "sr" else "name"]', True),
    ('if lang in ("ru", "be") and x:', True),
    ("if lang != 'uk':", True),
    ('if lang == "sr-Latn" and texts:', True),
    ('if lang == "en":', False),
    ('lang = resolve_lang(lang)', False),
])
def test_the_rule_check_catches_what_it_should(line, caught):
    assert bool(_rules_in(line)) is caught


def test_a_belarusian_row_with_a_russian_name_column():
    row = {"name": "Homel District Executive Committee",
           "name_ru": "Гомельский районный исполнительный комитет"}
    assert display_name(row, "ru") == row["name_ru"]
    # Belarusian readers see the Russian name (local_names.yaml: BY names_in ru, shown for be)
    assert display_name(row, "be", country="BY") == row["name_ru"]
    assert display_name(row, "uk", country="BY") == display_name(row, "en") == row["name"]
    assert display_name({**row, "name_be": "Гомельскі райвыканкам"}, "be",
                        country="BY") == "Гомельскі райвыканкам"


def test_a_row_of_unknown_country_reads_in_the_readers_script():
    row = {"institution_id": "csr-subotica", "name": "Centre for Social Work Subotica",
           "name_local": "Центар за социјални рад Суботица"}
    assert display_name(row, "sr-Cyrl") == row["name_local"]
    assert display_name(row, "sr-Latn") == "Centar za socijalni rad Subotica"
    assert display_name(row, "en") == row["name"]
    titles = display_names(__import__("pandas").DataFrame(
        {"title": ["Case management"], "title_local": ["Вођење случаја"]}), "sr-Latn", "title")
    assert list(titles) == ["Vođenje slučaja"]


def test_framework_texts_resolve_aliases_and_scripts():
    from socialkit.frameworks.indicators import Text

    text = Text(en="Staff", uk="Персонал", sr="Особље", ro="Personal")
    assert [text.get(x) for x in ("sr", "sr-Cyrl", "sr-Latn", "uk", "ro", "ru", "en")] == [
        "Особље", "Особље", "Osoblje", "Персонал", "Personal", "Staff", "Staff"]
    assert Text(en="Staff", **{"sr-Cyrl": "Особље"}).get("sr-Latn") == "Osoblje"


def test_a_problem_reads_the_catalogs_and_its_english_text_without_a_message():
    p = Problem(source="settlements.csv", row=3, column="population", value=-1,
                message="file not found", code="file_not_found")
    for lang in config.SUPPORTED_LANGS[1:]:  # English: the (source) text it was raised with
        text = p.render(lang)
        assert text.startswith("settlements.csv" + t("core.problem.at_row", lang, row=3))
        assert t("core.problem.file_not_found", lang) in text
    assert p.render("en") == str(p) and "file not found" in str(p)
    assert p.render("sr-Latn") == to_latin(p.render("sr-Cyrl"))
    # a code without a message in the catalogs: the English text it was raised with, not the key
    odd = Problem(source="x.csv", message="a rare problem", code="no_such_code_anywhere")
    assert odd.render("uk") == "x.csv: a rare problem"


def test_form_messages_in_serbian_latin_are_latin():
    from socialkit.forms.model import pick_text
    from socialkit.forms.validate import Issue

    class _Form:  # the part of a Form that Issue.message reads
        by_name = {"age": type("F", (), {"constraint_messages": {}, "required_messages": {}})}
        default_language = "en"

    msg = Issue(row=0, field="age", code="type_date").message(_Form(), "sr-Latn")
    assert msg == t("forms.error.type_date", "sr-Latn") and not CYRILLIC.search(msg)
    assert pick_text({"en": "Staff", "sr-Cyrl": "Особље"}, "sr-Latn") == "Osoblje"
    assert pick_text({"en": "Staff", "sr": "Особље"}, "sr-Latn") is not None


def test_certificate_title_in_both_serbian_scripts():
    from socialkit.reporting.professionals import certificate_html

    rec = {"role": "participant", "accredited": False, "title": "Case management",
           "title_local": "Вођење случаја", "online": True, "date": "2024-03-01",
           "hours": 8, "points": 15, "rule_set": "rs_2013_42", "given_name": "Ana",
           "surname": "Ilić", "participation_id": "pt1", "session_id": "s1",
           "programme_id": "prog-1"}
    try:
        cyr, lat = certificate_html(rec, "sr-Cyrl"), certificate_html(rec, "sr-Latn")
    except KeyError as exc:  # pragma: no cover - the record's fields are the display's
        pytest.fail(f"certificate record lacks {exc}")
    assert "Вођење случаја" in cyr and "Vođenje slučaja" in lat
    assert "Case management" not in cyr + lat
    assert "Case management" in certificate_html(rec, "en")


def test_contracting_protocol_names_customer_and_ngos_in_the_readers_language():
    from socialkit.contracting.display import protocol_html
    from socialkit.contracting.evaluate import evaluate
    from socialkit.contracting.load import read_contracting

    data = read_contracting(config.PROJECT_ROOT / "catalogs" / "belarus_contracting"
                            / "homel_2025")
    ev = evaluate(data)
    comp = data.competitions.iloc[0]
    customer = data.customers.set_index("customer_id").loc[comp["customer_id"]]
    for lang in ("ru", "be"):  # the demo has Belarusian names too (name_be)
        body = protocol_html(data, ev, comp["competition_id"], lang)[1]
        assert customer[f"name_{lang}"] in body and customer["name"] not in body
        applied = data.applications.loc[
            data.applications["competition_id"] == comp["competition_id"], "ngo_id"] \
            if "competition_id" in data.applications else data.applications["ngo_id"]
        ngos = data.ngos[data.ngos["ngo_id"].isin(applied)]
        assert any(n in body for n in ngos[f"name_{lang}"])
        assert not any(n in body for n in ngos["name"])
    assert customer["name"] in protocol_html(data, ev, comp["competition_id"], "en")[1]


def _lang_options() -> dict[str, str]:
    """``{"report": help, "db status": help, …}``: the help of every ``--lang`` option."""
    import click
    import typer.main

    from socialkit.cli import app

    root = typer.main.get_command(app)
    ctx = click.Context(root)
    found: dict[str, str] = {}

    def walk(cmd, path):
        if hasattr(cmd, "list_commands"):
            for name in cmd.list_commands(ctx):
                walk(cmd.get_command(ctx, name), [*path, name])
            return
        for p in cmd.params:
            if "--lang" in getattr(p, "opts", []):
                found[" ".join(path)] = p.help or ""

    walk(root, [])
    return found


def test_every_lang_option_offers_every_language():
    options = _lang_options()
    assert {"report", "db status", "contracting protocol", "professionals certificates"} <= set(
        options)
    every = ", ".join(config.SUPPORTED_LANGS)
    assert {cmd: text for cmd, text in options.items() if every not in text} == {}


@pytest.mark.parametrize("lang", ["sr", "sr-cyrl", "sr_Latn"])
def test_professionals_accepts_every_language_and_its_aliases(lang):
    from socialkit.cli.professionals import _lang

    assert _lang(lang) == config.resolve_lang(lang)


def test_the_passport_names_belarusian_places_in_belarusian_for_be():
    """The Belarusian demo has names in Belarusian (``name_be``) beside the Russian local ones:
    a passport in ``be`` shows them (it showed the Russian ones: the column was dropped)."""
    from socialkit.i18n import display_name as shown
    from socialkit.passport import build_passport, passport_table

    p = build_passport(config.PROJECT_ROOT / "catalogs" / "belarus.yaml", "BY308")
    first = {lang: passport_table(p, "by_settlement", lang).iloc[:, 0].tolist()
             for lang in ("be", "ru")}
    assert "Стрэшын" in first["be"] and "Стрешин" in first["ru"]
    assert "Стрэшын" in passport_table(p, "without", "be").iloc[:, 0].tolist()
    assert shown(p.municipality, "be") == "Жлобінскі раён"

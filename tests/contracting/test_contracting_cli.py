"""The contracting commands on the committed demo, the demo generator and the messages."""

from __future__ import annotations

import json
import string

import pandas as pd
import pytest
from openpyxl import load_workbook

from socialkit import config
from socialkit.cli import main
from socialkit.contracting.demo import demo_files, generate_demo
from socialkit.i18n import plural_form

DEMO = config.contracting_demo_dir().parent  # catalogs/belarus_contracting


def cli(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_committed_demo_equals_the_generator():
    for key, data in generate_demo().items():
        for name, text in demo_files(data).items():
            assert (DEMO / key / name).read_text(encoding="utf-8") == text, f"{key}/{name}"
    assert sorted(p.name for p in DEMO.iterdir()) == sorted(generate_demo())


def test_every_command_on_the_demo(tmp_path, capsys):
    homel, mah = DEMO / "homel_2025", DEMO / "mahiliou_2025"
    assert cli("contracting", "validate", str(homel)) == 0
    assert "8 competitions, 8 lots" in capsys.readouterr().out
    assert cli("contracting", "evaluate", str(homel), "--out", str(tmp_path / "ev")) == 0
    said = capsys.readouterr().out
    assert "hom-2025-c01-l1: winner hom-2025-a0001 (hom-rc-homel), score 76.0" in said
    assert "incomplete, missing Certificate of no tax arrears" in said
    res = pd.read_csv(tmp_path / "ev" / "results.csv")
    assert res["winner"].sum() == 8
    assert cli("contracting", "sensitivity", str(homel), "--out", str(tmp_path / "se"),
               "--lang", "uk") == 0
    said = capsys.readouterr().out
    assert "1 лот змінює переможця" in said and "hom-2025-c01-l1" in said
    assert cli("contracting", "export-ocds", str(homel), "--out", str(tmp_path / "oc")) == 0
    assert "valid against OCDS 1.1" in capsys.readouterr().out
    pkg = json.loads((tmp_path / "oc" / "release-package.json").read_text(encoding="utf-8"))
    assert pkg["version"] == "1.1" and len(pkg["releases"]) == 40
    assert {r["language"] for r in pkg["releases"]} == {"ru"}  # --language ru by default
    book = load_workbook(tmp_path / "oc" / "ocds-flat.xlsx")
    # for staff: sheet names and column titles in the data's language, OCDS paths below them
    assert book.sheetnames == ["Конкурсы", "Решения", "Договоры", "Выплаты", "Этапы",
                               "Движение средств"]
    pay = book["Выплаты"]
    assert [c.value for c in pay[1]][2:5] == ["Код выплаты", "Дата выплаты", "Выплаченная сумма"]
    assert [c.value for c in pay[2]][2] == "contracts/implementation/transactions/id"
    assert pay.freeze_panes == "A3"
    flows = book["Движение средств"]
    assert [c.value for c in flows[1]][:2] == ["Код организации", "Организация"]
    head = [c.value for c in flows[2]]
    rows = list(flows.iter_rows(min_row=3, values_only=True))
    assert rows[0][1] == "Гомельская районная организация Белорусского Общества Красного Креста"
    paid = pd.read_csv(DEMO / "homel_2025" / "payments.csv")["amount"].sum()
    assert sum(r[head.index("disbursed")] for r in rows) == pytest.approx(paid)
    assert cli("contracting", "monitor", str(mah), "--out", str(tmp_path / "mo"),
               "--lang", "uk") == 0
    said = capsys.readouterr().out
    assert "mah-2025-k02 4 кв. 2025: виплати випереджають надання послуг" in said
    flags = pd.read_csv(tmp_path / "mo" / "flags.csv")
    assert len(flags) == 5


def test_commands_speak_russian_and_belarusian(tmp_path, capsys):
    homel = DEMO / "homel_2025"
    assert cli("contracting", "evaluate", str(homel), "--out", str(tmp_path / "ev"),
               "--lang", "ru") == 0
    said = capsys.readouterr().out
    assert "hom-2025-a0010: заявка неполная, не хватает: Справка об отсутствии задолженности " \
        "по налогам" in said and "tax_certificate" not in said
    assert cli("contracting", "sensitivity", str(homel), "--out", str(tmp_path / "se"),
               "--lang", "be") == 0
    said = capsys.readouterr().out
    assert "вага крытэрыю «Цана (запытаная субсідыя)» з 40,0% да 38,7%" in said
    assert "«price»" not in said


def test_bad_options_are_refused_before_reading(tmp_path, capsys):
    assert cli("contracting", "sensitivity", str(DEMO / "homel_2025"), "--out",
               str(tmp_path / "x"), "--mode", "percent") == 1
    assert "--mode" in capsys.readouterr().err and not (tmp_path / "x").exists()


def test_messages_in_all_six_languages():
    """Every contracting message in every language, with the English placeholders."""
    from socialkit.i18n.catalogs import read_messages

    domain = ("contracting",)
    cats = {lang: read_messages(lang, domains=domain)
            for lang in ("en", "uk", "ro", "sr-Cyrl", "ru", "be")}
    fmt = string.Formatter()

    def fields(v):
        texts = v.values() if isinstance(v, dict) else [v]
        return {f for text in texts for _, f, _, _ in fmt.parse(text) if f}

    en_plain, en_plural = cats["en"]
    assert {"contracting.call.heading", "contracting.documents.tax_certificate"} <= set(en_plain)
    for lang, (plain, plurals) in cats.items():
        assert set(plain) == set(en_plain), (lang, set(en_plain) ^ set(plain))
        for key, value in plain.items():
            assert fields(plurals.get(key, value)) == fields(en_plural.get(key, en_plain[key])), \
                (lang, key)
        for key, forms in plurals.items():  # plural: every CLDR form of the language
            assert {plural_form(n, lang) for n in range(200)} <= set(forms), (lang, key)

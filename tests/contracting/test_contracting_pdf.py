"""The call for proposals, the competition protocol and the contract monitoring report.

Each PDF is rendered once per module (WeasyPrint) and read back with pdfminer; the Russian call
is written by the ``socialkit contracting call`` command itself.
"""

from __future__ import annotations

import io
import re

import pytest
from pdfminer.high_level import extract_text

from socialkit import config
from socialkit.cli import main
from socialkit.contracting import read_contracting
from socialkit.reporting.contracting import call_pdf, monitoring_report_pdf, protocol_pdf

DEMO = config.contracting_demo_dir().parent  # catalogs/belarus_contracting

pytestmark = pytest.mark.slow


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", extract_text(io.BytesIO(pdf)))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    homel = read_contracting(DEMO / "homel_2025")
    mah = read_contracting(DEMO / "mahiliou_2025")
    call = tmp_path_factory.mktemp("call") / "call.pdf"
    with pytest.raises(SystemExit) as done:  # Russian by default
        main(["contracting", "call", str(DEMO / "homel_2025"), "--competition", "hom-2025-c01",
              "--out", str(call)])
    assert done.value.code in (0, None)
    overview = call.with_name("overview.pdf")
    with pytest.raises(SystemExit) as done:
        main(["contracting", "overview", str(DEMO / "mahiliou_2025"), "--out", str(overview),
              "--lang", "ru"])
    assert done.value.code in (0, None)
    return {
        ("overview", "ru"): overview.read_bytes(),
        ("protocol", "en"): protocol_pdf(homel, "hom-2025-c01", "en"),
        ("protocol", "uk"): protocol_pdf(homel, "hom-2025-c01", "uk"),
        ("protocol", "ru"): protocol_pdf(homel, "hom-2025-c01", "ru"),
        ("report", "en"): monitoring_report_pdf(mah, "mah-2025-k02", "en"),
        ("report", "uk"): monitoring_report_pdf(mah, "mah-2025-k02", "uk"),
        ("report", "ru"): monitoring_report_pdf(mah, "mah-2025-k02", "ru"),
        ("call", "ru"): call.read_bytes(),
        ("call", "be"): call_pdf(homel, "hom-2025-c01", "be"),
    }


def _ids(data, competition: str) -> set[str]:
    """Every id and code a document of ``competition`` prints."""
    apps = data.applications[data.applications["competition_id"] == competition]
    crit = data.criteria[data.criteria["competition_id"] == competition]
    decl = data.declarations[data.declarations["competition_id"] == competition]
    lots = data.lots[data.lots["competition_id"] == competition]
    return {competition, *apps["application_id"], *crit["criterion_id"], *decl["evaluator_id"],
            *lots["lot_id"]}


def _split(text: str, ident: str) -> str | None:
    """The first way ``ident`` appears broken over two lines in ``text`` (hyphenated or not)."""
    for k in range(1, len(ident)):
        for broken in (f"{ident[:k]}- {ident[k:]}", f"{ident[:k]} {ident[k:]}",
                       f"{ident[:k]}-{ident[k:]}" if ident[k - 1] != "-" else None):
            if broken and broken in text and ident not in broken.replace(" ", ""):
                return broken
    return None


def _pages(pdf: bytes) -> int:
    from pdfminer.pdfpage import PDFPage

    return sum(1 for _ in PDFPage.get_pages(io.BytesIO(pdf)))


def _words(pdf: bytes) -> str:
    """The text with words hyphenated at a line end joined again, spaces made plain."""
    text = _text(pdf).replace("\xa0", " ").replace("\u202f", " ")
    return re.sub(r"(?<=[а-яёіўa-z])[-\u2010] (?=[а-яёіўa-z])", "", text)


def test_ids_and_codes_are_never_split(pdfs):
    homel = read_contracting(DEMO / "homel_2025")
    ids = _ids(homel, "hom-2025-c01")
    assert {"staff_quality", "registration", "hom-2025-a0001", "hom-2025-c01-l1"} <= ids
    for key in (("protocol", "en"), ("protocol", "ru"), ("protocol", "uk"), ("call", "ru")):
        text = _text(pdfs[key])
        for ident in ids:
            assert _split(text, ident) is None, (key, ident, _split(text, ident))
    for key in (("report", "en"), ("report", "ru")):
        text = _text(pdfs[key])
        for ident in ("mah-2025-k02", "mah-2025-c02-l1"):
            assert ident in text and _split(text, ident) is None, (key, ident)


def test_protocol_fits_three_pages(pdfs):
    # the justifications are one row per application and criterion, the sensitivity one row
    # per criterion: no table runs to a page of its own
    assert [_pages(pdfs[("protocol", lang)]) for lang in ("en", "ru")] == [3, 3]


def test_protocol_text_en(pdfs):
    pdf = pdfs[("protocol", "en")]
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for needle in ("Competition protocol hom-2025-c01", "Homel District Executive Committee",
                   "Published weight, %", "eligibility (pass/", "Evaluators' scores",
                   "hom-2025-e01", "hom-2025-e02", "hom-2025-e03",
                   "договор прошлого года",  # a justification, as entered
                   "Ranking", "76.00", "75.50", "Krippendorff", "ICC(2,1)",
                   "Weight sensitivity (±10%)", "from 40.0% to 38.7%",
                   "the runner-up contests the award", "Page 1 of"):
        assert needle in text, needle
    assert "contracting.pdf" not in text  # no untranslated key


def test_protocol_text_uk(pdfs):
    text = _text(pdfs[("protocol", "uk")])
    for needle in ("Протокол конкурсу hom-2025-c01", "Оцінки членів комісії", "Рейтинг",
                   "76,00", "Чутливість до ваг", "з 40,0% до 38,7%", "Сторінка 1 з"):
        assert needle in text, needle
    assert "contracting.pdf" not in text


def test_monitoring_report_text(pdfs):
    en, uk = _text(pdfs[("report", "en")]), _text(pdfs[("report", "uk")])
    for needle in ("Contract monitoring report mah-2025-k02", "Delivery against plan",
                   "delivery behind plan", "payments ahead of delivery",
                   "client satisfaction dropped", "1,120", "Synthetic demonstration data"):
        assert needle in en, needle
    assert "виплати випереджають надання послуг" in uk and "1 120" in uk.replace("\xa0", " ")
    assert "contracting.pdf" not in en + uk


def test_protocol_command_refuses_an_unknown_competition(tmp_path, capsys):
    out = tmp_path / "p.pdf"
    with pytest.raises(SystemExit) as info:
        main(["contracting", "protocol", str(DEMO / "homel_2025"), "--competition", "nope",
              "--out", str(out)])
    assert info.value.code == 1 and "--competition" in capsys.readouterr().err
    assert not out.exists()


def test_protocol_text_ru(pdfs):
    text = _words(pdfs[("protocol", "ru")])
    for needle in ("Протокол конкурса hom-2025-c01", "Гомельский районный исполнительный комитет",
                   "Требования к участникам", "Критерии оценки",
                   "Цена (запрашиваемая субсидия)", "Квалификация персонала и супервизия",
                   "Гомельская районная организация Белорусского Общества Красного Креста",
                   "Член комиссии 1", "76,00", "75,50", "с 40,0% до 38,7%",
                   "победитель определён", "05.03.2025",
                   "участник, занявший второе место, обжалует решение",
                   "Синтетические демонстрационные данные", "Страница 1 из 3"):
        assert needle in text, needle
    for english in ("the runner-up", "Red Cross", "Price (subsidy", "active",
                    "contracting."):
        assert english not in text, english


def test_reasons_for_not_admitting_in_the_protocol(pdfs):
    homel = read_contracting(DEMO / "homel_2025")
    bad = {"hom-2025-c03": "Справка об отсутствии задолженности по налогам",
           "hom-2025-c04": "зарегистрирована восемь месяцев назад"}
    for comp, needle in bad.items():
        from socialkit.contracting import evaluate
        from socialkit.contracting.display import protocol_html

        _, body = protocol_html(homel, evaluate(homel), comp, "ru")
        assert needle in body, comp
        if comp == "hom-2025-c03":  # the incomplete application's scores are not shown
            admission, scores = body.split("Оценки членов комиссии")
            assert "hom-2025-a0010" in admission and "hom-2025-a0010" not in scores


def test_call_for_proposals_ru_and_be(pdfs):
    ru = _words(pdfs[("call", "ru")])
    for needle in ("Извещение о проведении конкурса hom-2025-c01",
                   "Гомельский районный исполнительный комитет объявляет конкурс",
                   "№ 1219", "10 февраля 2025 г. 17:00", "Лот hom-2025-c01-l1",
                   "Услуги сиделки на дому (медико-социальный уход)",
                   "лежачие совершеннолетние граждане", "54 000,00 BYN",
                   "Нуждаются в услуге: 201 чел.", "Требования к участникам",
                   "Опыт оказания социальных услуг не менее одного года", "Критерии оценки",
                   "Цена (запрашиваемая субсидия)", "Устав организации",
                   "Справка об отсутствии задолженности по налогам", "Подача заявок и оценка",
                   "Страница 1 из 2"):
        assert needle in ru, needle
    for code in ("tax_certificate", "medical_social_home_care", "contracting."):
        assert code not in ru, code
    be = _words(pdfs[("call", "be")])
    for needle in ("Абвестка аб правядзенні конкурсу hom-2025-c01", "Пералік дакументаў",
                   "Статут арганізацыі", "10 лютага 2025", "Патрабаванні да ўдзельнікаў",
                   # the demo's texts in Belarusian (the _be columns), not Russian
                   "Гомельскі раённы выканаўчы камітэт абвяшчае конкурс",
                   "Паслугі сядзелкі на дому: Гомельскі раён, 2025",
                   "Маюць патрэбу ў паслузе: 201 чал.",
                   "Досвед аказання сацыяльных паслуг не менш за адзін год"):
        assert needle in be, needle
    assert "Гомельский" not in be and "Нуждаются" not in be


def test_monitoring_report_ru(pdfs):
    text = _words(pdfs[("report", "ru")])
    for needle in ("Отчёт о мониторинге договора mah-2025-k02",
                   "Бобруйская районная организация", "3 кв. 2025",
                   "выплаты опережают оказание услуг"):
        assert needle in text, needle
    assert "district" not in text and "2025-Q3" not in text


def test_only_the_demo_says_it_is_synthetic(tiny_data):
    from socialkit.contracting import evaluate
    from socialkit.contracting.display import call_html, protocol_html

    assert not tiny_data.synthetic and read_contracting(DEMO / "homel_2025").synthetic
    for _, body in (protocol_html(tiny_data, evaluate(tiny_data), "c1", "en"),
                    call_html(tiny_data, "c1", "en")):
        assert "Synthetic" not in body and "Price" in body


def test_call_command_refuses_an_unknown_competition(tmp_path, capsys):
    out = tmp_path / "c.pdf"
    with pytest.raises(SystemExit) as info:
        main(["contracting", "call", str(DEMO / "homel_2025"), "--competition", "nope",
              "--out", str(out)])
    assert info.value.code == 1 and "--competition" in capsys.readouterr().err
    assert not out.exists()


def test_regional_overview_ru(pdfs):
    text = _words(pdfs[("overview", "ru")])
    for needle in ("Обзор договоров по государственному социальному заказу",
                   "Могилёвская область", "Договоров с отклонениями", "Сумма договоров",
                   "310 180,00 BYN", "Последний отчёт", "4 кв. 2025",
                   "mah-2025-k02", "оказание услуг отстаёт от плана (3 кв. 2025, 4 кв. 2025)",
                   "выплаты опережают оказание услуг (4 кв. 2025)",
                   "Движение средств по организациям",
                   "Местное общественное объединение «Милосердие», г. Могилёв",
                   "184 300,00", "Синтетические демонстрационные данные"):
        assert needle in text, needle
    for english in ("region", "district", "contracting."):
        assert english not in text, english
    for ident in ("mah-2025-k01", "mah-2025-k02", "mah-2025-k08"):
        assert _split(text, ident) is None

"""The competition protocol and the contract monitoring report: their text, in two languages.

Each PDF is rendered once per module (WeasyPrint) and read back with pdfminer.
"""

from __future__ import annotations

import io
import re

import pytest
from conftest import DEMO
from pdfminer.high_level import extract_text

from socialkit.cli import main
from socialkit.contracting import read_contracting
from socialkit.reporting.contracting import monitoring_report_pdf, protocol_pdf

pytestmark = pytest.mark.slow


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", extract_text(io.BytesIO(pdf)))


@pytest.fixture(scope="module")
def pdfs():
    homel = read_contracting(DEMO / "homel_2025")
    mah = read_contracting(DEMO / "mahiliou_2025")
    return {
        ("protocol", "en"): protocol_pdf(homel, "hom-2025-c01", "en"),
        ("protocol", "uk"): protocol_pdf(homel, "hom-2025-c01", "uk"),
        ("report", "en"): monitoring_report_pdf(mah, "mah-2025-k02", "en"),
        ("report", "uk"): monitoring_report_pdf(mah, "mah-2025-k02", "uk"),
    }


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

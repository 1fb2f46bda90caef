"""What users get: the committed demo equals the generator, the certificate and institution
PDFs (rendered once, text checked in English and Serbian Cyrillic), the coverage table's
small-count protection, the reminder workbook, and the CLI."""

from __future__ import annotations

import re
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from socialkit.cli import app
from socialkit.professionals import compliance
from socialkit.professionals.demo import DEMO_AS_OF, demo_files
from socialkit.professionals.display import certificate_records, coverage

from .conftest import DEMO


def test_committed_demo_equals_the_generator():
    files = demo_files()
    assert sorted(files) == sorted(p.name for p in DEMO.iterdir() if not p.name.startswith("."))
    for name, text in files.items():
        assert (DEMO / name).read_text(encoding="utf-8") == text, name


def test_demo_has_ten_vojvodina_centres_and_some_short_of_points(demo):
    assert len(demo.institutions) == 10
    assert {"Novi Sad", "Subotica", "Bačka Palanka", "Sremska Mitrovica"} <= set(
        demo.institutions["municipality"])
    short = compliance(demo, DEMO_AS_OF)
    assert 0 < short["person_id"].nunique() < len(demo.persons) / 2
    assert set(short["status"]) == {"due", "behind"}
    years = demo.sessions["date"].dt.year
    assert set(years[years <= 2025]) == {2023, 2024, 2025}


def _text(pdf: bytes, tmp_path, name: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pdf_texts(tmp_path_factory, demo):
    from socialkit.professionals.display import institution_names
    from socialkit.reporting.professionals import (
        certificate_pdf,
        institution_report_html,
        institution_report_pdf,
    )

    tmp = tmp_path_factory.mktemp("pdf")
    rec = certificate_records(demo, participation_ids=["pt00001"]).iloc[0]
    cov = coverage(demo, DEMO_AS_OF)
    short = compliance(demo, DEMO_AS_OF, institution_id="csr-subotica")
    out = {"record": rec}
    for lang in ("en", "sr-Cyrl", "sr-Latn"):
        names = institution_names(demo.institutions, lang)
        out[f"cert_{lang}"] = _text(certificate_pdf(rec, lang), tmp, f"c_{lang}.pdf")
        args = ("csr-subotica", DEMO_AS_OF, cov, short, names, 120, lang)
        # the English and Latin reports as PDFs; the Cyrillic one's text from its print HTML
        if lang == "sr-Cyrl":
            out[f"report_{lang}"] = institution_report_html(*args)
        else:
            pdf = institution_report_pdf(*args)
            out[f"report_{lang}"] = _text(pdf, tmp, f"r_{lang}.pdf")
            out[f"report_pdf_{lang}"] = tmp / f"r_{lang}.pdf"
    out["short"] = short
    return out


def test_certificate_text(pdf_texts):
    rec, en, sr = pdf_texts["record"], pdf_texts["cert_en"], pdf_texts["cert_sr-Cyrl"]
    lat = pdf_texts["cert_sr-Latn"]
    assert "Certificate of continuing training" in en
    assert f"{rec['given_name']} {rec['surname']}" in en
    assert rec["title"] in en and rec["accreditation_number"] in en
    assert "15 points" in en and "as participant" in en
    assert "Сертификат о континуираној" in sr and "15 бодова" in sr
    assert rec["title_local"] in sr and "учесник" in sr
    # Latin Serbian: the programme's title transliterated from the Cyrillic one
    assert rec["title_local"] == "Вођење случаја у центру за социјални рад"
    assert "Vođenje slučaja u centru za socijalni rad" in lat
    assert "Sertifikat o kontinuiranoj edukaciji" in lat and "15 bodova" in lat
    assert rec["title"] not in sr and rec["title"] not in lat


def test_institution_report_text(pdf_texts):
    en, sr, short = pdf_texts["report_en"], pdf_texts["report_sr-Cyrl"], pdf_texts["short"]
    lat = pdf_texts["report_sr-Latn"]
    assert "Continuing training: coverage and compliance" in en
    assert "Centre for Social Work Subotica" in en and "Who must act" in en
    for surname in short["surname"]:
        assert surname in en and surname in lat
    assert "Ко треба да реагује" in sr and "Центар за социјални рад Суботица" in sr
    assert "Ko treba da reaguje" in lat and "Centar za socijalni rad Subotica" in lat
    # the tables fit the page: no word reaches into the right margin (18 mm = 51 pt)
    for lang in ("en", "sr-Latn"):
        bbox = subprocess.run(["pdftotext", "-bbox", str(pdf_texts[f"report_pdf_{lang}"]), "-"],
                              check=True, capture_output=True, text=True).stdout
        width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
        right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox))
        assert right <= width - 45, (lang, right, width)


def test_coverage_hides_the_median_of_a_small_group(tiny):
    cov = coverage(tiny, "2025-06-15").set_index("institution_id")
    # two professionals in each centre: neither their number nor their median points show
    assert cov.loc[["csr-ns", "csr-su"], "staff"].isna().all()
    assert cov.loc[["csr-ns", "csr-su"], "median_points"].isna().all()


def test_coverage_hides_small_counts_and_their_complements(demo):
    cov = coverage(demo, DEMO_AS_OF).set_index("institution_id")
    for inst, row in cov.iterrows():
        for col in ("staff", "trained", "short"):
            v = row[col]
            assert pd.isna(v) or v == 0 or v >= 5, (inst, col, v)
        if pd.notna(row["trained"]):
            assert row["staff"] - row["trained"] == 0 or row["staff"] - row["trained"] >= 5
        else:
            assert pd.isna(row["trained_share"])
    assert cov.loc["*", "staff"] == len(demo.persons)
    # a column with a blank cell has a blank total (the total less the rest would give it)
    cells = cov.drop(index="*")
    assert cells["short"].isna().any()
    for col in ("staff", "trained", "short"):
        if cells[col].isna().any():
            assert pd.isna(cov.loc["*", col]), col


runner = CliRunner()


def test_cli_bad_input_exits_1_with_file_row_column(tmp_path):
    for f in DEMO.iterdir():
        if f.suffix == ".csv":
            shutil.copy(f, tmp_path / f.name)
    parts = pd.read_csv(tmp_path / "participations.csv", dtype=str)
    parts.loc[3, "role"] = "keynote"
    parts.to_csv(tmp_path / "participations.csv", index=False)
    out = runner.invoke(app, ["professionals", "validate", str(tmp_path)])
    assert out.exit_code == 1
    msg = str(out.exception)
    assert "participations.csv, row 5, column 'role'" in msg and "keynote" in msg


def test_cli_reminders_workbook_is_formula_safe_and_scoped(tmp_path, demo):
    for f in DEMO.iterdir():
        if f.is_file() and not f.name.startswith("."):
            shutil.copy(f, tmp_path / f.name)
    persons = pd.read_csv(tmp_path / "persons.csv", dtype=str)
    short = compliance(demo, DEMO_AS_OF, institution_id="csr-subotica")
    victim = short["person_id"].iloc[0]
    persons.loc[persons["person_id"] == victim, "surname"] = '=HYPERLINK("http://x","y")'
    persons.to_csv(tmp_path / "persons.csv", index=False)
    out = tmp_path / "out" / "reminders.xlsx"
    res = runner.invoke(app, ["professionals", "reminders", str(tmp_path), "--institution",
                              "csr-subotica", "--out", str(out), "--as-of", DEMO_AS_OF,
                              "--lang", "sr"])
    assert res.exit_code == 0, res.output
    ws = load_workbook(out).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    assert '=HYPERLINK("http://x","y")' in [c.value for c in cells]
    header = [c.value for c in ws[5]]
    assert "ЈМБГ" not in header and "Презиме" in header  # no personal number for the head
    assert ws.max_row - 5 == len(short)
    log = pd.read_csv(tmp_path / "out" / "read_log.csv")
    assert set(log["person_id"]) == set(short["person_id"])
    assert set(log["role"]) == {"institution_head"} and set(log["purpose"]) == {"reminders"}


def test_cli_item_analysis(tmp_path):
    res = runner.invoke(app, ["professionals", "item-analysis", "--key",
                              str(DEMO / "test_key.yaml"), "--responses",
                              str(DEMO / "moodle_responses.csv"), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    items = pd.read_csv(tmp_path / "items.csv")
    assert len(items) == 10 and items["difficulty"].between(0, 1).all()
    scores = pd.read_csv(tmp_path / "scores.csv")
    assert list(scores.columns) == ["candidate", "total", "share", "passed"]  # no names
    assert (tmp_path / "distractors.csv").is_file()

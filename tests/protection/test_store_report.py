"""The store report: hand-checked tables on constructed records, and the PDFs of the synthetic
Vojvodina store (read through the intake catalog) in English and both Serbian scripts —
pages checked by machine (socialkit.reporting.layout), no count of 1-4 people printed."""

from __future__ import annotations

import re
import shutil
import subprocess

import pandas as pd
import pytest

from socialkit.protection.overview import StoreData, overview

INST = pd.DataFrame({
    "institution_id": ["p", "d", "csw-a", "csw-b", "res-a"],
    "kind": ["province", "district", "csw", "csw", "residential"],
    "name": ["Завод", "Округ", "Центар за социјални рад А", "Центар за социјални рад Б",
             "Дом А"],
    "municipality_id": [None, None, "A", "B", "A"], "parent_id": [None, "p", "d", "d", "d"]})


def _csw(inst, mun, period, managers, active, positions=20, vacancies=2):
    return {"record_id": 1, "institution_id": inst, "municipality_id": mun, "period": period,
            "staff_total": 18, "case_managers": managers, "active_cases": active,
            "positions_approved": positions, "vacancies": vacancies}


@pytest.fixture
def data():
    csw = pd.DataFrame([_csw("csw-a", "A", "2026Q1", 10, 500),
                        _csw("csw-b", "B", "2026Q1", 3, 120),
                        _csw("csw-a", "A", "2026Q2", 10, 400)])     # B's Q2 still in review
    res = pd.DataFrame([{"institution_id": "res-a", "municipality_id": "A", "period": "2025",
                         "institution_kind": "older", "capacity": 100, "occupancy": 96,
                         "admissions": 20, "discharges_family": 2, "discharges_foster": 0,
                         "discharges_community": 1, "discharges_institution": 0,
                         "deaths": 12}])
    empty = pd.DataFrame(columns=["institution_id", "municipality_id", "period"])
    return StoreData(INST, empty, csw, res, None)


def test_workload_against_the_benchmark_hand_checked(data):
    prov = overview(data)
    # the latest quarter is the one with at least half the records of the fullest: Q1 (2 of
    # 2) and Q2 (1 of 2) both qualify, so Q2
    assert prov.periods["csw"] == "2026Q2"
    trend = prov.csw_trend.set_index("period")
    # Q1: 500 + 120 cases, 10 + 3 managers = 47.7 per manager; 13 is published
    assert trend.loc["2026Q1", "active_cases"] == 620
    assert trend.loc["2026Q1", "cases_per_manager"] == pytest.approx(620 / 13)
    assert trend.loc["2026Q1", "centres"] == 2 and trend.loc["2026Q2", "centres"] == 1
    assert trend.loc["2026Q1", "vacancy_rate"] == pytest.approx(4 / 40)
    b = overview(data, "B")
    row = b.csw.iloc[0]
    # 3 case managers is a count of 1-4 people: blanked, and the ratio that gives it back
    assert pd.isna(row["case_managers"]) and pd.isna(row["cases_per_manager"])
    assert row["active_cases"] == 120
    a = overview(data, "A").csw.iloc[0]
    assert a["cases_per_manager"] == 40 and not a["over_benchmark"]       # 400 / 10 <= 45
    assert overview(data, "A").csw_trend.set_index("period").loc[
        "2026Q1", "cases_per_manager"] == 50                               # 500 / 10


def test_residential_occupancy_and_flows_hand_checked(data):
    r = overview(data, "A").residential.iloc[0]
    assert r["occupancy_rate"] == pytest.approx(0.96) and r["near_capacity"]
    assert pd.isna(r["discharges"])           # 2 + 0 + 1 + 0 = 3 people: suppressed
    assert r["deaths"] == 12 and r["admissions"] == 20


def test_a_municipality_without_a_centre_is_named(data):
    from socialkit.errors import SocialkitError

    with pytest.raises(SocialkitError, match="municipality 'X'.*expected one of A, B"):
        overview(data, "X")


# ------------------------------------------------------------------ the demo store's PDFs
@pytest.fixture(scope="module")
def demo_catalog(tmp_path_factory):
    from socialkit.data.catalog import write_catalog
    from socialkit.store import close_stores
    from socialkit.store.catalog import store_catalog
    from socialkit.store.demo import build_demo_store

    folder = tmp_path_factory.mktemp("store_demo")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    info = build_demo_store(url, municipalities=8)
    close_stores()
    spec = store_catalog("sqlite", restricted=True)
    spec["user_parameters"]["db_url"]["default"] = url
    assert set(info.states) == {"accepted", "approved", "submitted", "draft", "returned"}
    return write_catalog(folder / "store.yaml", spec)


def test_the_demo_store_reads_through_the_catalog(demo_catalog):
    from socialkit.protection.overview import read_store, store_units

    data = read_store(demo_catalog)
    assert store_units(data) == ["RS0101", "RS0102", "RS0103", "RS0201", "RS0202", "RS0203",
                                 "RS0204", "RS0205"]
    assert data.dv is not None and len(data.dv) and len(data.csw) and len(data.providers)
    prov = overview(data)
    counts = prov.dv.victims["victims"].dropna()
    assert not counts.between(1, 4).any()
    for t in (prov.dv.forms, prov.dv.measures):
        assert not t["count"].dropna().between(1, 4).any()
    for frame, cols in ((prov.csw, ["staff", "case_managers", "active_cases"]),
                        (prov.providers, ["users", "waiting_list"]),
                        (prov.residential, ["occupancy", "admissions", "discharges", "deaths"])):
        assert not frame[cols].stack().between(1, 4).any()


@pytest.fixture(scope="module")
def pdfs(demo_catalog, tmp_path_factory):
    from socialkit.cli import main

    out = tmp_path_factory.mktemp("store_pdfs")
    for lang in ("en", "sr-Cyrl", "sr-Latn"):
        try:
            main(["entry", "report", "--catalog", str(demo_catalog), "--out", str(out),
                  "--municipality", "RS0101", "--lang", lang])
        except SystemExit as exc:
            assert not exc.code
    return out


def _text(path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.parametrize("lang", ["en", "sr-Cyrl", "sr-Latn"])
@pytest.mark.parametrize("unit", ["RS0101", "province"])
def test_store_report_pages_are_clean_and_in_the_language(pdfs, lang, unit):
    from socialkit.reporting.layout import check_layout, format_problems

    pdf = pdfs / f"{unit}_{lang}.pdf"
    problems = check_layout(pdf, front_pages=0)
    assert problems == [], format_problems(problems)
    text = _text(pdf)
    cyrillic = re.findall(r"[А-Яа-яЂђЈјЉљЊњЋћЏџ]", text)
    if lang == "sr-Cyrl":
        assert "Социјална заштита" in text and "Насиље у породици" in text
        assert not re.search(r"\b(Victims|Social protection|Staff)\b", text)
    elif lang == "sr-Latn":
        assert "Socijalna zaštita" in text and not cyrillic
    else:
        assert "Social protection" in text and "Domestic violence" in text and not cyrillic
    # no count of 1-4 people printed in a table cell: every number of a DV row is 0, >= 5 or
    # the suppression mark
    for line in text.splitlines():
        if re.match(r"\s*(Victims|Жртве|Žrtve)", line) and not re.search(r"Q\d|кв\.|kv\.",
                                                                           line):
            cells = line.split()[-4:]       # the four quarters' cells
            nums = [int(re.sub(r"\D", "", c)) for c in cells if re.fullmatch(r"[\d.,]+", c)]
            assert not [n for n in nums if 1 <= n <= 4], line


def test_the_report_refuses_an_unknown_language(demo_catalog, tmp_path, cli):
    code, out, err = cli("entry", "report", "--catalog", str(demo_catalog), "--out",
                         str(tmp_path), "--lang", "xx").streams()
    assert code == 1 and "sr-Latn" in err and not list(tmp_path.glob("*.pdf"))


def test_the_analyst_notebook_runs_on_the_demo_store(demo_catalog, tmp_path):
    import papermill

    from socialkit import config

    src = config.notebooks_dir() / "vojvodina_store.ipynb"
    out = tmp_path / "run.ipynb"
    papermill.execute_notebook(str(src), str(out), parameters={
        "catalog": str(demo_catalog), "municipality_id": "RS0101", "lang": "sr-Latn"},
        kernel_name="python3", progress_bar=False)
    text = out.read_text(encoding="utf-8")
    assert "k-anonimnost" in text and "Socijalna zaštita" in text

"""Attacks on every published output of the planted demo: no small count comes back.

Each test reads what the commands write (CSV, the workbook's progress sheet, the tables the
M&E report prints), learns every count it can (printed, or ``rate × base / per`` rounded),
adds every published sum (settlements → municipality, municipalities → oblast and peer
group, female + male → total, municipalities → district / oblast / programme, this year −
last year → change) and solves the system (:mod:`attack`). It fails if a count of 1–4 is
printed or implied, or if a suppressed small count is determined by the system.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from attack import Reader
from typer.testing import CliRunner

import socialkit.cli.monitoring
import socialkit.cli.needs
import socialkit.cli.passport  # noqa: F401
from socialkit.cli import app

runner = CliRunner()
SMALL = (1, 5)  # counts 1..4


def _small(v) -> bool:
    return v is not None and v == v and SMALL[0] <= round(float(v)) < SMALL[1]


def _cli(*args: str) -> None:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output


# -- the passport family: passports of every municipality, vulnerability and needs CSVs ------
@pytest.fixture(scope="module")
def passport_outputs(planted_catalog, planted_tables, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("published")
    cat = str(planted_catalog)
    for mid in planted_tables["municipalities"]["municipality_id"]:
        _cli("passport", "--catalog", cat, "--municipality", mid, "--out",
             str(out / "passport" / mid))
    _cli("vulnerability", "--catalog", cat, "--runs", "0", "--out", str(out / "vul"))
    for level in ("settlement", "municipality"):
        _cli("needs", "--catalog", cat, "--level", level, "--k", "3", "--out",
             str(out / f"needs_{level}"))
    return out


def _truth(tables):
    from socialkit.passport import read_passport_spec, settlement_rates, size_class

    spec = read_passport_spec()
    r = settlement_rates(tables["settlements"], tables["passport_values"], spec)
    st = tables["settlements"].set_index("settlement_id")
    r["population"] = pd.to_numeric(st["population"]).reindex(r["settlement_id"]).to_numpy()
    mun = tables["municipalities"]
    cls = size_class(mun["population"], spec.size_classes)
    r["region"] = r["municipality_id"].map(dict(zip(mun["municipality_id"], mun["region"],
                                                    strict=True)))
    r["size_class"] = r["municipality_id"].map(dict(zip(mun["municipality_id"], cls,
                                                        strict=True)))
    r["has_count"] = r["count"].notna()
    r["both"] = r["has_count"] & (r["base"].fillna(0) > 0)
    r["both_pop"] = r["has_count"] & (r["population"].fillna(0) > 0)
    return spec, r


def test_no_small_count_recovered_from_passports_vulnerability_and_needs(
        passport_outputs, planted_tables):
    spec, r = _truth(planted_tables)
    per = spec.per
    reader = Reader()
    truth: dict = {}
    # the published sums, and the bases a reader can compute from the census
    bases: dict = {}
    for (y, g), part in r.groupby(["year", "indicator_id"]):
        for _, s in part.iterrows():
            if s["has_count"]:
                truth[("s", s["settlement_id"], y, g)] = float(s["count"])
        for key, col, members in (("C", "municipality_id", "has_count"),
                                  ("N", "municipality_id", "both"),
                                  ("Np", "municipality_id", "both_pop"),
                                  ("R", "region", "both"), ("P", "size_class", "both")):
            sub = part[part[members]]
            for unit, grp in sub.groupby(col):
                cell = (key, unit, y, g)
                truth[cell] = float(grp["count"].sum())
                bases[cell] = float((grp["population"] if key == "Np" else grp["base"]).sum())
                if key in ("C", "N", "Np"):
                    reader.add_sum([("s", s, y, g) for s in grp["settlement_id"]], cell)
                else:
                    mids = grp["municipality_id"].unique()
                    reader.add_sum([("N", m, y, g) for m in mids], cell)
    base_s = r.set_index(["settlement_id", "year", "indicator_id"])
    out = passport_outputs

    def learn_rate(cell, rate, base):
        if rate == rate and base == base and base:
            reader.learn(cell, round(float(rate) * float(base) / per))

    # passports
    for d in sorted((out / "passport").iterdir()):
        mid = d.name
        prof = pd.read_csv(d / "profile.csv")
        years = sorted(r.loc[r["municipality_id"] == mid, "year"].unique())
        y, prev = years[-1], (years[-2] if len(years) > 1 else None)
        region = r.loc[r["municipality_id"] == mid, "region"].iloc[0]
        cls = r.loc[r["municipality_id"] == mid, "size_class"].iloc[0]
        for _, p in prof.iterrows():
            g = p["indicator_id"]
            reader.learn(("C", mid, y, g), p["count"])
            n_base = bases.get(("N", mid, y, g), np.nan)
            learn_rate(("N", mid, y, g), p["rate"], n_base)
            if prev is not None:
                reader.learn(("C", mid, prev, g), p["count_prev"])
                learn_rate(("N", mid, prev, g), p["rate_prev"],
                           bases.get(("N", mid, prev, g), np.nan))
                if p["change"] == p["change"]:
                    reader.add_sum([("C", mid, y, g)], ("C", mid, prev, g), p["change"])
            learn_rate(("R", region, y, g), p["region_rate"], bases.get(("R", region, y, g)))
            learn_rate(("P", cls, y, g), p["peer_rate"], bases.get(("P", cls, y, g)))
        cells = pd.read_csv(d / "by_settlement.csv", dtype={"settlement_id": str})
        for _, c in cells.iterrows():
            key = ("s", c["settlement_id"], y, c["indicator_id"])
            reader.learn(key, c["count"])
            learn_rate(key, c["rate"], c["base"])
    # vulnerability and needs CSVs (latest year)
    y = int(r["year"].max())
    groups = set(spec.group_ids)
    si = pd.read_csv(out / "vul" / "settlement_indicators.csv", dtype={"uCode": str})
    mi = pd.read_csv(out / "vul" / "municipality_indicators.csv", dtype={"uCode": str})
    nf = pd.read_csv(out / "needs_settlement" / "features.csv", dtype={"settlement_id": str})
    nm = pd.read_csv(out / "needs_municipality" / "features.csv",
                     dtype={"municipality_id": str})
    for g in groups:
        for sid, rate in zip(si["uCode"], si[g], strict=True):
            if (sid, y, g) in base_s.index:
                learn_rate(("s", sid, y, g), rate, base_s.loc[(sid, y, g), "base"])
        for mid, rate in zip(mi["uCode"], mi[g], strict=True):
            learn_rate(("N", mid, y, g), rate, bases.get(("N", mid, y, g), np.nan))
        for sid, rate in zip(nf["settlement_id"], nf[g], strict=True):
            if (sid, y, g) in base_s.index:
                learn_rate(("s", sid, y, g), rate, base_s.loc[(sid, y, g), "population"])
        for mid, rate in zip(nm["municipality_id"], nm[g], strict=True):
            learn_rate(("Np", mid, y, g), rate, bases.get(("Np", mid, y, g), np.nan))

    printed_small = {c: v for c, v in reader.known.items() if _small(v)}
    assert printed_small == {}, f"counts of 1-4 printed or implied by a rate: {printed_small}"
    small = [c for c, v in truth.items() if _small(v)]
    assert len(small) >= 4  # the planted cells are there to be found
    got = reader.determined(small)
    recovered = {c: v for c, v in got.items() if abs(v - truth[c]) < 0.5}
    assert recovered == {}, f"suppressed counts recovered from published sums: {recovered}"
    assert len(reader.known) > 1000  # the outputs were read: most counts are published
    for d in (out / "passport").iterdir():
        meta = json.loads((d / "disclosure.json").read_text())
        assert meta["suppression"] and meta["threshold"] == 5


# -- monitoring: progress CSV of every level and the workbook's progress sheet ---------------
@pytest.fixture(scope="module")
def monitoring_outputs(planted_catalog, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("monitoring")
    for level in ("municipality", "district", "region", "programme"):
        _cli("monitoring", "progress", "--catalog", str(planted_catalog), "--level", level,
             "--out", str(out / f"{level}.csv"))
    _cli("monitoring", "export", "--catalog", str(planted_catalog), "--out",
         str(out / "book.xlsx"))
    return out


def test_no_small_count_recovered_from_progress_csv_and_workbook(monitoring_outputs,
                                                                  planted_tables):
    from socialkit.monitoring import compute_progress, load_framework

    fw = load_framework()
    info = {i.id: i for i in fw.indicators}
    t = planted_tables
    key = ["indicator_id", "level", "unit_id", "period", "sex", "age_group"]
    truth_frames = [compute_progress(t["indicator_values"], t["indicator_targets"], fw,
                                     level=lv, municipalities=t["municipalities"])
                    for lv in ("municipality", "district", "region", "programme")]
    truth = pd.concat(truth_frames, ignore_index=True)
    reader = Reader()

    def cell(row) -> tuple:
        return ("num", *(str(row[k]) for k in key))

    # published sums: female + male = total; municipalities -> district, oblast, programme
    tkey = truth.set_index(key)
    for (ind, lv, unit, period, age), grp in truth.groupby(
            ["indicator_id", "level", "unit_id", "period", "age_group"]):
        sexes = set(grp["sex"])
        if {"female", "male", "total"} <= sexes:
            reader.add_sum([("num", ind, lv, unit, period, s, age) for s in ("female", "male")],
                           ("num", ind, lv, unit, period, "total", age))
    mun = t["municipalities"].astype({"municipality_id": str})
    m = truth[truth["level"] == "municipality"]
    m = m[m["actual"].notna() & m["target"].notna() & m["baseline"].notna()]
    for lv, col in (("district", "district"), ("region", "region"), ("programme", None)):
        unit_of = (dict.fromkeys(mun["municipality_id"], "programme") if col is None
                   else dict(zip(mun["municipality_id"], mun[col].astype(str), strict=True)))
        for (ind, unit, period, sex, age), grp in m.assign(
                parent=m["unit_id"].astype(str).map(unit_of)).groupby(
                ["indicator_id", "parent", "period", "sex", "age_group"]):
            if (ind, lv, unit, period, sex, age) in tkey.index:
                reader.add_sum([cell(r) for _, r in grp.iterrows()],
                               ("num", ind, lv, unit, period, sex, age))
    den = {}
    for lv in ("municipality", "district", "region", "programme"):
        pub = pd.read_csv(monitoring_outputs / f"{lv}.csv", dtype={"unit_id": str,
                                                                   "period": str})
        for _, p in pub.iterrows():
            c = cell(p)
            ind = info[p["indicator_id"]]
            for col in ("numerator", "denominator"):
                assert not _small(p[col]), f"{lv}.csv {col} {p[col]} in {c}"
            reader.learn(c, p["numerator"])
            den[c] = p["denominator"]
            actual = p["actual"]
            if actual != actual and p["progress"] == p["progress"]:
                actual = p["baseline"] + p["progress"] * (p["target"] - p["baseline"])
            if ind.denominator is None:
                assert not _small(p["actual"]), f"{lv}.csv actual {p['actual']} in {c}"
                reader.learn(c, None if actual != actual else round(actual / ind.factor))
            elif actual == actual and p["denominator"] == p["denominator"]:
                reader.learn(c, round(actual * p["denominator"] / ind.factor))
    sheet = pd.read_excel(monitoring_outputs / "book.xlsx", sheet_name="progress",
                          dtype={"unit_id": str, "period": str})
    for _, p in sheet.iterrows():
        c = ("num", p["indicator_id"], "municipality", p["unit_id"], p["period"], p["sex"],
             p["age_group"])
        ind = info[p["indicator_id"]]
        actual = p["actual"]
        if actual != actual and p["progress"] == p["progress"]:
            actual = p["baseline"] + p["progress"] * (p["target"] - p["baseline"])
        if ind.denominator is None:
            assert not _small(p["actual"]), f"workbook actual {p['actual']} in {c}"
            reader.learn(c, None if actual != actual else round(actual / ind.factor))
        elif actual == actual and den.get(c) == den.get(c) and den.get(c) is not None:
            reader.learn(c, round(actual * den[c] / ind.factor))

    values = {cell(r): r["numerator"] for _, r in truth.iterrows() if r["numerator"] == r[
        "numerator"]}
    small = [c for c, v in values.items() if _small(v)]
    assert len(small) >= 2  # the planted waiting list of 2 among them
    printed = {c: v for c, v in reader.known.items() if _small(v)}
    assert printed == {}, f"numerators of 1-4 printed or implied: {printed}"
    got = reader.determined(small)
    recovered = {c: v for c, v in got.items() if abs(v - values[c]) < 0.5}
    assert recovered == {}, f"suppressed numerators recovered: {recovered}"


# -- the data-quality tables of the M&E report (what the PDF prints) -------------------------
@pytest.mark.parametrize("lang", ["en", "uk"])
def test_quality_tables_print_no_small_count(planted_tables, lang):
    from socialkit.i18n import t
    from socialkit.monitoring import report as mr

    mid = planted_tables["municipalities"]["municipality_id"].iloc[0]
    rep = mr.municipality_report(planted_tables, mid, lang)
    mark = t("disclosure.suppressed", lang)
    out = mr.localise_outliers(rep.outliers, lang)
    planted = rep.outliers["indicator_id"] == "complaints_received"
    assert planted.any()  # 40 after quarters of 2
    shown = out.loc[planted.to_numpy()].iloc[0]
    assert shown.iloc[4] == "40" and shown.iloc[5] == mark, shown  # value, median
    br = mr.localise_breaches(rep.breaches, lang)
    v = planted_tables["indicator_values"]
    when = v.loc[(v["municipality_id"] == mid) & (v["indicator_id"] == "clients_served")
                 & (v["sex"] == "female") & (v["age_group"] == "0-17") & (v["value"] == 3),
                 "period"]
    planted = (rep.breaches["rule_id"] == "served_le_registered") & (
        rep.breaches["sex"] == "female") & (rep.breaches["age_group"] == "0-17") & (
        rep.breaches["period"].isin(set(when)))
    assert planted.sum() == 1  # served 3 > registered 2
    row = br.loc[planted.to_numpy()].iloc[0]
    assert row.iloc[4] == mark and row.iloc[5] == mark, row
    text = " ".join(out.astype(str).to_numpy().ravel().tolist()
                    + br.astype(str).to_numpy().ravel().tolist())
    value_cells = pd.concat([out.iloc[:, 4], out.iloc[:, 5], br.iloc[:, 4],
                             br.iloc[:, 5]]).astype(str)
    assert not value_cells.isin(["1", "2", "3", "4"]).any(), text
    # the progress table and trends of the same report
    assert not rep.latest.loc[rep.latest["indicator_id"] == "waiting_list", "actual"].map(
        _small).any()
    assert not rep.trends.loc[rep.trends["indicator_id"] == "waiting_list", "last"].map(
        _small).any()


# -- the threshold: raised, never lowered; off only with a logged flag -----------------------
def test_threshold_cannot_be_lowered_or_switched_off_silently(planted_catalog, tmp_path,
                                                              monkeypatch):
    from socialkit.cli import main

    def run(*args):
        try:
            main(list(args))
        except SystemExit as exc:
            return int(exc.code)
        return 0

    cat = str(planted_catalog)
    for bad in ("0", "3"):
        assert run("passport", "--catalog", cat, "--threshold", bad, "--out",
                   str(tmp_path / bad)) == 1
        assert not (tmp_path / bad).exists()
    r = runner.invoke(app, ["passport", "--catalog", cat, "--no-suppression", "--out",
                            str(tmp_path / "off")])
    assert r.exit_code == 0, r.output
    assert "suppression is OFF" in r.stderr
    meta = json.loads((tmp_path / "off" / "disclosure.json").read_text())
    assert meta == meta | {"suppression": False, "threshold": 0}
    monkeypatch.setenv("SOCIALKIT_SUPPRESS_BELOW", "3")
    assert run("passport", "--catalog", cat, "--out", str(tmp_path / "env")) == 1
    assert not (tmp_path / "env").exists()
    monkeypatch.setenv("SOCIALKIT_SUPPRESS_BELOW", "10")
    _cli("passport", "--catalog", cat, "--out", str(tmp_path / "ten"))
    counts = pd.read_csv(tmp_path / "ten" / "by_settlement.csv")["count"].dropna()
    assert not ((counts >= 1) & (counts < 10)).any()

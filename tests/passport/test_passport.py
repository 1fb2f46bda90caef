"""Social passport: rates, changes, comparisons and suppression, hand-checked on tiny data."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from socialkit.errors import DataValidationError, FrameworkError, SocialkitError
from socialkit.passport import (
    build_passport,
    headline,
    passport_table,
    read_passport_spec,
    size_class,
)


def _row(p, group):
    return p.profile.set_index("indicator_id").loc[group]


def test_rates_changes_and_comparisons_hand_checked(tiny):
    p = build_passport(tiny, "M1")
    assert (p.year, p.previous_year) == (2021, 2020)
    e = _row(p, "elderly_alone")
    assert e["denominator"] == "pop_60_plus"
    # s3 has no population: its 7 count in the total, not in the rate
    assert e["count"] == 40 and e["count_prev"] == 25 and e["change"] == 15
    assert e["base"] == 450
    assert e["rate"] == pytest.approx(33 / 450 * 1000)
    assert e["rate_prev"] == pytest.approx(25 / 450 * 1000)
    assert e["rate_change"] == pytest.approx(8 / 450 * 1000)
    assert e["settlements_no_base"] == 1
    # oblast Donetsk: M1, M2, M3 pooled; peers (10-20k): M1, M2, M4 pooled
    assert e["region_rate"] == pytest.approx((33 + 70 + 17) / (450 + 700 + 850) * 1000)
    assert e["peer_rate"] == pytest.approx((33 + 70 + 100) / (450 + 700 + 1000) * 1000)
    assert p.summary["peers"] == 3 and p.summary["region_municipalities"] == 3


def test_small_counts_suppressed_with_their_rates_and_changes(tiny):
    p = build_passport(tiny, "M1")
    idp = _row(p, "idp")
    assert idp["count_suppressed"] and pd.isna(idp["count"])          # 2 + 1 = 3
    assert pd.isna(idp["rate"]) and pd.isna(idp["change"]) and pd.isna(idp["rate_change"])
    assert idp["count_prev"] == 0 and not idp["count_prev_suppressed"]  # zeros are published
    assert idp["region_rate"] == pytest.approx((3 + 40 + 60) / (1500 + 2000 + 3000) * 1000)
    shown = passport_table(p, "profile", "en").set_index("Group")
    assert shown.loc["Internally displaced persons", "Count"] == "suppr."
    assert shown.loc["Internally displaced persons", "Rate"] == "suppr."
    assert shown.loc["Older persons living alone", "Count"] == "40"


def test_settlement_counts_secondary_suppression(tiny):
    p = build_passport(tiny, "M1")
    s = p.by_settlement.set_index(["indicator_id", "settlement_id"])
    # s2 = 3 is primary. s1 = 30 is hidden too: the municipal rate 33 / 450 with its base
    # gives the numerator over the settlements with a base, 33 = s1 + s2, so s1 would give
    # s2 back. s3 = 7 (no base) may stay: 40 - 33 gives only what is published
    assert s.loc[("elderly_alone", "s2"), "suppression"] == "primary"
    assert s.loc[("elderly_alone", "s1"), "suppression"] == "secondary"
    assert s.loc[("elderly_alone", "s3"), "count"] == 7
    assert pd.isna(s.loc[("elderly_alone", "s1"), "rate"])
    assert pd.isna(s.loc[("elderly_alone", "s2"), "rate"])
    assert _row(p, "elderly_alone")["rate"] == pytest.approx(33 / 450 * 1000)


def test_threshold_is_configurable(tiny, monkeypatch, capsys):
    with pytest.raises(SocialkitError, match="never lowered below 5"):
        build_passport(tiny, "M1", threshold=3)
    p = build_passport(tiny, "M1", no_suppression=True)
    assert _row(p, "idp")["count"] == 3 and p.threshold == 0
    assert "suppression is OFF" in capsys.readouterr().err
    monkeypatch.setenv("SOCIALKIT_SUPPRESS_BELOW", "41")
    assert pd.isna(_row(build_passport(tiny, "M1"), "elderly_alone")["count"])  # 40 < 41
    monkeypatch.setenv("SOCIALKIT_SUPPRESS_BELOW", "2")
    with pytest.raises(SocialkitError, match="SOCIALKIT_SUPPRESS_BELOW=2"):
        build_passport(tiny, "M1")


def test_missing_is_missing_never_zero(tiny):
    p = build_passport(tiny, "M1", year=2020)
    assert p.previous_year is None
    e = _row(p, "elderly_alone")
    assert e["count"] == 25 and e["settlements_no_count"] == 1
    assert pd.isna(e["change"]) and pd.isna(e["rate_prev"])
    # only s1's population counts: s3 has none recorded
    assert p.summary["residents"] == 1500 and p.summary["settlements_no_population"] == 1
    assert p.demography.set_index("age_group")["population"].to_dict() == {
        "0-17": 300, "18-59": 750, "60+": 450}
    assert p.demography["settlements_unknown"].iloc[0] == 1
    assert "no population is recorded" in headline(p, "en")


def test_demography_and_settlement_kinds(tiny):
    p = build_passport(tiny, "M1")
    assert p.demography["share"].sum() == pytest.approx(1.0)
    k = p.settlement_kinds.set_index("kind")
    assert k.loc["village", "settlements"] == 2 and k.loc["village", "population"] == 500
    assert k.loc["village", "settlements_no_population"] == 1
    assert k.loc["town", "share"] == pytest.approx(1000 / 1500)


def test_infrastructure_inventory_and_gaps(tiny):
    p = build_passport(tiny, "M1")
    inv = p.infrastructure.set_index("kind")
    assert inv.loc["primary_care", "facilities"] == 2
    assert inv.loc["primary_care", "capacity"] == 100          # one capacity unknown
    assert inv.loc["primary_care", "capacity_unknown"] == 1
    assert inv.loc["social_service_centre", "settlements_without"] == 2
    assert inv.loc["social_service_centre", "population_without"] == 500
    assert inv.loc["school", "facilities"] == 0 and inv.loc["school", "settlements_without"] == 3
    w = p.without.loc[p.without["facility_kind"] == "social_service_centre"]
    assert sorted(w["settlement_id"]) == ["s2", "s3"]
    # s3 is 0.1 degree of latitude north of the centre in s1
    km = w.set_index("settlement_id")["nearest_km"]
    assert km["s3"] == pytest.approx(6371.0088 * math.radians(0.1), rel=1e-4)
    assert p.summary["settlements_no_ssc"] == 2
    assert p.summary["settlements_beyond_reach"] == 1        # s3 at 11.1 km > 10 km
    assert w["nearest_km"].notna().all()
    assert math.isnan(p.without.set_index("facility_kind").loc["school", "nearest_km"].iloc[0])


def test_localised_tables_and_headline(tiny):
    p = build_passport(tiny, "M1")
    uk = passport_table(p, "profile", "uk")
    assert list(uk.columns)[:3] == ["Група", "Показник на 1 000", "Кількість"]
    assert uk.iloc[0, 0] == "Самотні люди похилого віку"
    assert uk.loc[0, "Показник"] == "73,3"
    text = headline(p, "en")
    assert "3 settlements" in text and "1,500 residents" in text and "10 km" in text
    wt = passport_table(p, "without", "uk", kinds=["primary_care"])
    assert wt["Населений пункт"].tolist() == ["С три"]
    assert wt["Населення"].tolist() == ["не зафіксовано"]
    with pytest.raises(KeyError, match="unknown passport table"):
        passport_table(p, "nope")


def test_inputs_not_mutated(tiny):
    before = {k: v.copy() for k, v in tiny.items()}
    build_passport(tiny, "M1")
    for k, v in tiny.items():
        pd.testing.assert_frame_equal(v, before[k])


def test_bad_input_errors(tiny, tmp_path):
    with pytest.raises(DataValidationError, match="unknown municipality.*'M9'"):
        build_passport(tiny, "M9")
    with pytest.raises(SocialkitError, match="no counts for municipality M1 in 2019"):
        build_passport(tiny, "M1", year=2019)
    with pytest.raises(SocialkitError, match="needs the table"):
        build_passport({"municipalities": tiny["municipalities"]}, "M1")
    bad = tmp_path / "passport.yaml"
    bad.write_text("groups:\n  - id: idp\n    denominator: households\nfacility_kinds: []\n")
    with pytest.raises(FrameworkError, match=r"groups\[0\].denominator"):
        read_passport_spec(bad)


def test_size_class_bounds():
    got = size_class(pd.Series([9999, 10000, 49999, 50000], dtype="Int64"), (10000, 20000, 50000))
    assert got.tolist() == [0, 1, 2, 3]


def test_every_demo_municipality(demo_tables):
    pv = demo_tables["passport_values"]
    for mid in demo_tables["municipalities"]["municipality_id"]:
        p = build_passport(demo_tables, mid)
        got = p.profile.set_index("indicator_id")
        raw = pv.loc[(pv["municipality_id"] == mid) & (pv["year"] == p.year)]
        expect = raw.groupby("indicator_id")["value"].sum()
        published = got["count"].dropna()
        assert (published == expect.reindex(published.index)).all()
        hidden = got["count"].isna() & got["count_suppressed"]
        small = expect.reindex(got.index) < 5
        assert hidden[small.fillna(False).to_numpy()].all()
        # a larger count is hidden only to protect a settlement without a base (its count
        # is the count minus the rate's numerator)
        assert (got.loc[hidden & ~small.fillna(False).to_numpy(), "settlements_no_base"]
                > 0).all()
        vals = p.by_settlement["count"].dropna()
        assert not ((vals >= 1) & (vals < 5)).any()


def test_oblast_and_peer_rates_equal_pooling_the_settlements(demo_tables):
    from socialkit.passport import pooled_rates, read_passport_spec, settlement_rates

    spec = read_passport_spec()
    mun, st = demo_tables["municipalities"], demo_tables["settlements"]
    pv = demo_tables["passport_values"]
    mid = mun["municipality_id"].iloc[3]
    p = build_passport(demo_tables, mid)
    region = mun.loc[mun["region"] == p.municipality["region"], "municipality_id"]
    rates = settlement_rates(st, pv.loc[pv["year"] == p.year], spec)
    direct = pooled_rates(rates.loc[rates["municipality_id"].isin(region)], [], spec.per)
    got = p.profile.set_index("indicator_id")["region_rate"]
    want = direct.set_index("indicator_id")["rate"].reindex(got.index)
    assert got.astype(float).to_numpy() == pytest.approx(want.astype(float).to_numpy(), rel=1e-12)

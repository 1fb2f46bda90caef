"""``socialkit entry export``: a record-level export of accepted records leaves only when
k-anonymity holds over the form's quasi-identifiers (refused, generalised or suppressed
otherwise), scoped to what the user may read — SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
from test_entry_dv import DV, _accept

from socialkit.store import Actor
from socialkit.store.entry import register_shipped_forms, save_entry


def _dv_world(world):
    admin = Actor.system("setup")
    register_shipped_forms(world.store, admin)
    for user, inst in (("ha", "csw-a"), ("hb", "csw-b"), ("wb", "csw-b")):
        world.store.grant(admin, user, "dv", inst)
    # A: 37 women and 3 men (a class of 3); B: 30 and 10
    _accept(world, "csw-a", "dva", "ha", DV)
    _accept(world, "csw-a", "dva", "ha", {**DV, "victims_male": "5", "victims_female": "35",
                                          "perpetrators_male": "35", "perpetrators_female": "5"},
            period="2026Q2")
    _accept(world, "csw-b", "wb", "hb", {**DV, "victims_female": "30", "victims_male": "10"})


def test_export_is_refused_then_generalised_or_suppressed(world, tmp_path, cli):
    _dv_world(world)
    out = tmp_path / "dv.csv"
    args = ("entry", "export", "domestic_violence", "--out", str(out), "--as", "provdv",
            "--url", world.url)
    code, so, err = cli(*args).streams()
    assert code == 1 and not out.exists() and "Traceback" not in err
    assert "quasi-identifiers municipality_id, period, victim_sex, age_group with k = 5" in err
    # 3 records x 6 classes; A 2026Q1 has 3 men
    assert "1 of 18 equivalence classes have fewer than 5 people" in err

    code, so, err = cli(*args, "--how", "suppress", "--lang", "sr-Latn").streams()
    assert code == 0, err
    frame = pd.read_csv(out)
    a1 = frame[(frame.institution_id == "csw-a") & (frame.period == "2026Q1")].iloc[0]
    assert pd.isna(a1["victims_male"]) and pd.isna(a1["victims_female"])
    assert a1["victims_total"] == 40
    numbers = frame.select_dtypes("number").drop(columns=["record_id"]).stack()
    assert not numbers.between(1, 4).any()          # no count of 1-4 people leaves
    assert "k-anonimnost važi" in so and "Zapisano" in so

    code, so, err = cli(*args, "--how", "generalise", "--force").streams()
    assert code == 0, err
    frame = pd.read_csv(out, dtype={"period": str})
    assert frame[["municipality_id", "period", "records", "victims_male"]].values.tolist() == [
        ["M1", "2026", 2, 8], ["M2", "2026", 1, 10]]
    assert "Generalised, in this order: period" in so


def test_export_holds_only_what_the_user_may_read(world, tmp_path, cli):
    _dv_world(world)
    out = tmp_path / "b.csv"
    code, so, err = cli("entry", "export", "domestic_violence", "--out", str(out), "--as",
                        "hb", "--url", world.url, "--how", "suppress").streams()
    assert code == 0, err
    assert set(pd.read_csv(out)["institution_id"]) == {"csw-b"}
    # a worker without the dv right reads no domestic-violence record at all
    code, so, err = cli("entry", "export", "domestic_violence", "--out", str(out), "--as",
                        "wa", "--url", world.url, "--force").streams()
    assert code == 1 and "no accepted records of domestic_violence" in err


def test_drafts_never_leave_and_k_is_never_below_5(world, tmp_path, cli):
    from socialkit.forms import form_path, load_form

    _dv_world(world)
    save_entry(world.store, world.wb, load_form(form_path("domestic_violence")), "csw-b",
               "2026Q3", {**DV, "victims_male": "1", "victims_female": "39"})
    out = tmp_path / "dv.csv"
    args = ("entry", "export", "domestic_violence", "--out", str(out), "--as", "provdv",
            "--url", world.url)
    code, so, err = cli(*args, "--how", "suppress").streams()
    assert code == 0 and "2026Q3" not in out.read_text()
    code, so, err = cli(*args, "--k", "3", "--force").streams()
    assert code == 1 and "never lowered" in err
    code, so, err = cli(*args, "--how", "hide", "--force").streams()
    assert code == 1 and "--how" in err and "refuse, generalise, suppress" in err

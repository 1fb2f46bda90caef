"""Accepted domestic-violence records feed the published tables, with small counts suppressed
and only for users with the domestic-violence right — SQLite and PostgreSQL."""

from __future__ import annotations

from socialkit.forms import form_path, load_form
from socialkit.store import Actor
from socialkit.store.entry import register_shipped_forms, save_entry, submit_entry

DV = {"reports_received": "45", "victims_total": "40", "victims_female": "37",
      "victims_male": "3", "victims_age_0_17": "5", "victims_age_18_29": "10",
      "victims_age_30_64": "20", "victims_age_65": "5", "ipv_women_18": "25",
      "femicides": "0", "violence_physical": "30", "violence_psychological": "35",
      "violence_sexual": "2", "violence_economic": "6", "violence_stalking": "4",
      "perpetrator_partner": "20", "perpetrator_former_partner": "10",
      "perpetrator_family": "8", "perpetrator_other": "2", "perpetrators_male": "36",
      "perpetrators_female": "4", "urgent_measures": "12", "urgent_measures_extended": "9",
      "protection_orders_requested": "7", "protection_orders_issued": "5",
      "individual_plans": "30", "referrals_shelter": "3", "referrals_health": "8",
      "referrals_legal": "6", "referrals_counselling": "10"}


def _accept(world, inst, worker, head, values, period="2026Q1"):
    form = load_form(form_path("domestic_violence"))
    store = world.store
    rec = save_entry(store, store.actor(worker), form, inst, period, values).record
    rec = submit_entry(store, store.actor(worker), form, rec.record_id, rec.version)
    rec = store.approve(store.actor(head), rec.record_id, rec.version)
    return store.accept(world.provdv, rec.record_id, rec.version)


def test_accepted_dv_records_are_published_with_small_counts_suppressed(world, tmp_path,
                                                                        cli):
    admin = Actor.system("setup")
    register_shipped_forms(world.store, admin)
    for user, inst in (("ha", "csw-a"), ("hb", "csw-b"), ("wb", "csw-b")):
        world.store.grant(admin, user, "dv", inst)
    _accept(world, "csw-a", "dva", "ha", DV)
    _accept(world, "csw-b", "wb", "hb", {**DV, "victims_total": "12", "victims_female": "9",
                                         "victims_male": "3", "victims_age_0_17": "2",
                                         "victims_age_18_29": "3", "victims_age_30_64": "5",
                                         "victims_age_65": "2", "perpetrator_partner": "6",
                                         "perpetrator_former_partner": "2",
                                         "perpetrator_family": "3", "perpetrator_other": "1",
                                         "ipv_women_18": "7", "violence_physical": "10",
                                         "violence_psychological": "11"})
    # a draft never reaches the tables
    form = load_form(form_path("domestic_violence"))
    save_entry(world.store, world.dva, form, "csw-a", "2026Q2", {**DV, "victims_male": "1"})

    code, out, err = cli("entry", "dv-tables", "--as", "provdv", "--url", world.url,
                         "--out", str(tmp_path / "dv")).streams()
    assert code == 0, err
    assert "2 accepted records" in out
    assert "M1 2026Q1  Victims: men and boys: suppr." in out
    lines = [line for line in out.splitlines() if line.startswith("  ")]
    published = [line.rsplit(": ", 1)[1] for line in lines]
    assert not {"1", "2", "3", "4"} & set(published), out
    assert "M1 2026Q1  Victims (persons): 40" in out and "total 2026Q1  Victims (persons): 52" in out
    assert "2026Q2" not in out
    victims = (tmp_path / "dv" / "victims.csv").read_text(encoding="utf-8")
    assert "primary" in victims and "secondary" in victims
    assert (tmp_path / "dv" / "measures.csv").exists()

    code, out, err = cli("entry", "dv-tables", "--as", "prov", "--url", world.url).streams()
    assert code == 0 and "0 accepted records" in out and "M1" not in out
    code, out, err = cli("entry", "dv-tables", "--as", "provdv", "--url", world.url,
                         "--unit", "province", "--lang", "sr").streams()
    assert "Насиље у породици: 2 прихваћена записа" in out
    assert "2026Q1  " in out and ": 52" in out

"""``socialkit entry``: register the forms, import a file as a worker, the workflow steps with
comments, the follow-up list — through the command, as an administrator would script it."""

from __future__ import annotations

from test_entry import CSW

from socialkit.forms import form_path, load_form
from socialkit.store import Actor, open_store
from socialkit.store.entry import save_entry


def _csv(path, rows):
    header = ["institution_id", "period", *CSW]
    body = [",".join([i, p, *[f'"{v}"' for v in vals.values()]]) for i, p, vals in rows]
    path.write_text("\n".join([",".join(header), *body]) + "\n", encoding="utf-8")
    return path


def test_import_then_submit_approve_accept_from_the_command_line(world, tmp_path, cli):
    url = world.url
    code, _, err = cli("entry", "register", "--url", url).streams()
    assert code == 0 and "form domestic_violence version 2026.1 registered" in err
    path = _csv(tmp_path / "q1.csv", [("csw-a", "2026Q1", CSW),
                                      ("csw-a", "2026Q2", {**CSW, "staff_other": "40"})])
    code, out, err = cli("entry", "import", "csw_state", str(path), "--as", "wa",
                         "--url", url).streams()
    assert code == 0, err
    assert "q1.csv: 2 records of csw_state saved as drafts" in out
    code, out, err = cli("entry", "import", "csw_state", str(path), "--as", "wb",
                         "--url", url, "--lang", "sr").streams()
    assert code == 1 and "q1.csv" in err and "ред 2" in err and out == ""
    assert "Traceback" not in err

    rec = open_store(url).get(Actor.system(), "csw_state", "csw-a", "2026Q1")
    rid = str(rec.record_id)
    code, out, err = cli("entry", "submit", rid, "--as", "wa", "--url", url).streams()
    assert code == 0 and "now submitted (version 2)" in out, err
    code, out, err = cli("entry", "approve", rid, "--as", "wa", "--url", url).streams()
    assert code == 1 and "only the head of the institution may" in err
    code, out, err = cli("entry", "return", rid, "--as", "ha", "--url", url,
                         "--comment", "vacancies look wrong").streams()
    assert code == 0 and "now draft" in out
    code, out, err = cli("entry", "submit", rid, "--as", "wa", "--url", url).streams()
    code, out, err = cli("entry", "approve", rid, "--as", "ha", "--url", url).streams()
    assert code == 0 and "now approved" in out, err
    code, out, err = cli("entry", "accept", rid, "--as", "prov", "--url", url,
                         "--lang", "sr").streams()
    assert code == 0 and "прихваћен" in out, out
    comments = open_store(url).comments(Actor.system(), rec.record_id)
    assert comments["text"].tolist() == ["vacancies look wrong"]
    assert open_store(url).record(Actor.system(), rec.record_id).status == "accepted"


def test_submit_names_every_missing_field_and_check_lists_rule_breaks(world, cli):
    url = world.url
    cli("entry", "register", "--url", url)
    incomplete = {k: v for k, v in CSW.items() if k != "vehicles"}
    store = open_store(url)
    save_entry(store, world.wa, load_form(form_path("csw_state")), "csw-a", "2026Q1",
               incomplete)
    rid = str(open_store(url).get(Actor.system(), "csw_state", "csw-a", "2026Q1").record_id)
    code, out, err = cli("entry", "submit", rid, "--as", "wa", "--url", url).streams()
    assert code == 1 and "column 'vehicles'" in err and "nothing was saved" in err, err
    # staff 18 + vacancies 4 ≤ positions 22 holds; make it break and list it for follow-up
    rec = store.record(Actor.system(), int(rid))
    store.save(Actor.system(), "csw_state", rec.form_version, "csw-a", "2026Q1",
               {**rec.values, "positions_approved": 10, "vacancies": 4},
               expected_version=rec.version)
    code, out, err = cli("entry", "check", "csw_state", "--as", "ha", "--url", url).streams()
    assert code == 0, err
    assert "1 validation-rule violation to follow up" in out and "csw-a 2026Q1" in out
    code, out, err = cli("entry", "check", "csw_state", "--as", "hb", "--url", url).streams()
    assert "0 validation-rule violations" in out and "csw-a" not in out

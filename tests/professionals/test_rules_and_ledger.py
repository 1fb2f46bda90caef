"""Points per rule on hand-checked cases, a change of rules as a new dated block, and the
compliance list on a constructed case (tiny registry of conftest.py, worked out by hand)."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from socialkit.errors import FrameworkError
from socialkit.professionals import (
    check_registry,
    compliance,
    licence_totals,
    load_rules,
    points_ledger,
)


@pytest.mark.parametrize("activity, role, points", [
    # the rulebook table (Official Gazette RS 42/2013, bodovna lista)
    ("training_tested", "author", 30), ("training_tested", "certified_trainer", 20),
    ("training_tested", "participant", 15), ("training_untested", "lecturer", 10),
    ("training_untested", "participant", 5), ("conference_national", "active", 15),
    ("conference_national", "passive", 5), ("conference_international", "active", 20),
    ("conference_international", "passive", 10), ("round_table", "organiser", 8),
    ("academic_title", "doctorate", 60), ("publication", "sci_journal_article", 25),
    ("mentoring", "mentor", 3),
])
def test_points_of_the_rulebook_table(activity, role, points):
    assert load_rules().points(activity, role, "2024-05-01") == points


def test_required_total_is_a_setting_of_the_file():
    rules = load_rules()
    assert rules.rule_set_on("2024-05-01").required_points == 120
    assert set(rules.licence_types) == {"basic", "specialised", "supervisory", "legal"}


def test_ledger_points_by_hand(tiny):
    led = points_ledger(tiny)
    by = led.set_index("participation_id")
    assert by.loc["x1", "points"] == 15 and by.loc["x2", "points"] == 30  # participant, author
    assert by.loc["x3", "points"] == 15 and by.loc["x5", "points"] == 20  # active, trainer
    assert by.loc["x6", "points"] == 5 and by.loc["x9", "points"] == 10   # untested
    assert led.groupby("licence_id")["points"].sum().to_dict() == {
        "L1": 75, "L2": 20, "L3": 5, "L5": 40}
    # s4 (2025-06-01) counts for L3 (ends 2025-06-30), not for its renewal L4 (from 07-01)
    assert by.loc["x6", "licence_id"] == "L3"


def test_compliance_on_a_constructed_case(tiny):
    c = compliance(tiny, "2025-06-30")
    assert c["person_id"].tolist() == ["p1", "p2", "p3"]
    p1, p2, p3 = (c.iloc[i] for i in range(3))
    # p1: 60 earned + 15 planned (s5) < 120; licence ends 2025-12-31 -> due, 184 days left
    assert (p1["earned"], p1["planned"], p1["shortfall"], p1["status"]) == (60, 15, 45, "due")
    assert p1["act_by"] == pd.Timestamp("2025-12-31") and p1["days_left"] == 184
    assert p1["next_session_id"] is None  # registered for s5 already, no other session
    # p2: 20 of 120 after 911 of 2191 days: floor(120*911/2191) = 49 due by now -> behind
    assert (p2["earned"], p2["on_schedule"], p2["status"]) == (20, 49, "behind")
    assert p2["next_session_id"] == "s5" and p2["institution_id"] == "csr-ns"
    # p3: licence ends on the day of the check; 5 points
    assert (p3["institution_id"], p3["days_left"], p3["shortfall"]) == ("csr-su", 0, 115)
    # p4 (40 points, 29 due by now, ends 2029) is on track: not listed
    assert compliance(tiny, "2025-06-30", institution_id="csr-su")["person_id"].tolist() == ["p3"]


def test_a_change_of_rules_is_a_new_dated_block(tmp_path, tables):
    from socialkit.frameworks import read_yaml

    data, _ = read_yaml(None, "training_points")
    old = data["rule_sets"][0]
    old["valid_to"] = "2024-12-31"
    new = yaml.safe_load(yaml.safe_dump(old))
    new.update(id="rs_2025", valid_from="2025-01-01", valid_to=None, required_points=150)
    new["activities"]["training_tested"]["roles"]["participant"] = 18
    data["rule_sets"].append(new)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rules = load_rules(path)
    reg = check_registry(tables, rules=rules)
    led = points_ledger(reg, rules).set_index("participation_id")
    assert led.loc["x1", ["rule_set", "points"]].tolist() == ["rs_2013_42", 15]   # 2024
    assert led.loc["x4", ["rule_set", "points"]].tolist() == ["rs_2025", 18]      # 2025-09
    totals = licence_totals(reg, "2025-06-30", rules).set_index("licence_id")
    assert totals.loc["L1", "required"] == 150  # the block in force when L1 ends
    assert totals.loc["L3", "required"] == 150 and totals.loc["L2", "required"] == 150


@pytest.mark.parametrize("change, key", [
    (lambda d: d["rule_sets"].append(dict(d["rule_sets"][0], id="again")), "rule_sets"),
    (lambda d: d["rule_sets"][0]["activities"]["mentoring"]["roles"].update(mentor=-3),
     "rule_sets[0].activities.mentoring.roles"),
    (lambda d: d["rule_sets"][0].update(required_points=0), "rule_sets[0].required_points"),
])
def test_a_bad_rules_file_names_its_key(tmp_path, change, key):
    from socialkit.frameworks import read_yaml

    data, _ = read_yaml(None, "training_points")
    change(data)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, default_flow_style=False),
                    encoding="utf-8")
    with pytest.raises(FrameworkError) as err:
        load_rules(path)
    assert err.value.key == key

"""Bad input is refused with file, row, column and the rule broken; nothing partly applied."""

from __future__ import annotations

import pandas as pd
import pytest

from socialkit.errors import DataValidationError
from socialkit.professionals import add_participations, check_registry

from .conftest import tiny_tables

SOURCES = {t: f"{t}.csv" for t in tiny_tables()}


def _problems(tables) -> list:
    with pytest.raises(DataValidationError) as err:
        check_registry(tables, SOURCES)
    return err.value.problems


def _one(problems, code):
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


def test_unknown_person(tables):
    tables["participations"].loc[2, "person_id"] = "p99"
    p = _one(_problems(tables), "unknown_person")
    assert (p.source, p.row, p.column, p.value) == ("participations.csv", 4, "person_id", "p99")
    assert "unknown person" in str(p)


def test_session_outside_the_accreditation_period(tables):
    tables["sessions"].loc[4, "date"] = "2026-01-15"  # acc ends 2025-12-31
    p = _one(_problems(tables), "outside_accreditation")
    assert (p.source, p.row, p.column) == ("sessions.csv", 6, "date")
    assert "2022-01-01 to 2025-12-31" in str(p)


def test_points_claimed_twice_for_one_session(tables):
    extra = pd.DataFrame([{"participation_id": "x10", "person_id": "p1", "session_id": "s2",
                           "role": "participant"}])
    tables["participations"] = pd.concat([tables["participations"], extra], ignore_index=True)
    p = _one(_problems(tables), "claimed_twice")
    assert (p.row, p.column, p.value) == (11, "session_id", "s2")
    assert "first claimed on row 3" in str(p)


def test_role_not_in_the_rules_file(tables):
    tables["participations"].loc[5, "role"] = "author"  # s4 is a training without a test
    p = _one(_problems(tables), "unknown_role")
    assert (p.source, p.row, p.column, p.value) == ("participations.csv", 7, "role", "author")
    assert "lecturer, participant" in str(p)


def test_activity_requires_accreditation_and_test(tables):
    tables["programmes"].loc[1, "activity"] = "training_tested"  # 'plain' has neither
    codes = {p.code for p in _problems(tables)}
    assert {"requires_accreditation", "requires_test"} <= codes


def test_schema_problems_come_first_with_rows(tables):
    tables["sessions"].loc[0, "date"] = "01.03.2024"
    tables["persons"].loc[1, "personal_number"] = "123"
    probs = _problems(tables)
    where = {(p.source, p.row, p.column) for p in probs}
    assert ("sessions.csv", 2, "date") in where and ("persons.csv", 3, "personal_number") in where


def test_wrong_control_digit_of_the_personal_number(tables):
    pn = tables["persons"].loc[0, "personal_number"]
    tables["persons"].loc[0, "personal_number"] = pn[:12] + str((int(pn[12]) + 1) % 10)
    p = _one(_problems(tables), "control_digit")
    assert (p.row, p.column) == (2, "personal_number")


def test_every_problem_is_listed_at_once(tables):
    tables["participations"].loc[0, "person_id"] = "nobody"
    tables["participations"].loc[5, "role"] = "author"
    tables["sessions"].loc[4, "date"] = "2026-01-15"
    assert {"unknown_person", "unknown_role", "outside_accreditation"} <= {
        p.code for p in _problems(tables)}


def test_an_import_is_all_or_nothing(tiny):
    before = tiny.participations.copy()
    new = pd.DataFrame({"participation_id": ["n1", "n2", "n3"],
                        "person_id": ["p2", "p404", "p4"],
                        "session_id": ["s5", "s5", "s1"],
                        "role": ["participant", "participant", "participant"]})
    with pytest.raises(DataValidationError) as err:
        add_participations(tiny, new, "import.csv")
    probs = err.value.problems
    assert [(p.source, p.row, p.column, p.code) for p in probs] == [
        ("import.csv", 3, "person_id", "unknown_person")]
    pd.testing.assert_frame_equal(tiny.participations, before)  # nothing applied
    dup = new.drop(index=1).assign(session_id=["s5", "s2"])  # p4 already has s2
    with pytest.raises(DataValidationError) as err:
        add_participations(tiny, dup.reset_index(drop=True), "import.csv")
    assert [(p.row, p.code) for p in err.value.problems] == [(3, "claimed_twice")]
    ok = add_participations(tiny, new.drop(index=1).reset_index(drop=True), "import.csv")
    assert len(ok.participations) == len(before) + 2
    assert set(ok.participations["participation_id"]) >= {"n1", "n3"}

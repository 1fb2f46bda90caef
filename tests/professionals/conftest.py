"""Fixtures: the committed Vojvodina demo registry, and a tiny hand-made registry whose points
and compliance are worked out by hand in the tests."""

from __future__ import annotations

import pandas as pd
import pytest

from socialkit import config
from socialkit.professionals import check_registry, load_registry
from socialkit.professionals.schemas import jmbg_check_digit

DEMO = config.PROJECT_ROOT / "catalogs" / "serbia_professionals"


def jmbg(first12: str) -> str:
    return first12 + str(jmbg_check_digit(first12))


def tiny_tables() -> dict[str, pd.DataFrame]:
    """Two centres, four professionals, three programmes, five sessions (all text, as read).

    Worked out by hand in test_ledger.py (rule set rs_2013_42: required 120).
    """
    t = {}
    t["institutions"] = pd.DataFrame({
        "institution_id": ["csr-ns", "csr-su"], "name": ["CSW Novi Sad", "CSW Subotica"],
        "name_local": ["ЦСР Нови Сад", "ЦСР Суботица"], "municipality": ["Novi Sad", "Subotica"],
        "kind": ["centre_for_social_work"] * 2})
    t["persons"] = pd.DataFrame({
        "person_id": ["p1", "p2", "p3", "p4"], "surname": ["Ilić", "Kiš", "Nađ", "Tot"],
        "given_name": ["Ana", "Marko", "Erika", "Zoltan"],
        "personal_number": [jmbg("010198580000"), jmbg("020297580001"),
                            jmbg("030370580502"), jmbg("040488580003")],
        "profession": ["social_worker", "psychologist", "lawyer", "social_worker"],
        "email": ["ana@example.org", "marko@example.org", "erika@example.org",
                  "zoltan@example.org"]})
    t["employments"] = pd.DataFrame({
        "person_id": ["p1", "p2", "p3", "p4", "p4"],
        "institution_id": ["csr-ns", "csr-ns", "csr-su", "csr-ns", "csr-su"],
        "start": ["2015-01-01", "2020-01-01", "2010-01-01", "2012-01-01", "2021-01-01"],
        "end": [None, None, None, "2020-12-31", None]})
    t["licences"] = pd.DataFrame({
        "licence_id": ["L1", "L2", "L3", "L4", "L5"],
        "person_id": ["p1", "p2", "p3", "p3", "p4"],
        "licence_type": ["basic", "basic", "legal", "legal", "basic"],
        "number": ["BA-1", "BA-2", "LE-3", "LE-4", "BA-5"],
        "valid_from": ["2020-01-01", "2023-01-01", "2019-07-01", "2025-07-01", "2024-01-01"],
        "valid_to": ["2025-12-31", "2028-12-31", "2025-06-30", "2031-06-30", "2029-12-31"],
        "renews": [None, None, None, "L3", None]})
    t["programmes"] = pd.DataFrame({
        "programme_id": ["acc", "plain", "conf"],
        "title": ["Case management", "Digital skills", "Provincial conference"],
        "title_local": ["Вођење случаја", "Дигиталне вештине", "Покрајинска конференција"],
        "activity": ["training_tested", "training_untested", "conference_national"],
        "accredited": ["true", "false", "false"],
        "accreditation_number": ["110-00-1/2022", None, None],
        "accredited_from": ["2022-01-01", None, None],
        "accredited_to": ["2025-12-31", None, None],
        "hours": ["24", "8", "12"], "knowledge_test": ["true", "false", "false"]})
    t["sessions"] = pd.DataFrame({
        "session_id": ["s1", "s2", "s3", "s4", "s5"],
        "programme_id": ["acc", "acc", "conf", "plain", "acc"],
        "date": ["2024-03-01", "2024-10-01", "2025-05-15", "2025-06-01", "2025-09-10"],
        "place": ["Novi Sad", "Subotica", "Novi Sad", None, "Sombor"],
        "online": ["false", "false", "false", "true", "false"]})
    t["participations"] = pd.DataFrame({
        "participation_id": [f"x{i}" for i in range(1, 10)],
        "person_id": ["p1", "p1", "p1", "p1", "p2", "p3", "p4", "p4", "p4"],
        "session_id": ["s1", "s2", "s3", "s5", "s1", "s4", "s2", "s3", "s4"],
        "role": ["participant", "author", "active", "participant", "certified_trainer",
                 "participant", "participant", "active", "lecturer"]})
    return t


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    return tiny_tables()


@pytest.fixture(scope="session")
def tiny():
    return check_registry(tiny_tables())


@pytest.fixture(scope="session")
def demo():
    return load_registry(DEMO)

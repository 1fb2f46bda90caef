"""A synthetic Vojvodina store: the province's districts and municipalities, one centre for
social work (CSW) in each, local service providers and residential institutions, and a few
quarters of entries in every state of the workflow, with the mistakes real entries have.

Everything is made up but shaped like the real thing: the 45 cities and municipalities of
the Serbian demo (:mod:`socialkit.data.demo.places.rs`, ids ``RS0101`` …) under their seven
districts (*управни окрузи*) and the Provincial Institute for Social Protection (``pzsz``).
Counts grow with the municipality's population, so small municipalities report small counts
(and their tables show suppressed cells), large ones large counts.

* **Domestic violence** and **CSW state**: one record per CSW and quarter, ``quarters``;
* **Providers** and **residential institutions**: one record per institution and year,
  ``years`` (occupancy follows the flows: last year's + admissions − discharges − deaths);
* **Workflow**: every record of the earlier periods is accepted (worker submits, head
  approves, the institute accepts); in the latest period some are accepted, some approved,
  some submitted, some drafts, some returned with the head's comment;
* **Mistakes**: a few drafts break a validation rule (victims by sex not adding up to the
  total, staff above positions), one centre's active cases are typed ten times too high
  (an outlier), a returned record carries the comment that sent it back.

Every record passes through the form's validation (:func:`socialkit.forms.validate_frame`,
required fields included, as a bulk import does) before it is saved; records are saved with
:meth:`Store.save_many` and moved through the workflow by the users who would do it.

>>> info = build_demo_store("sqlite://", quarters=("2026Q1",), years=("2025",),
...                         municipalities=3)                      # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..data.demo.countries import serbian_latin
from ..data.demo.places import rs as _rs
from ..forms import validate_frame
from .access import Actor
from .core import Store, open_store
from .entry import register_shipped_forms

__all__ = ["DEMO_QUARTERS", "DEMO_YEARS", "DemoStore", "build_demo_store", "demo_institutions",
           "demo_catalog", "municipality_names"]

DEMO_QUARTERS = ("2025Q3", "2025Q4", "2026Q1", "2026Q2")
DEMO_YEARS = ("2024", "2025")
PROVINCE = "pzsz"
#: Users of the demo: the institute (with and without the domestic-violence right).
PROVINCE_USER, PROVINCE_DV_USER = "zavod", "zavod-dv"


@dataclass
class DemoStore:
    """What :func:`build_demo_store` made: the URL, the institutions and the records by state."""

    url: str
    institutions: list[tuple[str, str, str, str | None, str | None]]
    states: dict[str, int] = field(default_factory=dict)
    records: int = 0


def demo_institutions(municipalities: int | None = None
                      ) -> list[tuple[str, str, str, str | None, str | None]]:
    """``(id, kind, name, municipality_id, parent_id)`` of the demo, parents first: the
    institute, the districts, a CSW per municipality, providers and residential
    institutions (in the larger municipalities)."""
    rows = [(PROVINCE, "province", "Покрајински завод за социјалну заштиту", None, None)]
    for n, (_, sr) in _rs.OKRUGS.items():
        rows.append((f"okrug-{n:02d}", "district", f"{sr} управни округ", None, PROVINCE))
    serial: dict[int, int] = {}
    muns = []
    for okrug, local, pop, *_ in _rs.MUNICIPALITIES:
        serial[okrug] = serial.get(okrug, 0) + 1
        muns.append((f"RS{okrug:02d}{serial[okrug]:02d}", okrug, local, pop))
    if municipalities is not None:
        muns = muns[:municipalities]
    for mid, okrug, local, _pop in muns:
        rows.append((f"csw-{mid.lower()}", "csw", f"Центар за социјални рад {local}", mid,
                     f"okrug-{okrug:02d}"))
    for i, (mid, okrug, local, pop) in enumerate(muns):
        parent = f"okrug-{okrug:02d}"
        rows.append((f"prov-{mid.lower()}-1", "provider", f"Помоћ у кући {local}", mid, parent))
        if pop > 25000 or i % 3 == 0:
            rows.append((f"prov-{mid.lower()}-2", "provider", f"Дневни боравак {local}", mid,
                         parent))
        if pop > 40000 or i % 7 == 2:
            rows.append((f"res-{mid.lower()}", "residential", f"Дом за смештај {local}", mid,
                         parent))
    return rows


def _population() -> dict[str, int]:
    serial: dict[int, int] = {}
    out = {}
    for okrug, _local, pop, *_ in _rs.MUNICIPALITIES:
        serial[okrug] = serial.get(okrug, 0) + 1
        out[f"RS{okrug:02d}{serial[okrug]:02d}"] = pop
    return out


def _split(rng, total: int, shares: Sequence[float]) -> list[int]:
    return [int(v) for v in rng.multinomial(total, np.asarray(shares) / sum(shares))]


def _dv(rng, pop: int, step: int) -> dict:
    total = int(rng.poisson(pop * 3.2e-4 * (1 + 0.05 * step)))
    female, male = _split(rng, total, (0.76, 0.24))
    ages = _split(rng, total, (0.16, 0.2, 0.5, 0.14))
    rel = _split(rng, total, (0.44, 0.2, 0.3, 0.06))
    ipv = min(female, rel[0] + rel[1], int(round((rel[0] + rel[1]) * 0.85)))
    urgent = int(rng.binomial(total, 0.45)) if total else 0
    requested = int(rng.binomial(total, 0.18)) if total else 0
    values = {
        "reports_received": total + int(rng.poisson(total * 0.12)) if total else 0,
        "victims_total": total, "victims_female": female, "victims_male": male,
        "victims_age_0_17": ages[0], "victims_age_18_29": ages[1],
        "victims_age_30_64": ages[2], "victims_age_65": ages[3],
        "ipv_women_18": ipv, "femicides": int(rng.random() < pop / 4e6),
        "violence_physical": int(rng.binomial(total, 0.55)),
        "violence_psychological": int(rng.binomial(total, 0.8)),
        "violence_sexual": int(rng.binomial(total, 0.04)),
        "violence_economic": int(rng.binomial(total, 0.12)),
        "violence_stalking": int(rng.binomial(total, 0.07)),
        "perpetrator_partner": rel[0], "perpetrator_former_partner": rel[1],
        "perpetrator_family": rel[2], "perpetrator_other": rel[3],
        "perpetrators_male": int(round(total * 0.86)),
        "perpetrators_female": total - int(round(total * 0.86)),
        "urgent_measures": urgent, "urgent_measures_extended": int(rng.binomial(urgent, 0.7)),
        "protection_orders_requested": requested,
        "protection_orders_issued": int(rng.binomial(requested, 0.75)),
        "individual_plans": int(rng.binomial(total, 0.6)),
        "referrals_shelter": int(rng.binomial(total, 0.06)),
        "referrals_health": int(rng.binomial(total, 0.2)),
        "referrals_legal": int(rng.binomial(total, 0.12)),
        "referrals_counselling": int(rng.binomial(total, 0.25)),
    }
    return {k: str(v) for k, v in values.items()}


def _csw(rng, pop: int, base: dict | None) -> dict:
    if base is None:
        staff = {"staff_social_workers": 2 + pop // 7000, "staff_psychologists": 1 + pop // 30000,
                 "staff_pedagogues": 1 + pop // 45000,
                 "staff_special_educators": pop // 50000, "staff_lawyers": 1 + pop // 45000,
                 "staff_other": 2 + pop // 15000}
        vac = int(rng.poisson(1.2 + pop / 30000))
        positions = sum(staff.values()) + vac
        cases_rate = rng.uniform(0.005, 0.012)
    else:
        staff = {k: int(base[k]) for k in ("staff_social_workers", "staff_psychologists",
                                           "staff_pedagogues", "staff_special_educators",
                                           "staff_lawyers", "staff_other")}
        positions = int(base["positions_approved"])
        cases_rate = float(base["_rate"])
    departures = int(rng.binomial(staff["staff_social_workers"], 0.06))
    hires = int(rng.binomial(max(departures, 1), 0.7))
    staff["staff_social_workers"] = max(1, staff["staff_social_workers"] - departures + hires)
    total = sum(staff.values())
    positions = max(positions, total)
    managers = max(1, staff["staff_social_workers"] + staff["staff_psychologists"]
                   + staff["staff_pedagogues"] - 1)
    active = int(rng.poisson(pop * cases_rate))
    values = {**staff, "positions_approved": positions, "vacancies": positions - total,
              "new_hires": hires, "departures": departures, "case_managers": managers,
              "active_cases": active, "new_cases": int(rng.poisson(active * 0.22)),
              "computers": total - int(rng.integers(0, 3)),
              "vehicles": 1 + pop // 60000, "internet": "yes" if rng.random() < 0.8 else "no",
              "case_software": "yes" if rng.random() < 0.6 else "no",
              "premises_m2": str(round(60 + total * 14 * rng.uniform(0.8, 1.3), 1)),
              "premises_condition": str(rng.choice(["good", "adequate", "poor"],
                                                   p=[0.4, 0.45, 0.15])),
              "premises_accessible": "yes" if rng.random() < 0.6 else "no",
              "private_interview_room": "yes" if rng.random() < 0.7 else "no"}
    out = {k: str(v) for k, v in values.items()}
    out["_rate"] = str(cases_rate)
    return out


_SERVICES = ("home_help", "day_care", "personal_assistance", "child_companion",
             "supported_housing", "respite", "shelter", "drop_in", "counselling", "sos_line")


def _provider(rng, pop: int, second: bool, lat: float, lon: float, year: str) -> dict:
    services = ["day_care" if second else "home_help"]
    services += list(rng.choice(_SERVICES, size=int(rng.integers(0, 3)), replace=False))
    services = sorted(set(services))
    capacity = int(20 + pop / (2500 if not second else 6000) * rng.uniform(0.7, 1.2))
    users = _split(rng, int(capacity * rng.uniform(0.6, 1.15)),
                   (0.05, 0.05, 0.3, 0.6) if not second else (0.5, 0.2, 0.25, 0.05))
    staff = int(3 + capacity / 8)
    prof = int(staff * 0.6)
    licensed = rng.random() < 0.8
    values = {"licensed": "yes" if licensed else "no",
              "services_offered": " ".join(services),
              "funding": str(rng.choice(["local_budget", "earmarked_transfer", "mixed",
                                         "donor"], p=[0.5, 0.25, 0.15, 0.1])),
              "capacity": capacity, "users_children": users[0], "users_youth": users[1],
              "users_adults": users[2], "users_older": users[3],
              "users_disability": int(sum(users) * 0.35), "users_female": int(sum(users) * 0.55),
              "waiting_list": int(rng.poisson(capacity * 0.15)),
              "staff_total": staff, "staff_professional": prof,
              "staff_licensed": int(prof * 0.7), "volunteers": int(rng.poisson(3)),
              "location": f"{lat + rng.uniform(-0.02, 0.02):.4f} "
                          f"{lon + rng.uniform(-0.02, 0.02):.4f}"}
    if licensed:
        values["licence_number"] = f"112-01-{int(rng.integers(100, 999))}/{year}"
        values["licence_valid_until"] = f"{int(year) + 4}-06-30"
    return {k: str(v) for k, v in values.items()}


def _residential(rng, pop: int, before: dict | None) -> dict:
    if before is None:
        capacity = int(60 + pop / 1500)
        occupancy_before = int(capacity * rng.uniform(0.85, 1.0))
        kind = str(rng.choice(["older", "disability", "children", "mixed"],
                              p=[0.45, 0.3, 0.1, 0.15]))
    else:
        capacity, occupancy_before = int(before["capacity"]), int(before["occupancy"])
        kind = before["institution_kind"]
    admissions = int(rng.poisson(capacity * 0.18))
    disc = [int(rng.poisson(capacity * s)) for s in (0.03, 0.015, 0.03, 0.01)]
    deaths = int(rng.poisson(capacity * (0.08 if kind == "older" else 0.02)))
    occupancy = occupancy_before + admissions - sum(disc) - deaths
    if occupancy > capacity:             # the institution took fewer in
        admissions -= occupancy - capacity
        occupancy = capacity
    occupancy = max(occupancy, 0)
    shares = {"older": (0, 0.01, 0.2, 0.79), "disability": (0.02, 0.1, 0.8, 0.08),
              "children": (0.8, 0.2, 0, 0), "mixed": (0.05, 0.1, 0.45, 0.4)}[kind]
    ages = _split(rng, occupancy, shares)
    staff = int(occupancy * 0.55) + 5
    values = {"institution_kind": kind, "capacity": capacity, "occupancy": occupancy,
              "users_age_0_17": ages[0], "users_age_18_25": ages[1],
              "users_age_26_64": ages[2], "users_age_65": ages[3],
              "users_intellectual": int(occupancy * (0.5 if kind == "disability" else 0.1)),
              "users_physical": int(occupancy * 0.2),
              "users_mental_health": int(occupancy * 0.15),
              "users_long_stay": int(occupancy * 0.4),
              "staff_total": staff, "staff_direct_care": int(staff * 0.6),
              "staff_professional": int(staff * 0.12), "admissions": max(admissions, 0),
              "discharges_family": disc[0], "discharges_foster": disc[1],
              "discharges_community": disc[2], "discharges_institution": disc[3],
              "deaths": deaths}
    return {k: str(v) for k, v in values.items()}


def _latest_state(rng) -> str:
    return str(rng.choice(["accepted", "approved", "submitted", "draft", "returned"],
                          p=[0.55, 0.15, 0.1, 0.1, 0.1]))


_COMMENTS = {
    "domestic_violence": "Жртве по полу се не слажу са укупним бројем: проверите.",
    "csw_state": "Упражњена места: проверите акт о систематизацији.",
    "providers": "Корисници премашују капацитет: проверите.",
    "residential": "Број корисника не прати пријеме и отпусте: проверите.",
}


def build_demo_store(url: str | None = None, *, seed: int = 17,
                     quarters: Sequence[str] = DEMO_QUARTERS,
                     years: Sequence[str] = DEMO_YEARS,
                     municipalities: int | None = None) -> DemoStore:
    """Fill the (empty) store at ``url`` with the synthetic Vojvodina demo.

    Parameters
    ----------
    url
        SQLAlchemy URL of an empty store (a temporary SQLite file in the tests).
    seed
        Random seed: the same seed gives the same records.
    quarters, years
        Periods of the quarterly and yearly forms, oldest first; the last of each is the
        "current" one, whose records are spread over the workflow's states.
    municipalities
        Only the first ``n`` municipalities (a small store for fast tests).

    Returns
    -------
    DemoStore
        The URL, the institutions and how many records ended in each state.
    """
    rng = np.random.default_rng(seed)
    store: Store = open_store(url)
    admin = Actor.system("demo")
    forms = {f.form_id: f for f in register_shipped_forms(store, admin)}
    insts = demo_institutions(municipalities)
    for iid, kind, name, mun, parent in insts:
        store.add_institution(admin, iid, kind, name, mun, parent)
    store.grant(admin, PROVINCE_USER, "province")
    store.grant(admin, PROVINCE_DV_USER, "province")
    store.grant(admin, PROVINCE_DV_USER, "dv")
    pop = _population()
    for iid, kind, _name, _mun, _parent in insts:
        if kind in ("csw", "provider", "residential"):
            store.grant(admin, f"{iid}-worker", "worker", iid)
            store.grant(admin, f"{iid}-head", "head", iid)
            if kind == "csw":
                store.grant(admin, f"{iid}-worker", "dv", iid)
                store.grant(admin, f"{iid}-head", "dv", iid)
    positions = {f"RS{o:02d}{s:02d}": (lat, lon) for (o, s), (lat, lon) in
                 _positions().items()}
    plan: dict[str, list[tuple[str, str, dict, str]]] = {f: [] for f in forms}
    csw_base: dict[str, dict] = {}
    res_before: dict[str, dict] = {}
    outlier_done = False
    for step, period in enumerate(quarters):
        last = step == len(quarters) - 1
        for iid, kind, _name, mun, _parent in insts:
            if kind != "csw":
                continue
            state = _latest_state(rng) if last else "accepted"
            dv = _dv(rng, pop[mun], step)
            if last and state == "draft" and rng.random() < 0.5:   # a slip: sex ≠ total
                dv["victims_male"] = str(int(dv["victims_male"]) + 2)
                dv["victims_total"] = str(max(int(dv["victims_total"]),
                                              int(dv["victims_male"])))
            plan["domestic_violence"].append((iid, period, dv, state))
            state = _latest_state(rng) if last else "accepted"
            csw = _csw(rng, pop[mun], csw_base.get(iid))
            csw_base[iid] = csw
            csw = {k: v for k, v in csw.items() if not k.startswith("_")}
            if last and state == "draft" and not outlier_done:   # typed ten times too high
                csw["active_cases"] = str(int(csw["active_cases"]) * 10)
                outlier_done = True
            plan["csw_state"].append((iid, period, csw, state))
    for step, year in enumerate(years):
        last = step == len(years) - 1
        for iid, kind, _name, mun, _parent in insts:
            if kind == "provider":
                lat, lon = positions[mun]
                plan["providers"].append((iid, year, _provider(
                    rng, pop[mun], iid.endswith("-2"), lat, lon, year),
                    _latest_state(rng) if last else "accepted"))
            elif kind == "residential":
                rec = _residential(rng, pop[mun], res_before.get(iid))
                res_before[iid] = rec
                plan["residential"].append((iid, year, rec,
                                            _latest_state(rng) if last else "accepted"))
    actors: dict[str, Actor] = {}

    def actor(user: str) -> Actor:
        if user not in actors:
            actors[user] = store.actor(user)
        return actors[user]

    info = DemoStore(str(store.engine.url.render_as_string(hide_password=True)), insts)
    for form_id, items in plan.items():
        if not items:
            continue
        form = forms[form_id]
        # the form's validation of every record at once (as a bulk import does)
        checked = validate_frame(form, pd.DataFrame([values for *_, values, _s in items]))
        if not checked.ok:
            bad = checked.issues[0]
            raise ValueError(f"demo record {form_id} {items[bad.row][:2]} is invalid: {bad}")
        clean = [(iid, period, values) for (iid, period, _v, _s), values
                 in zip(items, checked.records(), strict=True)]
        saved = store.save_many(admin, form_id, form.version, clean, source="demo")
        for rec, (iid, _period, _values, state) in zip(saved, items, strict=True):
            worker, head = actor(f"{iid}-worker"), actor(f"{iid}-head")
            province = actor(PROVINCE_DV_USER)
            info.states[state] = info.states.get(state, 0) + 1
            info.records += 1
            if state == "draft":
                continue
            rec = store.submit(worker, rec.record_id, rec.version)
            if state == "submitted":
                continue
            if state == "returned":
                store.return_record(head, rec.record_id, rec.version, _COMMENTS[form_id])
                continue
            rec = store.approve(head, rec.record_id, rec.version)
            if state == "accepted":
                store.accept(province, rec.record_id, rec.version)
    return info


def _positions() -> dict[tuple[int, int], tuple[float, float]]:
    serial: dict[int, int] = {}
    out = {}
    for okrug, _local, _pop, lat, lon, _v in _rs.MUNICIPALITIES:
        serial[okrug] = serial.get(okrug, 0) + 1
        out[(okrug, serial[okrug])] = (lat, lon)
    return out


def municipality_names() -> dict[str, tuple[str, str]]:
    """``{municipality_id: (Latin name, Cyrillic name)}`` of the demo."""
    serial: dict[int, int] = {}
    out = {}
    for okrug, local, *_ in _rs.MUNICIPALITIES:
        serial[okrug] = serial.get(okrug, 0) + 1
        out[f"RS{okrug:02d}{serial[okrug]:02d}"] = (serbian_latin(local), local)
    return out


def demo_catalog(folder=None, *, municipalities: int | None = None, seed: int = 17):
    """Build the demo store as a SQLite file in ``folder`` (default: a new temporary folder)
    and write beside it the intake catalog that reads it, with the domestic-violence entry
    (``store.yaml``); return the catalog's path."""
    import tempfile
    from pathlib import Path

    from ..data.catalog import write_catalog
    from .catalog import store_catalog
    from .core import close_stores

    folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="sk-store-"))
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    build_demo_store(url, seed=seed, municipalities=municipalities)
    close_stores()
    spec = store_catalog("sqlite", restricted=True)
    spec["user_parameters"]["db_url"]["default"] = url
    spec["metadata"].update({"title": "socialkit demo store: Vojvodina (synthetic)",
                             "synthetic": True})
    return write_catalog(folder / "store.yaml", spec)

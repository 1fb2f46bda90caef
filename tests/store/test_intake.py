"""The accepted records reach analyses through an intake catalog (a SQL source), never through
an import of the store; restricted forms are not in the template's entry."""

from __future__ import annotations

import intake
import pandas as pd
import yaml

from socialkit import config
from socialkit.data.catalog import open_catalog, read_entry, write_catalog
from socialkit.data.catalog_safety import check_catalog_spec
from socialkit.store import Actor
from socialkit.store.catalog import store_catalog


def test_committed_store_templates_match_the_generator():
    for kind in ("sqlite", "postgresql"):
        path = config.PROJECT_ROOT / "catalogs" / f"store_{kind}.yaml"
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert spec == store_catalog(kind)
        check_catalog_spec(spec, path)  # opening it runs no code


def _fill(world):
    st, admin = world.store, Actor.system()
    for inst, staff in (("csw-a", 10), ("csw-b", 20)):
        r = st.save(admin, "csw_state", "1", inst, "2026Q1", {"staff": staff, "vacancies": 1.5})
        r = st.approve(admin, st.submit(admin, r.record_id, 1).record_id, 2)
        st.accept(admin, r.record_id, r.version)
    st.save(admin, "csw_state", "1", "csw-a", "2026Q2", {"staff": 99})      # a draft
    r = st.save(admin, "dv_quarterly", "1", "csw-a", "2026Q1", {"victims_f": 7})
    r = st.approve(admin, st.submit(admin, r.record_id, 1).record_id, 2)
    st.accept(admin, r.record_id, r.version)


def test_intake_reads_the_accepted_records(world, tmp_path):
    _fill(world)
    kind = world.store.engine.url.get_backend_name()
    spec = store_catalog(kind)
    spec["user_parameters"]["db_url"]["default"] = world.url
    path = write_catalog(tmp_path / "store.yaml", spec)

    frame = intake.from_yaml_file(str(path))["accepted_values"].read()
    assert set(frame["form_id"]) == {"csw_state"}                  # no draft, no dv form
    assert set(frame["period"]) == {"2026Q1"}
    wide = frame.pivot(index=["institution_id", "period"], columns="field", values="value")
    assert pd.to_numeric(wide["staff"]).tolist() == [10, 20]
    assert pd.to_numeric(wide["vacancies"]).tolist() == [1.5, 1.5]
    assert set(frame["municipality_id"]) == {"M1", "M2"}

    cat = open_catalog(path)                                       # socialkit's checked opener
    assert len(cat(form_id="dv_quarterly")["accepted_values"].read()) == 0
    assert len(read_entry(path, "accepted_values", form_id="csw_state")) == 4
    assert read_entry(path, "institutions")["institution_id"].tolist() == [
        "csw-a", "csw-b", "pzsz"]


def test_the_restricted_view_holds_the_dv_forms(world):
    _fill(world)
    frame = pd.read_sql("SELECT * FROM accepted_values_restricted", world.store.engine)
    assert frame[["form_id", "field", "value"]].values.tolist() == [
        ["dv_quarterly", "victims_f", "7"]]

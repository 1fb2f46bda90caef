"""The demo region: deterministic, complete, realistic warts, fast at full scale."""

from __future__ import annotations

import filecmp
import time
from pathlib import Path

import intake
import pandas as pd
import pytest

from socialkit import config
from socialkit.data import TABLES, load_all, validate_catalog
from socialkit.data.demo import generate_demo, write_demo
from socialkit.data.schemas import FACILITY_KINDS, PASSPORT_INDICATORS


def test_intake_itself_opens_the_catalog_and_reads_every_entry(demo_catalog: Path):
    cat = intake.from_yaml_file(str(demo_catalog))
    assert set(cat.entries) == {*TABLES, "boundaries"}  # boundaries: GeoJSON, optional
    for name in TABLES:
        frame = cat[name].read()
        assert len(frame) > 0, name
    # the v1-style opener of intake 2 reads it too
    assert len(intake.open_catalog(str(demo_catalog))["municipalities"].read()) == 10


def test_catalog_paths_are_relative_to_its_folder(demo_dir: Path, tmp_path: Path):
    text = (demo_dir / "catalog.yaml").read_text(encoding="utf-8")
    assert "{CATALOG_DIR}/settlements.csv" in text
    assert str(demo_dir) not in text
    moved = tmp_path / "moved"
    moved.mkdir()
    for f in demo_dir.iterdir():
        (moved / f.name).write_bytes(f.read_bytes())
    assert len(load_all(moved / "catalog.yaml")["settlements"]) > 0


def test_same_seed_gives_byte_identical_files(demo_dir: Path, tmp_path: Path):
    again = write_demo(tmp_path / "again").parent
    names = sorted(p.name for p in demo_dir.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(demo_dir, again, names, shallow=False)
    assert mismatch == [] and errors == []


def test_other_seed_gives_other_numbers():
    a = generate_demo(3, seed=1)["settlements"]["population"]
    b = generate_demo(3, seed=2)["settlements"]["population"]
    assert not a.equals(b)


def test_bundled_demo_matches_the_generator(tmp_path: Path):
    """catalogs/demo/ is what `socialkit demo` writes: regenerate it when the generator changes."""
    bundled = config.demo_data_dir()
    fresh = write_demo(tmp_path / "fresh").parent
    names = sorted(p.name for p in fresh.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(bundled, fresh, names, shallow=False)
    assert mismatch == [] and errors == [], "run `socialkit demo` and commit catalogs/demo/"
    assert len(load_all(config.PROJECT_ROOT / "catalogs" / "demo.yaml")["municipalities"]) == 10


def test_demo_validates(demo_catalog: Path):
    assert validate_catalog(demo_catalog) == []


def test_demo_content(demo_tables: dict[str, pd.DataFrame]):
    mun = demo_tables["municipalities"]
    assert len(mun) == 10
    assert set(mun["region"]) == {"Donetsk", "Luhansk"}
    assert mun["municipality_id"].str.fullmatch(r"UA\d{17}").all()
    per = demo_tables["settlements"].groupby("municipality_id").size()
    assert per.between(10, 60).all()
    st = demo_tables["settlements"]
    assert st["population"].isna().sum() == 1  # wart: a settlement with no population
    pop = st["population"].dropna().astype(float)
    assert pop.skew() > 2  # skewed populations
    fac = demo_tables["facilities"]
    assert set(fac["kind"]) == set(FACILITY_KINDS)
    assert (~st["settlement_id"].isin(fac["settlement_id"])).mean() > 0.3  # many without any
    pv = demo_tables["passport_values"]
    assert set(pv["indicator_id"]) == set(PASSPORT_INDICATORS)
    assert set(pv["year"]) == {2020, 2021}
    assert pv["value"].isna().any()  # wart: missing counts
    rounds = demo_tables["maturity_responses"].groupby("municipality_id")["round"].nunique()
    assert set(demo_tables["maturity_responses"]["round"]) == {"2020-12", "2021-04"}
    assert (rounds == 1).sum() == 1  # wart: one municipality skipped a round
    iv = demo_tables["indicator_values"]
    assert iv["period"].str.fullmatch(r"\d{4}Q[1-4]").all()
    assert {"female", "male"} <= set(iv["sex"]) and {"0-17", "18-59", "60+"} <= set(iv["age_group"])
    assert len(demo_tables["services"]) == 10
    assert demo_tables["service_scores"].groupby("service_id")["evaluator"].nunique().min() >= 2


@pytest.mark.slow
def test_full_scale_generation_takes_seconds():
    start = time.perf_counter()
    tables = generate_demo(1469)
    elapsed = time.perf_counter() - start
    assert len(tables["municipalities"]) == 1469
    assert tables["municipalities"]["municipality_id"].is_unique
    assert tables["settlements"]["settlement_id"].is_unique
    assert elapsed < 60  # generous bound for a busy CI machine; typically ~2 s


def test_scale_out_of_range_is_refused():
    from socialkit.errors import SocialkitError

    with pytest.raises(SocialkitError, match="1 to 1469"):
        generate_demo(0)

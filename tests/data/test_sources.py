"""Excel and SQL sources: templates that intake opens, identical tables, bound parameters."""

from __future__ import annotations

from pathlib import Path

import intake
import pandas.testing as pdt
import yaml

from socialkit import config
from socialkit.data import load, load_all
from socialkit.data.catalog import template_catalog
from socialkit.data.export import export_tables


def test_committed_templates_match_the_generator():
    for kind in ("excel", "sqlite", "postgresql"):
        path = config.PROJECT_ROOT / "catalogs" / f"{kind}_template.yaml"
        assert yaml.safe_load(path.read_text(encoding="utf-8")) == template_catalog(kind)


def test_excel_and_sqlite_round_trip(demo_tables, tmp_path: Path):
    for kind in ("excel", "sqlite"):
        cat_path = export_tables(demo_tables, tmp_path / kind, kind)
        assert len(intake.from_yaml_file(str(cat_path))["settlements"].read()) > 0
        back = load_all(cat_path)
        assert set(back) == set(demo_tables)
        for name, frame in demo_tables.items():
            pdt.assert_frame_equal(back[name], frame, obj=f"{kind}:{name}")


def test_sql_municipality_is_a_bound_parameter(demo_tables, tmp_path: Path):
    cat_path = export_tables(demo_tables, tmp_path / "sql", "sqlite")
    first = demo_tables["municipalities"]["municipality_id"].iloc[0]
    one = load("settlements", cat_path, municipality_id=first)
    assert set(one["municipality_id"]) == {first}
    injected = load("settlements", cat_path, municipality_id="x' OR '1'='1")
    assert injected.empty
    spec = yaml.safe_load((config.PROJECT_ROOT / "catalogs" / "sqlite_template.yaml").read_text())
    query = spec["data"]["settlements_query"]["kwargs"]["query"]
    assert "municipality_id = :municipality_id" in query
    assert "{municipality_id}" not in query  # never formatted into the SQL string
    params = spec["entries"]["settlements"]["kwargs"]["params"]
    assert params == {"municipality_id": "{municipality_id}"}

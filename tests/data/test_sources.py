"""Excel and SQL sources: templates that intake opens, identical tables, bound parameters."""

from __future__ import annotations

from pathlib import Path

import intake
import pandas.testing as pdt
import pytest
import yaml

from socialkit import config
from socialkit.data import load, load_all
from socialkit.data.catalog import template_catalog, write_catalog
from socialkit.data.export import export_tables


def test_committed_templates_match_the_generator():
    for kind in ("excel", "sqlite", "postgresql"):
        path = config.PROJECT_ROOT / "catalogs" / f"{kind}_template.yaml"
        assert yaml.safe_load(path.read_text(encoding="utf-8")) == template_catalog(kind)


def _postgresql_catalog(tables: dict, out: Path, url: str) -> Path:
    """The demo tables in the PostgreSQL database at ``url``, and the template catalog for it."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as con:
        for name, frame in tables.items():
            frame.to_sql(name, con, index=False, if_exists="replace")
    engine.dispose()
    spec = template_catalog("postgresql")
    spec["user_parameters"]["db_url"]["default"] = url
    out.mkdir(parents=True, exist_ok=True)
    return write_catalog(out / "catalog.yaml", spec)


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_source(request, demo_tables, tmp_path: Path):
    """``(kind, catalog path, server)``: the demo tables in SQLite, or in a real PostgreSQL."""
    if request.param == "sqlite":
        return "sqlite", export_tables(demo_tables, tmp_path / "sqlite", "sqlite"), None
    server = request.getfixturevalue("pg_server")
    return "postgresql", _postgresql_catalog(demo_tables, tmp_path / "pg", server.url), server


def test_excel_round_trip(demo_tables, tmp_path: Path):
    cat_path = export_tables(demo_tables, tmp_path / "excel", "excel")
    assert len(intake.from_yaml_file(str(cat_path))["settlements"].read()) > 0
    back = load_all(cat_path)
    assert set(back) == set(demo_tables)
    for name, frame in demo_tables.items():
        pdt.assert_frame_equal(back[name], frame, obj=f"excel:{name}")


def test_sql_round_trip(sql_source, demo_tables):
    kind, cat_path, _server = sql_source
    assert len(intake.from_yaml_file(str(cat_path))["settlements"].read()) > 0
    back = load_all(cat_path)
    assert set(back) == set(demo_tables)
    for name, frame in demo_tables.items():
        pdt.assert_frame_equal(back[name], frame, obj=f"{kind}:{name}")


INJECTION = "x' OR '1'='1"


def test_sql_municipality_is_a_bound_parameter(sql_source, demo_tables):
    kind, cat_path, server = sql_source
    first = demo_tables["municipalities"]["municipality_id"].iloc[0]
    one = load("settlements", cat_path, municipality_id=first)
    assert set(one["municipality_id"]) == {first}
    assert len(one) == (demo_tables["settlements"]["municipality_id"] == first).sum()
    injected = load("settlements", cat_path, municipality_id=INJECTION)
    assert injected.empty
    dropper = "x'; DROP TABLE settlements; --"
    assert load("settlements", cat_path, municipality_id=dropper).empty
    assert len(load("settlements", cat_path)) == len(demo_tables["settlements"])
    spec = yaml.safe_load((config.PROJECT_ROOT / "catalogs" / f"{kind}_template.yaml").read_text())
    query = spec["data"]["settlements_query"]["kwargs"]["query"]
    placeholder = ":municipality_id" if kind == "sqlite" else "%(municipality_id)s"
    assert f"municipality_id = {placeholder}" in query
    assert "{municipality_id}" not in query  # never formatted into the SQL string
    params = spec["entries"]["settlements"]["kwargs"]["params"]
    assert params == {"municipality_id": "{municipality_id}"}
    if server is not None and server.log is not None:
        # what the server received: the statement holds $1, the id only comes as its value
        log = server.log_text()
        statements = [line for line in log.splitlines() if "FROM settlements" in line]
        assert statements and all("$1" in line for line in statements), statements
        assert "municipality_id = $1" in statements[-1]
        assert INJECTION not in "\n".join(statements)
        assert "parameters: $1 = 'x'' OR ''1''=''1'" in log


def test_unreachable_postgresql_is_a_clear_error_without_the_password(tmp_path: Path):
    from socialkit.errors import DataValidationError

    spec = template_catalog("postgresql")
    socket_dir = tmp_path / "no-server"
    socket_dir.mkdir()
    spec["user_parameters"]["db_url"]["default"] = (
        f"postgresql+psycopg://analyst:s3cret-pw@/social?host={socket_dir}")
    cat_path = write_catalog(tmp_path / "catalog.yaml", spec)
    with pytest.raises(DataValidationError) as info:
        load("settlements", cat_path)
    message = str(info.value)
    assert "catalog.yaml: entry 'settlements' (SQL query)" in message
    assert "cannot be read" in message and "connection" in message
    assert "s3cret-pw" not in message

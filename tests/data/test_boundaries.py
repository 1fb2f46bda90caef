"""The optional boundaries table: read through the intake catalog, checked, refused clearly."""

from __future__ import annotations

import json
from pathlib import Path

import intake
import pytest
import yaml

from socialkit.data.boundaries import load_boundaries
from socialkit.errors import DataValidationError


def test_boundaries_open_through_the_catalog(demo_catalog: Path, demo_tables: dict):
    # intake itself, with its own GeoPandasReader
    frame = intake.from_yaml_file(str(demo_catalog))["boundaries"].read()
    assert type(frame).__name__ == "GeoDataFrame"
    b = load_boundaries(demo_catalog)
    assert b.crs.to_epsg() == 4326
    st, mun = demo_tables["settlements"], demo_tables["municipalities"]
    settlements = b[b["level"] == "settlement"]
    assert sorted(settlements["unit_id"]) == sorted(st["settlement_id"])
    assert sorted(b.loc[b["level"] == "municipality", "unit_id"]) == sorted(
        mun["municipality_id"])
    assert set(b.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    assert b["synthetic"].all()  # the demo says its shapes are made up
    # every settlement lies in its own cell, and the cells do not overlap
    pts = st.set_index("settlement_id")
    cells = settlements.set_index("unit_id").geometry
    import shapely

    inside = shapely.contains_xy(cells.to_numpy(), pts.loc[cells.index, "lon"].to_numpy(),
                                 pts.loc[cells.index, "lat"].to_numpy())
    assert inside.all()
    areas = shapely.area(cells.to_numpy())
    assert shapely.area(shapely.union_all(cells.to_numpy())) == pytest.approx(areas.sum(),
                                                                          rel=1e-6)
    one = load_boundaries(demo_catalog, mun["municipality_id"].iloc[0])
    assert set(one["municipality_id"]) == {mun["municipality_id"].iloc[0]}


def _catalog_with(tmp_path: Path, demo_dir: Path, features: list[dict], crs: str | None = None,
                  ) -> Path:
    spec = yaml.safe_load((demo_dir / "catalog.yaml").read_text(encoding="utf-8"))
    for key, data in spec["data"].items():
        if key != "boundaries_file":
            data["kwargs"]["url"] = data["kwargs"]["url"].replace("{CATALOG_DIR}", str(demo_dir))
    collection = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    (tmp_path / "boundaries.geojson").write_text(json.dumps(collection), encoding="utf-8")
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


SQUARE = {"type": "Polygon", "coordinates": [[[37.0, 48.0], [37.1, 48.0], [37.1, 48.1],
                                              [37.0, 48.1], [37.0, 48.0]]]}


def test_a_bad_boundaries_file_is_refused_with_a_clear_message(tmp_path, demo_dir):
    features = [
        {"type": "Feature", "geometry": SQUARE,
         "properties": {"unit_id": "S1", "level": "settlement", "municipality_id": "M1"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.0, 48.0]},
         "properties": {"unit_id": "S2", "level": "settlement", "municipality_id": "M1"}},
        {"type": "Feature", "geometry": SQUARE,
         "properties": {"unit_id": "S3", "level": "district", "municipality_id": "M1"}},
    ]
    catalog = _catalog_with(tmp_path, demo_dir, features)
    with pytest.raises(DataValidationError) as err:
        load_boundaries(catalog)
    text = str(err.value)
    assert str(tmp_path / "boundaries.geojson") in text
    assert "feature 2" in text and "not a polygon" in text and "Polygon or MultiPolygon" in text
    assert "feature 3" in text and "municipality or settlement" in text
    assert "Traceback" not in text


def test_missing_id_column_and_projected_crs_are_named(tmp_path, demo_dir):
    features = [{"type": "Feature", "geometry": SQUARE, "properties": {"level": "settlement",
                                                                       "municipality_id": "M1"}}]
    catalog = _catalog_with(tmp_path, demo_dir, features, crs="urn:ogc:def:crs:EPSG::3857")
    with pytest.raises(DataValidationError) as err:
        load_boundaries(catalog)
    text = str(err.value)
    assert "column 'unit_id'" in text and "required column is missing" in text
    assert "EPSG:4326" in text and "3857" in text


def test_validate_cli_reports_bad_boundaries_without_traceback(tmp_path, demo_dir):
    from typer.testing import CliRunner

    from socialkit.cli import app

    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [37, 48]},
                 "properties": {"unit_id": "S1", "level": "settlement", "municipality_id": "M"}}]
    catalog = _catalog_with(tmp_path, demo_dir, features)
    result = CliRunner().invoke(app, ["validate", "--catalog", str(catalog)])
    assert result.exit_code == 1
    assert "feature 1" in result.output and "not a polygon" in result.output
    assert "Traceback" not in result.output


def test_a_catalog_without_boundaries_gives_none(tmp_path, demo_dir):
    spec = yaml.safe_load((demo_dir / "catalog.yaml").read_text(encoding="utf-8"))
    spec["entries"].pop("boundaries")
    spec["data"].pop("boundaries_file")
    for data in spec["data"].values():
        data["kwargs"]["url"] = data["kwargs"]["url"].replace("{CATALOG_DIR}", str(demo_dir))
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    assert load_boundaries(path) is None


@pytest.mark.filterwarnings("ignore:File /vsimem")
def test_a_geopackage_named_by_the_catalog_is_read_too(tmp_path, demo_dir):
    import geopandas as gpd

    gpd.read_file(demo_dir / "boundaries.geojson").to_file(tmp_path / "b.gpkg", driver="GPKG")
    spec = yaml.safe_load((demo_dir / "catalog.yaml").read_text(encoding="utf-8"))
    for data in spec["data"].values():
        data["kwargs"]["url"] = data["kwargs"]["url"].replace("{CATALOG_DIR}", str(demo_dir))
    spec["data"]["boundaries_file"] = {"datatype": "intake.readers.datatypes:GeoPackage",
                                       "kwargs": {"url": "{CATALOG_DIR}/b.gpkg"},
                                       "metadata": {}, "user_parameters": {}}
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    b = load_boundaries(path)
    assert len(b) == len(gpd.read_file(demo_dir / "boundaries.geojson"))
    assert b.crs.to_epsg() == 4326

"""Opening a catalog never runs code: readers, classes and templates outside the allow-list are
refused before intake builds anything (adversarial cases)."""

from __future__ import annotations

import copy

import pytest
import yaml

from socialkit import config
from socialkit.cli import main
from socialkit.data.catalog import open_catalog
from socialkit.data.catalog_safety import UnsafeCatalogError


@pytest.fixture
def spec(demo_catalog):
    """The demo catalog's spec with absolute data paths (so it can be written anywhere)."""
    raw = yaml.safe_load(demo_catalog.read_text(encoding="utf-8"))
    for d in raw["data"].values():
        d["kwargs"]["url"] = d["kwargs"]["url"].replace("{CATALOG_DIR}", str(demo_catalog.parent))
    return raw


def _write(tmp_path, spec, name="evil.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def test_shell_command_in_a_catalog_never_runs(tmp_path, spec, capsys):
    marker = tmp_path / "marker"
    spec["entries"]["municipalities"] = {
        "reader": "intake.readers.convert:GenericFunc",
        "kwargs": {"func": "{func(os:system)}", "args": [f"touch {marker}"]},
        "output_instance": "pandas:DataFrame", "metadata": {}, "user_parameters": {},
    }
    path = _write(tmp_path, spec)
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--catalog", str(path)])
    assert exc.value.code == 1
    assert not marker.exists(), "the catalog ran a shell command"
    err = capsys.readouterr().err
    assert "entry 'municipalities', reader: 'intake.readers.convert:GenericFunc'" in err
    assert "intake.readers.readers:PandasCSV" in err and "Traceback" not in err


def _entry(spec):
    return spec["entries"]["municipalities"]


def _data(spec):
    return spec["data"]["municipalities_file"]


ATTACKS = {
    # a template that imports a callable, inside an allowed reader's arguments
    "func_template_in_kwargs": lambda s: _entry(s)["kwargs"].update(
        converters={"name": "{func(os:system)}"}),
    "import_template_in_data": lambda s: _data(s)["kwargs"].update(url="{import(os:getcwd)}"),
    "pickle_template": lambda s: _entry(s)["kwargs"].update(sep="{pickle64(gASVAAAA)}"),
    # str.format_map follows attributes and items
    "format_attribute": lambda s: _data(s)["kwargs"].update(
        url="{CATALOG_DIR.__class__.__mro__}/x.csv"),
    "format_item": lambda s: _data(s)["kwargs"].update(url="{CATALOG_DIR[0]}/x.csv"),
    "format_spec": lambda s: _data(s)["kwargs"].update(url="{CATALOG_DIR:>99999999}"),
    # environment variables other than SOCIALKIT_* (secrets, keys)
    "env_template": lambda s: _data(s)["kwargs"].update(url="/tmp/{env(HOME)}.csv"),
    "unknown_data_reference": lambda s: _entry(s)["kwargs"].update(args=["{data(nowhere)}"]),
    # classes named by the file
    "entry_cls": lambda s: _entry(s).update(cls="intake.readers.convert:GenericFunc"),
    "data_datatype": lambda s: _data(s).update(datatype="intake.readers.datatypes:Service"),
    "output_instance": lambda s: _entry(s).update(output_instance="os:system"),
    "parameter_cls": lambda s: s["user_parameters"].update(p={"cls": "os:system"}),
    "parameter_default_func": lambda s: s["user_parameters"].update(p={
        "cls": "intake.readers.user_parameters:SimpleUserParameter",
        "default": "func(os:system)"}),
    "entry_parameter_default": lambda s: _entry(s).update(user_parameters={"p": {
        "cls": "intake.readers.user_parameters:SimpleUserParameter",
        "default": "import(subprocess:run)"}}),
    "metadata_imports": lambda s: _entry(s)["metadata"].update(imports=["antigravity"]),
    "other_reader": lambda s: _entry(s).update(reader="intake.readers.readers:PythonModule"),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_is_refused_naming_entry(tmp_path, spec, attack):
    evil = copy.deepcopy(spec)
    ATTACKS[attack](evil)
    path = _write(tmp_path, evil)
    with pytest.raises(UnsafeCatalogError, match="is not allowed; opening a catalog never runs "
                       "code") as exc:
        open_catalog(path)
    assert str(path) in str(exc.value)


@pytest.mark.parametrize("name", ["demo.yaml", "excel_template.yaml", "sqlite_template.yaml",
                                  "postgresql_template.yaml"])
def test_shipped_catalogs_still_open(name):
    cat = open_catalog(config.PACKAGE_DIR.parent / "catalogs" / name)
    assert "municipalities" in cat.entries


def test_checked_catalog_reads_as_before(demo_catalog):
    frame = open_catalog(demo_catalog)["municipalities"].read()
    assert len(frame) > 0 and "municipality_id" in frame

"""The framework file: the shipped one is complete, a bad one is rejected naming the key."""

from __future__ import annotations

import copy

import pytest
import yaml
from maturity_cases import TINY

from socialkit import config
from socialkit.errors import FrameworkError
from socialkit.maturity import load_framework


@pytest.fixture(scope="module")
def shipped_raw() -> dict:
    return yaml.safe_load(config.framework_path("maturity").read_text(encoding="utf-8"))


def test_shipped_framework_is_complete():
    fw = load_framework()
    assert 6 <= len(fw.dimensions) <= 8
    ids = [i.id for d in fw.dimensions for i in d.items]
    assert len(ids) == len(set(ids))
    for d in fw.dimensions:
        assert 4 <= len(d.items) <= 8
        assert d.name["en"] and d.name["uk"]
        for item in d.items:
            assert item.id.startswith(d.id + ".")
            assert item.text["uk"] and item.evidence["uk"] and item.respondent in fw.roles
            assert sorted(item.scale) == [0, 1, 2, 3, 4]
            assert all(p["en"] and p["uk"] for p in item.scale.values())
    assert [lev.level for lev in fw.levels] == [1, 2, 3, 4, 5]
    assert fw.levels[0].name["en"] == "Initial" and fw.levels[-1].name["en"] == "Transformational"
    assert all(lev.description["uk"] for lev in fw.levels)
    # an action for every dimension and every level above the first
    have = {(a.dimension, a.target_level) for a in fw.actions}
    assert have == {(d, lev) for d in fw.dimension_ids for lev in range(2, 6)}
    for a in fw.actions:
        assert a.title["uk"] and a.description["uk"] and a.indicator["uk"]
    assert fw.spec.params("aggregate").dat_thresh == [0.6, 0.75]


def test_level_bands(tiny):
    assert [tiny.level_for(s).level for s in (0, 39.99, 40, 69.9, 70, 100)] == [1, 1, 2, 2, 3, 3]


def _broken(raw: dict, change) -> dict:
    data = copy.deepcopy(raw)
    change(data)
    return data


@pytest.mark.parametrize(("change", "key", "words"), [
    (lambda d: d["dimensions"][2]["items"][0].update(scale={0: {"en": "only one"}}),
     "dimensions[2].items[0].scale", "at least two points"),
    (lambda d: d["dimensions"][1]["items"][3]["scale"].pop(2),
     "dimensions[1].items[3].scale", "consecutive"),
    (lambda d: d["dimensions"][0]["items"][1]["scale"].update({3: {"uk": "лише українською"}}),
     "dimensions[0].items[1].scale[3]", "English"),
    (lambda d: d["dimensions"][4]["items"][2].update(weight=-1),
     "dimensions[4].items[2].weight", "greater than or equal"),
    (lambda d: d["dimensions"][3]["items"][0]["scale"].update(
        {2: {"en": "half", "but more": None}}),
     "dimensions[3].items[0].scale[2]", "unknown key 'but more'"),
    (lambda d: d["dimensions"][5]["items"][1].update(respondent="mayor"),
     "dimensions[5].items[1].respondent", "unknown role"),
    (lambda d: d["dimensions"][6]["items"][4].update(id="SEC.1"),
     "dimensions[6].items[4].id", "already used"),
    (lambda d: d["levels"][2].update(min=10),
     "levels[2].min", "increase"),
    (lambda d: d["actions"][3].update(effort="huge"), "actions[3].effort", "unknown effort"),
    (lambda d: d["actions"][0].update(dimension="XYZ"), "actions[0].dimension", "unknown"),
    (lambda d: d["actions"][5].update(target_level=9), "actions[5].target_level", "level"),
    (lambda d: d["index"]["steps"][1]["aggregate"].update(method="median"),
     "index.steps[1].aggregate.method", "unknown method"),
    (lambda d: d["index"].update(steps=[{"normalise": {"method": "goalposts"}}]),
     "index.steps", "aggregate"),
    (lambda d: d.pop("levels"), "levels", "required"),
    (lambda d: d["cost_bands"]["low"]["max"].pop("UAH"), "cost_bands.low",
     "no amount in the framework's currency UAH"),
    (lambda d: d["cost_bands"]["medium"]["max"].update(MDL=1000), "cost_bands.medium.max.MDL",
     "not above min"),
    (lambda d: d["cost_bands"].update(odd={"max": {"uah": 5}}), "cost_bands.odd.max.uah",
     "pattern"),
])
def test_bad_framework_names_the_key(shipped_raw, change, key, words):
    with pytest.raises(FrameworkError) as err:
        load_framework(_broken(shipped_raw, change))
    assert err.value.key == key
    assert f"key '{key}'" in str(err.value)
    assert words.lower() in str(err.value).lower()


def test_bad_file(tmp_path):
    with pytest.raises(FrameworkError, match="file not found"):
        load_framework(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("dimensions: [\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="not valid YAML") as err:
        load_framework(bad)
    assert str(bad) in str(err.value)
    # a comma in unquoted flow text splits it into an unknown key: caught, with the path
    flow = tmp_path / "flow.yaml"
    text = TINY.read_text(encoding="utf-8").replace("{en: a bit}", "{en: a bit, or so}", 1)
    flow.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError, match="unknown key") as err:
        load_framework(flow)
    assert err.value.key == "dimensions[0].items[0].scale[1]"
    assert str(flow) in str(err.value)


def test_cost_bands_in_the_catalogs_currency_and_language():
    """A band with amounts is written in the reader's language and the catalog's currency;
    a band given as plain text (the older format) still reads; an unknown currency falls back
    to the framework's."""
    from socialkit.maturity.report import cost_label

    fw = load_framework()
    assert [cost_label(fw, b, "en") for b in ("none", "low", "medium", "high")] == [
        "No extra cost (staff time)", "Up to 50,000 UAH", "50,000–500,000 UAH",
        "Over 500,000 UAH"]
    assert cost_label(fw, "low", "uk") == "До 50\xa0000 грн"
    assert cost_label(fw, "medium", "ro", "MDL") == "30.000–300.000 lei"
    assert cost_label(fw, "high", "sr-Latn", "RSD") == "Preko 2.000.000 din."
    assert cost_label(fw, "low", "ru", "BYN") == "До 5\xa0000 руб."
    assert cost_label(fw, "low", "be", "BYN") == "Да 5\xa0000 руб."
    assert cost_label(fw, "low", "en", "EUR") == "Up to 50,000 UAH"
    assert cost_label(fw, "huge", "en") == "huge"
    raw = yaml.safe_load((config.FRAMEWORKS_DIR / "maturity.yaml").read_text(encoding="utf-8"))
    raw["cost_bands"]["low"] = {"en": "Cheap", "uk": "Дешево"}
    assert cost_label(load_framework(raw), "low", "uk", "MDL") == "Дешево"


def test_the_catalogs_currency_reaches_the_action_plan(tmp_path):
    from socialkit.maturity.files import assess_catalog
    from socialkit.maturity.report import view

    md = config.PROJECT_ROOT / "catalogs" / "moldova.yaml"
    res = assess_catalog(md)
    assert res.currency == "MDL"
    mid = res.action_plan["municipality_id"].iloc[0]
    plan = view(res, "action_plan", mid, "ro")
    costs = set(plan[next(c for c in plan.columns if "ost" in c)])
    assert costs and all("UAH" not in c and "grn" not in c for c in costs)
    assert any("lei" in c for c in costs) or costs <= {"Fără costuri suplimentare (timpul "
                                                       "personalului)"}
    # a catalog whose metadata names a currency that is not an ISO code: a clear error
    bad = tmp_path / "bad.yaml"
    bad.write_text(md.read_text(encoding="utf-8").replace("currency: MDL", "currency: lei")
                   .replace("{CATALOG_DIR}", str(md.parent)), encoding="utf-8")
    from socialkit.errors import SocialkitError

    with pytest.raises(SocialkitError, match="metadata 'currency' is 'lei'; expected an ISO"):
        assess_catalog(bad)

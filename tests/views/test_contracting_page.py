"""The state social order page: a customer's user sees only their own competitions, contracts
and providers (restricted on the server), a user linked to no customer and an anonymous
visitor see nothing; every tab renders in every language, in that language; the tables agree
with the library's computations."""

from __future__ import annotations

import re

import panel as pn
import pytest
from views_cases import A, open_page, view_text

from socialkit import config
from socialkit.contracting.load import read_contracting_all
from socialkit.contracting.pipeline import competition_pipeline, contract_status
from socialkit.contracting.scope import for_customer
from socialkit.views import create_app

ROOT = config.PROJECT_ROOT / "catalogs" / "belarus_contracting"
MAZYR = "hom-mazyr-ec"


@pytest.fixture(scope="module")
def demo():
    return read_contracting_all(ROOT)


@pytest.fixture(autouse=True)
def _contracting(monkeypatch):
    monkeypatch.setenv("SOCIALKIT_CONTRACTING", str(ROOT))


def _tabs(app):
    return open_page(app, "contracting")


def _text(view) -> str:
    return view_text(view)


def _table(view, css: str):
    found = [o.object for o in view.select(pn.pane.DataFrame) if css in o.css_classes]
    assert len(found) == 1, css
    return found[0]


def test_every_customer_for_an_analyst_and_the_rows_match_the_library(data, demo):
    app = create_app(data=data, users={"analyst": "*"}, user="analyst",
                     query={"lang": [b"en"]})
    view = _tabs(app)
    pipe = _table(view, "sk-contracting-pipeline")
    assert len(pipe) == len(demo.competitions) == len(competition_pipeline(demo))
    delivery = _table(view, "sk-contracting-delivery")
    status = contract_status(demo)
    assert list(delivery.iloc[:, 0]) == list(status["contract_id"])
    # the contract behind schedule in the demo is flagged on the page
    flagged = status[status["flags"].map(len) > 0]["contract_id"]
    assert len(flagged)
    marks = dict(zip(delivery.iloc[:, 0], delivery.iloc[:, -1], strict=True))
    assert all("Delivery" in marks[c] or "delivery" in marks[c] or "Payments" in marks[c]
               or "Quality" in marks[c] or "satisfaction" in marks[c].lower() for c in flagged)
    assert all(marks[c] == "none" for c in status["contract_id"] if c not in set(flagged))
    # the contested award is marked
    assert pipe.iloc[:, 4].str.contains("award contested").sum() == \
        int(competition_pipeline(demo)["contested"].sum()) >= 1


def test_a_customer_sees_only_their_own(data, demo):
    app = create_app(data=data, users={"mazyr": [MAZYR]}, user="mazyr",
                     query={"lang": [b"en"]})
    view = _tabs(app)
    own = for_customer(demo, MAZYR)
    pipe = _table(view, "sk-contracting-pipeline")
    assert len(pipe) == len(own.competitions) >= 1
    assert set(pipe.iloc[:, 1]) == {"Mazyr District Executive Committee"}
    delivery = _table(view, "sk-contracting-delivery")
    assert set(delivery.iloc[:, 0]) == set(own.contracts["contract_id"])
    text = _text(view)
    others = set(demo.contracts["contract_id"]) - set(own.contracts["contract_id"])
    assert not [k for k in others if k in text]
    assert "Homel District Executive Committee" not in text


@pytest.mark.parametrize("users, user", [
    ({"olena": [A]}, "olena"),        # a municipality's user is no customer
    ({"mazyr": [MAZYR]}, None),      # not signed in, with a users file
])
def test_no_customer_no_data(data, users, user):
    app = create_app(data=data, users=users, user=user, query={"lang": [b"en"]})
    app.state.page = "contracting"
    view = app.page("contracting")._view()
    assert not view.select(pn.pane.DataFrame)
    assert "not linked to any customer" in _text(view)


def test_without_data_the_page_says_so(data, monkeypatch, tmp_path):
    monkeypatch.setenv("SOCIALKIT_CONTRACTING", str(tmp_path))
    app = create_app(data=data, users={"analyst": "*"}, user="analyst",
                     query={"lang": [b"en"]})
    app.state.page = "contracting"
    assert "no state social order data" in _text(app.page("contracting")._view())


# Latin letters a Cyrillic-script page may show: contract ids (hom-2025-k01).
_ALLOWED_LATIN = re.compile(r"\b[a-z]+-\d{4}-k\d+\b")


@pytest.mark.parametrize("lang", config.SUPPORTED_LANGS)
def test_every_tab_in_every_language(data, lang):
    app = create_app(data=data, users={"analyst": "*"}, user="analyst",
                     query={"lang": [lang.encode()]})
    text = _text(_tabs(app))
    assert "contracting." not in text and "views." not in text  # no untranslated key
    assert ".." not in text  # "руб." does not get a second full stop
    if lang in ("uk", "sr-Cyrl", "ru", "be"):
        # Belarusian data carry English, Russian and Belarusian names; Ukrainian and Serbian
        # readers see the English names, so only ru and be must be free of Latin words
        if lang in ("ru", "be"):
            latin = re.findall(r"[A-Za-z]{2,}", _ALLOWED_LATIN.sub("", text))
            assert latin == [], latin[:10]


def test_the_page_is_offered_where_the_catalog_names_contracting_data(data, monkeypatch):
    from socialkit.data.catalog import catalog_folder
    from socialkit.views.contracting import ContractingPage

    monkeypatch.delenv("SOCIALKIT_CONTRACTING")
    app = create_app(data=data, users={"analyst": "*"}, user="analyst",
                     query={"lang": [b"en"]})
    assert "contracting" not in app._page_options().values()  # Ukraine's demo: no such data
    asked = create_app(data=data, users={"analyst": "*"}, user="analyst",
                       query={"page": [b"contracting"], "lang": [b"en"]})
    assert asked.state.page == "glance"  # a page not offered is not opened from the URL
    belarus = config.PROJECT_ROOT / "catalogs" / "belarus.yaml"
    assert catalog_folder(belarus, "contracting") == ROOT
    assert catalog_folder(config.PROJECT_ROOT / "catalogs" / "demo.yaml", "contracting") is None
    monkeypatch.setattr(data, "contracting", ROOT)
    assert ContractingPage.offered(data)
    app = create_app(data=data, users={"analyst": "*"}, user="analyst",
                     query={"lang": [b"en"]})
    assert "contracting" in app._page_options().values()


@pytest.mark.parametrize("key", ["contracting", "strategies"])
@pytest.mark.parametrize("value", ["/etc", "../..", "../belarus_contracting_elsewhere", 7])
def test_a_catalog_cannot_point_the_dashboard_elsewhere(tmp_path, value, key):
    import yaml

    from socialkit.data.catalog import catalog_folder
    from socialkit.errors import SocialkitError

    (tmp_path / "cat").mkdir()
    path = tmp_path / "cat" / "catalog.yaml"
    path.write_text(yaml.safe_dump({"version": 2, "aliases": {}, "data": {}, "entries": {},
                                    "user_parameters": {},
                                    "metadata": {key: value}}), encoding="utf-8")
    with pytest.raises(SocialkitError, match=key):
        catalog_folder(path, key)

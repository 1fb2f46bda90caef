"""The strategy page: the chosen municipality's strategy cycle (its implementation, action plan
and consultation answers) in the cycle's language or English, the languages it is in for other
readers, nothing for a municipality without a strategy; offered only where there are cycles."""

from __future__ import annotations

import html

import pandas as pd
import panel as pn
import pytest
from views_cases import open_page, view_text

from socialkit import config
from socialkit.views import create_app
from socialkit.views.app import PAGE_CLASSES
from socialkit.views.data import from_frames
from socialkit.views.strategy import cycle_for

ROOT = config.strategy_demo_dir()
MYKOLAIVKA = "UA14020100006634663"


@pytest.fixture
def data():
    frames = {"municipalities": pd.DataFrame({
        "municipality_id": [MYKOLAIVKA, "UA00000000000000009", "MDCT01"],
        "name": ["Mykolaivka", "Elsewhere", "Antonesti"],
        "name_local": ["Миколаївка", "Деінде", "Antonești"],
        "country": ["UA", "UA", "MD"]})}
    return from_frames(frames)


@pytest.fixture(autouse=True)
def _strategies(monkeypatch):
    monkeypatch.setenv("SOCIALKIT_STRATEGIES", str(ROOT))


def _view(app, municipality: str):
    return open_page(app, "strategy", municipality)


def _text(view) -> str:
    return view_text(view)


def _html(view, css: str) -> str:
    found = [o.object for o in view.select(pn.pane.HTML) if css in o.css_classes]
    assert len(found) == 1, css
    return found[0]


def test_the_cycle_of_a_municipality():
    assert cycle_for(ROOT, MYKOLAIVKA, "UA").meta.id == "ua_mykolaivka"
    assert cycle_for(ROOT, "UA00000000000000009", "UA") is None
    # Cantemir's is a district strategy listing no municipality: it covers the district's
    assert cycle_for(ROOT, "MDCT01", "MD").meta.id == "md_cantemir"
    assert cycle_for(None, MYKOLAIVKA, "UA") is None


def test_mykolaivkas_strategy_in_ukrainian(data):
    from socialkit.strategy.inputs import read_cycle

    cycle = read_cycle(ROOT / "ua_mykolaivka")
    app = create_app(data=data, users=None, query={"lang": [b"uk"]})
    view = _view(app, MYKOLAIVKA)
    assert "Миколаївська громада, 2027–2029" in _text(view)
    impl = _html(view, "sk-strategy-implementation")
    assert "Виконання у 2027 році" in impl  # the latest tracked year
    for action in cycle["actions"]["action_id"]:
        assert f"{action}. " in impl
    plan = _html(view, "sk-strategy-plan")
    assert all(html.escape(title) in plan for title in cycle["actions"]["title_local"])
    comments = _html(view, "sk-strategy-comments")
    published = cycle["comments"]["moderation"] == "published"
    assert all(f"<td>{c}</td>" in comments for c in cycle["comments"]["comment_id"][published])
    # a comment the moderator did not publish is not shown
    assert not any(f"<td>{c}</td>" in comments
                   for c in cycle["comments"]["comment_id"][~published])


def test_cantemirs_strategy_in_romanian_and_english(data):
    for lang, heading in (("ro", "Implementarea în 2027"), ("en", "Implementation in 2027")):
        app = create_app(data=data, users=None, query={"lang": [lang.encode()]})
        assert heading in _html(_view(app, "MDCT01"), "sk-strategy-implementation")


def test_other_readers_are_told_its_languages(data):
    app = create_app(data=data, users=None, query={"lang": [b"ru"]})
    view = _view(app, MYKOLAIVKA)
    assert not view.select(pn.pane.HTML) or not any(
        "sk-strategy" in " ".join(o.css_classes) for o in view.select(pn.pane.HTML))
    assert "Українська, English" in _text(view)


def test_a_municipality_without_a_strategy(data):
    app = create_app(data=data, users=None, query={"lang": [b"en"]})
    assert "No strategy of Elsewhere" in _text(_view(app, "UA00000000000000009"))


def test_only_offered_where_there_are_cycles(data, monkeypatch):
    from socialkit.data.catalog import catalog_folder

    assert PAGE_CLASSES["strategy"].offered(data)
    monkeypatch.delenv("SOCIALKIT_STRATEGIES")
    assert not PAGE_CLASSES["strategy"].offered(data)
    for name in ("demo.yaml", "moldova.yaml"):
        assert catalog_folder(config.PROJECT_ROOT / "catalogs" / name, "strategies") == ROOT
    assert catalog_folder(config.PROJECT_ROOT / "catalogs" / "serbia.yaml", "strategies") is None


def test_outside_the_scope_nothing(data):
    app = create_app(data=data, users={"olena": ["UA00000000000000009"]}, user="olena",
                     query={"lang": [b"uk"]})
    assert app.state.municipality_id == "UA00000000000000009"
    with pytest.raises(ValueError):  # refused on the server: not among the allowed
        app.state.municipality_id = MYKOLAIVKA
    assert app.state.municipality_id == "UA00000000000000009"
    assert "Миколаївська" not in _text(_view(app, app.state.municipality_id))

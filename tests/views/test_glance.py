"""The at-a-glance page: the reports' first-page findings for the chosen municipality, scoped,
with no count of 1-4 people, in the session's language."""

from __future__ import annotations

import dataclasses
import re

import panel as pn
import pytest

from socialkit.findings import Finding, Findings, findings_table, recommendation_texts
from socialkit.views import create_app, from_frames
from socialkit.views.glance import CARDS, _guarded, glance_alerts, glance_cards, glance_findings
from socialkit.views.state import PAGES


@pytest.fixture(scope="module")
def demo_data(demo_tables):
    return from_frames(demo_tables, name="demo")


def _html(view) -> str:
    return " ".join(str(p.object) for p in view.select(pn.pane.HTML))


def test_glance_is_the_first_page(demo_data):
    assert PAGES[0] == "glance"
    app = create_app(data=demo_data, users=None, query={})
    assert app.state.page == "glance"
    assert next(iter(app._nav.options)) == "At a glance"


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_glance_shows_the_reports_first_page_findings(demo_data, lang):
    """Every finding and recommendation of the four reports' first pages, worded by the same
    functions (one source), and nothing else."""
    from socialkit.maturity import report
    from socialkit.maturity.findings import maturity_findings
    from socialkit.views.maturity import _assess

    app = create_app(data=demo_data, users=None, query={"lang": [lang.encode()]})
    state = app.state
    view = app.page("glance")._view()
    html = _html(view)
    found = glance_findings(state)
    assert set(found) == {"maturity", "needs", "passport", "monitoring"}
    assert all(not isinstance(v, str) for v in found.values()), found
    # the maturity findings are the report's, for this municipality
    result = demo_data.computed("maturity.assess", _assess)
    expected = maturity_findings(result, state.municipality_id)
    assert found["maturity"][0] == expected
    table = findings_table(expected, lang, report.labels(result, lang))
    import html as h
    for sentence in table.iloc[:, 1]:
        assert h.escape(sentence) in html
    for report_id, (findings, labels) in found.items():
        for sentence, _ in recommendation_texts(findings, lang, labels):
            assert h.escape(sentence) in html, (report_id, sentence)
    # one card per topic, each with its headline value or a note
    for card in CARDS:
        assert f"sk-card-{card}" in html
    if lang == "uk":
        text = re.sub(r"<[^>]+>", " ", html)
        latin = set(re.findall(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]", text))
        assert not latin, latin


def test_scoped_user_sees_no_rank_among_municipalities_hidden_from_them(demo_data):
    ids = demo_data.municipality_ids
    app = create_app(data=demo_data, users={"olena": frozenset({ids[1]})}, user="olena",
                     query={})
    found = glance_findings(app.state)
    for report_id, got in found.items():
        findings, _ = got
        for f in findings.findings:
            if f.peer_group != "settlements":
                assert f.peer_rank is None, (report_id, f)
    # needs ranks are among her own settlements
    top = [f for f in found["needs"][0].findings if f.id == "top"]
    own = demo_data.table("settlements")
    assert top and top[0].peer_n <= int((own["municipality_id"] == ids[1]).sum())


def test_counts_of_one_to_four_people_are_withheld():
    small = Finding("beyond.x", "needs_beyond", subject="x", value=3.0, unit="people",
                    extra={"n": 1, "km": 10.0}, comparable=False)
    big = dataclasses.replace(small, id="beyond.y", value=40.0)
    score = Finding("overall", "maturity_overall", value=3.0, unit="score",
                    extra={"level": "l1"})
    fs = Findings("needs", "UA1", "2021", (small, big, score), ())
    out = _guarded(fs, 5)
    assert [f.value for f in out.findings] == [None, 40.0, 3.0]
    cards = glance_cards({"needs": (out, {}), "maturity": (Findings("maturity", "UA1", None,
                                                                    (), ()), {})},
                         "en", lambda key, **kw: key)
    reach = next(c for c in cards if c.id == "reach")
    assert reach.items[0].value == "–"
    assert "3" not in reach.items[0].value


def test_missing_report_is_said_not_invented():
    cards = glance_cards({"maturity": "No data for this municipality."}, "en",
                         lambda key, **kw: key)
    maturity = next(c for c in cards if c.id == "maturity")
    assert maturity.items == () and maturity.note == "No data for this municipality."
    assert glance_alerts({"maturity": "x"}, "en", lambda key, **kw: key) == []


def test_how_it_was_computed_is_collapsed(demo_data):
    app = create_app(data=demo_data, users=None, query={})
    view = app.page("glance")._view()
    cards = [c for c in view.select(pn.Card) if "sk-how" in c.css_classes]
    assert cards and all(c.collapsed for c in cards)

"""The app shell: scoping by widget and URL, language switch, pages (no browser)."""

from __future__ import annotations

import pytest
from views_cases import A, B, C

from socialkit.views import PAGES, create_app
from socialkit.views.app import PAGE_CLASSES
from socialkit.views.base import Page
from socialkit.views.scope import AccessDenied

SCOPED = {"olena": frozenset({A}), "admin": "*"}


def _text(viewable) -> str:
    """All Markdown/Alert/DataFrame text of a rendered page (server-side objects)."""
    import panel as pn

    out = []
    for obj in viewable.select(pn.pane.Markdown) + viewable.select(pn.pane.Alert):
        out.append(str(obj.object))
    for obj in viewable.select(pn.pane.DataFrame):
        out.append(obj.object.to_string())
    return "\n".join(out)


def _page_text(app, page: str) -> str:
    app.state.page = page
    return _text(app.page(page)._view())


def test_admin_sees_every_municipality(data):
    app = create_app(data=data, users=SCOPED, user="admin")
    assert app.state.visible_ids == [A, B, C]
    assert list(app._municipality.options.values()) == [A, B, C]
    assert app.state.municipality_id == A


def test_scoped_user_widget_lists_only_own_municipality(data):
    app = create_app(data=data, users=SCOPED, user="olena")
    assert list(app._municipality.options.values()) == [A]
    text = _page_text(app, "overview")
    assert "Alpha" in text and "Beta" not in text and "Gamma" not in text


def test_scoped_user_refused_via_widget_value(data):
    app = create_app(data=data, users=SCOPED, user="olena")
    app._municipality.value = B  # what a forged browser message would do
    assert app.state.municipality_id == A
    assert app._municipality.value == A
    assert B in app.state.notice and "Access refused" in app.state.notice
    assert "Beta" not in _page_text(app, "overview")


def test_scoped_user_refused_via_url(data):
    app = create_app(data=data, users=SCOPED, user="olena",
                     query={"municipality": [B.encode()], "lang": [b"uk"]})
    assert app.state.municipality_id == A
    assert "Доступ заборонено" in app.state.notice
    assert "Бета" not in _page_text(app, "overview")


def test_state_refuses_out_of_scope_values_server_side(data):
    app = create_app(data=data, users=SCOPED, user="olena")
    with pytest.raises(ValueError):
        app.state.municipality_id = B
    with pytest.raises(AccessDenied):
        app.state.frame("settlements", B)
    assert set(app.state.visible_frame("settlements")["municipality_id"]) == {A}


def test_unknown_or_anonymous_user_sees_nothing(data):
    for user in (None, "stranger"):
        app = create_app(data=data, users=SCOPED, user=user)
        assert app.state.municipality_id is None
        assert app._municipality.disabled
        for page in PAGES:
            text = _page_text(app, page)
            if not PAGE_CLASSES[page].needs_municipality:  # scoped by its own data
                assert "Alpha" not in text and "Beta" not in text
                continue
            assert "no municipality assigned" in text
            assert "Alpha" not in text and "Beta" not in text


def test_url_selects_allowed_municipality_page_and_language(data):
    app = create_app(data=data, users=None,
                     query={"municipality": [B.encode()], "page": [b"library"], "lang": [b"uk"]})
    assert (app.state.municipality_id, app.state.page, app.state.lang) == (B, "library", "uk")
    assert app.state.notice == ""


def test_switching_municipality_changes_figures(data):
    app = create_app(data=data, users=None)
    before = _page_text(app, "overview")
    app._municipality.value = B
    after = _page_text(app, "overview")
    assert "Key figures: Alpha" in before and "Key figures: Beta" in after
    assert "100.0" in before  # density of Alpha: 1000 / 10 km²
    assert "25.0" in after  # density of Beta: 2500 / 100 km²


def test_language_switch_changes_every_label(data):
    app = create_app(data=data, users=None)
    english = {p: _page_text(app, p) for p in PAGES}
    widget_names = (app._municipality.label, app._lang.label, app._nav.label)
    app._lang.value = "uk"
    assert app.state.lang == "uk"
    assert (app._municipality.label, app._lang.label, app._nav.label) == (
        "Громада", "Мова", "Сторінки")
    assert widget_names == ("Municipality", "Language", "Pages")
    assert list(app._nav.options) == ["Головне", "Огляд", "Цифрова зрілість", "Потреби",
                                      "Соціальний паспорт", "Моніторинг і оцінка", "Бібліотека",
                                      "Фахівці", "Введення даних"]
    assert "Альфа" in app._municipality.options
    for page in PAGES:
        ukrainian = _page_text(app, page)
        assert ukrainian != english[page]
        assert "Overview" not in ukrainian and "Municipality" not in ukrainian


def test_every_page_is_a_viewer_and_renders(data):
    app = create_app(data=data, users=None)
    for page in PAGES:
        viewer = app.page(page)
        assert isinstance(viewer, Page)
        assert viewer is app.page(page)  # created once per session
        viewer.__panel__()
        assert _page_text(app, page)


def test_create_app_reads_users_file(data, tmp_path):
    users = tmp_path / "users.yaml"
    users.write_text(f"olena: [{B}]\n", encoding="utf-8")
    app = create_app(data=data, users=users, user="olena")
    assert app.state.visible_ids == [B]


def test_a_failing_section_shows_a_message_and_the_session_keeps_working(data, monkeypatch):
    import panel as pn

    from socialkit.errors import SocialkitError
    from socialkit.views.overview import OverviewPage

    def broken(self):
        raise SocialkitError("municipalities.csv, row 3: population must be >= 0")

    monkeypatch.setattr(OverviewPage, "render", broken)
    app = create_app(data=data, users=None)
    text = _page_text(app, "overview")
    assert "This page could not be shown: municipalities.csv, row 3" in text
    app.state.page = "library"
    library = app.page("library")._view()
    assert not [a for a in library.select(pn.pane.Alert) if a.alert_type == "danger"]

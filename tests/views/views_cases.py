"""Municipality ids of the tiny dashboard fixtures (imported by the tests of this folder)."""

A, B, C = "UA00000000000000001", "UA00000000000000002", "UA00000000000000003"


def open_page(app, page: str, municipality: str | None = None):
    """The view of ``page`` with every section tab opened (so each is built); fails on an
    error box."""
    import panel as pn

    if municipality is not None:
        app.state.municipality_id = municipality
    app.state.page = page
    view = app.page(page)._view()
    tabs = view.select(pn.Tabs)
    if tabs:
        for i in range(len(tabs[0])):
            tabs[0].active = i
    assert not [a.object for a in view.select(pn.pane.Alert) if a.alert_type == "danger"]
    return view


def view_text(view) -> str:
    """Every text a view shows: Markdown, alerts, HTML panes and tables."""
    import panel as pn

    out = [str(o.object) for o in view.select(pn.pane.Markdown) + view.select(pn.pane.Alert)
           + view.select(pn.pane.HTML)
           if not isinstance(o, pn.pane.DataFrame)]
    out += [o.object.to_string() for o in view.select(pn.pane.DataFrame)]
    return "\n".join(out)

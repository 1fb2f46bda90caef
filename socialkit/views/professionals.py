"""Professionals page: the registry's compliance list, training coverage and training activity,
as the signed-in user may see them.

The data come from the store (:func:`socialkit.store.registry.read_registry`), which decides on
the server, from the user's roles, whose records and which fields the user gets (a head: their
institution's staff; the province: the institutions in its scope; a worker or an unknown user:
nothing) and writes every person read to the read log. Without a signed-in user the page shows
nothing. Aggregates (coverage, activity) pass :func:`socialkit.disclosure.publish`: counts of
1-4 are blank.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import panel as pn

from .. import config
from .base import Page, alert, table

__all__ = ["ProfessionalsPage"]


def _today() -> dt.date:
    """The day of the check (a function, so a test can fix it)."""
    return dt.date.today()


class ProfessionalsPage(Page):
    """Compliance, coverage and training activity of the professionals the user may see."""

    page_id = "professionals"
    requires = ("socialkit.professionals", "socialkit.store")

    def render(self) -> pn.viewable.Viewable:
        from ..store import StoreError, open_store
        from ..store.registry import read_registry

        state = self.state
        tr = state.tr
        user = state.scope.user
        if not user:
            return alert(tr("views.professionals.sign_in"), "info")
        store = open_store(config.db_url())
        try:
            got = read_registry(store, store.actor(user), _today(), "dashboard")
        except StoreError as exc:
            return alert(exc.render(state.lang), "info")
        if got.tables["persons"].empty:
            return alert(tr("views.professionals.empty"), "info")
        from ..professionals.registry import stored_registry

        registry = stored_registry(got.tables)
        day = _today().isoformat()
        return self.sections([
            (tr("views.professionals.compliance"), lambda: self._compliance(registry, day)),
            (tr("views.professionals.coverage"), lambda: self._coverage(registry, day)),
            (tr("views.professionals.activity"), lambda: self._activity(registry)),
            (tr("views.professionals.materials"), lambda: self._materials(registry)),
        ])

    def _compliance(self, registry, day: str) -> pn.viewable.Viewable:
        from ..professionals import compliance
        from ..professionals.display import institution_names, localise

        state = self.state
        short = compliance(registry, day)
        if short.empty:
            return alert(state.tr("professionals.report.none_short"), "info")
        names = institution_names(registry.institutions, state.lang)
        shown = short[["institution_id", "surname", "given_name", "licence_type", "valid_to",
                       "earned", "planned", "shortfall", "status", "act_by"]].copy()
        shown["institution_id"] = shown["institution_id"].map(lambda i: names.get(i, i))
        shown = localise(shown, state.lang).rename(
            columns={"institution_id": state.tr("professionals.columns.institution")})
        return pn.Column(
            pn.pane.Markdown(state.tr("professionals.report.compliance_intro",
                                      required=int(short["required"].max())), margin=(0, 10)),
            table(shown, css_classes=["sk-professionals-compliance"]),
            sizing_mode="stretch_width")

    def _coverage(self, registry, day: str) -> pn.viewable.Viewable:
        from ..disclosure import suppression_note
        from ..i18n import format_number, format_percent
        from ..professionals.display import coverage, institution_names

        state = self.state
        tr, lang = state.tr, state.lang
        cov = coverage(registry, day)
        names = institution_names(registry.institutions, lang)
        shown = pd.DataFrame({
            tr("professionals.columns.institution"): cov["institution_id"].map(
                lambda i: tr("professionals.report.province") if i == "*" else names.get(i, i)),
            tr("professionals.report.staff"): cov["staff"].map(lambda v: format_number(v, lang)),
            tr("professionals.report.trained"): cov["trained"].map(
                lambda v: format_number(v, lang)),
            tr("professionals.report.trained_share"): cov["trained_share"].map(
                lambda v: format_percent(v, lang)),
            tr("professionals.report.median_points"): cov["median_points"].map(
                lambda v: format_number(v, lang)),
            tr("professionals.report.short"): cov["short"].map(lambda v: format_number(v, lang)),
        })
        return pn.Column(
            pn.pane.Markdown(tr("professionals.report.coverage_intro", date=day) + " "
                             + suppression_note(lang), margin=(0, 10)),
            table(shown, css_classes=["sk-professionals-coverage"]),
            sizing_mode="stretch_width")

    def _activity(self, registry) -> pn.viewable.Viewable:
        from ..i18n import format_number, format_period
        from ..professionals.display import label, training_activity

        state = self.state
        tr, lang = state.tr, state.lang
        act = training_activity(registry)
        shown = pd.DataFrame({
            tr("views.professionals.quarter"): act["quarter"].map(
                lambda q: format_period(q, lang)),
            tr("views.professionals.activity_kind"): act["activity"].map(
                lambda a: label("activities", a, lang)),
            tr("views.professionals.sessions"): act["sessions"].map(
                lambda v: format_number(v, lang)),
            tr("views.professionals.participations"): act["participations"].map(
                lambda v: format_number(v, lang)),
        })
        return pn.Column(table(shown, css_classes=["sk-professionals-activity"]),
                         sizing_mode="stretch_width")

    def _materials(self, registry) -> pn.viewable.Viewable:
        """The course materials (library items of type training material) of each programme
        of the registry, as the library lets the user see them."""
        from ..library import LibraryError, open_library
        from ..professionals.display import programme_title
        from .library import session_reader, size_text

        state = self.state
        tr = state.translator
        lib = open_library()
        reader = session_reader(lib, state.scope)
        items = lib.items(reader, item_type="training_material", lang=state.lang)
        items = items[items["programme_id"].isin(registry.programmes["programme_id"])]
        if items.empty:
            return alert(tr("views.professionals.no_materials"), "info")
        parts: list[pn.viewable.Viewable] = [
            pn.pane.Markdown(tr("views.professionals.materials_intro"), margin=(0, 10))]
        programmes = registry.programmes.set_index("programme_id")
        for pid, group in items.groupby("programme_id", sort=True):
            prog = programmes.loc[pid]
            title = programme_title(prog, state.lang)
            parts.append(pn.pane.Markdown(f"#### {title}", margin=(10, 10, 0, 10)))
            for item in group.itertuples(index=False):
                def _path(i=int(item.item_id)) -> str:
                    try:
                        return str(lib.open(reader, i)[1])
                    except LibraryError as exc:
                        state.notice = exc.render(state.lang)
                        raise

                parts.append(pn.FlexBox(
                    pn.pane.Markdown(f"{item.title} · {tr(f'library.kinds.{item.kind}')} · "
                                     f"{size_text(tr, int(item.size))}",
                                     styles={"flex": "3 1 300px"}),
                    pn.widgets.FileDownload(callback=_path, filename=item.file_name,
                                            embed=False, label=tr("views.library.download"),
                                            width=150, css_classes=["sk-download"]),
                    flex_wrap="wrap", align_items="center", sizing_mode="stretch_width"))
        return pn.Column(*parts, sizing_mode="stretch_width",
                         css_classes=["sk-professionals-materials"])

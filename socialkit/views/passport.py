"""Social passport page: vulnerable groups, demography and social infrastructure.

Uses :func:`socialkit.passport.build_passport` (once per process and municipality, on the
cached tables), its localised tables (:func:`socialkit.passport.passport_table`) and the figures
of :mod:`socialkit.plots.passport`. Small counts are suppressed by the passport itself
(:func:`socialkit.config.suppress_below`); the oblast and peer rates are pooled aggregates,
withheld where the user could work out a municipality outside their scope from them
(:mod:`socialkit.passport.scoped`).
"""

from __future__ import annotations

import panel as pn

from ..i18n import display_name
from .base import Page, alert, heading, table

__all__ = ["PassportPage"]


def _build(data, municipality_id: str, visible: tuple[str, ...] | None = None):
    from ..passport import TABLES_NEEDED, build_passport

    return build_passport({name: data.table(name) for name in TABLES_NEEDED}, municipality_id,
                          visible=visible)


class PassportPage(Page):
    """The social passport of the chosen municipality."""

    page_id = "passport"
    requires = ("socialkit.passport", "socialkit.plots.passport")

    def render(self) -> pn.viewable.Viewable:
        state = self.state
        tr = state.tr
        mid = state.scope.check(state.municipality_id)
        if state.frame("passport_values").empty:
            return alert(tr("views.no_data", name=state.municipality_name()), "info")
        return self.sections([
            (tr("passport.sections.profile"), lambda: self._profile(mid)),
            (tr("passport.sections.demography"), lambda: self._demography(mid)),
            (tr("passport.sections.infrastructure"), lambda: self._infrastructure(mid)),
        ])

    def _passport(self, mid: str):
        scope = self.state.scope  # oblast/peer rates are checked against what the user sees
        visible = None if scope.allowed is None else tuple(self.state.visible_ids)
        return self.state.data.computed("passport", _build, mid, visible)

    def _profile(self, mid: str) -> pn.viewable.Viewable:
        from ..disclosure import suppression_note
        from ..passport import comparison_frame, headline, passport_table, region_label
        from ..plots.passport import rates_comparison

        state = self.state
        tr, lang = state.tr, state.lang
        p = self._passport(mid)
        m = p.municipality
        name = display_name(m, lang)
        sub_key = "passport.subtitle" if p.previous_year else "passport.subtitle_no_previous"
        region = region_label(m["region"], lang, m["region_local"], m.get("country"))
        district = display_name(m, lang, "district")
        subtitle = tr(sub_key, region=region, district=district, year=p.year,
                      previous=p.previous_year)
        return pn.Column(
            heading(tr("passport.title", name=name), 2),
            pn.pane.Markdown(f"{subtitle}\n\n{headline(p, lang)}", margin=(0, 10)),
            pn.pane.Markdown(tr("passport.sections.profile_text") + " "
                             + suppression_note(lang, p.threshold), margin=(0, 10)),
            table(passport_table(p, "profile", lang), css_classes=["sk-passport-profile"]),
            heading(tr("passport.sections.comparison"), 3),
            pn.pane.HoloViews(rates_comparison(
                comparison_frame(p, lang), title=tr("passport.plot.rates_title"),
                value_label=tr("passport.plot.rate_axis"), group_label=tr("passport.plot.group_axis"),
                area_label=tr("passport.plot.area"), lang=lang), backend="bokeh", sizing_mode="stretch_width",
                height=380),
            sizing_mode="stretch_width",
        )

    def _demography(self, mid: str) -> pn.viewable.Viewable:
        from ..passport import demography_frame, passport_table
        from ..plots.passport import demography_bars

        state = self.state
        tr, lang = state.tr, state.lang
        p = self._passport(mid)
        return pn.Column(
            table(passport_table(p, "demography", lang)),
            pn.pane.HoloViews(demography_bars(
                demography_frame(p, lang), title=tr("passport.plot.demography_title"),
                value_label=tr("passport.plot.population_axis"),
                label_label=tr("passport.plot.age_axis"), lang=lang), backend="bokeh"),
            table(passport_table(p, "settlement_kinds", lang)),
            sizing_mode="stretch_width",
        )

    def _infrastructure(self, mid: str) -> pn.viewable.Viewable:
        from ..passport import infrastructure_frame, passport_table
        from ..plots.passport import infrastructure_bars

        state = self.state
        tr, lang = state.tr, state.lang
        p = self._passport(mid)
        reach = p.summary["reach_kind"]
        without = passport_table(p, "without", lang, kinds=(reach, "primary_care"))
        return pn.Column(
            table(passport_table(p, "infrastructure", lang)),
            pn.pane.HoloViews(infrastructure_bars(
                infrastructure_frame(p, lang), title=tr("passport.plot.infrastructure_title"),
                value_label=tr("passport.plot.settlements_axis"),
                kind_label=tr("access.kind"),
                status_label=tr("passport.plot.status"), lang=lang), backend="bokeh"),
            heading(tr("passport.sections.without",
                       kind=tr(f"passport.facility_kinds.{reach}")), 3),
            pn.pane.Markdown(tr("passport.sections.without_text") if len(without)
                             else tr("passport.sections.without_none"), margin=(0, 10)),
            table(without) if len(without) else pn.Spacer(height=0),
            sizing_mode="stretch_width",
        )

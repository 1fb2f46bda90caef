"""Maturity page (needs ``socialkit.maturity``; until it is installed the page says so)."""

from __future__ import annotations

import panel as pn

from .base import Page, alert

__all__ = ["MaturityPage"]


class MaturityPage(Page):
    """The maturity page of the chosen municipality."""

    page_id = "maturity"
    requires = ("socialkit.maturity",)

    def render(self) -> pn.viewable.Viewable:
        state = self.state
        return alert(state.tr("views.not_available", module="socialkit.maturity"), "info")

"""Passport page (needs ``socialkit.passport``; until it is installed the page says so)."""

from __future__ import annotations

import panel as pn

from .base import Page, alert

__all__ = ["PassportPage"]


class PassportPage(Page):
    """The passport page of the chosen municipality."""

    page_id = "passport"
    requires = ("socialkit.passport",)

    def render(self) -> pn.viewable.Viewable:
        state = self.state
        return alert(state.tr("views.not_available", module="socialkit.passport"), "info")

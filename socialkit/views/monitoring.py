"""Monitoring page (needs ``socialkit.monitoring``; until it is installed the page says so)."""

from __future__ import annotations

import panel as pn

from .base import Page, alert

__all__ = ["MonitoringPage"]


class MonitoringPage(Page):
    """The monitoring page of the chosen municipality."""

    page_id = "monitoring"
    requires = ("socialkit.monitoring",)

    def render(self) -> pn.viewable.Viewable:
        state = self.state
        return alert(state.tr("views.not_available", module="socialkit.monitoring"), "info")

"""The base of every dashboard page and small layout helpers shared by pages."""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Callable
from typing import ClassVar

import pandas as pd
import panel as pn
import param

from ..errors import SocialkitError
from .scope import AccessDenied
from .state import DashboardState

__all__ = ["Page", "alert", "heading", "module_available", "table", "table_stylesheet"]

_LOG = logging.getLogger(__name__)


def module_available(module: str) -> bool:
    """True when ``module`` (e.g. ``"socialkit.maturity"``) can be imported."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def heading(text: str, level: int = 2) -> pn.pane.Markdown:
    """A Markdown heading (``text`` is already translated)."""
    return pn.pane.Markdown(f"{'#' * level} {text}", sizing_mode="stretch_width", margin=(0, 10),
                            disable_anchors=True)


def alert(text: str, kind: str = "warning") -> pn.pane.Alert:
    """A coloured message box (``kind``: info, warning, danger)."""
    return pn.pane.Alert(text, alert_type=kind, sizing_mode="stretch_width")


#: A cell that reads as a number (formatted for any language: ``1 234,5``, ``−0.6``, ``45%``,
#: ``0.87 (highly stable)`` does not), or a dash for a missing one.
_NUMBER = re.compile(r"^\s*[−\-+]?[\d\s\u00a0\u202f.,']*\d[\d\s\u00a0\u202f.,']*\s?%?\s*$|^[–—-]$")

_TABLE_CSS = """
:host { overflow-x: auto; max-width: 100%; }
.panel-df th, .panel-df td { text-align: left; }
"""


def _numeric_columns(frame: pd.DataFrame) -> list[int]:
    """1-based positions of the number columns: every value reads as a number, except one
    placeholder without digits that may stand in for several (``not recorded``, ``прих.``
    for a suppressed count), provided at least half of the values are numbers."""
    out = []
    for i in range(1, frame.shape[1] + 1):
        values = frame.iloc[:, i - 1].dropna().astype(str)
        if not len(values) or values.str.strip().isin(["–", "—", "-"]).all():
            continue
        numeric = values.map(lambda v: bool(_NUMBER.match(v)))
        others = values[~numeric].unique()
        if numeric.any() and (len(others) == 0 or (
                len(others) == 1 and not any(ch.isdigit() for ch in others[0]))):
            out.append(i)
    return out


def table_stylesheet(frame: pd.DataFrame) -> str:
    """CSS of :func:`table`: text left, number columns right (header too), and a table wider
    than the page scrolls inside its own box instead of widening the page."""
    cols = _numeric_columns(frame) if isinstance(frame, pd.DataFrame) else []
    right = ", ".join(f".panel-df tr > *:nth-child({i})" for i in cols)
    return _TABLE_CSS + (f"{right} {{ text-align: right; }}\n" if right else "")


def table(frame: pd.DataFrame, **kwargs) -> pn.pane.DataFrame:
    """An HTML table of ``frame`` (columns already localised, values already formatted).

    Text columns are left-aligned and number columns right-aligned; a table wider than the
    page scrolls sideways inside its box. ``frame`` may be a bound function (its first value
    decides the alignment).
    """
    kwargs.setdefault("index", False)
    kwargs.setdefault("sizing_mode", "stretch_width")
    kwargs.setdefault("escape", True)
    sample = frame() if callable(frame) and not isinstance(frame, pd.DataFrame) else frame
    kwargs.setdefault("stylesheets", [table_stylesheet(sample)])
    return pn.pane.DataFrame(frame, **kwargs)


class Page(pn.viewable.Viewer):
    """One page of the dashboard: re-renders when the municipality or language changes.

    Subclasses set :attr:`page_id` and :attr:`requires` (the analysis module the page needs,
    or ``None``) and implement :meth:`render`, which reads data only through
    :meth:`DashboardState.frame` / :meth:`DashboardState.visible_frame`.
    """

    state = param.ClassSelector(class_=DashboardState, doc="The session's shared state.")

    page_id: ClassVar[str] = ""
    #: i18n key of the page's title and navigation label (default ``views.pages.<page_id>``).
    title_key: ClassVar[str | None] = None
    requires: ClassVar[tuple[str, ...]] = ()
    #: False for a page that does not show the selected municipality (it applies the scope
    #: to its own data, e.g. the customers of the state social order): it renders for a user
    #: whose scope holds no municipality.
    needs_municipality: ClassVar[bool] = True
    #: Index of the section tab the user last opened (kept across municipality switches).
    _active_section: int = 0

    @classmethod
    def offered(cls, data: object) -> bool:
        """Whether the navigation offers the page for ``data`` (the served
        :class:`~socialkit.views.data.DashboardData`)."""
        return True

    @classmethod
    def title(cls, tr: Callable[..., str]) -> str:
        """The page's title in the session language (``tr``: the session's translate)."""
        return tr(cls.title_key or f"views.pages.{cls.page_id}")

    def how_computed(self, *objects: object) -> pn.Card:
        """A collapsed "How this was computed" card holding ``objects`` (text is Markdown).

        Methods, validity statistics and agreement coefficients go here, out of an
        official's way; an analyst opens it.
        """
        body = [pn.pane.Markdown(o, margin=(0, 10)) if isinstance(o, str) else o
                for o in objects]
        return pn.Card(*body, title=self.state.tr("glance.how_title"), collapsed=True,
                       sizing_mode="stretch_width", css_classes=["sk-how"], margin=(10, 10))

    def sections(self, items: list[tuple[str, Callable[[], pn.viewable.Viewable]]]) -> pn.Tabs:
        """Tabs whose contents are built and rendered only when opened.

        Each item is ``(title, build)``; ``build`` runs when its tab is first shown, so a
        municipality switch computes and draws only the open tab.
        """
        active = min(self._active_section, max(len(items) - 1, 0))
        holders = [pn.Column(sizing_mode="stretch_width", name=title, css_classes=["sk-section"])
                   for title, _ in items]
        builders = [build for _, build in items]

        def _fill(index: int) -> None:
            if not holders[index].objects:
                holders[index].objects = [self._safely(builders[index])]

        tabs = pn.Tabs(*holders, active=active, sizing_mode="stretch_width",
                       css_classes=["sk-sections"])

        def _on_active(event: param.parameterized.Event) -> None:
            self._active_section = event.new
            _fill(event.new)

        if holders:
            _fill(active)
        tabs.param.watch(_on_active, "active")
        return tabs

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self._view, sizing_mode="stretch_width", css_classes=["sk-page"],
                         name=self.page_id)

    @param.depends("state.municipality_id", "state.lang")
    def _view(self) -> pn.viewable.Viewable:
        return self._guarded()

    def _guarded(self) -> pn.viewable.Viewable:
        """Title plus :meth:`render`, or a message when the page cannot be shown."""
        state = self.state
        missing = [m for m in self.requires if not module_available(m)]
        title = heading(self.title(state.tr), 1)
        if missing:
            return pn.Column(title, alert(state.tr("views.not_available", module=", ".join(missing)),
                                          "warning"), sizing_mode="stretch_width")
        if state.municipality_id is None and self.needs_municipality:
            user = state.scope.user or state.tr("views.not_logged_in")
            return pn.Column(title, alert(state.tr("views.no_municipalities", user=user), "danger"),
                             sizing_mode="stretch_width")
        return pn.Column(title, self._safely(self.render), sizing_mode="stretch_width")

    def _safely(self, build: Callable[[], pn.viewable.Viewable]) -> pn.viewable.Viewable:
        """``build()``, or a message box when it fails (the session keeps working).

        A refused municipality shows the refusal; a :class:`SocialkitError` (bad data or
        framework) its message; anything else is logged with its traceback and shown briefly.
        """
        state = self.state
        try:
            return build()
        except AccessDenied as exc:
            return alert(state.tr("views.access_denied", municipality_id=exc.municipality_id),
                         "danger")
        except SocialkitError as exc:
            return alert(state.tr("views.error_page", error=str(exc)), "danger")
        except Exception as exc:  # a bug: keep the dashboard usable, leave a trace in the log
            _LOG.exception("page %s failed for %s", self.page_id, state.municipality_id)
            return alert(state.tr("views.error_page", error=type(exc).__name__), "danger")

    def render(self) -> pn.viewable.Viewable:  # pragma: no cover - abstract
        """The page body for ``self.state`` (municipality and language)."""
        raise NotImplementedError

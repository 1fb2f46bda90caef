"""The multi-page dashboard: sidebar (municipality, language, pages) and the current page.

:func:`create_app` builds one session's app: it reads the shared cached data, works out the
logged-in user's scope (``pn.state.user`` + users file) and applies the URL query parameters
``?municipality=<id>&page=<page>&lang=<en|uk>``. A ``municipality`` outside the scope is refused
with a message; the page then shows a municipality the user may see.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import panel as pn
import param

from .. import config
from ..config import SUPPORTED_LANGS
from ..i18n import language_name
from .assessment import AssessmentPage
from .base import Page, alert
from .contracting import ContractingPage
from .data import DashboardData, load_data
from .entry import EntryPage
from .glance import GlancePage
from .library import LibraryPage
from .maturity import MaturityPage
from .monitoring import MonitoringPage
from .needs import NeedsPage
from .overview import OverviewPage
from .passport import PassportPage
from .professionals import ProfessionalsPage
from .scope import Scope, load_users, resolve_scope
from .state import PAGES, DashboardState
from .strategy import StrategyPage

__all__ = ["PAGE_CLASSES", "DashboardApp", "create_app", "panel_extension"]

#: Page id -> Viewer class (a registry: add a page here and to ``state.PAGES``).
PAGE_CLASSES: dict[str, type[Page]] = {
    "glance": GlancePage,
    "overview": OverviewPage,
    "maturity": MaturityPage,
    "needs": NeedsPage,
    "passport": PassportPage,
    "monitoring": MonitoringPage,
    "library": LibraryPage,
    "professionals": ProfessionalsPage,
    "assessment": AssessmentPage,
    "contracting": ContractingPage,
    "strategy": StrategyPage,
    "entry": EntryPage,
}

_CSS = """
.sk-sidebar { background: #f4f6f8; border-right: 1px solid #d0d7de; padding: 8px; }
.sk-header { background: #0072B2; color: white; padding: 4px 16px; }
.sk-header a { color: white; }
"""

# On a phone (narrow window) the sidebar goes above the page, full width; the page never
# makes the window scroll sideways (its own wide tables scroll inside it).
_WRAP = ":host { flex-wrap: wrap; }"
_MAIN = ":host { min-width: 300px; flex: 1 1 300px !important; max-width: 100%; }"
_NARROW_SIDEBAR = """@media (max-width: 640px) {
  :host { width: 100% !important; min-height: 0 !important; }
}"""


def panel_extension() -> None:
    """Load Panel with every extension the dashboard uses (served locally, no CDN).

    Figures are drawn on a plain canvas rather than WebGL: with few points canvas is as fast,
    and it stays fast on office PCs and remote desktops without GPU acceleration (WebGL then
    falls back to slow software rendering).
    """
    import holoviews as hv

    pn.extension(raw_css=[_CSS], sizing_mode="stretch_width", inline=False,
                 respect_explicit_sizing=True)
    hv.renderer("bokeh").webgl = False


class DashboardApp(pn.viewable.Viewer):
    """One session of the dashboard: sidebar widgets bound to a :class:`DashboardState`."""

    state = param.ClassSelector(class_=DashboardState)

    def __init__(self, **params):
        super().__init__(**params)
        state = self.state
        self._pages: dict[str, Page] = {}
        self._municipality = pn.widgets.Select(
            label=state.tr("views.municipality"), options=state.municipality_options(),
            value=state.municipality_id, disabled=not state.visible_ids,
            css_classes=["sk-municipality"],
        )
        # a drop-down: seven languages as buttons ran out of the sidebar over the page
        self._lang = pn.widgets.Select(
            label=state.tr("views.language"), options=self._lang_options(), value=state.lang,
            css_classes=["sk-lang"],
        )
        self._nav = pn.widgets.RadioBoxGroup(
            label=state.tr("views.pages_label"), options=self._page_options(), value=state.page,
            css_classes=["sk-nav"],
        )
        self._title = pn.pane.Markdown(css_classes=["sk-title"], margin=(0, 10))
        self._user = pn.pane.Markdown(margin=(0, 10), css_classes=["sk-user"])
        self._notice = pn.Column(sizing_mode="stretch_width")
        self._municipality.param.watch(self._on_municipality, "value")
        self._lang.param.watch(lambda e: setattr(self.state, "lang", e.new), "value")
        self._nav.param.watch(lambda e: setattr(self.state, "page", e.new), "value")
        state.param.watch(self._on_lang, "lang")
        state.param.watch(self._on_notice, "notice")
        state.param.watch(self._on_state_municipality, "municipality_id")
        state.param.watch(self._sync_url, ["municipality_id", "page", "lang"])
        self._on_lang()
        self._on_notice()

    # -- widget callbacks -----------------------------------------------------------------
    def _on_municipality(self, event: param.parameterized.Event) -> None:
        # The browser sent a value: enforce the scope here, on the server.
        if event.new is None:
            return
        if not self.state.select(str(event.new)):
            self._municipality.value = self.state.municipality_id

    def _on_state_municipality(self, event: param.parameterized.Event) -> None:
        if self._municipality.value != event.new:
            self._municipality.value = event.new

    def _on_lang(self, *_: object) -> None:
        state = self.state
        self._municipality.label = state.tr("views.municipality")
        self._municipality.options = state.municipality_options()
        self._municipality.value = state.municipality_id
        self._lang.label = state.tr("views.language")
        self._nav.label = state.tr("views.pages_label")
        self._nav.options = self._page_options()
        self._nav.value = state.page
        self._title.object = f"## {state.tr('views.app_title')}"
        if state.scope.user:
            self._user.object = (f"{state.tr('views.signed_in_as', user=state.scope.user)} · "
                                 f"[{state.tr('views.log_out')}](./logout)")
        else:
            self._user.object = ""
        self._on_notice()

    def _on_notice(self, *_: object) -> None:
        text = self.state.notice
        self._notice.objects = [alert(text, "danger")] if text else []
        if text:
            self._notice.objects[0].css_classes = ["sk-notice"]

    def _sync_url(self, *_: object) -> None:
        if pn.state.location is None or not pn.state.curdoc:
            return
        pn.state.location.update_query(
            municipality=self.state.municipality_id or "", page=self.state.page,
            lang=self.state.lang,
        )

    def _lang_options(self) -> dict[str, str]:
        return {language_name(lang, capital=True): lang for lang in SUPPORTED_LANGS}

    def _page_options(self) -> dict[str, str]:
        return {PAGE_CLASSES[p].title(self.state.tr): p for p in PAGES
                if PAGE_CLASSES[p].offered(self.state.data)}

    # -- layout ---------------------------------------------------------------------------
    def page(self, page_id: str) -> Page:
        """The (lazily created) Viewer of ``page_id`` for this session."""
        if page_id not in self._pages:
            self._pages[page_id] = PAGE_CLASSES[page_id](state=self.state)
        return self._pages[page_id]

    @param.depends("state.page")
    def _current(self) -> pn.viewable.Viewable:
        return self.page(self.state.page)

    def __panel__(self) -> pn.viewable.Viewable:
        sidebar = pn.Column(
            self._municipality, self._lang, self._nav, self._user,
            width=260, min_height=600, sizing_mode="stretch_height", css_classes=["sk-sidebar"],
            stylesheets=[_NARROW_SIDEBAR],
        )
        main = pn.Column(self._notice, self._current, sizing_mode="stretch_width",
                         stylesheets=[_MAIN], css_classes=["sk-main"])
        return pn.Column(
            pn.Row(self._title, css_classes=["sk-header"], sizing_mode="stretch_width"),
            pn.Row(sidebar, main, sizing_mode="stretch_width", stylesheets=[_WRAP]),
            sizing_mode="stretch_width",
        )


def _query(args: Mapping[str, list[bytes]] | None, key: str) -> str | None:
    if not args or key not in args or not args[key]:
        return None
    value = args[key][0]
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def create_app(
    catalog: str | Path | None = None,
    users: str | Path | Mapping[str, object] | None = None,
    *,
    user: str | None = None,
    data: DashboardData | None = None,
    query: Mapping[str, list[bytes]] | None = None,
) -> DashboardApp:
    """Build the dashboard for one session.

    Parameters
    ----------
    catalog : path, optional
        Intake catalog (default :func:`socialkit.config.default_catalog`); loaded once per
        process (:func:`socialkit.views.data.load_data`).
    users : path or mapping, optional
        The users file (or its parsed mapping); default :func:`config.dashboard_users_file`.
        Without one, every visitor sees every municipality.
    user : str, optional
        The logged-in user; default ``pn.state.user`` (set by ``--basic-auth`` or OAuth).
    data : DashboardData, optional
        Use these data instead of loading ``catalog`` (tests).
    query : mapping, optional
        URL query arguments; default ``pn.state.session_args``.
    """
    panel_extension()
    data = data if data is not None else load_data(catalog)
    users = users if users is not None else config.dashboard_users_file()
    mapping = load_users(users) if isinstance(users, str | Path) else users
    if user is None and pn.state.curdoc is not None:
        user = pn.state.user
    scope: Scope = resolve_scope(user, mapping)  # type: ignore[arg-type]
    if query is None and pn.state.curdoc is not None:
        query = pn.state.session_args
    lang = _query(query, "lang")
    lang = config.resolve_lang(lang) if lang else lang
    page = _query(query, "page")
    state = DashboardState(
        data, scope,
        **({"lang": lang} if lang in SUPPORTED_LANGS else {}),
        # a page the navigation does not offer for these data is not opened (the first is)
        **({"page": page} if page in PAGES and PAGE_CLASSES[page].offered(data) else {}),
    )
    wanted = _query(query, "municipality")
    if wanted:
        state.select(wanted)
    return DashboardApp(state=state)

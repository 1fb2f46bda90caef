"""The state one dashboard session shares between its pages.

:class:`DashboardState` holds the chosen municipality, language and page, the session's
:class:`~socialkit.views.scope.Scope` and the shared :class:`~socialkit.views.data.DashboardData`.
Every page reads municipality data through :meth:`DashboardState.frame`, which checks the scope
again, so data of a municipality outside the scope cannot reach a page even if a parameter was
forced from outside.
"""

from __future__ import annotations

import pandas as pd
import param

from ..config import SUPPORTED_LANGS, default_lang
from ..i18n import Translator, display_names
from .data import DashboardData
from .scope import AccessDenied, Scope

__all__ = ["PAGES", "DashboardState", "municipality_names"]

#: Page ids in navigation order; labels are ``views.pages.<id>`` (``glance.page`` for the
#: at-a-glance page, the first one).
PAGES: tuple[str, ...] = ("glance", "overview", "maturity", "needs", "passport", "monitoring",
                          "library", "strategy", "professionals", "assessment", "contracting",
                          "entry")


def _names(data: DashboardData, lang: str) -> dict[str, str]:
    """``{municipality_id: name}`` in ``lang`` (:func:`socialkit.i18n.display_name`)."""
    frame = data.table("municipalities")
    if frame.empty:
        return {}
    return dict(zip(frame["municipality_id"].astype(str), display_names(frame, lang).astype(str),
                    strict=True))


def municipality_names(data: DashboardData, lang: str) -> dict[str, str]:
    """``{municipality_id: name}`` in ``lang``, computed once per data set and language."""
    return data.computed("state.names", _names, lang)


class DashboardState(param.Parameterized):
    """Municipality, language and page of one session, limited to the session's scope.

    Parameters
    ----------
    data : DashboardData
        The shared, cached tables.
    scope : Scope
        What this session may see.
    """

    municipality_id = param.Selector(default=None, objects=[], allow_None=True,
                                     check_on_set=True, doc="""
        The chosen municipality; only ids in the session's scope are accepted.""")
    lang = param.Selector(default="en", objects=list(SUPPORTED_LANGS))
    page = param.Selector(default=PAGES[0], objects=list(PAGES))
    notice = param.String(default="", doc="A message for the user (e.g. access refused).")

    def __init__(self, data: DashboardData, scope: Scope, **params):
        self.data = data
        self.scope = scope
        visible = scope.visible(data.municipality_ids)
        self.param.municipality_id.objects = visible
        params.setdefault("municipality_id", visible[0] if visible else None)
        params.setdefault("lang", default_lang() if default_lang() in SUPPORTED_LANGS else "en")
        super().__init__(**params)
        self.param.watch(self._enforce_scope, "municipality_id")

    # -- selection -----------------------------------------------------------------------
    @property
    def visible_ids(self) -> list[str]:
        """Municipality ids this session may choose, in catalog order."""
        return list(self.param.municipality_id.objects)

    def select(self, municipality_id: str) -> bool:
        """Choose ``municipality_id`` if the scope allows it.

        Returns ``True`` on success; otherwise leaves the selection unchanged, sets
        :attr:`notice` to the localised refusal and returns ``False``.
        """
        try:
            self.scope.check(municipality_id)
        except AccessDenied:
            self.notice = self.tr("views.access_denied", municipality_id=municipality_id)
            return False
        if municipality_id not in self.visible_ids:  # allowed but not in this catalog
            self.notice = self.tr("views.access_denied", municipality_id=municipality_id)
            return False
        if municipality_id != self.municipality_id:
            self.notice = ""
            self.municipality_id = municipality_id
        return True

    def _enforce_scope(self, event: param.parameterized.Event) -> None:
        # Defence in depth: the Selector already rejects ids outside ``objects``.
        if event.new is not None and not self.scope.allows(event.new):
            with param.discard_events(self):
                self.municipality_id = event.old
            raise AccessDenied(self.scope.user, event.new)

    # -- text ----------------------------------------------------------------------------
    def tr(self, key: str, /, **kwargs: object) -> str:
        """Translate ``key`` into the session language."""
        return Translator(self.lang)(key, **kwargs)

    @property
    def translator(self) -> Translator:
        return Translator(self.lang)

    def municipality_name(self, municipality_id: str | None = None) -> str:
        """The municipality's name in the session language (Ukrainian name for ``uk``)."""
        mid = municipality_id or self.municipality_id
        if mid is None:
            return ""
        return self._names().get(mid, str(mid))

    def _names(self) -> dict[str, str]:
        return self.data.computed("state.names", _names, self.lang)

    def municipality_options(self) -> dict[str, str]:
        """``{label: id}`` of the visible municipalities for a select widget."""
        names = self._names()
        labels: dict[str, str] = {}
        for mid in self.visible_ids:
            label = names.get(mid, mid)
            labels[label if label not in labels else f"{label} ({mid})"] = mid
        return labels

    # -- data ----------------------------------------------------------------------------
    def frame(self, table: str, municipality_id: str | None = None) -> pd.DataFrame:
        """Rows of ``table`` for the chosen (or given) municipality, after a scope check.

        Raises
        ------
        AccessDenied
            When the municipality is outside the session's scope.
        """
        mid = municipality_id or self.municipality_id
        if mid is None:
            return self.data.table(table).iloc[0:0]
        self.scope.check(mid)
        frame = self.data.table(table)
        if frame.empty or "municipality_id" not in frame:
            return frame.iloc[0:0]
        return frame[frame["municipality_id"] == mid].reset_index(drop=True)

    def visible_frame(self, table: str) -> pd.DataFrame:
        """Rows of ``table`` for every municipality in the scope."""
        frame = self.data.table(table)
        if frame.empty:
            return frame
        return self.scope.filter(frame)

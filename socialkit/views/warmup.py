"""Computing the dashboard's analyses before anyone asks (``socialkit serve`` starts it).

Once the server answers, a background thread computes what the pages of an official who sees
every municipality read: the boundaries, the vulnerability index and the needs clusters, the
maturity assessment and the M&E overview in the default language, then each municipality's
at-a-glance findings (its passport and M&E report with them) in catalog order. Every result
goes through :meth:`DashboardData.computed`, so a page asking for one while it is being
computed waits for that computation instead of starting another, and results already on disk
(:data:`socialkit.views.data.PERSISTED`) are only read.

A failure is logged and skipped: the page that needs the result computes it (and shows the
error) when it is opened.
"""

from __future__ import annotations

import logging
import threading

from .. import config
from .data import DashboardData, boundaries

__all__ = ["start_warmup", "warm_up"]

_LOG = logging.getLogger(__name__)


def _steps(data: DashboardData, lang: str):
    from .glance import glance_findings
    from .maturity import _assess
    from .monitoring import _overview
    from .needs import _scoped_clusters, _scoped_vulnerability
    from .scope import Scope
    from .state import DashboardState

    yield "boundaries", lambda: boundaries(data)
    yield "library reports", _library_reports
    yield "needs", lambda: (data.computed("needs.scoped_vulnerability", _scoped_vulnerability,
                                          None),
                            data.computed("needs.scoped_clusters", _scoped_clusters, None))
    yield "maturity", lambda: data.computed("maturity.assess", _assess, lang)
    yield "monitoring", lambda: data.computed("monitoring.overview", _overview, lang)
    state = DashboardState(data, Scope(None, None), lang=lang)
    for mid in data.municipality_ids:
        def _glance(mid: str = mid) -> None:
            state.municipality_id = mid
            glance_findings(state)
        yield f"glance {mid}", _glance


def _library_reports() -> None:
    """The generated reports into the e-platform library (the Library page's first visitor
    then finds them registered)."""
    from ..library import open_library
    from .library import sync_reports

    sync_reports(open_library(), every_s=0)


def warm_up(data: DashboardData, lang: str | None = None) -> list[str]:
    """Compute the analyses the pages read (see the module); returns the steps that failed."""
    lang = lang or config.default_lang()
    failed = []
    for name, step in _steps(data, lang):
        try:
            step()
        except Exception:  # the page shows the error when it is opened
            _LOG.warning("warm-up step %s failed", name, exc_info=True)
            failed.append(name)
    return failed


def start_warmup(data: DashboardData, lang: str | None = None) -> threading.Thread:
    """:func:`warm_up` in a daemon thread (it never keeps the server from stopping)."""
    thread = threading.Thread(target=warm_up, args=(data, lang), name="socialkit-warmup",
                              daemon=True)
    thread.start()
    return thread

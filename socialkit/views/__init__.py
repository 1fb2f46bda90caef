"""Panel Viewer classes, one per dashboard page, and the app that assembles them.

>>> from socialkit.views import create_app      # one session's app (used by dashboards/)
"""

from .app import PAGE_CLASSES, DashboardApp, create_app, panel_extension
from .data import DashboardData, from_frames, load_data
from .scope import AccessDenied, Scope, load_users, resolve_scope
from .state import PAGES, DashboardState

__all__ = [
    "PAGES",
    "PAGE_CLASSES",
    "AccessDenied",
    "DashboardApp",
    "DashboardData",
    "DashboardState",
    "Scope",
    "create_app",
    "from_frames",
    "load_data",
    "load_users",
    "panel_extension",
    "resolve_scope",
]

"""HTTP hardening of the dashboard server: the components route and secure response headers.

Two pieces that :func:`socialkit.views.server.serve` plugs into Panel's Tornado application:

* :class:`SafeComponentHandler` replaces Panel's ``/components/<module>/<class>/<attr>/<path>``
  route. Panel's own handler calls ``importlib.import_module(<module>)`` with the name taken
  from the URL, so one unauthenticated request can import (run) any module on the server, e.g.
  ``/components/unittest.__main__/x/_css/y`` stops the process. This handler never imports:
  the module must already be loaded, belong to a package the app is built from
  (:data:`COMPONENT_PACKAGES`), and the class must be a Panel component defined or re-exported
  there; anything else is a 404. Only then is Panel's resolution (which also checks that the
  file is one the component lists) run.
* :class:`SecurityHeaders` is a Tornado output transform adding, to every response,
  ``Content-Security-Policy`` (:data:`CSP`), ``X-Frame-Options: DENY``,
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` and, over HTTPS,
  ``Strict-Transport-Security``.
"""

from __future__ import annotations

import sys

from panel.io.server import ComponentResourceHandler
from tornado.web import HTTPError, OutputTransform

__all__ = ["COMPONENT_PACKAGES", "CSP", "SafeComponentHandler", "SecurityHeaders",
           "component_allowed", "harden_panel_components"]

#: Top-level packages whose (already imported) components may serve their resource files.
COMPONENT_PACKAGES = frozenset({"panel", "panel_material_ui", "bokeh", "holoviews", "socialkit"})

#: Content-Security-Policy of every response. Scripts, styles, images, fonts and connections
#: only from the server itself (``'self'`` covers the same-host WebSocket); no plugins, no
#: framing, forms only to the server. Bokeh embeds each document and its start-up code in
#: inline ``<script>`` elements and builds styles at run time, so ``'unsafe-inline'`` is needed
#: for scripts and styles, ``'unsafe-eval'`` for Bokeh/Panel code compiled in the browser and
#: ``blob:`` for the ES modules Panel loads from blobs it builds itself. The browser tests fail
#: on any CSP violation (a console error), so this is the least the dashboard needs.
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def component_allowed(module_name: str, class_name: str) -> bool:
    """True when ``module_name.class_name`` is a loaded Panel component of the app's packages.

    Nothing is imported: a module that is not in :data:`sys.modules` is refused.

    >>> component_allowed("unittest.__main__", "x")
    False
    >>> component_allowed("os", "system")
    False
    """
    if module_name.split(".", 1)[0] not in COMPONENT_PACKAGES or "__main__" in module_name:
        return False
    module = sys.modules.get(module_name)
    if module is None:
        return False
    component = vars(module).get(class_name)  # no module __getattr__: it may import
    if not isinstance(component, type):
        return False
    import param

    return issubclass(component, param.Parameterized)


class SafeComponentHandler(ComponentResourceHandler):
    """Panel's component resource route without importing names taken from the URL."""

    def parse_url_path(self, path: str) -> str:
        parts = path.split("/")
        if len(parts) < 4 or not component_allowed(parts[0], parts[1]):
            raise HTTPError(404)
        return super().parse_url_path(path)


def harden_panel_components() -> None:
    """Make Panel's own ``/components/`` handler refuse what :class:`SafeComponentHandler`
    refuses (for ``panel serve``, where socialkit does not build the routes).

    Run it before the server answers: ``panel serve dashboards/*.py --setup
    dashboards/setup/harden.py``. Idempotent.
    """
    if getattr(ComponentResourceHandler.parse_url_path, "_socialkit_safe", False):
        return
    original = ComponentResourceHandler.parse_url_path

    def parse_url_path(self, path: str) -> str:
        parts = path.split("/")
        if len(parts) < 4 or not component_allowed(parts[0], parts[1]):
            raise HTTPError(404)
        return original(self, path)

    parse_url_path._socialkit_safe = True  # type: ignore[attr-defined]
    ComponentResourceHandler.parse_url_path = parse_url_path


def _is_https(request) -> bool:
    return request.protocol == "https"


class SecurityHeaders(OutputTransform):
    """Adds the secure headers (see the module docstring) to every response."""

    def __init__(self, request):
        super().__init__(request)
        self._https = _is_https(request)

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        headers["Content-Security-Policy"] = CSP
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if self._https:
            headers["Strict-Transport-Security"] = "max-age=31536000"
        return super().transform_first_chunk(status_code, headers, chunk, finishing)

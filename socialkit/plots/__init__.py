"""HoloViews figures shared by notebooks, dashboards and reports.

One module per domain (``index``, ``maturity``, ``maps``, ``monitoring``, ...); each function
takes frames and returns a HoloViews object with backend-neutral options. :func:`setup` picks
Bokeh (interactive) or Matplotlib SVG (static, for PDFs). This package never imports Panel.
"""

from .theme import CATEGORICAL, STATUS_COLOURS, is_static, setup

__all__ = ["CATEGORICAL", "STATUS_COLOURS", "is_static", "setup"]

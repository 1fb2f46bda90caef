"""``panel serve dashboards/socialkit_app.py``: the socialkit dashboard.

The catalog comes from ``$SOCIALKIT_CATALOG`` (default: the demo) and the users file from
``$SOCIALKIT_USERS``; authentication from ``panel serve`` options (``--basic-auth``, OAuth).
"""

import panel as pn

from socialkit.config import default_lang
from socialkit.i18n import t
from socialkit.views import create_app, panel_extension
from socialkit.views.hardening import harden_panel_components

harden_panel_components()  # also at the first session, if --setup was forgotten
panel_extension()

if pn.state.served:
    create_app().servable(title=t("views.app_title", default_lang()))

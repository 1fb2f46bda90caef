"""``panel serve dashboards/*.py --setup dashboards/setup/harden.py``: run before serving.

Panel's ``/components/<module>/...`` route imports the module named in the URL; this makes it
answer 404 for anything but the loaded components (see ``socialkit.views.hardening``).
``socialkit serve`` does this (and more) by itself.
"""

from socialkit.views.hardening import harden_panel_components

harden_panel_components()

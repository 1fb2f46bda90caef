"""Real place names of the programmes' demo regions (Moldova, Serbia, Belarus).

One module per country holds its administrative units as data: each municipality with its
local name, the real order of magnitude of its population, and the settlements the demo gives
it. Everything else the demo holds about them (positions of villages, areas, exact
populations, every count) is synthetic; see :mod:`socialkit.data.demo.countries`.
"""

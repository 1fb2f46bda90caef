"""Moldova: Cantemir district (raionul Cantemir, ISO 3166-2 ``MD-CT``).

The district's local public authorities of the first level are the demo's municipalities: the
town of Cantemir and its 26 communes (each a *primărie*); their villages are its settlements,
the commune's seat first. Names are in Romanian as written in Moldova (ș ț ă î â), from the
list of localities of Law 764/2001 on the administrative-territorial organisation of the
Republic of Moldova (annex 3, Cantemir district): 50 localities in all.

``population`` is the order of magnitude of the primărie's population (rounded; the demo
draws its numbers around it). Town and seats of communes are real; **which commune a few
small villages belong to was not checked against the law's annex** (marked ``# unverified``):
the demo places them where we believe they belong.
"""

from __future__ import annotations

#: The district, in English and in Romanian: the demo's ``region`` (the unit reports compare
#: a commune with, as an oblast in Ukraine) and ``district``.
REGION = ("Cantemir", "Cantemir")
#: Real centre of the district (the town of Cantemir).
CENTRE = (46.2797, 28.2006)
#: Area of the district, km² (real); the communes share it in the synthetic layout.
AREA_KM2 = 870.0

#: (name in Romanian, kind of the seat, approximate population, villages of the primărie)
PRIMARII: list[tuple[str, str, int, tuple[str, ...]]] = [
    ("Cantemir", "town", 5000, ("Țolica",)),  # unverified: Țolica
    ("Antonești", "village", 1700, ("Leca",)),  # unverified: Leca
    ("Baimaclia", "village", 3000, ("Acui", "Suhat")),
    ("Cania", "village", 3200, ("Iepureni",)),  # unverified: Iepureni
    ("Capaclia", "village", 2100, ()),
    ("Chioselia", "village", 1800, ("Popovca",)),  # unverified: Popovca
    ("Ciobalaccia", "village", 4000, ("Flocoasa", "Victorovca")),
    ("Cîietu", "village", 2500, ("Dimitrova",)),
    ("Cîrpești", "village", 1500, ("Tătărășeni",)),  # unverified: Tătărășeni
    ("Cîșla", "village", 1600, ()),
    ("Cociulia", "village", 2800, ("Crăciun",)),  # unverified: Crăciun
    ("Coștangalia", "village", 1600, ()),
    ("Enichioi", "village", 2000, ("Bobocica", "Floricica")),
    ("Gotești", "village", 2700, ("Constantinești",)),
    ("Haragîș", "village", 1600, ("Țărăncuța",)),  # unverified: Țărăncuța
    ("Lărguța", "village", 2500, ()),
    ("Lingura", "village", 1100, ()),
    ("Pleșeni", "village", 3000, ("Hîrtop", "Plopi")),  # unverified: Hîrtop, Plopi
    ("Porumbești", "village", 800, ("Alexandrovca",)),  # unverified: Alexandrovca
    ("Sadîc", "village", 2100, ("Taraclia",)),
    ("Stoianovca", "village", 900, ("Hănăseni",)),  # unverified: Hănăseni
    ("Șamalia", "village", 1200, ()),
    ("Șofranovca", "village", 700, ()),
    ("Tartaul", "village", 1800, ()),
    ("Toceni", "village", 2800, ("Vîlcele",)),
    ("Țiganca", "village", 2700, ("Ghioltosu", "Țiganca Nouă")),
    ("Vișniovca", "village", 900, ()),
]

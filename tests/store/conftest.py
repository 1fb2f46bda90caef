"""Store fixtures: an empty database per test, on SQLite and on PostgreSQL (``db_url``), and a
small world of institutions, forms and users in it (``world``)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class World:
    """A province institute ``pzsz`` with two CSWs ``csw-a`` and ``csw-b`` under it; forms
    ``csw_state`` (open) and ``dv_quarterly`` (restricted); users: ``wa``/``wb`` workers of A/B,
    ``ha`` head of A, ``hb`` head of B, ``prov`` the province, ``dva`` worker of A with the dv
    right, ``provdv`` the province with the dv right."""

    store: object
    url: str

    def __getattr__(self, user):
        return self.store.actor(user)


@pytest.fixture
def world(db_url):
    from socialkit.store import Actor, open_store

    store = open_store(db_url)
    admin = Actor.system("setup")
    store.add_institution(admin, "pzsz", "province", "Provincial institute")
    store.add_institution(admin, "csw-a", "csw", "CSW A", municipality_id="M1", parent_id="pzsz")
    store.add_institution(admin, "csw-b", "csw", "CSW B", municipality_id="M2", parent_id="pzsz")
    store.register_form(admin, "csw_state", "1", "CSW state")
    store.register_form(admin, "dv_quarterly", "1", "Domestic violence", restricted=True)
    for user, role, inst in [("wa", "worker", "csw-a"), ("wb", "worker", "csw-b"),
                             ("ha", "head", "csw-a"), ("hb", "head", "csw-b"),
                             ("prov", "province", None), ("dva", "worker", "csw-a"),
                             ("dva", "dv", "csw-a"), ("provdv", "province", None),
                             ("provdv", "dv", None)]:
        store.grant(admin, user, role, inst)
    return World(store, db_url)

"""The store as an intake source: the accepted records, read like any other table.

Analyses never import :mod:`socialkit.store`; they read the store through an intake v2 catalog
whose entries are SQL queries on the store's views (created by the migrations):

``accepted_values``
    one row per field of every **accepted** record of an open form: ``record_id, form_id,
    form_version, institution_id, institution_kind, municipality_id, period, version, field,
    value`` (``value`` as text; ``pd.to_numeric`` where a number is expected). Pivot on
    ``field`` to get one column per question.
``institutions``
    the institutions (id, kind, name, municipality, parent).

Records of restricted (domestic-violence) forms are only in the view
``accepted_values_restricted``, which the template leaves out: an analyst with the right adds
that entry, and on PostgreSQL the database role of everyone else is given ``SELECT`` on
``accepted_values`` only (see docs/store.md). The database URL comes from the ``db_url`` user
parameter (by default ``SOCIALKIT_DB_URL``); the ``form_id`` parameter (empty: every form)
reaches the query as a bound parameter, never by string formatting.

The catalogs use only intake's ``PandasSQLAlchemy`` reader and ``SQLQuery`` data type, which
:mod:`socialkit.data.catalog_safety` already allows: reading runs ``pandas.read_sql`` on the
query text, which imports and runs no code named in the file.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RESTRICTED_ENTRY", "STORE_ENTRIES", "store_catalog"]

_UP = "intake.readers.user_parameters:SimpleUserParameter"
_DB_URL_HELP = {
    "sqlite": "SQLAlchemy URL of the socialkit store, e.g. "
              "sqlite:///socialkit.sqlite (a file in the current folder; `socialkit db status` "
              "prints the default)",
    "postgresql": "SQLAlchemy URL of the socialkit store (driver psycopg 3), e.g. "
                  "postgresql+psycopg://user@host:5432/socialkit",
}
_PARAM = {"sqlite": ":form_id", "postgresql": "%(form_id)s"}

#: Entry name -> (query, filtered by form_id).
STORE_ENTRIES: dict[str, tuple[str, bool]] = {
    "accepted_values": (
        "SELECT * FROM accepted_values WHERE ({p} = '' OR form_id = {p}) "
        "ORDER BY form_id, institution_id, period, field", True),
    "institutions": (
        "SELECT id AS institution_id, kind, name, municipality_id, parent_id "
        "FROM institutions ORDER BY id", False),
}


#: The entry an analyst with the domestic-violence right adds (``restricted=True``).
RESTRICTED_ENTRY: dict[str, tuple[str, bool]] = {
    "accepted_values_restricted": (
        "SELECT * FROM accepted_values_restricted WHERE ({p} = '' OR form_id = {p}) "
        "ORDER BY form_id, institution_id, period, field", True),
}


def store_catalog(kind: str, *, restricted: bool = False) -> dict[str, Any]:
    """The intake v2 catalog (a dict) reading the store in a ``sqlite`` or ``postgresql``
    database (the two differ only in the drivers' parameter style); ``restricted=True`` adds
    the entry ``accepted_values_restricted`` (the domestic-violence forms: for analysts with
    that right, whose database role may read the view)."""
    if kind not in _PARAM:
        raise ValueError(f"unknown store catalog kind {kind!r}; expected sqlite or postgresql")
    data: dict[str, Any] = {}
    entries: dict[str, Any] = {}
    queries = {**STORE_ENTRIES, **(RESTRICTED_ENTRY if restricted else {})}
    for name, (query, by_form) in queries.items():
        data[f"{name}_query"] = {
            "datatype": "intake.readers.datatypes:SQLQuery",
            "kwargs": {"conn": "{db_url}", "query": query.format(p=_PARAM[kind])},
            "metadata": {}, "user_parameters": {},
        }
        kwargs: dict[str, Any] = {"args": ["{data(" + name + "_query)}"]}
        if by_form:
            kwargs["params"] = {"form_id": "{form_id}"}
        entries[name] = {
            "kwargs": kwargs, "metadata": {"table": name, "source": "socialkit store"},
            "output_instance": "pandas:DataFrame",
            "reader": "intake.readers.readers:PandasSQLAlchemy", "user_parameters": {},
        }
    return {
        "version": 2, "aliases": {},
        "metadata": {"title": f"socialkit store ({kind}): accepted records", "synthetic": False},
        "user_parameters": {
            "db_url": {"cls": _UP, "description": _DB_URL_HELP[kind],
                       "default": "env(SOCIALKIT_DB_URL)", "dtype": "str"},
            "form_id": {"cls": _UP, "description": "read only this form's records (empty: all)",
                        "default": "", "dtype": "str"},
        },
        "data": data, "entries": entries,
    }

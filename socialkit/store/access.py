"""Who may do what in the store: the acting user's roles per institution.

A user (a login name of the dashboard's credentials file, see
:mod:`socialkit.views.credentials`) holds roles at institutions (``user_roles`` table):

==========  =====================================================================================
role        rights
==========  =====================================================================================
worker      reads and writes (draft, submit) the records of that institution
head        what a worker may, plus approve or return its submitted records and reopen its
            approved ones
province    reads every record of that institution and of the institutions under it (no
            institution: all), accepts approved records, returns or reopens them
dv          the right to forms flagged ``restricted`` (domestic violence) for the institutions
            the user may otherwise read (no institution: all of those); alone it gives nothing
==========  =====================================================================================

Every store function takes an :class:`Actor` and checks these rights itself (server side): a
view cannot forget to. :meth:`Actor.system` is the administrator acting from the command line
(whoever holds the database's credentials can do anything anyway); it is recorded by name in
the audit trail like any user.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["Actor"]


@dataclass(frozen=True)
class Actor:
    """The acting user and their roles: ``roles`` is ``{role: {institution ids}}``; a ``None``
    institution in ``province`` or ``dv`` means every institution."""

    user: str
    roles: Mapping[str, frozenset[str | None]] = field(default_factory=dict)
    is_system: bool = False

    @classmethod
    def system(cls, user: str = "admin") -> Actor:
        """The administrator (command line, set-up scripts): every right."""
        return cls(user=user, roles={}, is_system=True)

    @classmethod
    def from_rows(cls, user: str, rows: Iterable[tuple[str, str | None]]) -> Actor:
        """An actor from ``(role, institution_id)`` pairs (the ``user_roles`` rows)."""
        roles: dict[str, set[str | None]] = {}
        for role, inst in rows:
            roles.setdefault(role, set()).add(inst)
        return cls(user=user, roles={r: frozenset(v) for r, v in roles.items()})

    @property
    def is_administrator(self) -> bool:
        """The administrator, or the province over every institution."""
        return self.is_system or None in self._at("province")

    def _at(self, role: str) -> frozenset[str | None]:
        return self.roles.get(role, frozenset())

    def province_scope(self, parents: Mapping[str, str | None]) -> set[str] | None:
        """Institutions the province roles cover (``None``: all); ``parents`` maps every
        institution to its parent."""
        at = self._at("province")
        if None in at:
            return None
        out: set[str] = set()
        for inst in parents:
            node: str | None = inst
            seen: set[str] = set()
            while node is not None and node not in seen:
                if node in at:
                    out.add(inst)
                    break
                seen.add(node)
                node = parents.get(node)
        return out

    def readable(self, parents: Mapping[str, str | None]) -> set[str] | None:
        """Institutions whose records the actor may read (``None``: all)."""
        if self.is_system:
            return None
        province = self.province_scope(parents)
        if province is None:
            return None
        return province | {i for i in self._at("worker") | self._at("head") if i is not None}

    def may_write(self, institution_id: str) -> bool:
        """Enter data (save a draft, submit) for the institution."""
        return self.is_system or institution_id in (self._at("worker") | self._at("head"))

    def may_approve(self, institution_id: str) -> bool:
        """Approve, return or reopen the institution's records as its head."""
        return self.is_system or institution_id in self._at("head")

    def may_accept(self, institution_id: str, parents: Mapping[str, str | None]) -> bool:
        """Accept, return or reopen approved/accepted records as the province."""
        if self.is_system:
            return True
        scope = self.province_scope(parents)
        return scope is None or institution_id in scope

    def may_read(self, institution_id: str, parents: Mapping[str, str | None],
                 restricted: bool = False) -> bool:
        """Read the institution's records (of a restricted form: with the ``dv`` right)."""
        return self.may_read_each([institution_id], parents, restricted)[institution_id]

    def may_read_each(self, institution_ids: Iterable[str], parents: Mapping[str, str | None],
                      restricted: bool = False) -> dict[str, bool]:
        """:meth:`may_read` for many institutions at once (the tree walked once, not once
        per institution: a bulk import asks for every row)."""
        scope = self.readable(parents)
        return {i: (scope is None or i in scope) and (not restricted or self.has_dv(i))
                for i in institution_ids}

    def has_dv(self, institution_id: str) -> bool:
        """The right to restricted (domestic-violence) forms of the institution."""
        dv = self._at("dv")
        return self.is_system or None in dv or institution_id in dv

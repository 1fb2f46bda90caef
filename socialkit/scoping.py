"""Aggregates shown to a scoped reader must not reveal a unit outside the reader's scope.

A reader (a dashboard user limited to some municipalities, or the officials a municipality's
PDF is written for) sees the values of some units exactly, and aggregates (a peer group's
mean, with the group's members and size known) over groups that also hold units they may not
see. With ``V`` the units the reader sees and ``H = G \\ V`` the hidden members of a group
``G``, a shown mean gives the reader the **sum over H** (``n·mean − Σ_V``). So:

* a group with exactly one hidden member reveals that member (``x_C = 3·mean − x_A − x_B``);
* several shown groups combine: means over ``{A, B, C, D}`` and ``{A, B, C, D, E}`` give
  ``x_E`` by difference even though each group has two or more hidden members.

The rule (:func:`aggregate_is_safe`): an aggregate may be shown when its group has no hidden
member (it reveals nothing new) or at least :data:`MIN_HIDDEN` of them, **and** no hidden unit's
value is a linear combination of the sums over ``H`` of all the aggregates shown to that reader
(:func:`recoverable_units`: the unit's indicator vector lies in the row space of the shown
groups' hidden-membership matrix). Otherwise the aggregate is withheld. Callers pick the
aggregates once per reader (all the reader's units together, so switching between them shows
nothing more) with :func:`choose_safe`.

>>> sorted(recoverable_units([{"A", "B", "C"}], visible={"A", "B"}))
['C']
>>> aggregate_is_safe({"A", "B", "C", "D"}, visible={"A", "B"})
True
>>> aggregate_is_safe({"A", "B", "C", "D", "E"}, visible={"A", "B"},
...                   shown=[{"A", "B", "C", "D"}])
False
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Sequence

import numpy as np

__all__ = ["MIN_HIDDEN", "aggregate_is_safe", "choose_safe", "recoverable_units"]

#: Fewest members outside the reader's scope an aggregate may have (when it has any).
MIN_HIDDEN = 2


def recoverable_units(groups: Iterable[Collection[Hashable]],
                      visible: Collection[Hashable] | None) -> set:
    """Units outside ``visible`` whose value follows exactly from the groups' sums (or means
    with known sizes) and the visible units' values.

    ``visible=None`` means the reader sees every unit (nothing is hidden, nothing to recover).

    Notes
    -----
    Let :math:`M` be the matrix with one row per group and one column per hidden unit,
    :math:`M_{gu} = 1` when :math:`u \\in G_g`. The reader knows :math:`Mx`. A unit :math:`u`
    is determined iff :math:`e_u` lies in the row space of :math:`M`, i.e. iff the diagonal
    element :math:`P_{uu}` of the projection :math:`P = V_r V_r^T` onto that space
    (:math:`V_r`: right singular vectors with non-zero singular values) is 1.
    """
    if visible is None:
        return set()
    seen = set(visible)
    rows = [sorted(set(g) - seen, key=str) for g in groups]
    hidden = sorted({u for r in rows for u in r}, key=str)
    if not hidden:
        return set()
    col = {u: i for i, u in enumerate(hidden)}
    m = np.zeros((len(rows), len(hidden)))
    for i, r in enumerate(rows):
        m[i, [col[u] for u in r]] = 1.0
    _, s, vt = np.linalg.svd(m, full_matrices=False)
    basis = vt[s > 1e-9 * max(1.0, s.max(initial=0.0))]
    diag = (basis ** 2).sum(axis=0)
    return {u for u, d in zip(hidden, diag, strict=True) if d > 1 - 1e-9}


def aggregate_is_safe(members: Collection[Hashable], visible: Collection[Hashable] | None,
                      shown: Sequence[Collection[Hashable]] = (),
                      min_hidden: int = MIN_HIDDEN) -> bool:
    """May an aggregate over ``members`` be shown to a reader who sees ``visible`` and has
    been shown aggregates over the groups in ``shown``? (See the module docstring.)"""
    if visible is None:
        return True
    hidden = set(members) - set(visible)
    if not hidden:
        return True
    if len(hidden) < min_hidden:
        return False
    return not recoverable_units([*shown, members], visible)


def choose_safe(candidates: Iterable[tuple[Hashable, Sequence[tuple[Hashable, dict]]]],
                visible: Collection[Hashable] | None,
                min_hidden: int = MIN_HIDDEN) -> dict:
    """Pick, for each owner, the first candidate aggregate that is safe with those picked so far.

    Parameters
    ----------
    candidates : iterable of ``(owner, [(choice, {cell: members}), ...])``
        For each owner (e.g. a municipality whose radar shows a peer mean), its choices in
        order of preference; each choice shows one aggregate per cell (e.g. per dimension and
        round), ``members`` being that aggregate's group. Cells are separate quantities: only
        aggregates of the same cell combine.
    visible : collection or None
        Units the reader sees (``None``: all).

    Returns
    -------
    dict
        ``{owner: choice}``, ``None`` for an owner none of whose choices is safe.
    """
    shown: dict[Hashable, list[Collection[Hashable]]] = {}
    picked: dict = {}
    for owner, choices in candidates:
        picked[owner] = None
        for choice, cells in choices:
            if all(aggregate_is_safe(members, visible, shown.get(cell, ()), min_hidden)
                   for cell, members in cells.items()):
                picked[owner] = choice
                for cell, members in cells.items():
                    shown.setdefault(cell, []).append(set(members))
                break
    return picked

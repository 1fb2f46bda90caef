"""What a reader can work out from published tables: an equation system and its solution.

A cell (a count) is *known* when some output gives its value: printed, or as ``rate × base
/ per`` rounded. Published sums (``Σ members = total``) with known terms removed leave a
linear system ``A x = b`` in the unknown cells; an unknown cell ``x_j`` is determined exactly
when the unit vector ``e_j`` lies in the row space of ``A``, i.e. when row ``j`` of a basis
of the null space of ``A`` is zero. That is every recovery by adding and subtracting
published figures ("margin minus published cells", "oblast total minus the others"),
however many steps it takes.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np


class Reader:
    """Collects known cells and published sums, then says which unknowns are determined."""

    def __init__(self) -> None:
        self.known: dict[Hashable, float] = {}
        self.sums: list[tuple[list[Hashable], Hashable | None, float]] = []

    def learn(self, cell: Hashable, value: float | None) -> None:
        if value is None or value != value:
            return
        self.known[cell] = float(value)

    def add_sum(self, members: Iterable[Hashable], total: Hashable | None = None,
                value: float = 0.0) -> None:
        """``Σ members = total`` (a cell) or ``= value`` when ``total`` is None."""
        self.sums.append((list(members), total, float(value)))

    def determined(self, cells: Iterable[Hashable]) -> dict[Hashable, float]:
        """The given unknown cells that the published sums pin down, with their values."""
        unknown: dict[Hashable, int] = {}
        rows, rhs = [], []
        for members, total, value in self.sums:
            coef: dict[Hashable, float] = {}
            b = value
            for c in members:
                coef[c] = coef.get(c, 0.0) + 1.0
            if total is not None:
                coef[total] = coef.get(total, 0.0) - 1.0
            row = {}
            for c, a in coef.items():
                if c in self.known:
                    b -= a * self.known[c]
                elif a:
                    row[unknown.setdefault(c, len(unknown))] = a
            if row:
                rows.append(row)
                rhs.append(b)
        out: dict[Hashable, float] = {}
        targets = [c for c in cells if c not in self.known]
        for c in cells:
            if c in self.known:
                out[c] = self.known[c]
        if not rows or not targets:
            return out
        a = np.zeros((len(rows), len(unknown)))
        for i, row in enumerate(rows):
            for j, v in row.items():
                a[i, j] = v
        b = np.asarray(rhs)
        # null space basis from the SVD
        _, s, vt = np.linalg.svd(a, full_matrices=True)
        rank = int((s > 1e-9 * max(1.0, s.max(initial=0))).sum())
        null = vt[rank:].T  # columns span the null space
        x = np.linalg.lstsq(a, b, rcond=None)[0]
        for c in targets:
            j = unknown.get(c)
            if j is None:
                continue  # in no published sum
            if null.shape[1] == 0 or np.abs(null[j]).max() < 1e-9:
                out[c] = float(x[j])
        return out

"""Weight sensitivity of an award: does a small change of one weight change a lot's winner?

Convention
----------
One award criterion ``c`` changes weight, ``w_c -> w_c'``, and the other weights are
renormalised proportionally so that they still add up to 1::

    w_j' = w_j * (1 - w_c') / (1 - w_c)          (j != c)

The ±10 % check (:func:`weight_sensitivity`) uses ``w_c' = w_c * (1 ± 0.10)`` — a *relative*
change (a weight of 30 % becomes 33 % or 27 %) — or, with ``mode="points"``, ``w_c ± 0.10``
(30 % becomes 40 % or 20 %). Applications are re-scored with the new weights and the winner
is the highest score, equal scores going to the better original rank.

Under this convention each application's score is linear in the change ``t = w_c' - w_c``::

    S_a(t) = S_a + t * (p_ac - (S_a - w_c p_ac) / (1 - w_c))

(``p_ac`` the application's points on ``c``, scores on 0..1), so the smallest change that lets
another application overtake the winner is found exactly (:func:`minimal_flip`): for each
criterion and each competitor the ``t`` where the two lines cross, kept when
``-w_c <= t <= 1 - w_c``; the smallest ``|t|`` wins. The new winner is the competitor that
crosses first; at the crossing itself the two are tied and the original winner keeps the lot.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .evaluate import Evaluation

__all__ = ["minimal_flip", "weight_sensitivity"]

_SENS_COLS = ["competition_id", "lot_id", "criterion_id", "change", "weight_before",
              "weight_after", "winner_before", "winner_after", "changed"]
_FLIP_COLS = ["competition_id", "lot_id", "winner", "criterion_id", "weight_before",
              "weight_after", "change_points", "change_relative", "new_winner"]


def _lots(ev: Evaluation):
    """Per lot with two or more ranked applications: ids in rank order, criteria, P, w."""
    res = ev.results[ev.results["rank"].notna()].sort_values(["lot_id", "rank"])
    res = res[res.groupby("lot_id")["lot_id"].transform("size") >= 2]
    w = ev.weights
    crits_of = {c: (g["criterion_id"].tolist(), g["weight_used"].to_numpy(dtype=float))
                for c, g in w.groupby("competition_id", sort=False)}
    pts = ev.points.set_index(["application_id", "criterion_id"])["points"].to_dict()
    ids_all = res["application_id"].to_numpy()
    lots_all = res["lot_id"].to_numpy()
    comps_all = res["competition_id"].to_numpy()
    bounds = np.flatnonzero(np.r_[True, lots_all[1:] != lots_all[:-1], True])
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        crits, weights = crits_of[comps_all[a]]
        ids = ids_all[a:b]
        p = np.array([[pts.get((i, c), np.nan) for c in crits] for i in ids], dtype=float)
        yield comps_all[a], lots_all[a], ids, crits, np.nan_to_num(p), weights


def _winner(p: np.ndarray, w: np.ndarray) -> int:
    return int(np.argmax(np.round(p @ w, 9)))


def _reweight(w: np.ndarray, c: int, new: float) -> np.ndarray:
    out = w * (1.0 - new) / (1.0 - w[c])
    out[c] = new
    return out


def weight_sensitivity(ev: Evaluation, step: float = 0.10, mode: str = "relative"
                       ) -> pd.DataFrame:
    """Winner of every lot when one weight moves by ``±step`` (others renormalised).

    Parameters
    ----------
    ev : Evaluation
    step : float
        The change, 0.10 for ±10 %.
    mode : {"relative", "points"}
        ``w * (1 ± step)`` or ``w ± step`` (see the module notes).

    Returns
    -------
    DataFrame
        One row per lot × criterion × direction: weights before and after, the winner before
        and after and ``changed``. A change that would leave the weight outside 0..1 is skipped.
    """
    if mode not in ("relative", "points"):
        raise ValueError(f"mode {mode!r}: expected 'relative' or 'points'")
    rows = []
    for comp, lot, ids, crits, p, w in _lots(ev):
        base = ids[_winner(p, w)]
        for c, crit in enumerate(crits):
            if w[c] >= 1.0:
                continue
            for sign in (+1, -1):
                new = w[c] * (1 + sign * step) if mode == "relative" else w[c] + sign * step
                if not 0.0 <= new <= 1.0:
                    continue
                after = ids[_winner(p, _reweight(w, c, new))]
                rows.append((comp, lot, crit, sign * step, w[c], new, base, after,
                             bool(after != base)))
    return pd.DataFrame(rows, columns=_SENS_COLS)


def minimal_flip(ev: Evaluation) -> pd.DataFrame:
    """Per lot: the smallest change of one weight that gives the lot another winner.

    Returns
    -------
    DataFrame
        One row per lot with two or more ranked applications: the criterion, the weight before
        and at the crossing (fractions), the change in points (``t``) and relative to the weight
        (``t / w_c``), and the application that would win; empty criterion when no change of a
        single weight within 0..1 changes the winner.
    """
    rows = []
    for comp, lot, ids, crits, p, w in _lots(ev):
        s = p @ w
        win = _winner(p, w)
        best = None
        for c, crit in enumerate(crits):
            if w[c] >= 1.0:
                continue
            g = p[:, c] - (s - w[c] * p[:, c]) / (1.0 - w[c])
            gap = s[win] - s
            slope = g - g[win]
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.where(slope != 0, gap / slope, np.nan)
            t[win] = np.nan
            ok = (t >= -w[c] - 1e-12) & (t <= 1.0 - w[c] + 1e-12)
            for b in np.flatnonzero(ok):
                if best is None or abs(t[b]) < abs(best[2]) - 1e-12:
                    best = (crit, w[c], float(t[b]), int(b))
        if best is None:
            rows.append((comp, lot, ids[win], None, np.nan, np.nan, np.nan, np.nan, None))
        else:
            crit, wc, t, b = best
            rows.append((comp, lot, ids[win], crit, wc, wc + t, t, t / wc if wc else np.nan,
                         ids[b]))
    return pd.DataFrame(rows, columns=_FLIP_COLS)

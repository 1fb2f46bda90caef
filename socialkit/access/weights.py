"""Distance-decay weights for the floating-catchment methods, vectorised.

The three weight families of PySAL ``access`` (``access.weights``), with the same formulas and
the same edge cases, but taking and returning numpy arrays so a whole cost column is weighted in
one call:

* :func:`step_fn` — ``{upper_bound: weight}``; a cost ``x`` gets the weight of the smallest
  bound ``>= x`` (bounds inclusive) and 0 beyond the largest bound;
* :func:`gaussian` — :math:`f(x) = \\exp(-x^2 / (2\\sigma^2))` (not normalised, ``f(0) = 1``);
* :func:`gravity` — :math:`f(x) = (\\max(x, x_{min}) / s)^{\\alpha}` (``alpha`` is *not*
  implicitly negative, as in ``access``).

:func:`resolve_weight` turns what a user passes as ``weight`` (``None``, a dict, or any callable,
including the scalar-only functions of ``access.weights``) into a vectorised function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

__all__ = ["WeightFunction", "gaussian", "gravity", "resolve_weight", "step_fn"]

#: A weight function: costs (array) in, weights (array of the same shape) out.
WeightFunction = Callable[[np.ndarray], np.ndarray]


def step_fn(steps: Mapping[float, float]) -> WeightFunction:
    """A step weight from ``{upper_bound: weight}``; bounds are inclusive.

    Parameters
    ----------
    steps : mapping of float to float
        Cut-offs and the weight that applies up to and including each cut-off.

    Returns
    -------
    callable
        ``f(x)``: the weight of the smallest bound ``>= x``; 0 above the largest bound (and for
        a missing cost), exactly as ``access.weights.step_fn``.

    Examples
    --------
    >>> fn = step_fn({20: 1, 40: 0.68, 60: 0.22})
    >>> fn(np.array([0, 20, 30, 40, 60, 70])).tolist()
    [1.0, 1.0, 0.68, 0.68, 0.22, 0.0]
    """
    if not isinstance(steps, Mapping):
        raise TypeError(f"step weights must be a dict {{upper_bound: weight}}, got {steps!r}")
    if not steps:
        raise ValueError("step weights must have at least one {upper_bound: weight} entry")
    items = sorted((float(k), float(v)) for k, v in steps.items())
    if any(v < 0 for _, v in items):
        raise ValueError(f"step weights must not be negative, got {dict(steps)!r}")
    bounds = np.array([k for k, _ in items])
    values = np.array([v for _, v in items] + [0.0])

    def weight(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        # first bound >= x; NaN sorts after every bound and so gets 0, like access
        return values[np.searchsorted(bounds, x, side="left")]

    weight.steps = dict(items)  # type: ignore[attr-defined]
    return weight


def gaussian(sigma: float) -> WeightFunction:
    """A Gaussian weight of width ``sigma``: :math:`f(x) = \\exp(-x^2 / (2\\sigma^2))`.

    Not normalised, so ``f(0) = 1`` (as ``access.weights.gaussian``).

    >>> round(float(gaussian(20)(np.array([20.0]))[0]), 12)
    0.606530659713
    """
    if sigma == 0:
        raise ValueError("sigma of the Gaussian weight must be non-zero")

    def weight(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        return np.exp(-x * x / (2 * sigma**2))

    return weight


def gravity(scale: float, alpha: float, min_dist: float = 0) -> WeightFunction:
    """A gravity weight :math:`f(x) = (\\max(x, x_{min}) / s)^{\\alpha}`.

    ``alpha`` is used as given (pass a negative value for decay), and costs below ``min_dist``
    are raised to it, as in ``access.weights.gravity``.

    >>> gravity(20, -2, 1)(np.array([0.0, 2.0, 40.0])).round(2).tolist()
    [400.0, 100.0, 0.25]
    """

    def weight(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        return np.power(np.maximum(x, min_dist) / scale, alpha)

    return weight


def _binary(x: np.ndarray) -> np.ndarray:
    return np.ones(np.shape(x), dtype=float)


def resolve_weight(weight: None | Mapping[float, float] | Callable) -> WeightFunction:
    """Turn a ``weight`` argument into a vectorised weight function.

    ``None`` gives the binary weight (1 inside the catchment), a mapping gives :func:`step_fn`,
    and a callable is used as it is; a callable that only takes scalars (such as the functions
    of ``access.weights``) is applied element by element.
    """
    if weight is None:
        return _binary
    if isinstance(weight, Mapping):
        return step_fn(weight)
    if not callable(weight):
        raise TypeError(
            f"weight must be None, a dict {{upper_bound: weight}} or a function, got {weight!r}"
        )

    def vectorised(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        try:
            out = np.asarray(weight(x), dtype=float)
            if out.shape == x.shape:
                return out
        except (TypeError, ValueError):
            pass
        return np.array([float(weight(v)) for v in x.tolist()], dtype=float).reshape(x.shape)

    return vectorised

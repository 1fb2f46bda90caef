"""Composite-index engine: COINr's pipeline in Python, with COINr's conventions.

>>> from socialkit.index import build, Spec, read_imeta            # doctest: +SKIP
>>> res = build(idata, imeta, Spec.from_yaml("spec.yaml"))        # doctest: +SKIP
>>> res.stages["normalised"], res.results, res.treatment          # doctest: +SKIP

Inputs are in COINr's layout: **iData** (one row per unit: ``uCode``, ``uName``, group columns,
optional ``Time``, denominator columns, indicator columns) and **iMeta** (``Level, iCode,
iName, Direction, Weight, Parent, Type, Denominator, Target``; see
:mod:`socialkit.index.meta`).

The spec
--------
A YAML mapping with ``steps``: a list of one-key mappings run in the order given (a step left
out is skipped), and optional ``weight_sets: {name: {iCode: weight}}``::

    steps:
      - denominate: {}
      - impute: {method: mean_group, group: EurAsia_group}
      - screen: {threshold: 0.9}
      - treat: {winmax: 5}
      - normalise: {method: minmax, range: [0, 100]}
      - weights: {method: meta}
      - aggregate: {method: amean, dat_thresh: 0.5}

Step parameters (defaults in brackets):

* ``denominate``: ``scale`` [1] — divide each indicator by its iMeta ``Denominator`` column.
* ``impute``: ``method`` [mean] ∈ mean | median | mean_group | median_group; ``group`` (an
  iData column, required for ``*_group``).
* ``screen``: ``threshold`` [2/3] — drop units whose share of present indicators is below it;
  ``by`` [na] ∈ na | zeros | na_and_zeros, ``nonzero_threshold`` [0.05], ``force``
  ({uCode: true/false}).
* ``treat``: ``winmax`` [5], ``skew`` [2], ``kurtosis`` [3.5], ``log`` [true] (log_CT when
  winsorising fails), ``skip`` [[]] (iCodes left untreated).
* ``normalise``: ``method`` [minmax] ∈ minmax | zscore | rank | prank | borda | fracmax |
  dist2max | dist2target | goalposts | scaled | dist2ref (``ref``: a uCode); ``range`` [[0, 100]] (minmax); ``mean`` [0], ``sd`` [1]
  (zscore); ``cap`` [false] (dist2target); ``goalposts`` ({iCode: [low, high]}, else iMeta
  ``goalpost_lower``/``goalpost_upper``), ``scale`` [1], ``trunc`` [true] (goalposts);
  ``global`` [false] (panels: normalise all Times together); ``indiv`` ({iCode: {params} or
  none}, per-indicator overrides); ``use_imeta`` [false] (per-indicator parameters from iMeta
  columns such as ``minmax_lower``/``minmax_upper``).
* ``weights``: ``method`` [meta] ∈ meta | equal | pca | set; ``set`` (a ``weight_sets`` name);
  ``levels`` [[1]] (pca: levels whose members get first-PC loadings, sign fixed so they sum
  positive).
* ``aggregate``: ``method`` [amean] ∈ amean | gmean | hmean | genmean | copeland, or a list
  with one per level (level 2 first); ``dat_thresh`` [none] (share of children a unit needs,
  number or per-level list); ``p`` [2] (genmean). ``method`` may also be a mapping
  ``{default: amean, "3": gmean, Physical: hmean}`` (per level / per aggregate).

The default spec (``spec=None``) is denominate, screen (2/3), impute (mean), treat, normalise
(minmax 0–100), aggregate (amean): COINr's steps and defaults, screening before imputing (as
``build_example_purse`` does) so that units with too little data are dropped, not filled in.
COINr's ``build_example_coin`` is the spec in the issue/docs example (impute by group first,
then screen at 0.9).

Results
-------
:func:`build` returns an :class:`IndexResult`: ``stages`` (``denominated``, ``imputed``,
``screened``, ``treated``, ``normalised``, ``aggregated`` — each with ``uCode`` first, then
``Time`` in a panel, then every iCode present), ``results`` (``uCode, uName, [Time]``, one
score per aggregate and ``<iCode>_rank``: descending, ties min, missing stays missing),
``treatment``, ``spec`` (re-runnable), ``imeta``, ``weights``, ``screened_out``.

Modules
-------
One small module per step (:mod:`.denominate`, :mod:`.impute`, :mod:`.screen`, :mod:`.treat`,
:mod:`.normalise`, :mod:`.weights`, :mod:`.aggregate`), each with its methods in a registry
keyed by name and a "Conventions followed" section naming the COINr function it reproduces;
:mod:`.meta` (iMeta/iData validation), :mod:`.spec`, :mod:`.build`, :mod:`.io` (CSV files,
all or nothing), :mod:`.analysis` (statistics, correlations, Cronbach's alpha, unit profiles),
:mod:`.sensitivity` (uncertainty and sensitivity analysis), :mod:`.panel` (CAGR trends).
Figures are in :mod:`socialkit.plots.index`; the CLI is ``socialkit index build`` and
``socialkit index uncertainty``. See ``docs/index.md``.
"""

from ..frameworks.index_spec import DEFAULT_STEPS, Spec
from .build import STAGES, IndexResult, build
from .meta import Framework, framework, read_imeta, validate_meta

__all__ = [
    "DEFAULT_STEPS",
    "STAGES",
    "Framework",
    "IndexResult",
    "Spec",
    "build",
    "framework",
    "read_imeta",
    "validate_meta",
]

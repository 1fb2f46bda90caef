"""``assess``: the whole assessment in one call, returning a :class:`MaturityResult`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..frameworks.maturity import MaturityFramework, load_framework
from ..index import IndexResult
from .benchmarks import benchmark
from .plans import action_plan, find_gaps
from .progress import compare_rounds
from .scoring import check_responses, score, score_levels

__all__ = ["TABLES", "MaturityResult", "assess"]

#: The result tables, in the order they are written.
TABLES: tuple[str, ...] = ("scores", "levels", "benchmarks", "progress", "gaps", "action_plan")


@dataclass
class MaturityResult:
    """Everything an assessment produced, language-free (ids, codes and numbers).

    Names and sentences in a language come from the display module
    :mod:`socialkit.maturity.report` (``view``, ``text_tables``, ``labels``), so one result
    serves every language.

    Attributes
    ----------
    scores : pandas.DataFrame
        ``municipality_id, round, code, score, rank, answered, expected, status`` — one row
        per municipality, round and dimension plus ``overall``.
    levels : pandas.DataFrame
        ``municipality_id, round, code, score, level, level_id``.
    benchmarks : pandas.DataFrame
        Rank, percentile, peer mean, best and distance to the best per peer group.
    progress : pandas.DataFrame
        Change between consecutive rounds (``direction`` as a code).
    gaps : pandas.DataFrame
        Gap to the target level per dimension (latest round of each municipality).
    action_plan : pandas.DataFrame
        Prioritised, scheduled actions (by ``action_id``).
    framework : MaturityFramework
        The framework used.
    index : IndexResult
        The :mod:`socialkit.index` run (stages, spec).
    capacity : int
        Most actions a municipality runs in one quarter.
    municipalities : pandas.DataFrame or None
        The municipalities table given to :func:`assess` (names for the display layer).
    currency : str or None
        ISO 4217 code of the money the cost bands are written in (the catalog's metadata
        ``currency``); None: the framework's.
    """

    scores: pd.DataFrame
    levels: pd.DataFrame
    benchmarks: pd.DataFrame
    progress: pd.DataFrame
    gaps: pd.DataFrame
    action_plan: pd.DataFrame
    framework: MaturityFramework
    index: IndexResult
    capacity: int = 3
    municipalities: pd.DataFrame | None = field(default=None, repr=False)
    currency: str | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The result tables by name (see :data:`TABLES`)."""
        return {name: getattr(self, name) for name in TABLES}


def pick_round(result: MaturityResult, municipality_id: str, round: str | None = None
               ) -> str | None:
    """``round`` if the municipality answered in it, else its latest round (None if none)."""
    rounds = sorted(result.scores.loc[result.scores["municipality_id"] == municipality_id,
                                      "round"].unique())
    if not rounds:
        return None
    return round if round in rounds else rounds[-1]


def assess(responses: pd.DataFrame, framework: str | Path | MaturityFramework | None = None,
           municipalities: pd.DataFrame | None = None, targets: object = None,
           capacity: int = 3, round: str | None = None,
           source: str = "maturity_responses", currency: str | None = None
           ) -> MaturityResult:
    """Assess digital maturity from questionnaire answers.

    Parameters
    ----------
    responses : pandas.DataFrame
        The ``maturity_responses`` table: ``municipality_id, round, item_id, score`` (NA =
        not answered). Not modified.
    framework : path or MaturityFramework, optional
        Default: the shipped framework.
    municipalities : pandas.DataFrame, optional
        ``municipality_id, name, region, population`` — enables the oblast and size-class
        peer groups.
    targets : optional
        Target levels (see :func:`socialkit.maturity.plans.normalise_targets`); default the
        next level of each dimension.
    capacity : int
        Most actions a municipality runs in one quarter.
    round : str, optional
        Round the gaps and the action plan start from (default: each municipality's latest;
        a municipality that did not answer in ``round`` keeps its latest).
    source : str
        Name of the responses in error messages (the file path when read from disk).
    currency : str, optional
        ISO 4217 code the cost bands are written in (default the framework's ``currency``).

    Returns
    -------
    MaturityResult
        Language-free: the same result serves a report or a dashboard in any language
        (:mod:`socialkit.maturity.report` translates it).

    Notes
    -----
    Items -> dimensions -> overall on 0-100 through :func:`socialkit.index.build` with the
    framework's spec (see :mod:`socialkit.maturity.scoring`); benchmarks, progress, gaps and
    the action plan are documented in their modules.
    """
    fw = load_framework(framework)
    clean = check_responses(responses, fw, source=source)
    names = None
    if municipalities is not None and "name" in municipalities:
        names = municipalities.drop_duplicates("municipality_id").set_index(
            "municipality_id")["name"]
    scores, index = score(clean, fw, names)
    levels = score_levels(scores, fw)
    gaps = find_gaps(levels, fw, targets, round=round)
    return MaturityResult(
        scores=scores,
        levels=levels,
        benchmarks=benchmark(scores, municipalities, fw),
        progress=compare_rounds(levels, fw),
        gaps=gaps,
        action_plan=action_plan(gaps, fw, capacity),
        framework=fw,
        index=index,
        capacity=capacity,
        municipalities=municipalities,
        currency=currency,
    )

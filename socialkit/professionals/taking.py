"""Taking an assessment test in the served app: the tests on offer, an attempt's score, and the
item analysis of the attempts kept in the store.

A test is a key file (:func:`socialkit.professionals.assessment.read_key`) named
``test_*.yaml`` or ``test_*.xlsx`` in the tests folder (``$SOCIALKIT_TESTS``, else the folder
the catalog's metadata ``tests`` names). An attempt is scored with the same rules as an
imported Moodle attempt (:func:`~socialkit.professionals.assessment.score_choices`,
:func:`~socialkit.professionals.assessment.test_scores`); the analysis of the first attempt of
each candidate is :func:`~socialkit.professionals.assessment.item_analysis`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .assessment import AssessmentKey, ItemAnalysis, item_analysis, read_key, score_choices

__all__ = ["AttemptScore", "analyse_attempts", "load_tests", "score_answers"]


@dataclass(frozen=True)
class AttemptScore:
    """An attempt's result: points per question, total, maximum, share and pass."""

    points: pd.Series
    total: float
    max_points: float
    share: float
    passed: bool
    unanswered: tuple[str, ...]


def load_tests(folder: str | Path | None) -> dict[str, AssessmentKey]:
    """``{test_id: key}`` of the ``test_*.yaml`` / ``test_*.xlsx`` files of ``folder`` (none
    without a folder). A bad key file is refused with its file, row and column."""
    if folder is None or not Path(folder).is_dir():
        return {}
    keys = {}
    for path in sorted(Path(folder).iterdir()):
        if path.name.startswith("test_") and path.suffix.lower() in (".yaml", ".yml", ".xlsx"):
            key = read_key(path)
            keys[key.test_id] = key
    return keys


def score_answers(key: AssessmentKey, answers: Mapping[str, str | None]) -> AttemptScore:
    """Score one candidate's answers (``{question: answer name}``; a question left out or
    answered with an unknown name earns 0 and is listed in ``unanswered``).

    >>> from socialkit.professionals.assessment import AssessmentKey
    >>> key = AssessmentKey.model_validate({"test_id": "t", "title": "T", "pass_mark": 0.5,
    ...     "questions": [{"name": f"q{i}", "label": "?", "choices": {
    ...         "a": {"label": "yes", "points": 1}, "b": {"label": "no", "points": 0}}}
    ...         for i in (1, 2)]})
    >>> s = score_answers(key, {"q1": "a", "q2": "b"})
    >>> s.total, s.max_points, s.passed, s.unanswered
    (1.0, 2.0, True, ())
    """
    names = [q.name for q in key.questions]
    known = {q.name: set(q.choices) for q in key.questions}
    clean = {n: (answers.get(n) if answers.get(n) in known[n] else None) for n in names}
    points = score_choices(pd.DataFrame([clean], columns=names), key).iloc[0]
    total = float(points.sum())
    maximum = float(key.max_points[names].sum())
    share = total / maximum
    return AttemptScore(points=points, total=total, max_points=maximum, share=share,
                        passed=share >= key.pass_mark - 1e-12,
                        unanswered=tuple(n for n in names if clean[n] is None))


def analyse_attempts(key: AssessmentKey, attempts: pd.DataFrame) -> ItemAnalysis:
    """Item analysis of stored attempts (one row each, ``answers`` as stored)."""
    names = [q.name for q in key.questions]
    choices = pd.DataFrame([{n: (a or {}).get(n) for n in names} for a in attempts["answers"]],
                           columns=names)
    return item_analysis(score_choices(choices, key), key.max_points[names])

"""Assessment tests taken in the served app: save an attempt, read one's own, read all of a
test for its item analysis (the course authors: the province or the administrator).

The store keeps what was answered and the score the caller worked out from the test's key
(:func:`socialkit.professionals.taking.score_answers`); it does not read keys itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import sqlalchemy as sa

from .access import Actor
from .core import Store
from .models import ProfTestAttempt

__all__ = ["ATTEMPT_COLUMNS", "attempts_of_test", "own_attempts", "save_attempt"]

#: Columns of the attempt tables returned here.
ATTEMPT_COLUMNS = ["attempt_id", "test_id", "user", "score", "max_points", "passed",
                   "submitted_at", "answers"]


def save_attempt(store: Store, user: str, test_id: str, answers: Mapping[str, str],
                 score: float, max_points: float, passed: bool) -> int:
    """Keep one finished attempt of ``user``; returns its id."""
    row = ProfTestAttempt(test_id=test_id, user_name=user, answers=dict(answers),
                          score=float(score), max_points=float(max_points), passed=bool(passed),
                          submitted_at=dt.datetime.now(dt.UTC))
    with store._session(write=True) as s:
        s.add(row)
        s.flush()
        return int(row.id)


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame([(r.id, r.test_id, r.user_name, r.score, r.max_points, r.passed,
                          r.submitted_at, r.answers) for r in rows], columns=ATTEMPT_COLUMNS)


def own_attempts(store: Store, user: str, test_id: str | None = None) -> pd.DataFrame:
    """The attempts of ``user`` (of one test), oldest first."""
    q = sa.select(ProfTestAttempt).where(ProfTestAttempt.user_name == user)
    if test_id is not None:
        q = q.where(ProfTestAttempt.test_id == test_id)
    with store._session() as s:
        return _frame(s.scalars(q.order_by(ProfTestAttempt.id)).all())


def attempts_of_test(store: Store, actor: Actor, test_id: str) -> pd.DataFrame:
    """Every candidate's **first** attempt of ``test_id``, for the item analysis; only the
    province (every institution) and the administrator may read them."""
    store._require_admin(actor, test_id)
    with store._session() as s:
        rows = s.scalars(sa.select(ProfTestAttempt).where(ProfTestAttempt.test_id == test_id)
                         .order_by(ProfTestAttempt.id)).all()
    frame = _frame(rows)
    return frame.drop_duplicates("user", keep="first").reset_index(drop=True)

"""Assessment tests: a scoring key, responses from a learning platform, scores and item analysis.

**Key.** A test is a set of single-choice questions whose answers carry points. The key is read
from a YAML file or from an XLSForm-like workbook (:func:`read_key`): sheet ``survey`` (columns
``type`` = ``select_one <list>``, ``name``, ``label``), sheet ``choices`` (``list_name``,
``name``, ``label``, ``points``) and an optional sheet ``settings`` (``form_id``,
``form_title``, ``pass_mark`` as a share of the maximum, e.g. ``0.6``).

**Responses.** :func:`read_moodle` reads the CSV download of a Moodle quiz report:

* the *Responses* report: ``Surname, First name, Email address, State, Started on,
  Completed, Time taken, Grade/<max>, Response 1 … Response k`` — each response is the
  text of the chosen answer (matched to the key's answer labels), ``-`` when not answered;
* the *Grades* report: the same identity columns and ``Q. 1 /<max>`` … marks per question
  (no answer texts, so no distractor analysis).

Only finished attempts count (``State`` = ``Finished``), the first per e-mail address.

**Item analysis** (:func:`item_analysis`, classical test theory; definitions in
docs/professionals.md): with :math:`x_{ij}` the points of candidate i on item j, :math:`m_j`
the item's maximum and :math:`T_i = \\sum_j x_{ij}`:

* difficulty :math:`p_j = \\bar x_j / m_j` (the share correct for a 0/1 item);
* discrimination: the point-biserial correlation of the item with the rest of the test,
  :math:`r_{j,T-j} = \\mathrm{corr}(x_j, T - x_j)` (corrected item–total; CTT's ``pBis``), and
  the uncorrected :math:`\\mathrm{corr}(x_j, T)`;
* the discrimination index :math:`D_j = p_j^{U} - p_j^{L}` between the upper and lower 27 %
  of candidates by total score (Kelley);
* Cronbach's alpha :math:`\\alpha = \\frac{k}{k-1}(1 - \\sum_j s_j^2 / s_T^2)` (KR-20 when every
  item is 0/1: then :math:`s_j^2 \\propto p_j q_j`), and alpha if item j is deleted;
* distractors (:func:`distractor_analysis`): the share of each answer in the whole group and
  in the upper and lower groups; a wrong answer chosen more often by the upper group than by
  the lower one attracts strong candidates and is flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import DataValidationError, FrameworkError, Problem
from ..frameworks import read_yaml, validate_model

__all__ = ["AssessmentKey", "ItemAnalysis", "MoodleAttempts", "Question", "distractor_analysis",
           "item_analysis", "read_key", "read_moodle", "score_choices", "test_scores"]

#: Share of candidates in the upper and in the lower group (Kelley's 27 %).
GROUP_SHARE = 0.27


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Model):
    label: str
    points: float = Field(ge=0)


class Question(_Model):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
    label: str
    choices: dict[str, Choice] = Field(min_length=2)

    @property
    def max_points(self) -> float:
        return max(c.points for c in self.choices.values())

    @model_validator(mode="after")
    def _labels(self) -> Question:
        labels = [c.label.strip() for c in self.choices.values()]
        if len(set(labels)) != len(labels):
            raise ValueError(f"question '{self.name}': two answers have the same label")
        if self.max_points <= 0:
            raise ValueError(f"question '{self.name}': no answer earns points")
        return self


class AssessmentKey(_Model):
    """A test's scoring key."""

    test_id: str = Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
    title: str
    pass_mark: float = Field(default=0.6, gt=0, le=1)
    questions: list[Question] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique(self) -> AssessmentKey:
        names = [q.name for q in self.questions]
        if len(set(names)) != len(names):
            raise ValueError("question names must be unique")
        return self

    @property
    def max_points(self) -> pd.Series:
        return pd.Series({q.name: q.max_points for q in self.questions}, dtype=float)


def read_key(path: str | Path) -> AssessmentKey:
    """Read a test's key from YAML or from an XLSForm-like ``.xlsx`` (see the module doc)."""
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        data, source = read_yaml(path, "")
        return validate_model(AssessmentKey, data, source)
    if path.suffix.lower() == ".xlsx":
        return _read_key_xlsx(path)
    raise FrameworkError(str(path), "expected a .yaml or .xlsx key")


def _sheet(wb, name: str, source: str, required: tuple[str, ...]) -> list[dict]:
    if name not in wb.sheetnames:
        raise DataValidationError([Problem(source, f"sheet '{name}' not found",
                                           expected="an XLSForm with survey and choices sheets")])
    rows = list(wb[name].iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise DataValidationError([Problem(f"{source} [{name}]", "column is missing", row=1,
                                           column=c, expected="a column of this name")
                                   for c in missing])
    return [dict(zip(header, r, strict=False)) | {"_row": i + 2}
            for i, r in enumerate(rows[1:]) if any(v is not None for v in r)]


def _read_key_xlsx(path: Path) -> AssessmentKey:
    from openpyxl import load_workbook

    from ..data.excel import check_workbook, formula_cells

    source = str(path)
    check_workbook(path)
    formula_cells(path)
    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        survey = _sheet(wb, "survey", source, ("type", "name", "label"))
        choices = _sheet(wb, "choices", source, ("list_name", "name", "label", "points"))
        settings = (_sheet(wb, "settings", source, ()) if "settings" in wb.sheetnames else [])
    finally:
        wb.close()
    problems: list[Problem] = []
    lists: dict[str, dict[str, dict]] = {}
    for c in choices:
        try:
            pts = float(c["points"])
        except (TypeError, ValueError):
            problems.append(Problem(f"{source} [choices]", "points is not a number",
                                    row=c["_row"], column="points", value=c["points"],
                                    expected="a number ≥ 0 (0 for a wrong answer)"))
            continue
        lists.setdefault(str(c["list_name"]), {})[str(c["name"])] = {
            "label": str(c["label"]), "points": pts}
    questions = []
    for q in survey:
        kind = str(q["type"] or "").split()
        if not kind or kind[0] != "select_one":
            continue  # notes, groups, metadata
        if len(kind) != 2 or kind[1] not in lists:
            problems.append(Problem(f"{source} [survey]", "choice list not found",
                                    row=q["_row"], column="type", value=q["type"],
                                    expected="select_one <a list_name of the choices sheet>"))
            continue
        questions.append({"name": str(q["name"]), "label": str(q["label"]),
                          "choices": lists[kind[1]]})
    if problems:
        raise DataValidationError(problems)
    s = settings[0] if settings else {}
    data = {"test_id": str(s.get("form_id") or path.stem), "title": str(s.get("form_title")
                                                                       or path.stem),
            "questions": questions}
    if s.get("pass_mark") is not None:
        data["pass_mark"] = s["pass_mark"]
    return validate_model(AssessmentKey, data, source)


@dataclass(frozen=True)
class MoodleAttempts:
    """Finished attempts of a Moodle quiz export, aligned with a key.

    ``candidates``: one row per attempt kept (``candidate`` = 1, 2, …; ``email``,
    ``surname``, ``given_name``, ``line`` of the CSV); ``scores``: points per item (rows =
    candidates, columns = the key's questions); ``choices``: the chosen answer's name per item
    (``None`` from a Grades report); ``skipped``: attempts left out (not finished, repeated).
    """

    candidates: pd.DataFrame
    scores: pd.DataFrame
    choices: pd.DataFrame | None
    skipped: int


_RESPONSE = re.compile(r"^Response (\d+)$")
_MARK = re.compile(r"^Q\. ?(\d+) ?/\s*([\d.,]+)$")


def read_moodle(path: str | Path, key: AssessmentKey) -> MoodleAttempts:
    """Read a Moodle quiz *Responses* or *Grades* CSV download against ``key``.

    Raises
    ------
    DataValidationError
        An answer that is none of the question's answers, a mark that is not a number or
        above the question's maximum, or response columns that do not match the key — every
        one with its line and column; nothing is read on any problem.
    """
    path = Path(path)
    source = str(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataValidationError([Problem(source, f"cannot read the CSV file ({exc})",
                                           expected="a Moodle quiz report downloaded as CSV")]
                                  ) from None
    responses = {int(m.group(1)): c for c in raw.columns if (m := _RESPONSE.match(c))}
    marks = {int(m.group(1)): c for c in raw.columns if (m := _MARK.match(c.strip()))}
    k = len(key.questions)
    layout = "responses" if responses else "grades" if marks else None
    cols = responses or marks
    if layout is None or sorted(cols) != list(range(1, k + 1)):
        raise DataValidationError([Problem(
            source, "the question columns do not match the key", row=1,
            value=", ".join(map(str, list(raw.columns)[:12])),
            expected=f"'Response 1' … 'Response {k}' (Responses report) or 'Q. 1 /…' … "
                     f"'Q. {k} /…' (Grades report) for the key's {k} questions")])
    state = raw["State"] if "State" in raw.columns else pd.Series("Finished", index=raw.index)
    keep = state.str.strip().str.lower().isin(["finished", "завршено", "završeno"])
    email = raw.get("Email address", pd.Series("", index=raw.index)).str.strip().str.lower()
    first = keep & ~(email.ne("") & email.where(keep).duplicated())
    rows = raw[first]
    problems: list[Problem] = []
    scores = np.zeros((len(rows), k))
    chosen = np.full((len(rows), k), None, dtype=object) if layout == "responses" else None
    for j, q in enumerate(key.questions):
        col = cols[j + 1]
        values = rows[col].str.strip()
        if layout == "responses":
            by_label = {c.label.strip(): (name, c.points) for name, c in q.choices.items()}
            for r, (idx, v) in enumerate(values.items()):
                if v in ("", "-"):
                    continue
                hit = by_label.get(v)
                if hit is None:
                    problems.append(Problem(source, f"answer is none of question "
                                            f"'{q.name}'s answers", row=int(idx) + 2,
                                            column=col, value=v[:60],
                                            expected="the text of one of the key's answers"))
                    continue
                chosen[r, j], scores[r, j] = hit
        else:
            for r, (idx, v) in enumerate(values.items()):
                if v in ("", "-"):
                    continue
                try:
                    x = float(v.replace(",", "."))
                except ValueError:
                    x = -1.0
                if not 0 <= x <= q.max_points + 1e-9:
                    problems.append(Problem(source, "mark is not a number within the "
                                            "question's range", row=int(idx) + 2, column=col,
                                            value=v, expected=f"a number from 0 to "
                                            f"{q.max_points:g}"))
                    continue
                scores[r, j] = x
    if problems:
        raise DataValidationError(problems)
    names = [q.name for q in key.questions]
    idx = pd.RangeIndex(1, len(rows) + 1, name="candidate")
    candidates = pd.DataFrame({
        "candidate": idx, "line": (rows.index.to_numpy() + 2),
        "email": email[first].to_numpy(),
        "surname": rows.get("Surname", pd.Series("", index=rows.index)).to_numpy(),
        "given_name": rows.get("First name", pd.Series("", index=rows.index)).to_numpy()})
    return MoodleAttempts(
        candidates=candidates,
        scores=pd.DataFrame(scores, index=idx, columns=names),
        choices=None if chosen is None else pd.DataFrame(chosen, index=idx, columns=names),
        skipped=int(len(raw) - len(rows)))


def score_choices(choices: pd.DataFrame, key: AssessmentKey) -> pd.DataFrame:
    """Points per item of chosen answers (``choices``: candidates × questions, answer names;
    missing = not answered = 0)."""
    out = pd.DataFrame(0.0, index=choices.index, columns=choices.columns)
    for q in key.questions:
        pts = {n: c.points for n, c in q.choices.items()}
        out[q.name] = choices[q.name].map(pts).fillna(0.0).astype(float)
    return out


def test_scores(scores: pd.DataFrame, key: AssessmentKey) -> pd.DataFrame:
    """Per candidate: total, share of the maximum, passed (share ≥ the key's pass mark)."""
    total = scores.sum(axis=1)
    share = total / float(key.max_points[scores.columns].sum())
    return pd.DataFrame({"total": total, "share": share,
                         "passed": share >= key.pass_mark - 1e-12}, index=scores.index)


@dataclass(frozen=True)
class ItemAnalysis:
    """``items``: one row per item; ``test``: one row for the whole test."""

    items: pd.DataFrame
    test: pd.DataFrame


def _alpha(x: np.ndarray) -> float:
    """Cronbach's alpha of the columns of ``x`` (the index engine's definition, reused)."""
    from ..index.analysis import _alpha as alpha_of_columns

    return alpha_of_columns(x)


def _groups(total: np.ndarray, share: float = GROUP_SHARE) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the upper and lower groups (``share`` of candidates each, at least 1),
    ranked by total score; ties at the boundary broken by order in the file."""
    n = len(total)
    g = max(1, int(round(share * n)))
    order = np.argsort(-total, kind="stable")
    return order[:g], order[n - g:]


def item_analysis(scores: pd.DataFrame, max_points: pd.Series | None = None) -> ItemAnalysis:
    """Classical item analysis of a candidates × items table of points.

    Returns
    -------
    ItemAnalysis
        ``items``: ``item, n, mean, max_points, difficulty, r_item_total, r_item_rest,
        alpha_if_deleted, p_upper, p_lower, discrimination_index``; ``test``: ``n_candidates,
        n_items, mean, sd, alpha, kr20, sem, group_size`` (``kr20`` only when every item is
        0/1, else NaN; ``sd`` with n − 1).

    >>> x = pd.DataFrame({"a": [1, 1, 0, 0], "b": [1, 0, 1, 0], "c": [1, 1, 1, 0]})
    >>> round(item_analysis(x).test["alpha"].iloc[0], 4)
    0.6316
    """
    x = scores.to_numpy(float)
    n, k = x.shape
    mx = (pd.Series(x.max(axis=0), index=scores.columns) if max_points is None
          else max_points.reindex(scores.columns).astype(float))
    total = x.sum(axis=1)
    rest = total[:, None] - x
    upper, lower = _groups(total)

    def corr(a: np.ndarray, b: np.ndarray) -> float:
        if a.std() == 0 or b.std() == 0:
            return float("nan")
        return float(np.corrcoef(a, b)[0, 1])

    items = pd.DataFrame({
        "item": scores.columns,
        "n": n,
        "mean": x.mean(axis=0),
        "max_points": mx.to_numpy(),
        "difficulty": x.mean(axis=0) / mx.to_numpy(),
        "r_item_total": [corr(x[:, j], total) for j in range(k)],
        "r_item_rest": [corr(x[:, j], rest[:, j]) for j in range(k)],
        "alpha_if_deleted": [_alpha(np.delete(x, j, axis=1)) if k > 2 else float("nan")
                             for j in range(k)],
        "p_upper": x[upper].mean(axis=0) / mx.to_numpy(),
        "p_lower": x[lower].mean(axis=0) / mx.to_numpy(),
    })
    items["discrimination_index"] = items["p_upper"] - items["p_lower"]
    alpha = _alpha(x)
    dichotomous = bool(np.isin(x, (0.0, 1.0)).all())
    sd = float(total.std(ddof=1)) if n > 1 else float("nan")
    test = pd.DataFrame([{
        "n_candidates": n, "n_items": k, "mean": float(total.mean()), "sd": sd,
        "alpha": alpha, "kr20": alpha if dichotomous else float("nan"),
        "sem": sd * np.sqrt(max(0.0, 1 - alpha)) if np.isfinite(alpha) else float("nan"),
        "group_size": len(upper)}])
    return ItemAnalysis(items=items, test=test)


def distractor_analysis(choices: pd.DataFrame, key: AssessmentKey,
                        scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """How often each answer was chosen, overall and in the upper and lower 27 % groups.

    Returns
    -------
    DataFrame
        ``item, choice, label, points, keyed, share_all, share_upper, share_lower,
        attracts_strong`` — ``keyed`` marks the answer(s) with the item's maximum points;
        ``attracts_strong`` a wrong answer chosen more often in the upper group than in the
        lower one.
    """
    scores = score_choices(choices, key) if scores is None else scores
    total = scores.to_numpy(float).sum(axis=1)
    upper, lower = _groups(total)
    rows = []
    for q in key.questions:
        col = choices[q.name].to_numpy(object)
        for name, c in q.choices.items():
            hit = col == name
            keyed = c.points >= q.max_points
            su, sl = float(hit[upper].mean()), float(hit[lower].mean())
            rows.append((q.name, name, c.label, c.points, keyed, float(hit.mean()), su, sl,
                         (not keyed) and su > sl))
    return pd.DataFrame(rows, columns=["item", "choice", "label", "points", "keyed",
                                       "share_all", "share_upper", "share_lower",
                                       "attracts_strong"])

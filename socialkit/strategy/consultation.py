"""Focus groups and interviews as data: who took part, what they said, and how it meets the data.

Inputs are the cycle's ``sessions`` (date, place, participant group, facilitator, consent,
participants by sex and by age band), ``excerpts`` (a quote coded with a code-book theme and the
speaker's participant group) and the confidential ``attendance`` list, used only to refuse a
quote that names a participant (:func:`socialkit.strategy.inputs.find_identifiers`, with phone
numbers and e-mail addresses) and never published.

Published tables go through :mod:`socialkit.disclosure`:

* :func:`participation` — participants by kind of session × sex and × age band, with totals:
  one system of lines (sex members add up to the kind's total, age bands too, and each category
  adds up over the kinds), primary suppression of 1–4 and secondary suppression so that no
  suppressed cell can be derived (:func:`socialkit.disclosure.suppress_lines`).
* :func:`theme_frequencies` — excerpts per theme × participant group with totals
  (:func:`socialkit.disclosure.suppress_counts`).
* :func:`quotes` — a quote is attributed to its participant group when that group had at least
  the threshold of participants in the consultation; else to the group's kind (residents or
  professionals) when that pool is large enough; else it is withheld.

:func:`compare_with_data` says, for every theme and every problem of the evidence pack, whether
the voices and the data agree: ``agree`` (a theme raised and an evidence item of the pack it maps
to in the code book), ``voices_only`` (raised, no such item) and ``data_only`` (a problem in the
pack that no raised theme maps to).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..disclosure import Lines, resolve_threshold, suppress_counts, suppress_lines
from .evidence import EvidencePack, match_items
from .inputs import Cycle

__all__ = ["AGE_BANDS", "SEXES", "compare_with_data", "participation", "quotes",
           "theme_frequencies"]

SEXES = ("female", "male")
AGE_BANDS = ("age_18_34", "age_35_59", "age_60_plus")
KINDS = ("focus_group", "interview")


def participation(cycle: Cycle, threshold: int | None = None) -> pd.DataFrame:
    """Participants by kind of session (and in total) × sex, age band and total, suppressed.

    Returns
    -------
    DataFrame
        Rows ``kind`` (``focus_group``, ``interview``, ``total``), columns ``sessions`` and
        one per category of :data:`SEXES`, :data:`AGE_BANDS` and ``total`` (``Int64``; NA where
        suppressed), plus ``suppressed`` (how many cells of the row are).
    """
    s = cycle["sessions"]
    cats = [*SEXES, *AGE_BANDS]
    kinds = [*KINDS, "total"]
    grid = np.zeros((len(kinds), len(cats) + 1))
    for i, k in enumerate(KINDS):
        sub = s[s["kind"] == k]
        for j, c in enumerate(cats):
            grid[i, j] = sub[c].astype(int).sum()
        grid[i, -1] = sub[list(SEXES)].astype(int).to_numpy().sum()
    grid[-1] = grid[:-1].sum(axis=0)
    ncol = len(cats) + 1
    cell = lambda i, j: i * ncol + j  # noqa: E731
    line, member, tot = [], [], []
    n = 0
    for i in range(len(kinds)):  # within a row: sexes add up to the total, so do age bands
        for group in (range(len(SEXES)), range(len(SEXES), len(cats))):
            for j in group:
                line.append(n), member.append(cell(i, j)), tot.append(False)
            line.append(n), member.append(cell(i, ncol - 1)), tot.append(True)
            n += 1
    for j in range(ncol):  # within a column: the kinds add up to the total row
        for i in range(len(KINDS)):
            line.append(n), member.append(cell(i, j)), tot.append(False)
        line.append(n), member.append(cell(len(KINDS), j)), tot.append(True)
        n += 1
    threshold = resolve_threshold() if threshold is None else int(threshold)
    hidden, _ = suppress_lines(grid.ravel(), Lines(line, member, tot), threshold)
    hidden = hidden.reshape(grid.shape)
    out = pd.DataFrame(grid.astype(int), columns=[*cats, "total"]).astype("Int64")
    out = out.mask(hidden)
    out.insert(0, "sessions", [int((s["kind"] == k).sum()) for k in KINDS] + [len(s)])
    out.insert(0, "kind", kinds)
    out["suppressed"] = hidden.sum(axis=1)
    return out


def theme_frequencies(cycle: Cycle, threshold: int | None = None) -> pd.DataFrame:
    """Excerpts per theme × participant group, with totals, small counts suppressed.

    Returns
    -------
    DataFrame
        Long: ``theme, group, n`` (``Int64``; NA where suppressed), ``suppressed``,
        ``suppression``; ``theme == "total"`` and ``group == "total"`` are the margins. Themes
        and groups of the code book with no excerpt are left out; zeros inside are kept.
    """
    e = cycle["excerpts"]
    themes = [x for x in cycle.codebook.theme_ids if x in set(e["theme"])]
    groups = [x for x in cycle.codebook.group_ids if x in set(e["group"])]
    counts = e.groupby(["theme", "group"]).size()
    rows = []
    for th in [*themes, "total"]:
        for g in [*groups, "total"]:
            if th == "total" and g == "total":
                n = len(e)
            elif th == "total":
                n = int((e["group"] == g).sum())
            elif g == "total":
                n = int((e["theme"] == th).sum())
            else:
                n = int(counts.get((th, g), 0))
            rows.append({"theme": th, "group": g, "n": n})
    frame = pd.DataFrame(rows, columns=["theme", "group", "n"])
    return suppress_counts(frame, "n", by=["theme", "group"],
                           total_rows={"theme": "total", "group": "total"}, threshold=threshold,
                           within=[])


def quotes(cycle: Cycle, threshold: int | None = None) -> pd.DataFrame:
    """The quotes per theme, each attributed so that no small group is named.

    Returns
    -------
    DataFrame
        ``theme, excerpt_id, quote, attributed_to`` (a group id, ``kind:residents`` /
        ``kind:professionals``) for quotes that may be shown, in code-book then excerpt order;
        withheld quotes are not in it (``attrs["withheld"]`` says how many).
    """
    threshold = resolve_threshold() if threshold is None else int(threshold)
    s = cycle["sessions"]
    size = (s["female"].astype(int) + s["male"].astype(int)).groupby(s["group"]).sum()
    kind_of = {g.id: g.kind for g in cycle.codebook.groups}
    kind_size = size.groupby(size.index.map(kind_of)).sum()
    order = {th: i for i, th in enumerate(cycle.codebook.theme_ids)}
    out, withheld = [], 0
    e = cycle["excerpts"]
    e = e.assign(_o=e["theme"].map(order)).sort_values(["_o", "excerpt_id"], kind="stable")
    for r in e.itertuples(index=False):
        if size.get(r.group, 0) >= threshold:
            who = r.group
        elif kind_size.get(kind_of.get(r.group), 0) >= threshold:
            who = f"kind:{kind_of[r.group]}"
        else:
            withheld += 1
            continue
        out.append({"theme": r.theme, "excerpt_id": r.excerpt_id, "quote": r.quote,
                    "attributed_to": who})
    frame = pd.DataFrame(out, columns=["theme", "excerpt_id", "quote", "attributed_to"])
    frame.attrs["withheld"] = withheld
    return frame


def compare_with_data(cycle: Cycle, pack: EvidencePack) -> pd.DataFrame:
    """Where the voices agree or differ with the data.

    Returns
    -------
    DataFrame
        ``theme`` (None for a problem no raised theme maps to), ``item_id`` (None for a theme
        with no matching item), ``status`` (``agree``, ``voices_only``, ``data_only``): one row
        per (raised theme, matching problem item), per raised theme without one, and per
        problem item of the pack that no raised theme matches.
    """
    raised = [x for x in cycle.codebook.theme_ids if x in set(cycle["excerpts"]["theme"])]
    problems = pack.problems()["item_id"].tolist()
    rows, matched = [], set()
    for th in raised:
        items = match_items(cycle.codebook.theme(th).evidence, problems)
        matched.update(items)
        if items:
            rows.extend({"theme": th, "item_id": i, "status": "agree"} for i in items)
        else:
            rows.append({"theme": th, "item_id": None, "status": "voices_only"})
    rows.extend({"theme": None, "item_id": i, "status": "data_only"}
                for i in problems if i not in matched)
    return pd.DataFrame(rows, columns=["theme", "item_id", "status"])

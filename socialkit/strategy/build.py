"""One call from a cycle's inputs to everything its documents show (:func:`build_strategy`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .consultation import compare_with_data, participation, quotes, theme_frequencies
from .evidence import EvidencePack, build_evidence, evidence_context
from .inputs import Cycle, check_cycle
from .priorities import PriorityResult, score_priorities

__all__ = ["Strategy", "build_strategy", "cycle_evidence"]


@dataclass(frozen=True)
class Strategy:
    """A cycle with its evidence, consultation tables and priorities computed."""

    cycle: Cycle
    pack: EvidencePack
    participation: pd.DataFrame
    frequencies: pd.DataFrame
    quotes: pd.DataFrame
    comparison: pd.DataFrame
    priorities: PriorityResult | None
    maturity_plan: pd.DataFrame | None


def _langs(cycle: Cycle, langs) -> tuple[str, ...]:
    return tuple(dict.fromkeys(langs or (cycle.meta.lang, "en")))


def cycle_evidence(cycle: Cycle, langs=None, tables=None, context: dict | None = None
                   ) -> tuple[EvidencePack, pd.DataFrame | None]:
    """The cycle's evidence pack (analyses of its catalog + its hand-written items) and the
    digital-maturity action plan of its municipalities (None without maturity data)."""
    catalog = cycle.catalog_path()
    local = (cycle.meta.lang,) if cycle.meta.lang != "en" else ()
    if tables is None and catalog is not None:
        from ..data import load_all

        tables = load_all(catalog)
    ctx = None
    if tables is not None:
        ctx = context if context is not None else evidence_context(tables, catalog, local)
    unit = cycle.meta.municipalities[0] if cycle.meta.level == "municipality" and \
        len(cycle.meta.municipalities) == 1 else cycle.meta.id
    pack = build_evidence(tables, cycle.meta.municipalities if tables is not None else (),
                          unit_id=unit, langs=_langs(cycle, langs), catalog=catalog,
                          manual=cycle["evidence_items"], local_langs=local, context=ctx)
    maturity = ctx.get("maturity") if ctx else None
    return pack, (maturity.action_plan if maturity is not None else None)


def build_strategy(cycle: Cycle, langs=None, tables=None, context: dict | None = None
                   ) -> Strategy:
    """Evidence pack, consultation tables, priorities; and the plan checked against the pack
    (every action's evidence items must be in it) and the maturity framework's actions."""
    from ..frameworks.indicators import load_framework
    from ..frameworks.maturity import load_framework as load_maturity

    pack, mplan = cycle_evidence(cycle, langs, tables, context)
    check_cycle(cycle, evidence_ids=pack.ids,
                maturity_actions={a.id for a in load_maturity().actions},
                indicator_ids={i.id for i in load_framework().indicators})
    prio = (score_priorities(cycle["ratings"], cycle.criteria, cycle["candidates"],
                             cycle.source("ratings")) if len(cycle["ratings"]) else None)
    return Strategy(cycle, pack, participation(cycle), theme_frequencies(cycle), quotes(cycle),
                    compare_with_data(cycle, pack), prio, mplan)

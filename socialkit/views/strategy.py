"""Strategy page: the chosen municipality's strategy for the development of social services —
how its implementation stands, the action plan, and the answers to the public consultation.

The cycles are the folders (each with a ``strategy.yaml``) under ``$SOCIALKIT_STRATEGIES``
(:func:`socialkit.config.strategies_dir`) or, without it, under the folder the served
catalog's metadata ``strategies`` names (the demo catalogs name ``catalogs/strategy``). A cycle
belongs to a municipality its ``municipalities`` list; a district-level cycle that lists none
covers every municipality of its country in the catalog. The page shows the texts the PDF
documents show (:mod:`socialkit.strategy.display`), in the cycle's language or English — a
strategy is written in its community's language, so other readers are told which languages
it is in.
"""

from __future__ import annotations

import html
from pathlib import Path

import panel as pn

from .. import config
from .base import Page, alert

__all__ = ["StrategyPage", "cycle_for", "strategies_source"]

_CSS = """
:host { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 4px 0 12px 0; font-size: 13px; }
th, td { border-bottom: 1px solid #d0d7de; padding: 3px 6px; text-align: left;
         vertical-align: top; }
th { border-bottom: 2px solid #444; }
td.num, th.sk-num { text-align: right; white-space: nowrap; }
.sk-id { color: #57606a; font-size: 11px; }
h2 { font-size: 18px; margin: 10px 0 4px 0; } h3 { font-size: 15px; margin: 8px 0 4px 0; }
"""


def strategies_source(data: object) -> Path | None:
    """Where the strategy page reads from: ``$SOCIALKIT_STRATEGIES``, else the served
    catalog's metadata ``strategies`` (``data.strategies``)."""
    return config.strategies_dir() or getattr(data, "strategies", None)


def _stamp(folder: Path) -> tuple:
    return tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns)
                 for f in sorted(folder.rglob("*")) if f.is_file())


def _cycles(root: Path) -> list:
    """Every cycle under ``root``, read and checked once per version of its files."""
    from ..memo import memoised
    from ..strategy.inputs import read_cycle

    folders = [p for p in sorted(root.iterdir()) if (p / "strategy.yaml").is_file()] \
        if root.is_dir() else []
    return [memoised(("views.strategy.cycle", str(f), _stamp(f)), lambda f=f: read_cycle(f))
            for f in folders]


def cycle_for(root: Path | None, municipality_id: str, country: str | None):
    """The cycle of ``municipality_id`` under ``root`` (see the module notes), or None."""
    if root is None:
        return None
    cycles = _cycles(root)
    for c in cycles:
        if municipality_id in c.meta.municipalities:
            return c
    for c in cycles:
        if c.meta.level == "district" and not c.meta.municipalities and \
                country is not None and c.meta.country == country:
            return c
    return None


def _html(sections) -> str:
    out = []
    for level, title, body in sections:
        tag = f"h{min(level + 1, 4)}"
        out.append(f"<{tag}>{html.escape(title)}</{tag}>{body}")
    return "\n".join(out)


class StrategyPage(Page):
    """Implementation, action plan and public consultation of the municipality's strategy."""

    page_id = "strategy"
    requires = ("socialkit.strategy",)

    @classmethod
    def offered(cls, data: object) -> bool:
        return strategies_source(data) is not None

    def render(self) -> pn.viewable.Viewable:
        from ..i18n import language_name
        from ..strategy.display import unit_name

        state = self.state
        tr, lang = state.tr, state.lang
        mid = state.municipality_id
        mine = state.frame("municipalities")  # the scope is checked here
        country = str(mine["country"].iloc[0]) if "country" in mine and len(mine) else None
        cycle = cycle_for(strategies_source(state.data), str(mid), country)
        if cycle is None:
            return alert(tr("views.strategy.none", name=state.municipality_name(mid)), "info")
        langs = tuple(dict.fromkeys((cycle.meta.lang, "en")))
        if lang not in langs:
            return alert(tr("views.strategy.other_language", name=unit_name(cycle, "en"),
                            languages=", ".join(language_name(x, capital=True) for x in langs)),
                         "info")
        head = pn.pane.Markdown(
            tr("views.strategy.intro", name=unit_name(cycle, lang),
               start=cycle.meta.period.start, end=cycle.meta.period.end),
            margin=(0, 10), css_classes=["sk-strategy-intro"])
        return pn.Column(head, self.sections([
            (tr("views.strategy.implementation"), lambda: self._implementation(cycle)),
            (tr("views.strategy.plan"), lambda: self._plan(cycle, langs)),
            (tr("views.strategy.consultation"), lambda: self._comments(cycle)),
        ]), sizing_mode="stretch_width")

    def _pane(self, sections, css: str) -> pn.pane.HTML:
        return pn.pane.HTML(_html(sections), sizing_mode="stretch_width", stylesheets=[_CSS],
                            css_classes=[css])

    def _implementation(self, cycle) -> pn.viewable.Viewable:
        from ..strategy.display import implementation_sections
        from ..strategy.tracking import read_versions

        versions = read_versions(cycle.folder / "tracking", cycle) if cycle.folder else []
        if not versions:
            return alert(self.state.tr("views.strategy.not_tracked"), "info")
        year = versions[-1].date[:4]
        return self._pane(implementation_sections(cycle, versions, year, self.state.lang),
                          "sk-strategy-implementation")

    def _plan(self, cycle, langs) -> pn.viewable.Viewable:
        from ..memo import memoised
        from ..strategy.build import build_strategy
        from ..strategy.display import plan_sections

        s = memoised(("views.strategy.build", str(cycle.folder), _stamp(cycle.folder), langs),
                     lambda: build_strategy(cycle, langs))
        return self._pane(plan_sections(s, self.state.lang), "sk-strategy-plan")

    def _comments(self, cycle) -> pn.viewable.Viewable:
        from ..strategy.display import comments_annex

        return self._pane(comments_annex(cycle, self.state.lang), "sk-strategy-comments")

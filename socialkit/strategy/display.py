"""The strategy cycle in a reader's language: HTML sections of the evidence pack, the strategy
document and the yearly implementation report (rendered to PDF by
:mod:`socialkit.reporting.strategy`), and the localised tables of its workbooks.

Every published count passes :mod:`socialkit.disclosure` first (the consultation tables of
:mod:`socialkit.strategy.consultation` are already suppressed; a suppressed cell prints as the
mark of the passport report).
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable

import pandas as pd

from ..disclosure import resolve_threshold, suppression_note
from ..findings import format_value
from ..frameworks.strategy import label_of
from ..i18n import (
    currency_name,
    format_date,
    format_money,
    format_number,
    format_percent,
    format_period,
    t,
    tn,
)
from .build import Strategy
from .evidence import EvidencePack
from .inputs import Cycle, split_list
from .plan import (
    action_plan,
    budget,
    comment_answers,
    consultation_changes,
    evidence_links,
    maturity_overlaps,
    quarters,
)
from .tracking import Version, implementation_status, indicator_progress

__all__ = ["Section", "comments_annex", "evidence_sections", "implementation_sections",
           "plan_sections", "strategy_sections", "title_text", "unit_name"]

Section = tuple[int, str, str]  # (heading level 1/2, heading, body HTML)
esc = _html.escape


def _table(frame: pd.DataFrame, numeric: Iterable[str] = (), raw: Iterable[str] = (),
           css: str = "sk-strategy") -> str:
    """An HTML table; cells of ``raw`` columns are HTML already, the others are escaped."""
    numeric, raw = set(numeric), set(raw)
    head = "".join(f'<th class="sk-num">{esc(str(c))}</th>' if c in numeric
                   else f"<th>{esc(str(c))}</th>" for c in frame.columns)
    rows = []
    for row in frame.itertuples(index=False):
        cells = "".join(
            ('<td class="num">' if c in numeric else "<td>")
            + ("" if v is None else str(v) if c in raw else esc(str(v))) + "</td>"
            for c, v in zip(frame.columns, row, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    return (f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def _numeric_table(frame: pd.DataFrame) -> str:
    """A table whose columns after the first hold counts (right-aligned)."""
    return _table(frame, list(frame.columns[1:]))


def _with_id(text: str, ident: str) -> str:
    """A cell's text with the id the working group refers to, small, under it."""
    return f"{esc(text)}<br>{_id_html(ident)}"


def _keep(html: str) -> str:
    """Keep a short block (a heading and its list) on one page."""
    return f'<div class="sk-keep">{html}</div>'


def _date(value: str, lang: str, fmt: str = "short") -> str:
    return format_date(value, lang, fmt) if isinstance(value, str) and value else "–"


def _id_html(ident: str) -> str:
    """An id, small, breakable after its dots and underscores (ids are long words)."""
    text = esc(str(ident)).replace(".", ".<wbr>").replace("_", "_<wbr>").replace(";", ";<wbr>")
    return f'<span class="sk-id">{text}</span>'


def _quote(text: str, lang: str) -> str:
    return t("strategy.quote", lang, quote=text)


def _p(text: str) -> str:
    return f"<p>{esc(text)}</p>"


def _local(cycle: Cycle, lang: str) -> bool:
    return lang == cycle.meta.lang and lang != "en"


def title_text(cycle: Cycle, row, lang: str) -> str:
    """A row's ``title_local`` in the cycle's language, else its English ``title``."""
    return str(row["title_local"] if _local(cycle, lang) else row["title"])


def unit_name(cycle: Cycle, lang: str) -> str:
    return label_of(cycle.meta.name, lang)


def _cell(v, lang: str, mark: str) -> str:
    return mark if v is None or pd.isna(v) else format_number(int(v), lang)


def _mark(lang: str) -> str:
    return t("passport.suppressed", lang)


# --------------------------------------------------------------------------- evidence
def _evidence_table(items: pd.DataFrame, lang: str) -> pd.DataFrame:
    c = "strategy.col."
    return pd.DataFrame({
        t(c + "finding", lang): [_with_id(x, i) for x, i in
                                 zip(items[f"text_{lang}"], items["item_id"], strict=True)],
        t(c + "value", lang): [format_value(v, u, lang) for v, u in
                               zip(items["value"], items["unit"], strict=True)],
        t(c + "change", lang): [
            "–" if pd.isna(ch) else t("summary.change", lang,
                                      change=format_value(ch, u, lang, signed=True),
                                      since=s or "")
            for ch, u, s in zip(items["change"], items["unit"], items["since"], strict=True)],
        t(c + "source", lang): [
            t("strategy.evidence.source", lang,
              tables=src if rep == "manual" else t(f"strategy.source_of.{rep}", lang),
              period=format_period(p, lang))
            for src, rep, p in zip(items["source"], items["report"], items["period"],
                                   strict=True)],
    })


def evidence_sections(pack: EvidencePack, lang: str, name: str) -> list[Section]:
    """The evidence pack: the problems the data shows, then the context, by area."""
    out: list[Section] = []
    probs = pack.problems()
    intro = tn("strategy.evidence.intro", len(probs), lang, name=name)
    out.append((1, t("strategy.evidence.heading", lang, name=name), _p(intro)))
    multi = len(pack.municipality_ids) > 1
    for area in dict.fromkeys(pack.items["area"]):
        sub = pack.items[pack.items["area"] == area]
        body = []
        for problem, key in ((True, "problems"), (False, "context")):
            part = sub[sub["problem"] == problem]
            if part.empty:
                continue
            body.append(f"<h3>{esc(t(f'strategy.evidence.{key}', lang))}</h3>")
            if multi:
                for mid, g in part.groupby("municipality_id", sort=False):
                    body.append(f"<h4>{esc(pack.names.get(lang, {}).get(mid, mid))}</h4>")
                    body.append(_table(_evidence_table(g, lang),
                                       [t("strategy.col.value", lang)],
                                       [t("strategy.col.finding", lang)]))
            else:
                body.append(_table(_evidence_table(part, lang), [t("strategy.col.value", lang)],
                                   [t("strategy.col.finding", lang)]))
        out.append((2, t(f"strategy.area.{area}", lang), "".join(body)))
    out.append((2, t("strategy.evidence.method_heading", lang),
                _p(t("strategy.evidence.method", lang))))
    return out


# --------------------------------------------------------------------------- consultation
def _participation_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    mark = _mark(lang)
    cols = ["sessions", "female", "male", "age_18_34", "age_35_59", "age_60_plus", "total"]
    out = pd.DataFrame({t("strategy.col.kind", lang):
                        [t(f"strategy.kind.{k}", lang) for k in frame["kind"]]})
    for c in cols:
        out[t(f"strategy.col.{c}", lang)] = [_cell(v, lang, mark) for v in frame[c]]
    return out


def _frequency_table(s: Strategy, lang: str) -> pd.DataFrame:
    f = s.frequencies
    cb = s.cycle.codebook
    mark = _mark(lang)
    groups = [g for g in cb.group_ids if g in set(f["group"])] + ["total"]
    themes = [x for x in cb.theme_ids if x in set(f["theme"])] + ["total"]
    wide = f.set_index(["theme", "group"])["n"]
    rows = []
    for th in themes:
        row = {t("strategy.col.theme", lang): (label_of(cb.theme(th).label, lang)
                                              if th != "total" else t("strategy.total", lang))}
        for g in groups:
            head = label_of(cb.group(g).label, lang) if g != "total" else t("strategy.total", lang)
            row[head] = _cell(wide.get((th, g)), lang, mark)
        rows.append(row)
    return pd.DataFrame(rows)


def _who(s: Strategy, who: str, lang: str) -> str:
    if who.startswith("kind:"):
        return t(f"strategy.group_kind.{who[5:]}", lang)
    return label_of(s.cycle.codebook.group(who).label, lang)


def consultation_sections(s: Strategy, lang: str) -> list[Section]:
    cb = s.cycle.codebook
    sess = s.cycle["sessions"]
    total = s.participation.iloc[-1]
    out: list[Section] = []
    n_fg = int((sess["kind"] == "focus_group").sum())
    n_int = int((sess["kind"] == "interview").sum())
    places = ", ".join(dict.fromkeys(sess.loc[sess["kind"] == "focus_group", "place"]))
    text = t("strategy.consultation.intro", lang,
             focus_groups=tn("strategy.count.focus_groups", n_fg, lang),
             interviews=tn("strategy.count.interviews", n_int, lang),
             participants=_cell(total["total"], lang, _mark(lang)), places=places,
             start=_date(sess["date"].min(), lang, "long"),
             end=_date(sess["date"].max(), lang, "long"))
    consent = t("strategy.consultation.consent", lang)
    out.append((2, t("strategy.consultation.who", lang),
                _p(text) + _p(consent) + _numeric_table(_participation_table(s.participation, lang))
                + _p(suppression_note(lang))))
    out.append((2, t("strategy.consultation.themes", lang),
                _p(t("strategy.consultation.themes_text", lang))
                + _numeric_table(_frequency_table(s, lang))))
    body = []
    for th, g in s.quotes.groupby("theme", sort=False):
        items = "".join(f"<li>{esc(_quote(r.quote, lang))} "
                        f"<em>({esc(_who(s, r.attributed_to, lang))})</em></li>"
                        for r in g.head(3).itertuples(index=False))
        body.append(_keep(f"<h3>{esc(label_of(cb.theme(th).label, lang))}</h3><ul>{items}</ul>"))
    withheld = s.quotes.attrs.get("withheld", 0)
    note = t("strategy.consultation.quotes_note", lang,
             threshold=format_number(resolve_threshold(), lang))
    if withheld:
        note += " " + tn("strategy.consultation.withheld", withheld, lang)
    out.append((2, t("strategy.consultation.quotes", lang), _p(note) + "".join(body)))
    comp = s.comparison
    rows = [{t("strategy.col.theme", lang): label_of(cb.theme(r.theme).label, lang)
             if isinstance(r.theme, str) else "–",
             t("strategy.col.evidence", lang): s.pack.text(r.item_id, lang)
             if isinstance(r.item_id, str) else "–",
             t("strategy.col.status", lang): t(f"strategy.compare.{r.status}", lang)}
            for r in comp.itertuples(index=False)]
    out.append((2, t("strategy.consultation.compare", lang),
                _p(t("strategy.consultation.compare_text", lang)) + _table(pd.DataFrame(rows))))
    return out


# --------------------------------------------------------------------------- priorities
def priority_sections(s: Strategy, lang: str) -> list[Section]:
    p = s.priorities
    if p is None:
        return []
    cr = s.cycle.criteria
    cands = s.cycle["candidates"].set_index("problem_id")
    crit = pd.DataFrame({
        t("strategy.col.criterion", lang): [label_of(c.label, lang) for c in cr.criteria],
        t("strategy.col.weight", lang): [format_percent(p.weights[c.id], lang)
                                         for c in cr.criteria],
        t("strategy.col.direction", lang): [t(f"strategy.direction.{c.direction}", lang)
                                            for c in cr.criteria]})
    intro = t("strategy.priorities.intro", lang, min=cr.scale.min, max=cr.scale.max,
              raters=format_number(int(s.cycle["ratings"]["rater"].nunique()), lang))
    rank = pd.DataFrame({
        t("strategy.col.rank", lang): p.ranking["rank"].to_numpy(),
        t("strategy.col.problem", lang): [title_text(s.cycle, cands.loc[i], lang)
                                          for i in p.ranking["problem_id"]],
        t("strategy.col.score", lang): [format_number(v, lang, 2) for v in p.ranking["score"]],
        **{label_of(c.label, lang): [format_number(p.criteria_scores.at[i, c.id], lang, 1)
                                     for i in p.ranking["problem_id"]] for c in cr.criteria}})
    ag = p.agreement
    alpha = ag[(ag["measure"] == "alpha") & ag["criterion"].isna()]["value"].iloc[0]
    icc = ag[ag["measure"] == "icc_2_1"]["value"].iloc[0]
    agree = t("strategy.priorities.agreement", lang, alpha=format_number(alpha, lang, 2),
              icc=format_number(icc, lang, 2))
    per = ", ".join(f"{label_of(cr.criterion(r.criterion).label, lang)} "
                    f"{format_number(r.value, lang, 2)}"
                    for r in ag[ag["criterion"].notna()].itertuples(index=False))
    agree += " " + t("strategy.priorities.agreement_per", lang, values=per)
    names = {i: title_text(s.cycle, cands.loc[i], lang) for i in cands.index}
    sens = pd.DataFrame({
        t("strategy.col.criterion", lang): [label_of(cr.criterion(c).label, lang)
                                            for c in p.sensitivity["criterion"]],
        t("strategy.col.change", lang): [("+" if ch > 0 else "−") + format_percent(abs(ch), lang)
                                         for ch in p.sensitivity["change"]],
        t("strategy.col.weight", lang): [format_percent(w, lang, 1)
                                         for w in p.sensitivity["weight"]],
        t("strategy.col.top", lang): [", ".join(top) for top in p.sensitivity["top"]],
        t("strategy.col.same_top", lang): [t("core.yes" if x else "core.no", lang)
                                           for x in p.sensitivity["same_top"]]})
    robust = t("strategy.priorities.robust" if p.robust else "strategy.priorities.not_robust",
               lang, k=cr.top, step=format_percent(cr.step, lang))
    sm = p.smallest_change()
    if sm is not None:
        robust += " " + t("strategy.priorities.smallest", lang,
                          criterion=label_of(cr.criterion(sm["criterion"]).label, lang),
                          change=("+" if sm["relative_change"] > 0 else "−")
                          + format_percent(abs(sm["relative_change"]), lang),
                          weight=format_percent(sm["new_weight"], lang, 1),
                          top=", ".join(names[i] for i in sm["new_top"]))
    top = "".join(f"<li>{esc(names[i])}</li>" for i in p.top)
    return [(1, t("strategy.priorities.heading", lang), _p(intro) + _table(crit)),
            (2, t("strategy.priorities.ranking", lang),
             f"<ol>{top}</ol>" + _table(rank) + _p(t("strategy.priorities.ties", lang))),
            (2, t("strategy.priorities.agreement_heading", lang), _p(agree)),
            (2, t("strategy.priorities.sensitivity", lang), _p(robust) + _table(sens))]


# --------------------------------------------------------------------------- plan
def _money(v: float, lang: str, currency: str) -> str:
    return format_money(v, currency, lang)


def _body(cycle: Cycle, text: object, lang: str) -> str:
    """A responsible body or funding source: an id with a label in the cycle, or text."""
    text = "" if text is None or (isinstance(text, float) and text != text) else str(text)
    key = f"strategy.funding.{text}"
    tr = t(key, lang)
    return tr if tr != key else text


def plan_sections(s: Strategy, lang: str) -> list[Section]:
    cycle = s.cycle
    cur = cycle.meta.currency
    plan = action_plan(cycle)
    oi = cycle["objective_indicators"]
    from ..frameworks.indicators import load_framework

    fw = load_framework()
    overl = maturity_overlaps(cycle, s.maturity_plan)
    out: list[Section] = [(1, t("strategy.plan.heading", lang),
                           _p(t("strategy.plan.intro", lang, start=cycle.meta.period.start,
                                end=cycle.meta.period.end)))]
    objectives = cycle["objectives"]
    for g in cycle["goals"].itertuples(index=False):
        gr = pd.Series(g._asdict())
        body = []
        for o in objectives[objectives["goal_id"] == g.goal_id].itertuples(index=False):
            orow = pd.Series(o._asdict())
            head = f"<h3>{esc(o.objective_id)}. {esc(title_text(cycle, orow, lang))}</h3>"
            ind = oi[oi["objective_id"] == o.objective_id]
            rows = [{t("strategy.col.indicator", lang): fw.indicator(iid).label(lang),
                     t("strategy.col.baseline", lang):
                     f"{format_number(g['baseline'].iloc[0], lang, 1)} "
                     f"({g['baseline_period'].iloc[0]})",
                     t("strategy.col.target", lang): "; ".join(
                         f"{format_number(r.target, lang, 1)} ({r.target_period})"
                         for r in g.sort_values("target_period").itertuples(index=False))}
                    for iid, g in ind.groupby("indicator_id", sort=False)]
            body.append(_keep(head + _table(pd.DataFrame(rows))))
            acts = plan[plan["objective_id"] == o.objective_id]
            rows = []
            for a in acts.itertuples(index=False):
                arow = pd.Series(a._asdict())
                ev = "; ".join(split_list(a.evidence))
                mat = overl[overl["action_id"] == a.action_id]
                mtext = "; ".join(
                    m.maturity_action + (f" ({format_period(m.start, lang)}–"
                                         f"{format_period(m.end, lang)})" if m.in_plan else "")
                    for m in mat.itertuples(index=False))
                rows.append({
                    t("strategy.col.action", lang): f"{a.action_id}. {title_text(cycle, arow, lang)}",
                    t("strategy.col.responsible", lang): a.responsible + (
                        "" if pd.isna(a.partners) else
                        " (" + t("strategy.partners", lang, partners=a.partners) + ")"),
                    t("strategy.col.cost", lang): _money(a.cost, lang, cur),
                    t("strategy.col.funding", lang): _body(cycle, a.funding, lang),
                    t("strategy.col.timeline", lang):
                    f"{format_period(a.start, lang)}–{format_period(a.end, lang)}",
                    t("strategy.col.evidence", lang): _id_html(ev)
                    + (f" · {_id_html(mtext)}" if mtext else "")})
            body.append(_table(pd.DataFrame(rows), [t("strategy.col.cost", lang)],
                               [t("strategy.col.evidence", lang)]))
        out.append((2, f"{g.goal_id}. {title_text(cycle, gr, lang)}", "".join(body)))
    # timeline
    qs = quarters(plan["start"].min(), plan["end"].max()) if len(plan) else []
    rows = []
    for a in plan.itertuples(index=False):
        row = {t("strategy.col.action", lang): a.action_id}
        for q in qs:
            row[format_period(q, lang)] = "■" if a.start <= q <= a.end else ""
        rows.append(row)
    out.append((2, t("strategy.plan.timeline", lang),
                _table(pd.DataFrame(rows), css="sk-strategy sk-timeline")))
    b = budget(cycle)
    if len(b):
        years = [c for c in b.columns if c not in ("funding", "total")]
        bt = pd.DataFrame({t("strategy.col.funding", lang): [_body(cycle, f, lang)
                                                             for f in b["funding"]]})
        for y in [*years, "total"]:
            bt[y if y != "total" else t("strategy.total", lang)] = [
                format_number(v, lang) for v in b[y]]
        out.append((2, t("strategy.plan.budget", lang, currency=currency_name(cur, lang)),
                    _table(bt, list(bt.columns[1:]))))
    # evidence behind the actions
    links = evidence_links(cycle, s.pack)
    rows = [{t("strategy.col.action", lang): r.action_id,
             t("strategy.col.item", lang): _id_html(r.item_id),
             t("strategy.col.finding", lang): s.pack.text(r.item_id, lang)}
            for r in links.itertuples(index=False)]
    out.append((2, t("strategy.plan.evidence", lang),
                _table(pd.DataFrame(rows), raw=[t("strategy.col.item", lang)])))
    return out


def _part_title(cycle: Cycle, ident: str, lang: str) -> str:
    """The title of a goal, objective or action in ``lang`` (its id when unknown)."""
    for table, key in (("actions", "action_id"), ("objectives", "objective_id"),
                       ("goals", "goal_id")):
        rows = cycle[table][cycle[table][key] == ident]
        if len(rows):
            return title_text(cycle, rows.iloc[0], lang)
    return ident


def participation_record(s: Strategy, lang: str) -> list[Section]:
    cycle = s.cycle
    cb = cycle.codebook
    total = s.participation.iloc[-1]
    counts = s.frequencies[(s.frequencies["group"] == "total")
                           & (s.frequencies["theme"] != "total")]
    counts = counts.sort_values("n", ascending=False, na_position="last")
    themes = ", ".join(label_of(cb.theme(x).label, lang) for x in counts["theme"].head(4))
    c = comment_answers(cycle)
    rejected = int((cycle["comments"]["moderation"] == "rejected").sum())
    text = [t("strategy.record.consulted", lang,
              sessions=format_number(len(cycle["sessions"]), lang),
              participants=_cell(total["total"], lang, _mark(lang)),
              groups=", ".join(label_of(cb.group(g).label, lang)
                               for g in dict.fromkeys(cycle["sessions"]["group"]))),
            t("strategy.record.said", lang, themes=themes),
            tn("strategy.record.comments", len(c), lang, rejected=format_number(rejected, lang),
               accepted=format_number(int((c["answer"] == "accepted").sum()), lang),
               partly=format_number(int((c["answer"] == "partly").sum()), lang),
               no=format_number(int((c["answer"] == "not").sum()), lang))]
    ch = consultation_changes(cycle)
    rows = []
    for r in ch.itertuples(index=False):
        what = _part_title(cycle, r.changed, lang)
        src = (t("strategy.record.from_theme", lang, theme=label_of(cb.theme(r.ref).label, lang))
               if r.source == "theme" else t("strategy.record.from_comment", lang, id=r.ref))
        rows.append({t("strategy.col.source", lang): src,
                     t("strategy.col.changed", lang): f"{r.changed}. {what}"})
    return [(1, t("strategy.record.heading", lang), "".join(_p(x) for x in text)),
            (2, t("strategy.record.changed", lang), _table(pd.DataFrame(rows)))]


def comments_annex(cycle: Cycle, lang: str) -> list[Section]:
    """The public consultation's comments, each with its answer and reason."""
    c = comment_answers(cycle)
    rows = [{t("strategy.col.comment", lang): r.comment_id,
             t("strategy.col.date", lang): _date(r.date, lang),
             t("strategy.col.author", lang): (r.organisation if r.author_kind == "organisation"
                                              and isinstance(r.organisation, str)
                                              else t("strategy.author.resident", lang)),
             t("strategy.col.part", lang): r.target if r.target != "general"
             else t("strategy.part.general", lang),
             t("strategy.col.text", lang): r.text,
             t("strategy.col.answer", lang): t(f"strategy.answer.{r.answer}", lang)
             if isinstance(r.answer, str) else t("strategy.answer.none", lang),
             t("strategy.col.reason", lang): r.reason if isinstance(r.reason, str) else ""}
            for r in c.itertuples(index=False)]
    return [(1, t("strategy.comments.heading", lang),
             _p(t("strategy.comments.intro", lang)) + _table(pd.DataFrame(rows)))]


def strategy_sections(s: Strategy, lang: str) -> list[Section]:
    """The strategy document: the problems, the voices, the priorities, the plan, the
    participation record, and the public consultation's answers as an annex."""
    name = unit_name(s.cycle, lang)
    probs = s.pack.problems()
    summary = _p(t("strategy.document.intro", lang, name=name, start=s.cycle.meta.period.start,
                   end=s.cycle.meta.period.end))
    lead = [(1, t("strategy.document.situation", lang),
             summary + _p(tn("strategy.evidence.intro", len(probs), lang, name=name))
             + _table(_evidence_table(probs, lang), [t("strategy.col.value", lang)],
                      [t("strategy.col.finding", lang)]))]
    voices = [(1, t("strategy.consultation.heading", lang), "")]
    return (lead + voices + consultation_sections(s, lang) + priority_sections(s, lang)
            + plan_sections(s, lang) + participation_record(s, lang) + comments_annex(s.cycle, lang))


# --------------------------------------------------------------------------- tracking
def implementation_sections(cycle: Cycle, versions: list[Version], year: str,
                            lang: str) -> list[Section]:
    """The yearly implementation report: actions' progress, milestones, indicators against
    targets and every change recorded in the year (from the cycle and its tracked versions
    alone: no evidence pack needed)."""
    in_year = [v for v in versions if v.date[:4] == year]
    last = in_year[-1] if in_year else None
    as_of = last.date if last else f"{year}-12-31"
    st = implementation_status(cycle, last, as_of)
    plan = action_plan(cycle).set_index("action_id")
    name = unit_name(cycle, lang)
    intro = t("strategy.tracking.intro", lang, name=name, year=year,
              versions=format_number(len(in_year), lang), date=_date(as_of, lang, "long"))
    mean = float(st["percent_done"].mean()) if len(st) else 0.0
    done = int((st["status"] == "done").sum())
    summary = t("strategy.tracking.summary", lang, mean=format_percent(mean / 100, lang),
                done=format_number(done, lang), n=format_number(len(st), lang),
                overdue=format_number(int(st["milestones_overdue"].sum()), lang))
    rows = [{t("strategy.col.action", lang): f"{r.action_id}. "
             f"{title_text(cycle, plan.loc[r.action_id], lang)}",
             t("strategy.col.timeline", lang):
             f"{format_period(r.start, lang)}–{format_period(r.end, lang)}",
             t("strategy.col.done", lang): format_percent(r.percent_done / 100, lang),
             t("strategy.col.status", lang): t(f"strategy.status.{r.status}", lang),
             t("strategy.col.milestones", lang):
             f"{format_number(r.milestones_done, lang)} / {format_number(r.milestones, lang)}",
             t("strategy.col.overdue", lang): format_number(r.milestones_overdue, lang)}
            for r in st.itertuples(index=False)]
    from ..frameworks.indicators import load_framework

    fw = load_framework()
    ip = indicator_progress(cycle, last.indicator_actuals if last else None)
    ip = ip[ip["target_period"] == year] if (ip["target_period"] == year).any() else ip
    irows = [{t("strategy.col.indicator", lang): fw.indicator(r.indicator_id).label(lang),
              t("strategy.col.baseline", lang): format_number(r.baseline, lang, 1),
              t("strategy.col.target", lang):
              f"{format_number(r.target, lang, 1)} ({r.target_period})",
              t("strategy.col.actual", lang): "–" if r.actual is None or pd.isna(r.actual) else
              f"{format_number(r.actual, lang, 1)} ({format_period(r.period, lang)})",
              t("strategy.col.progress", lang): "–" if r.progress is None or pd.isna(r.progress)
              else format_percent(r.progress, lang),
              t("strategy.col.status", lang): t(f"strategy.indicator_status.{r.status}", lang)}
             for r in ip.itertuples(index=False)]
    from .tracking import change_history

    hist = change_history(versions)
    hist = hist[hist["date"].str[:4] == year]
    hrows = [{t("strategy.col.date", lang): _date(r.date, lang),
              t("strategy.col.item", lang): _history_item(r.kind, r.id, fw, lang),
              t("strategy.col.field", lang): t(f"strategy.field.{r.field}", lang),
              t("strategy.col.before", lang): _fmt_change(r.before, r.field, lang),
              t("strategy.col.after", lang): _fmt_change(r.after, r.field, lang)}
             for r in hist.itertuples(index=False)]
    return [(1, t("strategy.tracking.heading", lang, year=year), _p(intro) + _p(summary)),
            (2, t("strategy.tracking.actions", lang), _table(pd.DataFrame(rows))),
            (2, t("strategy.tracking.indicators", lang),
             _p(t("strategy.tracking.indicators_text", lang)) + _table(pd.DataFrame(irows))),
            (2, t("strategy.tracking.history", lang), _table(pd.DataFrame(hrows)))]


def _fmt_change(v, field: str, lang: str) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "–"
    if field == "percent_done":
        return format_percent(float(v) / 100, lang)
    if field == "status":
        return t(f"strategy.status.{v}", lang)
    if field == "done":
        return t("core.yes" if v == "yes" else "core.no", lang)
    if field == "value":
        return format_number(float(v), lang, 1)
    if field == "done_date":
        return _date(str(v), lang)
    return str(v)


def _history_item(kind: str, ident: str, fw, lang: str) -> str:
    """An action or milestone id as it is; an indicator's ``id@period`` as its name and
    period in ``lang``."""
    if kind != "indicator" or "@" not in ident:
        return ident
    iid, period = ident.split("@", 1)
    try:
        name = fw.indicator(iid).label(lang)
    except KeyError:
        name = iid
    return f"{name} ({format_period(period, lang)})"

"""The competition protocol and the contract monitoring report as localised HTML.

Plain HTML fragments (tables and sentences) in the report's language; the reporting layer
(:mod:`socialkit.reporting.contracting`) lays them out on A4 with the suite's print CSS. No
plotting or dashboard library is involved.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from ..i18n import display_name, display_names, format_number, format_percent, t
from .evaluate import Evaluation
from .model import ContractingData
from .monitor import FLAGS, FlagRules, monitoring_flags
from .sensitivity import minimal_flip, weight_sensitivity

__all__ = ["monitoring_report_html", "protocol_html"]

#: The state social order is Belarus': the names of customers and NGOs in the data are English
#: (``name``) and Russian (``name_ru``); :func:`socialkit.i18n.display_name` shows each reader
#: the one of their language (``socialkit/i18n/local_names.yaml``: Russian for ru and be).
COUNTRY = "BY"


def _ngo_names(data: ContractingData, lang: str) -> pd.Series:
    return pd.Series(display_names(data.ngos, lang, country=COUNTRY).to_numpy(),
                     index=data.ngos["ngo_id"])


def _e(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else \
        html.escape(str(value))


def _table(head: list[str], rows: list[list[object]], num: set[int] = frozenset()) -> str:
    th = "".join(f'<th{" class=num" if i in num else ""}>{_e(h)}</th>'
                 for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(
        f'<td{" class=num" if i in num else ""}>{_e(v)}</td>' for i, v in enumerate(r))
        + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _n(value: object, lang: str, decimals: int = 1) -> str:
    if value is None or pd.isna(value):
        return "–"
    return format_number(float(value), lang, decimals)


def _yes(flag: bool, lang: str) -> str:
    return t("contracting.pdf.answer_yes" if flag else "contracting.pdf.answer_no", lang)


def protocol_html(data: ContractingData, ev: Evaluation, competition_id: str,
                  lang: str = "en", step: float = 0.10) -> tuple[str, str]:
    """``(title, body HTML)`` of the protocol of one competition.

    Sections: the competition; pass/fail and award criteria with weights; admission
    (completeness, failed criteria); every evaluator's scores with mean and spread; the
    ranking; the evaluators' declarations and agreement; the weight sensitivity; the award.
    """
    comp = data.competitions.set_index("competition_id").loc[competition_id]
    tr = lambda key, **kw: t(f"contracting.pdf.{key}", lang, **kw)  # noqa: E731
    cust = data.customers.set_index("customer_id").loc[comp.customer_id]
    cust_name = display_name(cust, lang, country=COUNTRY)
    title = tr("protocol_title", competition=competition_id)
    lots = data.lots[data.lots["competition_id"] == competition_id]
    out = [f"<h1>{_e(title)}</h1>",
           f"<p><b>{_e(comp.title)}</b></p>",
           _table([tr("customer"), tr("published"), tr("deadline"), tr("scale"), tr("lots")],
                  [[cust_name, comp.published, comp.deadline,
                    f"{comp.scale_min:g}–{comp.scale_max:g}",
                    ", ".join(lots["lot_id"])]])]
    crit = data.criteria[data.criteria["competition_id"] == competition_id]
    used = ev.weights.set_index(["competition_id", "criterion_id"])["weight_used"]
    out.append(f"<h2>{_e(tr('criteria'))}</h2>")
    rows = []
    for r in crit.itertuples():
        w = used.get((competition_id, r.criterion_id))
        rows.append([r.criterion_id, r.name, tr(f"stage_{r.stage}"),
                     tr(f"aspect_{r.aspect}") if isinstance(r.aspect, str) else "",
                     _n(r.weight, lang, 0) if pd.notna(r.weight) else (
                         f"#{int(r.importance)}" if pd.notna(r.importance) else ""),
                     format_percent(w, lang, 1) if w is not None else ""])
    out.append(_table([tr("criterion"), tr("name"), tr("stage"), tr("aspect"),
                       tr("published_weight"), tr("weight_used")], rows, {4, 5}))
    note = "weights_note" if comp.weighting == "weights" else "order_note"
    out.append(f"<p>{_e(tr(note))}</p>")

    res = ev.results[ev.results["competition_id"] == competition_id]
    ngo = _ngo_names(data, lang)
    out.append(f"<h2>{_e(tr('admission'))}</h2>")
    out.append(_table(
        [tr("application"), tr("ngo"), tr("price"), tr("complete"), tr("missing"),
         tr("failed"), tr("admitted")],
        [[r.application_id, ngo.get(r.ngo_id, r.ngo_id), _n(r.price, lang, 2),
          _yes(r.complete, lang), r.missing, r.failed_criteria, _yes(r.admitted, lang)]
         for r in res.itertuples()], {2}))

    sc = data.scores[data.scores["application_id"].isin(res["application_id"])]
    out.append(f"<h2>{_e(tr('scores'))}</h2>")
    if len(sc):
        evals = sorted(sc["evaluator_id"].unique())
        m = sc.pivot_table(index=["application_id", "criterion_id"], columns="evaluator_id",
                           values="score", aggfunc="first")
        rows = []
        for (app, cr), vals in m.iterrows():
            v = vals.to_numpy(dtype=float)
            rows.append([app, cr, *[_n(x, lang, 1) for x in v], _n(np.nanmean(v), lang, 2),
                         _n(np.nanmax(v) - np.nanmin(v), lang, 1)])
        out.append(_table([tr("application"), tr("criterion"), *evals, tr("mean"),
                           tr("spread")], rows, set(range(2, 4 + len(evals)))))
        out.append(f"<h3>{_e(tr('justifications'))}</h3>")
        out.append(_table([tr("application"), tr("criterion"), tr("evaluator"),
                           tr("justification")],
                          [[r.application_id, r.criterion_id, r.evaluator_id, r.justification]
                           for r in sc.itertuples()]))
    else:
        out.append(f"<p>{_e(tr('no_scores'))}</p>")

    out.append(f"<h2>{_e(tr('ranking'))}</h2>")
    ranked = res[res["rank"].notna()].sort_values(["lot_id", "rank"])
    pts = ev.points[ev.points["competition_id"] == competition_id]
    price_pts = pts[pts["aspect"] == "price"].set_index("application_id")["points"]
    out.append(_table(
        [tr("lot"), tr("rank"), tr("application"), tr("ngo"), tr("price"), tr("price_points"),
         tr("quality_part"), tr("score"), tr("tied"), tr("awarded")],
        [[r.lot_id, int(r.rank), r.application_id, ngo.get(r.ngo_id, r.ngo_id),
          _n(r.price, lang, 2), _n(price_pts.get(r.application_id), lang, 3),
          _n(r.quality_part, lang, 2), _n(r.score, lang, 2), _yes(r.tied, lang),
          _yes(r.awarded, lang)] for r in ranked.itertuples()], {1, 4, 5, 6, 7}))
    out.append(f"<p>{_e(tr('ties_rule'))}</p>")

    out.append(f"<h2>{_e(tr('agreement'))}</h2>")
    decl = data.declarations[data.declarations["competition_id"] == competition_id]
    out.append(_table([tr("evaluator"), tr("declared"), tr("no_conflict")],
                      [[r.evaluator_id, r.signed, _yes(bool(r.no_conflict), lang)]
                       for r in decl.itertuples()]))
    ag = ev.agreement[ev.agreement["competition_id"] == competition_id]
    if len(ag):
        a = ag.iloc[0]
        out.append(_table([tr("evaluators"), tr("units"), "Krippendorff α", "ICC(2,1)",
                           tr("mean_spread"), tr("max_spread")],
                          [[int(a.n_evaluators), int(a.n_units), _n(a.alpha, lang, 2),
                            _n(a.icc, lang, 2), _n(a.mean_spread, lang, 2),
                            _n(a.max_spread, lang, 1)]], {0, 1, 2, 3, 4, 5}))

    sub = Evaluation(results=res, points=pts, weights=ev.weights,
                     agreement=ev.agreement)
    sens = weight_sensitivity(sub, step=step)
    flips = minimal_flip(sub)
    out.append(f"<h2>{_e(tr('sensitivity', step=format_percent(step, lang, 0)))}</h2>")
    out.append(f"<p>{_e(tr('sensitivity_rule'))}</p>")
    if len(sens):
        out.append(_table(
            [tr("lot"), tr("criterion"), tr("change"), tr("weight_before"), tr("weight_after"),
             tr("winner"), tr("changed")],
            [[r.lot_id, r.criterion_id, ("+" if r.change > 0 else "−")
              + format_percent(abs(r.change), lang, 0), format_percent(r.weight_before, lang, 1),
              format_percent(r.weight_after, lang, 1), r.winner_after, _yes(r.changed, lang)]
             for r in sens.itertuples()], {3, 4}))
    for r in flips.itertuples():
        if isinstance(r.criterion_id, str):
            text = tr("flip", lot=r.lot_id, criterion=r.criterion_id,
                      before=format_percent(r.weight_before, lang, 1),
                      after=format_percent(r.weight_after, lang, 1),
                      relative=format_percent(r.change_relative, lang, 1),
                      winner=r.new_winner)
            out.append(f"<p>{_e(text)}</p>")
        else:
            out.append(f"<p>{_e(tr('no_flip', lot=r.lot_id))}</p>")

    out.append(f"<h2>{_e(tr('award'))}</h2>")
    aw = data.awards[data.awards["lot_id"].isin(lots["lot_id"])]
    out.append(_table([tr("lot"), tr("application"), tr("date"), tr("value"), tr("status"),
                       tr("complaint")],
                      [[r.lot_id, r.application_id, r.date, _n(r.value, lang, 2), r.status,
                        r.complaint] for r in aw.itertuples()], {3}))
    out.append(f"<p>{_e(tr('synthetic'))}</p>")
    return title, "\n".join(out)


def monitoring_report_html(data: ContractingData, contract_id: str, lang: str = "en",
                           rules: FlagRules | None = None) -> tuple[str, str]:
    """``(title, body HTML)`` of the monitoring report of one contract."""
    from ..disclosure import publish

    tr = lambda key, **kw: t(f"contracting.pdf.{key}", lang, **kw)  # noqa: E731
    con = data.contracts.set_index("contract_id").loc[contract_id]
    aw = data.awards.set_index("award_id").loc[con.award_id]
    ngo_id = data.applications.set_index("application_id").at[aw.application_id, "ngo_id"]
    ngo = _ngo_names(data, lang)[ngo_id]
    title = tr("monitoring_title", contract=contract_id)
    progress, flags = monitoring_flags(data, rules)
    prog = publish(progress[progress["contract_id"] == contract_id],
                   counts=["clients_planned", "clients", "respondents"])
    fl = flags[flags["contract_id"] == contract_id]
    out = [f"<h1>{_e(title)}</h1>",
           _table([tr("ngo"), tr("lot"), tr("period_contract"), tr("value"), tr("hours"),
                   tr("visits"), tr("clients")],
                  [[ngo, aw.lot_id, f"{con.start} – {con.end}", _n(con.value, lang, 2),
                    _n(con.hours, lang, 0), _n(con.visits, lang, 0),
                    _n(con.clients, lang, 0)]], {3, 4, 5, 6}),
           f"<h2>{_e(tr('delivery'))}</h2>",
           _table([tr("period"), tr("hours_planned"), tr("hours_delivered"), tr("visits_planned"),
                   tr("visits_delivered"), tr("clients"), tr("cumulative_ratio")],
                  [[r.period, _n(r.hours_planned, lang, 0), _n(r.hours, lang, 0),
                    _n(r.visits_planned, lang, 0), _n(r.visits, lang, 0),
                    _n(r.clients, lang, 0),
                    format_percent(min(r.hours_ratio, r.visits_ratio), lang, 0)
                    if pd.notna(r.hours_ratio) else "–"] for r in prog.itertuples()],
                  {1, 2, 3, 4, 5, 6}),
           f"<h2>{_e(tr('payments'))}</h2>",
           _table([tr("period"), tr("payment_planned"), tr("paid"), tr("paid_share"),
                   tr("delivered_share")],
                  [[r.period, _n(r.payment_planned, lang, 2), _n(r.paid, lang, 2),
                    format_percent(r.paid_share, lang, 0),
                    format_percent(r.delivered_share, lang, 0)] for r in prog.itertuples()],
                  {1, 2, 3, 4}),
           f"<h2>{_e(tr('quality'))}</h2>",
           _table([tr("period"), tr("quality_score"), tr("quality_min"), tr("satisfaction"),
                   tr("respondents")],
                  [[r.period, _n(r.quality_score, lang, 0), _n(r.quality_min, lang, 0),
                    _n(r.satisfaction, lang, 1), _n(r.respondents, lang, 0)]
                   for r in prog.itertuples()], {1, 2, 3, 4}),
           f"<h2>{_e(tr('flags'))}</h2>"]
    if len(fl):
        order = {f: i for i, f in enumerate(FLAGS)}
        out.append(_table([tr("period"), tr("flag"), tr("flag_value"), tr("threshold")],
                          [[r.period, t(f"contracting.flags.{r.flag}", lang),
                            _n(r.value, lang, 2), _n(r.threshold, lang, 2)]
                           for r in sorted(fl.itertuples(), key=lambda r: (r.period,
                                                                           order[r.flag]))],
                          {2, 3}))
    else:
        out.append(f"<p>{_e(t('contracting.cli.no_flags', lang))}</p>")
    out.append(f"<p>{_e(tr('synthetic'))}</p>")
    return title, "\n".join(out)

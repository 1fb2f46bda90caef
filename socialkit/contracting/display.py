"""The call for proposals, the competition protocol and the monitoring report as HTML.

Plain HTML fragments (tables and sentences) in the report's language; the reporting layer
(:mod:`socialkit.reporting.contracting`) lays them out on A4 with the suite's print CSS. No
plotting or dashboard library is involved.

Layout conventions, so that every language prints cleanly on A4 portrait:

* ids and codes (``hom-2025-a0001``, ``staff_quality``) are never hyphenated or split: they
  sit in ``class="id"`` cells or spans, which the print CSS keeps on one line;
* a table has at most seven columns; per-lot tables carry the lot in a heading, not a column;
* texts (names, criteria, reasons) are shown in the reader's language by
  :func:`~socialkit.contracting.model.local_text`; codes (service types, documents, stages,
  statuses) through the message catalogs; dates and numbers are formatted for the language.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from ..i18n import format_date, format_number, format_percent, t
from .evaluate import Evaluation
from .model import ContractingData, code_text, local_text
from .monitor import FLAGS, FlagRules, monitoring_flags
from .sensitivity import minimal_flip, weight_sensitivity

__all__ = ["call_html", "monitoring_report_html", "overview_html", "protocol_html"]


class Id(str):
    """An id or code: printed on one line, never hyphenated."""


class Html(str):
    """A fragment of HTML already escaped."""

def _e(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, Html):
        return str(value)
    if isinstance(value, Id):
        return f'<span class="id">{html.escape(str(value))}</span>'
    return html.escape(str(value))


def _table(head: list[str], rows: list[list[object]], num: set[int] = frozenset(),
           ids: set[int] = frozenset(), cls: str = "") -> str:
    def attr(i: int) -> str:
        c = "num" if i in num else ("id" if i in ids else "")
        return f' class="{c}"' if c else ""

    th = "".join(f"<th{attr(i)}>{_e(h)}</th>" for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(f"<td{attr(i)}>{_e(v)}</td>" for i, v in enumerate(r))
                   + "</tr>" for r in rows)
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _facts(pairs: list[tuple[str, object]]) -> str:
    """A two-column table of label → value (for the head of a document)."""
    body = "".join(f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in pairs)
    return f'<table class="facts"><tbody>{body}</tbody></table>'


def _n(value: object, lang: str, decimals: int = 1) -> str:
    if value is None or pd.isna(value):
        return "–"
    return format_number(float(value), lang, decimals)


def _date(value: object, lang: str, fmt: str = "short") -> str:
    """An ISO date or date-time for ``lang`` (``2025-02-10T17:00`` → ``10.02.2025 17:00``)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    text = str(value).replace(" ", "T")
    out = format_date(text[:10], lang, fmt)
    return f"{out} {text[11:16]}" if len(text) > 10 else out


def _yes(flag: bool, lang: str) -> str:
    return t("contracting.pdf.answer_yes" if flag else "contracting.pdf.answer_no", lang)


_code = code_text


def _names(frame: pd.DataFrame, key: str, field: str, lang: str) -> dict[str, str]:
    return {r[key]: local_text(r, field, lang) for r in frame.to_dict("records")}


def _synthetic(data: ContractingData, lang: str) -> str:
    return f'<p class="note">{_e(t("contracting.pdf.synthetic", lang))}</p>' \
        if data.synthetic else ""


def _head(data: ContractingData, competition_id: str, lang: str):
    comps = data.competitions.set_index("competition_id")
    if competition_id not in comps.index:
        raise KeyError(competition_id)
    comp = comps.loc[competition_id]
    cust = data.customers.set_index("customer_id").loc[comp.customer_id]
    return comp, local_text(cust, "name", lang)


def _award_criteria(data: ContractingData, ev_weights: pd.DataFrame | None,
                    competition_id: str, weighting: str, lang: str) -> str:
    tr = lambda key, **kw: t(f"contracting.pdf.{key}", lang, **kw)  # noqa: E731
    crit = data.criteria[(data.criteria["competition_id"] == competition_id)
                         & (data.criteria["stage"] == "award")]
    if weighting == "order":
        crit = crit.sort_values("importance", kind="stable")
    used = {} if ev_weights is None else ev_weights.set_index(
        ["competition_id", "criterion_id"])["weight_used"].to_dict()
    head = [tr("criterion"), tr("name"), tr("aspect"),
            tr("published_weight") if weighting == "weights" else tr("importance")]
    if ev_weights is not None:
        head.append(tr("weight_used"))
    rows = []
    for r in crit.to_dict("records"):
        row = [Id(r["criterion_id"]), local_text(r, "name", lang), tr(f"aspect_{r['aspect']}"),
               _n(r["weight"], lang, 0) if weighting == "weights" else
               _n(r["importance"], lang, 0)]
        if ev_weights is not None:
            w = used.get((competition_id, r["criterion_id"]))
            row.append(format_percent(w, lang, 1) if w is not None else "")
        rows.append(row)
    return _table(head, rows, {3, 4}, {0, 2})


def _pass_fail(data: ContractingData, competition_id: str, lang: str) -> str:
    tr = lambda key, **kw: t(f"contracting.pdf.{key}", lang, **kw)  # noqa: E731
    crit = data.criteria[(data.criteria["competition_id"] == competition_id)
                         & (data.criteria["stage"] != "award")]
    return _table([tr("criterion"), tr("name"), tr("stage")],
                  [[Id(r["criterion_id"]), local_text(r, "name", lang),
                    tr(f"stage_{r['stage']}")] for r in crit.to_dict("records")], ids={0})


def call_html(data: ContractingData, competition_id: str, lang: str = "ru"
              ) -> tuple[str, str]:
    """``(title, body HTML)`` of the call for proposals (извещение о конкурсе) of a competition.

    What an NGO needs to apply: the customer and the deadline; per lot the social order
    (service, target group and who is eligible, volume, territory, period, maximum subsidy,
    quality standard) and the need that justifies its volume; the pass/fail requirements;
    the award criteria with their published weights (or order of importance) and how price
    and quality are scored; the documents to submit; the rules of submission and evaluation.
    """
    tr = lambda key, **kw: t(f"contracting.pdf.{key}", lang, **kw)  # noqa: E731
    tc = lambda key, **kw: t(f"contracting.call.{key}", lang, **kw)  # noqa: E731
    comp, customer = _head(data, competition_id, lang)
    title = tc("title", competition=competition_id)
    lots = data.lots[data.lots["competition_id"] == competition_id]
    orders = data.orders.set_index("order_id")
    deadline = _date(comp.deadline, lang, "long")
    out = [f'<h1>{_e(tc("heading"))} <span class="id">{_e(competition_id)}</span></h1>',
           f"<p><b>{_e(local_text(comp, 'title', lang))}</b></p>",
           f"<p>{_e(tc('intro', customer=customer))}</p>",
           _facts([(tr("customer"), customer),
                   (tr("published"), _date(comp.published, lang, "long")),
                   (tr("deadline"), deadline),
                   (tc("currency"), comp.currency)])]
    for lot in lots.to_dict("records"):
        o = orders.loc[lot["order_id"]]
        out.append(f'<h2>{_e(tr("lot"))} <span class="id">{_e(lot["lot_id"])}</span>: '
                   f'{_e(local_text(lot, "title", lang))}</h2>')
        out.append(_facts([
            (tc("service"), _code("services", o.service_type, lang)),
            (tc("target_group"), local_text(o, "target_group", lang)),
            (tc("client_eligibility"), local_text(o, "eligibility", lang)),
            (tr("clients"), _n(o.clients, lang, 0)), (tr("hours"), _n(o.hours, lang, 0)),
            (tr("visits"), _n(o.visits, lang, 0)),
            (tc("territory"), local_text(o, "territory", lang)),
            (tc("period"), f"{_date(o.period_start, lang, 'long')} – "
                            f"{_date(o.period_end, lang, 'long')}"),
            (tc("max_subsidy"), f"{_n(lot['max_subsidy'], lang, 2)} {comp.currency}"),
            (tc("quality_standard"), tc("quality_text", standard=local_text(
                o, "quality_standard", lang), score=_n(o.quality_min, lang, 0))),
            (tc("need"), local_text(o, "evidence", lang))]))
    out.append(f"<h2>{_e(tc('requirements'))}</h2>")
    out.append(f"<p>{_e(tc('requirements_note'))}</p>")
    out.append(_pass_fail(data, competition_id, lang))
    out.append(f"<h2>{_e(tr('award_criteria'))}</h2>")
    out.append(_award_criteria(data, None, competition_id, comp.weighting, lang))
    out.append(f"<p>{_e(tc('weights_rule' if comp.weighting == 'weights' else 'order_rule'))}"
               "</p>")
    scoring = tc("scoring", low=_n(comp.scale_min, lang, 0), high=_n(comp.scale_max, lang, 0))
    out.append(f"<p>{_e(scoring)}</p>")
    out.append(f"<p>{_e(tr('ties_rule'))}</p>")
    docs = data.required_documents[data.required_documents["competition_id"] == competition_id]
    out.append(f"<h2>{_e(tc('documents'))}</h2>")
    out.append("<ol>" + "".join(f"<li>{_e(_code('documents', d, lang))}</li>"
                                for d in docs["document"]) + "</ol>")
    out.append(f"<h2>{_e(tc('submission'))}</h2>")
    out.append(f"<p>{_e(tc('submission_text', deadline=deadline))}</p>")
    out.append(f"<p>{_e(tc('evaluation_text'))}</p>")
    out.append(_synthetic(data, lang))
    return title, "\n".join(out)


def _reasons(r, data: ContractingData, crit_names: dict[str, str],
             reasons: dict[tuple[str, str], str], lang: str) -> str:
    tr = lambda key, **kw: t(f"contracting.pdf.{key}", lang, **kw)  # noqa: E731
    parts = []
    if r.missing:
        parts.append(tr("reason_missing", documents=", ".join(
            _code("documents", d, lang) for d in r.missing.split("; "))))
    for c in (r.failed_criteria.split("; ") if r.failed_criteria else []):
        why = reasons.get((r.application_id, c), "")
        parts.append(tr("reason_failed", criterion=crit_names.get(c, c))
                     + (f" ({why})" if why else ""))
    if r.above_max_subsidy:
        parts.append(tr("reason_above_max"))
    return "; ".join(parts)


def protocol_html(data: ContractingData, ev: Evaluation, competition_id: str,
                  lang: str = "en", step: float = 0.10) -> tuple[str, str]:
    """``(title, body HTML)`` of the protocol of one competition.

    Sections: the competition; pass/fail and award criteria with weights; admission (every
    missing document, every failed criterion with its reason); every evaluator's scores with
    mean, spread and justifications; the ranking per lot; the evaluators' declarations and
    agreement; the weight sensitivity; the award.
    """
    tr = lambda key, **kw: t(f"contracting.pdf.{key}", lang, **kw)  # noqa: E731
    comp, customer = _head(data, competition_id, lang)
    title = tr("protocol_title", competition=competition_id)
    lots = data.lots[data.lots["competition_id"] == competition_id]
    lot_title = _names(lots, "lot_id", "title", lang)
    crit = data.criteria[data.criteria["competition_id"] == competition_id]
    crit_names = _names(crit, "criterion_id", "name", lang)
    ngo = _names(data.ngos, "ngo_id", "name", lang)
    out = [f'<h1>{_e(tr("protocol_heading"))} <span class="id">{_e(competition_id)}</span>'
           "</h1>",
           f"<p><b>{_e(local_text(comp, 'title', lang))}</b></p>",
           _facts([(tr("customer"), customer),
                   (tr("published"), _date(comp.published, lang)),
                   (tr("deadline"), _date(comp.deadline, lang)),
                   (tr("scale"), f"{_n(comp.scale_min, lang, 0)}–{_n(comp.scale_max, lang, 0)}")]
                  + [(f"{tr('lot')} {lid}", f"{lot_title[lid]} ({tr('max_subsidy')}: "
                      f"{_n(m, lang, 2)} {comp.currency})")
                     for lid, m in zip(lots["lot_id"], lots["max_subsidy"], strict=True)])]

    out.append(f"<h2>{_e(tr('criteria'))}</h2>")
    out.append(f"<h3>{_e(tr('pass_fail_criteria'))}</h3>")
    out.append(_pass_fail(data, competition_id, lang))
    out.append(f"<h3>{_e(tr('award_criteria'))}</h3>")
    out.append(_award_criteria(data, ev.weights, competition_id, comp.weighting, lang))
    note = "weights_note" if comp.weighting == "weights" else "order_note"
    out.append(f"<p>{_e(tr(note))}</p>")

    res = ev.results[ev.results["competition_id"] == competition_id]
    elig = data.eligibility[data.eligibility["application_id"].isin(res["application_id"])]
    reasons = {(r["application_id"], r["criterion_id"]): local_text(r, "reason", lang)
               for r in elig.to_dict("records")}
    out.append(f"<h2>{_e(tr('admission'))}</h2>")
    out.append(_table(
        [tr("application"), tr("ngo"), tr("submitted"), tr("price"), tr("admitted"),
         tr("reasons")],
        [[Id(r.application_id), ngo.get(r.ngo_id, r.ngo_id), _date(r.submitted, lang),
          _n(r.price, lang, 2), _yes(r.admitted, lang),
          _reasons(r, data, crit_names, reasons, lang)] for r in res.itertuples()],
        {3}, {0, 2}))

    # only admitted applications are scored and ranked (a score given to another is not shown)
    sc = data.scores[data.scores["application_id"].isin(
        res.loc[res["admitted"], "application_id"])]
    out.append(f"<h2>{_e(tr('scores'))}</h2>")
    if len(sc):
        evals = sorted(sc["evaluator_id"].unique())
        m = sc.pivot_table(index=["application_id", "criterion_id"], columns="evaluator_id",
                           values="score", aggfunc="first")
        rows = []
        for (app, cr), vals in m.iterrows():
            v = vals.to_numpy(dtype=float)
            rows.append([Id(app), Id(cr), *[_n(x, lang, 1) for x in v],
                         _n(np.nanmean(v), lang, 2), _n(np.nanmax(v) - np.nanmin(v), lang, 1)])
        out.append(_table([tr("application"), tr("criterion"), *[Id(e) for e in evals],
                           tr("mean"), tr("spread")], rows,
                          set(range(2, 4 + len(evals))), {0, 1}))
        out.append(f"<h3>{_e(tr('justifications'))}</h3>")
        rows = []
        for (app, cr), g in sc.groupby(["application_id", "criterion_id"], sort=False):
            lines = "".join(f'<li><span class="id">{_e(e)}</span>: {_e(j)}</li>'
                            for e, j in zip(g["evaluator_id"], g["justification"], strict=True))
            rows.append(f'<tr><td class="id">{_e(app)}</td><td class="id">{_e(cr)}</td>'
                        f'<td><ul class="just">{lines}</ul></td></tr>')
        out.append(f"<table><thead><tr><th>{_e(tr('application'))}</th>"
                   f"<th>{_e(tr('criterion'))}</th><th>{_e(tr('justification'))}</th></tr>"
                   f"</thead><tbody>{''.join(rows)}</tbody></table>")
    else:
        out.append(f"<p>{_e(tr('no_scores'))}</p>")

    out.append(f"<h2>{_e(tr('ranking'))}</h2>")
    pts = ev.points[ev.points["competition_id"] == competition_id]
    price_pts = pts[pts["aspect"] == "price"].set_index("application_id")["points"]
    for lid in lots["lot_id"]:
        ranked = res[(res["lot_id"] == lid) & res["rank"].notna()].sort_values("rank")
        out.append(f'<h3>{_e(tr("lot"))} <span class="id">{_e(lid)}</span>: '
                   f"{_e(lot_title[lid])}</h3>")
        if not len(ranked):
            out.append(f"<p>{_e(tr('no_admitted'))}</p>")
            continue
        out.append(_table(
            [tr("rank"), tr("application"), tr("ngo"), tr("price"), tr("price_points"),
             tr("quality_part"), tr("score")],
            [[int(r.rank), Id(r.application_id), ngo.get(r.ngo_id, r.ngo_id),
              _n(r.price, lang, 2), _n(price_pts.get(r.application_id), lang, 3),
              _n(r.quality_part, lang, 2), _n(r.score, lang, 2)] for r in ranked.itertuples()],
            {0, 3, 4, 5, 6}, {1}))
        tied = ranked[ranked["tied"]]
        if len(tied):
            out.append(f"<p>{_e(tr('tied_note', applications=', '.join(tied['application_id'])))}"
                       "</p>")
    out.append(f"<p>{_e(tr('ties_rule'))}</p>")

    out.append(f"<h2>{_e(tr('agreement'))}</h2>")
    decl = data.declarations[data.declarations["competition_id"] == competition_id]
    evaluators = _names(data.evaluators, "evaluator_id", "name", lang)
    out.append(_table([tr("evaluator"), tr("name"), tr("declared"), tr("no_conflict")],
                      [[Id(r.evaluator_id), evaluators.get(r.evaluator_id, ""),
                        _date(r.signed, lang), _yes(bool(r.no_conflict), lang)]
                       for r in decl.itertuples()], ids={0, 2}))
    ag = ev.agreement[ev.agreement["competition_id"] == competition_id]
    if len(ag):
        a = ag.iloc[0]
        out.append(_table([tr("evaluators"), tr("units"), "Krippendorff α", Id("ICC(2,1)"),
                           tr("mean_spread"), tr("max_spread")],
                          [[int(a.n_evaluators), int(a.n_units), _n(a.alpha, lang, 2),
                            _n(a.icc, lang, 2), _n(a.mean_spread, lang, 2),
                            _n(a.max_spread, lang, 1)]], {0, 1, 2, 3, 4, 5}))

    sub = Evaluation(results=res, points=pts, weights=ev.weights, agreement=ev.agreement)
    sens = weight_sensitivity(sub, step=step)
    flips = minimal_flip(sub).set_index("lot_id")
    pct = format_percent(step, lang, 0)
    out.append(f"<h2>{_e(tr('sensitivity', step=pct))}</h2>")
    out.append(f"<p>{_e(tr('sensitivity_rule'))}</p>")
    for lid, g in sens.groupby("lot_id", sort=False):
        out.append(f'<h3>{_e(tr("lot"))} <span class="id">{_e(lid)}</span></h3>')
        rows = []
        for cr, gc in g.groupby("criterion_id", sort=False):
            down, up = gc[gc["change"] < 0].iloc[0], gc[gc["change"] > 0].iloc[0]

            def winner(r):
                return Id(r.winner_after + (" *" if r.changed else ""))
            rows.append([Id(cr), format_percent(down.weight_before, lang, 1),
                         format_percent(down.weight_after, lang, 1), winner(down),
                         format_percent(up.weight_after, lang, 1), winner(up)])
        out.append(_table([tr("criterion"), tr("weight"), tr("weight_minus", step=pct),
                           tr("winner"), tr("weight_plus", step=pct), tr("winner")], rows,
                          {1, 2, 4}, {0, 3, 5}))
        if g["changed"].any():
            out.append(f"<p>{_e(tr('changed_note'))}</p>")
    for lid, r in flips.iterrows():
        if isinstance(r.criterion_id, str):
            text = tr("flip", lot="\x00lot", criterion=crit_names.get(r.criterion_id,
                                                                        r.criterion_id),
                      before=format_percent(r.weight_before, lang, 1),
                      after=format_percent(r.weight_after, lang, 1),
                      relative=format_percent(r.change_relative, lang, 1), winner="\x00win")
        else:
            text = tr("no_flip", lot="\x00lot")
        safe = _e(text)
        for mark, value in (("\x00lot", lid), ("\x00win", r.new_winner)):
            safe = safe.replace(mark, _e(Id(value)) if isinstance(value, str) else "")
        out.append(f"<p>{safe}</p>")

    out.append(f"<h2>{_e(tr('award'))}</h2>")
    aw = data.awards[data.awards["lot_id"].isin(lots["lot_id"])]
    app_ngo = data.applications.set_index("application_id")["ngo_id"]
    out.append(_table([tr("lot"), tr("application"), tr("ngo"), tr("date"), tr("value"),
                       tr("status")],
                      [[Id(r["lot_id"]), Id(r["application_id"]),
                        ngo.get(app_ngo.get(r["application_id"]), ""), _date(r["date"], lang),
                        _n(r["value"], lang, 2), tr(f"status_{r['status']}")]
                       for r in aw.to_dict("records")], {4}, {0, 1, 3}))
    for r in aw.to_dict("records"):
        complaint = local_text(r, "complaint", lang)
        if complaint:
            out.append(f'<p><b>{_e(tr("complaint"))}</b> (<span class="id">'
                       f'{_e(r["lot_id"])}</span>): {_e(complaint)}</p>')
    out.append(_synthetic(data, lang))
    return title, "\n".join(out)


def _period(period: object, lang: str) -> str:
    """A period of the schedule (``2025-Q2``, ``2025-05``, ``2025``) for ``lang``."""
    from ..i18n import format_period

    return format_period(str(period).replace("-Q", "Q"), lang)


def monitoring_report_html(data: ContractingData, contract_id: str, lang: str = "en",
                           rules: FlagRules | None = None) -> tuple[str, str]:
    """``(title, body HTML)`` of the monitoring report of one contract."""
    from ..disclosure import publish

    tr = lambda key, **kw: t(f"contracting.pdf.{key}", lang, **kw)  # noqa: E731
    con = data.contracts.set_index("contract_id").loc[contract_id]
    aw = data.awards.set_index("award_id").loc[con.award_id]
    ngo_id = data.applications.set_index("application_id").at[aw.application_id, "ngo_id"]
    ngo = local_text(data.ngos.set_index("ngo_id").loc[ngo_id], "name", lang)
    lot = data.lots.set_index("lot_id").loc[aw.lot_id]
    comp = data.competitions.set_index("competition_id").loc[lot.competition_id]
    title = tr("monitoring_title", contract=contract_id)
    progress, flags = monitoring_flags(data, rules)
    prog = publish(progress[progress["contract_id"] == contract_id],
                   counts=["clients_planned", "clients", "respondents"])
    fl = flags[flags["contract_id"] == contract_id]
    out = [f'<h1>{_e(tr("monitoring_heading"))} <span class="id">{_e(contract_id)}</span>'
           "</h1>",
           _facts([(tr("ngo"), ngo),
                   (tr("lot"), Html(f"{_e(Id(aw.lot_id))}: {_e(local_text(lot, 'title', lang))}")),
                   (tr("period_contract"),
                    f"{_date(con.start, lang)} – {_date(con.end, lang)}"),
                   (tr("value"), f"{_n(con.value, lang, 2)} {comp.currency}"),
                   (tr("volume"), tr("volume_text", hours=_n(con.hours, lang, 0),
                                     visits=_n(con.visits, lang, 0),
                                     clients=_n(con.clients, lang, 0)))]),
           f"<h2>{_e(tr('delivery'))}</h2>",
           _table([tr("period"), tr("hours_planned"), tr("hours_delivered"), tr("visits_planned"),
                   tr("visits_delivered"), tr("clients"), tr("cumulative_ratio")],
                  [[_period(r.period, lang), _n(r.hours_planned, lang, 0), _n(r.hours, lang, 0),
                    _n(r.visits_planned, lang, 0), _n(r.visits, lang, 0),
                    _n(r.clients, lang, 0),
                    format_percent(min(r.hours_ratio, r.visits_ratio), lang, 0)
                    if pd.notna(r.hours_ratio) else "–"] for r in prog.itertuples()],
                  {1, 2, 3, 4, 5, 6}, {0}),
           f"<h2>{_e(tr('payments'))}</h2>",
           _table([tr("period"), tr("payment_planned"), tr("paid"), tr("paid_share"),
                   tr("delivered_share")],
                  [[_period(r.period, lang), _n(r.payment_planned, lang, 2), _n(r.paid, lang, 2),
                    format_percent(r.paid_share, lang, 0),
                    format_percent(r.delivered_share, lang, 0)] for r in prog.itertuples()],
                  {1, 2, 3, 4}, {0}),
           f"<h2>{_e(tr('quality'))}</h2>",
           _table([tr("period"), tr("quality_score"), tr("quality_min"), tr("satisfaction"),
                   tr("respondents")],
                  [[_period(r.period, lang), _n(r.quality_score, lang, 0),
                    _n(r.quality_min, lang, 0), _n(r.satisfaction, lang, 1),
                    _n(r.respondents, lang, 0)] for r in prog.itertuples()],
                  {1, 2, 3, 4}, {0}),
           f"<h2>{_e(tr('flags'))}</h2>"]
    if len(fl):
        order = {f: i for i, f in enumerate(FLAGS)}
        out.append(_table([tr("period"), tr("flag"), tr("flag_value"), tr("threshold")],
                          [[_period(r.period, lang), t(f"contracting.flags.{r.flag}", lang),
                            _n(r.value, lang, 2), _n(r.threshold, lang, 2)]
                           for r in sorted(fl.itertuples(), key=lambda r: (r.period,
                                                                           order[r.flag]))],
                          {2, 3}, {0}))
    else:
        out.append(f"<p>{_e(t('contracting.cli.no_flags', lang))}</p>")
    out.append(_synthetic(data, lang))
    return title, "\n".join(out)


def overview_html(data: ContractingData, lang: str = "en", rules: FlagRules | None = None
                  ) -> tuple[str, str]:
    """``(title, body HTML)`` of the regional overview of every contract of a region-year.

    Per contract: the organisation, the value, delivery against plan and the share paid to
    date (the latest period with a return), and every deviation flagged; per organisation the
    money flows, applied for → awarded → contracted → disbursed (:func:`money_flows`).
    """
    from .monitor import money_flows

    tr = lambda key, **kw: t(f"contracting.pdf.{key}", lang, **kw)  # noqa: E731
    to = lambda key, **kw: t(f"contracting.overview.{key}", lang, **kw)  # noqa: E731
    regions = list(dict.fromkeys(local_text(r, "region", lang)
                                 for r in data.customers.to_dict("records")))
    region = ", ".join(regions)
    title = to("title", region=region)
    from .pipeline import contract_status

    status = contract_status(data, rules)
    ngo = _names(data.ngos, "ngo_id", "name", lang)
    currency = ", ".join(sorted(set(data.competitions["currency"])))
    con = data.contracts
    latest = status["latest"].dropna()
    flagged = int((status["flags"].map(len) > 0).sum())
    out = [f"<h1>{_e(to('heading'))}</h1>", f"<p><b>{_e(region)}</b></p>",
           _facts([(to("contracts_n"), _n(len(con), lang, 0)),
                   (to("flagged_n"), _n(flagged, lang, 0)),
                   (to("contracted"), f"{_n(con['value'].sum(), lang, 2)} {currency}"),
                   (to("disbursed"), f"{_n(data.payments['amount'].sum(), lang, 2)} {currency}"),
                   (to("to_date"), _period(latest.max(), lang) if len(latest) else "–")]),
           f"<h2>{_e(to('contracts'))}</h2>"]
    rows = []
    for r in status.itertuples():
        marks = "; ".join(
            f"{t('contracting.flags.' + flag, lang)} "
            f"({', '.join(_period(p, lang) for p in periods)})"
            for flag, periods in r.flags)
        rows.append([Id(r.contract_id), ngo.get(r.ngo_id, r.ngo_id), _n(r.value, lang, 2),
                     "–" if r.latest is None or pd.isna(r.latest)
                     else format_percent(r.delivered, lang, 0),
                     format_percent(r.paid_share if r.value else None, lang, 0),
                     marks or to("none")])
    out.append(_table([to("contract"), tr("ngo"), tr("value"), to("delivered"),
                       tr("paid_share"), tr("flags")], rows, {2, 3, 4}, {0}))
    out.append(f"<h2>{_e(to('money_flows'))}</h2>")
    flows = money_flows(data)
    flows = flows[flows["applications"] > 0]
    out.append(_table([tr("ngo"), to("applications"), to("applied_for"), to("awarded"),
                       to("disbursed")],
                      [[ngo.get(r.ngo_id, r.ngo_id), _n(r.applications, lang, 0),
                        _n(r.applied_for, lang, 2), _n(r.awarded, lang, 2),
                        _n(r.disbursed, lang, 2)] for r in flows.itertuples()],
                      {1, 2, 3, 4}))
    out.append(_synthetic(data, lang))
    return title, "\n".join(out)


def competition_titles(data: ContractingData, lang: str = "en") -> dict[str, str]:
    """``{competition_id: title}`` for a reader of ``lang``.

    Readers of Belarus' local languages (Russian, Belarusian:
    :func:`socialkit.i18n.reads_local_names`) get the competition's own title
    (:func:`local_text`); a competition is announced in those languages only, so other readers
    get a title made of its first lot's service in their language, the customer's district and
    the year (``contracting.title``).

    >>> from socialkit.contracting.demo import generate_region_year
    >>> d = generate_region_year("homel", 2025)
    >>> competition_titles(d, "en")["hom-2025-c01"]
    'Care at home by a carer (medical and social care): Homel, 2025'
    """
    from ..i18n import reads_local_names
    from .model import COUNTRY

    comps = data.competitions
    if reads_local_names(lang, COUNTRY):
        return {r["competition_id"]: local_text(r, "title", lang)
                for r in comps.to_dict("records")}
    service = data.lots.drop_duplicates("competition_id").set_index("competition_id")[
        "order_id"].map(data.orders.set_index("order_id")["service_type"])
    district = comps.set_index("competition_id")["customer_id"].map(
        data.customers.set_index("customer_id")["district"])
    return {r["competition_id"]: t("contracting.title", lang,
                                   service=code_text("services",
                                                     service.get(r["competition_id"]), lang),
                                   district=district.get(r["competition_id"]) or "",
                                   year=str(r["published"])[:4])
            for r in comps.to_dict("records")}

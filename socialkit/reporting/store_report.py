"""The store report: one PDF per municipality (its centre for social work, providers and
residential institutions) and one for the province, from the accepted records of the
provincial data system (issue 17).

The tables come from :func:`socialkit.protection.overview.overview` (counts already through
:mod:`socialkit.disclosure`; domestic violence through ``dv_tables``); this module only words
them for the reader — every text from :mod:`socialkit.i18n` (domain ``entry``, keys
``entry.report.*``), field labels from the forms themselves, institution names in the reader's
script — and lays out print HTML with the suite's ``report.css`` through WeasyPrint
(:func:`~socialkit.reporting.render.html_to_pdf`), like the professionals' and contracting
PDFs. Every value from the store is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from ..disclosure import suppression_note
from ..forms import form_path, load_form
from ..i18n import display_name, format_date, format_number, format_percent, format_period, t
from ..i18n.translit import to_latin
from ..protection.overview import Overview
from .render import _base_css, _css_page_of, _css_string, html_to_pdf

__all__ = ["store_report_html", "store_report_pdf"]

_E = html.escape


def _tt(key: str, lang: str, **kw) -> str:
    return t(f"entry.report.{key}", lang, **kw)


def _name(names: dict[str, str], iid: str, lang: str, prefix: str = "") -> str:
    """An institution's name (stored in the country's script) in the reader's script, without
    ``prefix`` (the words every centre's name starts with, in a column that names them)."""
    local = names.get(iid, iid)
    if prefix and local.startswith(prefix) and len(local) > len(prefix):
        local = local[len(prefix):]
    return display_name({"country": "RS", "name": to_latin(local), "name_local": local}, lang)


def _common_prefix(values: list[str]) -> str:
    """The whole words all ``values`` start with ("Центар за социјални рад ")."""
    if len(values) < 2:
        return ""
    words = [v.split(" ") for v in values]
    out = []
    for group in zip(*words, strict=False):
        if len(set(group)) != 1:
            break
        out.append(group[0])
    return " ".join(out) + " " if out else ""


def _n(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return t("passport.suppressed", lang)
    return format_number(float(value), lang)


def _p(value, lang: str, decimals: int = 0) -> str:
    if value is None or pd.isna(value):
        return "–"
    return format_percent(float(value), lang, decimals)


def _r(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return format_number(float(value), lang, 1)


def _table(head: list[str], rows: list[list[str]], num_from: int = 1, cls: str = "") -> str:
    th = "".join(f'<th class="{"num" if i >= num_from else ""}">{_E(h)}</th>'
                 for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(
        f'<td class="{"num" if i >= num_from else ""}">{c}</td>' for i, c in enumerate(r))
        + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def _keep(*parts: str) -> str:
    """Parts kept on one page (a heading with its table)."""
    return '<div class="keep">' + "".join(parts) + "</div>"


def _mark(flag, text: str) -> str:
    return f"<b>{text} ▲</b>" if flag is True or (flag is not None and not pd.isna(flag)
                                                  and bool(flag)) else text


def _providers(ov: Overview, names, lang: str) -> str:
    form = load_form(form_path("providers"))
    year = ov.periods["providers"]
    parts = [f"<h2>{_E(_tt('providers_title', lang))}</h2>"]
    if year is None:
        return parts[0] + f"<p>{_E(_tt('no_records', lang))}</p>"
    parts.append(f"<p>{_E(_tt('providers_intro', lang, year=year, n=len(ov.providers)))}</p>")
    if ov.providers.empty:
        parts.append(f"<p>{_E(_tt('no_records', lang))}</p>")
    elif ov.municipality_id is None:
        frame = ov.providers.groupby("municipality_id", sort=True).agg(
            providers=("institution_id", "size"), capacity=("capacity", "sum"),
            users=("users", lambda s: s.sum(min_count=1) if s.notna().all() else pd.NA),
            waiting=("waiting_list",
                     lambda s: s.sum(min_count=1) if s.notna().all() else pd.NA)).reset_index()
        csw_of = names.get("_csw_of", {})
        prefix = names.get("_csw_prefix", "")
        rows = [[_E(_name(names, csw_of.get(m, m), lang, prefix)),
                 _n(r.providers, lang), _n(r.capacity, lang), _n(r.users, lang),
                 _n(r.waiting, lang)]
                for m, r in zip(frame["municipality_id"], frame.itertuples(), strict=True)]
        parts.append(_table([_tt("col_csw_area", lang), _tt("col_providers", lang),
                             _tt("col_capacity", lang), _tt("col_users", lang),
                             _tt("col_waiting", lang)], rows, cls="wide"))
    else:
        rows = [[_E(_name(names, r.institution_id, lang)),
                 _E(", ".join(form.choice_label("services_offered", c, lang)
                              for c in r.services)),
                 _n(r.capacity, lang), _n(r.users, lang), _p(r.utilisation, lang),
                 _n(r.waiting_list, lang)] for r in ov.providers.itertuples()]
        parts.append(_table([_tt("col_provider", lang), _tt("col_services", lang),
                             _tt("col_capacity", lang), _tt("col_users", lang),
                             _tt("col_utilisation", lang), _tt("col_waiting", lang)],
                            rows, num_from=2, cls="wide providers"))
    cov_head = f"<h3>{_E(_tt('coverage_title', lang))}</h3>"
    here = ov.municipality_id is not None
    rows = []
    for r in ov.coverage.itertuples():
        row = [_E(form.choice_label("services_offered", r.service, lang)),
               _E(_tt("of", lang, n=format_number(r.municipalities, lang),
                      of=format_number(r.of, lang)))]
        if here:
            row.append(_E(t("core.yes", lang) if r.here else t("core.no", lang)))
        rows.append(row)
    head = [_tt("col_service", lang), _tt("col_municipalities", lang)]
    if here:
        head.append(_tt("col_here", lang))
    parts.append(_keep(cov_head, _table(head, rows, cls="coverage")))
    return "\n".join(parts)


def _csw(ov: Overview, names, lang: str, province: Overview | None) -> str:
    q = ov.periods["csw"]
    b = ov.benchmarks.csw
    parts = [f"<h2>{_E(_tt('csw_title', lang))}</h2>"]
    if q is None:
        return parts[0] + f"<p>{_E(_tt('no_records', lang))}</p>"
    parts.append(f"<p>{_E(_tt('csw_intro', lang, quarter=format_period(q, lang), benchmark=format_number(b.cases_per_manager, lang), vacancy=format_percent(b.vacancy_rate, lang)))}</p>")
    head = [_tt("col_csw", lang), _tt("col_staff", lang), _tt("col_managers", lang),
            _tt("col_active", lang), _tt("col_per_manager", lang), _tt("col_positions", lang),
            _tt("col_vacancies", lang), _tt("col_vacancy_rate", lang)]
    prefix = names.get("_csw_prefix", "") if ov.municipality_id is None else ""
    rows = [[_E(_name(names, r.institution_id, lang, prefix)), _n(r.staff, lang),
             _n(r.case_managers, lang), _n(r.active_cases, lang),
             _mark(r.over_benchmark, _r(r.cases_per_manager, lang)), _n(r.positions, lang),
             _n(r.vacancies, lang), _mark(r.over_vacancy, _p(r.vacancy_rate, lang))]
            for r in ov.csw.itertuples()]
    parts.append(_table(head, rows, cls="wide csw"))
    over = int(ov.csw["over_benchmark"].fillna(False).sum())
    parts.append(f"<p class='note'>{_E(_tt('csw_marks', lang, over=format_number(over, lang), n=format_number(len(ov.csw), lang)))}</p>")
    trend_head = f"<h3>{_E(_tt('trend_title', lang))}</h3>"
    head = [_tt("col_quarter", lang), _tt("col_centres", lang), _tt("col_active", lang),
            _tt("col_managers", lang), _tt("col_per_manager", lang),
            _tt("col_vacancies", lang), _tt("col_vacancy_rate", lang)]
    prov_trend = (province.csw_trend.set_index("period") if province is not None else None)
    if prov_trend is not None:
        head.append(_tt("col_province_per_manager", lang))
    rows = []
    for r in ov.csw_trend.itertuples():
        row = [_E(format_period(r.period, lang)), _n(r.centres, lang), _n(r.active_cases, lang),
               _n(r.case_managers, lang),
               _mark(bool(r.cases_per_manager > b.cases_per_manager)
                     if pd.notna(r.cases_per_manager) else None,
                     _r(r.cases_per_manager, lang)),
               _n(r.vacancies, lang), _p(r.vacancy_rate, lang)]
        if prov_trend is not None:
            row.append(_r(prov_trend["cases_per_manager"].get(r.period), lang))
        rows.append(row)
    parts.append(_keep(trend_head, _table(head, rows, cls="trend")))
    return "\n".join(parts)


def _residential(ov: Overview, names, lang: str) -> str:
    form = load_form(form_path("residential"))
    year = ov.periods["residential"]
    parts = [f"<h2>{_E(_tt('residential_title', lang))}</h2>"]
    if year is None:
        return parts[0] + f"<p>{_E(_tt('no_residential', lang))}</p>"
    parts.append(f"<p>{_E(_tt('residential_intro', lang, year=year, rate=format_percent(ov.benchmarks.residential.occupancy_rate, lang)))}</p>")
    head = [_tt("col_institution", lang), _tt("col_kind", lang), _tt("col_places", lang),
            _tt("col_occupancy", lang), _tt("col_rate", lang), _tt("col_admissions", lang),
            _tt("col_discharges", lang), _tt("col_deaths", lang)]
    rows = [[_E(_name(names, r.institution_id, lang)),
             _E(form.choice_label("institution_kind", r.kind, lang) if isinstance(r.kind, str)
                else "–"),
             _n(r.capacity, lang), _n(r.occupancy, lang),
             _mark(r.near_capacity, _p(r.occupancy_rate, lang)), _n(r.admissions, lang),
             _n(r.discharges, lang), _n(r.deaths, lang)] for r in ov.residential.itertuples()]
    parts.append(_table(head, rows, num_from=2, cls="wide residential"))
    years_head = f"<h3>{_E(_tt('trend_years_title', lang))}</h3>"
    head = [_tt("col_year", lang), _tt("col_institutions", lang), _tt("col_places", lang),
            _tt("col_occupancy", lang),
            _tt("col_rate", lang), _tt("col_admissions", lang), _tt("col_discharges", lang),
            _tt("col_deaths", lang)]
    rows = [[_E(str(r.period)), _n(r.institutions, lang), _n(r.capacity, lang),
             _n(r.occupancy, lang),
             _p(r.occupancy_rate, lang), _n(r.admissions, lang), _n(r.discharges, lang),
             _n(r.deaths, lang)] for r in ov.residential_trend.itertuples()]
    parts.append(_keep(years_head, _table(head, rows, cls="trend")))
    return "\n".join(parts)


def _dv(ov: Overview, lang: str) -> str:
    parts = [f"<h2>{_E(_tt('dv_title', lang))}</h2>"]
    if ov.dv is None:
        return parts[0] + f"<p>{_E(_tt('dv_no_right', lang))}</p>"
    if ov.dv.victims.empty:
        return parts[0] + f"<p>{_E(_tt('no_records', lang))}</p>"
    periods = sorted(ov.dv.victims["period"].unique())
    form = load_form(form_path("domestic_violence"))
    qh = [format_period(p, lang) for p in periods]

    def grid(frame: pd.DataFrame, key: str, value: str, order: list[str]) -> list[list[str]]:
        rows = []
        for k in order:
            part = frame[frame[key] == k].set_index("period")[value]
            label = form.label(k, lang) if k != "total" else form.label("victims_total", lang)
            rows.append([_E(label), *[_n(part.get(p), lang) for p in periods]])
        return rows

    v = ov.dv.victims
    rows = []
    for dim, cats in (("sex", ["victims_female", "victims_male"]),
                      ("age", ["victims_age_0_17", "victims_age_18_29", "victims_age_30_64",
                               "victims_age_65"]),
                      ("relation", ["perpetrator_partner", "perpetrator_former_partner",
                                    "perpetrator_family", "perpetrator_other"])):
        rows += grid(v[v["dimension"] == dim], "category", "victims", cats)
    rows = grid(v[v["dimension"] == "sex"], "category", "victims", ["total"]) + rows
    if ov.dv_trend is not None:
        centres = ov.dv_trend.set_index("period")["centres"]
        rows.insert(0, [_E(_tt("col_centres", lang)),
                        *[_n(centres.get(p), lang) for p in periods]])
    parts = [_keep(parts[0], f"<p>{_E(_tt('dv_intro', lang))}</p>",
                   f"<h3>{_E(_tt('dv_victims', lang))}</h3>",
                   _table([_tt("col_victims", lang), *qh], rows, cls="wide dv"))]
    f = ov.dv.forms
    parts.append(_keep(f"<h3>{_E(_tt('dv_forms', lang))}</h3>",
                       _table([_tt("col_form_of_violence", lang), *qh],
                              grid(f, "field", "count", list(dict.fromkeys(f["field"]))),
                              cls="wide dv")))
    m = ov.dv.measures
    parts.append(_keep(f"<h3>{_E(_tt('dv_measures', lang))}</h3>",
                       _table([_tt("col_measure", lang), *qh],
                              grid(m, "field", "count", list(dict.fromkeys(m["field"]))),
                              cls="wide dv")))
    return "\n".join(parts)


def _page(title: str, body: str, lang: str, footer: str) -> str:
    box = 'font-family: "DejaVu Sans", sans-serif; font-size: 7.5pt; color: #555;'
    css = f"""
@page {{ size: A4; margin: 17mm 17mm 16mm 17mm;
  @top-left {{ content: {_css_string(title)}; {box} vertical-align: bottom; padding-bottom: 2mm; }}
  @bottom-left {{ content: {_css_string(footer)}; {box} vertical-align: top; padding-top: 2mm; }}
  @bottom-right {{ content: {_css_page_of(lang)}; {box} vertical-align: top; padding-top: 2mm; }}
}}
h1 {{ font-size: 15pt; }}
h2 {{ font-size: 12pt; margin-top: 6mm; }}
h3 {{ font-size: 10.5pt; margin: 3mm 0 1.5mm 0; }}
table {{ width: 100%; font-size: 8pt; }}
th, td {{ padding: 0.8mm 1.5mm; overflow-wrap: break-word; hyphens: auto; }}
thead th {{ hyphens: manual; vertical-align: bottom; }}
td.num {{ white-space: nowrap; }} th.num {{ white-space: normal; }}
table.coverage {{ width: 75%; }}
table.trend {{ width: 85%; }}
table.dv td:first-child {{ width: 45%; }}
table.csw th:first-child {{ width: 22%; }}
table.providers td:nth-child(2) {{ width: 30%; }}
div.keep {{ break-inside: avoid; }}
h2, h3, h2 + p {{ break-after: avoid; }}  /* a heading and its intro stay with what follows */
ul.key li {{ margin-bottom: 1mm; }}
p.note {{ font-size: 8pt; color: #555; }}
"""
    return (f'<!DOCTYPE html><html lang="{_E(lang)}"><head><meta charset="utf-8">'
            f"<title>{_E(title)}</title><style>{_base_css()}{css}</style></head>"
            f'<body><main class="report">{body}</main></body></html>')


def _key_figures(ov: Overview, lang: str) -> list[str]:
    out = []
    if len(ov.csw_trend):
        last = ov.csw_trend.iloc[-1]
        out.append(_tt("key_workload", lang, quarter=format_period(last["period"], lang),
                       value=_r(last["cases_per_manager"], lang),
                       benchmark=format_number(ov.benchmarks.csw.cases_per_manager, lang)))
        out.append(_tt("key_vacancies", lang, value=_n(last["vacancies"], lang),
                       rate=_p(last["vacancy_rate"], lang)))
    if len(ov.residential_trend):
        last = ov.residential_trend.iloc[-1]
        out.append(_tt("key_occupancy", lang, year=str(last["period"]),
                       occupancy=_n(last["occupancy"], lang), places=_n(last["capacity"], lang),
                       rate=_p(last["occupancy_rate"], lang)))
    if ov.dv_trend is not None and len(ov.dv_trend):
        last = ov.dv_trend.iloc[-1]
        out.append(_tt("key_dv", lang, quarter=format_period(last["period"], lang),
                       value=_n(last.get("total"), lang)))
    if len(ov.providers):
        out.append(_tt("key_providers", lang, n=format_number(len(ov.providers), lang),
                       users=_n(ov.providers["users"].sum(min_count=1)
                                if ov.providers["users"].notna().all() else pd.NA, lang)))
    return out


def store_report_html(ov: Overview, institutions: pd.DataFrame, lang: str, *,
                      province: Overview | None = None, as_of: dt.date | None = None) -> str:
    """The print HTML of the report of ``ov`` (:func:`~socialkit.protection.overview
    .overview`); ``institutions``: the store's (id, kind, name, municipality); ``province``:
    the province's overview, for comparison in a municipality's report."""
    as_of = as_of or dt.date.today()
    names: dict = dict(zip(institutions["institution_id"], institutions["name"], strict=True))
    csws = institutions[institutions["kind"] == "csw"]
    names["_csw_of"] = dict(zip(csws["municipality_id"], csws["institution_id"], strict=True))
    names["_csw_prefix"] = _common_prefix(csws["name"].astype(str).tolist())
    if ov.municipality_id is None:
        unit = _tt("province", lang, n=format_number(ov.municipalities, lang))
    else:
        csw = ov.csw["institution_id"].iloc[0] if len(ov.csw) else ov.municipality_id
        unit = _name(names, csw, lang)
    title = _tt("title", lang)
    day = format_date(as_of, lang)
    # a sentence ending in the suppression mark ("suppr.") keeps one full stop
    key = "".join(f"<li>{_E(k.replace('..', '.'))}</li>" for k in _key_figures(ov, lang))
    body = [f"<h1>{_E(title)}</h1>",
            f"<p><b>{_E(unit)}</b></p>",
            f"<p>{_E(_tt('subtitle', lang, date=day))}</p>",
            f"<h2>{_E(_tt('key_title', lang))}</h2>", f'<ul class="key">{key}</ul>',
            f"<p class='note'>{_E(_tt('accepted_only', lang))} "
            f"{_E(suppression_note(lang))} {_E(_tt('marks', lang))}</p>",
            _csw(ov, names, lang, province),
            _providers(ov, names, lang),
            _residential(ov, names, lang),
            _dv(ov, lang),
            f"<p class='note'>{_E(_tt('benchmarks_note', lang))}</p>"]
    footer = f"{unit} · {t('reporting.generated', lang, date=day)}"
    return _page(f"{title} · {unit}", "\n".join(body), lang, footer)


def store_report_pdf(*args, **kwargs) -> bytes:
    """:func:`store_report_html` as PDF bytes."""
    return html_to_pdf(store_report_html(*args, **kwargs))

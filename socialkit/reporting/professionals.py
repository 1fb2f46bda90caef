"""PDFs of the registry of professionals: a certificate per participation, and per institution a
report on training coverage and compliance.

Built as print HTML (the suite's ``report.css``: DejaVu Sans, so Serbian Cyrillic and Latin
with č ć đ š ž print correctly) and laid out by WeasyPrint through :func:`.render.html_to_pdf`.
Every text comes from :mod:`socialkit.i18n` (domain ``professionals``); every value from the
registry is HTML-escaped. Serbian is written in Cyrillic (the Latin script is derived by
transliteration where the suite provides it).
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from .. import __version__
from ..i18n import display_name, format_date, format_number, format_percent, t, tn
from ..professionals.display import label
from .render import _base_css, _css_page_of, _css_string, html_to_pdf

__all__ = ["certificate_html", "certificate_pdf", "institution_report_html",
           "institution_report_pdf"]

_E = html.escape


def _d(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return format_date(pd.Timestamp(value).date(), lang)


def _page(body: str, lang: str, header: str, footer: str) -> str:
    box = 'font-family: "DejaVu Sans", sans-serif; font-size: 7.5pt; color: #555;'
    css = f"""
@page {{ size: A4; margin: 20mm 18mm 18mm 18mm;
  @top-left {{ content: {_css_string(header)}; {box} }}
  @bottom-left {{ content: {_css_string(footer)}; {box} }}
  @bottom-right {{ content: {_css_page_of(lang)}; {box} }} }}
.cert {{ border: 1.2pt solid #0b3d6b; padding: 14mm 14mm 10mm; margin-top: 10mm; }}
.cert h1 {{ text-align: center; font-size: 20pt; margin-bottom: 10mm; }}
.cert .name {{ text-align: center; font-size: 18pt; font-weight: bold; margin: 4mm 0 6mm; }}
.cert .programme {{ text-align: center; font-size: 13pt; margin: 3mm 0 8mm; color: #0b3d6b; }}
.cert .lead {{ text-align: center; font-size: 11pt; margin: 0; }}
.cert dl {{ display: grid; grid-template-columns: 45mm auto; row-gap: 2mm; margin: 6mm 0; }}
.cert dt {{ font-weight: bold; color: #555; }}
.cert dd {{ margin: 0; }}
.cert .points {{ font-size: 16pt; font-weight: bold; color: #0b3d6b; }}
.cert .small {{ font-size: 8pt; color: #555; margin-top: 8mm; }}
.note {{ font-size: 8pt; color: #555; }}
table.wide {{ width: 100%; }}
"""
    return (f'<!DOCTYPE html><html lang="{_E(lang)}"><head><meta charset="utf-8">'
            f"<style>{_base_css()}{css}</style></head><body>{body}</body></html>")


def certificate_html(record: pd.Series | dict, lang: str, rules_source: str = "") -> str:
    """The print HTML of one certificate (a row of
    :func:`~socialkit.professionals.display.certificate_records`)."""
    r = dict(record)
    role = label("roles", r["role"], lang)
    if bool(r.get("accredited")):
        acc = t("professionals.certificate.accreditation_text", lang,
                number=_E(str(r["accreditation_number"])),
                start=_d(r["accredited_from"], lang), end=_d(r["accredited_to"], lang))
    else:
        acc = t("professionals.certificate.not_accredited", lang)
    title = display_name(r, lang, "title")
    place = (t("professionals.certificate.online", lang) if bool(r.get("online"))
             else _E(str(r.get("place") or "–")))
    rows = [
        (t("professionals.certificate.date", lang), _d(r["date"], lang)),
        (t("professionals.certificate.place", lang), place),
        (t("professionals.certificate.accreditation", lang), acc),
        (t("professionals.certificate.hours", lang),
         format_number(r.get("hours"), lang, 0) if pd.notna(r.get("hours")) else "–"),
        (t("professionals.certificate.points_label", lang),
         f'<span class="points">{_E(tn("professionals.certificate.points", int(r["points"]), lang))}'
         "</span>"),
    ]
    dl = "".join(f"<dt>{_E(k)}</dt><dd>{v}</dd>" for k, v in rows)
    extra = _E(t("professionals.certificate.rule", lang, rule_set=r["rule_set"],
                 source=rules_source or "training_points.yaml"))
    if isinstance(r.get("licence_number"), str):
        extra += "<br>" + _E(t("professionals.certificate.licence", lang,
                                number=r["licence_number"],
                                end=_d(r["licence_valid_to"], lang)))
    body = f"""<div class="cert">
<h1>{_E(t("professionals.certificate.title", lang))}</h1>
<p class="lead">{_E(t("professionals.certificate.certify", lang))}</p>
<p class="name">{_E(f"{r['given_name']} {r['surname']}")}</p>
<p class="lead">{_E(t("professionals.certificate.took_part", lang))}</p>
<p class="programme">{_E(str(title))}</p>
<p class="lead">{_E(t("professionals.certificate.as_role", lang, role=role))}</p>
<dl>{dl}</dl>
<p class="small">{extra}<br>{_E(str(r["participation_id"]))} · socialkit {_E(__version__)}</p>
</div>"""
    return _page(body, lang, t("professionals.certificate.title", lang), str(r["participation_id"]))


def certificate_pdf(record: pd.Series | dict, lang: str, rules_source: str = "") -> bytes:
    """One certificate as PDF bytes."""
    return html_to_pdf(certificate_html(record, lang, rules_source))


def _table(frame: pd.DataFrame, num: set[str]) -> str:
    head = "".join(f'<th class="{"num" if c in num else ""}">{_E(str(c))}</th>'
                   for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f'<td class="{"num" if c in num else ""}">{_E(str(v))}</td>'
                         for c, v in zip(frame.columns, row, strict=True)) + "</tr>"
        for row in frame.itertuples(index=False))
    return f"<table class=\"wide\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def institution_report_html(institution: str, as_of: str, coverage: pd.DataFrame,
                            short: pd.DataFrame, names: dict[str, str], required: int,
                            lang: str, province: bool = False) -> str:
    """The coverage-and-compliance report of one institution (``province=True``: every
    institution's coverage row; the list of names is then left out).

    ``coverage`` is :func:`~socialkit.professionals.display.coverage` (already published:
    small counts blank); ``short`` the compliance list cut to what the reader may see.
    """
    day = format_date(dt.date.fromisoformat(str(as_of)[:10]), lang)
    title = t("professionals.report.title", lang)
    cov = coverage if province else coverage[coverage["institution_id"] == institution]
    shown = pd.DataFrame({
        t("professionals.columns.institution", lang):
            cov["institution_id"].map(lambda i: t("professionals.report.province", lang)
                                      if i == "*" else names.get(i, i)),
        t("professionals.report.staff", lang): cov["staff"].map(lambda v: format_number(v, lang)),
        t("professionals.report.trained", lang):
            cov["trained"].map(lambda v: format_number(v, lang)),
        t("professionals.report.trained_share", lang):
            cov["trained_share"].map(lambda v: format_percent(v, lang)),
        t("professionals.report.median_points", lang):
            cov["median_points"].map(lambda v: format_number(v, lang)),
        t("professionals.report.short", lang): cov["short"].map(lambda v: format_number(v, lang)),
    })
    num = set(shown.columns[1:])
    parts = [f"<h1>{_E(title)}</h1>",
             f"<p>{_E(t('professionals.report.subtitle', lang, institution=names.get(institution, institution) if not province else t('professionals.report.province', lang), date=day))}</p>",
             f"<h2>{_E(t('professionals.report.coverage', lang))}</h2>",
             f"<p>{_E(t('professionals.report.coverage_intro', lang, date=day))}</p>",
             _table(shown, num),
             f"<p class='note'>{_E(t('professionals.report.suppressed_note', lang))}</p>"]
    if not province:
        parts += [f"<h2>{_E(t('professionals.report.compliance', lang))}</h2>",
                  f"<p>{_E(t('professionals.report.compliance_intro', lang, required=required))}</p>"]
        if short.empty:
            parts.append(f"<p>{_E(t('professionals.report.none_short', lang))}</p>")
        else:
            from ..professionals.display import localise

            cols = [c for c in ("surname", "given_name", "licence_type", "valid_to", "earned",
                                "planned", "shortfall", "status", "act_by") if c in short]
            loc = localise(short[cols], lang)
            parts.append(_table(loc, {t(f"professionals.columns.{c}", lang)
                                      for c in ("earned", "planned", "shortfall")}))
    footer = t("reporting.generated", lang, date=day)
    return _page("\n".join(parts), lang, title, footer)


def institution_report_pdf(*args, **kwargs) -> bytes:
    """:func:`institution_report_html` as PDF bytes."""
    return html_to_pdf(institution_report_html(*args, **kwargs))

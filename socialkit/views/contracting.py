"""State social order page: the pipeline of orders and competitions, the providers (NGOs)
and delivery against plan, for the customers the signed-in user may see.

The data are the region-years in the folder ``$SOCIALKIT_CONTRACTING`` names
(:func:`socialkit.config.contracting_dir`) or, without it, the one the served catalog's
metadata ``contracting`` names (the Belarus demo's ``catalogs/belarus.yaml`` names
``catalogs/belarus_contracting``); the page is offered only when there is such a folder.
They are read once per process and kept while their files are unchanged. A customer (a district executive committee) is shown when the user's
scope lists its ``customer_id`` (``*`` shows every one); the restriction is applied on the
server, with :func:`socialkit.contracting.scope.for_customer`, before anything is computed.
No count of people is shown: hours, visits and money only.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import panel as pn

from .. import config
from .base import Page, alert, table, table_stylesheet

#: Contract ids stay on one line.
_NOWRAP_FIRST = ".panel-df tbody td:first-child { white-space: nowrap; }\n"

__all__ = ["ContractingPage", "contracting_data", "contracting_source"]


def contracting_source(data: object) -> Path | None:
    """Where the contracting page reads from: ``$SOCIALKIT_CONTRACTING``, else the served
    catalog's metadata ``contracting`` (``data.contracting``)."""
    return config.contracting_dir() or getattr(data, "contracting", None)


def contracting_data(root: Path | None):
    """The combined region-years under ``root``, or ``None`` when there are none; memoised on
    the files' names, sizes and times."""
    from ..contracting.load import read_contracting_all, region_years
    from ..memo import memoised

    if root is None or not root.exists():
        return None
    folders = region_years(root)
    if not folders:
        return None
    stamp = tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns)
                  for d in folders for f in (sorted(d.iterdir()) if d.is_dir() else [d]))
    return memoised(("views.contracting", str(root), stamp),
                    lambda: read_contracting_all(root))


class ContractingPage(Page):
    """Orders and competitions, providers, delivery against plan."""

    page_id = "contracting"
    requires = ("socialkit.contracting",)
    needs_municipality = False

    @classmethod
    def offered(cls, data: object) -> bool:
        return contracting_source(data) is not None

    def render(self) -> pn.viewable.Viewable:
        from ..contracting.scope import for_customer

        state = self.state
        tr = state.tr
        data = contracting_data(contracting_source(state.data))
        if data is None:
            return alert(tr("views.contracting.none"), "info")
        customers = list(data.customers["customer_id"].astype(str))
        allowed = state.scope.allowed
        visible = customers if allowed is None else [c for c in customers if c in allowed]
        if not visible:
            return alert(tr("views.contracting.no_customers"), "info")
        data = for_customer(data, visible)
        return pn.Column(
            pn.pane.Markdown(self._summary(data), margin=(0, 10),
                             css_classes=["sk-contracting-summary"]),
            self.sections([
                (tr("views.contracting.pipeline"), lambda: self._pipeline(data)),
                (tr("views.contracting.providers"), lambda: self._providers(data)),
                (tr("views.contracting.delivery"), lambda: self._delivery(data)),
            ]), sizing_mode="stretch_width")

    def _money(self, value: float, currency: str) -> str:
        from ..i18n import format_money

        return format_money(value, currency, self.state.lang)

    def _summary(self, data) -> str:
        currency = ", ".join(sorted(set(data.competitions["currency"]))) or ""
        text = self.state.tr(
            "views.contracting.summary", competitions=len(data.competitions),
            customers=data.competitions["customer_id"].nunique(),
            contracted=self._money(float(data.contracts["value"].sum()), currency),
            disbursed=self._money(float(data.payments["amount"].sum()), currency))
        # a currency's short name may end the sentence with its own full stop ("руб.")
        return text[:-1] if text.endswith("..") and not text.endswith("...") else text

    def _pipeline(self, data) -> pn.viewable.Viewable:
        from ..contracting.display import competition_titles
        from ..contracting.model import local_text
        from ..contracting.pipeline import competition_pipeline
        from ..i18n import format_date, format_number, t

        state = self.state
        tr, lang = state.tr, state.lang
        pipe = competition_pipeline(data).iloc[::-1].reset_index(drop=True)  # newest first
        titles = competition_titles(data, lang)
        customer = {r["customer_id"]: local_text(r, "name", lang)
                    for r in data.customers.to_dict("records")}
        stage = [tr(f"views.contracting.stages.{s}")
                 + (f" · {tr('views.contracting.contested')}" if c else "")
                 for s, c in zip(pipe["stage"], pipe["contested"], strict=True)]
        shown = pd.DataFrame({
            tr("views.contracting.competition"): pipe["competition_id"].map(titles),
            t("contracting.pdf.customer", lang): pipe["customer_id"].map(customer),
            t("contracting.pdf.published", lang): pipe["published"].map(
                lambda d: format_date(pd.Timestamp(d).date(), lang, "medium").replace(" ", "\u00a0")),
            t("contracting.overview.applications", lang): pipe["applications"].map(
                lambda v: format_number(v, lang)),
            tr("views.contracting.stage"): stage,
            t("contracting.overview.awarded", lang): [
                self._money(v, c) for v, c in zip(pipe["awarded"], pipe["currency"],
                                                  strict=True)],
        })
        return table(shown, css_classes=["sk-contracting-pipeline"])

    def _providers(self, data) -> pn.viewable.Viewable:
        from ..contracting.model import code_text, local_text
        from ..contracting.pipeline import provider_registry
        from ..i18n import format_number, t

        state = self.state
        tr, lang = state.tr, state.lang
        reg = provider_registry(data)
        name = {r["ngo_id"]: local_text(r, "name", lang) for r in data.ngos.to_dict("records")}
        currency = ", ".join(sorted(set(data.competitions["currency"])))
        num = lambda v: format_number(v, lang)  # noqa: E731
        shown = pd.DataFrame({
            t("contracting.pdf.ngo", lang): reg["ngo_id"].map(name),
            tr("views.contracting.kind"): reg["kind"].map(
                lambda k: code_text("ngo_kinds", k, lang)),
            t("contracting.overview.applications", lang): reg["applications"].map(num),
            tr("views.contracting.awards"): reg["awards"].map(num),
            t("contracting.overview.applied_for", lang): reg["applied_for"].map(
                lambda v: self._money(v, currency)),
            t("contracting.overview.awarded", lang): reg["awarded"].map(
                lambda v: self._money(v, currency)),
            t("contracting.overview.disbursed", lang): reg["disbursed"].map(
                lambda v: self._money(v, currency)),
            tr("views.contracting.flagged"): reg["contracts_flagged"].map(num),
        })
        return table(shown, css_classes=["sk-contracting-providers"])

    def _delivery(self, data) -> pn.viewable.Viewable:
        from ..contracting.model import code_text, local_text
        from ..contracting.pipeline import contract_status
        from ..i18n import format_percent, format_period, t

        state = self.state
        tr, lang = state.tr, state.lang
        status = contract_status(data)
        name = {r["ngo_id"]: local_text(r, "name", lang) for r in data.ngos.to_dict("records")}

        def period(p) -> str:
            return "–" if p is None or pd.isna(p) else format_period(
                str(p).replace("-Q", "Q"), lang)

        def flags(fl) -> str:
            return "; ".join(f"{t('contracting.flags.' + f, lang)} "
                             f"({', '.join(period(p) for p in ps)})" for f, ps in fl) \
                or t("contracting.overview.none", lang)

        shown = pd.DataFrame({
            t("contracting.overview.contract", lang): status["contract_id"],
            t("contracting.pdf.ngo", lang): status["ngo_id"].map(name),
            tr("views.contracting.service"): status["service_type"].map(
                lambda s: code_text("services", s, lang)),
            t("contracting.pdf.value", lang): [
                self._money(v, c) for v, c in zip(status["value"], status["currency"],
                                                  strict=True)],
            t("contracting.overview.to_date", lang): status["latest"].map(period),
            t("contracting.overview.delivered", lang): status["delivered"].map(
                lambda v: "–" if pd.isna(v) else format_percent(v, lang, 0)),
            t("contracting.pdf.paid_share", lang): status["paid_share"].map(
                lambda v: format_percent(v, lang, 0)),
            t("contracting.pdf.flags", lang): status["flags"].map(flags),
        })
        return pn.Column(
            pn.pane.Markdown(tr("views.contracting.flags_note"), margin=(0, 10)),
            table(shown, css_classes=["sk-contracting-delivery"],
                  stylesheets=[table_stylesheet(shown) + _NOWRAP_FIRST]),
            sizing_mode="stretch_width")

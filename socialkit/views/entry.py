"""Data entry page: a form's record entered, reviewed and imported, in the user's language.

Three sections:

* **Enter data** — choose a form, an institution and a period; the form is drawn from its
  XLSForm (groups as cards, one widget per field, labels and hints in the session language).
  As the user types, every value is validated on the server (type, range, choice list,
  constraint message) and the message shown under the field; fields that are not relevant are
  hidden and calculations shown as they change. *Save draft* may leave required fields empty;
  *Submit for approval* needs them all. The returned record's comments are shown above it.
* **Review** — the submitted records the user may approve or return (an institution's head)
  and the approved ones they may accept or return (the province), each with its values, the
  validation-rule violations and outliers to follow up, and a comment box.
* **Import a file** — an Excel/CSV in the form's layout or a KoboToolbox/ODK Central export,
  saved as drafts whole, or refused whole with every problem listed.

Access: every read and every change goes through :mod:`socialkit.store.entry` and the store
with the logged-in user's roles, looked up in the store at each action (a role taken away
stops working at once); nothing the browser sends is trusted. Without a login (no
``--basic-auth``) the page only asks the user to sign in and never opens the database.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import panel as pn
import param

from ..errors import DataValidationError, SocialkitError
from .base import Page, alert, table

__all__ = ["EntryPage", "period_options"]

_FIELD_WIDTH = 300
_CSS = """
.sk-field-error { color: #b00020; font-size: 0.85em; }
.sk-field .bk-input { font-size: 1em; }
"""


@lru_cache(maxsize=32)
def _shipped_form(form_id: str):
    from ..forms import SHIPPED_FORMS, form_path, load_form

    return load_form(form_path(form_id)) if form_id in SHIPPED_FORMS else None


def _store():
    from ..store import open_store

    return open_store()


def period_options(period_type: str | None, today: dt.date | None = None) -> list[str]:
    """The periods a user picks from, newest first: the last 8 quarters, 12 months or 5
    years up to ``today`` (none for a form without a period type).

    >>> period_options("quarter", dt.date(2026, 2, 1))[:3]
    ['2026Q1', '2025Q4', '2025Q3']
    >>> period_options("year", dt.date(2026, 2, 1))
    ['2026', '2025', '2024', '2023', '2022']
    """
    today = today or dt.date.today()
    if period_type == "quarter":
        q = (today.month - 1) // 3
        return [f"{(today.year * 4 + q - i) // 4}Q{(today.year * 4 + q - i) % 4 + 1}"
                for i in range(8)]
    if period_type == "month":
        m = today.year * 12 + today.month - 1
        return [f"{(m - i) // 12}-{(m - i) % 12 + 1:02d}" for i in range(12)]
    if period_type == "year":
        return [str(today.year - i) for i in range(5)]
    return []


class _FieldWidget:
    """One field: its widget, its error line, its column (hidden when not relevant)."""

    def __init__(self, form, field, lang: str, on_change):
        from ..forms.model import pick_text

        self.field = field
        label = form.label(field.name, lang) + (" *" if field.required is not None else "")
        hint = pick_text(field.hints, lang, form.default_language) or None
        kind = field.type
        common = {"label": label, "width": _FIELD_WIDTH,
                  "css_classes": ["sk-input", f"sk-f-{field.name}"],
                  # a long label wraps instead of running into the next field
                  "stylesheets": ["label { white-space: normal; }"]}
        if hint:
            common["description"] = hint
        if kind == "select_one":
            options = {"—": ""} | {form.choice_label(field.name, c.name, lang): c.name
                                  for c in field.choices}
            self.widget = pn.widgets.Select(options=options, value="", **common)
        elif kind == "select_multiple":
            options = {form.choice_label(field.name, c.name, lang): c.name
                       for c in field.choices}
            self.widget = pn.widgets.MultiChoice(options=options, value=[], **common)
        elif kind == "date":
            self.widget = pn.widgets.DatePicker(**common)
        elif kind == "calculate":
            self.widget = pn.widgets.StaticText(value="–", **common)
        else:
            self.widget = pn.widgets.TextInput(**common, placeholder={
                "integer": "0", "decimal": "0,0", "geopoint": "45.25 19.84"}.get(kind, ""))
        self.error = pn.pane.Markdown("", css_classes=["sk-field-error"], margin=(0, 10),
                                      width=_FIELD_WIDTH, visible=False,
                                      styles={"color": "#b00020", "font-weight": "bold"})
        # a calculation the form gives no label is computed but not shown (its name means
        # nothing to the user)
        self.shown = kind != "calculate" or bool(field.labels)
        self.column = pn.Column(self.widget, self.error, width=_FIELD_WIDTH + 20,
                                css_classes=["sk-field"], margin=(0, 4))
        if kind != "calculate":
            watched = "value_input" if isinstance(self.widget, pn.widgets.TextInput) else "value"
            self.widget.param.watch(lambda _e: on_change(), watched)

    def raw(self) -> Any:
        """The value as the user entered it (text; a list for select_multiple)."""
        w = self.widget
        if isinstance(w, pn.widgets.TextInput):
            return w.value_input if w.value_input is not None else w.value
        if isinstance(w, pn.widgets.DatePicker):
            return w.value.isoformat() if w.value else ""
        if isinstance(w, pn.widgets.MultiChoice):
            return " ".join(w.value)
        if isinstance(w, pn.widgets.StaticText):
            return None
        return w.value

    def set(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, pn.widgets.TextInput):
            text = "" if value is None else (f"{value:g}" if isinstance(value, float)
                                             else str(value))
            w.value = w.value_input = text
        elif isinstance(w, pn.widgets.DatePicker):
            w.value = dt.date.fromisoformat(value) if value else None
        elif isinstance(w, pn.widgets.MultiChoice):
            items = value if isinstance(value, list) else str(value or "").split()
            w.value = [v for v in items if v in w.options.values()]
        elif isinstance(w, pn.widgets.Select):
            w.value = value if value in w.options.values() else ""

    def show(self, relevant: bool, errors: list[str], calculated: Any, locked: bool,
             tr) -> None:
        self.column.visible = relevant and self.shown
        self.error.object = " · ".join(errors)
        self.error.visible = bool(errors)
        if isinstance(self.widget, pn.widgets.StaticText):
            self.widget.value = ("–" if calculated is None else
                                 tr.number(calculated, 0 if float(calculated).is_integer()
                                           else 2))
        else:
            self.widget.disabled = locked


class EntryPage(Page):
    """Enter, review and import the records of the store's forms (see the module docstring)."""

    page_id = "entry"
    title_key = "entry.page.title"

    _tick = param.Integer(default=0, doc="Bumped to redraw the review section.")

    def __init__(self, **params):
        super().__init__(**params)
        self._record = None          # the StoredRecord opened (None: a new record)
        self._fields: dict[str, _FieldWidget] = {}
        self._show_required = False
        self._form = None

    # -- who and what ----------------------------------------------------------------------
    @property
    def _user(self) -> str | None:
        return self.state.scope.user

    def _actor(self):
        return _store().actor(self._user)

    def _tr(self, key: str, **kw) -> str:
        return self.state.tr(key, **kw)

    def _message(self, exc: Exception) -> str:
        from ..store import StoreError

        if isinstance(exc, StoreError):
            return exc.render(self.state.lang)
        if isinstance(exc, DataValidationError):
            return exc.header
        return str(exc)

    def _forms(self, actor) -> dict[str, str]:
        """``{title: form_id}`` of the registered forms the page can draw for the user."""
        out = {}
        for row in _store().forms(actor).drop_duplicates("form_id", keep="last").itertuples():
            form = _shipped_form(row.form_id)
            if form is not None:
                out[form.title(self.state.lang)] = row.form_id
        return out

    def _institutions(self, actor, form, write: bool = True) -> dict[str, str]:
        frame = _store().institutions(actor)
        if form is not None and form.institution_type:
            frame = frame[frame["kind"] == form.institution_type]
        if write:
            frame = frame[[actor.may_write(i) for i in frame["institution_id"]]]
        return {f"{r.name} ({r.institution_id})": r.institution_id
                for r in frame.itertuples()}

    # -- layout ----------------------------------------------------------------------------
    @param.depends("state.lang")
    def _view(self) -> pn.viewable.Viewable:
        return self._guarded()

    def render(self) -> pn.viewable.Viewable:
        if not self._user:
            return alert(self._tr("entry.page.sign_in"), "info")
        actor = self._actor()
        if not actor.roles:
            return alert(self._tr("entry.page.no_roles", user=self._user), "warning")
        items = [(self._tr("entry.page.tab_enter"), self._enter_section),
                 (self._tr("entry.page.tab_review"), self._review_section),
                 (self._tr("entry.page.tab_import"), self._import_section)]
        return pn.Column(self.sections(items), sizing_mode="stretch_width",
                         css_classes=["sk-entry"], stylesheets=[_CSS])

    # -- enter -----------------------------------------------------------------------------
    def _enter_section(self) -> pn.viewable.Viewable:
        actor = self._actor()
        forms = self._forms(actor)
        if not forms:
            return alert(self._tr("entry.page.no_forms"), "warning")
        self._form_select = pn.widgets.Select(label=self._tr("entry.page.form"), options=forms,
                                              width=320, css_classes=["sk-form-select"])
        insts = self._institutions(actor, _shipped_form(next(iter(forms.values()))))
        self._inst_select = pn.widgets.Select(label=self._tr("entry.page.institution"),
                                              options=insts, width=320,
                                              css_classes=["sk-inst-select"])
        self._period = pn.widgets.Select(label=self._tr("entry.page.period"), width=140,
                                         css_classes=["sk-period"])
        self._period_text = pn.widgets.TextInput(label=self._tr("entry.page.period"),
                                                 width=140, visible=False,
                                                 css_classes=["sk-period-text"])
        self._open_button = pn.widgets.Button(label=self._tr("entry.page.open"),
                                              color="primary", width=120,
                                              css_classes=["sk-open"], margin=(24, 10, 10, 10))
        self._status = pn.Column(sizing_mode="stretch_width", css_classes=["sk-record-status"])
        self._body = pn.Column(sizing_mode="stretch_width", css_classes=["sk-entry-body"])
        self._form_select.param.watch(lambda _e: self._on_form(), "value")
        self._open_button.on_click(lambda _e: self._open())
        self._on_form()
        return pn.Column(
            pn.Row(self._form_select, self._inst_select, self._period, self._period_text,
                   self._open_button, sizing_mode="stretch_width"),
            self._status, self._body, sizing_mode="stretch_width")

    def _on_form(self) -> None:
        form = _shipped_form(self._form_select.value)
        actor = self._actor()
        insts = self._institutions(actor, form)
        self._inst_select.options = insts
        if self._inst_select.value not in insts.values():
            self._inst_select.value = next(iter(insts.values()), None)
        options = period_options(form.period_type if form else None)
        self._period.options = options
        self._period.value = options[1] if len(options) > 1 else (options or [None])[0]
        self._period.visible = bool(options)
        self._period_text.visible = not options
        self._body.objects, self._status.objects = [], []
        self._record = None

    def _period_value(self) -> str:
        return (self._period.value if self._period.visible else self._period_text.value) or ""

    def _open(self) -> None:
        """Open (or start) the record of the chosen form, institution and period."""
        form = _shipped_form(self._form_select.value)
        inst, period = self._inst_select.value, self._period_value().strip()
        self._body.objects, self._status.objects = [], []
        if form is None or not inst or not period:
            self._status.objects = [alert(self._tr("entry.page.choose"), "warning")]
            return
        try:
            rec = _store().get(self._actor(), form.form_id, inst, period)
        except SocialkitError as exc:
            self._status.objects = [alert(self._message(exc), "danger")]
            return
        self._form, self._record, self._show_required = form, rec, False
        self._build(form)
        if rec is not None:
            for name, fw in self._fields.items():
                if name in rec.values:
                    fw.set(rec.values[name])
        self._refresh()

    def _build(self, form) -> None:
        lang = self.state.lang
        self._fields = {}
        cards: list[pn.viewable.Viewable] = []
        loose: list[pn.viewable.Viewable] = []
        groups: dict[str, list] = {}
        for f in form.fields:
            if f.repeat is not None or f.type == "repeat":
                continue
            if f.type == "group":
                groups[f.name] = []
                continue
            if f.type == "note":
                item = pn.pane.Markdown(form.label(f.name, lang), width=2 * _FIELD_WIDTH)
            elif f.has_value and f.type not in ("start", "end", "today", "deviceid",
                                                "username"):
                fw = self._fields[f.name] = _FieldWidget(form, f, lang, self._refresh)
                item = fw.column
            else:
                continue
            target = groups.get(f.parents[-1]) if f.parents else None
            (target if target is not None else loose).append(item)
        self._group_cards = {}
        for f in form.fields:
            if f.type == "group" and groups.get(f.name):
                card = pn.Card(pn.FlexBox(*groups[f.name], flex_wrap="wrap"),
                               title=form.label(f.name, lang), collapsible=False,
                               sizing_mode="stretch_width", css_classes=["sk-group"],
                               margin=(6, 10))
                self._group_cards[f.name] = card
                cards.append(card)
        if form.repeats:
            cards.append(alert(self._tr("entry.page.repeats_by_import"), "info"))
        self._save_button = pn.widgets.Button(label=self._tr("entry.page.save"),
                                              color="primary", width=170,
                                              css_classes=["sk-save"])
        self._submit_button = pn.widgets.Button(label=self._tr("entry.page.submit"),
                                                color="success", width=210,
                                                css_classes=["sk-submit"])
        self._save_button.on_click(lambda _e: self._save(submit=False))
        self._submit_button.on_click(lambda _e: self._save(submit=True))
        self._result = pn.Column(sizing_mode="stretch_width", css_classes=["sk-entry-result"])
        top = [pn.FlexBox(*loose, flex_wrap="wrap")] if loose else []
        self._body.objects = [*top, *cards, pn.Row(self._save_button, self._submit_button),
                              self._result]

    def _values(self) -> dict[str, Any]:
        return {name: fw.raw() for name, fw in self._fields.items()
                if fw.field.type != "calculate"}

    def _refresh(self) -> None:
        """Validate what is on screen (on the server) and show it at the fields."""
        from ..store.entry import check_entry

        form = self._form
        if form is None:
            return
        res, _ = check_entry(form, self._values(), self._period_value(),
                             lang=self.state.lang, complete=True)
        missing = set(res.missing_required)
        locked = self._record is not None and self._record.status != "draft"
        for name, fw in self._fields.items():
            errors = [] if (name in missing and not self._show_required) else \
                res.errors.get(name, [])
            fw.show(res.relevant.get(name, True), errors, res.values.get(name), locked,
                    self.state.translator)
        for name, card in getattr(self, "_group_cards", {}).items():
            card.visible = res.relevant.get(name, True)
        self._save_button.disabled = self._submit_button.disabled = locked
        self._show_status()

    def _show_status(self) -> None:
        rec, tr = self._record, self.state.translator
        if rec is None:
            self._status.objects = [alert(self._tr("entry.page.new_record"), "info")]
            return
        text = self._tr("entry.page.record_status",
                        status=self._tr(f"store.status.{rec.status}"), version=rec.version,
                        user=rec.updated_by, at=tr.date(rec.updated_at.date(), "medium"))
        objs = [alert(text, "info" if rec.status == "draft" else "success")]
        if rec.status != "draft":
            objs.append(alert(self._tr("entry.page.locked"), "warning"))
        try:
            comments = _store().comments(self._actor(), rec.record_id)
        except SocialkitError:
            comments = pd.DataFrame()
        for c in comments.itertuples():
            objs.append(pn.pane.Markdown(
                f"**{c.author}** ({tr.date(c.created_at.date(), 'medium')}): {c.text}",
                css_classes=["sk-comment"], margin=(0, 10)))
        self._status.objects = objs

    def _save(self, submit: bool) -> None:
        from ..store.entry import EntryError, save_entry, submit_entry

        form, lang = self._form, self.state.lang
        actor = self._actor()
        inst, period = self._inst_select.value, self._period_value().strip()
        self._show_required = submit
        expected = self._record.version if self._record is not None else None
        try:
            saved = save_entry(_store(), actor, form, inst, period, self._values(),
                               expected_version=expected, lang=lang)
            self._record = saved.record
            if submit:
                self._record = submit_entry(_store(), actor, form, saved.record.record_id,
                                            saved.record.version, lang=lang)
                msg, kind = self._tr("entry.page.submitted"), "success"
            elif saved.missing:
                msg, kind = self.state.translator.n("entry.page.saved_missing",
                                                    len(saved.missing),
                                                    version=saved.record.version), "info"
            else:
                msg, kind = self._tr("entry.page.saved", version=saved.record.version), "success"
        except EntryError as exc:
            self._show_required = submit
            msg, kind = exc.header + ": " + ", ".join(
                form.label(k, lang) if k in form.by_name else self._tr("entry.page.period")
                for k in exc.errors), "danger"
        except SocialkitError as exc:
            msg, kind = self._message(exc), "danger"
        self._refresh()
        self._result.objects = [alert(msg, kind)]

    # -- review ----------------------------------------------------------------------------
    def _review_section(self) -> pn.viewable.Viewable:
        return pn.Column(self._review, sizing_mode="stretch_width", css_classes=["sk-review"])

    def _reviewable(self, actor) -> pd.DataFrame:
        frame = _store().records(actor)
        drawn = frame["form_id"].map(lambda f: _shipped_form(f) is not None).astype(bool)
        heads = frame["status"].eq("submitted") & frame["institution_id"].map(
            actor.may_approve).astype(bool)
        prov = frame["status"].eq("approved") & bool(actor.is_system or actor.roles.get(
            "province"))
        return frame[drawn & (heads | prov)].reset_index(drop=True)

    @param.depends("_tick")
    def _review(self) -> pn.viewable.Viewable:
        actor = self._actor()
        frame = self._reviewable(actor)
        done, self._done = getattr(self, "_done", None), None   # the last step's confirmation
        if frame.empty:   # the step just taken emptied the list: still say what was done
            return pn.Column(*([done] if done else []),
                             alert(self._tr("entry.page.nothing_to_review"), "info"),
                             sizing_mode="stretch_width")
        lang = self.state.lang
        names = dict(_store().institutions(actor)[["institution_id", "name"]].itertuples(
            index=False))
        options = {}
        for r in frame.itertuples():
            form = _shipped_form(r.form_id)
            options[f"{form.title(lang)} — {names.get(r.institution_id, r.institution_id)} — "
                    f"{r.period} "
                    f"({self._tr(f'store.status.{r.status}')})"] = int(r.record_id)
        pick = pn.widgets.Select(label=self._tr("entry.page.record"), options=options,
                                 width=560, css_classes=["sk-review-pick"])
        comment = pn.widgets.TextAreaInput(label=self._tr("entry.page.comment"), height=80,
                                           width=560, css_classes=["sk-review-comment"])
        detail = pn.Column(sizing_mode="stretch_width")
        result = pn.Column(sizing_mode="stretch_width", css_classes=["sk-review-result"])
        buttons = {a: pn.widgets.Button(label=self._tr(f"entry.page.{a}"), width=150,
                                        color=kind, css_classes=[f"sk-{a}"])
                   for a, kind in (("approve", "success"), ("return", "warning"),
                                   ("accept", "primary"))}

        def show(_e=None) -> None:
            try:   # the value came from the browser: the store checks it again
                detail.objects = [self._record_detail(self._actor(), pick.value)]
            except SocialkitError as exc:
                detail.objects = [alert(self._message(exc), "danger")]
                return
            status = frame.set_index("record_id")["status"].get(pick.value)
            buttons["approve"].visible = status == "submitted"
            buttons["accept"].visible = status == "approved"

        def act(action: str) -> None:
            store = _store()
            actor_now = self._actor()   # roles as they are now
            try:
                rec = store.record(actor_now, pick.value)
                method = {"approve": store.approve, "return": store.return_record,
                          "accept": store.accept}[action]
                done = method(actor_now, rec.record_id, rec.version, comment.value or None)
                msg = self._tr("entry.page.step_done", record=done.label,
                               status=self._tr(f"store.status.{done.status}"))
                self._done = alert(msg, "success")
                self._tick += 1
            except SocialkitError as exc:
                result.objects = [alert(self._message(exc), "danger")]

        for action, button in buttons.items():
            button.on_click(lambda _e, a=action: act(a))
        pick.param.watch(show, "value")
        show()
        return pn.Column(*([done] if done else []), pick, detail, comment,
                         pn.Row(*buttons.values()), result, sizing_mode="stretch_width")

    def _record_detail(self, actor, record_id: int) -> pn.viewable.Viewable:
        from ..store.entry import follow_up

        store, lang, tr = _store(), self.state.lang, self.state.translator
        rec = store.record(actor, record_id)
        form = _shipped_form(rec.form_id)
        rows = [(form.label(f.name, lang), _show(form, f, rec.values.get(f.name), lang, tr))
                for f in form.value_fields if f.repeat is None and f.name in rec.values
                and (f.type != "calculate" or f.labels)]
        values = pd.DataFrame(rows, columns=[self._tr("entry.page.field"),
                                             self._tr("entry.page.value")])
        out = [table(values, css_classes=["sk-review-values"], max_height=320)]
        violations, outliers = follow_up(store, actor, form, lang=lang)
        mine = violations[(violations["institution_id"] == rec.institution_id)
                          & (violations["period"] == rec.period)]
        odd = outliers[(outliers["institution_id"] == rec.institution_id)
                       & (outliers["period"] == rec.period)]
        if len(mine) or len(odd):
            lines = [f"- **{v.rule}**: {tr.number(v.left, 0)} {v.operator} "
                     f"{tr.number(v.right, 0)}" + (f" — {v.instruction}" if v.instruction
                                                   else "") for v in mine.itertuples()]
            lines += [f"- {form.label(o.field, lang)}: {tr.number(o.value, 0)} "
                      f"({self._tr('entry.page.outlier', median=tr.number(o.median, 0))})"
                      for o in odd.itertuples()]
            out.append(alert(self._tr("entry.page.follow_up") + "\n\n" + "\n".join(lines),
                             "warning"))
        for c in store.comments(actor, record_id).itertuples():
            out.append(pn.pane.Markdown(f"**{c.author}**: {c.text}", margin=(0, 10)))
        return pn.Column(*out, sizing_mode="stretch_width")

    # -- import ----------------------------------------------------------------------------
    def _import_section(self) -> pn.viewable.Viewable:
        actor = self._actor()
        forms = self._forms(actor)
        if not forms:
            return alert(self._tr("entry.page.no_forms"), "warning")
        form_select = pn.widgets.Select(label=self._tr("entry.page.form"), options=forms,
                                        width=320, css_classes=["sk-import-form"])
        upload = pn.widgets.FileInput(accept=".xlsx,.csv", css_classes=["sk-import-file"],
                                      width=320, margin=(24, 10, 10, 10))
        button = pn.widgets.Button(label=self._tr("entry.page.import"), color="primary",
                                   width=150, css_classes=["sk-import"],
                                   margin=(24, 10, 10, 10))
        result = pn.Column(sizing_mode="stretch_width", css_classes=["sk-import-result"])
        help_text = pn.pane.Markdown(self._tr("entry.page.import_help"), margin=(0, 10),
                                     sizing_mode="stretch_width")

        def run(_e) -> None:
            result.objects = [self._import(form_select.value, upload.filename, upload.value)]

        button.on_click(run)
        return pn.Column(help_text, pn.Row(form_select, upload, button), result,
                         sizing_mode="stretch_width")

    def _import(self, form_id: str, filename: str | None, data: bytes | None):
        from ..forms import FormImportError
        from ..store import BatchRefusedError
        from ..store.entry import import_entries

        lang = self.state.lang
        form = _shipped_form(form_id)
        if form is None or not filename or not data:
            return alert(self._tr("entry.page.choose_file"), "warning")
        name = Path(filename).name
        if Path(name).suffix.lower() not in (".xlsx", ".csv"):
            return alert(self._tr("entry.page.choose_file"), "warning")
        with tempfile.TemporaryDirectory(prefix="socialkit-import-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            try:
                saved = import_entries(_store(), self._actor(), form, path, lang=lang,
                                       reason=self._tr("entry.page.import_reason", file=name))
            except FormImportError as exc:
                rows = [(p.source, p.row, p.column, "" if p.value is None else str(p.value),
                         p.message + (f" ({p.expected})" if p.expected else ""))
                        for p in exc.problems[:500]]
                frame = pd.DataFrame(rows, columns=[self._tr(f"entry.page.col_{c}") for c in
                                                    ("source", "row", "column", "value",
                                                     "problem")])
                return pn.Column(alert(exc.header, "danger"),
                                 table(frame, css_classes=["sk-import-problems"],
                                       max_height=400), sizing_mode="stretch_width")
            except BatchRefusedError as exc:
                lines = exc.render(lang).split("\n")
                return alert(lines[0] + "\n\n" + "\n".join(f"- {x.strip(' -')}"
                                                           for x in lines[1:]), "danger")
            except SocialkitError as exc:
                return alert(self._message(exc), "danger")
        self._tick += 1
        return alert(self.state.translator.n("entry.page.imported", len(saved), file=name),
                     "success")


def _show(form, f, value, lang: str, tr) -> str:
    if value is None:
        return "–"
    if f.type == "select_one":
        return form.choice_label(f.name, str(value), lang)
    if f.type == "select_multiple":
        items = value if isinstance(value, list) else str(value).split()
        return ", ".join(form.choice_label(f.name, v, lang) for v in items)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return tr.number(value, 0 if float(value).is_integer() else 2)
    return str(value)


"""Library page: the e-platform's items of the chosen municipality — find, open, upload, publish.

Items live in the suite's store (:mod:`socialkit.library.items`); every list, download, preview
and change goes through :class:`socialkit.library.Library` with the session's
:class:`~socialkit.library.Reader`, so the rights are checked on the server whatever the
browser sends. Who the reader is (:func:`session_reader`):

* a server **without login** (an analyst's own machine): an official of every municipality,
  who sees published internal items but edits nothing (uploads then go through
  ``socialkit library add``);
* a **logged-in** user: their dashboard scope (the users file) and their library roles
  (``socialkit library grant USER editor --municipality ID``).

Generated PDF reports are registered as items of type ``report`` from the reports folder
(:func:`sync_reports`, at most once a minute and only when the batch's manifest changed).
Videos, images and maps are shown on the page; their bytes come from the file route
(:class:`socialkit.views.library_http.LibraryFileHandler`), which checks the same rights.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from html import escape
from pathlib import Path

import panel as pn

from .. import config
from ..config import SUPPORTED_LANGS
from ..i18n import language_name_in
from ..library import (
    ITEM_TYPES,
    LIMITS_MB,
    Library,
    LibraryError,
    Reader,
    UploadError,
    open_library,
)
from ..library.preview import geojson_svg
from .base import Page, alert, heading
from .scope import Scope

__all__ = ["LOCAL_USER", "LibraryPage", "session_reader", "size_text", "sync_reports"]

#: The reader's name on a server without login (no login name can contain parentheses).
LOCAL_USER = "(local)"
_SYNC: dict[str, tuple[float, float]] = {}
#: Badges of an item's status and audience (inside the Markdown pane's shadow root).
_BADGES = """
.sk-badge { border-radius: 3px; padding: 1px 6px; margin-left: 4px; font-size: 0.85em;
            font-weight: normal; white-space: nowrap; }
.sk-badge-draft { background: #fff3cd; color: #664d03; }
.sk-badge-withdrawn { background: #f8d7da; color: #842029; }
.sk-badge-internal { background: #e7e9ed; color: #32383e; }
.sk-badge-public { background: #d1e7dd; color: #0f5132; }
"""
_SYNC_LOCK = threading.Lock()


def session_reader(library: Library, scope: Scope) -> Reader:
    """The library reader of a dashboard session with ``scope`` (see the module)."""
    if scope.user is None:
        return Reader(user=LOCAL_USER, municipalities=scope.allowed)
    return library.reader(scope.user, scope.allowed)


def sync_reports(library: Library, folder: str | Path | None = None,
                 every_s: float = 60.0) -> dict[str, int] | None:
    """Register the reports of ``folder`` (default :func:`socialkit.config.documents_dir`) in
    the library when its manifest changed since the last time (checked at most every
    ``every_s`` seconds per folder); ``None`` when nothing was done."""
    root = Path(folder or config.documents_dir())
    manifest = root / "manifest.json"
    try:
        stamp = manifest.stat().st_mtime
    except OSError:
        return None
    key = f"{root}|{library.store.engine.url}|{library.files.root}"
    now = time.monotonic()
    with _SYNC_LOCK:
        seen = _SYNC.get(key)
        if seen is not None and (seen[0] == stamp or now - seen[1] < every_s):
            return None
        _SYNC[key] = (stamp, now)
    return library.register_reports(root)


def size_text(tr, size: int) -> str:
    """A file size in KB or MB for the reader (``tr``: a :class:`~socialkit.i18n.Translator`)."""
    if size >= 1024 * 1024:
        return tr("views.library.mb", size=tr.number(size / 1024 / 1024, 1))
    return tr("views.library.kb", size=tr.number(max(size / 1024, 0.1), 1))


class LibraryPage(Page):
    """Items of the chosen municipality, with filters; upload and publishing for its editors."""

    page_id = "library"

    def render(self) -> pn.viewable.Viewable:
        state = self.state
        tr = state.translator
        mid = state.scope.check(state.municipality_id)
        lib = open_library()
        sync_reports(lib)
        reader = session_reader(lib, state.scope)
        name = state.municipality_name()
        self._lib, self._reader, self._mid = lib, reader, mid
        self._message = pn.pane.Alert("", alert_type="success", visible=False,
                                      sizing_mode="stretch_width", css_classes=["sk-lib-msg"])
        types = {tr("views.library.all_types"): ""} | {
            tr(f"library.types.{k}"): k for k in ITEM_TYPES}
        langs = {tr("views.library.all_languages"): ""} | {
            language_name_in(k, state.lang, capital=True): k for k in SUPPORTED_LANGS}
        self._type = pn.widgets.Select(label=tr("views.library.type"), options=types,
                                       value="", width=200, css_classes=["sk-lib-type"])
        self._lang = pn.widgets.Select(label=tr("views.library.language"), options=langs,
                                       value="", width=200, css_classes=["sk-lib-lang"])
        self._search = pn.widgets.TextInput(label=tr("views.library.search"),
                                            placeholder=tr("views.library.search_hint"),
                                            width=260, css_classes=["sk-lib-search"])
        years = sorted({d.year for d in lib.items(reader, municipality_id=mid)["item_date"]},
                       reverse=True)
        self._year = pn.widgets.Select(
            label=tr("views.library.year"), width=140, css_classes=["sk-lib-year"], value="",
            options={tr("views.library.all_years"): ""} | {str(y): str(y) for y in years})
        self._list = pn.Column(sizing_mode="stretch_width", css_classes=["sk-lib-items"])
        for w in (self._type, self._lang, self._year):
            w.param.watch(lambda _e: self._refresh(), "value")
        self._search.param.watch(lambda _e: self._refresh(), "value")
        self._refresh()
        public = f"/public?municipality={mid}&lang={state.lang}"
        parts = [heading(tr("views.library.folder", name=name), 3),
                 pn.pane.Markdown(tr("views.library.public_page", url=public),
                                  css_classes=["sk-lib-public-link"]),
                 pn.FlexBox(self._type, self._lang, self._year, self._search, flex_wrap="wrap",
                            sizing_mode="stretch_width"),
                 self._message]
        if reader.may_edit(mid):
            parts.append(self._upload_card())
        parts.append(self._list)
        return pn.Column(*parts, sizing_mode="stretch_width", css_classes=["sk-library"])

    # ------------------------------------------------------------------ the list
    def _refresh(self) -> None:
        state, tr = self.state, self.state.translator
        year = int(self._year.value) if self._year.value else None
        frame = self._lib.items(self._reader, municipality_id=self._mid,
                                item_type=self._type.value or None,
                                language=self._lang.value or None,
                                since=dt.date(year, 1, 1) if year else None,
                                until=dt.date(year, 12, 31) if year else None,
                                text=self._search.value or None, lang=state.lang)
        if frame.empty:
            name = state.municipality_name()
            filtered = bool(self._type.value or self._lang.value or self._search.value
                            or self._year.value)
            text = tr("views.library.no_match") if filtered else tr("views.library.none",
                                                                     name=name)
            self._list.objects = [alert(text, "info")]
            return
        self._list.objects = [self._row(r) for r in frame.itertuples(index=False)]

    def _row(self, item) -> pn.viewable.Viewable:
        tr = self.state.translator
        editor = self._reader.may_edit(item.municipality_id)
        facts = [tr(f"library.types.{item.item_type}"), tr.date(item.item_date, "medium")]
        if isinstance(item.language, str) and item.language:
            facts.append(language_name_in(item.language, self.state.lang, capital=True))
        facts.append(size_text(tr, item.size))
        badges = []
        if item.status != "published":
            badges.append(f"<span class='sk-badge sk-badge-{item.status}'>"
                          f"{tr(f'library.status.{item.status}')}</span>")
        if item.visibility == "internal" or editor:
            badges.append(f"<span class='sk-badge sk-badge-{item.visibility}'>"
                          f"{tr(f'library.visibility.{item.visibility}')}</span>")
        text = f"**{_md(item.title)}** {' '.join(badges)}  \n{' · '.join(facts)}"
        if isinstance(item.description, str) and item.description:
            text += f"  \n{_md(item.description)}"
        if item.tags:
            text += "  \n" + " ".join(f"`{_md(t)}`" for t in item.tags)
        buttons: list[pn.viewable.Viewable] = [pn.widgets.FileDownload(
            callback=self._download(int(item.item_id)), filename=item.file_name, embed=False,
            label=tr("views.library.download"), color="primary", width=150,
            css_classes=["sk-download"])]
        preview = pn.Column(sizing_mode="stretch_width", css_classes=["sk-lib-preview"])
        if item.kind in ("video", "map", "image"):
            show = pn.widgets.Toggle(label=tr(f"views.library.show_{item.kind}"), width=150,
                                     css_classes=["sk-lib-show"])
            show.param.watch(lambda e, i=int(item.item_id), k=item.kind:
                             self._preview(preview, i, k, e.new), "value")
            buttons.append(show)
        if editor:
            pending = self._lib.comments(self._reader, int(item.item_id), status="pending")
            if len(pending):
                show_comments = pn.widgets.Toggle(
                    label=tr("views.library.comments_waiting", n=len(pending)), width=220,
                    css_classes=["sk-lib-comments"])
                show_comments.param.watch(
                    lambda e, i=int(item.item_id): self._moderation(preview, i, e.new), "value")
                buttons.append(show_comments)
            steps = {"draft": ["publish", "withdraw"], "published": ["unpublish", "withdraw"]}
            for step in steps.get(item.status, []):
                button = pn.widgets.Button(label=tr(f"views.library.{step}"), width=150,
                                           color="success" if step == "publish"
                                           else "default", css_classes=[f"sk-lib-{step}"])
                button.on_click(lambda _e, s=step, i=int(item.item_id), v=int(item.version):
                                self._step(s, i, v))
                buttons.append(button)
        body = pn.pane.Markdown(text, styles={"flex": "3 1 300px"}, disable_anchors=True,
                                css_classes=["sk-doc-name"], stylesheets=[_BADGES])
        row = pn.FlexBox(body, pn.FlexBox(*buttons, flex_wrap="wrap",
                                          styles={"flex": "1 1 320px"}),
                         flex_wrap="wrap", align_items="center", sizing_mode="stretch_width")
        return pn.Column(row, preview, sizing_mode="stretch_width",
                         styles={"border-bottom": "1px solid #d0d7de"},
                         css_classes=["sk-lib-item"])

    def _preview(self, holder: pn.Column, item_id: int, kind: str, on: bool) -> None:
        if not on:
            holder.objects = []
            return
        url = f"/library/file/{item_id}"
        if kind == "video":
            html = (f'<video controls preload="metadata" src="{url}" '
                    'style="max-width:100%;max-height:420px"></video>')
        elif kind == "image":
            html = f'<img src="{url}" alt="" style="max-width:100%;max-height:420px">'
        else:
            try:
                _item, path = self._lib.open(self._reader, item_id)
                html = geojson_svg(path.read_bytes(), width=640, height=400)
            except (LibraryError, ValueError) as exc:
                html = f"<p>{escape(str(exc))}</p>"
        holder.objects = [pn.pane.HTML(html, sizing_mode="stretch_width",
                                       css_classes=[f"sk-lib-{kind}"])]

    def _moderation(self, holder: pn.Column, item_id: int, on: bool) -> None:
        """The pending comments of an item, each with Publish / Reject."""
        if not on:
            holder.objects = []
            return
        tr = self.state.translator
        rows = []
        for c in self._lib.comments(self._reader, item_id, status="pending").itertuples(
                index=False):
            who = (c.organisation if isinstance(c.organisation, str) and c.organisation
                   else tr(f"views.public.{c.author_kind}"))
            target = f" · {_md(c.target)}" if isinstance(c.target, str) and c.target else ""
            buttons = []
            for status, key in (("published", "publish_comment"), ("rejected",
                                                                   "reject_comment")):
                b = pn.widgets.Button(label=tr(f"views.library.{key}"), width=120,
                                      css_classes=[f"sk-lib-{key}"])
                b.on_click(lambda _e, cid=int(c.comment_id), st=status:
                           self._moderate(cid, st))
                buttons.append(b)
            rows.append(pn.FlexBox(
                pn.pane.Markdown(f"> {_md(c.text)}\n\n{_md(who)} · "
                                 f"{tr.date(c.date, 'medium')}{target}",
                                 styles={"flex": "3 1 300px"}),
                *buttons, flex_wrap="wrap", align_items="center", sizing_mode="stretch_width"))
        holder.objects = rows

    def _moderate(self, comment_id: int, status: str) -> None:
        tr = self.state.translator
        try:
            self._lib.moderate(self._reader, comment_id, status)
        except LibraryError as exc:
            self._say(exc.render(self.state.lang), "danger")
        else:
            self._say(tr("views.library.comment_done",
                         status=tr(f"library.comment_status.{status}")))
        self._refresh()

    def _download(self, item_id: int):
        def _path() -> str:
            try:
                return str(self._lib.open(self._reader, item_id)[1])
            except LibraryError as exc:
                self.state.notice = exc.render(self.state.lang)
                raise

        return _path

    def _say(self, text: str, kind: str = "success") -> None:
        self._message.object, self._message.alert_type = text, kind
        self._message.visible = True

    def _step(self, step: str, item_id: int, version: int) -> None:
        tr = self.state.translator
        try:
            item = getattr(self._lib, step)(self._reader, item_id, version)
        except LibraryError as exc:
            self._say(exc.render(self.state.lang), "danger")
        else:
            self._say(tr(f"views.library.done_{step}", title=item.title(self.state.lang)))
        self._refresh()

    # ------------------------------------------------------------------ upload
    def _upload_card(self) -> pn.Card:
        state, tr = self.state, self.state.translator
        lang = state.lang
        self._file = pn.widgets.FileInput(
            accept=".pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg,.geojson,.json,.mp4,.m4v,.webm",
            css_classes=["sk-lib-file"], sizing_mode="stretch_width")
        self._utype = pn.widgets.Select(
            label=tr("views.library.type"), value="strategy", width=220,
            options={tr(f"library.types.{k}"): k for k in ITEM_TYPES},
            css_classes=["sk-lib-utype"])
        self._title = pn.widgets.TextInput(
            label=tr("views.library.title_in", language=language_name_in(lang, lang)),
            sizing_mode="stretch_width", css_classes=["sk-lib-title"], max_length=300)
        self._title_en = pn.widgets.TextInput(
            label=tr("views.library.title_in", language=language_name_in("en", lang)),
            sizing_mode="stretch_width", css_classes=["sk-lib-title-en"], max_length=300,
            visible=lang != "en")
        self._desc = pn.widgets.TextAreaInput(label=tr("views.library.description"), height=80,
                                              sizing_mode="stretch_width",
                                              css_classes=["sk-lib-desc"])
        self._ulang = pn.widgets.Select(
            label=tr("views.library.content_language"), value=lang, width=220,
            options={tr("views.library.no_language"): ""} | {
                language_name_in(k, lang, capital=True): k for k in SUPPORTED_LANGS},
            css_classes=["sk-lib-ulang"])
        self._date = pn.widgets.DatePicker(label=tr("views.library.date"), value=dt.date.today(),
                                           width=220, css_classes=["sk-lib-date"])
        self._tags = pn.widgets.TextInput(label=tr("views.library.tags"),
                                          placeholder=tr("views.library.tags_hint"),
                                          sizing_mode="stretch_width", css_classes=["sk-lib-tags"])
        from ..professionals.display import programme_title

        programmes = self._lib.programmes()
        self._programme = pn.widgets.Select(
            label=tr("views.library.programme"), width=320, visible=False,
            options={"—": ""} | {programme_title(r, lang): r["programme_id"]
                                 for _, r in programmes.iterrows()},
            css_classes=["sk-lib-programme"])
        self._until = pn.widgets.DatePicker(label=tr("views.library.comments_until"), value=None,
                                            width=260, css_classes=["sk-lib-until"])

        def _kind(event) -> None:
            self._programme.visible = event.new == "training_material"
            self._until.visible = event.new in ("strategy", "action_plan")

        self._utype.param.watch(_kind, "value")
        self._public = pn.widgets.Checkbox(label=tr("views.library.public"),
                                           css_classes=["sk-lib-public"])
        button = pn.widgets.Button(label=tr("views.library.upload"), color="primary",
                                   width=220, css_classes=["sk-lib-upload"])
        button.on_click(lambda _e: self._upload())
        limits = ", ".join(f"{tr(f'library.kinds.{k}')}: {v} MB" for k, v in LIMITS_MB.items())
        return pn.Card(
            pn.pane.Markdown(tr("views.library.upload_help", limits=limits)),
            self._file,
            pn.FlexBox(self._utype, self._ulang, self._date, flex_wrap="wrap",
                       sizing_mode="stretch_width"),
            self._programme, self._title, self._title_en, self._desc, self._tags, self._public,
            self._until, button,
            title=tr("views.library.upload_title"), sizing_mode="stretch_width",
            css_classes=["sk-lib-upload-card"], margin=(10, 0), collapsed=True)

    def _upload(self) -> None:
        state, tr = self.state, self.state.translator
        if not self._file.value:
            self._say(tr("views.library.choose_file"), "warning")
            return
        titles = {state.lang: self._title.value}
        if self._title_en.visible and self._title_en.value:
            titles["en"] = self._title_en.value
        try:
            item = self._lib.add(
                self._reader, self._file.filename or "?", self._file.value, self._mid,
                item_type=self._utype.value, titles=titles,
                descriptions={state.lang: self._desc.value or ""},
                language=self._ulang.value or None, item_date=self._date.value,
                tags=self._tags.value or "",
                programme_id=(self._programme.value or None) if self._programme.visible else None,
                comments_until=self._until.value if self._until.visible else None,
                visibility="public" if self._public.value else "internal", lang=state.lang)
        except UploadError as exc:
            self._say(str(exc), "danger")
            return
        except LibraryError as exc:
            self._say(exc.render(state.lang), "danger")
            return
        self._file.clear()  # the browser forgets the chosen file too
        self._file.value = None
        for w in (self._title, self._title_en, self._desc, self._tags):
            w.value = ""
        self._say(tr("views.library.uploaded", title=item.title(state.lang)))
        self._refresh()


def _md(text: str) -> str:
    """Text for Markdown, its markup characters escaped (titles are typed by users)."""
    out = []
    for ch in str(text):
        out.append("\\" + ch if ch in "\\`*_[]#|<>~" else ch)
    return "".join(out)



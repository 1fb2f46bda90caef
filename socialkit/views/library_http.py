"""The library over plain HTTP: the file route and the public page of the e-platform.

``/library/file/<id>``
    An item's bytes for a dashboard session (a ``<video>`` or ``<img>`` of the Library page,
    a download): the reader is the signed-in user with their scope and library roles, or on a
    server without login an official of every municipality (:func:`~socialkit.views.library.
    session_reader`); a request without a valid login gets what the public gets.
``/public``
    The public page, no login: each municipality's **published public** items, with search and
    filters (municipality, type, language of the content, text), videos played and maps drawn
    on the page, in the language chosen with ``?lang=``. Server-rendered HTML (no script at
    all), so it is light on a phone and works without the dashboard's JavaScript.
``/public/file/<id>``
    A published public item's bytes.
``/public/comment/<id>`` (POST)
    A resident's or an organisation's comment on an item open for comments (a draft strategy
    in public consultation): no name asked, consent required, XSRF-protected, throttled per
    address, kept pending until the item's editor publishes or rejects it; the published ones
    are shown under the item.

Files are served by Tornado's :class:`~tornado.web.StaticFileHandler` (ranges, so a video can
be sought; ``ETag``) after the same checks as the dashboard (:class:`socialkit.library.Library`):
an item the reader may not see is a ``404``, exactly like one that does not exist. Videos and
images are sent ``inline`` (to play on the page), everything else as an attachment with its
name.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from tornado.web import HTTPError, RequestHandler, StaticFileHandler

from ..config import SUPPORTED_LANGS, default_lang, resolve_lang
from ..i18n import Translator, language_name, language_name_in
from ..library import ITEM_TYPES, Library, LibraryError, Reader, open_library
from ..library.items import open_for_comments
from ..library.preview import geojson_svg
from .library import session_reader, size_text
from .login import XsrfForms
from .scope import load_users, resolve_scope

__all__ = ["LibraryFileHandler", "PublicCommentHandler", "PublicLibraryHandler",
           "library_routes"]

_MIME = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg",
         "mp4": "video/mp4", "webm": "video/webm", "geojson": "application/geo+json",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "odt": "application/vnd.oasis.opendocument.text"}
#: Items on one public page.
PAGE_SIZE = 30


class LibraryFileHandler(StaticFileHandler):
    """An item's file after the reader's rights are checked (see the module)."""

    def initialize(self, public: bool = False, auth_provider: Any = None,
                   users_path: Path | None = None,
                   library: Callable[[], Library] = open_library) -> None:
        self._library = library()
        super().initialize(path=str(self._library.files.root))
        self._public, self._auth, self._users = public, auth_provider, users_path
        self._item = None

    def _reader(self) -> Reader:
        if self._public:
            return Reader.public()
        if self._auth is None:  # a server without login: every municipality, no editing
            return session_reader(self._library, resolve_scope(None, None))
        user = self._auth.get_user(self)
        if not user:
            return Reader.public()
        users = load_users(self._users) if self._users is not None else None
        return session_reader(self._library, resolve_scope(user, users))

    async def get(self, item_id: str, include_body: bool = True) -> None:  # type: ignore[override]
        try:
            item, path = self._library.open(self._reader(), int(item_id))
        except (LibraryError, ValueError):
            raise HTTPError(404) from None
        self._item = item
        await super().get(path.relative_to(self._library.files.root).as_posix(), include_body)

    def get_content_type(self) -> str:
        return _MIME.get(self._item.format, "application/octet-stream") if self._item else (
            "application/octet-stream")

    def set_extra_headers(self, path: str) -> None:
        item = self._item
        if item is None:
            return
        how = "inline" if item.kind in ("video", "image") else "attachment"
        name = urllib.parse.quote(item.file_name)
        self.set_header("Content-Disposition", f"{how}; filename*=UTF-8''{name}")
        published_public = item.status == "published" and item.visibility == "public"
        self.set_header("Cache-Control", "public, max-age=300" if published_public
                        else "private, no-store")

    @classmethod
    def get_cache_time(cls, path: str, modified: Any, mime_type: str) -> int:
        return 0


_ENV = Environment(autoescape=True)
_PAGE = _ENV.from_string("""<!DOCTYPE html>
<html lang="{{ html_lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ tr('views.public.title') }}</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 0; color: #1f2328; }
header { background: #0072B2; color: white; padding: 10px 16px; }
header h1 { font-size: 1.3em; margin: 0; }
header p { margin: 4px 0 0; }
header a { color: white; margin-right: 10px; }
header a, header strong { white-space: nowrap; display: inline-block; }
main { max-width: 1100px; margin: 0 auto; padding: 10px 16px; }
form { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin: 8px 0 14px; }
label { display: flex; flex-direction: column; font-size: .9em; gap: 2px; }
select, input, button { font: inherit; padding: 4px 6px; max-width: 100%; }
.item { border-bottom: 1px solid #d0d7de; padding: 10px 0; overflow-wrap: anywhere; }
.item h2 { font-size: 1.1em; margin: 0 0 4px; }
.facts { color: #57606a; font-size: .92em; }
.tag { background: #eef1f4; border-radius: 3px; padding: 0 5px; margin-right: 4px; font-size: .85em; }
video, img, svg { max-width: 100%; display: block; margin-top: 6px; }
video { max-height: 360px; }
.pages a { margin-right: 10px; }
.consult { background: #f6f8fa; padding: 6px 12px; margin-top: 8px; }
.consult h3 { font-size: 1em; margin: 4px 0; }
.consult blockquote { margin: 6px 0; padding-left: 10px; border-left: 3px solid #0072B2; }
.consult blockquote p { margin: 0; }
.consult footer { color: #57606a; font-size: .85em; }
form.comment { display: flex; flex-direction: column; align-items: stretch; gap: 6px; max-width: 640px; }
form.comment fieldset { border: 0; padding: 0; margin: 0; }
label.inline { flex-direction: row; align-items: center; gap: 6px; display: inline-flex; margin-right: 12px; }
form.comment button { align-self: flex-start; }
.thanks { color: #0f5132; font-weight: bold; }
</style></head><body>
<header><h1>{{ tr('views.public.title') }}</h1><p>{{ tr('views.public.intro') }}</p>
<p>{% for code, name in languages %}{% if code == lang %}<strong>{{ name }}</strong> {% else %}<a href="{{ link(lang=code) }}" hreflang="{{ code }}">{{ name }}</a>{% endif %}{% endfor %}</p></header>
<main>
<form method="get" action="/public">
<input type="hidden" name="lang" value="{{ lang }}">
<label>{{ tr('views.public.municipality') }}<select name="municipality">
<option value="">{{ tr('views.public.all_municipalities') }}</option>
{% for mid, name in municipalities %}<option value="{{ mid }}"{% if mid == chosen.municipality %} selected{% endif %}>{{ name }}</option>{% endfor %}
</select></label>
<label>{{ tr('views.library.type') }}<select name="type">
<option value="">{{ tr('views.library.all_types') }}</option>
{% for key, name in types %}<option value="{{ key }}"{% if key == chosen.type %} selected{% endif %}>{{ name }}</option>{% endfor %}
</select></label>
<label>{{ tr('views.library.language') }}<select name="content">
<option value="">{{ tr('views.library.all_languages') }}</option>
{% for key, name in content_languages %}<option value="{{ key }}"{% if key == chosen.content %} selected{% endif %}>{{ name }}</option>{% endfor %}
</select></label>
<label>{{ tr('views.library.year') }}<select name="year">
<option value="">{{ tr('views.library.all_years') }}</option>
{% for y in years %}<option value="{{ y }}"{% if y == chosen.year %} selected{% endif %}>{{ y }}</option>{% endfor %}
</select></label>
<label>{{ tr('views.library.search') }}<input type="search" name="q" value="{{ chosen.q }}"></label>
<button type="submit">{{ tr('views.public.find') }}</button>
</form>
<p class="count">{{ count_text }}</p>
{% for item in items %}<article class="item" id="item-{{ item.item_id }}">
<h2>{{ item.title }}</h2>
<div class="facts">{{ item.facts }}</div>
{% if item.description %}<p>{{ item.description }}</p>{% endif %}
{% if item.tags %}<p>{% for tag in item.tags %}<span class="tag">{{ tag }}</span>{% endfor %}</p>{% endif %}
{% if item.kind == 'video' %}<video controls preload="metadata" src="/public/file/{{ item.item_id }}"></video>
{% elif item.kind == 'image' %}<img src="/public/file/{{ item.item_id }}" alt="{{ item.title }}">
{% elif item.kind == 'map' and item.svg %}{{ item.svg }}{% endif %}
<p><a href="/public/file/{{ item.item_id }}" download="{{ item.file_name }}">{{ tr('views.library.download') }}</a> ({{ item.size }})</p>
{% if item.comments or item.open %}<section class="consult">
<h3>{{ item.comments_title }}</h3>
{% for c in item.comments %}<blockquote><p>{{ c.text }}</p><footer>{{ c.who }} · {{ c.date }}{% if c.target %} · {{ c.target }}{% endif %}</footer></blockquote>{% endfor %}
{% if sent == item.item_id %}<p class="thanks">{{ tr('views.public.thanks') }}</p>{% endif %}
{% if item.open %}<form class="comment" method="post" action="/public/comment/{{ item.item_id }}">{{ xsrf }}
<input type="hidden" name="lang" value="{{ lang }}">
<fieldset><legend>{{ tr('views.public.you_are') }}</legend>
<label class="inline"><input type="radio" name="author_kind" value="resident" checked> {{ tr('views.public.as_resident') }}</label>
<label class="inline"><input type="radio" name="author_kind" value="organisation"> {{ tr('views.public.as_organisation') }}</label></fieldset>
<label>{{ tr('views.public.organisation_name') }}<input name="organisation" maxlength="200"></label>
<label>{{ tr('views.public.target') }}<input name="target" maxlength="40"></label>
<label>{{ tr('views.public.comment') }}<textarea name="text" maxlength="2000" rows="4" required></textarea></label>
<label class="inline"><input type="checkbox" name="consent" value="1" required> {{ tr('views.public.consent') }}</label>
<button type="submit">{{ tr('views.public.send') }}</button></form>{% endif %}
</section>{% endif %}
</article>{% endfor %}
<p class="pages">{% if prev_link %}<a href="{{ prev_link }}">{{ tr('views.public.previous') }}</a>{% endif %}{% if next_link %}<a href="{{ next_link }}">{{ tr('views.public.next') }}</a>{% endif %}</p>
</main></body></html>""")


class PublicLibraryHandler(XsrfForms, RequestHandler):
    """``/public``: the published public items, for residents (no login)."""

    def initialize(self, names: Callable[[str], dict[str, str]],
                   library: Callable[[], Library] = open_library) -> None:
        self._names = names
        self._library = library

    def get(self) -> None:
        arg = self.get_query_argument
        try:
            lang = resolve_lang(arg("lang", default_lang()))
        except Exception:  # an unknown language: the default one
            lang = default_lang()
        tr = Translator(lang)
        lib = self._library()
        names = self._names(lang)
        chosen = {"municipality": arg("municipality", ""), "type": arg("type", ""),
                  "content": arg("content", ""), "year": arg("year", ""),
                  "q": arg("q", "")[:200]}
        year = int(chosen["year"]) if chosen["year"].isdigit() and len(chosen["year"]) == 4 \
            else None
        item_type = chosen["type"] if chosen["type"] in ITEM_TYPES else None
        content = chosen["content"] if chosen["content"] in SUPPORTED_LANGS else None
        try:
            page = max(int(arg("page", "1")), 1)
        except ValueError:
            page = 1
        public = Reader.public()
        frame = lib.items(public, municipality_id=chosen["municipality"] or None,
                          item_type=item_type, language=content, text=chosen["q"] or None,
                          since=dt.date(year, 1, 1) if year else None,
                          until=dt.date(year, 12, 31) if year else None, lang=lang)
        everything = lib.items(public)
        with_items = sorted(set(everything["municipality_id"]), key=lambda m: names.get(m, m))
        years = sorted({d.year for d in everything["item_date"]}, reverse=True)
        total = len(frame)
        frame = frame.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        items = [self._item(lib, tr, lang, names, row) for row in frame.itertuples(index=False)]

        def link(**changes: Any) -> str:
            query = {"lang": lang, "municipality": chosen["municipality"],
                     "type": chosen["type"], "content": chosen["content"],
                     "year": chosen["year"], "q": chosen["q"],
                     "page": str(page)} | {k: str(v) for k, v in changes.items()}
            return "/public?" + urllib.parse.urlencode({k: v for k, v in query.items() if v})

        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.write(_PAGE.render(
            tr=tr, lang=lang, html_lang=lang.split("-")[0], link=link, chosen=chosen,
            languages=[(code, language_name(code, capital=True)) for code in SUPPORTED_LANGS],
            municipalities=[(m, names.get(m, m)) for m in with_items],
            types=[(k, tr(f"library.types.{k}")) for k in ITEM_TYPES],
            content_languages=[(k, language_name_in(k, lang, capital=True))
                               for k in SUPPORTED_LANGS],
            years=[str(y) for y in years], items=items,
            xsrf=Markup(self.xsrf_form_html()), sent=_int(arg("sent", "")), count_text=tr.n("views.public.count", total, n=total),
            prev_link=link(page=page - 1) if page > 1 else "",
            next_link=link(page=page + 1) if page * PAGE_SIZE < total else ""))

    @staticmethod
    def _item(lib: Library, tr: Translator, lang: str, names: dict[str, str],
              row: Any) -> dict[str, Any]:
        facts = [names.get(row.municipality_id, row.municipality_id),
                 tr(f"library.types.{row.item_type}"), tr.date(row.item_date, "medium")]
        if isinstance(row.language, str) and row.language:
            facts.append(language_name_in(row.language, lang, capital=True))
        size = size_text(tr, int(row.size))
        svg = ""
        if row.kind == "map":
            try:
                _item, path = lib.open(Reader.public(), int(row.item_id))
                svg = Markup(geojson_svg(path.read_bytes(), width=640, height=400, lang=lang))
            except (LibraryError, ValueError, OSError):
                svg = ""
        until = row.comments_until if isinstance(row.comments_until, dt.date) else None
        comments = lib.comments(Reader.public(), int(row.item_id))
        shown = [{"text": c.text, "date": tr.date(c.date, "medium"), "target": c.target
                  if isinstance(c.target, str) else "",
                  "who": c.organisation if isinstance(c.organisation, str) and c.organisation
                  else tr(f"views.public.{c.author_kind}")}
                 for c in comments.itertuples(index=False)]
        is_open = open_for_comments(row.status, row.visibility, until)
        heading = (tr("views.public.comments_open", until=tr.date(until, "long"))
                   if is_open else tr("views.public.comments_closed"))
        return {"open": is_open, "comments": shown, "comments_title": heading,
                "item_id": int(row.item_id), "title": row.title, "facts": " · ".join(facts),
                "description": row.description if isinstance(row.description, str) else "", "tags": list(row.tags), "kind": row.kind,
                "file_name": row.file_name, "size": size, "svg": svg}


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


class PublicCommentHandler(XsrfForms, RequestHandler):
    """``POST /public/comment/<id>``: a resident's comment on an item open for comments, kept
    pending for moderation; throttled per address; XSRF-protected like the login form."""

    #: At most this many comments per address in :data:`WINDOW_S` seconds.
    LIMIT = 5
    WINDOW_S = 600.0
    _seen: dict[str, list[float]] = {}

    def initialize(self, library: Callable[[], Library] = open_library) -> None:
        self._library = library

    def post(self, item_id: str) -> None:
        import time

        self.check_xsrf_cookie()
        try:
            lang = resolve_lang(self.get_body_argument("lang", default_lang()))
        except Exception:
            lang = default_lang()
        tr = Translator(lang)
        address = self.request.remote_ip or "?"
        now = time.monotonic()
        recent = [t for t in self._seen.get(address, []) if now - t < self.WINDOW_S]
        if len(recent) >= self.LIMIT:
            self._answer(429, tr("views.public.too_many"), lang)
            return
        if self.get_body_argument("consent", "") != "1":
            self._answer(400, tr("views.public.no_consent"), lang)
            return
        try:
            self._library().comment(
                int(item_id), self.get_body_argument("text", "")[:5000],
                author_kind=self.get_body_argument("author_kind", "resident"),
                organisation=self.get_body_argument("organisation", "") or None,
                target=self.get_body_argument("target", "") or None)
        except LibraryError as exc:
            self._answer(400, exc.render(lang), lang)
            return
        self._seen[address] = [*recent, now]
        self.redirect(f"/public?lang={urllib.parse.quote(lang)}&sent={int(item_id)}"
                      f"#item-{int(item_id)}", status=303)

    def _answer(self, status: int, text: str, lang: str) -> None:
        import html

        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        back = Translator(lang)("views.public.back")
        self.write(f'<!DOCTYPE html><html lang="{html.escape(lang.split("-")[0])}"><head>'
                   '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
                   f'</head><body><p>{html.escape(text)}</p><p><a href="/public?lang='
                   f'{urllib.parse.quote(lang)}">{html.escape(back)}</a></p></body></html>')


def library_routes(names: Callable[[str], dict[str, str]], auth_provider: Any = None,
                   users_path: Path | None = None) -> list[tuple[str, type, dict[str, Any]]]:
    """The Tornado routes of this module, for :func:`socialkit.views.server.serve`."""
    return [
        (r"/public/?", PublicLibraryHandler, {"names": names}),
        (r"/public/file/([0-9]+)(?:/.*)?", LibraryFileHandler, {"public": True}),
        (r"/public/comment/([0-9]+)", PublicCommentHandler, {}),
        (r"/library/file/([0-9]+)(?:/.*)?", LibraryFileHandler,
         {"auth_provider": auth_provider, "users_path": users_path}),
    ]

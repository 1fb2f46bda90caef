"""The library's items in the suite's store: metadata, publishing, roles and the audit trail.

An item is one uploaded file (a strategy, a map, a video …) of one municipality with its
metadata: a title and description per language, its type (:data:`ITEM_TYPES`), the language of
its content, a date, tags, and who may see it. The bytes live in the :class:`FileStore` under
their SHA-256; the metadata in the store's ``library_items`` table, every change of it in
``library_events`` (who, when, old → new, why). The file is written (atomically) before its
row is inserted, in one transaction with its first event: an item is listed only once its
whole file is kept, and a failed upload leaves no item.

**Who sees and does what** (checked here, on the server, for every call; the dashboard, the
public page and the file routes all go through :class:`Library`):

==================  ============================================================================
reader              may
==================  ============================================================================
anyone (public)     see and download **published public** items
logged-in official  also published **internal** items of the municipalities of their scope
                    (the dashboard's users file)
editor of M         also the drafts of M; upload for M; edit, publish, unpublish and withdraw
                    M's items (``socialkit library grant USER editor --municipality M``)
administrator       everything, every municipality; grant roles
==================  ============================================================================

A withdrawn item is listed to no one but kept (with its history). Items of type ``report``
are registered from the reports folder by :meth:`Library.register_reports` (the batch's
manifests say which municipality, report and language each PDF is): published, internal.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ..config import SUPPORTED_LANGS, default_lang
from ..errors import SocialkitError
from ..i18n import t
from ..store import Store
from ..store.models import (
    ITEM_STATUSES,
    ITEM_TYPES,
    LIBRARY_ROLES,
    LibraryComment,
    LibraryEvent,
    LibraryItem,
    LibraryRole,
    ProfProgramme,
)
from .checks import UploadError, check_upload
from .filestore import FileStore

__all__ = ["ITEM_STATUSES", "ITEM_TYPES", "Item", "Library", "LibraryError", "Reader",
           "open_for_comments"]

#: Item types a file of each kind may be (a video is a video or a training material …).
_TYPES_OF_KIND: dict[str, frozenset[str]] = {
    "document": frozenset(ITEM_TYPES) - {"video", "map"},
    "image": frozenset({"map", "passport", "minutes", "training_material", "report",
                       "strategy", "action_plan"}),
    "map": frozenset({"map"}),
    "video": frozenset({"video", "training_material"}),
}
#: Metadata an editor may change with :meth:`Library.edit`.
EDITABLE = ("titles", "descriptions", "item_type", "language", "item_date", "tags",
            "visibility", "programme_id", "comments_until")
#: Longest comment a resident may leave (characters).
COMMENT_MAX = 2000
#: Columns of :meth:`Library.comments`.
COMMENT_COLUMNS = ["comment_id", "item_id", "date", "author_kind", "organisation", "target",
                   "text", "status"]


class LibraryError(SocialkitError):
    """Something the library refused; ``key``/``params`` give the message in any language."""

    def __init__(self, key: str, **params: object):
        self.key = key
        self.params = params
        super().__init__(self.render(default_lang()))

    def render(self, lang: str | None = None) -> str:
        """The message in ``lang``."""
        return t(f"library.errors.{self.key}", lang, **self.params)


@dataclass(frozen=True)
class Reader:
    """Who is looking at the library.

    ``user`` is ``None`` for the public (no login); ``municipalities`` the dashboard scope
    (``None``: all); ``editor_of`` the municipalities the user edits; ``admin`` every right.
    Build one with :meth:`Library.reader`, :meth:`public` or :meth:`system`.
    """

    user: str | None
    municipalities: frozenset[str] | None = frozenset()
    editor_of: frozenset[str] = frozenset()
    admin: bool = False

    @classmethod
    def public(cls) -> Reader:
        """A resident on the public page: published public items only."""
        return cls(user=None)

    @classmethod
    def system(cls, user: str = "admin") -> Reader:
        """The administrator on the command line."""
        return cls(user=user, municipalities=None, admin=True)

    @property
    def name(self) -> str:
        return self.user or "public"

    def may_edit(self, municipality_id: str) -> bool:
        """Upload, edit and publish for ``municipality_id``."""
        return self.admin or municipality_id in self.editor_of

    def official_of(self, municipality_id: str) -> bool:
        """A logged-in official who may see ``municipality_id``'s internal items."""
        if self.user is None:
            return False
        return self.municipalities is None or municipality_id in self.municipalities

    def may_see(self, municipality_id: str, status: str, visibility: str) -> bool:
        """Whether an item with these properties is visible to this reader."""
        if self.admin:
            return True
        if status == "withdrawn":
            return False
        if status == "draft":
            return self.may_edit(municipality_id)
        return (visibility == "public" or self.official_of(municipality_id)
                or self.may_edit(municipality_id))


@dataclass(frozen=True)
class Item:
    """A library item as stored (a snapshot; change it through :class:`Library`)."""

    item_id: int
    municipality_id: str
    item_type: str
    kind: str
    format: str
    sha256: str
    size: int
    file_name: str
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    language: str | None
    item_date: dt.date
    tags: tuple[str, ...]
    visibility: str
    status: str
    programme_id: str | None
    source: str
    version: int
    updated_at: dt.datetime
    published_at: dt.datetime | None = None
    comments_until: dt.date | None = None

    def open_for_comments(self, today: dt.date | None = None) -> bool:
        """Published, public and its consultation still running (``comments_until``)."""
        return open_for_comments(self.status, self.visibility, self.comments_until, today)


    def title(self, lang: str) -> str:
        """The title in ``lang``, else English, else the first one given."""
        return _pick(self.titles, lang) or self.file_name

    def description(self, lang: str) -> str:
        return _pick(self.descriptions, lang)


def open_for_comments(status: str, visibility: str, until: dt.date | None,
                      today: dt.date | None = None) -> bool:
    """Whether an item with these properties takes comments on the public page today."""
    return (status == "published" and visibility == "public" and until is not None
            and (today or dt.date.today()) <= until)


def _pick(texts: Mapping[str, str], lang: str) -> str:
    if not texts:
        return ""
    base = lang.split("-")[0]
    for key in (lang, base, "en"):
        if texts.get(key):
            return texts[key]
    # Serbian: one script's text serves the other (the reader sees it in their script)
    for key, text in texts.items():
        if key.split("-")[0] == base and text:
            return text
    return next((v for v in texts.values() if v), "")


def _snapshot(row: LibraryItem) -> Item:
    return Item(item_id=row.id, municipality_id=row.municipality_id, item_type=row.item_type,
                kind=row.kind, format=row.format, sha256=row.sha256, size=row.size,
                file_name=row.file_name, titles=dict(row.titles or {}),
                descriptions=dict(row.descriptions or {}), language=row.language,
                item_date=row.item_date, tags=tuple(row.tags or ()),
                visibility=row.visibility, status=row.status, programme_id=row.programme_id,
                source=row.source, version=row.version_id, updated_at=row.updated_at,
                published_at=row.published_at, comments_until=row.comments_until)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


#: Columns of :meth:`Library.items`.
ITEM_COLUMNS = ["item_id", "municipality_id", "item_type", "kind", "format", "title",
                "description", "language", "item_date", "tags", "visibility", "status",
                "size", "file_name", "programme_id", "source", "version", "published_at",
                "comments_until"]


class Library:
    """The e-platform library on the suite's store (``store``) and a :class:`FileStore`."""

    def __init__(self, store: Store, files: FileStore):
        self.store = store
        self.files = files

    # ------------------------------------------------------------------ who
    def reader(self, user: str | None, municipalities: Iterable[str] | None) -> Reader:
        """The reader ``user`` (``None``: the public) with the dashboard scope
        ``municipalities`` (``None``: all) and the library roles the store gives them. An
        editor's municipalities are those of the role that are also in their scope."""
        if user is None:
            return Reader.public()
        scope = None if municipalities is None else frozenset(municipalities)
        with self.store._session() as s:
            rows = s.execute(sa.select(LibraryRole.role, LibraryRole.municipality_id)
                             .where(LibraryRole.user_name == user)).all()
        admin = any(role == "admin" for role, _ in rows)
        edits = frozenset(m for role, m in rows if role == "editor" and m is not None)
        if scope is not None:
            edits = edits & scope
        return Reader(user=user, municipalities=scope, editor_of=edits,
                      admin=admin and scope is None)

    def grant(self, by: Reader, user: str, role: str, municipality_id: str | None = None) -> None:
        """Give ``user`` a library role (administrators only): ``editor`` of
        ``municipality_id`` or ``admin``. Granting twice is harmless."""
        self._require_admin(by)
        if role not in LIBRARY_ROLES:
            raise LibraryError("unknown_role", role=role, roles=", ".join(LIBRARY_ROLES))
        if (role == "editor") != (municipality_id is not None):
            raise LibraryError("role_municipality", role=role)
        with self.store._session(write=True) as s:
            exists = s.scalar(sa.select(LibraryRole.id).where(
                LibraryRole.user_name == user, LibraryRole.role == role,
                LibraryRole.municipality_id.is_(None) if municipality_id is None
                else LibraryRole.municipality_id == municipality_id))
            if exists is None:
                s.add(LibraryRole(user_name=user, role=role, municipality_id=municipality_id,
                                  granted_by=by.name))

    def revoke(self, by: Reader, user: str, role: str, municipality_id: str | None = None) -> int:
        """Take a library role away; returns how many grants were removed."""
        self._require_admin(by)
        cond = (LibraryRole.municipality_id.is_(None) if municipality_id is None
                else LibraryRole.municipality_id == municipality_id)
        with self.store._session(write=True) as s:
            return s.execute(sa.delete(LibraryRole).where(
                LibraryRole.user_name == user, LibraryRole.role == role, cond)).rowcount

    def roles(self, by: Reader) -> pd.DataFrame:
        """Every library grant (administrators only)."""
        self._require_admin(by)
        with self.store._session() as s:
            rows = s.execute(sa.select(LibraryRole.user_name, LibraryRole.role,
                                       LibraryRole.municipality_id, LibraryRole.granted_by)
                             .order_by(LibraryRole.user_name, LibraryRole.role)).all()
        return pd.DataFrame(rows, columns=["user", "role", "municipality_id", "granted_by"])

    @staticmethod
    def _require_admin(by: Reader) -> None:
        if not by.admin:
            raise LibraryError("admin_only", user=by.name)

    @staticmethod
    def _require_editor(by: Reader, municipality_id: str) -> None:
        if not by.may_edit(municipality_id):
            raise LibraryError("not_editor", user=by.name, municipality=municipality_id)

    # ------------------------------------------------------------------ checks
    def _check_meta(self, s, kind: str, meta: Mapping[str, Any], file: str) -> dict[str, Any]:
        out = dict(meta)
        item_type = out.get("item_type")
        if item_type not in ITEM_TYPES:
            raise LibraryError("unknown_type", file=file, value=item_type,
                               types=", ".join(ITEM_TYPES))
        if item_type not in _TYPES_OF_KIND[kind]:
            raise LibraryError("type_kind", file=file, type=item_type, kind=kind,
                               types=", ".join(sorted(_TYPES_OF_KIND[kind])))
        titles = {str(k): str(v).strip() for k, v in (out.get("titles") or {}).items()
                  if str(v).strip()}
        descriptions = {str(k): str(v).strip()
                        for k, v in (out.get("descriptions") or {}).items() if str(v).strip()}
        for lang in [*titles, *descriptions]:
            if lang not in SUPPORTED_LANGS:
                raise LibraryError("unknown_language", file=file, value=lang,
                                   langs=", ".join(SUPPORTED_LANGS))
        if not titles:
            raise LibraryError("no_title", file=file)
        if any(len(v) > 300 for v in titles.values()):
            raise LibraryError("title_too_long", file=file, limit=300)
        out["titles"], out["descriptions"] = titles, descriptions
        language = out.get("language") or None
        if language is not None and language not in SUPPORTED_LANGS:
            raise LibraryError("unknown_language", file=file, value=language,
                               langs=", ".join(SUPPORTED_LANGS))
        out["language"] = language
        out["item_date"] = _date(out.get("item_date") or dt.date.today(), file)
        tags = out.get("tags") or ()
        if isinstance(tags, str):
            tags = [p for p in (x.strip() for x in tags.split(",")) if p]
        out["tags"] = sorted({str(x).strip() for x in tags if str(x).strip()})
        visibility = out.get("visibility") or "internal"
        if visibility not in ("public", "internal"):
            raise LibraryError("bad_visibility", file=file, value=visibility)
        out["visibility"] = visibility
        programme = out.get("programme_id") or None
        if programme is not None:
            if item_type != "training_material":
                raise LibraryError("programme_not_training", file=file, programme=programme)
            if s.get(ProfProgramme, programme) is None:
                raise LibraryError("unknown_programme", file=file, programme=programme)
        out["programme_id"] = programme
        until = out.get("comments_until") or None
        out["comments_until"] = None if until is None else _date(until, file)
        return out

    # ------------------------------------------------------------------ writing
    def add(self, by: Reader, name: str, data: bytes, municipality_id: str, *,
            item_type: str, titles: Mapping[str, str],
            descriptions: Mapping[str, str] | None = None, language: str | None = None,
            item_date: dt.date | str | None = None, tags: Sequence[str] | str = (),
            visibility: str = "internal", programme_id: str | None = None,
            comments_until: dt.date | str | None = None,
            publish: bool = False, lang: str = "en") -> Item:
        """Upload ``data`` (the file ``name``) as a new item of ``municipality_id``.

        The file is checked (:func:`check_upload`: format from its content, size limit of its
        kind), kept in the file store, then its metadata inserted as a **draft** (or
        published at once with ``publish=True``) with its first audit event.

        Raises
        ------
        socialkit.library.UploadError
            The file is refused (message in ``lang``).
        LibraryError
            Not an editor of the municipality; bad metadata (an unknown type, a type the
            file's kind cannot be, no title, an unknown language or programme …).
        """
        self._require_editor(by, municipality_id)
        upload = check_upload(name, data, lang)
        meta = {"item_type": item_type, "titles": titles, "descriptions": descriptions,
                "language": language, "item_date": item_date, "tags": tags,
                "visibility": visibility, "programme_id": programme_id,
                "comments_until": comments_until}
        with self.store._session() as s:
            meta = self._check_meta(s, upload.kind, meta, upload.name)
        sha = self.files.put(upload, data)  # whole on disk before any row names it
        now = _now()
        with self.store._session(write=True) as s:
            row = LibraryItem(municipality_id=municipality_id, kind=upload.kind,
                              format=upload.format, sha256=sha, size=upload.size,
                              file_name=upload.name, status="draft", source="upload",
                              created_by=by.name, created_at=now, updated_by=by.name,
                              updated_at=now, **meta)
            s.add(row)
            s.flush()
            s.add(LibraryEvent(item_id=row.id, version=row.version_id, action="upload",
                               changes={k: [None, _jsonable(v)] for k, v in meta.items()
                                        if v not in (None, [], {})} | {
                                   "file": [None, f"{upload.name} ({sha[:12]})"]},
                               reason=None, by=by.name, at=now))
            if publish:
                self._set_status(s, by, row, "published", None, now)
            s.flush()
            return _snapshot(row)

    def _load(self, s, by: Reader, item_id: int, edit: bool) -> LibraryItem:
        row = s.get(LibraryItem, item_id, with_for_update=edit and s.bind.dialect.name
                    == "postgresql")
        if row is None or not by.may_see(row.municipality_id, row.status, row.visibility):
            raise LibraryError("no_item", item=item_id)
        if edit:
            self._require_editor(by, row.municipality_id)
        return row

    @staticmethod
    def _check_version(row: LibraryItem, expected: int | None) -> None:
        if expected is not None and row.version_id != expected:
            raise LibraryError("changed", item=row.id, title=_pick(row.titles, "en"),
                               who=row.updated_by, seen=expected, now=row.version_id)

    def _set_status(self, s, by: Reader, row: LibraryItem, status: str, reason: str | None,
                    now: dt.datetime) -> None:
        old = row.status
        row.status = status
        row.updated_by, row.updated_at = by.name, now
        if status == "published":
            row.published_by, row.published_at = by.name, now
        s.flush()
        action = {"published": "publish", "draft": "unpublish", "withdrawn": "withdraw"}[status]
        s.add(LibraryEvent(item_id=row.id, version=row.version_id, action=action,
                           changes={"status": [old, status]}, reason=reason, by=by.name,
                           at=now))

    def _transition(self, by: Reader, item_id: int, expected_version: int | None, status: str,
                    allowed_from: tuple[str, ...], reason: str | None) -> Item:
        with self.store._session(write=True) as s:
            row = self._load(s, by, item_id, edit=True)
            self._check_version(row, expected_version)
            if row.status not in allowed_from:
                raise LibraryError("bad_step", item=item_id, status=row.status, to=status)
            self._set_status(s, by, row, status, reason, _now())
            return _snapshot(row)

    def publish(self, by: Reader, item_id: int, expected_version: int | None = None) -> Item:
        """Publish a draft: it is listed to its audience from now on."""
        return self._transition(by, item_id, expected_version, "published", ("draft",), None)

    def unpublish(self, by: Reader, item_id: int, expected_version: int | None = None,
                  reason: str | None = None) -> Item:
        """Take a published item back to draft (its editors still see it)."""
        return self._transition(by, item_id, expected_version, "draft", ("published",), reason)

    def withdraw(self, by: Reader, item_id: int, expected_version: int | None = None,
                 reason: str | None = None) -> Item:
        """Withdraw an item: listed to no one, kept with its history (never deleted)."""
        return self._transition(by, item_id, expected_version, "withdrawn",
                                ("draft", "published"), reason)

    def edit(self, by: Reader, item_id: int, expected_version: int | None = None, *,
             reason: str | None = None, **changes: Any) -> Item:
        """Change an item's metadata (:data:`EDITABLE`); the old and new values go to the
        audit trail. A save on a version someone else changed meanwhile is refused."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise LibraryError("not_editable", fields=", ".join(sorted(unknown)),
                               editable=", ".join(EDITABLE))
        with self.store._session(write=True) as s:
            row = self._load(s, by, item_id, edit=True)
            self._check_version(row, expected_version)
            current = {k: getattr(row, k) for k in EDITABLE}
            meta = self._check_meta(s, row.kind, current | changes, row.file_name)
            diff = {k: [_jsonable(current[k]), _jsonable(v)] for k, v in meta.items()
                    if _jsonable(current[k]) != _jsonable(v)}
            if not diff:
                return _snapshot(row)
            now = _now()
            for k in diff:
                setattr(row, k, meta[k])
            row.updated_by, row.updated_at = by.name, now
            s.flush()
            s.add(LibraryEvent(item_id=row.id, version=row.version_id, action="edit",
                               changes=diff, reason=reason, by=by.name, at=now))
            return _snapshot(row)

    # ------------------------------------------------------------------ reading
    def item(self, by: Reader, item_id: int) -> Item:
        """One item the reader may see (``LibraryError`` ``no_item`` otherwise: an item the
        reader may not see is answered like one that does not exist)."""
        with self.store._session() as s:
            return _snapshot(self._load(s, by, item_id, edit=False))

    def open(self, by: Reader, item_id: int) -> tuple[Item, Path]:
        """The item and the path of its file, if the reader may see it."""
        item = self.item(by, item_id)
        path = self.files.path(item.sha256, item.format)
        if not path.is_file():
            raise LibraryError("file_missing", item=item_id, file=item.file_name)
        return item, path

    def items(self, by: Reader, *, municipality_id: str | Iterable[str] | None = None,
              item_type: str | None = None, language: str | None = None,
              since: dt.date | None = None, until: dt.date | None = None,
              text: str | None = None, status: str | None = None,
              lang: str = "en") -> pd.DataFrame:
        """The items the reader may see, newest first (:data:`ITEM_COLUMNS`; ``title`` and
        ``description`` in ``lang``). Filters: municipality (one id or several), type, the
        content's language, date range, ``text`` (in any title, description, tag or file
        name, case-insensitive), status."""
        q = sa.select(LibraryItem)
        if isinstance(municipality_id, str):
            q = q.where(LibraryItem.municipality_id == municipality_id)
        elif municipality_id is not None:
            q = q.where(LibraryItem.municipality_id.in_(list(municipality_id)))
        if item_type:
            q = q.where(LibraryItem.item_type == item_type)
        if language:
            q = q.where(LibraryItem.language == language)
        if since:
            q = q.where(LibraryItem.item_date >= since)
        if until:
            q = q.where(LibraryItem.item_date <= until)
        if status:
            q = q.where(LibraryItem.status == status)
        if not by.admin:
            q = q.where(LibraryItem.status != "withdrawn")
            if by.user is None:
                q = q.where(LibraryItem.status == "published",
                            LibraryItem.visibility == "public")
        q = q.order_by(LibraryItem.item_date.desc(), LibraryItem.id.desc())
        with self.store._session() as s:
            rows = [r for r in s.scalars(q)
                    if by.may_see(r.municipality_id, r.status, r.visibility)]
        needle = (text or "").strip().casefold()
        out = []
        for r in rows:
            if needle:
                hay = " ".join([*r.titles.values(), *r.descriptions.values(), *r.tags,
                                r.file_name]).casefold()
                if needle not in hay:
                    continue
            out.append([r.id, r.municipality_id, r.item_type, r.kind, r.format,
                        _pick(r.titles, lang) or r.file_name, _pick(r.descriptions, lang),
                        r.language, r.item_date, tuple(r.tags), r.visibility, r.status,
                        r.size, r.file_name, r.programme_id, r.source, r.version_id,
                        r.published_at, r.comments_until])
        return pd.DataFrame(out, columns=ITEM_COLUMNS)

    def history(self, by: Reader, item_id: int) -> pd.DataFrame:
        """Every change of an item, withdrawn ones too (its editors and administrators only)."""
        with self.store._session() as s:
            row = s.get(LibraryItem, item_id)
            if row is None or not by.may_edit(row.municipality_id):
                raise LibraryError("no_item", item=item_id)
            rows = s.execute(sa.select(LibraryEvent.version, LibraryEvent.action,
                                       LibraryEvent.by, LibraryEvent.at,
                                       LibraryEvent.changes, LibraryEvent.reason)
                             .where(LibraryEvent.item_id == item_id)
                             .order_by(LibraryEvent.id)).all()
        return pd.DataFrame(rows, columns=["version", "action", "by", "at", "changes",
                                           "reason"])

    def programmes(self) -> pd.DataFrame:
        """The training programmes of the registry of professionals (``programme_id``,
        ``title``, ``title_local``), which training materials may belong to."""
        with self.store._session() as s:
            rows = s.execute(sa.select(ProfProgramme.programme_id, ProfProgramme.title,
                                       ProfProgramme.title_local)
                             .order_by(ProfProgramme.programme_id)).all()
        return pd.DataFrame(rows, columns=["programme_id", "title", "title_local"])

    # ------------------------------------------------------------------ public consultation
    def comment(self, item_id: int, text: str, author_kind: str = "resident",
                organisation: str | None = None, target: str | None = None,
                today: dt.date | None = None) -> int:
        """Keep a comment on an item open for comments (anyone may: it is kept **pending**
        until a moderator publishes it; no name is asked or kept). Returns its id.

        Raises
        ------
        LibraryError
            The item is not open for comments (not published and public, or its
            consultation ended), the text is empty or too long, the author kind unknown.
        """
        text = (text or "").strip()
        if author_kind not in ("resident", "organisation"):
            raise LibraryError("bad_author_kind", value=author_kind)
        if not text or len(text) > COMMENT_MAX:
            raise LibraryError("comment_length", limit=COMMENT_MAX)
        organisation = (organisation or "").strip()[:200] or None
        target = (target or "").strip()[:40] or None
        with self.store._session(write=True) as s:
            row = s.get(LibraryItem, item_id)
            if row is None or not _snapshot(row).open_for_comments(today):
                raise LibraryError("not_open_for_comments", item=item_id)
            comment = LibraryComment(item_id=item_id, author_kind=author_kind,
                                     organisation=organisation if author_kind == "organisation"
                                     else None, target=target, text=text, status="pending",
                                     created_at=_now())
            s.add(comment)
            s.flush()
            return int(comment.id)

    def comments(self, by: Reader, item_id: int, status: str | None = None) -> pd.DataFrame:
        """The comments on an item (:data:`COMMENT_COLUMNS`), oldest first: the published ones
        for anyone who may see the item, every one (pending, rejected) for its editors."""
        with self.store._session() as s:
            row = self._load(s, by, item_id, edit=False)
            q = sa.select(LibraryComment).where(LibraryComment.item_id == item_id)
            if not by.may_edit(row.municipality_id):
                q = q.where(LibraryComment.status == "published")
            elif status:
                q = q.where(LibraryComment.status == status)
            rows = s.scalars(q.order_by(LibraryComment.id)).all()
        return pd.DataFrame([(c.id, c.item_id, c.created_at.date(), c.author_kind,
                              c.organisation, c.target, c.text, c.status) for c in rows],
                            columns=COMMENT_COLUMNS)

    def moderate(self, by: Reader, comment_id: int, status: str) -> None:
        """Publish or reject a comment (the item's editors); recorded in the item's audit
        trail."""
        if status not in ("published", "rejected"):
            raise LibraryError("bad_step", item=comment_id, status="pending", to=status)
        with self.store._session(write=True) as s:
            comment = s.get(LibraryComment, comment_id)
            if comment is None:
                raise LibraryError("no_item", item=comment_id)
            row = self._load(s, by, comment.item_id, edit=True)
            old, now = comment.status, _now()
            comment.status, comment.moderated_by, comment.moderated_at = status, by.name, now
            s.add(LibraryEvent(item_id=row.id, version=row.version_id, action="moderate",
                               changes={f"comment {comment_id}": [old, status]}, reason=None,
                               by=by.name, at=now))

    def comments_table(self, by: Reader, item_id: int, prefix: str = "W") -> pd.DataFrame:
        """The moderated comments in the layout of a strategy cycle's ``comments.csv``
        (``comment_id, date, author_kind, organisation, moderation, target, text``), so the
        working group answers them and the answers table is annexed to the strategy
        (:mod:`socialkit.strategy`). A comment without a target is ``general``."""
        municipality = self.item(by, item_id).municipality_id
        if not by.may_edit(municipality):
            raise LibraryError("not_editor", user=by.name, municipality=municipality)
        frame = self.comments(by, item_id)
        frame = frame[frame["status"].isin(["published", "rejected"])]
        return pd.DataFrame({
            "comment_id": [f"{prefix}{c}" for c in frame["comment_id"]],
            "date": [d.isoformat() for d in frame["date"]],
            "author_kind": list(frame["author_kind"]),
            "organisation": [o if isinstance(o, str) else "" for o in frame["organisation"]],
            "moderation": list(frame["status"]),
            "target": [x if isinstance(x, str) and x else "general" for x in frame["target"]],
            "text": list(frame["text"]),
        })

    # ------------------------------------------------------------------ generated reports
    def register_reports(self, folder: str | Path, by: Reader | None = None,
                         titles: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, int]:
        """Register the PDF reports of a reports folder as items of type ``report``.

        The batch's manifests (``<folder>/manifest.json`` and those of sub-folders, written
        by ``socialkit report``, :mod:`socialkit.reporting.manifest`)
        say which municipality, report and language each PDF is; each PDF becomes one item
        (published, internal: the municipality's officials see it), keyed by its path, so a
        second run adds nothing and a report made again replaces the item's file (an audit
        event ``replace``). ``titles`` maps a report kind to its title per language (default:
        the reports' own titles, ``reporting.title.<kind>``).

        Returns
        -------
        dict
            ``{"added": n, "replaced": n, "unchanged": n}``
        """
        by = by or Reader.system("reports")
        folder = Path(folder).resolve()
        counts = {"added": 0, "replaced": 0, "unchanged": 0}
        with self.store._session() as s:  # what is registered: one query, not one per file
            known = {(m, p): (size, at) for m, p, size, at in s.execute(
                sa.select(LibraryItem.municipality_id, LibraryItem.source_path,
                          LibraryItem.size, LibraryItem.updated_at)
                .where(LibraryItem.source == "report"))}
        for entry in _manifest_reports(folder):
            path = (folder / entry["path"]).resolve()
            if not path.is_relative_to(folder) or not path.is_file():
                continue
            rel = path.relative_to(folder).as_posix()
            seen = known.get((entry["municipality_id"], rel))
            stat = path.stat()
            if seen is not None and seen[0] == stat.st_size and _aware(seen[1]).timestamp() \
                    >= stat.st_mtime:  # same size, not written since: not read again
                counts["unchanged"] += 1
                continue
            data = path.read_bytes()
            try:
                upload = check_upload(path.name, data)
            except UploadError:  # not a PDF, or larger than a document may be: not listed
                continue
            kind = entry["report"]
            names = (titles or {}).get(kind) or _report_titles(kind)
            mid, lang = entry["municipality_id"], entry.get("lang")
            try:
                counts[self._register(by, upload, data, path, rel, mid, lang, kind, names)] += 1
            except sa.exc.IntegrityError:  # another server process registered it just now
                counts["unchanged"] += 1
        return counts

    def _register(self, by: Reader, upload, data: bytes, path: Path, rel: str, mid: str,
                  lang: str | None, kind: str, names: Mapping[str, str]) -> str:
        """Register or replace one report; returns ``added``, ``replaced`` or ``unchanged``."""
        sha = self.files.put(upload, data)
        day = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date()
        with self.store._session(write=True) as s:
            row = s.scalar(sa.select(LibraryItem).where(
                LibraryItem.municipality_id == mid, LibraryItem.source_path == rel))
            now = _now()
            if row is not None and row.sha256 == sha:
                return "unchanged"
            if row is None:
                row = LibraryItem(
                    municipality_id=mid, item_type="report", kind=upload.kind,
                    format=upload.format, sha256=sha, size=upload.size, file_name=path.name,
                    titles=dict(names), descriptions={},
                    language=lang if lang in SUPPORTED_LANGS else None, item_date=day,
                    tags=[kind], visibility="internal", status="published", source="report",
                    source_path=rel, created_by=by.name, created_at=now, updated_by=by.name,
                    updated_at=now, published_by=by.name, published_at=now)
                s.add(row)
                s.flush()
                s.add(LibraryEvent(item_id=row.id, version=row.version_id, action="register",
                                   changes={"file": [None, rel]}, reason=None, by=by.name,
                                   at=now))
                return "added"
            old = row.sha256
            row.sha256, row.size, row.item_date = sha, upload.size, day
            row.updated_by, row.updated_at = by.name, now
            s.flush()
            s.add(LibraryEvent(item_id=row.id, version=row.version_id, action="replace",
                               changes={"sha256": [old, sha]}, reason=None, by=by.name,
                               at=now))
            return "replaced"


def _date(value: dt.date | str, file: str) -> dt.date:
    """A date given as a date or as ``YYYY-MM-DD`` (else ``LibraryError`` naming the file)."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise LibraryError("bad_date", file=file, value=value) from None
    return value


def _aware(moment: dt.datetime) -> dt.datetime:
    """A stored time as an aware one (SQLite gives back naive UTC times)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _report_titles(kind: str) -> dict[str, str]:
    return {lang: t(f"reporting.title.{kind}", lang) for lang in SUPPORTED_LANGS}


def _manifest_reports(folder: Path) -> list[dict[str, Any]]:
    """``{path, municipality_id, report, lang}`` of every PDF the manifests under ``folder``
    list (paths relative to ``folder``)."""
    out: list[dict[str, Any]] = []
    for manifest in sorted(folder.rglob("manifest.json")):
        if "_runs" in manifest.relative_to(folder).parts:  # one run's; the folder's is enough
            continue
        try:
            doc = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for entry in _manifest_entries(doc):
            pdf, mid, kind = entry.get("output"), entry.get("municipality_id"), entry.get("report")
            if not (pdf and mid and kind) or entry.get("status") not in ("ok", "skipped"):
                continue
            pdf_path = (manifest.parent / pdf).resolve()
            if not pdf_path.is_relative_to(folder):
                continue
            out.append({"path": pdf_path.relative_to(folder).as_posix(),
                        "municipality_id": str(mid), "report": str(kind),
                        "lang": entry.get("lang")})
    return out


def _manifest_entries(doc: Any) -> list[dict[str, Any]]:
    """The records of a manifest (:mod:`socialkit.reporting.manifest`: ``{"reports": […]}``)."""
    reports = doc.get("reports") if isinstance(doc, dict) else None
    return [e for e in reports if isinstance(e, dict)] if isinstance(reports, list) else []

"""What a library upload is, worked out from its bytes, and whether it may be kept.

======== ===================== ==============================================================
format   kind                  recognised by
======== ===================== ==============================================================
pdf      document              ``%PDF-`` at the start
docx     document              a ZIP holding ``word/document.xml``
xlsx     document              a ZIP holding ``xl/workbook.xml``
odt      document              a ZIP whose ``mimetype`` entry is
                               ``application/vnd.oasis.opendocument.text``
png      image                 the PNG signature
jpeg     image                 ``FF D8 FF``
geojson  map                   UTF-8 JSON whose ``type`` is ``FeatureCollection``, ``Feature``
                               or a geometry type
mp4      video                 an ``ftyp`` box at byte 4
webm     video                 the EBML header with doctype ``webm``
======== ===================== ==============================================================

A file whose name ends in another format's extension is refused (a ``.pdf`` that is really
a video, or a program named ``.pdf``), as is anything not in the table.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import SocialkitError
from ..i18n import t

__all__ = ["KINDS", "LIMITS_MB", "Upload", "UploadError", "check_upload", "sniff"]

#: format -> kind of item
KINDS: dict[str, str] = {"pdf": "document", "docx": "document", "xlsx": "document",
                         "odt": "document", "png": "image", "jpeg": "image",
                         "geojson": "map", "mp4": "video", "webm": "video"}
#: Largest upload per kind, in MB (a video of a training session is large; a map is not).
LIMITS_MB: dict[str, int] = {"document": 50, "image": 20, "map": 20, "video": 500}
_EXTENSIONS = {"pdf": {"pdf"}, "docx": {"docx"}, "xlsx": {"xlsx"}, "odt": {"odt"},
               "png": {"png"}, "jpeg": {"jpg", "jpeg"}, "geojson": {"geojson", "json"},
               "mp4": {"mp4", "m4v"}, "webm": {"webm"}}
_GEOJSON_TYPES = {"FeatureCollection", "Feature", "Point", "MultiPoint", "LineString",
                  "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}


class UploadError(SocialkitError):
    """An upload the library does not keep; the message names the file and what to do."""


@dataclass(frozen=True)
class Upload:
    """An accepted upload: its name, format (``pdf``, ``mp4`` …), kind and size."""

    name: str
    format: str
    kind: str
    size: int


def _zip_format(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "mimetype" in names and z.read("mimetype").strip() == (
                    b"application/vnd.oasis.opendocument.text"):
                return "odt"
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _geojson(data: bytes) -> bool:
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(obj, dict) and obj.get("type") in _GEOJSON_TYPES


def sniff(data: bytes) -> str | None:
    """The format of ``data`` from its content (see the module), or ``None``.

    >>> sniff(b"%PDF-1.7 ..."), sniff(b'{"type": "FeatureCollection", "features": []}')
    ('pdf', 'geojson')
    >>> sniff(b"MZ\\x90\\x00 a Windows program") is None
    True
    """
    head = data[:64]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in data[:4096]:
        return "webm"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(data)
    if head.lstrip()[:1] == b"{" and _geojson(data):
        return "geojson"
    return None


def check_upload(name: str, data: bytes, lang: str = "en",
                 limits_mb: dict[str, int] | None = None) -> Upload:
    """Accept ``data`` uploaded as ``name``, or refuse it with a message in ``lang``.

    Parameters
    ----------
    name : str
        The file name the browser sent (only its last part is used).
    data : bytes
        The whole upload.
    limits_mb : dict, optional
        Largest size per kind in MB (default :data:`LIMITS_MB`).

    Raises
    ------
    UploadError
        Empty, of a format the library does not keep, named as another format, or larger
        than its kind's limit.
    """
    name = PurePath(name.replace("\\", "/")).name or "?"
    if not data:
        raise UploadError(t("library.errors.empty", lang, file=name))
    fmt = sniff(data)
    if fmt is None:
        raise UploadError(t("library.errors.unknown", lang, file=name))
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext and ext not in _EXTENSIONS[fmt]:
        raise UploadError(t("library.errors.mismatch", lang, file=name, ext=ext,
                            format=fmt.upper()))
    kind = KINDS[fmt]
    limit = (limits_mb or LIMITS_MB)[kind]
    if len(data) > limit * 1024 * 1024:
        raise UploadError(t("library.errors.too_large", lang, file=name,
                            size=f"{len(data) / 1024 / 1024:.1f}", limit=limit,
                            kind=t(f"library.kinds.{kind}", lang)))
    return Upload(name=name, format=fmt, kind=kind, size=len(data))

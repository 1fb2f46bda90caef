"""Library uploads (issue 18): the type comes from the content, never the name; size limits per
kind; files kept under their checksum, written whole or not at all."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from socialkit.library import FileStore, UploadError, check_upload, sniff


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


SAMPLES = {
    "strategy.pdf": (b"%PDF-1.7\n% strategy\n", "pdf", "document"),
    "plan.docx": (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
                  "docx", "document"),
    "budget.xlsx": (_zip({"xl/workbook.xml": b"<wb/>"}), "xlsx", "document"),
    "minutes.odt": (_zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                          "content.xml": b"<o/>"}), "odt", "document"),
    "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg", "image"),
    "chart.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png", "image"),
    "services.geojson": (json.dumps({"type": "FeatureCollection", "features": []}).encode(),
                         "geojson", "map"),
    "training.mp4": (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "mp4", "video"),
    "training.webm": (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "webm", "video"),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_accepted_format_is_recognised_from_its_content(name):
    data, fmt, kind = SAMPLES[name]
    up = check_upload(name, data)
    assert (up.format, up.kind, up.size, up.name) == (fmt, kind, len(data), name)
    assert sniff(data) == fmt


def test_a_program_named_pdf_is_refused_naming_the_file():
    with pytest.raises(UploadError, match=r"invoice\.pdf: the library keeps documents"):
        check_upload("invoice.pdf", b"MZ\x90\x00\x03\x00 this program cannot be run")


def test_a_video_named_pdf_is_refused_in_the_readers_language():
    data = SAMPLES["training.mp4"][0]
    with pytest.raises(UploadError) as err:
        check_upload("C:\\Users\\olena\\strategy.pdf", data, lang="uk")
    message = str(err.value)
    assert message.startswith("strategy.pdf: назва закінчується на .pdf")
    assert "MP4" in message and "Users" not in message


def test_a_zip_that_is_no_office_document_and_json_that_is_no_map_are_refused():
    with pytest.raises(UploadError):
        check_upload("archive.docx", _zip({"evil.exe": b"MZ"}))
    with pytest.raises(UploadError):
        check_upload("data.geojson", b'{"rows": [1, 2, 3]}')
    with pytest.raises(UploadError, match="empty"):
        check_upload("nothing.pdf", b"")


def test_size_limit_of_the_kind():
    data = b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024)
    assert check_upload("big.pdf", data, limits_mb={"document": 3, "image": 1, "map": 1,
                                                   "video": 1}).size == len(data)
    with pytest.raises(UploadError, match=r"big\.pdf: 2\.0 MB is more than the 1 MB allowed "
                                          r"for documents"):
        check_upload("big.pdf", data, limits_mb={"document": 1, "image": 1, "map": 1,
                                                 "video": 1})


def test_file_store_keeps_content_under_its_checksum(tmp_path):
    store = FileStore(tmp_path / "files")
    data = SAMPLES["strategy.pdf"][0]
    up = check_upload("strategy.pdf", data)
    sha = store.put(up, data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.open(sha, "pdf") == data and store.verify(sha, "pdf")
    assert store.put(up, data) == sha  # the same content is kept once
    assert [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()] == [f"{sha}.pdf"]
    store.path(sha, "pdf").write_bytes(b"%PDF-1.7 tampered")
    assert not store.verify(sha, "pdf")
    with pytest.raises(ValueError):
        store.path("../../etc/passwd", "pdf")


def test_nothing_half_written_is_ever_in_the_store(tmp_path, monkeypatch):
    """A write that fails midway leaves no file under the content's name (and no temporary
    file a listing would show)."""
    import socialkit.files as files

    store = FileStore(tmp_path / "files")
    data = SAMPLES["training.mp4"][0]
    up = check_upload("training.mp4", data)

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        store.put(up, data)
    assert [p for p in (tmp_path / "files").rglob("*") if p.is_file()] == []

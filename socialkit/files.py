"""Every file socialkit writes goes through this module.

One place for the rules every writer follows:

* **Atomic.** A file is written to a temporary name in its own folder, flushed, ``fsync``-ed
  and renamed over the target (:func:`atomic_write_bytes`, :func:`atomic_path`); a reader
  sees the old file or the new one, never half of one. A set of files is computed first and
  written together by :func:`write_outputs`.
* **Nothing destroyed that the command did not write.** Each output folder gets a small
  manifest, :data:`MARKER_NAME`, listing the files socialkit wrote there, with the command
  that wrote each and its SHA-256. A command refuses to replace a file that it did not write
  (not listed, listed for another command, or changed since), or to write into a folder
  holding a ``catalog.yaml`` it did not write, unless ``force=True`` (``--force``). So
  ``socialkit export --out <catalog folder>`` no longer replaces that catalog, while running
  the same command twice into the same folder just works. :func:`check_out_dir` and :func:`check_out_file` refuse a file where a
  folder is expected, a folder where a file is expected, and system folders (``/proc``,
  ``/sys``, ``/dev``).
* **Text stays text.** Cells that a spreadsheet would run as a formula — text starting with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — are written as text: in CSV with a
  leading apostrophe (the OWASP advice for CSV injection, :func:`escape_formula`), in Excel
  as string cells (:func:`text_cells`), so the workbook shows the text and reads it back
  unchanged.

>>> escape_formula("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> escape_formula("Mykolaivka"), escape_formula(-3)
('Mykolaivka', -3)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import SocialkitError

__all__ = [
    "FORMULA_PREFIXES",
    "MARKER_NAME",
    "OutputConflictError",
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_out_dir",
    "check_out_file",
    "csv_text",
    "escape_formula",
    "excel_safe_frame",
    "fsync_dir",
    "text_cells",
    "write_csv",
    "write_outputs",
    "write_workbook",
]

#: Leading characters that make a spreadsheet treat a cell as a formula (OWASP).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: The manifest of files socialkit wrote into a folder.
MARKER_NAME = ".socialkit-outputs.json"
#: Folders no output may go into.
_SYSTEM_DIRS = (Path("/proc"), Path("/sys"), Path("/dev"))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Mode of a new file (what ``open`` would give; ``mkstemp`` would give 0600).
_FILE_MODE = 0o666 & ~_umask()


def _t(key: str, **kwargs: Any) -> str:
    """A message of this module in the user's language (``SOCIALKIT_LANG``)."""
    from .config import default_lang
    from .i18n import t

    return t(f"files.{key}", default_lang(), **kwargs)


class OutputConflictError(SocialkitError):
    """The output would replace a file socialkit did not write (use ``--force`` to allow)."""


# -- atomic writes ---------------------------------------------------------------------------
@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed over ``path`` when the block succeeds.

    Write the file at the yielded path (with any library); on leaving the block it is
    ``fsync``-ed and moved into place with :func:`os.replace`, and the folder is ``fsync``-ed.
    If the block raises, the temporary file is removed and ``path`` is left untouched.
    """
    path = Path(path)
    _mkdir(path.parent)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and durably; return ``path``.

    The bytes go to a temporary file in the same folder, which is flushed, ``fsync``-ed and
    renamed over ``path`` (:func:`os.replace`, atomic on POSIX and Windows); the folder is
    ``fsync``-ed too. If anything fails, an existing ``path`` is left untouched.
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    """:func:`atomic_write_bytes` for UTF-8 text."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise SocialkitError(_t("folder_is_file", folder=folder)) from None
    except OSError as exc:
        raise SocialkitError(_t("cannot_create", folder=folder,
                                error=exc.strerror or exc)) from None


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


# -- text stays text --------------------------------------------------------------------------
def escape_formula(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula.

    Numbers and other types are returned unchanged (a negative number is not text).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _escape_series(s: pd.Series) -> pd.Series:
    if not (s.dtype == object or pd.api.types.is_string_dtype(s)):
        return s
    values = s.to_numpy(dtype=object, copy=True)
    starts = [isinstance(v, str) and v.startswith(FORMULA_PREFIXES) for v in values]
    if not any(starts):
        return s
    for i, start in enumerate(starts):
        if start:
            values[i] = "'" + values[i]
    return pd.Series(values, index=s.index, name=s.name, dtype=object)


def excel_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and text index and headers) cannot become formulas
    in a spreadsheet that opens it as CSV (see :func:`escape_formula`)."""
    out = frame.copy()
    for i in range(out.shape[1]):
        out.isetitem(i, _escape_series(out.iloc[:, i]))
    out.columns = pd.Index([escape_formula(c) for c in out.columns], name=out.columns.name)
    if not isinstance(out.index, pd.MultiIndex) and (
            out.index.dtype == object or pd.api.types.is_string_dtype(out.index)):
        out.index = pd.Index(_escape_series(out.index.to_series()).to_numpy(),
                             name=out.index.name)
    return out


def csv_text(frame: pd.DataFrame, index: bool = False, **kwargs: Any) -> str:
    """``frame`` as CSV text (UTF-8, ``\\n`` line ends), formula-like text escaped."""
    kwargs.setdefault("lineterminator", "\n")
    return excel_safe_frame(frame).to_csv(index=index, **kwargs)


def write_csv(frame: pd.DataFrame, path: str | Path, index: bool = False, **kwargs: Any) -> Path:
    """Write ``frame`` as CSV to ``path`` atomically (see :func:`csv_text`)."""
    return atomic_write_text(path, csv_text(frame, index=index, **kwargs))


def text_cells(workbook: Any) -> int:
    """Make every formula cell of an openpyxl ``workbook`` a text cell; return how many.

    socialkit never writes formulas: text that starts with ``=`` (a municipality named
    ``=HYPERLINK(...)``) is data, and is stored as a string cell so Excel shows it and never
    runs it.
    """
    n = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    n += 1
    return n


def write_workbook(workbook: Any, path: str | Path) -> Path:
    """Save an openpyxl ``workbook`` to ``path`` atomically, formula-like text as text.

    A write-only workbook must have been filled with :func:`text_cell` values instead.
    """
    if not getattr(workbook, "write_only", False):
        text_cells(workbook)
    with atomic_path(path) as tmp:
        workbook.save(tmp)
    return Path(path)


def text_cell(ws: Any, value: Any) -> Any:
    """For a write-only sheet: ``value``, or a string cell when it is formula-like text."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


# -- output folders ----------------------------------------------------------------------------
def _is_system(path: Path) -> bool:
    resolved = path.resolve()
    return any(resolved == d or d in resolved.parents for d in _SYSTEM_DIRS)


def check_out_dir(out: str | Path, option: str = "--out") -> Path:
    """``out`` as a folder for outputs: refused if it is a file or a system folder."""
    out = Path(out).expanduser()
    if _is_system(out):
        raise SocialkitError(_t("system_dir", option=option, path=out))
    if out.exists() and not out.is_dir():
        raise SocialkitError(_t("out_is_file", option=option, path=out))
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise SocialkitError(_t("parent_is_file", option=option, path=out,
                                        parent=parent))
            break
    return out


def check_out_file(path: str | Path, option: str = "--out", suffix: str | None = None) -> Path:
    """``path`` as an output file: refused if it is a folder, in a system folder, or lacks
    ``suffix``."""
    path = Path(path).expanduser()
    if _is_system(path):
        raise SocialkitError(_t("system_dir", option=option, path=path))
    if path.is_dir():
        raise SocialkitError(_t("out_is_dir_suffix" if suffix else "out_is_dir", option=option,
                                path=path, suffix=suffix))
    if suffix and path.suffix.lower() != suffix:
        raise SocialkitError(_t("suffix", option=option, path=path, suffix=suffix))
    check_out_dir(path.parent, option)
    return path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_marker(folder: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads((folder / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return {str(k): v for k, v in files.items() if isinstance(v, dict)} if isinstance(
        files, dict) else {}


def _ours(folder: Path, name: str, marker: Mapping[str, Mapping[str, str]],
          command: str) -> bool:
    entry = marker.get(name)
    return (entry is not None and entry.get("command") == command
            and entry.get("sha256") == _sha256(folder / name))


def _conflicts(folder: Path, names: list[str], command: str) -> list[str]:
    if not folder.is_dir():
        return []
    marker = _read_marker(folder)
    bad = [n for n in names
           if (folder / n).exists() and not _ours(folder, n, marker, command)]
    catalog = folder / "catalog.yaml"
    if catalog.exists() and "catalog.yaml" not in bad \
            and not _ours(folder, "catalog.yaml", marker, command):
        bad.append("catalog.yaml")
    return bad


def _refuse(folder: Path, bad: list[str], command: str) -> None:
    shown = ", ".join(bad[:5])
    if len(bad) > 5:
        shown = _t("and_more", files=shown, n=len(bad) - 5)
    raise OutputConflictError(_t("conflict", folder=folder, files=shown, command=command))


def _record(folder: Path, written: dict[str, Path], command: str) -> None:
    marker = _read_marker(folder)
    for name, path in written.items():
        marker[name] = {"sha256": _sha256(path), "command": command}
    marker = {k: marker[k] for k in sorted(marker) if (folder / k).exists()}
    text = json.dumps({"written_by": "socialkit", "files": marker}, indent=1, sort_keys=True)
    atomic_write_text(folder / MARKER_NAME, text + "\n")


def _payload(tmp: Path, obj: Any) -> None:
    if isinstance(obj, bytes):
        tmp.write_bytes(obj)
    elif isinstance(obj, str):
        tmp.write_text(obj, encoding="utf-8")
    elif isinstance(obj, pd.DataFrame):
        tmp.write_text(csv_text(obj), encoding="utf-8")
    elif callable(obj):
        obj(tmp)
    else:  # an openpyxl workbook
        if not getattr(obj, "write_only", False):
            text_cells(obj)
        obj.save(tmp)


def write_outputs(files: Mapping[str, Any], out: str | Path, *, command: str,
                  force: bool = False) -> dict[str, Path]:
    """Write a set of files into the folder ``out``, all or nothing; return ``{name: path}``.

    Parameters
    ----------
    files : mapping
        File name → content: ``bytes``, ``str`` (UTF-8), a DataFrame (CSV via
        :func:`csv_text`), an openpyxl workbook, or a callable writing the file at the path it
        is given. File names are plain names (no folders).
    out : path
        The output folder (created if missing; see :func:`check_out_dir`).
    command : str
        The command writing, e.g. ``"socialkit passport"``; recorded in :data:`MARKER_NAME`.
    force : bool
        Replace files socialkit did not write (else :class:`OutputConflictError`).

    Notes
    -----
    Every file is first written into a temporary folder inside ``out``; only when all of them
    succeeded are they moved into place (:func:`os.replace` each) and the folder's manifest
    updated. A failure leaves ``out`` as it was.
    """
    out = check_out_dir(out)
    names = list(files)
    for name in names:
        if Path(name).name != name or name in ("", ".", "..", MARKER_NAME):
            raise ValueError(f"not a plain file name: {name!r}")
    if not force:
        bad = _conflicts(out, names, command)
        if bad:
            _refuse(out, bad, command)
    _mkdir(out)
    tmp_dir = Path(tempfile.mkdtemp(prefix=".socialkit-", dir=out))
    written: dict[str, Path] = {}
    try:
        for name, obj in files.items():
            _payload(tmp_dir / name, obj)
            with open(tmp_dir / name, "rb+") as fh:
                os.fsync(fh.fileno())
        for name in names:
            os.replace(tmp_dir / name, out / name)
            written[name] = out / name
        fsync_dir(out)
        _record(out, written, command)
    finally:
        import shutil

        shutil.rmtree(tmp_dir, ignore_errors=True)
    return written


def write_output_file(obj: Any, path: str | Path, *, command: str, force: bool = False,
                      suffix: str | None = None, option: str = "--out") -> Path:
    """Write one output file (content as for :func:`write_outputs`) with the same guard."""
    path = check_out_file(path, option, suffix)
    return write_outputs({path.name: obj}, path.parent, command=command, force=force)[path.name]


def claim_folder(out: str | Path, *, command: str, force: bool = False,
                 ignore: Sequence[str] = ()) -> Path:
    """Check that ``command`` may write a changing set of files into the folder ``out``.

    For commands that write files one by one as they are made (``socialkit report``), where
    :func:`write_outputs` cannot list them beforehand. Allowed: a missing or empty folder (the
    names in ``ignore`` do not count), or one whose :data:`MARKER_NAME` shows ``command``
    wrote there; empty hidden placeholder files such as ``.gitkeep`` do not count either.
    Anything else (a data folder, a catalog, someone's documents) is refused
    with :class:`OutputConflictError` naming what is there, unless ``force``.
    """
    out = check_out_dir(out)
    if force or not out.is_dir():
        return out
    if any(entry.get("command") == command for entry in _read_marker(out).values()):
        return out
    skip = {MARKER_NAME, *ignore}
    # an empty hidden placeholder (the repository's reports/.gitkeep) holds nothing to lose
    found = sorted(p.name for p in out.iterdir() if p.name not in skip
                   and not (p.name.startswith(".") and p.is_file() and p.stat().st_size == 0))
    if found:
        _refuse(out, found, command)
    return out


def record_outputs(out: str | Path, paths: Sequence[str | Path], *, command: str) -> None:
    """Add files ``command`` wrote into ``out`` (outside :func:`write_outputs`) to its
    :data:`MARKER_NAME`, so :func:`claim_folder` and the guard know them as socialkit's."""
    out = Path(out)
    _record(out, {Path(p).name: out / Path(p).name for p in paths}, command)


__all__ += ["claim_folder", "record_outputs", "text_cell", "write_output_file"]

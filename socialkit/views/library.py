"""Library page: the chosen municipality's reports and documents, listed with dates, to download.

Documents live in ``config.documents_dir()/<municipality_id>/`` (by default the reports folder,
so PDFs made by ``socialkit report`` appear without copying). A download is served by the
session itself (no static route): at click time the file is resolved again, the scope is checked
again and a path that leaves the municipality's folder (``..``, symlinks) is refused.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import panel as pn

from .. import config
from .base import Page, alert, heading
from .scope import AccessDenied, Scope

__all__ = ["LibraryPage", "list_documents", "resolve_document"]


def _folder(root: Path, municipality_id: str) -> Path:
    return (Path(root) / municipality_id).resolve()


def list_documents(root: str | Path, municipality_id: str) -> pd.DataFrame:
    """Files in ``root/<municipality_id>/`` (recursively), newest first.

    Returns
    -------
    DataFrame
        ``path`` (relative to the municipality folder, POSIX), ``name``, ``modified``
        (timezone-aware UTC datetime), ``size`` (bytes). Hidden files and files whose real
        path leaves the folder are skipped.
    """
    folder = _folder(Path(root), municipality_id)
    rows = []
    if folder.is_dir():
        for path in folder.rglob("*"):
            rel = path.relative_to(folder)
            if any(part.startswith(".") for part in rel.parts) or not path.is_file():
                continue
            if not path.resolve().is_relative_to(folder):
                continue
            stat = path.stat()
            rows.append((rel.as_posix(), path.name,
                         dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC), stat.st_size))
    frame = pd.DataFrame(rows, columns=["path", "name", "modified", "size"])
    return frame.sort_values(["modified", "path"], ascending=[False, True]).reset_index(drop=True)


def resolve_document(root: str | Path, municipality_id: str, relative: str, scope: Scope) -> Path:
    """The file ``relative`` of ``municipality_id``'s folder, if ``scope`` allows it.

    Raises
    ------
    AccessDenied
        When the municipality is outside the scope.
    FileNotFoundError
        When the file does not exist or its real path is outside the municipality's folder.
    """
    scope.check(municipality_id)
    folder = _folder(Path(root), municipality_id)
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise FileNotFoundError(f"{relative!r} is not a document of {municipality_id}")
    return path


class LibraryPage(Page):
    """Documents of the chosen municipality, each with a download button."""

    page_id = "library"

    def render(self) -> pn.viewable.Viewable:
        state = self.state
        tr = state.translator
        mid = state.scope.check(state.municipality_id)
        root = config.documents_dir()
        docs = list_documents(root, mid)
        name = state.municipality_name()
        title = heading(tr("views.library.folder", name=name), 3)
        if docs.empty:  # the folder and the command are for whoever runs the server
            return pn.Column(title, alert(tr("views.library.none", name=name), "info"),
                             self.how_computed(tr("views.library.empty", name=name,
                                                  folder=str(root / mid))),
                             sizing_mode="stretch_width", css_classes=["sk-library"])
        # each document is a box of its own that wraps on a narrow screen (a phone)
        cell = {"flex": "1 1 140px"}
        rows = []
        for doc in docs.itertuples(index=False):
            rows.append(pn.FlexBox(
                pn.pane.Markdown(f"**{doc.path}**", css_classes=["sk-doc-name"],
                                 styles={"flex": "3 1 220px"}, disable_anchors=True),
                pn.pane.Markdown(f"{tr('views.library.modified')}: "
                                 f"{tr.date(doc.modified.date(), 'medium')}", styles=cell),
                pn.pane.Markdown(tr("views.library.kb", size=tr.number(doc.size / 1024, 1)),
                                 styles={"flex": "0 1 90px"}),
                pn.widgets.FileDownload(
                    callback=self._callback(mid, doc.path), filename=doc.name, embed=False,
                    label=tr("views.library.download"), color="primary", width=160,
                    css_classes=["sk-download"],
                ),
                flex_wrap="wrap", align_items="center", sizing_mode="stretch_width",
                styles={"border-bottom": "1px solid #d0d7de"},
            ))
        return pn.Column(title, *rows, sizing_mode="stretch_width", css_classes=["sk-library"])

    def _callback(self, municipality_id: str, relative: str):
        scope = self.state.scope

        def _download() -> str:
            try:
                return str(resolve_document(config.documents_dir(), municipality_id, relative,
                                            scope))
            except AccessDenied:
                self.state.notice = self.state.tr("views.access_denied",
                                                  municipality_id=municipality_id)
                raise
            except FileNotFoundError:
                self.state.notice = self.state.tr("views.library.missing", file=relative)
                raise

        return _download

"""Library: documents per municipality, listed with dates; downloads checked server-side."""

from __future__ import annotations

import panel as pn
import pytest
from views_cases import A, B

from socialkit.views import create_app
from socialkit.views.library import list_documents, resolve_document
from socialkit.views.scope import AccessDenied, Scope


def test_list_documents_newest_first_hidden_skipped(docs):
    out = list_documents(docs, A)
    assert out["path"].tolist() == ["strategy/plan.docx", "report_2021.pdf"]
    assert out["modified"].dt.date.astype(str).tolist() == ["2021-05-03", "2020-09-13"]
    assert out["size"].tolist() == [4, 14]
    assert list_documents(docs, "UA-none").empty


def test_resolve_document_refuses_escape_and_other_municipality(docs, tmp_path):
    olena = Scope("olena", frozenset({A}))
    assert resolve_document(docs, A, "report_2021.pdf", olena).read_bytes() == b"%PDF-1.4 alpha"
    with pytest.raises(FileNotFoundError):
        resolve_document(docs, A, f"../{B}/secret_beta.pdf", olena)
    with pytest.raises(AccessDenied):
        resolve_document(docs, B, "secret_beta.pdf", olena)
    (docs / A / "link.pdf").symlink_to(docs / B / "secret_beta.pdf")
    with pytest.raises(FileNotFoundError):
        resolve_document(docs, A, "link.pdf", olena)
    assert "link.pdf" not in list_documents(docs, A)["path"].tolist()


def test_library_page_lists_only_own_documents_with_download_buttons(docs, data):
    app = create_app(data=data, users={"olena": frozenset({A})}, user="olena")
    app.state.page = "library"
    view = app.page("library")._view()
    buttons = view.select(pn.widgets.FileDownload)
    assert [b.filename for b in buttons] == ["plan.docx", "report_2021.pdf"]
    assert all(b.label == "Download" for b in buttons)
    assert open(buttons[1].callback(), "rb").read() == b"%PDF-1.4 alpha"
    text = " ".join(str(m.object) for m in view.select(pn.pane.Markdown))
    assert "secret_beta" not in text and "13 Sept 2020" in text


def test_library_empty_folder_message_in_ukrainian(docs, data):
    app = create_app(data=data, users=None, query={"lang": [b"uk"]})
    app.state.select("UA00000000000000003")
    view = app.page("library")._view()
    alerts = " ".join(str(a.object) for a in view.select(pn.pane.Alert))
    assert "ще нічого не опубліковано" in alerts and "Гамма" in alerts
    # an official is not shown a server folder or a command; whoever runs the server finds
    # them under "How this was computed"
    assert str(docs) not in alerts and "socialkit report" not in alerts
    how = view.select(pn.Card)
    assert how and str(docs) in " ".join(str(m.object) for m in how[0].select(pn.pane.Markdown))


def test_download_of_a_removed_document_is_refused_with_a_message(docs, data):
    app = create_app(data=data, users=None)
    view = app.page("library")._view()
    button = view.select(pn.widgets.FileDownload)[0]
    (docs / A / "strategy" / "plan.docx").unlink()
    with pytest.raises(FileNotFoundError):
        button.callback()
    assert app.state.notice == "The document strategy/plan.docx is no longer available."

"""The dashboard explains suppression with the same sentence as the PDFs (one source, driven by
the threshold: "1 to 4" with the default 5; it used to say "1 to 5")."""

from __future__ import annotations

import panel as pn
import pytest
from views_cases import open_page

from socialkit.disclosure import suppression_note
from socialkit.views import create_app, from_frames


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_passport_and_monitoring_pages_use_the_shared_note(demo_tables, lang):
    app = create_app(data=from_frames(demo_tables, name="demo"), users=None,
                     query={"lang": [lang.encode()]})
    note = suppression_note(lang)
    assert ("1 to 4" if lang == "en" else "від 1 до 4") in note
    for page in ("passport", "monitoring"):
        view = open_page(app, page)
        texts = [m.object for m in view.select(pn.pane.Markdown)]
        assert any(note in str(x) for x in texts), page
        assert not any("1 to 5" in str(x) or "від 1 до 5" in str(x) for x in texts), page

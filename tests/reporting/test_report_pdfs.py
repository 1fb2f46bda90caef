"""The four real reports, rendered once per language for one demo municipality, read as a reader
would (pdftotext): a first page that says what to do, one language, self-contradicting data
flagged, suppression visible.

One batch per language (4 reports, 2 workers) is shared by every test of the module.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from socialkit.data import load
from socialkit.disclosure import suppression_note
from socialkit.i18n import t
from socialkit.reporting import run_reports

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report-pdfs")]

REPORTS = ("maturity", "needs", "passport", "monitoring")

#: Latin-script words a Ukrainian report may print: the product's name (cover and annex) and
#: single letters (math symbols in the annex: z-оцінка, k = 4; figure panel labels A, B).
ALLOWED_LATIN = {"socialkit"}
#: Quarter codes on figure axes ("2021Q1", drawn rotated, so pdftotext splits them into "Q"
#: fragments) are period codes, not words; tables and text localise them ("1 кв. 2021").
_AXIS_QUARTER = re.compile(r"\b\d{4}Q[1-4]\b|(?<![A-Za-z])Q(?![A-Za-z])")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]")


@pytest.fixture(scope="module")
def pdfs(demo_catalog, tmp_path_factory):
    mid = str(load("municipalities", demo_catalog)["municipality_id"].iloc[0])
    out = {}
    for lang in ("en", "uk"):
        folder = tmp_path_factory.mktemp(f"reports-{lang}")
        summary = run_reports("all", municipalities=[mid], catalog=demo_catalog, lang=lang,
                              out=folder, workers=2, progress=False)
        assert summary.exit_code == 0, summary.failed
        for r in REPORTS:
            out[r, lang] = folder / mid / f"{r}.{lang}.pdf"
    return out


def _text(path, first: int | None = None, last: int | None = None, layout: bool = True) -> str:
    args = ["pdftotext", "-layout"] if layout else ["pdftotext"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.parametrize("lang", ["en", "uk"])
@pytest.mark.parametrize("report", REPORTS)
def test_page_two_says_what_matters_and_what_to_do(pdfs, report, lang):
    page = " ".join(_text(pdfs[report, lang], 2, 2).split())
    assert t("summary.heading", lang) in page
    assert t("summary.findings_heading", lang) in page
    assert t("summary.recommendations_heading", lang) in page
    assert re.search(r"\b1\. \S", page) and re.search(r"\b2\. \S", page), "no recommendations"
    # each recommendation names its evidence
    ev = "section" if lang == "en" else "розділ"
    assert page.count(ev) >= 2
    # the contents come after the first page; methods are in the annex at the end
    assert t("reporting.contents", lang) not in page
    rest = " ".join(_text(pdfs[report, lang], 3).split())
    assert rest.count(t("summary.annex_heading", lang)) >= 2  # in the contents and the body


@pytest.mark.parametrize("report", REPORTS)
def test_ukrainian_reports_have_no_english_words(pdfs, report):
    text = _AXIS_QUARTER.sub(" ", _text(pdfs[report, "uk"]))
    words = {w for w in _LATIN_WORD.findall(text) if w not in ALLOWED_LATIN}
    assert not words, f"{report}: Latin-script words in the Ukrainian report: {sorted(words)}"


def test_ukrainian_cover_names_the_oblast(pdfs):
    cover = _text(pdfs["passport", "uk"], 1, 1)
    assert "ДОНЕЦЬКА ОБЛАСТЬ" in cover.upper()


def _in_order(phrase: str, text: str, gap: int = 3) -> bool:
    """The words of ``phrase`` occur in ``text`` in order, at most ``gap`` other words apart.

    Narrow table cells wrap and hyphenate, and pdftotext interleaves a row's cells line by
    line: a word may be split at a hyphen ("Differ‐" ... "ence") with a neighbouring cell's
    words between the halves.
    """
    want, words = phrase.split(), text.split()

    def match(k: int, w: str) -> int | None:  # index of the word's last piece, or None
        if words[k] == w:
            return k
        head = words[k].rstrip("\u2010-")
        if head != words[k] and w.startswith(head):
            for m in range(k + 1, min(len(words), k + 2 + gap)):
                if head + words[m] == w:
                    return m
        return None

    for start in range(len(words)):
        pos = match(start, want[0])
        for w in want[1:]:
            if pos is None:
                break
            pos = next((e for k in range(pos + 1, min(len(words), pos + 2 + gap))
                        if (e := match(k, w)) is not None), None)
        if pos is not None:
            return True
    return False


def test_in_order_reads_interleaved_cells():
    assert _in_order("women and men add up", "women and men Numer‐ add up ator")
    assert _in_order("Difference", "Rule Differ‐ Total ence")
    assert not _in_order("women and men add up", "women and men")
    assert not _in_order("Difference", "Differ‐ one two three four five ence")


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_maturity_radar_prints_the_peer_average_the_library_allows(pdfs, demo_catalog, lang):
    """The PDF's radar note names the peer group :func:`report.printed_radar` (the library's
    peer-privacy rule, shared with the dashboard) allows for this report's reader."""
    from socialkit.maturity import report
    from socialkit.maturity.files import assess_catalog

    result = assess_catalog(demo_catalog)
    mid = str(load("municipalities", demo_catalog)["municipality_id"].iloc[0])
    rnd = report.require_round(result, mid)
    _, group, peers = report.printed_radar(result, mid, rnd, lang)
    name = report.municipality_name(result, mid, lang)
    note = (t("maturity.notebook.radar_note", lang, name=name, peers=peers) if group
            else t("security.scoping.no_peer_average", lang, name=name))
    assert _in_order(note, _text(pdfs["maturity", lang])), note


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_monitoring_flags_figures_that_do_not_add_up(pdfs, lang):
    text = " ".join(_text(pdfs["monitoring", lang], layout=False).split())
    assert t("summary.consistency.heading", lang) in text
    # table cells wrap, and pdftotext interleaves a row's cells line by line: the rule's words
    # must come in order, with at most a neighbouring cell's few words between them
    assert _in_order(t("summary.consistency.rule.sexes_sum", lang), text)
    assert _in_order(t("summary.consistency.col.difference", lang), text)
    # the headline counts them and recommends their correction
    first = " ".join(_text(pdfs["monitoring", lang], 2, 2).split())
    assert ("do not add up" if lang == "en" else "не збігаються") in first


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_suppressed_cells_are_visible(pdfs, lang):
    text = " ".join(_text(pdfs["passport", lang]).split())
    assert " ".join(suppression_note(lang).split()) in text
    mark = t("passport.suppressed", lang)
    assert text.count(mark) >= 5  # the settlement table shows suppressed cells
    assert ("1 to 4" if lang == "en" else "від 1 до 4") in text

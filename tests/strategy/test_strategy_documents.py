"""The strategy cycle end to end from the command line on the committed demo: every command,
every PDF in the programme's language with a clean layout, no small count and no name in
them, every action linked to the evidence; the demo equals its generator."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from socialkit import config
from socialkit.cli import main
from socialkit.reporting.layout import check_layout, format_problems
from socialkit.strategy.demo import demo_files
from socialkit.strategy.plan import evidence_links

DEMO = config.PROJECT_ROOT / "catalogs" / "strategy"


def cli(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         check=True)
    return out.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def cantemir_run(tmp_path_factory):
    """Every command on the Cantemir cycle, in Romanian (its language)."""
    out = tmp_path_factory.mktemp("cantemir")
    cycle = str(DEMO / "md_cantemir")
    codes = {
        "render": cli("strategy", "render", "--cycle", cycle, "--out", str(out / "render")),
        "evidence": cli("strategy", "evidence", "--cycle", cycle, "--lang", "ro",
                        "--out", str(out / "evidence")),
        "track": cli("strategy", "track", "--cycle", cycle, "--report", "2027",
                     "--out", str(out / "track")),
        "consultation": cli("strategy", "consultation", "--cycle", cycle,
                            "--out", str(out / "consultation")),
        "priorities": cli("strategy", "priorities", "--cycle", cycle,
                          "--out", str(out / "priorities")),
    }
    return out, codes


@pytest.fixture(scope="module")
def mykolaivka_pdf(tmp_path_factory, mykolaivka_strategy):
    """The Ukrainian strategy, rendered from the session's built strategy (the command line
    is exercised on Cantemir: building Mykolaivka's evidence from the catalog twice is slow)."""
    from socialkit.reporting.strategy import render_strategy

    path = tmp_path_factory.mktemp("mykolaivka") / "strategy_ua_mykolaivka_uk.pdf"
    path.write_bytes(render_strategy(mykolaivka_strategy, "uk"))
    return path


def test_every_command_succeeds(cantemir_run):
    out, codes = cantemir_run
    assert codes == dict.fromkeys(codes, 0)
    assert sorted(p.name for p in (out / "render").iterdir()
                  if not p.name.startswith(".")) == [
        "plan_md_cantemir.xlsx", "strategy_md_cantemir_ro.pdf"]
    ranking = pd.read_csv(out / "priorities" / "ranking.csv")
    assert ranking["rank"].tolist() == sorted(ranking["rank"])


@pytest.mark.parametrize("pdf", ["render/strategy_md_cantemir_ro.pdf",
                                 "evidence/evidence_md_cantemir_ro.pdf",
                                 "track/implementation_md_cantemir_2027_ro.pdf"])
def test_romanian_pdfs_have_a_clean_layout(cantemir_run, pdf):
    problems = check_layout(cantemir_run[0] / pdf)
    assert problems == [], format_problems(problems)


def test_strategy_document_is_romanian_and_complete(cantemir_run, cantemir):
    text = _text(cantemir_run[0] / "render" / "strategy_md_cantemir_ro.pdf")
    flat = " ".join(text.split())
    for heading in ("Strategia de dezvoltare a serviciilor sociale", "Analiza situației",
                    "Ce ne-au spus oamenii", "Prioritățile", "Strategia și planul de acțiuni",
                    "Raportul privind participarea", "Anexă: sinteza propunerilor",
                    "REGIUNEA DE DEZVOLTARE SUD"):
        assert heading in flat, heading
    for english in ("What people told us", "Participation record", "Priorities", "Timeline",
                    "Accepted", "Not accepted", "Q1 2027"):
        assert english not in flat, english
    # the focus groups' villages and the ten interviews
    for place in ("Cociulia", "Cîietu", "Ciobalaccia", "Gotești"):
        assert place in flat
    assert "4 focus-grupuri" in flat and "10 interviuri" in flat
    # every published comment is answered in the annex; the rejected one is not shown
    comments = cantemir["comments"]
    for cid in comments.loc[comments["moderation"] == "published", "comment_id"]:
        assert re.search(rf"\b{cid}\b", text), cid
    assert "Mesaj publicitar" not in flat
    # Romanian typography: „…” quotes
    assert "„" in text and "«Trăiesc" not in flat


def test_no_name_and_no_small_count_in_the_documents(cantemir_run, cantemir):
    out = cantemir_run[0]
    text = _text(out / "render" / "strategy_md_cantemir_ro.pdf")
    for name in cantemir["attendance"]["name"]:
        assert name not in text
    # the participation table: every number shown is 0 or at least 5 (counts of sessions
    # aside), the suppressed cells are marked
    table = text[text.index("Întâlniri Număr") if "Întâlniri Număr" in text else
                 text.index("Întâlniri"):]
    block = table[:table.index("Numerele de la 1 la 4")]
    rows = [line.split() for line in block.splitlines()[1:] if line.strip()]
    assert rows and any("ascuns" in r for r in rows)
    for r in rows:
        counts = [int(x.replace(".", "")) for x in r[2:] if x.replace(".", "").isdigit()]
        assert not any(1 <= c <= 4 for c in counts), r
    part = pd.read_csv(out / "consultation" / "participation.csv")
    cells = part[["female", "male", "age_18_34", "age_35_59", "age_60_plus", "total"]]
    assert not ((cells >= 1) & (cells <= 4)).any().any()
    quotes = pd.read_csv(out / "consultation" / "quotes.csv")
    assert set(quotes.columns) == {"theme", "excerpt_id", "quote", "attributed_to"}


def test_ukrainian_strategy(mykolaivka_pdf, mykolaivka_strategy):
    problems = check_layout(mykolaivka_pdf)
    assert problems == [], format_problems(problems)
    flat = " ".join(_text(mykolaivka_pdf).split())
    for heading in ("Стратегія розвитку соціальних послуг", "Що нам сказали люди",
                    "Стратегія і план заходів", "Додаток: результати громадського обговорення",
                    "Миколаївська громада"):
        assert heading in flat
    assert "What people told us" not in flat and "Strategy and action plan" not in flat
    for name in mykolaivka_strategy.cycle["attendance"]["name"]:
        assert name not in flat


def test_every_action_is_linked_to_evidence_in_the_pack(cantemir_strategy,
                                                       mykolaivka_strategy):
    for s in (cantemir_strategy, mykolaivka_strategy):
        links = evidence_links(s.cycle, s.pack)
        assert set(links["action_id"]) == set(s.cycle["actions"]["action_id"])
        assert links["in_pack"].all()
    # Mykolaivka's actions rest on what the analyses of the demo catalog found
    links = evidence_links(mykolaivka_strategy.cycle, mykolaivka_strategy.pack)
    assert links["item_id"].str.match(r"^(passport|needs|maturity|monitoring)\.").all()


def test_plan_workbook_round_trip(cantemir_run, cantemir, tmp_path):
    """The workbook written by render, filled in and imported by track, is a new version."""
    book = cantemir_run[0] / "render" / "plan_md_cantemir.xlsx"
    wb = load_workbook(book)
    assert {"actions", "progress", "milestone_status", "indicator_actuals"} <= set(wb.sheetnames)
    ws = wb["progress"]
    ws.cell(row=2, column=2, value=35)
    ws.cell(row=2, column=3, value="in_progress")
    wb.save(tmp_path / "filled.xlsx")
    hist = tmp_path / "history"
    assert cli("strategy", "track", "--cycle", str(DEMO / "md_cantemir"), "--import",
               str(tmp_path / "filled.xlsx"), "--date", "2027-03-31", "--history",
               str(hist)) == 0
    saved = pd.read_csv(hist / "2027-03-31" / "progress.csv")
    assert saved.loc[0, "percent_done"] == 35 and saved.loc[0, "status"] == "in_progress"
    # the same date again is refused, and a bad workbook is refused naming the cell
    assert cli("strategy", "track", "--cycle", str(DEMO / "md_cantemir"), "--import",
               str(tmp_path / "filled.xlsx"), "--date", "2027-03-31", "--history",
               str(hist)) == 1
    ws.cell(row=3, column=2, value=140)
    wb.save(tmp_path / "bad.xlsx")
    assert cli("strategy", "track", "--cycle", str(DEMO / "md_cantemir"), "--import",
               str(tmp_path / "bad.xlsx"), "--date", "2027-04-30", "--history",
               str(hist)) == 1
    assert not (hist / "2027-04-30").exists()


def test_committed_demo_equals_the_generator():
    files = demo_files()
    for rel, text in files.items():
        assert (DEMO / rel).read_text(encoding="utf-8") == text, rel
    committed = {str(p.relative_to(DEMO)) for p in DEMO.rglob("*")
                 if p.is_file() and not p.name.startswith(".")}
    assert committed == set(files)


def test_actions_linked_to_the_digital_maturity_plan(mykolaivka_strategy):
    from socialkit.frameworks.maturity import load_framework
    from socialkit.strategy.plan import maturity_overlaps

    s = mykolaivka_strategy
    ov = maturity_overlaps(s.cycle, s.maturity_plan)
    assert len(ov), "the demo has actions overlapping the maturity plan"
    assert set(ov["maturity_action"]) <= {a.id for a in load_framework().actions}
    plan = s.maturity_plan[s.maturity_plan["municipality_id"].isin(s.cycle.meta.municipalities)]
    for r in ov.itertuples(index=False):
        hit = plan[plan["action_id"] == r.maturity_action]
        assert r.in_plan == bool(len(hit))
        if r.in_plan:
            assert (r.start, r.end) == (hit["start"].iloc[0], hit["end"].iloc[0])
    assert ov["in_plan"].any()


def test_evidence_workbook_lists_every_item(cantemir_run, cantemir_strategy):
    wb = load_workbook(cantemir_run[0] / "evidence" / "evidence_md_cantemir_ro.xlsx")
    ws = wb["evidence"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    assert head[:5] == ("item_id", "area", "municipality_id", "problem", "text")
    ids = [r[0] for r in rows[1:]]
    assert ids == cantemir_strategy.pack.items["item_id"].tolist()
    text = dict(zip(ids, (r[4] for r in rows[1:]), strict=True))
    assert text["manual.access.no_bus"] == "Sate fără autobuz zilnic spre Cantemir"

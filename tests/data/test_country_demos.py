"""The demos of Moldova, Serbia and Belarus: bundled as the generator writes them, valid,
with real local names, the country's codes, and reports that render.

The report check renders one report (the social passport) of one municipality per country,
once per session, and reads it back with pdftotext.
"""

from __future__ import annotations

import filecmp
import json
import re
import subprocess
from pathlib import Path

import intake
import pandas as pd
import pytest

from socialkit import config
from socialkit.cli import main
from socialkit.data import TABLES, load_all, validate_catalog
from socialkit.data.demo import generate_demo, write_demo
from socialkit.data.demo.countries import (
    belarusian_latin,
    serbian_latin,
    strip_diacritics,
)

COUNTRIES = ("md", "rs", "by")
#: country -> (ISO code, currency, municipalities, id pattern of a municipality)
EXPECTED = {
    "md": ("MD", "MDL", 27, r"MDCT\d{2}"),
    "rs": ("RS", "RSD", 45, r"RS0[1-7]\d{2}"),
    "by": ("BY", "BYN", 42, r"BY[37]\d{2}"),
}


def _bundled_catalog(country: str) -> Path:
    folder = config.demo_data_dir(country)
    return folder.parent / f"{folder.name}.yaml"


@pytest.fixture(scope="module")
def tables() -> dict[str, dict[str, pd.DataFrame]]:
    return {c: load_all(_bundled_catalog(c)) for c in COUNTRIES}


@pytest.mark.parametrize("country", COUNTRIES)
def test_bundled_demo_matches_the_generator(country, tmp_path: Path):
    """catalogs/<country>/ is what `socialkit demo --country` writes: regenerate it when the
    generator changes (``socialkit demo --country md`` etc.)."""
    bundled = config.demo_data_dir(country)
    fresh = write_demo(tmp_path / country, country=country)
    names = sorted(p.name for p in fresh.parent.iterdir())
    assert sorted(p.name for p in bundled.iterdir()) == names
    match, mismatch, errors = filecmp.cmpfiles(bundled, fresh.parent, names, shallow=False)
    assert mismatch == [] and errors == [], f"run `socialkit demo --country {country}`"
    # the catalog beside the folder is the folder's catalog with paths into the folder
    beside = _bundled_catalog(country).read_text(encoding="utf-8")
    inside = fresh.read_text(encoding="utf-8")
    expected = inside.replace("{CATALOG_DIR}/", "{CATALOG_DIR}/" + bundled.name + "/")
    # ... and names the bundled data beside it that the dashboard shows
    also = {"by": "  contracting: belarus_contracting\n", "md": "  strategies: strategy\n",
            "rs": "  tests: serbia_professionals\n"}
    if country in also:
        head, sep, rest = expected.partition("user_parameters:")
        expected = head + also[country] + sep + rest
    assert beside == expected


@pytest.mark.parametrize("country", COUNTRIES)
def test_intake_opens_the_catalog_and_every_table_validates(country):
    path = _bundled_catalog(country)
    cat = intake.from_yaml_file(str(path))
    assert set(cat.entries) == {*TABLES, "boundaries"}
    for name in TABLES:
        assert len(cat[name].read()) > 0, name
    assert validate_catalog(path) == []
    iso, currency, _, _ = EXPECTED[country]
    meta = cat.metadata
    assert (meta["country"], meta["currency"], meta["synthetic"]) == (iso, currency, True)


@pytest.mark.parametrize("country", COUNTRIES)
def test_codes_ids_and_structure(tables, country):
    iso, _, n, pattern = EXPECTED[country]
    t = tables[country]
    mun, st, fac = t["municipalities"], t["settlements"], t["facilities"]
    assert len(mun) == n and set(mun["country"]) == {iso}
    assert mun["municipality_id"].str.fullmatch(pattern).all()
    # a settlement's id is its municipality's id and two digits, the seat ending in 00
    assert (st["settlement_id"].str[:-2] == st["municipality_id"]).all()
    seats = st[st["settlement_id"].str.endswith("00")]
    assert len(seats) == n
    # every municipality has a social-service centre in its seat (Serbia: one centre for
    # social work each)
    ssc = fac[fac["kind"] == "social_service_centre"]
    assert set(seats["settlement_id"]) <= set(ssc["settlement_id"])
    # the tables reference each other and every part is there
    for name in ("passport_values", "maturity_responses", "indicator_values",
                 "indicator_targets", "services"):
        assert set(t[name]["municipality_id"]) <= set(mun["municipality_id"]), name
    assert st["population"].isna().sum() == 1  # the same wart as the Ukrainian demo
    assert len(t["service_scores"]) > 0
    # synthetic boundaries, one per settlement and municipality, said to be synthetic
    geo = json.loads((config.demo_data_dir(country) / "boundaries.geojson").read_text("utf-8"))
    units = {f["properties"]["unit_id"] for f in geo["features"]}
    assert units == set(st["settlement_id"]) | set(mun["municipality_id"])
    assert "per municipality; not an official boundary" in geo["description"]


def test_moldova_is_cantemir_with_its_communes_and_villages(tables):
    mun, st = tables["md"]["municipalities"], tables["md"]["settlements"]
    assert set(mun["district"]) == {"Cantemir"}
    assert mun["name_local"].iloc[0] == "Cantemir" and st["kind"].iloc[0] == "town"
    local = set(st["name_local"])
    assert len(local) == 50  # every locality of the district
    assert {"Baimaclia", "Cîietu", "Ciobalaccia", "Cociulia", "Gotești", "Tartaul", "Enichioi",
            "Lărguța", "Pleșeni", "Țiganca Nouă"} <= local
    assert st.loc[st["name_local"] == "Gotești", "name"].item() == "Gotesti"
    assert (st.loc[st["settlement_id"].str.endswith("00"), "kind"] != "city").all()


def test_serbia_is_vojvodina_in_cyrillic_with_latin_names(tables):
    mun, st = tables["rs"]["municipalities"], tables["rs"]["settlements"]
    assert set(mun["region"]) == {"Vojvodina"} and mun["district"].nunique() == 7
    assert {"Нови Сад", "Суботица", "Зрењанин", "Сремска Митровица"} <= set(mun["name_local"])
    for frame in (mun, st):
        assert frame["name_local"].str.fullmatch(r"[\u0400-\u04FF ]+").all()
        assert (frame["name_local"].map(serbian_latin) == frame["name"]).all()
    ssc = tables["rs"]["facilities"].query("kind == 'social_service_centre'")
    assert "Центар за социјални рад Нови Сад" in set(ssc["name"])


def test_belarus_is_homiel_and_mahiliou_in_russian_and_belarusian(tables):
    mun, st = tables["by"]["municipalities"], tables["by"]["settlements"]
    assert mun["region"].value_counts().to_dict() == {"Homieĺ": 21, "Mahilioŭ": 21}
    assert set(mun["region_local"]) == {"Гомельская", "Могилёвская"}
    row = mun.set_index("name_local").loc["Жлобинский район"]
    assert (row["name"], row["name_be"], row["district_be"]) == (
        "Žlobin District", "Жлобінскі раён", "Жлобінскі")
    assert (st["name_be"].map(belarusian_latin) == st["name"]).all()
    assert {"Гомель", "Могилёв", "Бобруйск", "Мозырь"} <= set(st["name_local"])


def test_transliterations():
    assert strip_diacritics("Țiganca Nouă, Cîșla, Lărguța, Pleșeni") == (
        "Tiganca Noua, Cisla, Larguta, Pleseni")
    assert serbian_latin("Инђија, Оџаци, Љубовија, Његошево, Ћуприја, ЉИГ") == (
        "Inđija, Odžaci, Ljubovija, Njegoševo, Ćuprija, LJIG")
    assert belarusian_latin("Гомель, Магілёў, Ельск, Мсціслаў, Бабруйск, Асіповічы") == (
        "Homieĺ, Mahilioŭ, Jeĺsk, Mscislaŭ, Babrujsk, Asipovičy")


def test_same_seed_same_tables_other_seed_other_numbers():
    a, b = generate_demo(seed=5, country="rs"), generate_demo(seed=5, country="rs")
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    c = generate_demo(seed=6, country="rs")
    assert not a["settlements"]["population"].equals(c["settlements"]["population"])
    assert a["settlements"]["name"].equals(c["settlements"]["name"])  # the names are data


def _run(argv: list[str], capsys) -> tuple[int, str]:
    """Run the ``socialkit`` entry point; (exit code, stdout + stderr)."""
    try:
        main([str(a) for a in argv])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return code, out.out + out.err


def test_cli_writes_a_country_and_refuses_bad_options(tmp_path: Path, capsys):
    code, out = _run(["demo", "--country", "by", "--out", tmp_path / "by"], capsys)
    assert code == 0, out
    assert "42" in out and (tmp_path / "by" / "municipalities.csv").exists()
    code, out = _run(["demo", "--country", "md", "--scale", "3", "--out", tmp_path / "md"],
                     capsys)
    assert code == 1 and "--scale 3" in out and "--country ua" in out
    assert not (tmp_path / "md").exists()
    code, out = _run(["demo", "--country", "xx", "--out", tmp_path / "xx"], capsys)
    assert code == 1 and "ua, md, rs, by" in out
    assert "Traceback" not in out and not (tmp_path / "xx").exists()


#: (country, municipality, words its passport must print in local names, in the language of
#: the country's reports)
REPORT_CASES = {
    "md": ("MDCT25", ["Țiganca", "Țiganca Nouă", "Ghioltosu", "Raionul Cantemir"], "ro"),
    "rs": ("RS0601", ["Нови Сад", "Петроварадин", "Футог"], "sr-Cyrl"),
    "by": ("BY308", ["Жлобинский район", "Стрешин", "Гомельская"], "ru"),
}
REPORTS = ("maturity", "needs", "passport", "monitoring")
#: language -> (country, the reports rendered in it): every report in one language of each
#: script of the Serbian and Belarusian programmes, the passport in the others
LANGUAGE_CASES = {
    "ro": ("md", ("passport",)),
    "sr-Cyrl": ("rs", REPORTS),
    "sr-Latn": ("rs", ("passport",)),
    "ru": ("by", REPORTS),
    "be": ("by", ("passport",)),
}
#: Latin-script words a report in Cyrillic may print: the product's name and acronyms the
#: translations keep (CDTO, 2SFCA); file names (vulnerability.yaml) are removed before.
ALLOWED_LATIN = {"socialkit", "CDTO", "SFCA"}
_FILE_NAME = re.compile(r"\b[\w.-]+\.ya?ml\b")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
#: letters of each language that only a complete font prints
GLYPHS = {"ro": "șțăîâ", "sr-Cyrl": "ђћљњ", "sr-Latn": "čćđšž", "ru": "ыэё", "be": "ўі"}


@pytest.fixture(scope="session")
def country_reports(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """``{(report, lang): pdf}``: the reports of :data:`LANGUAGE_CASES`, each of its country's
    municipality of :data:`REPORT_CASES`, rendered once per session by one pool of two warm
    workers."""
    from socialkit.reporting.executors import LocalExecutor
    from socialkit.reporting.jobs import run_job
    from socialkit.reporting.runner import plan_jobs

    jobs = []
    for lang, (country, reports) in LANGUAGE_CASES.items():
        mid = REPORT_CASES[country][0]
        jobs += plan_jobs(",".join(reports), [mid], _bundled_catalog(country), lang)[0]
    out, pdfs = tmp_path_factory.mktemp("country-reports"), {}
    for result in LocalExecutor(workers=2).map_unordered(run_job, jobs):
        if result.status != "ok":
            pytest.fail(f"{result.job.report}.{result.job.lang}: {result.error}")
        path = out / f"{result.job.report}.{result.job.lang}.pdf"
        path.write_bytes(result.pdf)
        pdfs[result.job.report, result.job.lang] = path
    return pdfs


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.slow
@pytest.mark.xdist_group("country-demo-reports")  # one worker renders them, once
@pytest.mark.parametrize("country", COUNTRIES)
def test_a_report_renders_with_local_names(country_reports, country):
    _, words, lang = REPORT_CASES[country]
    pdf = country_reports["passport", lang]
    text = re.sub(r"\s+", " ", _pdf_text(pdf))
    for word in words:
        assert word in text, f"{word!r} not in the {country} passport"
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # embedded


@pytest.mark.slow
@pytest.mark.xdist_group("country-demo-reports")
@pytest.mark.parametrize("lang, report", [(lang, report)
                                          for lang, (_, reports) in LANGUAGE_CASES.items()
                                          for report in reports])
def test_a_report_is_in_its_language_and_script(country_reports, lang, report):
    """A report in Cyrillic prints no Latin word (English or a name left untransliterated)
    outside a short allow-list; a report in Latin letters no Cyrillic one; the letters proper
    to the language are printed, with embedded fonts."""
    text = _pdf_text(country_reports[report, lang])
    if lang in ("ro", "sr-Latn"):
        words = sorted(set(_CYRILLIC.findall(text)))
        assert not words, f"{report}.{lang}: Cyrillic words: {words}"
    else:
        text_ = _FILE_NAME.sub(" ", text)   # quarters on axes too are in the language
        words = sorted({w for w in _LATIN_WORD.findall(text_) if w not in ALLOWED_LATIN})
        assert not words, f"{report}.{lang}: Latin-script words: {words}"
    if report == "passport":
        missing = [c for c in GLYPHS[lang] if c not in text.lower()]
        assert not missing, f"{report}.{lang}: letters never printed: {missing}"
        fonts = subprocess.run(["pdffonts", str(country_reports[report, lang])], check=True,
                               capture_output=True, text=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts

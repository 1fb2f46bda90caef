"""Synthetic demo of the registry: the professionals of ten centres for social work in Vojvodina.

Deterministic (numpy ``default_rng(seed)``): the same seed gives byte-identical files, and
``catalogs/serbia_professionals/`` holds the output of :func:`demo_files` (a test checks it).
Every person, personal number, e-mail and licence number is invented; the city names are real.

What it holds: ~180 professionals of the centres for social work (Centar za socijalni rad) of
Novi Sad, Subotica, Zrenjanin, Pančevo, Sombor, Kikinda, Sremska Mitrovica, Vršac, Ruma and
Bačka Palanka; their employment and licence histories (renewals included); six programmes
(two accredited with a knowledge test, one accredited without, the province's online course,
a national conference, a round table) with sessions from 2023 to 2025 and a few planned for
2026; participations with roles; some professionals short of points. Also an assessment test
(``test_key.yaml``) and a Moodle *Responses* download of it (``moodle_responses.csv``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import yaml

from .schemas import jmbg_check_digit

__all__ = ["CENTRES", "DEMO_AS_OF", "demo_files"]

#: The day the demo is "now" (compliance and reminders in the docs and tests).
DEMO_AS_OF = "2025-12-01"

#: (id, English name, Serbian name, municipality, staff)
CENTRES: tuple[tuple[str, str, str, str, int], ...] = (
    ("csr-novi-sad", "Centre for Social Work Novi Sad", "Центар за социјални рад Нови Сад",
     "Novi Sad", 38),
    ("csr-subotica", "Centre for Social Work Subotica", "Центар за социјални рад Суботица",
     "Subotica", 24),
    ("csr-zrenjanin", "Centre for Social Work Zrenjanin", "Центар за социјални рад Зрењанин",
     "Zrenjanin", 20),
    ("csr-pancevo", "Centre for Social Work Pančevo", "Центар за социјални рад Панчево",
     "Pančevo", 20),
    ("csr-sombor", "Centre for Social Work Sombor", "Центар за социјални рад Сомбор",
     "Sombor", 15),
    ("csr-kikinda", "Centre for Social Work Kikinda", "Центар за социјални рад Кикинда",
     "Kikinda", 12),
    ("csr-sremska-mitrovica", "Centre for Social Work Sremska Mitrovica",
     "Центар за социјални рад Сремска Митровица", "Sremska Mitrovica", 15),
    ("csr-vrsac", "Centre for Social Work Vršac", "Центар за социјални рад Вршац", "Vršac", 11),
    ("csr-ruma", "Centre for Social Work Ruma", "Центар за социјални рад Рума", "Ruma", 11),
    ("csr-backa-palanka", "Centre for Social Work Bačka Palanka",
     "Центар за социјални рад Бачка Паланка", "Bačka Palanka", 10),
)

_SURNAMES = ("Jovanović", "Petrović", "Nikolić", "Marković", "Đorđević", "Stojanović",
             "Ilić", "Stanković", "Pavlović", "Milošević", "Kovačević", "Todorović", "Popović",
             "Savić", "Kiš", "Horvat", "Nađ", "Tot", "Radić", "Lukić", "Vuković", "Simić",
             "Janković", "Mitrović", "Babić", "Kostić", "Šarić", "Živković")
_FEMALE = ("Jelena", "Milica", "Ana", "Marija", "Ivana", "Snežana", "Dragana", "Tamara",
           "Jasmina", "Katarina", "Gordana", "Vesna", "Sanja", "Mirjana", "Nataša", "Erika")
_MALE = ("Nikola", "Marko", "Stefan", "Miloš", "Dejan", "Zoran", "Dragan", "Aleksandar",
         "Ivan", "Vladimir", "Goran", "Zoltan")
#: profession, share, licence type
_PROFESSIONS = (("social_worker", 0.46, "basic"), ("psychologist", 0.18, "basic"),
                ("pedagogue", 0.12, "basic"), ("special_educator", 0.08, "specialised"),
                ("lawyer", 0.12, "legal"), ("andragogue", 0.04, "basic"))

_PROGRAMMES = (
    # id, title, title_local, activity, accredited, number, from, to, hours, test
    ("prog-case-management", "Case management in the centre for social work",
     "Вођење случаја у центру за социјални рад", "training_tested", True,
     "110-00-00045/2022-14", "2022-09-01", "2026-08-31", 24, True),
    ("prog-child-protection", "Protecting children from abuse and neglect",
     "Заштита деце од злостављања и занемаривања", "training_tested", True,
     "110-00-00112/2023-14", "2023-03-01", "2027-02-28", 16, True),
    ("prog-supervision", "Supervision in social protection", "Супервизија у социјалној заштити",
     "training_untested", True, "110-00-00078/2021-14", "2021-06-01", "2025-05-31", 16, False),
    ("prog-digital-skills", "Digital skills for social work (online course)",
     "Дигиталне вештине у социјалном раду (онлајн курс)", "training_untested", False,
     None, None, None, 8, False),
    ("prog-conference", "Provincial conference on social protection",
     "Покрајинска конференција о социјалној заштити", "conference_national", False,
     None, None, None, 12, False),
    ("prog-round-table", "Round table: foster care in Vojvodina",
     "Округли сто: хранитељство у Војводини", "round_table", False, None, None, None, 4,
     False),
)


def _jmbg(rng: np.random.Generator, born: dt.date, female: bool, serial: int) -> str:
    region = "80"  # Novi Sad region code; the rest is invented
    code = f"{serial % 500 + (500 if female else 0):03d}"
    first12 = f"{born.day:02d}{born.month:02d}{born.year % 1000:03d}{region}{code}"
    return first12 + str(jmbg_check_digit(first12))


def _day(rng: np.random.Generator, start: str, end: str) -> dt.date:
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return a + dt.timedelta(days=int(rng.integers(0, (b - a).days + 1)))


def _tables(seed: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    institutions = pd.DataFrame(
        [(c[0], c[1], c[2], c[3], "centre_for_social_work") for c in CENTRES],
        columns=["institution_id", "name", "name_local", "municipality", "kind"])
    persons, employments, licences = [], [], []
    shares = np.array([p[1] for p in _PROFESSIONS])
    pid = 0
    diligence = {}
    for c in CENTRES:
        for _ in range(c[4]):
            pid += 1
            person = f"p{pid:04d}"
            female = rng.random() < 0.78
            given = rng.choice(_FEMALE if female else _MALE)
            surname = rng.choice(_SURNAMES)
            born = _day(rng, "1962-01-01", "1998-12-31")
            prof = _PROFESSIONS[int(rng.choice(len(_PROFESSIONS), p=shares / shares.sum()))]
            ascii_name = (str(given) + "." + str(surname)).lower()
            for a, b in (("č", "c"), ("ć", "c"), ("đ", "dj"), ("š", "s"), ("ž", "z")):
                ascii_name = ascii_name.replace(a, b)
            persons.append((person, surname, given, _jmbg(rng, born, female, pid), prof[0],
                            f"{ascii_name}.{pid}@example.org"))
            # employment: an earlier job elsewhere for some
            start = _day(rng, "2008-01-01", "2022-06-30")
            if rng.random() < 0.2:
                other = CENTRES[int(rng.integers(0, len(CENTRES)))][0]
                if other != c[0]:
                    prev = start - dt.timedelta(days=int(rng.integers(400, 2000)))
                    employments.append((person, other, prev.isoformat(),
                                        (start - dt.timedelta(days=1)).isoformat()))
            employments.append((person, c[0], start.isoformat(), None))
            # licences: the current one began 2020-2025; earlier ones renewed into it
            cur_from = _day(rng, "2020-03-01", "2025-06-30")
            first_from = cur_from
            n_prev = int(rng.integers(0, 3)) if cur_from.year >= 2020 else 0
            chain = []
            for k in range(n_prev, 0, -1):
                f = dt.date(cur_from.year - 6 * k, cur_from.month, min(cur_from.day, 28))
                if f.year < 2008:
                    continue
                chain.append(f)
            chain.append(cur_from)
            prev_id = None
            for n, f in enumerate(chain):
                lid = f"lic-{person}-{n + 1}"
                to = dt.date(f.year + 6, f.month, min(f.day, 28)) - dt.timedelta(days=1)
                licences.append((lid, person, prof[2],
                                 f"{prof[2][:2].upper()}-{f.year}-{pid:04d}{n + 1}",
                                 f.isoformat(), to.isoformat(), prev_id))
                prev_id = lid
            if prof[0] == "social_worker" and rng.random() < 0.06:
                f = _day(rng, "2021-01-01", "2024-12-31")
                to = dt.date(f.year + 6, f.month, min(f.day, 28)) - dt.timedelta(days=1)
                licences.append((f"lic-{person}-s", person, "supervisory",
                                 f"SU-{f.year}-{pid:04d}", f.isoformat(), to.isoformat(), None))
            del first_from
            # how keen on training: 0 = rarely (short of points), 1 = regularly, 2 = a lot
            diligence[person] = int(rng.choice(3, p=[0.15, 0.55, 0.30]))
    persons = pd.DataFrame(persons, columns=["person_id", "surname", "given_name",
                                             "personal_number", "profession", "email"])
    employments = pd.DataFrame(employments, columns=["person_id", "institution_id", "start",
                                                     "end"])
    licences = pd.DataFrame(licences, columns=["licence_id", "person_id", "licence_type",
                                               "number", "valid_from", "valid_to", "renews"])
    programmes = pd.DataFrame(
        [(p[0], p[1], p[2], p[3], "true" if p[4] else "false", p[5], p[6], p[7], p[8],
          "true" if p[9] else "false") for p in _PROGRAMMES],
        columns=["programme_id", "title", "title_local", "activity", "accredited",
                 "accreditation_number", "accredited_from", "accredited_to", "hours",
                 "knowledge_test"])
    # sessions: 2023-2025, and a few planned in 2026
    cities = [c[3] for c in CENTRES]
    sessions = []
    plan = {"prog-case-management": (6, "2023-01-15", "2025-11-20"),
            "prog-child-protection": (6, "2023-03-10", "2025-11-25"),
            "prog-supervision": (3, "2023-02-01", "2025-05-15"),
            "prog-digital-skills": (4, "2023-04-01", "2025-10-31"),
            "prog-conference": (3, None, None),
            "prog-round-table": (4, "2023-02-01", "2025-11-15")}
    sid = 0
    for prog, (n, a, b) in plan.items():
        if prog == "prog-conference":
            days = [dt.date(y, 10, 12 + y % 5) for y in (2023, 2024, 2025)]
        else:
            days = sorted(_day(rng, a, b) for _ in range(n))
        for d in days:
            sid += 1
            online = prog == "prog-digital-skills"
            place = None if online else ("Novi Sad" if prog == "prog-conference"
                                         else str(rng.choice(cities)))
            sessions.append((f"s{sid:03d}", prog, d.isoformat(), place,
                             "true" if online else "false"))
    for prog, day, place in (("prog-case-management", "2026-02-18", "Novi Sad"),
                             ("prog-child-protection", "2026-03-12", "Subotica"),
                             ("prog-digital-skills", "2026-01-20", None)):
        sid += 1
        sessions.append((f"s{sid:03d}", prog, day, place, "false" if place else "true"))
    sessions = pd.DataFrame(sessions, columns=["session_id", "programme_id", "date", "place",
                                               "online"])
    # participations
    parts = []
    sess_by_prog = {p: sessions[sessions["programme_id"] == p]["session_id"].tolist()
                    for p in plan}
    roles_of = {"training_tested": "participant", "training_untested": "participant",
                "conference_national": "passive", "round_table": "listener"}
    activity = {p[0]: p[3] for p in _PROGRAMMES}
    trainers = persons[persons["profession"].isin(["psychologist", "social_worker"])].sample(
        8, random_state=seed)["person_id"].tolist()
    authors = trainers[:2]
    pidn = 0
    for person, level in diligence.items():
        want = {0: 2, 1: 6, 2: 10}[level] + int(rng.integers(0, 3))
        pool = [(p, s) for p, ss in sess_by_prog.items() for s in ss]
        picks = rng.choice(len(pool), size=min(want, len(pool)), replace=False)
        for i in sorted(int(x) for x in picks):
            prog, s = pool[i]
            role = roles_of[activity[prog]]
            if activity[prog] == "conference_national" and rng.random() < 0.3:
                role = "active"
            if activity[prog] == "round_table" and rng.random() < 0.15:
                role = "active"
            pidn += 1
            parts.append((f"pt{pidn:05d}", person, s, role))
    for k, person in enumerate(trainers):
        for s in sess_by_prog["prog-case-management"][k % 3::3]:
            if any(p[1] == person and p[2] == s for p in parts):
                continue
            pidn += 1
            role = "author" if person in authors else "certified_trainer"
            parts.append((f"pt{pidn:05d}", person, s, role))
    participations = pd.DataFrame(parts, columns=["participation_id", "person_id",
                                                  "session_id", "role"])
    return {"institutions": institutions, "persons": persons, "employments": employments,
            "licences": licences, "programmes": programmes, "sessions": sessions,
            "participations": participations}


#: The demo test: 10 questions of the online course, 4 answers each (1 point for the key).
_QUESTIONS = (
    ("q01", "Who opens a case in the centre for social work?",
     ["The case manager", "The supervisor", "The director", "The court"], 0),
    ("q02", "Within how many days must an initial assessment be completed?",
     ["7 days", "15 days", "30 days", "60 days"], 0),
    ("q03", "What does an individual service plan set out?",
     ["Goals, services and deadlines", "The budget of the centre", "The staff rota",
      "The annual report"], 0),
    ("q04", "Which body accredits training programmes?",
     ["The Republic Institute for Social Protection", "The ministry's inspectorate",
      "The provincial assembly", "The municipality"], 0),
    ("q05", "How long is a professional licence valid?",
     ["Six years", "Three years", "Ten years", "Without limit"], 0),
    ("q06", "Which personal data may an institution head export?",
     ["Only what their role allows", "Everything in the registry",
      "Nothing at all", "Only the personal number"], 0),
    ("q07", "What is supervision for?",
     ["Support and quality of professional work", "Disciplinary procedure",
      "Counting points", "Paying salaries"], 0),
    ("q08", "What should a case manager do when a child is at immediate risk?",
     ["Act urgently and ensure safety", "Wait for the next team meeting",
      "Ask the family to call back", "Send a letter"], 0),
    ("q09", "Which record shows who read a person's file?",
     ["The read log", "The licence", "The certificate", "The session list"], 0),
    ("q10", "What is a knowledge test in an accredited programme for?",
     ["To check what participants learnt", "To rank the centres", "To set salaries",
      "To replace supervision"], 0),
)


def _key() -> dict:
    qs = []
    for name, label, answers, right in _QUESTIONS:
        qs.append({"name": name, "label": label,
                   "choices": {chr(97 + i): {"label": a, "points": 1 if i == right else 0}
                               for i, a in enumerate(answers)}})
    return {"test_id": "digital-skills-test", "title": "Digital skills for social work: "
            "final test", "pass_mark": 0.6, "questions": qs}


def _moodle(persons: pd.DataFrame, seed: int) -> pd.DataFrame:
    """A Moodle quiz *Responses* download: ability × difficulty (a Rasch model), answers."""
    rng = np.random.default_rng(seed + 1)
    cand = persons.sample(60, random_state=seed).reset_index(drop=True)
    theta = rng.normal(0, 1, len(cand))
    b = np.linspace(-1.6, 1.4, len(_QUESTIONS))
    rows = []
    for i, r in cand.iterrows():
        started = dt.datetime(2025, 10, 1, 9, 0) + dt.timedelta(hours=int(rng.integers(0, 600)))
        took = int(rng.integers(8, 35))
        answers, right_n = [], 0
        for j, (_, _, opts, right) in enumerate(_QUESTIONS):
            p = 1 / (1 + np.exp(-(theta[i] - b[j])))
            if rng.random() < 0.03:
                answers.append("-")
                continue
            if rng.random() < p:
                answers.append(opts[right])
                right_n += 1
            elif j == 7 and theta[i] > 0.3:
                # a distractor that attracts strong candidates (a flaw for the authors to fix)
                answers.append(opts[1])
            else:
                answers.append(opts[int(rng.choice([1, 2, 3]))])
        state = "Finished" if rng.random() > 0.05 else "In progress"
        rows.append([r["surname"], r["given_name"], r["email"], state,
                     started.strftime("%d %B %Y  %I:%M %p"),
                     (started + dt.timedelta(minutes=took)).strftime("%d %B %Y  %I:%M %p")
                     if state == "Finished" else "-",
                     f"{took} mins" if state == "Finished" else "-",
                     f"{right_n:.2f}" if state == "Finished" else "Not yet graded", *answers])
    cols = ["Surname", "First name", "Email address", "State", "Started on", "Completed",
            "Time taken", "Grade/10.00"] + [f"Response {j + 1}" for j in range(len(_QUESTIONS))]
    return pd.DataFrame(rows, columns=cols)


def demo_files(seed: int = 19) -> dict[str, str]:
    """The demo's files: name → text (CSV with ``\\n`` line ends, YAML)."""
    tables = _tables(seed)
    out = {f"{name}.csv": frame.to_csv(index=False, lineterminator="\n")
           for name, frame in tables.items()}
    out["test_key.yaml"] = yaml.safe_dump(_key(), allow_unicode=True, sort_keys=False,
                                          width=100)
    out["moodle_responses.csv"] = _moodle(tables["persons"], seed).to_csv(
        index=False, lineterminator="\n")
    return out

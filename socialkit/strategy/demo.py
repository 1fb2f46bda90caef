"""Synthetic strategy cycles (``catalogs/strategy/``): a Ukrainian hromada and Cantemir district.

:func:`demo_files` returns every file of the two cycles as ``{relative path: text}``,
deterministically (a fixed seed; no clock); ``socialkit strategy demo --out catalogs/strategy``
writes them, and a test checks the committed files equal it.

* ``ua_mykolaivka`` — Mykolaivka hromada of the bundled demo (``catalogs/demo``), in Ukrainian:
  its evidence comes from the analyses of the demo catalog (the evidence ids below are those
  the demo data gives); four focus groups and six interviews; six candidate problems rated by
  five members of the working group; three goals; the public consultation; two progress
  versions in 2027.
* ``md_cantemir`` — Cantemir district (Moldova), in Romanian, with its own small inputs: the
  evidence written by hand from the statistics and the directorates' reports
  (``evidence_items.csv``); focus groups in Cociulia, Cîietu, Ciobalaccia and Gotești; ten
  interviews with professionals of social services, education, public order, religious
  communities and civil society.

Everything here is invented: names, quotes and figures are synthetic.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import yaml

__all__ = ["SEED", "demo_files"]

SEED = 2026
_CRIT = ("severity", "people_affected", "urgency", "feasibility", "cost")


def _csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    pd.DataFrame(rows, columns=columns).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


# --------------------------------------------------------------------------- quotes
_QUOTES = {
    "uk": {
        "transport": [
            "Автобус до центру ходить двічі на тиждень, а до лікаря треба щомісяця.",
            "Щоб оформити допомогу, я їхала сорок кілометрів з пересадкою.",
            "Взимку дорогу не чистять, і соціальний працівник до нас не доїжджає.",
            "Таксі до центру коштує як половина пенсії.",
            "Сусіди возять мене до аптеки, бо іншого способу немає.",
            "Якби послуга приїжджала в село хоч раз на тиждень, було б легше.",
        ],
        "home_care": [
            "Я живу сама, і ніхто не приходить допомогти з дровами.",
            "Черга на догляд удома така, що люди не доживають.",
            "Соціальна робітниця має тридцять людей і не встигає.",
            "Діти за кордоном, а я вже не можу сама помитися.",
            "Хочеться, щоб хтось хоч телефонував і питав, як я.",
            "Платний догляд для нас недоступний.",
        ],
        "disability": [
            "Для дитини з інвалідністю в громаді немає денного центру.",
            "Реабілітація тільки в області, і возити туди нікому.",
            "Школа не має пандуса, тож син навчається вдома.",
            "Нам потрібна перепочинкова послуга, бо мати доглядає без вихідних.",
            "Інформацію про пільги ми шукаємо самі, ніхто не пояснює.",
        ],
        "families_children": [
            "Молодим сім'ям бракує консультацій психолога поруч.",
            "Після школи діти не мають куди піти, гуртків немає.",
            "Сім'ї у скруті бояться звертатися, бо думають, що заберуть дітей.",
            "Потрібен фахівець, який би прийшов додому і допоміг з документами.",
            "Дитячий садок переповнений, і мама не може вийти на роботу.",
        ],
        "displaced": [
            "Ми переселенці, і ніхто не пояснив, які послуги нам належать.",
            "Житло знайшли самі, але за оренду платити нічим.",
            "Діти важко звикають до нової школи, потрібна підтримка.",
            "На обліку стоїмо, але роботу за фахом тут не знайти.",
            "Хотілося б групу підтримки для таких, як ми.",
        ],
        "information": [
            "Про нові послуги дізнаюся випадково від сусідів.",
            "Онлайн-заяву подати не вмію, а допомогти нікому.",
            "На сайті громади немає переліку послуг.",
            "Зручно було б записатися телефоном, а не їхати.",
            "Молоді користуються застосунком, старші бояться.",
        ],
        "staff": [
            "На всю громаду два соціальні працівники, вони фізично не встигають.",
            "Фахівці звільняються, бо зарплата мала і роботи багато.",
            "Ведення випадків забирає час, на навчання його не лишається.",
        ],
    },
    "ro": {
        "transport": [
            "Autobuzul spre centrul raional merge doar de două ori pe săptămână.",
            "Ca să ajung la asistentul social plătesc taxi cât jumătate din pensie.",
            "Iarna drumul nu e curățat și nu mai vine nimeni la noi.",
            "Până la farmacie mă duce un vecin, altă cale nu am.",
            "Dacă serviciul ar veni în sat o dată pe săptămână, ar fi mult mai ușor.",
            "Pentru orice hârtie trebuie să merg la Cantemir și pierd toată ziua.",
        ],
        "home_care": [
            "Trăiesc singură și nimeni nu vine să mă ajute cu lemnele.",
            "Lucrătorul social are prea mulți beneficiari și nu ajunge la toți.",
            "Copiii sunt plecați peste hotare, iar eu nu mă mai descurc singură.",
            "Aș vrea să mă sune cineva măcar să întrebe cum mă simt.",
            "Îngrijirea plătită este prea scumpă pentru noi.",
            "Așteptăm de luni de zile un loc la serviciul de îngrijire la domiciliu.",
        ],
        "disability": [
            "Pentru copilul cu dizabilități nu există niciun centru de zi în raion.",
            "Reabilitarea este doar la Chișinău și nu avem cu cine merge.",
            "Școala nu are rampă, așa că băiatul învață acasă.",
            "Mama îngrijește fără nicio zi liberă, ar avea nevoie de un serviciu de răgaz.",
            "Despre drepturile noastre aflăm singuri, nimeni nu ne explică.",
        ],
        "families_children": [
            "Familiile tinere nu au unde cere un sfat de la psiholog.",
            "După ore copiii nu au unde merge, nu sunt cercuri.",
            "Familiile în dificultate se tem să ceară ajutor.",
            "Mulți copii rămân cu bunicii când părinții pleacă la muncă.",
            "Grădinița este plină și mama nu se poate angaja.",
            "Ar fi bine un specialist care să vină acasă să ajute cu actele.",
        ],
        "income_work": [
            "Ajutorul social abia ajunge pentru lumină și pâine.",
            "În sat nu sunt locuri de muncă, tinerii pleacă.",
            "Lucrez cu ziua la vie, iar iarna nu am niciun venit.",
            "Aș face un curs de meserie, dar nu știu unde.",
            "Compensațiile pentru încălzire vin prea târziu.",
        ],
        "violence": [
            "Femeile nu spun nimic de frică și de rușine.",
            "Nu există un loc unde să stea o mamă cu copiii în siguranță.",
            "Polițistul de sector vine rar și nu cunoaște familiile.",
            "Ar trebui o echipă care să lucreze împreună, nu fiecare separat.",
            "Cazurile se află abia când e prea târziu.",
        ],
        "discrimination": [
            "Copiii romi abandonează școala și nimeni nu îi caută.",
            "La primărie suntem primiți altfel decât ceilalți.",
            "Mediatorul comunitar a plecat și nu mai avem cu cine vorbi.",
            "Ne-ar ajuta să aflăm de servicii în limba noastră.",
            "Nu avem acte și de aceea nu primim ajutor.",
        ],
        "staff": [
            "Sunt posturi vacante de asistent social comunitar în mai multe primării.",
            "Specialiștii pleacă pentru că salariul e mic și volumul mare.",
            "Nu avem timp pentru formare, doar pentru hârtii.",
        ],
    },
}

# --------------------------------------------------------------------------- cycles
_UA = {
    "id": "ua_mykolaivka", "country": "UA", "lang": "uk", "level": "municipality",
    "municipalities": ["UA14020100006634663"],
    "name": {"en": "Mykolaivka hromada", "uk": "Миколаївська громада"},
    "region": {"en": "Donetsk oblast, Kramatorsk district",
               "uk": "Донецька область, Краматорський район"},
    "catalog": "../../demo/catalog.yaml", "currency": "UAH",
    "funding": {}, "place_names": ["Миколаївка", "Тетянівка", "Рай-Олександрівка", "Новосілки"],
    "facilitators": ["Фасилітатор А", "Фасилітатор Б"],
    "names": ["Олена Гайова", "Тарас Бондар", "Ганна Лисенко", "Степан Ярошенко",
              "Віра Кушнір", "Петро Мельничук", "Оксана Дячук", "Юрій Гнатюк"],
    "focus": [("older_people", ["transport", "home_care", "information"]),
              ("persons_disabilities", ["disability", "transport", "home_care"]),
              ("parents", ["families_children", "information", "transport"]),
              ("displaced", ["displaced", "information", "families_children"])],
    "interviews": ["social_services", "social_services", "education", "public_order",
                   "civil_society", "religious"],
    "interview_themes": ["staff", "home_care", "families_children", "families_children",
                         "disability", "displaced"],
}
_MD = {
    "id": "md_cantemir", "country": "MD", "lang": "ro", "level": "district",
    "municipalities": [], "name": {"en": "Cantemir district", "ro": "Raionul Cantemir"},
    "region": {"en": "South development region", "ro": "Regiunea de dezvoltare Sud"},
    "catalog": None, "currency": "MDL",
    "place_names": ["Cociulia", "Cîietu", "Ciobalaccia", "Gotești"],
    "facilitators": ["Facilitator A", "Facilitator B"],
    "names": ["Vasile Cojocaru", "Ana Țurcanu", "Nicolae Botnaru", "Elena Ceban",
              "Gheorghe Munteanu", "Tatiana Rotaru", "Ion Bivol", "Lilia Grosu"],
    "focus": [("older_people", ["home_care", "transport", "income_work"]),
              ("roma", ["discrimination", "families_children", "income_work"]),
              ("parents", ["families_children", "violence", "transport"]),
              ("persons_disabilities", ["disability", "transport", "home_care"])],
    "interviews": ["social_services", "social_services", "social_services", "education",
                   "education", "public_order", "public_order", "religious", "civil_society",
                   "civil_society"],
    "interview_themes": ["staff", "home_care", "violence", "families_children",
                         "discrimination", "violence", "families_children", "income_work",
                         "disability", "violence"],
}

_SESSION_COLS = ["session_id", "kind", "date", "place", "group", "facilitator",
                 "consent_recorded", "female", "male", "age_18_34", "age_35_59", "age_60_plus"]


def _consultation(c: dict, rng: np.random.Generator) -> dict[str, str]:
    lang = c["lang"]
    pool = {k: list(v) for k, v in _QUOTES[lang].items()}
    used = {k: 0 for k in pool}

    def quote(theme: str) -> str:
        q = pool[theme][used[theme] % len(pool[theme])]
        used[theme] += 1
        return q

    sessions, attendance, excerpts = [], [], []
    n_names = 0
    for i, (group, themes) in enumerate(c["focus"], start=1):
        sid = f"FG{i}"
        n = int(rng.integers(7, 12))
        female = int(rng.integers(n // 2, n - 1))
        old = n - 2 if group == "older_people" else int(rng.integers(1, n // 2))
        young = int(rng.integers(0, (n - old) // 2 + 1))
        sessions.append({"session_id": sid, "kind": "focus_group",
                         "date": f"2026-09-{10 + 3 * i:02d}", "place": c["place_names"][i - 1],
                         "group": group, "facilitator": c["facilitators"][i % 2],
                         "consent_recorded": "yes", "female": female, "male": n - female,
                         "age_18_34": young, "age_35_59": n - old - young, "age_60_plus": old})
        for _ in range(2):
            attendance.append({"session_id": sid, "name": c["names"][n_names % len(c["names"])]})
            n_names += 1
        for j, theme in enumerate(themes):
            for k in range(5 if j < 2 else 3 + (i % 2) * 2):
                excerpts.append({"excerpt_id": f"{sid}.{j + 1}.{k + 1}", "session_id": sid,
                                 "theme": theme, "group": group, "quote": quote(theme)})
    for i, (group, theme) in enumerate(zip(c["interviews"], c["interview_themes"],
                                           strict=True), start=1):
        sid = f"INT{i:02d}"
        female = int(rng.integers(0, 2))
        age = int(rng.integers(0, 3))
        sessions.append({"session_id": sid, "kind": "interview",
                         "date": f"2026-10-{1 + 2 * i:02d}",
                         "place": c["place_names"][i % len(c["place_names"])], "group": group,
                         "facilitator": c["facilitators"][i % 2], "consent_recorded": "yes",
                         "female": female, "male": 1 - female, "age_18_34": int(age == 0),
                         "age_35_59": int(age == 1), "age_60_plus": int(age == 2)})
        attendance.append({"session_id": sid, "name": c["names"][n_names % len(c["names"])]})
        n_names += 1
        for k, th in enumerate((theme, "staff" if theme != "staff" else "home_care")):
            excerpts.append({"excerpt_id": f"{sid}.{k + 1}", "session_id": sid, "theme": th,
                             "group": group, "quote": quote(th)})
    return {"sessions.csv": _csv(sessions, _SESSION_COLS),
            "attendance.csv": _csv(attendance, ["session_id", "name"]),
            "excerpts.csv": _csv(excerpts, ["excerpt_id", "session_id", "theme", "group",
                                            "quote"])}


def _ratings(problems: list[dict], rng: np.random.Generator, raters: int = 5) -> str:
    rows = []
    for p in problems:
        for r in range(1, raters + 1):
            for c, base in zip(_CRIT, p["profile"], strict=True):
                s = int(np.clip(base + rng.choice([-1, 0, 0, 0, 1]), 1, 5))
                rows.append({"rater": f"R{r}", "problem_id": p["problem_id"], "criterion": c,
                             "score": s})
    return _csv(rows, ["rater", "problem_id", "criterion", "score"])


def _cycle_files(c: dict, plan: dict, rng: np.random.Generator) -> dict[str, str]:
    meta = {k: c[k] for k in ("id", "country", "lang", "level", "municipalities", "name",
                              "region", "catalog", "currency")}
    meta.update({"period": {"start": "2027", "end": "2029"}, "data_as_of": "2026-12-15",
                 "synthetic": True})
    if meta["catalog"] is None:
        del meta["catalog"]
    files = {"strategy.yaml": "# Synthetic strategy cycle (socialkit strategy demo).\n"
             + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}
    files.update(_consultation(c, rng))
    files["candidates.csv"] = _csv(plan["candidates"], ["problem_id", "title", "title_local",
                                                        "evidence", "themes"])
    files["ratings.csv"] = _ratings(plan["candidates"], rng)
    for name, cols in (("goals", ["goal_id", "title", "title_local"]),
                       ("objectives", ["objective_id", "goal_id", "title", "title_local"]),
                       ("objective_indicators", ["objective_id", "indicator_id", "baseline",
                                                 "baseline_period", "target", "target_period"]),
                       ("actions", ["action_id", "objective_id", "title", "title_local",
                                    "responsible", "partners", "cost", "funding", "start",
                                    "end", "evidence", "themes", "maturity_actions",
                                    "priority"]),
                       ("milestones", ["milestone_id", "action_id", "title", "title_local",
                                       "due"]),
                       ("comments", ["comment_id", "date", "author_kind", "organisation",
                                     "moderation", "target", "text"]),
                       ("answers", ["comment_id", "answer", "reason", "changed"])):
        files[f"{name}.csv"] = _csv(plan[name], cols)
    if plan.get("evidence_items"):
        files["evidence_items.csv"] = _csv(plan["evidence_items"], [
            "item_id", "area", "title", "title_local", "value", "unit", "source", "period"])
    # two progress versions: mid-year and year-end 2027; a milestone once reached stays
    # reached, with the date it was first reported
    reached: dict[str, str] = {}
    for date, share in (("2027-06-30", 0.4), ("2027-12-31", 1.0)):
        prog, ms, ind = [], [], []
        for a in plan["actions"]:
            started = a["start"] <= ("2027Q2" if share < 1 else "2027Q4")
            pct = 0.0 if not started else float(min(100, round(
                share * int(rng.integers(30, 101)) / 5) * 5))
            status = ("not_started" if not started else "done" if pct >= 100 else
                      "delayed" if pct < 30 * share else "in_progress")
            prog.append({"action_id": a["action_id"], "percent_done": pct, "status": status,
                         "note": None})
        for m in plan["milestones"]:
            done = m["due"] <= ("2027Q2" if share < 1 else "2027Q4") and rng.random() < 0.7
            if done or m["milestone_id"] in reached:
                reached.setdefault(m["milestone_id"], date)
            ms.append({"milestone_id": m["milestone_id"],
                       "done": "yes" if m["milestone_id"] in reached else "no",
                       "done_date": reached.get(m["milestone_id"])})
        for oi in plan["objective_indicators"]:
            if oi["target_period"] != "2027":
                continue
            gain = (oi["target"] - oi["baseline"]) * (share * float(rng.uniform(0.5, 1.1)))
            ind.append({"indicator_id": oi["indicator_id"], "period": "2027" if share == 1
                        else "2027Q2", "value": round(oi["baseline"] + gain, 1)})
        base = f"tracking/{date}/"
        files[base + "progress.csv"] = _csv(prog, ["action_id", "percent_done", "status",
                                                   "note"])
        files[base + "milestone_status.csv"] = _csv(ms, ["milestone_id", "done", "done_date"])
        files[base + "indicator_actuals.csv"] = _csv(
            list({(r["indicator_id"], r["period"]): r for r in ind}.values()),
            ["indicator_id", "period", "value"])
    return {f"{c['id']}/{k}": v for k, v in files.items()}


def _action(aid, obj, title, local, resp, partners, cost, funding, start, end, evidence,
            themes="", maturity="", priority=None) -> dict:
    return {"action_id": aid, "objective_id": obj, "title": title, "title_local": local,
            "responsible": resp, "partners": partners, "cost": cost, "funding": funding,
            "start": start, "end": end, "evidence": evidence, "themes": themes,
            "maturity_actions": maturity, "priority": priority}


def _ua_plan() -> dict:
    cand = [
        {"problem_id": "P1", "title": "Remote villages out of reach of the social-service centre",
         "title_local": "Віддалені села поза досяжністю центру соціальних послуг",
         "evidence": "needs.beyond.social_service_centre;passport.reach", "themes": "transport",
         "profile": (4, 4, 4, 3, 3)},
        {"problem_id": "P2", "title": "Older people living alone without care at home",
         "title_local": "Одинокі люди похилого віку без догляду вдома",
         "evidence": "needs.top", "themes": "home_care", "profile": (5, 4, 4, 3, 3)},
        {"problem_id": "P3", "title": "Children without parental care above the oblast's rate",
         "title_local": "Більше дітей, позбавлених батьківського піклування, ніж в області",
         "evidence": "passport.above.children_no_care;monitoring.off_track.families_difficult_rate",
         "themes": "families_children", "profile": (4, 3, 4, 3, 2)},
        {"problem_id": "P4", "title": "Persons with disabilities without day services",
         "title_local": "Особи з інвалідністю без денних послуг",
         "evidence": "passport.above.disability", "themes": "disability",
         "profile": (4, 3, 3, 3, 3)},
        {"problem_id": "P5", "title": "Rising number of displaced people",
         "title_local": "Зростання кількості внутрішньо переміщених осіб",
         "evidence": "passport.rising.idp", "themes": "displaced", "profile": (3, 3, 4, 4, 2)},
        {"problem_id": "P6", "title": "Services hard to find and apply for online",
         "title_local": "Про послуги важко дізнатися і звернутися онлайн",
         "evidence": "maturity.weakest;maturity.fell", "themes": "information",
         "profile": (3, 4, 3, 5, 2)},
    ]
    goals = [
        {"goal_id": "G1", "title": "Services reach every village",
         "title_local": "Послуги доступні в кожному селі"},
        {"goal_id": "G2", "title": "People in vulnerable situations get care and support",
         "title_local": "Люди у вразливому становищі отримують догляд і підтримку"},
        {"goal_id": "G3", "title": "Services are easy to find and apply for",
         "title_local": "Про послуги легко дізнатися і звернутися"},
    ]
    objectives = [
        {"objective_id": "G1.O1", "goal_id": "G1",
         "title": "Mobile social services visit remote villages every week",
         "title_local": "Мобільні соціальні послуги щотижня у віддалених селах"},
        {"objective_id": "G2.O1", "goal_id": "G2",
         "title": "More older people living alone receive care at home",
         "title_local": "Більше одиноких людей похилого віку отримують догляд удома"},
        {"objective_id": "G2.O2", "goal_id": "G2",
         "title": "Families in difficult circumstances are supported early",
         "title_local": "Сім'ї у складних обставинах отримують підтримку вчасно"},
        {"objective_id": "G2.O3", "goal_id": "G2",
         "title": "Day services for persons with disabilities",
         "title_local": "Денні послуги для осіб з інвалідністю"},
        {"objective_id": "G3.O1", "goal_id": "G3",
         "title": "Applications online and by phone", "title_local":
         "Звернення онлайн і телефоном"},
    ]
    oi = [
        ("G1.O1", "clients_served_share", 62.0, 70.0, 78.0),
        ("G2.O1", "home_care_coverage", 35.0, 45.0, 55.0),
        ("G2.O1", "waiting_list", 40.0, 25.0, 10.0),
        ("G2.O2", "families_difficult_rate", 7.5, 7.0, 6.2),
        ("G2.O3", "cases_closed_positive_share", 50.0, 56.0, 62.0),
        ("G3.O1", "online_applications_share", 12.0, 25.0, 40.0),
    ]
    oind = [{"objective_id": o, "indicator_id": i, "baseline": b, "baseline_period": "2026",
             "target": t, "target_period": p} for o, i, b, t1, t2 in oi
            for t, p in ((t1, "2027"), (t2, "2029"))]
    ssd = "Управління соціального захисту населення"
    actions = [
        _action("A1", "G1.O1", "Mobile social-service team with a vehicle",
                "Мобільна бригада соціальних послуг з автомобілем", ssd,
                "Центр надання соціальних послуг; старости сіл", 1450000, "local_budget",
                "2027Q1", "2027Q4", "needs.beyond.social_service_centre;passport.reach",
                "transport", "", "P1"),
        _action("A2", "G1.O1", "Service points in the starosta offices",
                "Пункти прийому у старостатах", "Центр надання адміністративних послуг",
                "Старости сіл", 380000, "local_budget", "2027Q2", "2028Q2",
                "needs.beyond.social_service_centre", "transport", "INT-3a", "P1"),
        _action("A3", "G2.O1", "Home-care service for older people living alone",
                "Послуга догляду вдома для одиноких людей похилого віку",
                "Центр надання соціальних послуг", "Територіальний центр; волонтери",
                2100000, "state_budget", "2027Q1", "2029Q4", "needs.top", "home_care", "",
                "P2"),
        _action("A4", "G2.O2", "Case management for families in difficult circumstances",
                "Ведення випадків сімей у складних життєвих обставинах", "Служба у справах дітей",
                "Заклади освіти; ювенальна поліція", 640000, "local_budget", "2027Q1",
                "2028Q4", "passport.above.children_no_care;"
                "monitoring.off_track.families_difficult_rate", "families_children", "",
                "P3"),
        _action("A5", "G2.O2", "Foster families and family-type homes",
                "Прийомні сім'ї та дитячі будинки сімейного типу", "Служба у справах дітей",
                "Громадські організації", 900000, "donor", "2028Q1", "2029Q4",
                "passport.above.children_no_care", "families_children", "", "P3"),
        _action("A6", "G2.O3", "Day centre for persons with disabilities",
                "Денний центр для осіб з інвалідністю", ssd, "Громадська організація батьків",
                1800000, "donor", "2027Q3", "2028Q4", "passport.above.disability",
                "disability", "", "P4"),
        _action("A7", "G2.O3", "Support groups for displaced people",
                "Групи підтримки для внутрішньо переміщених осіб",
                "Центр надання соціальних послуг", "Релігійні громади; громадські організації",
                210000, "donor", "2027Q2", "2027Q4", "passport.rising.idp", "displaced", "",
                "P5"),
        _action("A8", "G3.O1", "Online applications and a phone line for services",
                "Онлайн-звернення і телефонна лінія щодо послуг", ssd,
                "Центр надання адміністративних послуг", 520000, "state_budget", "2027Q3",
                "2028Q2", "maturity.weakest;maturity.fell", "information", "ONL-5a;ONL-4a",
                "P6"),
        _action("A9", "G3.O1", "Guide to services on the hromada's website and in print",
                "Довідник послуг на сайті громади і в друкованому вигляді",
                "Відділ комунікацій", "Бібліотеки; старости сіл", 90000, "local_budget",
                "2027Q1", "2027Q2", "maturity.fell", "information", "", "P6"),
    ]
    milestones = [
        {"milestone_id": "A1.M1", "action_id": "A1", "title": "Vehicle bought",
         "title_local": "Придбано автомобіль", "due": "2027Q2"},
        {"milestone_id": "A1.M2", "action_id": "A1", "title": "Weekly route in every village",
         "title_local": "Щотижневий маршрут у кожне село", "due": "2027Q4"},
        {"milestone_id": "A3.M1", "action_id": "A3", "title": "Ten home-care workers hired",
         "title_local": "Прийнято десять працівників догляду", "due": "2027Q2"},
        {"milestone_id": "A4.M1", "action_id": "A4", "title": "Case-management standard adopted",
         "title_local": "Затверджено стандарт ведення випадків", "due": "2027Q2"},
        {"milestone_id": "A6.M1", "action_id": "A6", "title": "Premises renovated",
         "title_local": "Приміщення відремонтовано", "due": "2028Q2"},
        {"milestone_id": "A8.M1", "action_id": "A8", "title": "Phone line opened",
         "title_local": "Відкрито телефонну лінію", "due": "2027Q4"},
        {"milestone_id": "A9.M1", "action_id": "A9", "title": "Guide published",
         "title_local": "Довідник опубліковано", "due": "2027Q2"},
    ]
    comments = [
        ("C1", "resident", None, "published", "A1",
         "Прошу включити до маршруту мобільної бригади хутори за річкою."),
        ("C2", "organisation", "ГО «Рівні можливості»", "published", "A6",
         "Денний центр має бути доступним для візків, з транспортом від дому."),
        ("C3", "resident", None, "published", "G3",
         "Телефонна лінія має працювати і в суботу."),
        ("C4", "resident", None, "rejected", "general", "Коментар не стосується стратегії."),
        ("C5", "organisation", "Благодійний фонд «Опора»", "published", "A7",
         "Готові надати приміщення для груп підтримки безкоштовно."),
        ("C6", "resident", None, "published", "A3",
         "Треба збільшити оплату праці доглядальниць удвічі."),
        ("C7", "resident", None, "published", "general",
         "Стратегія має передбачити щорічний звіт для мешканців."),
    ]
    answers = [
        ("C1", "accepted", "Хутори додано до щотижневого маршруту бригади.", "A1"),
        ("C2", "partly", "Доступність для візків передбачено; підвезення — з 2028 року.", "A6"),
        ("C3", "not", "У суботу працює онлайн-форма; лінія — у робочі дні.", ""),
        ("C5", "accepted", "Фонд додано до партнерів дії.", "A7"),
        ("C6", "not", "Оплату праці визначає держава; громада доплачує в межах бюджету.", ""),
        ("C7", "accepted", "Щорічний звіт про виконання передбачено.", "G3.O1"),
    ]
    return {"candidates": cand, "goals": goals, "objectives": objectives,
            "objective_indicators": oind, "actions": actions, "milestones": milestones,
            "comments": [dict(zip(["comment_id", "author_kind", "organisation", "moderation",
                                   "target", "text"], x, strict=True), date=f"2026-11-{5 + i:02d}")
                         for i, x in enumerate(comments)],
            "answers": [dict(zip(["comment_id", "answer", "reason", "changed"], x, strict=True))
                        for x in answers]}


def _md_plan() -> dict:
    ev = [
        ("manual.elderly.alone", "elderly", "Older persons living alone",
         "Persoane vârstnice care locuiesc singure", 2140, "people",
         "Direcția asistență socială și protecția familiei, raport anual", "2025"),
        ("manual.elderly.waiting", "elderly", "Older persons waiting for home care",
         "Persoane vârstnice în așteptarea îngrijirii la domiciliu", 163, "people",
         "Direcția asistență socială și protecția familiei, raport anual", "2025"),
        ("manual.access.no_bus", "access", "Villages without a daily bus to Cantemir",
         "Sate fără autobuz zilnic spre Cantemir", 19, "settlements",
         "Consiliul raional, registrul rutelor", "2025"),
        ("manual.disability.children", "disability",
         "Children with disabilities without a day service",
         "Copii cu dizabilități fără serviciu de zi", 87, "people",
         "Direcția asistență socială și protecția familiei, raport anual", "2025"),
        ("manual.children.parents_abroad", "children",
         "Children with both parents working abroad",
         "Copii cu ambii părinți plecați la muncă peste hotare", 412, "people",
         "Direcția generală educație, raport anual", "2025"),
        ("manual.violence.cases", "violence", "Cases of domestic violence registered",
         "Cazuri de violență în familie înregistrate", 58, "count",
         "Inspectoratul de poliție Cantemir", "2025"),
        ("manual.inclusion.roma_school", "inclusion",
         "Roma children not attending school", "Copii romi care nu frecventează școala",
         31, "people", "Direcția generală educație, raport anual", "2025"),
        ("manual.staff.vacancies", "staff", "Vacant posts of community social worker",
         "Posturi vacante de asistent social comunitar", 9, "count",
         "Direcția asistență socială și protecția familiei, statele de personal", "2025"),
        ("manual.income.social_aid", "income", "Families receiving social aid",
         "Familii beneficiare de ajutor social", 1320, "count",
         "Agenția Națională Asistență Socială", "2025"),
    ]
    evidence_items = [dict(zip(["item_id", "area", "title", "title_local", "value", "unit",
                                "source", "period"], x, strict=True)) for x in ev]
    cand = [
        {"problem_id": "P1", "title": "Older people living alone without care at home",
         "title_local": "Vârstnici singuri fără îngrijire la domiciliu",
         "evidence": "manual.elderly.alone;manual.elderly.waiting", "themes": "home_care",
         "profile": (5, 4, 4, 3, 3)},
        {"problem_id": "P2", "title": "Villages cut off from services",
         "title_local": "Sate izolate de servicii", "evidence": "manual.access.no_bus",
         "themes": "transport", "profile": (4, 4, 3, 3, 3)},
        {"problem_id": "P3", "title": "Domestic violence discovered late",
         "title_local": "Violența în familie descoperită târziu",
         "evidence": "manual.violence.cases", "themes": "violence", "profile": (5, 3, 4, 3, 3)},
        {"problem_id": "P4", "title": "Children left behind by parents working abroad",
         "title_local": "Copii rămași fără părinți plecați peste hotare",
         "evidence": "manual.children.parents_abroad", "themes": "families_children",
         "profile": (4, 4, 3, 4, 2)},
        {"problem_id": "P5", "title": "Children with disabilities without a day service",
         "title_local": "Copii cu dizabilități fără serviciu de zi",
         "evidence": "manual.disability.children", "themes": "disability",
         "profile": (4, 3, 4, 3, 3)},
        {"problem_id": "P6", "title": "Roma children out of school",
         "title_local": "Copii romi în afara școlii", "evidence": "manual.inclusion.roma_school",
         "themes": "discrimination", "profile": (4, 2, 4, 4, 2)},
    ]
    goals = [
        {"goal_id": "G1", "title": "Care close to home for older people and persons with "
         "disabilities", "title_local": "Îngrijire aproape de casă pentru vârstnici și "
         "persoanele cu dizabilități"},
        {"goal_id": "G2", "title": "Children and families safe and supported",
         "title_local": "Copii și familii în siguranță și sprijinite"},
    ]
    objectives = [
        {"objective_id": "G1.O1", "goal_id": "G1", "title": "Home care in every commune",
         "title_local": "Îngrijire la domiciliu în fiecare comună"},
        {"objective_id": "G1.O2", "goal_id": "G1", "title": "A day service for children with "
         "disabilities", "title_local": "Un serviciu de zi pentru copiii cu dizabilități"},
        {"objective_id": "G2.O1", "goal_id": "G2", "title": "A multidisciplinary team against "
         "domestic violence", "title_local": "O echipă multidisciplinară împotriva violenței "
         "în familie"},
        {"objective_id": "G2.O2", "goal_id": "G2", "title": "Children left behind and Roma "
         "children stay in school", "title_local": "Copiii rămași singuri și copiii romi "
         "rămân la școală"},
    ]
    oi = [("G1.O1", "home_care_coverage", 18.0, 30.0, 45.0),
          ("G1.O1", "social_workers_rate", 0.6, 0.7, 0.8),
          ("G1.O2", "clients_served_share", 40.0, 50.0, 65.0),
          ("G2.O1", "cases_closed_positive_share", 45.0, 52.0, 60.0),
          ("G2.O2", "families_difficult_rate", 9.8, 9.0, 8.0)]
    oind = [{"objective_id": o, "indicator_id": i, "baseline": b, "baseline_period": "2025",
             "target": t, "target_period": p} for o, i, b, t1, t2 in oi
            for t, p in ((t1, "2027"), (t2, "2029"))]
    dasp = "Direcția asistență socială și protecția familiei Cantemir"
    actions = [
        _action("A1", "G1.O1", "Home-care service in the communes without one",
                "Serviciul de îngrijire la domiciliu în comunele care nu îl au", dasp,
                "Primăriile; Asociația Obștească «Speranța»", 1250000, "district_budget",
                "2027Q1", "2029Q4", "manual.elderly.alone;manual.elderly.waiting",
                "home_care", "", "P1"),
        _action("A2", "G1.O1", "Fill the vacant posts of community social worker",
                "Ocuparea posturilor vacante de asistent social comunitar", dasp,
                "Primăriile", 680000, "state_budget", "2027Q1", "2027Q4",
                "manual.staff.vacancies", "staff", "", "P1"),
        _action("A3", "G1.O1", "Mobile team visiting villages without a daily bus",
                "Echipă mobilă care vizitează satele fără autobuz zilnic", dasp,
                "Consiliul raional; primăriile", 540000, "donor", "2027Q2", "2028Q4",
                "manual.access.no_bus", "transport", "", "P2"),
        _action("A4", "G1.O2", "Day centre for children with disabilities in Cantemir",
                "Centru de zi pentru copiii cu dizabilități la Cantemir", dasp,
                "Direcția generală educație; asociația părinților", 1600000, "donor",
                "2027Q3", "2028Q4", "manual.disability.children", "disability", "", "P5"),
        _action("A5", "G2.O1", "Multidisciplinary team on domestic violence",
                "Echipa multidisciplinară privind violența în familie",
                "Inspectoratul de poliție Cantemir", f"{dasp}; centrul de sănătate", 150000,
                "district_budget", "2027Q1", "2027Q4", "manual.violence.cases", "violence",
                "", "P3"),
        _action("A6", "G2.O2", "After-school support for children left behind",
                "Sprijin după ore pentru copiii rămași fără părinți",
                "Direcția generală educație", "Școlile; parohiile", 420000, "district_budget",
                "2027Q3", "2029Q2", "manual.children.parents_abroad", "families_children",
                "", "P4"),
        _action("A7", "G2.O2", "Community mediators for Roma families",
                "Mediatori comunitari pentru familiile rome", "Consiliul raional",
                "Primăriile Cociulia și Ciobalaccia", 300000, "state_budget", "2027Q2",
                "2029Q4", "manual.inclusion.roma_school", "discrimination", "", "P6"),
    ]
    milestones = [
        {"milestone_id": "A1.M1", "action_id": "A1", "title": "Service opened in five communes",
         "title_local": "Serviciu deschis în cinci comune", "due": "2027Q3"},
        {"milestone_id": "A2.M1", "action_id": "A2", "title": "All posts filled",
         "title_local": "Toate posturile ocupate", "due": "2027Q4"},
        {"milestone_id": "A4.M1", "action_id": "A4", "title": "Premises renovated",
         "title_local": "Spațiul renovat", "due": "2028Q1"},
        {"milestone_id": "A5.M1", "action_id": "A5", "title": "Cooperation agreement signed",
         "title_local": "Acordul de cooperare semnat", "due": "2027Q1"},
        {"milestone_id": "A7.M1", "action_id": "A7", "title": "Two mediators hired",
         "title_local": "Doi mediatori angajați", "due": "2027Q3"},
    ]
    comments = [
        ("C1", "resident", None, "published", "A3",
         "Echipa mobilă să vină și la Cîietu în zilele de piață."),
        ("C2", "organisation", "AO «Speranța»", "published", "A1",
         "Propunem ca îngrijitorii să fie instruiți în primul ajutor."),
        ("C3", "resident", None, "published", "A7",
         "Mediatorul trebuie să vorbească limba romani."),
        ("C4", "resident", None, "rejected", "general", "Mesaj publicitar."),
        ("C5", "organisation", "Parohia Gotești", "published", "A6",
         "Putem oferi sala parohială pentru activitățile după ore."),
        ("C6", "resident", None, "published", "G2",
         "Strategia ar trebui să includă și un adăpost pentru victime."),
    ]
    answers = [
        ("C1", "accepted", "Cîietu a fost inclus în traseul echipei mobile.", "A3"),
        ("C2", "accepted", "Instruirea în primul ajutor a fost adăugată la acțiune.", "A1"),
        ("C3", "partly", "Se va prefera un mediator vorbitor de romani, dacă există candidați.",
         "A7"),
        ("C5", "accepted", "Parohia a fost adăugată printre parteneri.", "A6"),
        ("C6", "not", "Un adăpost depășește bugetul raionului; cazurile sunt referite la "
         "centrul regional.", ""),
    ]
    return {"evidence_items": evidence_items, "candidates": cand, "goals": goals,
            "objectives": objectives, "objective_indicators": oind, "actions": actions,
            "milestones": milestones,
            "comments": [dict(zip(["comment_id", "author_kind", "organisation", "moderation",
                                   "target", "text"], x, strict=True), date=f"2026-11-{10 + i:02d}")
                         for i, x in enumerate(comments)],
            "answers": [dict(zip(["comment_id", "answer", "reason", "changed"], x, strict=True))
                        for x in answers]}


def demo_files() -> dict[str, str]:
    """Every file of the synthetic cycles, ``{path relative to catalogs/strategy: text}``."""
    rng = np.random.default_rng(SEED)
    files = _cycle_files(_UA, _ua_plan(), rng)
    files.update(_cycle_files(_MD, _md_plan(), rng))
    return dict(sorted(files.items()))

"""Synthetic state social order for the Homel and Mahilioŭ regions (deterministic).

Two years (2025, 2026) per region, one folder per region-year. Districts are real; the
district executive committees are the customers; the NGOs are district branches of the
Belarusian Red Cross Society and of national public associations, and local public
associations (their names invented). Every figure is synthetic.

Planted cases the tests and the docs rely on:

* **contested award** (``hom-2025-c01-l1``): the cheaper application wins by half a point;
  a 10 % lower price weight gives the lot to the runner-up, who filed a complaint;
* **contract behind schedule** (``mah-2025-k02``): hours and visits fall behind the plan from
  the third quarter while payments follow the schedule, and client satisfaction drops;
* one late-complete application (a missing document) and one that fails a selection
  criterion, so the protocol lists both.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from .load import coerce_contracting
from .model import ContractingData

__all__ = ["DEMO_YEARS", "REGIONS", "generate_region_year", "generate_demo", "write_demo"]

DEMO_YEARS: tuple[int, ...] = (2025, 2026)

#: Region key → (id prefix, name, Russian name, districts as (key, name, Russian adjective,
#: Russian name of the district's town)).
REGIONS: dict[str, tuple[str, str, str, list[tuple[str, str, str, str]]]] = {
    "homel": ("hom", "Homel region", "Гомельская область", [
        ("homel", "Homel", "Гомельский", "Гомель"), ("mazyr", "Mazyr", "Мозырский", "Мозырь"),
        ("rechytsa", "Rechytsa", "Речицкий", "Речица"),
        ("zhlobin", "Zhlobin", "Жлобинский", "Жлобин"),
        ("svietlahorsk", "Svietlahorsk", "Светлогорский", "Светлогорск"),
        ("kalinkavichy", "Kalinkavichy", "Калинковичский", "Калинковичи"),
        ("rahachou", "Rahachou", "Рогачёвский", "Рогачёв"),
        ("dobrush", "Dobrush", "Добрушский", "Добруш")]),
    "mahiliou": ("mah", "Mahilioŭ region", "Могилёвская область", [
        ("mahiliou", "Mahilioŭ", "Могилёвский", "Могилёв"),
        ("babruisk", "Babruisk", "Бобруйский", "Бобруйск"),
        ("asipovichy", "Asipovichy", "Осиповичский", "Осиповичи"),
        ("horki", "Horki", "Горецкий", "Горки"), ("krychau", "Krychau", "Кричевский", "Кричев"),
        ("shklou", "Shklou", "Шкловский", "Шклов"), ("bykhau", "Bykhau", "Быховский", "Быхов"),
        ("klimavichy", "Klimavichy", "Климовичский", "Климовичи")]),
}

#: Service type → (target group, eligibility, evidence indicator, hours and visits per client).
_SERVICES = {
    "home_care": ("older people living alone", "aged 70+ or disability group I-II, living "
                  "alone, needing help at home", "elderly_living_alone_needing_care", 96, 48),
    "medical_social_home_care": ("bedridden adults", "medical referral for care at home",
                                 "bedridden_adults", 150, 100),
    "respite_care": ("families raising children with disabilities", "child with a "
                     "disability under 18 in the family", "children_with_disabilities", 60, 12),
    "day_care_disabled": ("adults with disabilities", "disability group I-II, aged 18+",
                          "adults_with_disabilities_day_care", 120, 40),
}
#: District key → (Belarusian adjective, Belarusian name of the town); region → Belarusian.
_BE = {"homel": ("Гомельскі", "Гомель"), "mazyr": ("Мазырскі", "Мазыр"),
       "rechytsa": ("Рэчыцкі", "Рэчыца"), "zhlobin": ("Жлобінскі", "Жлобін"),
       "svietlahorsk": ("Светлагорскі", "Светлагорск"),
       "kalinkavichy": ("Калінкавіцкі", "Калінкавічы"), "rahachou": ("Рагачоўскі", "Рагачоў"),
       "dobrush": ("Добрушскі", "Добруш"), "mahiliou": ("Магілёўскі", "Магілёў"),
       "babruisk": ("Бабруйскі", "Бабруйск"), "asipovichy": ("Асіповіцкі", "Асіповічы"),
       "horki": ("Горацкі", "Горкі"), "krychau": ("Крычаўскі", "Крычаў"),
       "shklou": ("Шклоўскі", "Шклоў"), "bykhau": ("Быхаўскі", "Быхаў"),
       "klimavichy": ("Клімавіцкі", "Клімавічы")}
_REGION_BE = {"homel": "Гомельская вобласць", "mahiliou": "Магілёўская вобласць"}
#: Service type → (name, target group, eligibility) in Belarusian.
_SERVICES_BE = {
    "home_care": ("сацыяльнае абслугоўванне на дому", "адзінокія пажылыя грамадзяне",
                  "узрост 70+ або інваліднасць I–II групы, адзінокае пражыванне, патрэба ў "
                  "дапамозе на дому"),
    "medical_social_home_care": ("паслугі сядзелкі на дому", "ляжачыя паўналетнія грамадзяне",
                                 "накіраванне ўрача на догляд на дому"),
    "respite_care": ("сацыяльная перадышка для сем'яў, якія выхоўваюць дзяцей-інвалідаў",
                     "сем'і, якія выхоўваюць дзяцей-інвалідаў",
                     "дзіця-інвалід ва ўзросце да 18 гадоў у сям'і"),
    "day_care_disabled": ("дзённае знаходжанне інвалідаў", "паўналетнія інваліды",
                          "інваліднасць I–II групы, узрост 18+"),
}
_STANDARD_BE = ("Мінімальны стандарт сацыяльнага абслугоўвання на дому (Мінпрацы і "
                "сацабароны)")
_CRITERIA_BE = {
    "registration": "Зарэгістравана як некамерцыйная арганізацыя",
    "no_arrears": "Няма запазычанасці па падатках і ўзносах у ФСАН",
    "experience": "Досвед аказання сацыяльных паслуг не менш за адзін год",
    "staff": "Ёсць кваліфікаваны персанал (сацыяльныя работнікі, медсёстры)",
    "premises": "Ёсць памяшканне або офіс на тэрыторыі раёна",
    "price": "Цана (запытаная субсідыя)",
    "plan": "План аказання паслуг і ахоп тэрыторыі",
    "staff_quality": "Кваліфікацыя персаналу і супервізія",
    "outcomes": "Вынікі ранейшай працы і водгукі атрымальнікаў паслуг",
}
_LOCAL_PA_BE = {"miloserdie": "Міласэрнасць", "nadezhda": "Надзея", "teplo": "Цяпло дома"}

#: Service type → (target group, eligibility) in Russian.
_SERVICES_RU = {
    "home_care": ("одинокие пожилые граждане", "возраст 70+ или инвалидность I–II группы, "
                  "одинокое проживание, нуждаемость в помощи на дому"),
    "medical_social_home_care": ("лежачие совершеннолетние граждане",
                                 "направление врача на уход на дому"),
    "respite_care": ("семьи, воспитывающие детей-инвалидов",
                     "ребёнок-инвалид в возрасте до 18 лет в семье"),
    "day_care_disabled": ("совершеннолетние инвалиды", "инвалидность I–II группы, возраст 18+"),
}
_STANDARD = ("Minimum standard of social services at home (Ministry of Labour)",
             "Минимальный стандарт социального обслуживания на дому (Минтруда и соцзащиты)")
_SERVICE_RU = {"home_care": "социальное обслуживание на дому",
               "medical_social_home_care": "услуги сиделки на дому",
               "respite_care": "социальная передышка для семей, воспитывающих детей-инвалидов",
               "day_care_disabled": "дневное пребывание инвалидов"}

_ELIGIBILITY = [("registration", "eligibility", "Registered as a non-profit organisation"),
                ("no_arrears", "eligibility", "No tax or social-insurance arrears"),
                ("experience", "selection", "At least one year of social-service experience"),
                ("staff", "selection", "Qualified staff (social workers, nurses) available"),
                ("premises", "selection", "Premises or an office in the territory")]
_AWARD = [("price", "price", "Price (subsidy asked)", 40.0),
          ("plan", "quality", "Service plan and coverage of the territory", 30.0),
          ("staff_quality", "quality", "Staff qualifications and supervision", 20.0),
          ("outcomes", "quality", "Results of earlier work and client feedback", 10.0)]
_CRITERIA_RU = {
    "registration": "Зарегистрирована как некоммерческая организация",
    "no_arrears": "Нет задолженности по налогам и взносам в ФСЗН",
    "experience": "Опыт оказания социальных услуг не менее одного года",
    "staff": "Есть квалифицированный персонал (социальные работники, медсёстры)",
    "premises": "Есть помещение или офис на территории района",
    "price": "Цена (запрашиваемая субсидия)",
    "plan": "План оказания услуг и охват территории",
    "staff_quality": "Квалификация персонала и супервизия",
    "outcomes": "Результаты прежней работы и отзывы получателей услуг",
}
_DOCUMENTS = ["charter", "registration_certificate", "service_plan", "budget",
              "staff_list", "tax_certificate"]
_JUSTIFY = {
    "plan": ["план охватывает все сельсоветы района", "график посещений согласован с "
             "территориальным центром", "план не охватывает отдалённые деревни",
             "подробный план с маршрутами и частотой посещений"],
    "staff_quality": ["в штате две медсестры и социальные работники с опытом",
                      "супервизия раз в месяц", "нет подтверждения квалификации сиделок",
                      "обучение персонала по программе БОКК"],
    "outcomes": ["положительные отзывы клиентов за прошлый год", "договор прошлого года "
                 "выполнен полностью", "мало данных о результатах", "жалоб не поступало"],
}
_LOCAL_PA = [("miloserdie", "Miloserdie (Mercy)", "Милосердие"),
             ("nadezhda", "Nadezhda (Hope)", "Надежда"),
             ("teplo", "Teplo doma (Warmth of home)", "Тепло дома")]


def _rng(*key: object) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32("/".join(map(str, key)).encode()))


def _ngos(region: str) -> pd.DataFrame:
    prefix, _, _, districts = REGIONS[region]
    rows = []
    for key, name, ru, _ in districts:
        fem = ru[:-2] + "ая"  # Бобруйский -> Бобруйская (организация)
        fem_be = _BE[key][0][:-1] + "ая"  # Бабруйскі -> Бабруйская (арганізацыя)
        rows.append((f"{prefix}-rc-{key}", f"{name} district branch of the Belarusian Red "
                     "Cross Society", f"{fem} районная организация Белорусского Общества "
                     "Красного Креста", "red_cross_branch", name,
                     f"{fem_be} раённая арганізацыя Беларускага Таварыства Чырвонага Крыжа"))
        rows.append((f"{prefix}-bod-{key}", f"{name} district organisation of the "
                     "Belarusian Society of Disabled People", f"{fem} районная организация "
                     "ОО «Белорусское общество инвалидов»", "disability_association", name,
                     f"{fem_be} раённая арганізацыя ГА «Беларускае таварыства інвалідаў»"))
    for i, (key, name, ru) in enumerate(_LOCAL_PA):
        d_key, home, _, town = districts[i]
        rows.append((f"{prefix}-pa-{key}", f"Local public association {name}, {home}",
                     f"Местное общественное объединение «{ru}», г. {town}", "local_association",
                     home, f"Мясцовае грамадскае аб'яднанне «{_LOCAL_PA_BE[key]}», "
                     f"г. {_BE[d_key][1]}"))
    return pd.DataFrame(rows, columns=["ngo_id", "name", "name_ru", "kind", "district",
                                       "name_be"])


def _quarters(year: int) -> list[str]:
    return [f"{year}-Q{q}" for q in (2, 3, 4)]


def generate_region_year(region: str, year: int, *, n_competitions: int | None = None,
                         apps_per_lot: int | None = None, as_of: str = "2026-09-30"
                         ) -> ContractingData:
    """One region-year of orders, competitions, evaluations, contracts and monitoring.

    Parameters
    ----------
    region : {"homel", "mahiliou"}
    year : int
    n_competitions : int, optional
        Default: one per district (8). The benchmark asks for 500.
    apps_per_lot : int, optional
        Default: 2 to 4 per lot. The benchmark asks for 6.
    as_of : str
        Monitoring returns and payments exist for quarters ending on or before this date.
    """
    prefix, region_name, region_ru, districts = REGIONS[region]
    rng = _rng(region, year, n_competitions, apps_per_lot)
    yp = f"{prefix}-{year}"
    customers = pd.DataFrame(
        [(f"{prefix}-{k}-ec", f"{n} District Executive Committee", f"{ru} районный "
          "исполнительный комитет", region_name, n, region_ru,
          f"{_BE[k][0]} раённы выканаўчы камітэт", _REGION_BE[region])
         for k, n, ru, _ in districts],
        columns=["customer_id", "name", "name_ru", "region", "district", "region_ru",
                 "name_be", "region_be"])
    ngos = _ngos(region)
    n_comp = n_competitions or len(districts)
    services = list(_SERVICES)
    orders, comps, lots, crit, req, apps, adocs, elig, decl, scores = ([] for _ in range(10))
    awards, contracts, sched, deliv, pays = ([] for _ in range(5))
    evaluators = [(f"{yp}-e{i:02d}", f"Commission member {i}", f"Член комиссии {i}",
                   f"Член камісіі {i}") for i in range(1, 7)]
    a_no = p_no = 0
    as_of_ts = pd.Timestamp(as_of)
    for ci in range(n_comp):
        d_key, d_name, d_ru, _ = districts[ci % len(districts)]
        cust = f"{prefix}-{d_key}-ec"
        cid = f"{yp}-c{ci + 1:02d}" if n_comp < 100 else f"{yp}-c{ci + 1:04d}"
        service = services[(ci + year) % len(services)]
        group, eligible, indicator, h_per, v_per = _SERVICES[service]
        need = int(rng.integers(60, 260))
        clients = int(round(need * rng.uniform(0.15, 0.3)))
        clients = max(clients, 12)
        hours, visits = clients * h_per, clients * v_per
        max_sub = float(round(hours * rng.uniform(9.0, 11.0), -2))
        oid = f"{cid}-o"
        group_ru, eligible_ru = _SERVICES_RU[service]
        service_be, group_be, eligible_be = _SERVICES_BE[service]
        d_be = _BE[d_key][0]
        orders.append((oid, cust, service, group, eligible, clients, hours, visits,
                       f"{d_name} district", f"{year}-04-01", f"{year}-12-31", max_sub,
                       _STANDARD[0], 80.0, f"{need} {group} in {d_name} district need the "
                       f"service (social passport {year - 1}); the order covers {clients}",
                       indicator, float(need), group_ru, eligible_ru, f"{d_ru} район",
                       _STANDARD[1], f"Нуждаются в услуге: {need} чел. ({group_ru}, {d_ru} "
                       f"район; социальный паспорт {year - 1}); заказ охватывает {clients} "
                       "чел.", group_be, eligible_be, f"{d_be} раён", _STANDARD_BE,
                       f"Маюць патрэбу ў паслузе: {need} чал. ({group_be}, {d_be} раён; "
                       f"сацыяльны пашпарт {year - 1}); заказ ахоплівае {clients} чал."))
        weighting = "order" if ci % 7 == 6 else "weights"
        pub = f"{year}-01-{10 + ci % 15:02d}"
        deadline = f"{year}-02-{10 + ci % 15:02d}T17:00"
        comps.append((cid, cust, f"{_SERVICE_RU[service].capitalize()}: {d_ru} район, "
                      f"{year}", pub, deadline, 0.0, 10.0, weighting, "BYN",
                      f"{service_be.capitalize()}: {d_be} раён, {year}"))
        lid = f"{cid}-l1"
        lots.append((lid, cid, oid, f"{d_name} district: {service.replace('_', ' ')}", max_sub,
                     f"{d_ru} район: {_SERVICE_RU[service]}", f"{d_be} раён: {service_be}"))
        for k, stage, name in _ELIGIBILITY:
            crit.append((cid, k, stage, name, None, None, None, _CRITERIA_RU[k],
                         _CRITERIA_BE[k]))
        for rank, (k, aspect, name, w) in enumerate(_AWARD, start=1):
            crit.append((cid, k, "award", name, aspect, w if weighting == "weights" else None,
                         rank if weighting == "order" else None, _CRITERIA_RU[k],
                         _CRITERIA_BE[k]))
        req += [(cid, doc) for doc in _DOCUMENTS]
        panel = [evaluators[(ci + j) % len(evaluators)][0] for j in range(3)]
        decl += [(cid, e, f"{year}-02-{12 + ci % 15:02d}", True) for e in panel]
        # applicants: the district's Red Cross branch first, then others
        pool = [f"{prefix}-rc-{d_key}", f"{prefix}-bod-{d_key}"] + \
            [f"{prefix}-pa-{k}" for k, _, _ in _LOCAL_PA]
        contested = n_competitions is None and region == "homel" and year == 2025 and ci == 0
        n_apps = 2 if contested else (apps_per_lot or int(rng.integers(2, 5)))
        chosen = [pool[j % len(pool)] for j in range(n_apps)]
        app_ids = []
        for j, ngo in enumerate(chosen):
            a_no += 1
            aid = f"{yp}-a{a_no:04d}"
            app_ids.append(aid)
            price = float(round(max_sub * rng.uniform(0.8, 0.99), -1))
            day = 1 + (j * 3 + ci) % 9
            apps.append((aid, cid, lid, ngo, f"{year}-02-{day:02d}T{10 + j}:00", price,
                         clients, hours, visits))
            docs = list(_DOCUMENTS)
            if n_competitions is None and ci == 2 and j == n_apps - 1:
                docs.remove("tax_certificate")  # planted: an incomplete application
            adocs += [(aid, doc) for doc in docs]
            for k, _, _ in _ELIGIBILITY:
                ok = not (n_competitions is None and ci == 3 and j == 1 and k == "experience")
                elig.append((aid, k, ok, None if ok else "registered eight months ago",
                             None if ok else "зарегистрирована восемь месяцев назад",
                             None if ok else "зарэгістравана восем месяцаў таму"))
            base = rng.uniform(4.5, 8.5)
            for k, aspect, _, _ in _AWARD:
                if aspect != "quality":
                    continue
                for e in panel:
                    s = float(np.clip(np.round(base + rng.normal(0, 1.0)), 0, 10))
                    scores.append([aid, k, e, s, _JUSTIFY[k][int(rng.integers(0, 4))]])
        if contested:
            # planted: the cheaper application wins by half a point; see the module notes
            a, b = app_ids[0], app_ids[1]
            cheap = float(round(max_sub * 0.74, -1))
            for row in apps:
                if row[0] == a:
                    apps[apps.index(row)] = (*row[:5], cheap, *row[6:])
                elif row[0] == b:
                    apps[apps.index(row)] = (*row[:5], float(round(cheap / 0.7625, 2)),
                                             *row[6:])
            planted = {a: {"plan": [5, 6, 7], "staff_quality": [5, 6, 7], "outcomes": [6, 6, 6]},
                       b: {"plan": [7, 8, 8], "staff_quality": [7, 7, 8],
                           "outcomes": [7, 7, 8]}}
            n_e = {}
            for row in scores:
                if row[0] in planted:
                    i = n_e.setdefault((row[0], row[1]), 0)
                    row[3] = float(planted[row[0]][row[1]][i])
                    n_e[(row[0], row[1])] = i + 1
        # award: the best-ranked admitted application (computed later) — decided here by the
        # same rule, so the demo's awards agree with socialkit's evaluation
        awards.append((f"{cid}-aw", lid, None, f"{year}-03-{5 + ci % 20:02d}", None, "active",
                       None, None, None))
        k_id = f"{yp}-k{ci + 1:02d}" if n_comp < 100 else f"{yp}-k{ci + 1:04d}"
        contracts.append((k_id, f"{cid}-aw", f"{year}-03-{25 + ci % 5:02d}", f"{year}-04-01",
                          f"{year}-12-31", None, clients, hours, visits))
        behind = n_competitions is None and region == "mahiliou" and year == 2025 and ci == 1
        for q, period in enumerate(_quarters(year)):
            h_plan, v_plan = round(hours / 3), round(visits / 3)
            sched.append([k_id, period, clients, h_plan, v_plan, None])
            end = pd.Period(period, "Q").end_time
            if end > as_of_ts:
                continue
            rate = rng.uniform(0.95, 1.03)
            if behind and q >= 1:
                rate = 0.72 if q == 1 else 0.65
            sat = float(round(rng.uniform(4.1, 4.7), 1))
            if behind and q >= 1:
                sat = 3.6 if q == 1 else 3.2
            deliv.append((k_id, period, clients, int(round(h_plan * rate)),
                          int(round(v_plan * rate)), float(round(rng.uniform(82, 96))), sat,
                          int(min(clients, rng.integers(8, 20)))))
            p_no += 1
            pays.append([f"{yp}-p{p_no:04d}", k_id, (end + pd.Timedelta(days=10)).strftime(
                "%Y-%m-%d"), period, None])

    data = ContractingData(
        customers=customers, ngos=ngos,
        evaluators=pd.DataFrame(evaluators, columns=["evaluator_id", "name", "name_ru",
                                                     "name_be"]),
        orders=pd.DataFrame(orders, columns=[
            "order_id", "customer_id", "service_type", "target_group", "eligibility",
            "clients", "hours", "visits", "territory", "period_start", "period_end",
            "max_subsidy", "quality_standard", "quality_min", "evidence",
            "evidence_indicator", "evidence_value", "target_group_ru", "eligibility_ru",
            "territory_ru", "quality_standard_ru", "evidence_ru", "target_group_be",
            "eligibility_be", "territory_be", "quality_standard_be", "evidence_be"]),
        competitions=pd.DataFrame(comps, columns=[
            "competition_id", "customer_id", "title", "published", "deadline", "scale_min",
            "scale_max", "weighting", "currency", "title_be"]),
        lots=pd.DataFrame(lots, columns=["lot_id", "competition_id", "order_id", "title",
                                         "max_subsidy", "title_ru", "title_be"]),
        criteria=pd.DataFrame(crit, columns=["competition_id", "criterion_id", "stage", "name",
                                             "aspect", "weight", "importance", "name_ru",
                                             "name_be"]),
        required_documents=pd.DataFrame(req, columns=["competition_id", "document"]),
        applications=pd.DataFrame(apps, columns=[
            "application_id", "competition_id", "lot_id", "ngo_id", "submitted", "price",
            "clients", "hours", "visits"]),
        application_documents=pd.DataFrame(adocs, columns=["application_id", "document"]),
        eligibility=pd.DataFrame(elig, columns=["application_id", "criterion_id", "passed",
                                                "reason", "reason_ru", "reason_be"]),
        declarations=pd.DataFrame(decl, columns=["competition_id", "evaluator_id", "signed",
                                                 "no_conflict"]),
        scores=pd.DataFrame(scores, columns=["application_id", "criterion_id", "evaluator_id",
                                             "score", "justification"]),
    )
    data = _fill_awards(data, pd.DataFrame(awards, columns=[
        "award_id", "lot_id", "application_id", "date", "value", "status", "complaint",
        "complaint_ru", "complaint_be"]),
        pd.DataFrame(contracts, columns=["contract_id", "award_id", "signed", "start", "end",
                                         "value", "clients", "hours", "visits"]),
        pd.DataFrame(sched, columns=["contract_id", "period", "clients", "hours", "visits",
                                     "payment"]),
        pd.DataFrame(deliv, columns=["contract_id", "period", "clients", "hours", "visits",
                                     "quality_score", "satisfaction", "respondents"]),
        pd.DataFrame(pays, columns=["payment_id", "contract_id", "date", "period", "amount"]),
        contested=(n_competitions is None and region == "homel" and year == 2025))
    return coerce_contracting(data.replace(synthetic=True))


def _fill_awards(data, awards, contracts, sched, deliv, pays, contested: bool
                 ) -> ContractingData:
    from .evaluate import rank_applications

    results, _ = rank_applications(data)
    win = results[results["winner"]].set_index("lot_id")
    awards["application_id"] = awards["lot_id"].map(win["application_id"])
    awards["value"] = awards["lot_id"].map(win["price"]).astype(float)
    if contested:
        runner = results[(results["lot_id"] == awards.at[0, "lot_id"]) & (results["rank"] == 2)]
        ngo = runner["ngo_id"].iloc[0]
        awards.at[0, "complaint"] = (f"{ngo}: the runner-up contests the award; it argues that "
                                     "quality should weigh more than price")
        awards.at[0, "complaint_ru"] = (f"{ngo}: участник, занявший второе место, обжалует "
                                        "решение: по его мнению, качество должно весить больше "
                                        "цены")
        awards.at[0, "complaint_be"] = (f"{ngo}: удзельнік, які заняў другое месца, абскарджвае "
                                        "рашэнне: на яго думку, якасць павінна важыць больш за "
                                        "цану")
    contracts["value"] = contracts["award_id"].map(awards.set_index("award_id")["value"])
    value = sched["contract_id"].map(contracts.set_index("contract_id")["value"])
    sched["payment"] = (value / 3).round(2)
    last = sched.groupby("contract_id").cumcount() == 2
    sched.loc[last, "payment"] = (value - 2 * (value / 3).round(2))[last].round(2)
    pays["amount"] = pays.set_index(["contract_id", "period"]).index.map(
        sched.set_index(["contract_id", "period"])["payment"]).astype(float)
    return data.replace(awards=awards, contracts=contracts, schedule=sched, deliveries=deliv,
                        payments=pays)


def generate_demo() -> dict[str, ContractingData]:
    """Every region-year of the demo: ``{"homel_2025": data, …}``."""
    return {f"{r}_{y}": generate_region_year(r, y) for r in REGIONS for y in DEMO_YEARS}


def demo_files(data: ContractingData) -> dict[str, str]:
    """The CSV text of every table (``{"orders.csv": text, …}``)."""
    from ..files import csv_text

    return {f"{name}.csv": csv_text(frame) for name, frame in data.tables().items()}


def write_demo(out: str | Path, force: bool = False) -> list[Path]:
    """Write the demo, one folder per region-year, into ``out``; return the folders."""
    from ..files import write_outputs

    out = Path(out)
    folders = []
    for key, data in generate_demo().items():
        write_outputs(demo_files(data), out / key, command="socialkit contracting demo",
                      force=force)
        folders.append(out / key)
    return folders

"""Build the five shipped XLSForm instruments from the readable definitions below.

    python scripts/build_forms.py [--out socialkit/frameworks/forms]

Writes ``providers.xlsx``, ``domestic_violence.xlsx``, ``csw_state.xlsx``, ``residential.xlsx``
and ``research_template.xlsx`` (sheets survey, choices, settings; labels in English and Serbian
Cyrillic). The committed workbooks must equal this script's output (tests/forms checks it
cell by cell), so edit the definitions here and re-run, never the .xlsx by hand. The
validation rules beside each form (``<form>.rules.yaml``) are written by hand.

Sources of the instruments are listed in docs/forms.md (EIGE's indicators on intimate-partner
violence, UN Women/WHO guidance on administrative data, the Serbian Law on Social Protection
and Law on Prevention of Domestic Violence).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "socialkit" / "frameworks" / "forms"

EN, SR = "English (en)", "Српски (sr)"
SURVEY_COLUMNS = ["type", "name", f"label::{EN}", f"label::{SR}", f"hint::{EN}", f"hint::{SR}",
                  "required", "constraint", f"constraint_message::{EN}",
                  f"constraint_message::{SR}", "relevant", "calculation", "default"]
CHOICE_COLUMNS = ["list_name", "name", f"label::{EN}", f"label::{SR}"]
SETTINGS_COLUMNS = ["form_id", "version", "form_title", f"form_title::{SR}", "default_language",
                    "period_type",
                    "sensitive", "institution_type"]

NONNEG = (". >= 0", "Enter 0 or a positive whole number", "Унесите 0 или позитиван цео број")


def q(type_, name, en="", sr="", *, hint=("", ""), required=False, constraint=None,
      relevant="", calculation="", default=""):
    """One survey row."""
    c, cen, csr = constraint or ("", "", "")
    return {"type": type_, "name": name, f"label::{EN}": en, f"label::{SR}": sr,
            f"hint::{EN}": hint[0], f"hint::{SR}": hint[1],
            "required": "yes" if required is True else (required or ""),
            "constraint": c, f"constraint_message::{EN}": cen, f"constraint_message::{SR}": csr,
            "relevant": relevant, "calculation": calculation, "default": default}


def count(name, en, sr, *, required=True, relevant="", at_most=None, hint=("", "")):
    """A non-negative whole-number count; ``at_most`` = (field, English, Serbian) bound."""
    if at_most:
        field, men, msr = at_most
        constraint = (f". >= 0 and . <= ${{{field}}}", men, msr)
    else:
        constraint = NONNEG
    return q("integer", name, en, sr, hint=hint, required=required, constraint=constraint,
             relevant=relevant)


def begin(name, en, sr, relevant="", repeat=False):
    return q("begin repeat" if repeat else "begin group", name, en, sr, relevant=relevant)


def end(repeat=False):
    return q("end repeat" if repeat else "end group", "")


def calc(name, expr):
    return q("calculate", name, calculation=expr)


def note(name, en, sr):
    return q("note", name, en, sr)


def choices(list_name, *items):
    return [{"list_name": list_name, "name": n, f"label::{EN}": en, f"label::{SR}": sr}
            for n, en, sr in items]


YES_NO = choices("yes_no", ("yes", "Yes", "Да"), ("no", "No", "Не"))


# ----------------------------------------------------------------------------- 1. providers

PROVIDERS = {
    "settings": {"form_id": "providers", "version": "2026.1",
                 "form_title": "Local social-service providers", f"form_title::{SR}": "Локални пружаоци услуга социјалне заштите", "default_language": EN,
                 "period_type": "year", "sensitive": "no", "institution_type": "provider"},
    "survey": [
        note("intro", "Report on the services you provided in the year.",
             "Извештај о услугама које сте пружали током године."),
        begin("licence", "Licence", "Лиценца"),
        q("select_one yes_no", "licensed", "Does the provider hold a licence for the service?",
          "Да ли пружалац има лиценцу за пружање услуге?", required=True),
        q("text", "licence_number", "Licence number", "Број лиценце", required=True,
          relevant="${licensed} = 'yes'"),
        q("date", "licence_valid_until", "Licence valid until", "Лиценца важи до",
          required=True, relevant="${licensed} = 'yes'"),
        end(),
        begin("services", "Services offered", "Услуге које се пружају"),
        q("select_multiple service", "services_offered", "Services offered",
          "Услуге које се пружају", required=True),
        q("text", "services_other", "Other service (describe)", "Друга услуга (опишите)",
          required=True, relevant="selected(${services_offered}, 'other')"),
        q("select_one funding", "funding", "Main source of funding", "Главни извор финансирања",
          required=True),
        end(),
        begin("capacity_group", "Capacity and users", "Капацитет и корисници"),
        count("capacity", "Capacity (places or users that can be served at a time)",
              "Капацитет (број места или корисника који се истовремено могу услужити)"),
        count("users_children", "Users: children (0–17)", "Корисници: деца (0–17)"),
        count("users_youth", "Users: young people (18–25)", "Корисници: млади (18–25)"),
        count("users_adults", "Users: adults (26–64)", "Корисници: одрасли (26–64)"),
        count("users_older", "Users: older people (65+)", "Корисници: старији (65+)"),
        calc("users_total",
             "${users_children} + ${users_youth} + ${users_adults} + ${users_older}"),
        count("users_disability", "Of whom: persons with disabilities",
              "Од тога: особе са инвалидитетом", required=False),
        count("users_female", "Of whom: women and girls", "Од тога: жене и девојчице",
              required=False),
        count("waiting_list", "People on the waiting list", "Број лица на листи чекања",
              required=False),
        end(),
        begin("staff", "Staff", "Запослени"),
        count("staff_total", "Staff (headcount)", "Број запослених"),
        count("staff_professional", "Of whom: professional staff", "Од тога: стручни радници",
              at_most=("staff_total", "Cannot exceed the staff total",
                       "Не може бити већи од укупног броја запослених")),
        count("staff_licensed", "Of whom: professionals holding a licence",
              "Од тога: лиценцирани стручни радници",
              at_most=("staff_professional", "Cannot exceed the professional staff",
                       "Не може бити већи од броја стручних радника")),
        count("volunteers", "Volunteers", "Волонтери", required=False),
        end(),
        q("geopoint", "location", "Location of the service", "Локација услуге",
          hint=("Latitude and longitude", "Географска ширина и дужина")),
    ],
    "choices": YES_NO + choices(
        "service",
        ("day_care", "Day care", "Дневни боравак"),
        ("home_help", "Home help", "Помоћ у кући"),
        ("personal_assistance", "Personal assistance", "Персонална асистенција"),
        ("child_companion", "Personal companion for a child", "Лични пратилац детета"),
        ("supported_housing", "Supported housing", "Становање уз подршку"),
        ("respite", "Respite care", "Предах смештај"),
        ("shelter", "Shelter", "Прихватилиште"),
        ("drop_in", "Drop-in centre", "Свратиште"),
        ("counselling", "Counselling and therapy", "Саветодавно-терапијске услуге"),
        ("sos_line", "SOS helpline", "СОС телефон"),
        ("other", "Other", "Друго"),
    ) + choices(
        "funding",
        ("local_budget", "Local government budget", "Буџет јединице локалне самоуправе"),
        ("earmarked_transfer", "Earmarked transfer from the state", "Наменски трансфер"),
        ("province", "Provincial budget", "Покрајински буџет"),
        ("donor", "Donor or project", "Донатор или пројекат"),
        ("user_fees", "User fees", "Партиципација корисника"),
        ("mixed", "Mixed", "Мешовито"),
    ),
}

# ----------------------------------------------------------------------------- 2. violence

_TOTAL = ("victims_total", "Cannot exceed the number of victims",
          "Не може бити већи од укупног броја жртава")
DOMESTIC_VIOLENCE = {
    "settings": {"form_id": "domestic_violence", "version": "2026.1",
                 "form_title": "Domestic violence: cases handled by the centre for social work", f"form_title::{SR}": "Насиље у породици: случајеви у центру за социјални рад",
                 "default_language": EN, "period_type": "quarter", "sensitive": "yes",
                 "institution_type": "csw"},
    "survey": [
        note("intro", "Aggregate counts for the quarter; no personal data. Count each victim "
                      "once per quarter.",
             "Збирни подаци за тромесечје, без личних података. Свака жртва се броји "
             "једном у тромесечју."),
        count("reports_received", "Reports of domestic violence received",
              "Број примљених пријава насиља у породици"),
        begin("victims", "Victims", "Жртве"),
        count("victims_total", "Victims (persons)", "Број жртава (лица)"),
        count("victims_female", "Victims: women and girls", "Жртве: жене и девојчице",
              at_most=_TOTAL),
        count("victims_male", "Victims: men and boys", "Жртве: мушкарци и дечаци",
              at_most=_TOTAL),
        count("victims_age_0_17", "Victims aged 0–17", "Жртве узраста 0–17",
              at_most=_TOTAL),
        count("victims_age_18_29", "Victims aged 18–29", "Жртве узраста 18–29",
              at_most=_TOTAL),
        count("victims_age_30_64", "Victims aged 30–64", "Жртве узраста 30–64",
              at_most=_TOTAL),
        count("victims_age_65", "Victims aged 65 and over", "Жртве старије од 65 година",
              at_most=_TOTAL),
        count("ipv_women_18", "Women aged 18+ who are victims of intimate-partner violence",
              "Жене старије од 18 година, жртве насиља од стране интимног партнера",
              hint=("As in EIGE's indicators on intimate-partner violence",
                    "Према индикаторима EIGE о партнерском насиљу"),
              at_most=("victims_female", "Cannot exceed the female victims",
                       "Не може бити већи од броја жртава женског пола")),
        count("femicides", "Women killed by an intimate partner or family member",
              "Жене убијене од стране интимног партнера или члана породице",
              hint=("Femicide, as EIGE defines it; report every case",
                    "Фемицид према дефиницији EIGE; пријавите сваки случај")),
        end(),
        begin("forms", "Forms of violence (a victim may suffer several)",
              "Облици насиља (жртва може трпети више облика)"),
        count("violence_physical", "Physical violence", "Физичко насиље", at_most=_TOTAL),
        count("violence_psychological", "Psychological violence", "Психичко насиље",
              at_most=_TOTAL),
        count("violence_sexual", "Sexual violence", "Сексуално насиље", at_most=_TOTAL),
        count("violence_economic", "Economic violence", "Економско насиље", at_most=_TOTAL),
        count("violence_stalking", "Stalking", "Прогањање", at_most=_TOTAL),
        end(),
        begin("relation", "Relation of the (main) perpetrator to the victim",
              "Однос (главног) учиниоца према жртви"),
        count("perpetrator_partner", "Intimate partner (spouse, cohabitant, partner)",
              "Интимни партнер (супружник, ванбрачни партнер, партнер)", at_most=_TOTAL),
        count("perpetrator_former_partner", "Former intimate partner",
              "Бивши интимни партнер", at_most=_TOTAL),
        count("perpetrator_family", "Other family member", "Други члан породице",
              at_most=_TOTAL),
        count("perpetrator_other", "Other person", "Друго лице", at_most=_TOTAL),
        calc("ipv_share",
             "if(${victims_total} > 0, (${perpetrator_partner} + "
             "${perpetrator_former_partner}) div ${victims_total}, '')"),
        count("perpetrators_male", "Perpetrators: men", "Учиниоци: мушкарци"),
        count("perpetrators_female", "Perpetrators: women", "Учиниоци: жене"),
        end(),
        begin("measures", "Measures taken", "Предузете мере"),
        count("urgent_measures", "Urgent measures ordered by the police",
              "Хитне мере које је изрекла полиција"),
        count("urgent_measures_extended", "Urgent measures extended by the court",
              "Хитне мере које је суд продужио",
              at_most=("urgent_measures", "Cannot exceed the urgent measures ordered",
                       "Не може бити већи од броја изречених хитних мера")),
        count("protection_orders_requested", "Protection orders requested by the centre",
              "Предлози центра за изрицање мера заштите од насиља у породици"),
        count("protection_orders_issued", "Protection orders issued by the court",
              "Мере заштите од насиља у породици које је изрекао суд"),
        count("individual_plans", "Individual protection and support plans made",
              "Израђени индивидуални планови заштите и подршке жртви"),
        count("referrals_shelter", "Referrals to a shelter or safe house",
              "Упућивања у прихватилиште или сигурну кућу"),
        count("referrals_health", "Referrals to health services",
              "Упућивања здравственим службама"),
        count("referrals_legal", "Referrals to free legal aid", "Упућивања на бесплатну правну помоћ"),
        count("referrals_counselling", "Referrals to counselling or a specialist service",
              "Упућивања на саветовање или специјализовану услугу"),
        end(),
    ],
    "choices": YES_NO,
}

# ----------------------------------------------------------------------------- 3. CSW state

CSW_STATE = {
    "settings": {"form_id": "csw_state", "version": "2026.1",
                 "form_title": "State of the centre for social work", f"form_title::{SR}": "Стање центра за социјални рад", "default_language": EN,
                 "period_type": "quarter", "sensitive": "no", "institution_type": "csw"},
    "survey": [
        begin("staff", "Staff by profession (headcount at the end of the quarter)",
              "Запослени по струци (стање на крају тромесечја)"),
        count("staff_social_workers", "Social workers", "Социјални радници"),
        count("staff_psychologists", "Psychologists", "Психолози"),
        count("staff_pedagogues", "Pedagogues and andragogues", "Педагози и андрагози"),
        count("staff_special_educators", "Special educators", "Дефектолози"),
        count("staff_lawyers", "Lawyers", "Правници"),
        count("staff_other", "Administrative and other staff", "Административни и остали"),
        calc("staff_total", "${staff_social_workers} + ${staff_psychologists} + "
                            "${staff_pedagogues} + ${staff_special_educators} + "
                            "${staff_lawyers} + ${staff_other}"),
        count("positions_approved", "Positions in the job classification act",
              "Радна места према акту о систематизацији"),
        count("vacancies", "Vacant positions", "Упражњена радна места",
              at_most=("positions_approved", "Cannot exceed the approved positions",
                       "Не може бити већи од броја систематизованих радних места")),
        count("new_hires", "People hired during the quarter", "Број примљених у тромесечју"),
        count("departures", "People who left during the quarter", "Број оних који су отишли"),
        end(),
        begin("caseload", "Caseload", "Оптерећеност"),
        count("case_managers", "Case managers", "Водитељи случаја"),
        count("active_cases", "Active cases at the end of the quarter",
              "Активни случајеви на крају тромесечја"),
        count("new_cases", "New cases opened in the quarter", "Нови случајеви у тромесечју"),
        calc("cases_per_manager",
             "if(${case_managers} > 0, round(${active_cases} div ${case_managers}, 1), '')"),
        end(),
        begin("equipment", "Equipment", "Опрема"),
        count("computers", "Working computers", "Исправни рачунари"),
        count("vehicles", "Working vehicles for field work", "Исправна возила за терен"),
        q("select_one yes_no", "internet", "Reliable internet connection in every office?",
          "Поуздана интернет веза у свим канцеларијама?", required=True),
        q("select_one yes_no", "case_software", "Electronic case records in use?",
          "Да ли се користи електронска евиденција случајева?", required=True),
        end(),
        begin("premises", "Premises", "Простор"),
        q("decimal", "premises_m2", "Floor area (m²)", "Површина простора (м²)", required=True,
          constraint=(". > 0 and . < 100000", "Enter the area in square metres",
                      "Унесите површину у квадратним метрима")),
        q("select_one condition", "premises_condition", "Condition of the premises",
          "Стање простора", required=True),
        q("select_one yes_no", "premises_accessible",
          "Accessible to persons with reduced mobility?",
          "Приступачан особама са отежаним кретањем?", required=True),
        q("select_one yes_no", "private_interview_room", "Room for confidential interviews?",
          "Просторија за поверљиве разговоре?", required=True),
        end(),
    ],
    "choices": YES_NO + choices(
        "condition",
        ("good", "Good", "Добро"),
        ("adequate", "Adequate, needs minor repairs", "Задовољавајуће, потребне мање поправке"),
        ("poor", "Poor, needs major works", "Лоше, потребни већи радови"),
    ),
}

# ----------------------------------------------------------------------------- 4. residential

RESIDENTIAL = {
    "settings": {"form_id": "residential", "version": "2026.1",
                 "form_title": "Residential institutions for users", f"form_title::{SR}": "Установе за смештај корисника", "default_language": EN,
                 "period_type": "year", "sensitive": "no",
                 "institution_type": "residential"},
    "survey": [
        q("select_one institution_kind", "institution_kind", "Kind of institution",
          "Врста установе", required=True),
        begin("places", "Capacity and occupancy", "Капацитет и попуњеност"),
        count("capacity", "Places (capacity)", "Број места (капацитет)"),
        count("occupancy", "Users at the end of the year", "Број корисника на крају године"),
        calc("occupancy_rate",
             "if(${capacity} > 0, round(100 * ${occupancy} div ${capacity}, 1), '')"),
        end(),
        begin("users", "Users at the end of the year", "Корисници на крају године"),
        count("users_age_0_17", "Aged 0–17", "Узраст 0–17"),
        count("users_age_18_25", "Aged 18–25", "Узраст 18–25"),
        count("users_age_26_64", "Aged 26–64", "Узраст 26–64"),
        count("users_age_65", "Aged 65 and over", "65 и више година"),
        count("users_intellectual", "With intellectual disability",
              "Са интелектуалним тешкоћама"),
        count("users_physical", "With physical disability", "Са телесним инвалидитетом"),
        count("users_mental_health", "With mental-health conditions",
              "Са менталним тешкоћама"),
        count("users_long_stay", "Living in the institution for more than 5 years",
              "На смештају дуже од 5 година"),
        end(),
        begin("staff", "Staff", "Запослени"),
        count("staff_total", "Staff (headcount)", "Укупан број запослених"),
        count("staff_direct_care", "Of whom: direct-care staff (carers, nurses)",
              "Од тога: непосредна нега (неговатељи, медицинске сестре)",
              at_most=("staff_total", "Cannot exceed the staff total",
                       "Не може бити већи од укупног броја запослених")),
        count("staff_professional", "Of whom: professional staff", "Од тога: стручни радници",
              at_most=("staff_total", "Cannot exceed the staff total",
                       "Не може бити већи од укупног броја запослених")),
        calc("users_per_carer",
             "if(${staff_direct_care} > 0, round(${occupancy} div ${staff_direct_care}, 1), '')"),
        end(),
        begin("movement", "Admissions and discharges in the year",
              "Пријеми и отпусти током године"),
        count("admissions", "Admissions", "Пријеми"),
        count("discharges_family", "Discharged to their own or a relative's family",
              "Отпуштени у сопствену или сродничку породицу"),
        count("discharges_foster", "Discharged to foster care", "Отпуштени у хранитељску породицу"),
        count("discharges_community", "Discharged to supported housing or other community "
                                      "services",
              "Отпуштени у становање уз подршку или друге услуге у заједници"),
        count("discharges_institution", "Transferred to another institution",
              "Премештени у другу установу"),
        count("deaths", "Deaths", "Смртни исходи"),
        calc("discharges_total", "${discharges_family} + ${discharges_foster} + "
                                 "${discharges_community} + ${discharges_institution}"),
        end(),
    ],
    "choices": choices(
        "institution_kind",
        ("children", "Children and young people", "Деца и млади"),
        ("disability", "Adults with disabilities", "Одрасли са инвалидитетом"),
        ("older", "Older people", "Старији"),
        ("mixed", "Mixed", "Мешовита"),
    ),
}

# ----------------------------------------------------------------------------- 5. research

RESEARCH = {
    "settings": {"form_id": "research_template", "version": "2026.1",
                 "form_title": "Targeted research (template)", f"form_title::{SR}": "Циљано истраживање (шаблон)", "default_language": EN,
                 "period_type": "", "sensitive": "no", "institution_type": ""},
    "survey": [
        note("intro", "Template: copy this workbook and replace the questions with yours.",
             "Шаблон: копирајте ову радну свеску и замените питања својим."),
        q("select_one yes_no", "consent", "Did the respondent agree to take part?",
          "Да ли је испитаник пристао да учествује?", required=True),
        begin("interview", "Interview", "Интервју", relevant="${consent} = 'yes'"),
        q("date", "interview_date", "Date of the interview", "Датум интервјуа", required=True,
          constraint=(". <= today()", "The date cannot be in the future",
                      "Датум не може бити у будућности")),
        q("select_one role", "respondent_role", "Respondent", "Испитаник", required=True),
        q("geopoint", "location", "Location", "Локација"),
        begin("member", "Household member", "Члан домаћинства", repeat=True),
        q("integer", "member_age", "Age", "Године старости", required=True,
          constraint=(". >= 0 and . <= 120", "Enter an age between 0 and 120",
                      "Унесите године између 0 и 120")),
        q("select_one sex", "member_sex", "Sex", "Пол", required=True),
        calc("member_child", "if(${member_age} < 18, 1, 0)"),
        end(repeat=True),
        calc("household_size", "count(${member_age})"),
        calc("children", "sum(${member_child})"),
        q("select_multiple need", "needs", "Needs of the household", "Потребе домаћинства",
          required=True),
        q("text", "needs_other", "Other need (describe)", "Друга потреба (опишите)",
          required=True, relevant="selected(${needs}, 'other')"),
        q("text", "phone", "Contact telephone (optional)", "Контакт телефон (необавезно)",
          constraint=("regex(., '^[+]?[0-9 ]{6,15}$')", "Digits only, 6 to 15",
                      "Само цифре, од 6 до 15")),
        q("text", "comments", "Comments", "Напомене"),
        end(),
    ],
    "choices": YES_NO + choices(
        "role",
        ("user", "Service user", "Корисник услуге"),
        ("family", "Family member", "Члан породице"),
        ("professional", "Professional", "Стручни радник"),
    ) + choices("sex", ("female", "Female", "Женски"), ("male", "Male", "Мушки")) + choices(
        "need",
        ("income", "Income support", "Материјална подршка"),
        ("care", "Care at home", "Нега у кући"),
        ("housing", "Housing", "Становање"),
        ("health", "Health care", "Здравствена заштита"),
        ("other", "Other", "Друго"),
    ),
}

FORMS = {"providers": PROVIDERS, "domestic_violence": DOMESTIC_VIOLENCE,
         "csw_state": CSW_STATE, "residential": RESIDENTIAL, "research_template": RESEARCH}


def workbook(spec: dict):
    """The openpyxl workbook of one form definition."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    survey = wb.active
    survey.title = "survey"
    sheets = [(survey, SURVEY_COLUMNS, spec["survey"]),
              (wb.create_sheet("choices"), CHOICE_COLUMNS, spec["choices"]),
              (wb.create_sheet("settings"), SETTINGS_COLUMNS, [spec["settings"]])]
    for ws, columns, rows in sheets:
        ws.append(columns)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([row.get(c, "") or None for c in columns])
        ws.freeze_panes = "A2"
    return wb


def build(out: Path = OUT) -> list[Path]:
    """Write every form into ``out``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, spec in FORMS.items():
        path = out / f"{name}.xlsx"
        workbook(spec).save(path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write the .xlsx into")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

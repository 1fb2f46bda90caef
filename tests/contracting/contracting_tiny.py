"""A tiny hand-checked competition of the state social order.

The tiny competition (weights price 40, plan 35, staff 25; scale 0..10; lowest admitted
price 8000):

======  =====  ==========  ===========  ======================================
app     price  plan (e1,e2) staff (e1,e2) weighted score
======  =====  ==========  ===========  ======================================
a1      8000   6, 8 → 0.7  5, 5 → 0.5   40·1.0 + 35·0.7 + 25·0.5 = 77.0
a2      10000  9, 9 → 0.9  8, 10 → 0.9  40·0.8 + 35·0.9 + 25·0.9 = 86.0 (wins)
a3      9000   —           —            incomplete: budget missing
a4      9500   —           —            fails the selection criterion exp
======  =====  ==========  ===========  ======================================
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def tiny_tables() -> dict[str, pd.DataFrame]:
    f = pd.DataFrame
    return {
        "customers": f([("cu1", "Mazyr District Executive Committee", "Мозырский районный "
                         "исполнительный комитет", "Homel region", "Mazyr")],
                       columns=["customer_id", "name", "name_ru", "region", "district"]),
        "ngos": f([("n1", "Red Cross Mazyr", None, "red_cross_branch", "Mazyr"),
                   ("n2", "Miloserdie", None, "local_association", "Mazyr"),
                   ("n3", "Nadezhda", None, "local_association", "Mazyr")],
                  columns=["ngo_id", "name", "name_ru", "kind", "district"]),
        "evaluators": f([("e1", "A"), ("e2", "B")], columns=["evaluator_id", "name"]),
        "orders": f([("o1", "cu1", "home_care", "older people living alone", "aged 70+", 20,
                      1000, 500, "Mazyr district", "2025-04-01", "2025-12-31", 10000.0,
                      "minimum standard", 80.0, "120 older people living alone", "elderly",
                      120.0)],
                    columns=["order_id", "customer_id", "service_type", "target_group",
                             "eligibility", "clients", "hours", "visits", "territory",
                             "period_start", "period_end", "max_subsidy", "quality_standard",
                             "quality_min", "evidence", "evidence_indicator",
                             "evidence_value"]),
        "competitions": f([("c1", "cu1", "Home care, Mazyr", "2025-01-10", "2025-02-10", 0.0,
                            10.0, "weights", "BYN")],
                          columns=["competition_id", "customer_id", "title", "published",
                                   "deadline", "scale_min", "scale_max", "weighting",
                                   "currency"]),
        "lots": f([("l1", "c1", "o1", "Mazyr home care", 10000.0)],
                  columns=["lot_id", "competition_id", "order_id", "title", "max_subsidy"]),
        "criteria": f([("c1", "reg", "eligibility", "Registered", None, None, None),
                       ("c1", "exp", "selection", "One year of experience", None, None, None),
                       ("c1", "price", "award", "Price", "price", 40.0, None),
                       ("c1", "plan", "award", "Service plan", "quality", 35.0, None),
                       ("c1", "staff", "award", "Staff", "quality", 25.0, None)],
                      columns=["competition_id", "criterion_id", "stage", "name", "aspect",
                               "weight", "importance"]),
        "required_documents": f([("c1", "charter"), ("c1", "budget")],
                                columns=["competition_id", "document"]),
        "applications": f([("a1", "c1", "l1", "n1", "2025-02-01T10:00", 8000.0, 20, 1000, 500),
                           ("a2", "c1", "l1", "n2", "2025-02-03T10:00", 10000.0, 20, 1000,
                            500),
                           ("a3", "c1", "l1", "n3", "2025-02-04T10:00", 9000.0, 20, 1000, 500),
                           ("a4", "c1", "l1", "n3", "2025-02-10T18:00", 9500.0, 20, 1000,
                            500)],
                          columns=["application_id", "competition_id", "lot_id", "ngo_id",
                                   "submitted", "price", "clients", "hours", "visits"]),
        "application_documents": f([(a, d) for a in ("a1", "a2", "a4")
                                    for d in ("charter", "budget")] + [("a3", "charter")],
                                   columns=["application_id", "document"]),
        "eligibility": f([(a, c, not (a == "a4" and c == "exp"), None)
                          for a in ("a1", "a2", "a3", "a4") for c in ("reg", "exp")],
                         columns=["application_id", "criterion_id", "passed", "reason"]),
        "declarations": f([("c1", "e1", "2025-02-11", True), ("c1", "e2", "2025-02-11", True)],
                          columns=["competition_id", "evaluator_id", "signed", "no_conflict"]),
        "scores": f([("a1", "plan", "e1", 6.0, "x"), ("a1", "plan", "e2", 8.0, "x"),
                     ("a1", "staff", "e1", 5.0, "x"), ("a1", "staff", "e2", 5.0, "x"),
                     ("a2", "plan", "e1", 9.0, "x"), ("a2", "plan", "e2", 9.0, "x"),
                     ("a2", "staff", "e1", 8.0, "x"), ("a2", "staff", "e2", 10.0, "x")],
                    columns=["application_id", "criterion_id", "evaluator_id", "score",
                             "justification"]),
        "awards": f([("aw1", "l1", "a2", "2025-03-01", 10000.0, "active", None)],
                    columns=["award_id", "lot_id", "application_id", "date", "value",
                             "status", "complaint"]),
        "contracts": f([("k1", "aw1", "2025-03-20", "2025-04-01", "2025-12-31", 3000.0, 20,
                         900, 450)],
                       columns=["contract_id", "award_id", "signed", "start", "end", "value",
                                "clients", "hours", "visits"]),
        "schedule": f([("k1", f"2025-Q{q}", 20, 300, 150, 1000.0) for q in (2, 3, 4)],
                      columns=["contract_id", "period", "clients", "hours", "visits",
                               "payment"]),
        "deliveries": f([("k1", "2025-Q2", 20, 300, 150, 90.0, 4.5, 10),
                         ("k1", "2025-Q3", 20, 200, 100, 70.0, 4.4, 3),
                         ("k1", "2025-Q4", 20, 100, 50, 85.0, 3.8, 10)],
                        columns=["contract_id", "period", "clients", "hours", "visits",
                                 "quality_score", "satisfaction", "respondents"]),
        "payments": f([("p1", "k1", "2025-07-10", "2025-Q2", 1000.0),
                       ("p2", "k1", "2025-10-10", "2025-Q3", 1000.0),
                       ("p3", "k1", "2026-01-10", "2025-Q4", 1000.0)],
                      columns=["payment_id", "contract_id", "date", "period", "amount"]),
    }


def write_tables(folder: Path, tables: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder

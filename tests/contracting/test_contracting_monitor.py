"""Monitoring flags on the constructed contract k1 (contracting_tiny.py).

Plan: 300 hours a quarter (900 in all), 1000 BYN a quarter (value 3000); delivered 300, 200,
100 hours; paid 1000 each quarter; quality 90, 70, 85 (standard 80); satisfaction 4.5 (10
answers), 4.4 (3 answers: not counted), 3.8 (10 answers).
"""

from __future__ import annotations

import pytest

from socialkit.contracting import FlagRules, monitoring_flags


def test_flags_on_a_constructed_contract(tiny_data):
    progress, flags = monitoring_flags(tiny_data)
    p = progress.set_index("period")
    assert p["hours_ratio"].tolist() == pytest.approx([1.0, 500 / 600, 600 / 900])
    assert p["paid_share"].tolist() == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert p["delivered_share"].tolist() == pytest.approx([1 / 3, 5 / 9, 2 / 3])
    got = list(zip(flags["period"], flags["flag"], strict=True))
    # Q3: 2/3 paid against 5/9 delivered, a lead of 0.111 > 0.10
    assert got == [("2025-Q3", "delivery_behind"), ("2025-Q3", "payments_ahead"),
                   ("2025-Q3", "quality_below"),
                   ("2025-Q4", "delivery_behind"), ("2025-Q4", "payments_ahead"),
                   ("2025-Q4", "satisfaction_drop")]
    v = flags.set_index(["period", "flag"])
    assert v.at[("2025-Q4", "payments_ahead"), "value"] == pytest.approx(1 / 3)
    assert v.at[("2025-Q3", "quality_below"), "threshold"] == 80


def test_thresholds_are_rules_not_constants(tiny_data):
    _, flags = monitoring_flags(tiny_data, FlagRules(delivery_min=0.6, payment_lead=0.5,
                                                     satisfaction_drop=1.0,
                                                     satisfaction_floor=3.0))
    assert flags["flag"].tolist() == ["quality_below"]


def test_demo_contract_behind_schedule(demo_data):
    _, flags = monitoring_flags(demo_data["mahiliou_2025"])
    assert set(flags["contract_id"]) == {"mah-2025-k02"}
    assert {"delivery_behind", "payments_ahead", "satisfaction_drop"} <= set(flags["flag"])

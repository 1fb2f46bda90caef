"""Professionals of the social-protection system: registry, licences, continuing training with
points, compliance, and assessment tests with item analysis (docs/professionals.md).

An analysis (layer 3): pure functions, frames in, frames or result dataclasses out; the
display module turns results into localised tables, :mod:`socialkit.reporting.professionals`
into PDFs.
"""

from ..frameworks.training_points import PointsRules, load_rules
from .assessment import (
    AssessmentKey,
    ItemAnalysis,
    distractor_analysis,
    item_analysis,
    read_key,
    read_moodle,
    test_scores,
)
from .ledger import compliance, licence_totals, points_ledger
from .privacy import FIELDS, Reader, ReadLog, export_records, read_person
from .registry import Registry, add_participations, check_registry, load_registry

__all__ = [
    "FIELDS",
    "AssessmentKey",
    "ItemAnalysis",
    "PointsRules",
    "ReadLog",
    "Reader",
    "Registry",
    "add_participations",
    "check_registry",
    "compliance",
    "distractor_analysis",
    "export_records",
    "item_analysis",
    "licence_totals",
    "load_registry",
    "load_rules",
    "points_ledger",
    "read_key",
    "read_moodle",
    "read_person",
    "test_scores",
]

"""Monitoring & evaluation: indicator framework, progress and status, aggregation, data quality,
Excel round trip, and service-quality scorecards.

Modules: :mod:`.framework` (indicator framework model), :mod:`.rubric` (quality standards),
:mod:`.indicators` (cells → quarters → periods → areas), :mod:`.progress` (progress, status,
trends), :mod:`.quality` (completeness, outliers, validation rules), :mod:`.excel` (workbook
export/import), :mod:`.agreement` (Krippendorff's alpha, ICC) and :mod:`.scorecards`.
"""

from ..frameworks.indicators import IndicatorFramework, load_framework
from ..frameworks.rubric import Rubric, load_rubric
from .agreement import icc_2_1, krippendorff_alpha
from .excel import export_workbook, import_workbook, read_workbook
from .indicators import compute_indicators
from .progress import compute_progress, compute_trends, share_on_track
from .quality import check_completeness, check_outliers, check_rules, quality_summary
from .report import disaggregation_table
from .scorecards import Scorecard, compute_scorecards

__all__ = [
    "IndicatorFramework",
    "Rubric",
    "Scorecard",
    "check_completeness",
    "check_outliers",
    "check_rules",
    "compute_indicators",
    "compute_progress",
    "compute_scorecards",
    "compute_trends",
    "disaggregation_table",
    "export_workbook",
    "icc_2_1",
    "import_workbook",
    "krippendorff_alpha",
    "load_framework",
    "load_rubric",
    "quality_summary",
    "read_workbook",
    "share_on_track",
]

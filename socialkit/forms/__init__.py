"""XLSForm forms → validated records, with no database and no UI (docs/forms.md).

``load_form`` reads an XLSForm (pyxform); ``validate_submission`` checks one submission as the
user types; ``validate_frame`` checks many at once (vectorised); ``import_file`` reads an
Excel/CSV or a KoboToolbox/ODK Central export and accepts it whole or refuses it with every
problem; ``evaluate_rules`` and ``flag_outliers`` apply DHIS2-style validation rules and
outlier detection across institutions and periods.

>>> form = load_form(form_path("csw_state"))
>>> validate_submission(form, {"vacancies": "-1"}).errors["vacancies"]
['Enter 0 or a positive whole number']
"""

from pathlib import Path

from .. import config
from .bulk import FormImportError, ImportResult, Record, check_period, import_file, import_frame
from .expressions import ExpressionError, parse
from .model import Choice, Field, Form, language_code
from .rules import RuleSet, evaluate_rules, flag_outliers, load_rules, rules_path
from .validate import FrameResult, Issue, SubmissionResult, validate_frame, validate_submission
from .xlsform import FormDefinitionError, load_form

__all__ = [
    "SHIPPED_FORMS",
    "Choice",
    "ExpressionError",
    "Field",
    "Form",
    "FormDefinitionError",
    "FormImportError",
    "FrameResult",
    "ImportResult",
    "Issue",
    "Record",
    "RuleSet",
    "SubmissionResult",
    "check_period",
    "evaluate_rules",
    "flag_outliers",
    "form_path",
    "import_file",
    "import_frame",
    "language_code",
    "load_form",
    "load_rules",
    "parse",
    "rules_path",
    "validate_frame",
    "validate_submission",
]

#: The instruments shipped under socialkit/frameworks/forms/ (docs/forms.md).
SHIPPED_FORMS: tuple[str, ...] = ("providers", "domestic_violence", "csw_state", "residential",
                                  "research_template")


def form_path(name: str) -> Path:
    """The path of a shipped form (``"domestic_violence"`` → …/frameworks/forms/….xlsx)."""
    return config.FRAMEWORKS_DIR / "forms" / f"{name}.xlsx"

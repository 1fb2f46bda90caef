"""The registry of report notebooks: a report name maps to a notebook file and a title.

>>> REPORTS["maturity"].notebook
'digital_maturity.ipynb'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..errors import ReportError
from ..i18n import t

__all__ = ["REPORTS", "REQUIRED_PARAMETERS", "ReportSpec", "resolve_reports"]

#: Parameters every report notebook's ``parameters`` cell must define.
REQUIRED_PARAMETERS: tuple[str, ...] = ("catalog", "municipality_id", "lang")


@dataclass(frozen=True)
class ReportSpec:
    """One kind of report: its name, notebook file (in ``config.notebooks_dir()``) and title key."""

    name: str
    notebook: str

    @property
    def title_key(self) -> str:
        """The i18n key of the report's title (``reporting.title.<name>``)."""
        return f"reporting.title.{self.name}"

    def path(self, folder: Path | None = None) -> Path:
        """The notebook's path in ``folder`` (default: :func:`socialkit.config.notebooks_dir`)."""
        return (folder or config.notebooks_dir()) / self.notebook


#: Every report ``socialkit report`` knows, by name (the order is the order of ``all``).
REPORTS: Mapping[str, ReportSpec] = {
    spec.name: spec
    for spec in (
        ReportSpec("maturity", "digital_maturity.ipynb"),
        ReportSpec("needs", "needs_analysis.ipynb"),
        ReportSpec("passport", "social_passport.ipynb"),
        ReportSpec("monitoring", "me_indicators.ipynb"),
    )
}


def resolve_reports(name: str, folder: Path | None = None) -> list[ReportSpec]:
    """The reports that ``name`` selects: one report, several separated by commas
    (``"maturity,needs,passport"``), or ``"all"`` (those whose notebook exists).

    Raises
    ------
    ReportError
        ``name`` is unknown, the named report's notebook is missing, or ``all`` finds none.
    """
    folder = folder or config.notebooks_dir()
    if name == "all":
        found = [spec for spec in REPORTS.values() if spec.path(folder).is_file()]
        if not found:
            files = ", ".join(spec.notebook for spec in REPORTS.values())
            raise ReportError(t("reporting.errors.no_reports", "en", folder=folder, files=files))
        return found
    if "," in name:
        names = list(dict.fromkeys(part.strip() for part in name.split(",") if part.strip()))
        if "all" in names:
            return resolve_reports("all", folder)
        return [spec for part in names for spec in resolve_reports(part, folder)]
    if name not in REPORTS:
        choices = ", ".join([*REPORTS, "all"])
        raise ReportError(t("reporting.errors.unknown_report", "en", name=name, choices=choices))
    spec = REPORTS[name]
    if not spec.path(folder).is_file():
        raise ReportError(t("reporting.errors.no_notebook", "en", report=name,
                            path=spec.path(folder)))
    return [spec]

"""Write a :class:`~socialkit.maturity.MaturityResult` to one Excel workbook.

Sheets: About (framework, method, how actions were prioritised), then one per result table
(scores, levels, benchmarks, progress, gaps, action plan), with localised headers and names,
a frozen header row and a filter. The file is written atomically and text that looks like
a formula is stored as text (:mod:`socialkit.files`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import ReportError, SocialkitError
from ..files import atomic_path, text_cells
from ..frameworks.maturity import text
from ..i18n import display_names, t
from .assess import MaturityResult
from .report import label_table, text_tables

__all__ = ["write_excel"]


def _about(result: MaturityResult, lang: str) -> pd.DataFrame:
    fw = result.framework
    rows = [
        (t("maturity.about.framework", lang), f"{text(fw.title, lang)} ({fw.id})"),
        (t("maturity.about.version", lang), fw.version),
        ("", t("maturity.about.method", lang)),
        ("", t("maturity.about.action_priority", lang, capacity=result.capacity)),
        ("", t("maturity.about.generated_by", lang)),
    ]
    return pd.DataFrame(rows, columns=["", " "])


def _fit(ws) -> None:
    for col in ws.columns:
        width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
        ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 60)


def write_excel(result: MaturityResult, path: str | Path, lang: str = "en") -> Path:
    """Write the workbook and return its path.

    Parameters
    ----------
    result : MaturityResult
        The assessment.
    path : str or Path
        Target ``.xlsx`` file (its folder is created).
    lang : str
        Language of headers and names.
    """
    path = Path(path)
    names = None
    if result.municipalities is not None and "name" in result.municipalities:
        mun = result.municipalities.drop_duplicates("municipality_id")
        names = pd.Series(display_names(mun, lang).to_numpy(), index=mun["municipality_id"])
    try:
        with atomic_path(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            _about(result, lang).to_excel(xw, sheet_name=t("maturity.sheets.about", lang),
                                          index=False)
            _fit(xw.sheets[t("maturity.sheets.about", lang)])
            for name, frame in text_tables(result, lang).items():
                sheet = t(f"maturity.sheets.{name}", lang)[:31]
                table = label_table(frame, result.framework, lang, names, result.currency)
                table.to_excel(xw, sheet_name=sheet, index=False)
                ws = xw.sheets[sheet]
                ws.freeze_panes = "A2"
                if ws.max_row > 1:
                    ws.auto_filter.ref = ws.dimensions
                _fit(ws)
            text_cells(xw.book)
    except SocialkitError:
        raise
    except OSError as exc:
        raise ReportError(f"{path}: cannot write the workbook ({exc})") from exc
    return path

"""Digital-maturity assessment of municipal social services, with action plans.

>>> from socialkit.maturity import assess, load_framework, write_excel # doctest: +SKIP
>>> res = assess(responses, municipalities=municipalities)             # doctest: +SKIP
>>> res.scores, res.levels, res.benchmarks, res.progress, res.gaps, res.action_plan  # doctest: +SKIP
>>> write_excel(res, "maturity.xlsx", "uk")                              # doctest: +SKIP

Modules: :mod:`.framework` (the YAML framework, pydantic), :mod:`.scoring` (items ->
dimensions -> overall through :mod:`socialkit.index`), :mod:`.benchmarks` (peer groups),
:mod:`.progress` (between rounds), :mod:`.plans` (gaps and action plan), :mod:`.excel`
(workbook), :mod:`.report` (localised tables for notebooks), :mod:`.assess` (all in one).
"""

from ..frameworks.maturity import OVERALL, MaturityFramework, load_framework
from .assess import TABLES, MaturityResult, assess
from .excel import write_excel

__all__ = ["OVERALL", "TABLES", "MaturityFramework", "MaturityResult", "assess",
           "load_framework", "write_excel"]

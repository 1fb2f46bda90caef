"""From evidence to a strategy the community wrote: the participatory strategy cycle.

A working group of a municipality or a district goes from the evidence socialkit computes
(:mod:`~socialkit.strategy.evidence`) through focus groups and interviews recorded as data
(:mod:`~socialkit.strategy.consultation`), priorities scored on published criteria
(:mod:`~socialkit.strategy.priorities`), the strategy and its action plan as data
(:mod:`~socialkit.strategy.plan`) and the public consultation's answers, to tracking the plan
(:mod:`~socialkit.strategy.tracking`). Inputs and every check: :mod:`~socialkit.strategy.inputs`;
the documents' text: :mod:`~socialkit.strategy.display` (PDFs in
:mod:`socialkit.reporting.strategy`). See docs/strategy.md.
"""

from .build import Strategy, build_strategy, cycle_evidence
from .evidence import EvidencePack, build_evidence
from .inputs import Cycle, check_cycle, read_cycle
from .priorities import PriorityResult, score_priorities

__all__ = [
    "Cycle",
    "EvidencePack",
    "PriorityResult",
    "Strategy",
    "build_evidence",
    "build_strategy",
    "check_cycle",
    "cycle_evidence",
    "read_cycle",
    "score_priorities",
]

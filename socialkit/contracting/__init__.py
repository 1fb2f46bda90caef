"""Belarus' state social order: orders, subsidy competitions, evaluation, contracts, OCDS.

The process (docs/contracting.md): a district executive committee specifies a social order
from the needs analysis, runs a competition with lots, pass/fail and award criteria with
published weights; evaluators who declared no conflict of interest score the admitted
applications; the best-ranked wins the subsidy contract, whose delivery and payments are
monitored. Every competition is published as Open Contracting Data Standard 1.1 releases.
"""

from .evaluate import Evaluation, check_completeness, evaluate
from .load import check_contracting, read_contracting
from .model import ContractingData
from .monitor import FlagRules, money_flows, monitoring_flags
from .sensitivity import minimal_flip, weight_sensitivity

__all__ = [
    "ContractingData",
    "Evaluation",
    "FlagRules",
    "check_completeness",
    "check_contracting",
    "evaluate",
    "minimal_flip",
    "money_flows",
    "monitoring_flags",
    "read_contracting",
    "weight_sensitivity",
]

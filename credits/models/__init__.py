"""The credits app's models: the carbon project and its periods (project.py), the registry of
serial blocks, sales, retirements, events and payments (registry.py), and the
summaries of the current field data kept on write (summaries.py)."""

from credits.models.project import (
    MIN_PRODUCER_SHARE,
    SHARE_VALIDATORS,
    CarbonProject,
    MemberPeriodResult,
    MonitoringPeriod,
)
from credits.models.registry import (
    EXCHANGE_RATE_MAX,
    EXCHANGE_RATE_MIN,
    MONEY,
    PEN,
    Buyer,
    CreditBlock,
    CreditEvent,
    Payment,
    ProducerShare,
    Retirement,
    Sale,
    validate_exchange_rate,
)
from credits.models.summaries import (
    CohortSummary,
    MemberSummary,
    PlotSpeciesSummary,
    PlotYearSummary,
    StratumSummary,
)

__all__ = [
    "EXCHANGE_RATE_MAX",
    "EXCHANGE_RATE_MIN",
    "PEN",
    "validate_exchange_rate",
    "MIN_PRODUCER_SHARE",
    "MONEY",
    "SHARE_VALIDATORS",
    "Buyer",
    "CohortSummary",
    "MemberSummary",
    "PlotSpeciesSummary",
    "PlotYearSummary",
    "CarbonProject",
    "CreditBlock",
    "CreditEvent",
    "MemberPeriodResult",
    "MonitoringPeriod",
    "Payment",
    "ProducerShare",
    "Retirement",
    "Sale",
    "StratumSummary",
]

"""The credits app's models, one module per part of the programme: the carbon project and its
parameters (project.py), monitoring periods and their frozen member figures (periods.py), the
registry of serial blocks, sales, retirements and events (registry.py), producer shares and
payments in soles (payments.py), the summaries of the current field data kept on write
(summaries.py). Imported in that order, the order the models are registered."""

from credits.models.project import MIN_PRODUCER_SHARE, SHARE_VALIDATORS, CarbonProject  # isort: skip
from credits.models.periods import MemberPeriodResult, MonitoringPeriod  # isort: skip
from credits.models.registry import (  # isort: skip
    EXCHANGE_RATE_MAX,
    EXCHANGE_RATE_MIN,
    MONEY,
    PEN,
    Buyer,
    CreditBlock,
    CreditEvent,
    Retirement,
    Sale,
    validate_exchange_rate,
)
from credits.models.payments import Payment, ProducerShare  # isort: skip
from credits.models.summaries import (  # isort: skip
    CohortSummary,
    MemberSummary,
    PlotSpeciesSummary,
    PlotYearSummary,
    ProjectedStamp,
    ProjectedStock,
    StratumSummary,
    YearEndSamples,
    YearEndStamp,
    YearEndStock,
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
    "ProjectedStamp",
    "ProjectedStock",
    "YearEndSamples",
    "YearEndStamp",
    "YearEndStock",
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

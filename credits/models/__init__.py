"""The credits app's models: the carbon project and its periods (project.py), the registry of
serial blocks, sales, retirements, events and payments (registry.py)."""

from credits.models.project import (
    MIN_PRODUCER_SHARE,
    SHARE_VALIDATORS,
    CarbonProject,
    MemberPeriodResult,
    MonitoringPeriod,
)
from credits.models.registry import (
    MONEY,
    Buyer,
    CreditBlock,
    CreditEvent,
    Payment,
    ProducerShare,
    Retirement,
    Sale,
)

__all__ = [
    "MIN_PRODUCER_SHARE",
    "MONEY",
    "SHARE_VALIDATORS",
    "Buyer",
    "CarbonProject",
    "CreditBlock",
    "CreditEvent",
    "MemberPeriodResult",
    "MonitoringPeriod",
    "Payment",
    "ProducerShare",
    "Retirement",
    "Sale",
]

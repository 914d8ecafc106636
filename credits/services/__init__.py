"""Every write of the carbon programme: one typed function per operation, all-or-nothing.

Each runs inside transaction.atomic() and first locks the project's row (`locking.lock_project`),
so two managers operating on the same project at once are serialized: the second one reads the
blocks as the first one left them and cannot oversell. Each writes CreditEvent rows (who, when,
what, how many, which block). Bad input raises django.core.exceptions.ValidationError with a
translated message, before anything is written. Views, admin actions, the API and the demo call
these through `credits.services`; nothing else writes.

One module per part of the programme: monitoring.py (open and close periods), issuance.py,
trades.py (sell, retire, cancel, and the plans their previews share), revenue.py (share a sale's
pool), payments.py (pay producers in soles).
"""

from credits.services.issuance import issue_credits
from credits.services.monitoring import check_new_period, close_period, open_period, plan_period
from credits.services.payments import pay_all_owed, record_payment
from credits.services.revenue import distribute_revenue
from credits.services.trades import (
    SalePlan,
    cancel_credits,
    plan_cancellation,
    plan_retirement,
    plan_sale,
    retire_credits,
    sell_credits,
    tradable_blocks,
)

__all__ = [
    "SalePlan",
    "cancel_credits",
    "check_new_period",
    "close_period",
    "distribute_revenue",
    "issue_credits",
    "open_period",
    "pay_all_owed",
    "plan_cancellation",
    "plan_period",
    "plan_retirement",
    "plan_sale",
    "record_payment",
    "retire_credits",
    "sell_credits",
    "tradable_blocks",
]

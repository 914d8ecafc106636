"""Selling, retiring and cancelling credits of a vintage, each split in a plan and its write.

A plan (`plan_sale`, `plan_retirement`, `plan_cancellation`) checks every rule of the operation and
picks the blocks it takes, writing nothing; the operation locks the project, makes the same plan
and carries it out. The preview pages call the plans, so a preview shows the blocks (serials) the
operation will take and refuses what the operation refuses.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credits.blocks import (
    Plan,
    cancellable_blocks,
    plan_take,
    retirable_blocks,
    take,
    tradable_blocks,
)
from credits.blocks import record_event as _event
from credits.models import MONEY, CreditBlock, CreditEvent, MonitoringPeriod, Retirement, Sale
from credits.services.locking import lock_project

Action = CreditEvent.Action
Status = CreditBlock.Status


def _positive_quantity(quantity) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise ValidationError({"quantity": _("Enter a whole number of credits, at least 1.")})
    return quantity


@dataclass(frozen=True)
class SalePlan:
    """What a sale takes (its blocks) and what it earns, to the cent, as it will be stored."""

    blocks: Plan
    unit_price: Decimal
    revenue: Decimal
    producers_pool: Decimal


def plan_sale(
    *, period: MonitoringPeriod, quantity: int, unit_price, sold_on, project=None
) -> SalePlan:
    """Check a sale of `quantity` credits of `period` and plan it (ValidationError otherwise).

    A sale is dated on or before today, and not before the end of the period it sells (its
    credits did not exist yet); its price is to the cent and not negative. The pool is taken at
    the producers' share of `project` (the row sell_credits locked; by default the period's)."""
    _positive_quantity(quantity)
    if sold_on > timezone.localdate():
        raise ValidationError({"sold_on": _("The sale date cannot be in the future.")})
    if sold_on < period.end_date:
        raise ValidationError(
            {
                "sold_on": _(
                    "The sale date is before the end of vintage %(vintage)s (%(end)s): "
                    "its credits did not exist yet."
                )
                % {"vintage": period.vintage, "end": period.end_date.isoformat()}
            }
        )
    unit_price = Decimal(unit_price)
    if unit_price < 0:
        raise ValidationError({"unit_price": _("The price cannot be negative.")})
    if unit_price != unit_price.quantize(MONEY):
        # The stored price is to the cent: revenue must be that price × quantity exactly.
        raise ValidationError({"unit_price": _("Enter the price per credit to the cent.")})
    blocks = plan_take(blocks=tradable_blocks(period), quantity=quantity)
    revenue = (unit_price * quantity).quantize(MONEY, ROUND_HALF_UP)
    share = (project or period.project).producer_revenue_share
    return SalePlan(
        blocks=blocks,
        unit_price=unit_price,
        revenue=revenue,
        # Rounded up to the cent so the pool is never below its share (Plan Vivo: ≥ 60 %).
        producers_pool=min((revenue * share).quantize(MONEY, ROUND_UP), revenue),
    )


@transaction.atomic
def sell_credits(
    *, period: MonitoringPeriod, buyer, quantity: int, unit_price: Decimal, sold_on, user=None
):
    """Sell credits of one vintage to a buyer, in the project's currency; splits blocks."""
    project = lock_project(period.project)
    plan = plan_sale(
        period=period, quantity=quantity, unit_price=unit_price, sold_on=sold_on, project=project
    )
    sale = Sale.objects.create(
        project=project,
        period=period,
        buyer=buyer,
        sold_on=sold_on,
        quantity=quantity,
        unit_price=plan.unit_price,
        currency=project.currency,
        revenue=plan.revenue,
        producer_revenue_share=project.producer_revenue_share,
        producers_pool=plan.producers_pool,
        recorded_by=user,
    )
    for block in take(plan.blocks, Status.SOLD, sale=sale):
        _event(project, Action.SELL, user, block=block, sale=sale, amount=None)
    return sale


def plan_retirement(
    *,
    period: MonitoringPeriod,
    quantity: int,
    beneficiary: str,
    reason: str,
    retired_on,
    sale=None,
) -> Plan:
    """Check a retirement of `quantity` credits (from `sale`'s credits or from stock) and plan
    it (ValidationError otherwise). It is dated on or before today, and not before its sale (or
    the period's end); it names a beneficiary and a reason; a sale must be of the same vintage."""
    _positive_quantity(quantity)
    if retired_on > timezone.localdate():
        raise ValidationError({"retired_on": _("The retirement date cannot be in the future.")})
    if sale is not None and retired_on < sale.sold_on:
        raise ValidationError(
            {
                "retired_on": _(
                    "The retirement date is before the sale it retires (sold on %(date)s)."
                )
                % {"date": sale.sold_on.isoformat()}
            }
        )
    if sale is None and retired_on < period.end_date:
        raise ValidationError(
            {
                "retired_on": _(
                    "The retirement date is before the end of vintage %(vintage)s (%(end)s)."
                )
                % {"vintage": period.vintage, "end": period.end_date.isoformat()}
            }
        )
    if not (beneficiary or "").strip():
        raise ValidationError({"beneficiary": _("Name the beneficiary of the retirement.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason of the retirement.")})
    return plan_take(blocks=retirable_blocks(period=period, sale=sale), quantity=quantity)


@transaction.atomic
def retire_credits(
    *,
    period: MonitoringPeriod,
    quantity: int,
    beneficiary: str,
    reason: str,
    retired_on,
    sale=None,
    user=None,
):
    """Retire credits for good on behalf of a beneficiary: from a sale's credits or from stock."""
    project = lock_project(period.project)
    plan = plan_retirement(
        period=period,
        quantity=quantity,
        beneficiary=beneficiary,
        reason=reason,
        retired_on=retired_on,
        sale=sale,
    )
    retirement = Retirement.objects.create(
        project=project,
        period=period,
        sale=sale,
        retired_on=retired_on,
        quantity=quantity,
        beneficiary=beneficiary.strip(),
        reason=reason.strip(),
        recorded_by=user,
    )
    for block in take(plan, Status.RETIRED, retirement=retirement):
        _event(project, Action.RETIRE, user, block=block, retirement=retirement, sale=sale)
    return retirement


def plan_cancellation(
    *, period: MonitoringPeriod, quantity: int, reason: str, buffer: bool = False
) -> Plan:
    """Check a cancellation of available credits of `period` (tradable or buffer) and plan it
    (ValidationError otherwise); it gives a reason."""
    _positive_quantity(quantity)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason of the cancellation.")})
    return plan_take(blocks=cancellable_blocks(period=period, buffer=buffer), quantity=quantity)


@transaction.atomic
def cancel_credits(
    *, period: MonitoringPeriod, quantity: int, reason: str, buffer: bool = False, user=None
) -> list[CreditBlock]:
    """Cancel available credits of a vintage (tradable or buffer), with the reason; final."""
    project = lock_project(period.project)
    plan = plan_cancellation(period=period, quantity=quantity, reason=reason, buffer=buffer)
    cancelled = take(plan, Status.CANCELLED, note=reason.strip()[:200])
    for block in cancelled:
        _event(project, Action.CANCEL, user, block=block, note=reason.strip()[:300])
    return cancelled

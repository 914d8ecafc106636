"""Every write of the carbon programme: one typed function per operation, all-or-nothing.

Each runs inside transaction.atomic() and first locks the project's row (select_for_update), so
two managers operating on the same project at once are serialized: the second one reads the blocks
as the first one left them and cannot oversell. Each writes CreditEvent rows (who, when, what,
how many, which block). Bad input raises django.core.exceptions.ValidationError with a translated
message, before anything is written. Views and admin actions call these; nothing else writes.
"""

import datetime
import math
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from credits import periods
from credits.blocks import (
    cancellable_blocks,
    plan_take,
    retirable_blocks,
    take,
    tradable_blocks,
    verra_serial,
)
from credits.blocks import record_event as _event
from credits.models import (
    MONEY,
    CarbonProject,
    CreditBlock,
    CreditEvent,
    MemberPeriodResult,
    MonitoringPeriod,
    ProducerShare,
    Retirement,
    Sale,
)

# Paying producers lives in credits/payments.py; callers keep using credits.services.
from credits.payments import pay_all_owed, record_payment  # noqa: F401
from credits.sharing import split_cents
from plantings import services as field_services
from plantings.models import Species

__all__ = [
    "cancel_credits",
    "close_period",
    "distribute_revenue",
    "issue_credits",
    "open_period",
    "pay_all_owed",
    "record_payment",
    "retire_credits",
    "sell_credits",
]
Action = CreditEvent.Action
Status = CreditBlock.Status


def _lock(project: CarbonProject) -> CarbonProject:
    return CarbonProject.objects.select_for_update().get(pk=project.pk)


def check_new_period(*, project: CarbonProject, start_date, end_date) -> None:
    """A new period must have ended already and must not overlap another period of the project."""
    if end_date > timezone.localdate():
        raise ValidationError(
            {"end_date": _("A period can only be opened once its end date has passed.")}
        )
    overlapping = project.periods.filter(start_date__lte=end_date, end_date__gte=start_date).first()
    if overlapping:
        raise ValidationError(
            {"start_date": _("The period overlaps %(other)s.") % {"other": overlapping}}
        )
    last = project.periods.order_by("-end_date").first()
    if last is not None:
        expected = last.end_date + datetime.timedelta(days=1)
        if start_date != expected:
            # Chained periods: a loss in a year no period covered would never be a reversal.
            raise ValidationError(
                {
                    "start_date": _(
                        "Periods are contiguous: this one must start on %(date)s, the day "
                        "after %(other)s ends."
                    )
                    % {"date": expected.isoformat(), "other": last}
                }
            )


def plan_period(
    *,
    project: CarbonProject,
    start_date,
    end_date,
    vintage: str,
    baseline_co2e_t: Decimal | None = None,
    leakage_co2e_t: Decimal | None = None,
) -> MonitoringPeriod:
    """The period open_period would save, checked by every rule (ValidationError otherwise):
    the model's (inside the crediting period, ends after it starts), contiguous, over, and not
    overlapping another. The preview page calls it too."""
    period = MonitoringPeriod(
        project=project,
        start_date=start_date,
        end_date=end_date,
        vintage=(vintage or "").strip(),
        baseline_co2e_t=(
            project.default_baseline_co2e_t if baseline_co2e_t is None else baseline_co2e_t
        ),
        leakage_co2e_t=project.default_leakage_co2e_t if leakage_co2e_t is None else leakage_co2e_t,
    )
    period.full_clean()
    check_new_period(project=project, start_date=start_date, end_date=end_date)
    return period


@transaction.atomic
def open_period(
    *,
    project: CarbonProject,
    start_date,
    end_date,
    vintage: str,
    baseline_co2e_t: Decimal | None = None,
    leakage_co2e_t: Decimal | None = None,
    user=None,
) -> MonitoringPeriod:
    """Open a monitoring period; baseline and leakage default to the project's values."""
    project = _lock(project)
    period = plan_period(
        project=project,
        start_date=start_date,
        end_date=end_date,
        vintage=vintage,
        baseline_co2e_t=baseline_co2e_t,
        leakage_co2e_t=leakage_co2e_t,
    )
    period.save()
    return period


@transaction.atomic
def close_period(*, period: MonitoringPeriod, user=None) -> MonitoringPeriod:
    """Compute and freeze a period's figures, per member and in total, with the parameters used.

    The period starts from the previous period's frozen end stock and issues within the
    cumulative cap (credits/periods.py). A negative net is a reversal: buffer credits are
    cancelled to cover it, oldest first. Field data up to the period's end is then locked, and
    the late-data entries recorded since the last closing are marked as accounted in this one.
    """
    project = _lock(period.project)
    period = MonitoringPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        raise ValidationError(_("This period is already closed."))
    previous = period.previous()
    if previous is not None and not previous.is_closed:
        raise ValidationError(_("Close %(other)s first.") % {"other": previous})
    figures = periods.compute(period)
    if figures.reversal_cancel_credits:
        pending = project.periods.filter(status=MonitoringPeriod.Status.CLOSED).exclude(
            blocks__isnull=False
        )
        pending = pending.filter(buffer_credits__gt=0).first()
        if pending is not None:
            raise ValidationError(
                _("Issue the credits of %(other)s first: a reversal is covered from issued buffer.")
                % {"other": pending}
            )
    for name in (
        "stock_start_co2e_t",
        "stock_end_co2e_t",
        "net_removals_co2e_t",
        "gross_removals_co2e_t",
        "cumulative_net_co2e_t",
        "uncovered_loss_co2e_t",
        "uncertainty_deduction_co2e_t",
        "unmeasured_co2e_t",
        "issuable_credits",
        "buffer_credits",
        "strata",
    ):
        setattr(period, name, getattr(figures, name))
    # The species' wood densities too: the figures can then be recomputed from what is frozen.
    densities = Species.objects.order_by("pk").values_list("pk", "wood_density_g_cm3")
    period.parameters = project.parameters() | {
        "wood_density_g_cm3": {str(pk): str(rho) for pk, rho in densities}
    }
    period.status = MonitoringPeriod.Status.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = user
    MemberPeriodResult.objects.bulk_create(
        MemberPeriodResult(
            period=period,
            member_id=m.member_id,
            trees_alive_end=m.trees_alive_end,
            stock_start_co2e_t=m.stock_start_co2e_t,
            stock_end_co2e_t=m.stock_end_co2e_t,
            deduction_co2e_t=m.deduction_co2e_t,
            net_co2e_t=m.net_co2e_t,
            credits_attributed=m.credits_attributed,
        )
        for m in figures.members
    )
    if figures.reversal_co2e_t > 0:
        _cover_reversal(project, period, figures, user)
    period.late_entries = field_services.account_late_data(through=period.end_date)
    field_services.lock_field_data(through=period.end_date, note=period.vintage)
    period.save()
    _event(project, Action.CLOSE, user, period=period, note=period.vintage)
    return period


def _cover_reversal(project, period, figures, user) -> None:
    reversal_co2e_t = figures.reversal_co2e_t
    wanted = math.ceil(reversal_co2e_t)
    buffer = project.blocks.filter(is_buffer=True, status=Status.AVAILABLE)
    available = sum(block.count for block in buffer)
    # The ledger's live buffer, unless buffer credits were cancelled by hand meanwhile.
    quantity = min(figures.reversal_cancel_credits, available)
    note = _("Reversal of %(t)s tCO2e in %(vintage)s") % {
        "t": reversal_co2e_t.quantize(Decimal("0.001")),
        "vintage": period.vintage,
    }
    if quantity < wanted:
        note += " " + _("(buffer short by %(n)s credits)") % {"n": wanted - quantity}
    if quantity:
        for block in take(plan_take(blocks=buffer, quantity=quantity), Status.CANCELLED):
            block.note = note[:200]
            block.save(update_fields=["note"])
            _event(project, Action.REVERSAL, user, block=block, note=note)
    short = figures.reversal_cancel_credits - quantity
    if short:  # what the buffer could not cover is carried forward too
        period.uncovered_loss_co2e_t += short
        period.issuable_credits = period.buffer_credits = 0
    period.reversal_co2e_t = reversal_co2e_t
    period.reversal_cancelled_credits = quantity


def _next_serial() -> int:
    return (CreditBlock.objects.aggregate(last=Max("serial_end"))["last"] or 0) + 1


def _check_free(start: int, end: int) -> None:
    # The database refuses overlaps on PostgreSQL; this keeps SQLite honest too.
    if CreditBlock.objects.filter(serial_start__lte=end, serial_end__gte=start).exists():
        raise ValidationError(_("Serials %(a)s–%(b)s are already taken.") % {"a": start, "b": end})


@transaction.atomic
def issue_credits(*, period: MonitoringPeriod, user=None) -> list[CreditBlock]:
    """Issue a closed period's credits: one tradable block and one buffer block of serials."""
    project = _lock(period.project)
    period = MonitoringPeriod.objects.get(pk=period.pk)
    if not period.is_closed:
        raise ValidationError(_("Close the period before issuing its credits."))
    if period.blocks.exists():
        raise ValidationError(_("The credits of this period were already issued."))
    if not (period.issuable_credits or period.buffer_credits):
        raise ValidationError(_("This period has no net removals: there is nothing to issue."))
    blocks = []
    start = _next_serial()
    for count, is_buffer, action in (
        (period.issuable_credits, False, Action.ISSUE),
        (period.buffer_credits, True, Action.BUFFER),
    ):
        if not count:
            continue
        end = start + count - 1
        _check_free(start, end)
        block = CreditBlock.objects.create(
            project=project,
            period=period,
            serial_start=start,
            serial_end=end,
            serial_number=verra_serial(
                project=project, period=period, serial_start=start, serial_end=end
            ),
            is_buffer=is_buffer,
        )
        _event(project, action, user, block=block)
        blocks.append(block)
        start += count
    return blocks


def _positive_quantity(quantity) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise ValidationError({"quantity": _("Enter a whole number of credits, at least 1.")})
    return quantity


@transaction.atomic
def sell_credits(
    *, period: MonitoringPeriod, buyer, quantity: int, unit_price: Decimal, sold_on, user=None
):
    """Sell credits of one vintage to a buyer, in the project's currency; splits blocks.

    A sale is dated on or before today, and not before the end of the period it sells (its
    credits did not exist yet)."""
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
    project = _lock(period.project)
    unit_price = Decimal(unit_price)
    if unit_price < 0:
        raise ValidationError({"unit_price": _("The price cannot be negative.")})
    if unit_price != unit_price.quantize(MONEY):
        # The stored price is to the cent: revenue must be that price × quantity exactly.
        raise ValidationError({"unit_price": _("Enter the price per credit to the cent.")})
    plan = plan_take(blocks=tradable_blocks(period), quantity=quantity)
    revenue = (unit_price * quantity).quantize(MONEY, ROUND_HALF_UP)
    sale = Sale.objects.create(
        project=project,
        period=period,
        buyer=buyer,
        sold_on=sold_on,
        quantity=quantity,
        unit_price=unit_price,
        currency=project.currency,
        revenue=revenue,
        producer_revenue_share=project.producer_revenue_share,
        # Rounded up to the cent so the pool is never below its share (Plan Vivo: ≥ 60 %).
        producers_pool=min(
            (revenue * project.producer_revenue_share).quantize(MONEY, ROUND_UP), revenue
        ),
        recorded_by=user,
    )
    for block in take(plan, Status.SOLD, sale=sale):
        _event(project, Action.SELL, user, block=block, sale=sale, amount=None)
    return sale


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
    """Retire credits for good on behalf of a beneficiary: from a sale's credits or from stock.

    A retirement is dated on or before today, and not before its sale (or the period's end)."""
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
    project = _lock(period.project)
    plan = plan_take(blocks=retirable_blocks(period=period, sale=sale), quantity=quantity)
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


@transaction.atomic
def cancel_credits(
    *, period: MonitoringPeriod, quantity: int, reason: str, buffer: bool = False, user=None
) -> list[CreditBlock]:
    """Cancel available credits of a vintage (tradable or buffer), with the reason; final."""
    _positive_quantity(quantity)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason of the cancellation.")})
    project = _lock(period.project)
    plan = plan_take(blocks=cancellable_blocks(period=period, buffer=buffer), quantity=quantity)
    cancelled = take(plan, Status.CANCELLED, note=reason.strip()[:200])
    for block in cancelled:
        _event(project, Action.CANCEL, user, block=block, note=reason.strip()[:300])
    return cancelled


@transaction.atomic
def distribute_revenue(*, sale, user=None) -> list:
    """Split a sale's producers' pool between members, in proportion to their verified net tCO2e
    in the sale's vintage, in cents that add up exactly to the pool (largest remainder)."""
    _lock(sale.project)
    sale = Sale.objects.select_for_update().get(pk=sale.pk)
    if sale.distributed_at is not None:
        raise ValidationError(_("The revenue of this sale was already distributed."))
    basis = dict(
        sale.period.member_results.filter(net_co2e_t__gt=0).values_list("member_id", "net_co2e_t")
    )
    try:
        amounts = split_cents(sale.producers_pool, basis)
    except ValueError:
        raise ValidationError(
            _("No member has verified net removals in vintage %(vintage)s.")
            % {"vintage": sale.period.vintage}
        ) from None
    shares = ProducerShare.objects.bulk_create(
        ProducerShare(sale=sale, member_id=member_id, basis_co2e_t=basis[member_id], amount=amount)
        for member_id, amount in sorted(amounts.items())
    )
    sale.distributed_at = timezone.now()
    sale.save(update_fields=["distributed_at"])
    _event(sale.project, Action.DISTRIBUTE, user, sale=sale, amount=sale.producers_pool)
    return shares

"""Opening and closing monitoring periods: the chain of periods, the figures frozen at closing."""

import datetime
import math
from dataclasses import asdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credits import periods
from credits.blocks import plan_take, take
from credits.blocks import record_event as _event
from credits.models import (
    CarbonProject,
    CreditBlock,
    CreditEvent,
    MemberPeriodResult,
    MonitoringPeriod,
)
from credits.services.locking import lock_project
from plantings import services as field_services
from plantings.models import Species

Action = CreditEvent.Action
Status = CreditBlock.Status


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
    project = lock_project(project)
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
    project = lock_project(period.project)
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
        # A member's figures are the fields of their result row, name for name.
        MemberPeriodResult(period=period, **asdict(member_figures))
        for member_figures in figures.members
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

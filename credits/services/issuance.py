"""Issuing a closed period's credits as serial blocks: one tradable, one buffer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from credits.blocks import record_event as _event
from credits.blocks import verra_serial
from credits.models import CreditBlock, CreditEvent, MonitoringPeriod
from credits.services.locking import lock_project

Action = CreditEvent.Action


def _next_serial() -> int:
    return (CreditBlock.objects.aggregate(last=Max("serial_end"))["last"] or 0) + 1


def _check_free(start: int, end: int) -> None:
    # The database refuses overlaps on PostgreSQL; this keeps SQLite honest too.
    if CreditBlock.objects.filter(serial_start__lte=end, serial_end__gte=start).exists():
        raise ValidationError(_("Serials %(a)s–%(b)s are already taken.") % {"a": start, "b": end})


@transaction.atomic
def issue_credits(*, period: MonitoringPeriod, user=None) -> list[CreditBlock]:
    """Issue a closed period's credits: one tradable block and one buffer block of serials."""
    project = lock_project(period.project)
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

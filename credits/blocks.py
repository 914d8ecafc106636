"""Reading and moving serial blocks: plans (used for previews and by the services), serials, events.

Serials follow Verra's VCU layout, e.g.
`9660-115597313-115618057-VCS-VCU-261-VER-US-14-1060-01012019-31122019-0`: issuance batch, first
and last serial, program, unit type, registry code, VER, country, sectoral scope, project ID,
vintage start and end (ddmmyyyy), CCB flag. The string is written once at issuance
(`verra_serial`) and only its range fields change when a block is split (`with_range`): editing
the project record later never rewrites a serial. Buffer credits are marked by
`CreditBlock.is_buffer`, not inside the serial.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from credits.models import CreditBlock, CreditEvent


@dataclass(frozen=True)
class Plan:
    """Which blocks an operation takes, in serial order, and how many credits from each."""

    steps: list[tuple[CreditBlock, int]]
    quantity: int
    available: int

    @property
    def remaining(self) -> int:
        return self.available - self.quantity

    @property
    def split_block(self) -> CreditBlock | None:
        """The block cut in two, if the quantity ends inside a block."""
        if self.steps and self.steps[-1][1] < self.steps[-1][0].count:
            return self.steps[-1][0]
        return None

    @property
    def first_serial(self) -> int | None:
        return self.steps[0][0].serial_start if self.steps else None


def tradable_blocks(period):
    """The vintage's credits for sale: its available blocks outside the buffer."""
    return period.blocks.filter(is_buffer=False, status=CreditBlock.Status.AVAILABLE)


def retirable_blocks(*, period, sale=None):
    """What a retirement takes from: the credits sold in `sale`, or else the tradable stock."""
    if sale is None:
        return tradable_blocks(period)
    if sale.period_id != period.pk:
        raise ValidationError({"sale": _("This sale is of another vintage.")})
    return period.blocks.filter(sale=sale, status=CreditBlock.Status.SOLD)


def cancellable_blocks(*, period, buffer: bool):
    """What a cancellation takes from: the available blocks of the buffer, or outside it."""
    return period.blocks.filter(is_buffer=buffer, status=CreditBlock.Status.AVAILABLE)


def verra_serial(*, project, period, serial_start: int, serial_end: int) -> str:
    """The serial string of a block issued now for a period (batch = the period's issuance)."""
    return "-".join(
        [
            str(period.pk),
            str(serial_start),
            str(serial_end),
            "VCS",
            "VCU",
            project.registry_code,
            "VER",
            project.country_code,
            str(project.sectoral_scope),
            project.registry_project_id,
            period.start_date.strftime("%d%m%Y"),
            period.end_date.strftime("%d%m%Y"),
            "1" if project.ccb_certified else "0",
        ]
    )


def with_range(serial: str, serial_start: int, serial_end: int) -> str:
    """A stored serial with its first and last numbers replaced (the other fields kept)."""
    fields = serial.split("-")
    fields[1], fields[2] = str(serial_start), str(serial_end)
    return "-".join(fields)


def plan_take(*, blocks, quantity: int) -> Plan:
    """Plan to take `quantity` credits from `blocks` (a queryset), lowest serials first.

    Raises ValidationError naming how many are available when there are not enough.
    """
    rows = list(blocks.order_by("serial_start").select_related("project", "period"))
    available = sum(block.count for block in rows)
    if quantity > available:
        raise ValidationError(
            {
                "quantity": _(
                    "Only %(available)s credits are available; %(quantity)s were asked for."
                )
                % {"available": available, "quantity": quantity}
            }
        )
    steps, need = [], quantity
    for block in rows:
        if need == 0:
            break
        count = min(need, block.count)
        steps.append((block, count))
        need -= count
    return Plan(steps=steps, quantity=quantity, available=available)


def take(plan: Plan, status: str, **fields) -> list[CreditBlock]:
    """Carry out a plan: split its last block if needed, move the taken blocks to `status`.

    The remainder keeps the block's row (its first serial moves up) and the taken part becomes a
    new row, so at every moment the rows partition the serials.
    """
    taken = []
    for block, count in plan.steps:
        if count < block.count:
            first = block.serial_start
            block.serial_start = first + count
            stored = block.serial_number
            block.serial_number = with_range(stored, block.serial_start, block.serial_end)
            block.save(update_fields=["serial_start", "serial_number"])
            block = CreditBlock(
                project_id=block.project_id,
                period_id=block.period_id,
                serial_start=first,
                serial_end=first + count - 1,
                serial_number=with_range(stored, first, first + count - 1),
                is_buffer=block.is_buffer,
                sale_id=block.sale_id,
            )
        block.status = status
        for name, value in fields.items():
            setattr(block, name, value)
        block.save()
        taken.append(block)
    return taken


def record_event(project, action, user, *, block=None, quantity=0, **fields) -> CreditEvent:
    if block is not None:
        fields.update(
            serial_start=block.serial_start,
            serial_end=block.serial_end,
            is_buffer=block.is_buffer,
            period=block.period,
        )
        quantity = quantity or block.count
    return CreditEvent.objects.create(
        project=project, action=action, user=user, block=block, quantity=quantity, **fields
    )

"""Reading and moving serial blocks: plans (used for previews and by the services) and events."""

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
            block.save(update_fields=["serial_start"])
            block = CreditBlock(
                project_id=block.project_id,
                period_id=block.period_id,
                serial_start=first,
                serial_end=first + count - 1,
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

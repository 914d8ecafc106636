"""Paying producers their shares of sales, in soles: one payment, or a payday for many.

Sales are priced in the project's currency (USD, EUR); producers are paid in soles, so every
payment records the day's exchange rate and the amount in soles beside the original amount.
Each runs inside transaction.atomic(), the project's row locked; callers use credits.services.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from credits.blocks import record_event as _event
from credits.models import (
    PEN,
    CarbonProject,
    CreditEvent,
    Payment,
    ProducerShare,
    validate_exchange_rate,
)
from credits.services.locking import lock_project
from members.models import Member

Action = CreditEvent.Action


def _check_payment(*, method: str, paid_on, currency: str, exchange_rate_pen) -> Decimal:
    """Checks what every payment needs; returns the rate in soles (1 for a sale in soles)."""
    if method not in Payment.Method.values:
        raise ValidationError({"method": _("Choose a payment method from the list.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    if currency == PEN:
        return Decimal("1")
    if exchange_rate_pen is None:
        raise ValidationError(
            {
                "exchange_rate_pen": _(
                    "Enter the exchange rate: the sale is in %(currency)s and producers are "
                    "paid in soles."
                )
                % {"currency": currency}
            }
        )
    rate = Decimal(exchange_rate_pen)
    try:
        validate_exchange_rate(rate)
    except ValidationError as error:
        raise ValidationError({"exchange_rate_pen": error.messages}) from None
    return rate


def _check_paid_after_sales(shares, paid_on) -> None:
    """A payment pays sales already made: refuse one dated before any sale it pays."""
    later = [share.sale for share in shares if share.sale.sold_on > paid_on]
    if later:
        sale = min(later, key=lambda sale: sale.sold_on)
        raise ValidationError(
            {
                "paid_on": _(
                    "The payment date is before sale %(sale)s (sold on %(date)s) that it pays."
                )
                % {"sale": sale.pk, "date": sale.sold_on.isoformat()}
            }
        )


def soles(amount: Decimal, rate: Decimal) -> Decimal:
    """An amount of the sale currency in soles, to the cent."""
    return (amount * rate).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class _Terms:
    """What every payment of one call shares: the locked project, the day's rate, when and how
    it is paid and who records it. Made by `start`, inside the caller's transaction."""

    project: CarbonProject
    rate: Decimal
    paid_on: datetime.date
    method: str
    reference: str
    user: object

    @classmethod
    def start(cls, *, paid_on, method: str, reference: str, exchange_rate_pen, user) -> "_Terms":
        """Lock the project and check the terms (ValidationError before anything is written)."""
        project = lock_project(CarbonProject.current())
        rate = _check_payment(
            method=method,
            paid_on=paid_on,
            currency=project.currency,
            exchange_rate_pen=exchange_rate_pen,
        )
        return cls(project, rate, paid_on, method, (reference or "").strip(), user)

    def unpaid_shares(self):
        """The shares still owed (a positive amount, no payment), locked until the end."""
        return (
            ProducerShare.objects.select_for_update()
            .select_related("sale")
            .filter(payment__isnull=True, amount__gt=0)
        )

    def payment(self, member_id: int, amount: Decimal) -> Payment:
        """The (unsaved) payment of `amount` to a member, with its amount in soles."""
        return Payment(
            member_id=member_id,
            amount=amount,
            currency=self.project.currency,
            exchange_rate_pen=self.rate,
            amount_pen=soles(amount, self.rate),
            paid_on=self.paid_on,
            method=self.method,
            reference=self.reference,
            recorded_by=self.user,
        )


@transaction.atomic
def record_payment(
    *,
    member,
    paid_on,
    method: str,
    reference: str = "",
    sale=None,
    exchange_rate_pen: Decimal | None = None,
    user=None,
):
    """Pay a member everything owed to them (on one sale, or on all sales), as one payment,
    in soles at `exchange_rate_pen` (soles per unit of the sale currency; not asked in soles)."""
    terms = _Terms.start(
        paid_on=paid_on,
        method=method,
        reference=reference,
        exchange_rate_pen=exchange_rate_pen,
        user=user,
    )
    shares = terms.unpaid_shares().filter(member=member)
    if sale is not None:
        shares = shares.filter(sale=sale)
    shares = list(shares)
    amount = sum((share.amount for share in shares), Decimal("0"))
    if not amount:
        raise ValidationError(_("Nothing is owed to %(member)s.") % {"member": member})
    _check_paid_after_sales(shares, paid_on)
    payment = terms.payment(member.pk, amount)
    payment.member = member  # the caller reads it (the success message names the member)
    payment.save(force_insert=True)
    ProducerShare.objects.filter(pk__in=[share.pk for share in shares]).update(payment=payment)
    _event(terms.project, Action.PAY, user, sale=sale, amount=amount, note=f"{member.code}")
    return payment


@transaction.atomic
def pay_all_owed(
    *,
    paid_on,
    method: str,
    reference: str = "",
    members=None,
    exchange_rate_pen: Decimal | None = None,
    user=None,
) -> list[Payment]:
    """Payday: pay each member owed money (all of them, or those of `members`) everything owed
    to them, one payment per member, exactly as record_payment would one by one, all at the
    payday's exchange rate; in a few queries, since a payday pays some 1,500 producers."""
    terms = _Terms.start(
        paid_on=paid_on,
        method=method,
        reference=reference,
        exchange_rate_pen=exchange_rate_pen,
        user=user,
    )
    shares = terms.unpaid_shares()
    if members is not None:
        shares = shares.filter(member__in=members)
    owed: dict[int, list[ProducerShare]] = {}
    for share in shares.order_by("member_id", "pk"):
        owed.setdefault(share.member_id, []).append(share)
    if not owed:
        raise ValidationError(_("Nothing is owed to any member."))
    _check_paid_after_sales([share for rows in owed.values() for share in rows], paid_on)
    payments = bulk_create_with_history(
        [
            terms.payment(member_id, sum((share.amount for share in rows), Decimal("0")))
            for member_id, rows in owed.items()
        ],
        Payment,
        default_user=user,
    )
    paid_shares = []
    for payment in payments:
        for share in owed[payment.member_id]:
            share.payment = payment
            paid_shares.append(share)
    ProducerShare.objects.bulk_update(paid_shares, ["payment"], batch_size=500)
    codes = dict(Member.objects.filter(pk__in=owed).values_list("pk", "code"))
    CreditEvent.objects.bulk_create(
        CreditEvent(
            project=terms.project,
            action=Action.PAY,
            user=user,
            amount=payment.amount,
            note=codes[payment.member_id],
        )
        for payment in payments
    )
    return payments

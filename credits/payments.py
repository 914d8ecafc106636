"""Paying producers what their shares of sales owe them (re-exported by credits.services)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from credits.blocks import record_event as _event
from credits.models import CarbonProject, CreditEvent, Payment, ProducerShare
from members.models import Member

Action = CreditEvent.Action


def _lock(project: CarbonProject) -> CarbonProject:
    return CarbonProject.objects.select_for_update().get(pk=project.pk)


def _check_payment(*, method: str, paid_on) -> None:
    if method not in Payment.Method.values:
        raise ValidationError({"method": _("Choose a payment method from the list.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})


@transaction.atomic
def record_payment(*, member, paid_on, method: str, reference: str = "", sale=None, user=None):
    """Pay a member everything owed to them (on one sale, or on all sales), as one payment."""
    _check_payment(method=method, paid_on=paid_on)
    project = _lock(CarbonProject.current())
    shares = ProducerShare.objects.select_for_update().filter(
        member=member, payment__isnull=True, amount__gt=0
    )
    if sale is not None:
        shares = shares.filter(sale=sale)
    shares = list(shares)
    amount = sum((share.amount for share in shares), Decimal("0"))
    if not amount:
        raise ValidationError(_("Nothing is owed to %(member)s.") % {"member": member})
    payment = Payment.objects.create(
        member=member,
        amount=amount,
        currency=project.currency,
        paid_on=paid_on,
        method=method,
        reference=(reference or "").strip(),
        recorded_by=user,
    )
    ProducerShare.objects.filter(pk__in=[share.pk for share in shares]).update(payment=payment)
    _event(project, Action.PAY, user, sale=sale, amount=amount, note=f"{member.code}")
    return payment


@transaction.atomic
def pay_all_owed(
    *, paid_on, method: str, reference: str = "", members=None, user=None
) -> list[Payment]:
    """Payday: pay each member owed money (all of them, or those of `members`) everything owed
    to them, one payment per member, exactly as record_payment would one by one; in a few
    queries, since a payday pays some 1,500 producers."""
    _check_payment(method=method, paid_on=paid_on)
    project = _lock(CarbonProject.current())
    shares = ProducerShare.objects.select_for_update().filter(payment__isnull=True, amount__gt=0)
    if members is not None:
        shares = shares.filter(member__in=members)
    owed: dict[int, list[ProducerShare]] = {}
    for share in shares.order_by("member_id", "pk"):
        owed.setdefault(share.member_id, []).append(share)
    if not owed:
        raise ValidationError(_("Nothing is owed to any member."))
    reference = (reference or "").strip()
    payments = bulk_create_with_history(
        [
            Payment(
                member_id=member_id,
                amount=sum((share.amount for share in member_shares), Decimal("0")),
                currency=project.currency,
                paid_on=paid_on,
                method=method,
                reference=reference,
                recorded_by=user,
            )
            for member_id, member_shares in owed.items()
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
            project=project,
            action=Action.PAY,
            user=user,
            amount=payment.amount,
            note=codes[payment.member_id],
        )
        for payment in payments
    )
    return payments

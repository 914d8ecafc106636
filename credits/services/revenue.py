"""Sharing a sale's producers' pool between the members who made its credits."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credits.blocks import record_event as _event
from credits.models import CreditEvent, ProducerShare, Sale
from credits.services.locking import lock_project
from credits.sharing import split_cents

Action = CreditEvent.Action


@transaction.atomic
def distribute_revenue(*, sale, user=None) -> list:
    """Split a sale's producers' pool between members, in proportion to their verified net tCO2e
    in the sale's vintage, in cents that add up exactly to the pool (largest remainder)."""
    lock_project(sale.project)
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

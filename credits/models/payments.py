"""Paying producers: their shares of each sale's pool and the payments made against them.

Sales are priced in the project's currency; producers are paid in soles, so a payment keeps the
day's exchange rate and the amount in soles beside the original amount.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.changes import TrackedQuerySet
from core.models import recorded_by_field
from credits.models.registry import PEN, validate_exchange_rate


class Payment(models.Model):
    """Money paid to a member against their producer shares."""

    class Method(models.TextChoices):
        CASH = "cash", _("cash")
        BANK = "bank", _("bank transfer")
        MOBILE = "mobile", _("mobile wallet")
        OTHER = "other", _("other")

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="credit_payments",
        verbose_name=_("member"),
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    # Producers are paid in soles; the sale currency (USD, EUR) is converted at the day's rate.
    exchange_rate_pen = models.DecimalField(
        _("exchange rate (S/ per unit)"),
        max_digits=9,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[validate_exchange_rate],
        help_text=_("Soles paid per unit of the sale currency on the day of payment."),
    )
    amount_pen = models.DecimalField(
        _("amount in soles (S/)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField(_("paid on"), db_index=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = recorded_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            # Payments recorded before rates were kept have neither; every new one has both.
            models.CheckConstraint(
                condition=Q(exchange_rate_pen__isnull=True, amount_pen__isnull=True)
                | Q(
                    exchange_rate_pen__isnull=False,
                    amount_pen__isnull=False,
                    exchange_rate_pen__gt=0,
                    amount_pen__gt=0,
                ),
                name="payment_rate_and_soles_together",
            ),
            models.CheckConstraint(
                condition=~Q(currency=PEN)
                | Q(exchange_rate_pen__isnull=True)
                | Q(exchange_rate_pen=1),
                name="payment_soles_rate_is_one",
            ),
        ]

    def __str__(self):
        return f"{self.amount} {self.currency} – {self.paid_on}"

    def clean(self):
        if self.currency and self.currency != PEN and self.exchange_rate_pen is None:
            raise ValidationError(
                {
                    "exchange_rate_pen": _(
                        "Enter the exchange rate: the sale is in %(currency)s and producers "
                        "are paid in soles."
                    )
                    % {"currency": self.currency}
                }
            )


class ProducerShare(models.Model):
    """A member's share of one sale's producers' pool, in proportion to verified net tCO2e."""

    sale = models.ForeignKey(
        "credits.Sale", on_delete=models.PROTECT, related_name="shares", verbose_name=_("sale")
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="producer_shares",
        verbose_name=_("member"),
    )
    basis_co2e_t = models.DecimalField(
        _("net removals basis (tCO2e)"), max_digits=14, decimal_places=6
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shares",
        verbose_name=_("payment"),
    )

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["sale", "member"]
        verbose_name = _("producer share")
        verbose_name_plural = _("producer shares")
        constraints = [
            models.UniqueConstraint(fields=["sale", "member"], name="share_once_per_member"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="share_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.amount}"

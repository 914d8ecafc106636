"""The credit registry: serial blocks, buyers, sales, retirements and their events.

Blocks partition the issued serial numbers: a split shrinks a block and creates the taken part as a
new block, so at every moment no two rows overlap and the counts add up. Every write goes through
credits/services/; these models hold the rules the database itself can check. Payments and
producer shares are in payments.py.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.changes import TrackedQuerySet
from core.models import recorded_by_field

MONEY = Decimal("0.01")
# Payments (payments.py) use these; migration 0005 names the validator by this module's path.
PEN = "PEN"
# Soles per unit of a sale currency: USD and EUR trade near S/ 3.5-4.5; outside these bounds the
# figure was mistyped (inverted, or a missing decimal mark), never a real rate.
EXCHANGE_RATE_MIN = Decimal("0.01")
EXCHANGE_RATE_MAX = Decimal("100")


def validate_exchange_rate(value) -> None:
    """An exchange rate in soles per unit of the payment's currency, within plausible bounds."""
    if value is None:
        return
    if not EXCHANGE_RATE_MIN <= value <= EXCHANGE_RATE_MAX:
        raise ValidationError(
            _("Enter the soles paid per unit of the sale currency, between %(min)s and %(max)s.")
            % {"min": EXCHANGE_RATE_MIN, "max": EXCHANGE_RATE_MAX},
            code="exchange_rate_bounds",
        )


def vintage_period_field(*, related_name: str) -> models.ForeignKey:
    """The monitoring period whose vintage the credits of a block, sale or retirement are."""
    return models.ForeignKey(
        "credits.MonitoringPeriod",
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=_("vintage period"),
    )


class BlockStatus(models.TextChoices):
    """The state of a credit block (CreditBlock.Status); at module level for its constraints."""

    AVAILABLE = "available", _("available")
    SOLD = "sold", _("sold")
    RETIRED = "retired", _("retired")
    CANCELLED = "cancelled", _("cancelled")


class CreditBlock(models.Model):
    """A contiguous range of credit serial numbers (1 credit = 1 tCO2e) in one state."""

    Status = BlockStatus

    project = models.ForeignKey(
        "credits.CarbonProject",
        on_delete=models.PROTECT,
        related_name="blocks",
        verbose_name=_("project"),
    )
    period = vintage_period_field(related_name="blocks")
    serial_start = models.PositiveBigIntegerField(_("first serial"), unique=True)
    serial_end = models.PositiveBigIntegerField(_("last serial"), unique=True)
    is_buffer = models.BooleanField(_("buffer credits"), default=False)
    # Written at issuance and on every split by credits.blocks, never rebuilt from the project.
    serial_number = models.CharField(_("serial"), max_length=160)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.AVAILABLE,
        db_index=True,
    )
    sale = models.ForeignKey(
        "credits.Sale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blocks",
        verbose_name=_("sale"),
    )
    retirement = models.ForeignKey(
        "credits.Retirement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blocks",
        verbose_name=_("retirement"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["serial_start"]
        verbose_name = _("credit block")
        verbose_name_plural = _("credit blocks")
        constraints = [
            models.CheckConstraint(
                condition=Q(serial_start__gte=1) & Q(serial_end__gte=F("serial_start")),
                name="block_range_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status=BlockStatus.SOLD) | Q(sale__isnull=False),
                name="block_sold_has_sale",
            ),
            models.CheckConstraint(
                condition=~Q(status=BlockStatus.RETIRED) | Q(retirement__isnull=False),
                name="block_retired_has_retirement",
            ),
            models.CheckConstraint(
                condition=Q(is_buffer=False) | Q(sale__isnull=True, retirement__isnull=True),
                name="block_buffer_never_sold_or_retired",
            ),
        ]

    def __str__(self):
        return self.serial

    @property
    def count(self) -> int:
        return self.serial_end - self.serial_start + 1

    @property
    def serial(self) -> str:
        """The Verra-layout serial stored at issuance (see credits.blocks.verra_serial)."""
        return self.serial_number


class Buyer(models.Model):
    """A buyer of credits: company or person, with a country and a contact."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    country = models.CharField(_("country"), max_length=60)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")

    def __str__(self):
        return self.name


class Sale(models.Model):
    """A sale (transfer) of credits of one vintage to a buyer, at a unit price."""

    project = models.ForeignKey(
        "credits.CarbonProject", on_delete=models.PROTECT, related_name="sales"
    )
    period = vintage_period_field(related_name="sales")
    buyer = models.ForeignKey(
        Buyer, on_delete=models.PROTECT, related_name="sales", verbose_name=_("buyer")
    )
    sold_on = models.DateField(_("sold on"), db_index=True)
    quantity = models.PositiveIntegerField(_("credits"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("price per credit"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3)
    revenue = models.DecimalField(_("revenue"), max_digits=14, decimal_places=2)
    producer_revenue_share = models.DecimalField(
        _("producer revenue share"), max_digits=4, decimal_places=3
    )
    producers_pool = models.DecimalField(_("producers' pool"), max_digits=14, decimal_places=2)
    distributed_at = models.DateTimeField(_("distributed at"), null=True, blank=True)
    recorded_by = recorded_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["-sold_on", "-pk"]
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sale_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="sale_price_not_negative"),
            models.CheckConstraint(
                condition=Q(producers_pool__lte=F("revenue")) & Q(producers_pool__gte=0),
                name="sale_pool_within_revenue",
            ),
        ]

    def __str__(self):
        return _("Sale %(id)s: %(quantity)s credits to %(buyer)s") % {
            "id": self.pk,
            "quantity": self.quantity,
            "buyer": self.buyer,
        }


class Retirement(models.Model):
    """Credits retired for good on behalf of a named beneficiary; final."""

    project = models.ForeignKey(
        "credits.CarbonProject", on_delete=models.PROTECT, related_name="retirements"
    )
    period = vintage_period_field(related_name="retirements")
    sale = models.ForeignKey(
        Sale,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retirements",
        verbose_name=_("from sale"),
    )
    retired_on = models.DateField(_("retired on"), db_index=True)
    quantity = models.PositiveIntegerField(_("credits"), validators=[MinValueValidator(1)])
    beneficiary = models.CharField(_("beneficiary"), max_length=200)
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = recorded_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["-retired_on", "-pk"]
        verbose_name = _("retirement")
        verbose_name_plural = _("retirements")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="retirement_quantity_positive"
            ),
        ]

    def __str__(self):
        return _("%(quantity)s credits retired for %(beneficiary)s") % {
            "quantity": self.quantity,
            "beneficiary": self.beneficiary,
        }


class CreditEvent(models.Model):
    """One registry operation on one block: who, when, what, how many (healthchecks' `Flip`)."""

    class Action(models.TextChoices):
        ISSUE = "issue", _("issued")
        BUFFER = "buffer", _("buffer issued")
        SELL = "sell", _("sold")
        RETIRE = "retire", _("retired")
        CANCEL = "cancel", _("cancelled")
        REVERSAL = "reversal", _("reversal covered")
        CLOSE = "close", _("period closed")
        DISTRIBUTE = "distribute", _("revenue distributed")
        PAY = "pay", _("producer paid")

    project = models.ForeignKey(
        "credits.CarbonProject", on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices, db_index=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    quantity = models.PositiveIntegerField(_("credits"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True)
    period = models.ForeignKey(
        "credits.MonitoringPeriod", on_delete=models.PROTECT, null=True, related_name="+"
    )
    block = models.ForeignKey(
        CreditBlock, on_delete=models.PROTECT, null=True, related_name="events"
    )
    serial_start = models.PositiveBigIntegerField(null=True)
    serial_end = models.PositiveBigIntegerField(null=True)
    is_buffer = models.BooleanField(default=False)
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, null=True, related_name="events")
    retirement = models.ForeignKey(
        Retirement, on_delete=models.PROTECT, null=True, related_name="events"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("credit event")
        verbose_name_plural = _("credit events")

    def __str__(self):
        return f"{self.get_action_display()} {self.quantity}"

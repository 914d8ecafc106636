"""Monitoring periods and the per-member figures frozen when a period closes."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.changes import TrackedQuerySet
from credits.models.project import CarbonProject


class PeriodStatus(models.TextChoices):
    """Whether a period is open or closed (MonitoringPeriod.Status); at module level for its
    constraints."""

    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class MonitoringPeriod(models.Model):
    """A monitoring (verification) period: verified stock at its start and end gives its credits.

    While open, its figures are computed on demand; closing stores them with the parameter values
    used, so later changes to parameters or field data do not rewrite history.
    """

    Status = PeriodStatus

    project = models.ForeignKey(
        CarbonProject, on_delete=models.PROTECT, related_name="periods", verbose_name=_("project")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    vintage = models.CharField(
        _("vintage"), max_length=20, help_text=_("Label of the credits' vintage, e.g. 2019.")
    )
    baseline_co2e_t = models.DecimalField(
        _("baseline (tCO2e)"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0"))],
    )
    leakage_co2e_t = models.DecimalField(
        _("leakage (tCO2e)"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Frozen at closing.
    stock_start_co2e_t = models.DecimalField(
        _("verified stock at start (tCO2e)"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    stock_end_co2e_t = models.DecimalField(
        _("verified stock at end (tCO2e)"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    net_removals_co2e_t = models.DecimalField(
        _("net removals (tCO2e)"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    issuable_credits = models.PositiveIntegerField(_("issuable credits"), null=True, blank=True)
    buffer_credits = models.PositiveIntegerField(_("buffer credits"), null=True, blank=True)
    reversal_co2e_t = models.DecimalField(
        _("reversal (tCO2e)"),
        max_digits=14,
        decimal_places=6,
        default=Decimal("0"),
        help_text=_("Fall in stock after credits were issued, covered by cancelling buffer."),
    )
    reversal_cancelled_credits = models.PositiveIntegerField(
        _("buffer credits cancelled for the reversal"), default=0
    )
    gross_removals_co2e_t = models.DecimalField(
        _("removals before leakage (tCO2e)"),
        max_digits=14,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Change in stock less baseline: the buffer is taken on it."),
    )
    cumulative_net_co2e_t = models.DecimalField(
        _("cumulative net removals (tCO2e)"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    uncovered_loss_co2e_t = models.DecimalField(
        _("loss carried forward (tCO2e)"),
        max_digits=14,
        decimal_places=6,
        default=Decimal("0"),
        help_text=_("Credits not backed by cumulative net removals: blocks issuance."),
    )
    uncertainty_deduction_co2e_t = models.DecimalField(
        _("sampling-error deduction at end (tCO2e)"),
        max_digits=14,
        decimal_places=6,
        default=Decimal("0"),
    )
    unmeasured_co2e_t = models.DecimalField(
        _("unmeasured stock at end, not issued (tCO2e)"),
        max_digits=14,
        decimal_places=6,
        default=Decimal("0"),
    )
    strata = models.JSONField(_("strata at end"), default=list, blank=True)
    late_entries = models.PositiveIntegerField(_("late data entries accounted"), default=0)
    parameters = models.JSONField(_("parameters used"), default=dict, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("monitoring period")
        verbose_name_plural = _("monitoring periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="period_end_after_start"
            ),
            models.UniqueConstraint(fields=["project", "vintage"], name="period_vintage_unique"),
            models.CheckConstraint(
                condition=Q(status=PeriodStatus.OPEN) | Q(net_removals_co2e_t__isnull=False),
                name="period_closed_has_figures",
            ),
        ]

    def __str__(self):
        return _("Period %(vintage)s (%(start)s – %(end)s)") % {
            "vintage": self.vintage,
            "start": self.start_date.isoformat(),
            "end": self.end_date.isoformat(),
        }

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The period must end after it starts.")})
        project = self.project if self.project_id else None
        if project is None or not (self.start_date and self.end_date):
            return
        # A period outside the project's crediting period would issue credits it cannot hold.
        window = {"start": project.crediting_start, "end": project.crediting_end}
        outside = _(
            "The period must lie within the project's crediting period (%(start)s – %(end)s)."
        )
        errors = {}
        if self.start_date < project.crediting_start:
            errors["start_date"] = outside % window
        if self.end_date > project.crediting_end:
            errors["end_date"] = outside % window
        if errors:
            raise ValidationError(errors)

    def previous(self) -> "MonitoringPeriod | None":
        """The period this one is chained to (the project's last one ending before it)."""
        return (
            MonitoringPeriod.objects.filter(
                project_id=self.project_id, end_date__lt=self.start_date
            )
            .order_by("-end_date")
            .first()
        )


class MemberPeriodResult(models.Model):
    """One member's frozen figures in a closed period: the basis of their credits and revenue."""

    period = models.ForeignKey(
        MonitoringPeriod,
        on_delete=models.CASCADE,
        related_name="member_results",
        verbose_name=_("period"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="carbon_results",
        verbose_name=_("member"),
    )
    trees_alive_end = models.PositiveIntegerField(_("trees alive at end"))
    stock_start_co2e_t = models.DecimalField(
        _("stock at start (tCO2e)"), max_digits=14, decimal_places=6
    )
    stock_end_co2e_t = models.DecimalField(
        _("stock at end (tCO2e)"), max_digits=14, decimal_places=6
    )
    deduction_co2e_t = models.DecimalField(
        _("baseline and leakage share (tCO2e)"), max_digits=14, decimal_places=6
    )
    net_co2e_t = models.DecimalField(_("net removals (tCO2e)"), max_digits=14, decimal_places=6)
    credits_attributed = models.DecimalField(
        _("credits attributed"), max_digits=14, decimal_places=4, default=Decimal("0")
    )

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["period", "member"]
        verbose_name = _("member result of a period")
        verbose_name_plural = _("member results of periods")
        constraints = [
            models.UniqueConstraint(fields=["period", "member"], name="result_once_per_member"),
            models.CheckConstraint(
                condition=Q(credits_attributed__gte=0), name="result_credits_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.member_id} {self.period_id}: {self.net_co2e_t} t"

"""The carbon project: parameters of the carbon model and of credit issuance and sharing."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

SHARE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]
# Plan Vivo: at least 60% of credit revenue must reach the participants.
MIN_PRODUCER_SHARE = Decimal("0.60")


class CarbonProject(models.Model):
    """A carbon project: the standard it follows and every parameter its numbers depend on.

    Sources disagree on the Acopagro figures (see docs/carbon.md), so none of them is a constant.
    """

    class Equation(models.TextChoices):
        CHAVE2014 = "chave2014", _("Chave et al. 2014, pantropical with height")
        CHAVE2005_MOIST = "chave2005_moist", _("Chave et al. 2005, moist forest with height")

    name = models.CharField(_("name"), max_length=150, unique=True)
    standard = models.CharField(_("standard"), max_length=80)
    methodology = models.CharField(_("methodology"), max_length=150)
    registry_project_id = models.CharField(_("registry project ID"), max_length=20)
    serial_prefix = models.CharField(
        _("serial prefix"), max_length=40, help_text=_("Start of every credit serial number.")
    )
    country_code = models.CharField(_("country code"), max_length=2, default="PE")
    sectoral_scope = models.PositiveSmallIntegerField(
        _("sectoral scope"), default=14, help_text=_("14 = AFOLU.")
    )
    equation = models.CharField(
        _("biomass equation"), max_length=20, choices=Equation.choices, default=Equation.CHAVE2014
    )
    root_shoot_ratio = models.DecimalField(
        _("root-to-shoot ratio"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("2"))],
    )
    carbon_fraction = models.DecimalField(
        _("carbon fraction"), max_digits=4, decimal_places=3, validators=SHARE_VALIDATORS
    )
    buffer_share = models.DecimalField(
        _("buffer share"), max_digits=4, decimal_places=3, validators=SHARE_VALIDATORS
    )
    producer_revenue_share = models.DecimalField(
        _("producer revenue share"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(MIN_PRODUCER_SHARE), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of each sale's revenue paid to producers (at least 0.60)."),
    )
    small_tree_co2e_t = models.DecimalField(
        _("default stock of a tree under 5 cm DBH (tCO2e)"),
        max_digits=8,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0"))],
    )
    crediting_start = models.DateField(_("crediting period start"))
    crediting_end = models.DateField(_("crediting period end"))
    co2e_target_t = models.DecimalField(
        _("CO2e target (t)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    co2e_target_years = models.PositiveSmallIntegerField(_("CO2e target horizon (years)"))
    sources = models.TextField(_("sources of the parameters"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("carbon project")
        verbose_name_plural = _("carbon projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(producer_revenue_share__gte=MIN_PRODUCER_SHARE)
                & Q(producer_revenue_share__lte=1),
                name="project_producer_share_at_least_60pc",
            ),
            models.CheckConstraint(
                condition=Q(buffer_share__gte=0, buffer_share__lt=1),
                name="project_buffer_share_is_share",
            ),
            models.CheckConstraint(
                condition=Q(carbon_fraction__gt=0, carbon_fraction__lte=1),
                name="project_carbon_fraction_is_share",
            ),
            models.CheckConstraint(
                condition=Q(crediting_end__gt=F("crediting_start")),
                name="project_crediting_period_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (
            self.crediting_start
            and self.crediting_end
            and self.crediting_end <= self.crediting_start
        ):
            raise ValidationError(
                {"crediting_end": _("The crediting period must end after it starts.")}
            )

    @classmethod
    def current(cls) -> "CarbonProject | None":
        return cls.objects.order_by("pk").first()

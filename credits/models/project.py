"""The carbon project: parameters of the carbon model and of credit issuance and sharing."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.changes import TrackedQuerySet

SHARE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]
# IPCC 2006 GL vol. 4 table 4.4 ranges from 0.20 (tropical moist forest, AGB > 125 t/ha: 0.24)
# to 0.56 (tropical dry forest); anything outside 0.10-0.60 is a typing error, not a forest.
ROOT_SHOOT_MIN, ROOT_SHOOT_MAX = Decimal("0.100"), Decimal("0.600")
# Plan Vivo: at least 60% of credit revenue must reach the participants.
MIN_PRODUCER_SHARE = Decimal("0.60")


class CarbonProject(models.Model):
    """A carbon project: the standard it follows and every parameter its numbers depend on.

    Sources disagree on the Acopagro figures (see docs/carbon.md), so none of them is a constant.
    """

    class RootShootRule(models.TextChoices):
        IPCC_TABLE = (
            "ipcc2006_t4_4",
            _("per plot, IPCC 2006 table 4.4: 0.20 below 125 t AGB/ha, 0.24 above"),
        )
        FIXED = "fixed", _("the ratio below, for every plot")

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
    root_shoot_rule = models.CharField(
        _("root-to-shoot ratio rule"),
        max_length=16,
        choices=RootShootRule.choices,
        default=RootShootRule.IPCC_TABLE,
    )
    root_shoot_ratio = models.DecimalField(
        _("root-to-shoot ratio"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(ROOT_SHOOT_MIN), MaxValueValidator(ROOT_SHOOT_MAX)],
        help_text=_("Used for every plot when the rule is 'fixed' (0.10 to 0.60)."),
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
    min_measured_dbh_cm = models.DecimalField(
        _("smallest DBH measured (cm)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("5.0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Trees thinner than this carry the small-tree default stock."),
    )
    small_trees_count_zero = models.BooleanField(
        _("trees under the smallest DBH or measured at the collar count 0"),
        default=True,
        help_text=_(
            "The allometric equations hold from 5 cm DBH; untick only with a sourced default."
        ),
    )
    unmeasured_tree_co2e_t = models.DecimalField(
        _("default stock of a counted tree without sample trees (tCO2e)"),
        max_digits=8,
        decimal_places=6,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Shown as unmeasured stock, never issued; its source goes in the sources."),
    )
    uncertainty_deduction = models.BooleanField(
        _("deduct for sampling error"),
        default=True,
        help_text=_("VM0047 / AR-Tool14: deduct when the 90% half-width exceeds the maximum."),
    )
    max_sampling_error = models.DecimalField(
        _("largest sampling error without deduction"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.100"),
        validators=SHARE_VALIDATORS,
        help_text=_("Half-width of the 90% confidence interval over the mean (0.10 = 10%)."),
    )
    registry_code = models.CharField(
        _("registry code in serials"),
        max_length=10,
        default="0",
        help_text=_("Sixth field of a Verra serial."),
    )
    ccb_certified = models.BooleanField(
        _("CCB label"), default=False, help_text=_("Last digit of a Verra serial.")
    )
    default_baseline_co2e_t = models.DecimalField(
        _("default baseline per period (tCO2e)"),
        max_digits=12,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Removals that would have happened anyway; proposed for each new period."),
    )
    default_leakage_co2e_t = models.DecimalField(
        _("default leakage per period (tCO2e)"),
        max_digits=12,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Emissions displaced outside the project; proposed for each new period."),
    )
    currency = models.CharField(
        _("sale currency"),
        max_length=3,
        default="USD",
        help_text=_("ISO 4217 code; every sale of the project is priced in it."),
    )
    crediting_start = models.DateField(_("crediting period start"))
    crediting_end = models.DateField(_("crediting period end"))
    co2e_target_t = models.DecimalField(
        _("CO2e target (t)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    co2e_target_years = models.PositiveSmallIntegerField(_("CO2e target horizon (years)"))
    sources = models.TextField(_("sources of the parameters"), blank=True)
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=Q(root_shoot_ratio__gte=ROOT_SHOOT_MIN)
                & Q(root_shoot_ratio__lte=ROOT_SHOOT_MAX),
                name="project_root_shoot_ratio_bounded",
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
        """The project row (made by migration 0002, by `seed_demo` or in the admin), or None
        when none is configured yet. A read, never a write: pages without one say so
        (credits.project_required) and the services refuse with a message."""
        return cls.objects.order_by("pk").first()

    def parameters(self) -> dict:
        """The parameter values a period's figures depend on, frozen with the period at closing."""
        return {
            "equation": self.equation,
            "root_shoot_ratio": str(self.root_shoot_ratio),
            "carbon_fraction": str(self.carbon_fraction),
            "buffer_share": str(self.buffer_share),
            "producer_revenue_share": str(self.producer_revenue_share),
            "small_tree_co2e_t": str(self.small_tree_co2e_t),
            "min_measured_dbh_cm": str(self.min_measured_dbh_cm),
            "root_shoot_rule": self.root_shoot_rule,
            "small_trees_count_zero": self.small_trees_count_zero,
            "unmeasured_tree_co2e_t": str(self.unmeasured_tree_co2e_t),
            "uncertainty_deduction": self.uncertainty_deduction,
            "max_sampling_error": str(self.max_sampling_error),
        }

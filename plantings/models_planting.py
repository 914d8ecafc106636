"""What is planted: the programme and its targets, the species and their parameters, the
plantings (cohorts)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.changes import TrackedQuerySet
from core.models import Recorded
from members.models import Member, Plot
from plantings.field_lock import late_entry_field, lock_error
from plantings.querysets import PlantingQuerySet

# Physical bounds for sample-tree measurements: the largest Amazonian trees reach ~250 cm DBH
# and ~60 m; anything beyond is a typing error (mm entered as cm, a misplaced comma).
DBH_CM_MAX = Decimal("250")
HEIGHT_M_MAX = Decimal("60")


class Programme(models.Model):
    """The reforestation programme's own parameters: start, targets and planting limits.

    Kept as data (one row, created by a migration) so a cooperative can change them without code.
    """

    name = models.CharField(_("name"), max_length=150)
    started_on = models.DateField(
        _("programme start"), help_text=_("Plantings before this date are refused.")
    )
    trees_target = models.PositiveIntegerField(_("trees target"))
    trees_target_year = models.PositiveIntegerField(_("trees target year"))
    max_trees_per_ha = models.PositiveIntegerField(
        _("maximum trees per hectare"),
        help_text=_("Plantings beyond this density on a plot are refused."),
    )
    source = models.TextField(_("source of these figures"), blank=True)
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programme")
        permissions = [("view_reports", _("Can view the programme reports"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_trees_per_ha__gt=0), name="programme_max_density_positive"
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def current(cls) -> "Programme":
        """The programme row (created by migration 0002); a fresh default if someone deleted it."""
        programme = cls.objects.order_by("pk").first()
        if programme is None:
            programme = cls(**DEFAULT_PROGRAMME)
        return programme


DEFAULT_PROGRAMME = {
    "name": "Acopagro reforestation programme",
    "started_on": datetime.date(2008, 1, 1),
    "trees_target": 2_000_000,
    "trees_target_year": 2013,
    # 2.5 m x 2.5 m spacing; public figures imply 870-1,100 trees/ha on average.
    "max_trees_per_ha": 1600,
    "source": "Alter Eco / Acopagro (2008): 2,000,000 native trees by 2013 inside cacao plots; "
    "Pur Projet: 1,807,536 trees on 1,638 ha (about 1,100 trees/ha).",
}


class Species(models.Model):
    """A tree species planted by the programme, with its wood density and growth parameters."""

    scientific_name = models.CharField(_("scientific name"), max_length=120, unique=True)
    local_name = models.CharField(_("local name"), max_length=80)
    other_names = models.CharField(_("other names"), max_length=200, blank=True)
    native = models.BooleanField(_("native to the Amazon"), default=True)
    wood_density_g_cm3 = models.DecimalField(
        _("wood density (g/cm³)"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.100")), MaxValueValidator(Decimal("1.500"))],
    )
    wood_density_source = models.CharField(_("wood density source"), max_length=200)
    # Ex-ante growth: D(t) = dbh_max * (1 - exp(-k t)), H(t) = height_max * (1 - exp(-k t)),
    # a monomolecular curve; the parameters are assumptions stated in growth_source.
    growth_dbh_max_cm = models.DecimalField(
        _("asymptotic DBH (cm)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(DBH_CM_MAX)],
    )
    growth_height_max_m = models.DecimalField(
        _("asymptotic height (m)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(HEIGHT_M_MAX)],
    )
    growth_rate_per_year = models.DecimalField(
        _("growth rate (1/year)"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("2"))],
    )
    expected_survival = models.DecimalField(
        _("expected survival (0-1)"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of planted trees expected alive, for ex-ante projections."),
    )
    growth_source = models.CharField(_("growth parameters source"), max_length=200)
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["local_name"]
        verbose_name = _("species")
        verbose_name_plural = _("species")
        constraints = [
            models.CheckConstraint(
                condition=Q(wood_density_g_cm3__gt=0, wood_density_g_cm3__lte=Decimal("1.5")),
                name="species_wood_density_plausible",
            ),
            models.CheckConstraint(
                condition=Q(expected_survival__gte=0, expected_survival__lte=1),
                name="species_expected_survival_is_share",
            ),
            models.CheckConstraint(
                condition=Q(growth_rate_per_year__gt=0), name="species_growth_rate_positive"
            ),
        ]

    def __str__(self):
        return f"{self.local_name} ({self.scientific_name})"


class Planting(Recorded):
    """Trees of one species planted on one plot on one date."""

    class Arrangement(models.TextChoices):
        DISPERSED = "dispersed", _("dispersed")
        LINE = "line", _("in lines")
        BORDER = "border", _("border")

    plot = models.ForeignKey(
        Plot, on_delete=models.PROTECT, related_name="plantings", verbose_name=_("plot")
    )
    species = models.ForeignKey(
        Species, on_delete=models.PROTECT, related_name="plantings", verbose_name=_("species")
    )
    planted_on = models.DateField(_("planted on"), db_index=True)
    trees_planted = models.PositiveIntegerField(
        _("trees planted"), validators=[MinValueValidator(1)]
    )
    nursery_batch = models.CharField(_("nursery batch"), max_length=40, blank=True)
    arrangement = models.CharField(
        _("arrangement"),
        max_length=10,
        choices=Arrangement.choices,
        default=Arrangement.DISPERSED,
    )
    late_entry = late_entry_field()
    history = HistoricalRecords()

    objects = PlantingQuerySet.as_manager()

    class Meta:
        ordering = ["-planted_on", "pk"]
        verbose_name = _("planting")
        verbose_name_plural = _("plantings")
        constraints = [
            models.CheckConstraint(
                condition=Q(trees_planted__gt=0), name="planting_trees_positive"
            ),
        ]
        indexes = [
            # Survival reports sum the trees of a plot and species planted by each visit's date
            # (SurvivalCountQuerySet.with_planted): an index-only lookup on PostgreSQL.
            models.Index(
                fields=["plot", "species", "planted_on"],
                include=["trees_planted"],
                name="planting_plot_species_date",
            ),
        ]

    def __str__(self):
        return f"{self.trees_planted} × {self.species.local_name} – {self.plot.code}"

    def clean(self):
        errors = {}
        programme = Programme.current()
        if self.planted_on:
            if self.planted_on > timezone.localdate():
                errors["planted_on"] = _("The planting date cannot be in the future.")
            elif self.planted_on < programme.started_on:
                errors["planted_on"] = _(
                    "The planting date cannot be before the programme started (%(start)s)."
                ) % {"start": programme.started_on.isoformat()}
            elif locked := lock_error(self.planted_on, self.late_entry_id):
                errors["planted_on"] = locked
        if self.plot_id and self.trees_planted:
            plot = self.plot
            if self._state.adding and plot.member.status != Member.Status.ACTIVE:
                errors["plot"] = _(
                    "%(member)s is not an active member: new plantings are refused."
                ) % {"member": plot.member.full_name}
            capacity = int(plot.area_ha * programme.max_trees_per_ha)
            already = (
                Planting.objects.filter(plot_id=self.plot_id).exclude(pk=self.pk).total_trees()
            )
            if already + self.trees_planted > capacity:
                errors["trees_planted"] = _(
                    "Plot %(plot)s (%(area)s ha) holds at most %(capacity)s trees at "
                    "%(density)s trees/ha; it already has %(already)s, so at most "
                    "%(left)s more can be planted."
                ) % {
                    "plot": plot.code,
                    "area": plot.area_ha,
                    "capacity": capacity,
                    "density": programme.max_trees_per_ha,
                    "already": already,
                    "left": max(capacity - already, 0),
                }
        if errors:
            raise ValidationError(errors)

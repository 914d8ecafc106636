"""Tree species, the reforestation programme, plantings and field monitoring."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.changes import TrackedQuerySet
from members.models import Member, Plot
from members.validators import PERU_LAT_MAX, PERU_LAT_MIN, PERU_LON_MAX, PERU_LON_MIN
from plantings.field_lock import FieldDataLock, LateDataEntry, lock_error
from plantings.querysets import PlantingQuerySet, SurvivalCountQuerySet

__all__ = ["FieldDataLock", "LateDataEntry"]

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


class Planting(models.Model):
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
    late_entry = models.ForeignKey(
        LateDataEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("late data entry"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
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


class MonitoringVisit(models.Model):
    """A technician's visit to a plot: survival counts per species and sample-tree measurements."""

    plot = models.ForeignKey(
        Plot, on_delete=models.PROTECT, related_name="visits", verbose_name=_("plot")
    )
    visited_on = models.DateField(_("visited on"), db_index=True)
    technician = models.CharField(_("technician"), max_length=100)
    notes = models.TextField(_("notes"), blank=True)
    # Instance ID of an ODK / KoboToolbox submission, so re-importing never duplicates a visit.
    external_id = models.CharField(
        _("field form instance ID"), max_length=100, null=True, blank=True, unique=True
    )
    late_entry = models.ForeignKey(
        LateDataEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("late data entry"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "pk"]
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        permissions = [("correct_any_visit", _("Can correct or cancel any monitoring visit"))]
        constraints = [
            # One visit per plot and day: a double submit cannot create two visits.
            models.UniqueConstraint(fields=["plot", "visited_on"], name="visit_once_per_plot_day"),
        ]

    def __str__(self):
        return f"{self.plot.code} {self.visited_on}"

    def clean(self):
        if self.visited_on and self.visited_on > timezone.localdate():
            raise ValidationError({"visited_on": _("The visit date cannot be in the future.")})
        if locked := lock_error(self.visited_on, self.late_entry_id):
            raise ValidationError({"visited_on": locked})


def check_visit_open(visit: MonitoringVisit) -> None:
    """Rows of a visit dated inside a closed period are refused (unless entered as late data)."""
    if locked := lock_error(visit.visited_on, visit.late_entry_id):
        raise ValidationError(locked)


def trees_planted_before(plot_id: int, species_id: int, on_date: datetime.date | None) -> int:
    """Trees of a species planted on a plot on or before a date (all dates if None)."""
    plantings = Planting.objects.filter(plot_id=plot_id, species_id=species_id)
    if on_date is not None:
        plantings = plantings.filter(planted_on__lte=on_date)
    return plantings.total_trees()


def trees_replanted_before(plot_id: int, species_id: int, on_date: datetime.date) -> int:
    """Trees of a species replanted on a plot at visits before a date (they can be found alive
    or dead at a later visit, beside the trees first planted)."""
    total = SurvivalCount.objects.filter(
        visit__plot_id=plot_id, species_id=species_id, visit__visited_on__lt=on_date
    ).aggregate(total=models.Sum("trees_replanted"))["total"]
    return total or 0


class SurvivalCount(models.Model):
    """Trees of one species found alive and dead on a plot during a visit.

    Replanted trees replace dead ones in the same holes, so the trees alive never exceed the
    trees planted on that plot for that species.
    """

    class LossCause(models.TextChoices):
        NONE = "", _("none")
        DROUGHT = "drought", _("drought")
        FLOOD = "flood", _("flood")
        PESTS = "pests", _("pests")
        DISEASE = "disease", _("disease")
        FIRE = "fire", _("fire")
        FELLED = "felled", _("felled or cleared")
        ANIMALS = "animals", _("animals")
        OTHER = "other", _("other")

    visit = models.ForeignKey(
        MonitoringVisit,
        on_delete=models.CASCADE,
        related_name="survival_counts",
        verbose_name=_("visit"),
    )
    species = models.ForeignKey(
        Species, on_delete=models.PROTECT, related_name="+", verbose_name=_("species")
    )
    trees_alive = models.PositiveIntegerField(_("trees alive"))
    trees_dead = models.PositiveIntegerField(_("trees dead"), default=0)
    trees_replanted = models.PositiveIntegerField(_("trees replanted"), default=0)
    loss_cause = models.CharField(
        _("cause of loss"), max_length=10, choices=LossCause.choices, blank=True, default=""
    )
    objects = SurvivalCountQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survival count")
        verbose_name_plural = _("survival counts")
        constraints = [
            models.UniqueConstraint(fields=["visit", "species"], name="survival_once_per_species"),
            models.CheckConstraint(condition=Q(trees_alive__gte=0), name="survival_alive_gte_0"),
            models.CheckConstraint(condition=Q(trees_dead__gte=0), name="survival_dead_gte_0"),
            models.CheckConstraint(
                condition=Q(trees_replanted__gte=0), name="survival_replanted_gte_0"
            ),
        ]

    def __str__(self):
        return f"{self.trees_alive} alive"

    def clean(self):
        if not (self.visit_id and self.species_id and self.trees_alive is not None):
            return
        visit = self.visit
        check_visit_open(visit)
        planted = trees_planted_before(visit.plot_id, self.species_id, visit.visited_on)
        if self.trees_alive > planted:
            raise ValidationError(
                {
                    "trees_alive": _(
                        "%(alive)s trees alive is more than the %(planted)s trees of this "
                        "species planted on plot %(plot)s by %(date)s."
                    )
                    % {
                        "alive": self.trees_alive,
                        "planted": planted,
                        "plot": visit.plot.code,
                        "date": visit.visited_on.isoformat(),
                    }
                }
            )
        # Every tree counted, alive or dead, was planted first: a dead tree is not a new one.
        counted = self.trees_alive + (self.trees_dead or 0)
        if counted > planted:
            planted += trees_replanted_before(visit.plot_id, self.species_id, visit.visited_on)
        if counted > planted:
            raise ValidationError(
                {
                    "trees_dead": _(
                        "%(alive)s alive + %(dead)s dead = %(counted)s trees, more than the "
                        "%(planted)s trees of this species planted (and replanted) on plot "
                        "%(plot)s by %(date)s."
                    )
                    % {
                        "alive": self.trees_alive,
                        "dead": self.trees_dead,
                        "counted": counted,
                        "planted": planted,
                        "plot": visit.plot.code,
                        "date": visit.visited_on.isoformat(),
                    }
                }
            )


class TreeMeasurement(models.Model):
    """A sample tree measured during a visit: diameter and height, for the carbon estimate."""

    visit = models.ForeignKey(
        MonitoringVisit,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("visit"),
    )
    species = models.ForeignKey(
        Species, on_delete=models.PROTECT, related_name="+", verbose_name=_("species")
    )
    dbh_cm = models.DecimalField(
        _("diameter (cm)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(DBH_CM_MAX)],
        help_text=_("At 1.3 m (DBH), or at the collar while the tree is shorter than 1.3 m."),
    )
    height_m = models.DecimalField(
        _("height (m)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(HEIGHT_M_MAX)],
    )
    planting = models.ForeignKey(
        Planting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sample_trees",
        verbose_name=_("planting (cohort)"),
        help_text=_("Needed only where the plot holds several plantings of this species."),
    )
    tree_tag = models.CharField(_("tree tag"), max_length=30, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tree measurement")
        verbose_name_plural = _("tree measurements")
        constraints = [
            # A tag names one tree of the plot: once per visit (untagged trees have no key).
            models.UniqueConstraint(
                fields=["visit", "tree_tag"],
                condition=~Q(tree_tag=""),
                name="measurement_tag_once_per_visit",
                violation_error_message=_("This visit already has a tree with this tag."),
            ),
            models.CheckConstraint(
                condition=Q(dbh_cm__gt=0, dbh_cm__lte=DBH_CM_MAX), name="measurement_dbh_bounds"
            ),
            models.CheckConstraint(
                condition=Q(height_m__gt=0, height_m__lte=HEIGHT_M_MAX),
                name="measurement_height_bounds",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=PERU_LAT_MIN, latitude__lte=PERU_LAT_MAX),
                name="measurement_latitude_in_peru",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=PERU_LON_MIN, longitude__lte=PERU_LON_MAX),
                name="measurement_longitude_in_peru",
            ),
        ]

    def __str__(self):
        return f"{self.dbh_cm} cm × {self.height_m} m"

    def clean(self):
        if not self.visit_id:
            return
        check_visit_open(self.visit)
        planting = self.planting if self.planting_id else None
        if planting is not None and (
            planting.plot_id != self.visit.plot_id
            or planting.species_id != self.species_id
            or planting.planted_on > self.visit.visited_on
        ):
            raise ValidationError(
                {
                    "planting": _(
                        "Choose a planting of this species on plot %(plot)s, planted by the "
                        "visit date."
                    )
                    % {"plot": self.visit.plot.code}
                }
            )

    @property
    def is_collar_diameter(self) -> bool:
        """Trees shorter than breast height (1.3 m) are measured at the collar."""
        return self.height_m is not None and self.height_m < Decimal("1.3")

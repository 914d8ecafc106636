"""What is found on a visit: the monitoring visit, its survival counts per species and its sample
trees measured, with the rules that tie them to what was planted."""

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
from members.models import Plot
from members.models_plot import point_in_peru_constraints
from plantings.field_lock import late_entry_field, lock_error
from plantings.models_planting import DBH_CM_MAX, HEIGHT_M_MAX, Planting, Species
from plantings.querysets import SurvivalCountQuerySet


class MonitoringVisit(Recorded):
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
    late_entry = late_entry_field()
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
            *point_in_peru_constraints("measurement"),
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

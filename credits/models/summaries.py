"""Summaries of the current field data, kept by the writes themselves (credits/summaries.py).

Every save of a planting, visit, count or sample tree refreshes the rows of its plot in the same
transaction, so a report reads a few thousand summary rows instead of re-ranking 450,000 counts
and sample trees. `manage.py rebuild_summaries` makes them again from the raw rows; a test proves
that the rows kept on write equal the rows rebuilt (tests/credits/test_summaries.py).

"Current" is the stock at today's date as credits/stock.py computes it: the same functions fill
these rows. Reports at another date, and the ledger of a monitoring period, compute from the
raw rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Member, Plot
from plantings.models import Planting, Species

GRAMS_PER_TONNE = 1_000_000


class CohortSummary(models.Model):
    """One planting (a cohort): its survivors at the latest count and its verified stock."""

    class ValuedBy(models.TextChoices):
        OWN = "own", _("its own sample trees")
        STRATUM = "stratum", _("its stratum's sample trees")
        UNMEASURED = "unmeasured", _("unmeasured")
        NOT_COUNTED = "", _("not counted yet")

    planting = models.OneToOneField(
        Planting, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    plot = models.ForeignKey(Plot, on_delete=models.CASCADE, related_name="+")
    species = models.ForeignKey(Species, on_delete=models.CASCADE, related_name="+")
    planted_on = models.DateField()
    planted_year = models.PositiveSmallIntegerField()  # the stratum is (species, year)
    trees_planted = models.PositiveIntegerField()
    # The latest measuring visit's own sample trees: how many, Σ AGB and Σ AGB² (kg).
    sample_n = models.PositiveIntegerField(default=0)
    sample_agb_kg = models.FloatField(default=0.0)
    sample_agb_kg2 = models.FloatField(default=0.0)
    valued_by = models.CharField(max_length=10, choices=ValuedBy.choices, blank=True)
    trees_alive = models.PositiveIntegerField(default=0)
    agb_t = models.FloatField(default=0.0)
    # Before the sampling-error deduction. The deduction itself is not kept here: it is the
    # stratum's share of every cohort, so a stratum's new sample tree would move each of them.
    co2e_t = models.FloatField(default=0.0)
    unmeasured_co2e_t = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("cohort summary")
        verbose_name_plural = _("cohort summaries")
        indexes = [models.Index(fields=["species", "planted_year"], name="cohort_stratum")]

    def __str__(self):
        return f"planting {self.planting_id}"


class StratumSummary(models.Model):
    """One stratum (species × planting year): its cohorts' own sample trees pooled, in planting
    order, which values the cohorts of the stratum that have none of their own."""

    species = models.ForeignKey(Species, on_delete=models.CASCADE, related_name="+")
    planted_year = models.PositiveSmallIntegerField()
    sample_n = models.PositiveIntegerField(default=0)
    sample_agb_kg = models.FloatField(default=0.0)
    sample_agb_kg2 = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("stratum summary")
        verbose_name_plural = _("stratum summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["species", "planted_year"], name="summary_once_per_stratum"
            )
        ]

    def __str__(self):
        return f"species {self.species_id}, {self.planted_year}"


class PlotSpeciesRow(models.Model):
    """A summary row of one species on one plot (abstract): the key of the two kinds below."""

    plot = models.ForeignKey(Plot, on_delete=models.CASCADE, related_name="+")
    species = models.ForeignKey(Species, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def __str__(self):
        return f"plot {self.plot_id}, species {self.species_id}"


class PlotSpeciesSummary(PlotSpeciesRow):
    """One species on one plot: its counts (latest of the species, and at the plot's latest
    visit, as the survival reports read them) and its verified stock summed over cohorts."""

    trees_planted = models.PositiveIntegerField(default=0)
    # The species' latest count (verified stock needs one).
    counted_alive = models.PositiveIntegerField(null=True)
    counted_on = models.DateField(null=True)
    # At the plot's latest visit, if that visit counted the species.
    latest_alive = models.PositiveIntegerField(null=True)
    latest_planted = models.PositiveIntegerField(null=True)
    latest_visit_on = models.DateField(null=True)
    # Verified stock: only where a count meets a cohort planted by then (credits/stock.py).
    verified = models.BooleanField(default=False)
    trees_alive = models.PositiveIntegerField(default=0)
    # Grams of CO2e (the stock's tonnes to the gram, × 10⁶): integers, so a SUM in the database
    # is exact on every backend (SQLite sums decimals as floats).
    co2e_g = models.BigIntegerField(default=0)
    unmeasured_trees = models.PositiveIntegerField(default=0)
    unmeasured_co2e_g = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("plot and species summary")
        verbose_name_plural = _("plot and species summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["plot", "species"], name="summary_once_per_plot_species"
            )
        ]


class PlotYearSummary(PlotSpeciesRow):
    """One species on one plot in one calendar year, at the plot's last visit of that year:
    the survival-over-time report's rows."""

    year = models.PositiveSmallIntegerField()
    alive = models.PositiveIntegerField()
    planted = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("plot and year summary")
        verbose_name_plural = _("plot and year summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["plot", "species", "year"], name="summary_once_per_plot_species_year"
            )
        ]
        # The survival report sums this year's rows after each visit (the past years are
        # cached): 7,400 of 114,000 at full scale, read through this index.
        indexes = [models.Index(fields=["year"], name="summary_year")]

    def __str__(self):
        return f"{super().__str__()}, {self.year}"


class MemberSummary(models.Model):
    """One member: plots, hectares, trees planted, the latest counts and verified stock."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    plots = models.PositiveIntegerField(default=0)
    area_ha = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    trees_planted = models.PositiveIntegerField(default=0)
    latest_alive = models.PositiveIntegerField(null=True)
    latest_planted = models.PositiveIntegerField(null=True)
    last_visit_on = models.DateField(null=True)
    trees_alive = models.PositiveIntegerField(default=0)
    co2e_g = models.BigIntegerField(default=0)  # grams, as PlotSpeciesSummary

    class Meta:
        verbose_name = _("member summary")
        verbose_name_plural = _("member summaries")

    def __str__(self):
        return f"member {self.member_id}"


class YearEndStock(PlotSpeciesRow):
    """One species on one plot at 31 December of a past year, verified or projected: the points
    of the carbon-over-time report (credits/year_ends.py). Stored, so that a deploy or a cache
    loss does not compute them again (each year 1 to 2 s at full scale); valid while its year's
    YearEndStamp matches the writes dated up to that day."""

    class Kind(models.TextChoices):
        VERIFIED = "verified", _("verified")
        PROJECTED = "projected", _("projected")

    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    trees_alive = models.PositiveIntegerField()
    co2e_g = models.BigIntegerField()  # grams, as PlotSpeciesSummary: exact sums

    class Meta:
        verbose_name = _("year-end stock")
        verbose_name_plural = _("year-end stock")
        constraints = [
            models.UniqueConstraint(
                fields=["plot", "species", "year", "kind"], name="year_end_once_per_plot_species"
            )
        ]
        indexes = [models.Index(fields=["year", "kind"], name="year_end_stock_year")]

    def __str__(self):
        return f"{super().__str__()}, {self.kind} {self.year}"


class YearEndStamp(models.Model):
    """What one year's stored stock of one kind was computed from: the generations of the
    writes dated up to its 31 December (core.changes.generations_key). Another key means a
    write (a late visit, a planting, a parameter) has changed that year since."""

    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=YearEndStock.Kind.choices)
    generations = models.TextField(blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("year-end stamp")
        verbose_name_plural = _("year-end stamps")
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="year_end_stamp_once")]

    def __str__(self):
        return f"{self.kind} {self.year}"


class YearEndSamples(models.Model):
    """One cohort's own sample trees at 31 December of a stored year, as the stock of that day
    pooled them into its stratum (credits/year_end_writes.py): what a write compares to tell
    whether a stratum moved, which revalues its cohorts on other plots. Plain ids, not foreign
    keys: a deleted planting's or plot's row must outlive it until the refresh that follows."""

    year = models.PositiveSmallIntegerField()
    planting_id = models.BigIntegerField()
    plot_id = models.BigIntegerField()
    species_id = models.BigIntegerField()
    planted_year = models.PositiveSmallIntegerField()  # the stratum is (species, year)
    sample_n = models.PositiveIntegerField()
    sample_agb_kg = models.FloatField()
    sample_agb_kg2 = models.FloatField()

    class Meta:
        verbose_name = _("year-end sample trees")
        verbose_name_plural = _("year-end sample trees")
        constraints = [
            models.UniqueConstraint(fields=["year", "planting_id"], name="year_end_samples_once")
        ]
        indexes = [
            models.Index(fields=["year", "plot_id"], name="year_end_samples_plot"),
            models.Index(
                fields=["year", "species_id", "planted_year"], name="year_end_samples_stratum"
            ),
        ]

    def __str__(self):
        return f"planting {self.planting_id}, {self.year}"


class ProjectedStock(PlotSpeciesRow):
    """One species on one plot: its projected (ex-ante) stock on the day of ProjectedStamp,
    today's once read. Kept on write for the plots a write touches (credits/projected_today.py),
    so a planting does not cost every report the projection of all 8,800 cohorts."""

    trees_alive = models.PositiveIntegerField(default=0)
    co2e_g = models.BigIntegerField(default=0)  # grams, as PlotSpeciesSummary.co2e_g

    class Meta:
        verbose_name = _("projected stock")
        verbose_name_plural = _("projected stock")
        constraints = [
            models.UniqueConstraint(fields=["plot", "species"], name="projected_once_per_plot")
        ]


class ProjectedStamp(models.Model):
    """The one row saying which day the ProjectedStock rows are projected to (none yet: the
    first reader computes them). The growth curves move every day, so a new day's first reader
    computes them all again."""

    day = models.DateField(null=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("projected stock stamp")
        verbose_name_plural = _("projected stock stamps")

    def __str__(self):
        return str(self.day)


# Rows derived from the field data and the parameters by credits/summaries.py,
# credits/year_ends.py, credits/year_end_writes.py and credits/projected_today.py: the writes
# they follow already moved their own change topics.
DERIVED_MODELS = (
    CohortSummary,
    MemberSummary,
    ProjectedStamp,
    ProjectedStock,
    PlotSpeciesSummary,
    PlotYearSummary,
    StratumSummary,
    YearEndSamples,
    YearEndStamp,
    YearEndStock,
)

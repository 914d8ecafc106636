"""Named reads of members and plots: searches and the aggregates that pages and reports need.

Aggregation happens in the database, so a page's query count does not grow with the data.
"""

from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from core.changes import TrackedQuerySet
from members.geometry import POLYGON_REQUIRED_ABOVE_HA
from members.models_geo import PlotOverlap, ScreeningResult
from members.text import search_key


def every_word(text: str, word_query) -> Q | None:
    """Rows that match each word of `text` (folded as search_key folds), `word_query(word)`
    saying how a row matches one word; None when the text has no word."""
    words = search_key(text).split()
    if not words:
        return None
    query = Q()
    for word in words:
        query &= word_query(word)
    return query


class MemberQuerySet(TrackedQuerySet):
    def active(self):
        return self.filter(status=self.model.Status.ACTIVE)

    def search(self, text: str):
        """Accent-insensitive search on names, DNI and member code."""
        query = every_word(text, lambda word: Q(search_text__contains=word))
        return self if query is None else self.filter(query)

    def with_totals(self):
        """Annotate plot count and total area; one query whatever the number of members.

        Correlated subqueries, not a join with GROUP BY: a page of 50 members sorted by name
        then reads 50 members' plots, not every plot, and its COUNT(*) needs no grouping.
        """
        plot_model = self.model._meta.get_field("plots").related_model
        plots = plot_model.objects.filter(member_id=OuterRef("pk")).order_by().values("member_id")
        return self.annotate(
            plot_count=Coalesce(
                Subquery(plots.annotate(n=Count("id")).values("n"), output_field=IntegerField()),
                0,
            ),
            area_ha_total=Subquery(
                plots.annotate(total=Sum("area_ha")).values("total"),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        )

    def count_by_status(self) -> dict[str, int]:
        """Members per status in one query, e.g. {"active": 1620, "inactive": 126}."""
        rows = self.order_by().values_list("status").annotate(n=Count("id"))
        return dict(rows)


class PlotQuerySet(TrackedQuerySet):
    def search(self, text: str):
        """Find plots by plot code or their member's name, DNI or code (accent-insensitive)."""
        query = every_word(
            text, lambda word: Q(member__search_text__contains=word) | Q(code__icontains=word)
        )
        return self if query is None else self.filter(query)

    def by_land_use(self):
        """Plots and hectares per land use, one row per land use present."""
        return (
            self.order_by()
            .values("land_use")
            .annotate(plots=Count("id"), area_ha=Sum("area_ha"))
            .order_by("land_use")
        )

    def map_points(self, *extra: str):
        """What a map marker needs, without loading model instances (one query)."""
        return self.order_by().values(
            "id",
            "code",
            "land_use",
            "area_ha",
            "latitude",
            "longitude",
            "boundary_geojson",
            "boundary_area_ha",
            *extra,
            "member__code",
            "member__first_name",
            "member__last_name",
            "member__community__name",
        )

    # The plot problems, each a condition the database evaluates (names match PLOT_PROBLEMS).
    def problem_conditions(self) -> dict[str, Q | Exists]:
        tolerance = Decimal(getattr(settings, "PLOT_AREA_TOLERANCE_PCT", 20)) / 100
        overlaps = PlotOverlap.objects.filter(Q(plot=OuterRef("pk")) | Q(other_plot=OuterRef("pk")))
        screenings = ScreeningResult.objects.filter(plot=OuterRef("pk"))
        return {
            "no_location": Q(latitude=None, boundary_area_ha=None),
            "needs_polygon": Q(area_ha__gt=POLYGON_REQUIRED_ABOVE_HA, boundary_area_ha=None),
            "broken_boundary": Q(boundary_geojson__isnull=False, boundary_area_ha=None),
            "overlapping": Exists(overlaps),
            "area_differs": Q(boundary_area_ha__gt=F("area_ha") * (1 + tolerance))
            | Q(boundary_area_ha__lt=F("area_ha") * (1 - tolerance)),
            "forest_lost": Exists(screenings.filter(result="loss"))
            | Q(land_use_2020="forest", land_use__in=["cacao", "sugarcane"]),
            "no_evidence": ~Exists(screenings) | Q(land_use_2020=""),
        }

    def annotate_problems(self):
        """A boolean `problem_<name>` per problem (in the same query)."""
        return self.annotate(
            **{
                f"problem_{name}": ExpressionWrapper(condition, output_field=BooleanField())
                for name, condition in self.problem_conditions().items()
            }
        )

    def with_problems(self):
        """Annotate a boolean per problem and keep only plots with at least one (one query)."""
        conditions = self.problem_conditions()
        annotated = self.annotate_problems()
        any_problem = Q()
        for name in conditions:
            any_problem |= Q(**{f"problem_{name}": True})
        return annotated.filter(any_problem)

    def blocking_eudr_export(self):
        """Plots TRACES would refuse: no geolocation, over 4 ha as a point, a broken or
        overlapping boundary."""
        conditions = self.problem_conditions()
        blocking = Q()
        for name in EUDR_BLOCKING_PROBLEMS:
            blocking |= conditions[name]
        return self.filter(blocking)


# Problems that stop the EUDR export; the others are warnings shown beside it.
EUDR_BLOCKING_PROBLEMS = ("no_location", "needs_polygon", "broken_boundary", "overlapping")

"""Named reads of members and plots: searches and the aggregates that pages and reports need.

Aggregation happens in the database, so a page's query count does not grow with the data.
"""

from django.db import models
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from members.text import search_key


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=self.model.Status.ACTIVE)

    def search(self, text: str):
        """Accent-insensitive search on names, DNI and member code."""
        key = search_key(text).strip()
        if not key:
            return self
        query = Q()
        for word in key.split():
            query &= Q(search_text__contains=word)
        return self.filter(query)

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


class PlotQuerySet(models.QuerySet):
    def search(self, text: str):
        """Find plots by plot code or their member's name, DNI or code (accent-insensitive)."""
        key = search_key(text).strip()
        if not key:
            return self
        query = Q()
        for word in key.split():
            query &= Q(member__search_text__contains=word) | Q(code__icontains=word)
        return self.filter(query)

    def by_land_use(self):
        """Plots and hectares per land use, one row per land use present."""
        return (
            self.order_by()
            .values("land_use")
            .annotate(plots=Count("id"), area_ha=Sum("area_ha"))
            .order_by("land_use")
        )

    def map_points(self):
        """What a map marker needs, without loading model instances (one query)."""
        return self.order_by().values(
            "id",
            "code",
            "land_use",
            "area_ha",
            "latitude",
            "longitude",
            "boundary_geojson",
            "member__code",
            "member__first_name",
            "member__last_name",
            "member__community__name",
        )

"""Named reads of members and plots: searches and the aggregates that pages and reports need.

Aggregation happens in the database, so a page's query count does not grow with the data.
"""

from django.db import models
from django.db.models import Count, Q, Sum

from members.text import search_key


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status="active")

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
        """Annotate plot count and total area; one query whatever the number of members."""
        return self.annotate(
            plot_count=Count("plots", distinct=True),
            area_ha_total=Sum("plots__area_ha"),
        )


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

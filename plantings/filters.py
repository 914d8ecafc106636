"""List filters (django-filter) for plantings, monitoring visits and species."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.filters import StyledFilterSet, YearFilter
from members.models import Community, Plot
from plantings.models import MonitoringVisit, Planting, Species


def recorders(request):
    """Users who may record plantings: the choices of the "recorded by" filter."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(groups=None, is_superuser=False)
        .order_by("username")
    )


class PlotRecordFilter(StyledFilterSet):
    """Records of a plot, found by their member or plot (`q`) and by the member's community."""

    q = django_filters.CharFilter(
        label=_("Member or plot"), method="filter_search", help_text=_("Name, DNI or plot code")
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"),
        field_name="plot__member__community",
        queryset=Community.objects.all(),
        empty_label=_("All communities"),
    )

    def filter_search(self, queryset, name, value):
        return queryset.filter(plot__in=Plot.objects.search(value))


class PlantingFilter(PlotRecordFilter):
    species = django_filters.ModelChoiceFilter(
        label=_("Species"), queryset=Species.objects.all(), empty_label=_("All species")
    )
    year = YearFilter(label=_("Year"), field_name="planted_on")
    recorded_by = django_filters.ModelChoiceFilter(
        label=_("Recorded by"), queryset=recorders, empty_label=_("Anyone")
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("planted_on", "date"),
            ("plot__code", "plot"),
            ("species__local_name", "species"),
            ("trees_planted", "trees"),
        ]
    )

    class Meta:
        model = Planting
        fields = ["q", "community", "species", "year", "recorded_by"]


class VisitFilter(PlotRecordFilter):
    year = YearFilter(label=_("Year"), field_name="visited_on")
    technician = django_filters.CharFilter(label=_("Technician"), lookup_expr="icontains")
    o = django_filters.OrderingFilter(
        fields=[("visited_on", "date"), ("plot__code", "plot"), ("technician", "technician")]
    )

    class Meta:
        model = MonitoringVisit
        fields = ["q", "community", "year", "technician"]

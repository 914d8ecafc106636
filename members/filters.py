"""List filters (django-filter) for members: search, community, status, certification, land use,
and the column sorting of the member list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import StyledFilterSet
from members.models import Community, Member, Plot


class MemberFilter(StyledFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", help_text=_("Name, DNI or member code")
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"), queryset=Community.objects.all(), empty_label=_("All communities")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Member.Status.choices, empty_label=_("All statuses")
    )
    certification = django_filters.ChoiceFilter(
        label=_("Certification"),
        method="filter_certification",
        empty_label=_("Any certification"),
        choices=[
            ("organic", _("organic")),
            ("fairtrade", _("fair-trade")),
            ("both", _("organic and fair-trade")),
            ("none", _("none")),
        ],
    )
    land_use = django_filters.ChoiceFilter(
        label=_("Land use of a plot"),
        method="filter_land_use",
        choices=Plot.LandUse.choices,
        empty_label=_("Any land use"),
    )
    o = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[
            ("code", "code"),
            ("search_text", "name"),  # folded surname first: accents do not reorder
            ("dni", "dni"),
            ("community__name", "community"),
            ("status", "status"),
            ("joined_on", "joined_on"),
            ("plot_count", "plots"),
            ("area_ha_total", "area"),
        ],
    )

    class Meta:
        model = Member
        fields = ["q", "community", "status", "certification", "land_use"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_certification(self, queryset, name, value):
        return {
            "organic": queryset.filter(organic_certified=True),
            "fairtrade": queryset.filter(fairtrade_certified=True),
            "both": queryset.filter(organic_certified=True, fairtrade_certified=True),
            "none": queryset.filter(organic_certified=False, fairtrade_certified=False),
        }.get(value, queryset)

    def filter_land_use(self, queryset, name, value):
        # A subquery, not a join: a join on plots would multiply the plot totals of the list.
        return queryset.filter(pk__in=Plot.objects.filter(land_use=value).values("member_id"))

"""Member and plot profile pages: the registry record with its plantings, survival and visits.

They belong to the members URL namespace (acopagro/urls.py composes it) but live here, since
they read plantings data and members must not import plantings.
"""

from django.db.models import Count, Sum
from django.utils.functional import SimpleLazyObject

from core import changes
from core.views import ObjectDetailView
from members.history import history_entries
from members.models import Member, Plot
from plantings.models import MonitoringVisit, Planting, Programme
from plantings.selectors import (
    latest_survival_by_species,
    survival_over_time,
    visits_with_totals,
)

TIMELINE_VISITS = 20


class MemberDetailView(ObjectDetailView):
    model = Member
    permission_required = "members.view_member"
    template_name = "members/member_detail.html"
    queryset = Member.objects.select_related("community")

    def get_context_data(self, **kwargs):
        # The sections below the member's facts are a {% cache %} fragment under the generations
        # of the field data, so everything here stays lazy: a warm page runs none of it (full
        # scale, one process on SQLite: 47 -> 12 ms warm).
        member = self.object
        plots = member.plots.all()
        kwargs.update(
            field_generations=changes.generations_key(changes.FIELD_TOPICS),
            plots=plots.annotate(
                trees_planted=Sum("plantings__trees_planted"),
                planting_count=Count("plantings"),
            ).order_by("code"),
            plantings=Planting.objects.filter(plot__member=member)
            .select_related("plot", "species", "recorded_by")
            .order_by("-planted_on", "pk"),
            survival=SimpleLazyObject(lambda: latest_survival_by_species(plots)),
            visits=visits_with_totals(
                MonitoringVisit.objects.filter(plot__member=member).order_by("-visited_on")
            )[:TIMELINE_VISITS],
            history=SimpleLazyObject(lambda: history_entries(member)),
        )
        return super().get_context_data(**kwargs)


class PlotDetailView(ObjectDetailView):
    model = Plot
    permission_required = "members.view_plot"
    template_name = "members/plot_detail.html"
    queryset = Plot.objects.select_related("member", "member__community")

    def get_context_data(self, **kwargs):
        plot = self.object
        plantings = (
            Planting.objects.filter(plot=plot)
            .select_related("plot", "species", "recorded_by")
            .order_by("-planted_on", "pk")
        )
        plantings = list(plantings)
        trees_planted = sum(p.trees_planted for p in plantings)
        capacity = int(plot.area_ha * Programme.current().max_trees_per_ha)
        kwargs.update(
            plantings=plantings,
            trees_planted=trees_planted,
            capacity=capacity,
            room_left=max(capacity - trees_planted, 0),
            survival=latest_survival_by_species(Plot.objects.filter(pk=plot.pk)),
            over_time=survival_over_time(plot),
            history=history_entries(plot),
        )
        return super().get_context_data(**kwargs)

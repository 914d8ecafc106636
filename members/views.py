"""Staff pages of the producer registry: members and their plots.

The member and plot pages compose the plantings area's reads (plantings builds on members), so
plantings.selectors is imported inside those views, as the admin does for its plot inlines.
"""

from django.db.models import Count, Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from acopagro.form_tokens import OnceTokenMixin
from acopagro.views_base import (
    FilteredListView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectUpdateView,
    PermissionView,
)
from members.filters import MemberFilter
from members.forms import MemberForm, PlotForm
from members.history import history_entries
from members.models import Member, Plot

PLOT_SEARCH_LIMIT = 20
TIMELINE_VISITS = 20


class MemberListView(FilteredListView):
    model = Member
    permission_required = "members.view_member"
    filterset_class = MemberFilter
    template_name = "members/member_list.html"

    def get_queryset(self):
        # Same shape as the admin's list: one COUNT and one page query, community joined.
        self.queryset = (
            Member.objects.select_related("community")
            .with_totals()
            .order_by("last_name", "first_name", "pk")
        )
        return super().get_queryset()


class MemberCreateView(OnceTokenMixin, ObjectCreateView):
    model = Member
    form_class = MemberForm
    template_name = "members/member_form.html"
    permission_required = "members.add_member"
    success_message = _("Member %(object)s saved.")

    def get_success_url(self):
        return reverse("members:member_detail", args=[self.object.pk])


class MemberUpdateView(ObjectUpdateView):
    model = Member
    form_class = MemberForm
    template_name = "members/member_form.html"
    permission_required = "members.change_member"
    success_message = _("Member %(object)s saved.")

    def get_success_url(self):
        return reverse("members:member_detail", args=[self.object.pk])


class MemberDetailView(ObjectDetailView):
    model = Member
    permission_required = "members.view_member"
    template_name = "members/member_detail.html"
    queryset = Member.objects.select_related("community")

    def get_context_data(self, **kwargs):
        from plantings.models import MonitoringVisit, Planting
        from plantings.selectors import latest_survival_by_species, visits_with_totals

        member = self.object
        plots = member.plots.all()
        kwargs.update(
            plots=plots.annotate(
                trees_planted=Sum("plantings__trees_planted"),
                planting_count=Count("plantings"),
            ).order_by("code"),
            plantings=Planting.objects.filter(plot__member=member)
            .select_related("plot", "species", "recorded_by")
            .order_by("-planted_on", "pk"),
            survival=latest_survival_by_species(plots),
            visits=visits_with_totals(
                MonitoringVisit.objects.filter(plot__member=member).order_by("-visited_on")
            )[:TIMELINE_VISITS],
            history=history_entries(member),
        )
        return super().get_context_data(**kwargs)


class PlotCreateView(OnceTokenMixin, ObjectCreateView):
    model = Plot
    form_class = PlotForm
    template_name = "members/plot_form.html"
    permission_required = "members.add_plot"
    success_message = _("Plot %(object)s saved.")

    def get_success_url(self):
        return reverse("members:plot_detail", args=[self.object.pk])

    def dispatch(self, request, *args, **kwargs):
        self.member = get_object_or_404(Member, pk=kwargs["member_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Plot(member=self.member)
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("member", self.member)
        return super().get_context_data(**kwargs)


class PlotUpdateView(ObjectUpdateView):
    model = Plot
    form_class = PlotForm
    template_name = "members/plot_form.html"
    permission_required = "members.change_plot"
    queryset = Plot.objects.select_related("member")
    success_message = _("Plot %(object)s saved.")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("member", self.object.member)
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return reverse("members:plot_detail", args=[self.object.pk])


class PlotDetailView(ObjectDetailView):
    model = Plot
    permission_required = "members.view_plot"
    template_name = "members/plot_detail.html"
    queryset = Plot.objects.select_related("member", "member__community")

    def get_context_data(self, **kwargs):
        from plantings.models import Planting, Programme
        from plantings.selectors import latest_survival_by_species, survival_over_time

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


class PlotSearchView(PermissionView, View):
    """JSON for the plot autocomplete: plots whose code, or member's name, DNI or code, match."""

    permission_required = "members.view_plot"

    def get(self, request, *args, **kwargs):
        text = request.GET.get("q", "").strip()[:100]
        results = []
        if len(text) >= 2:
            plots = Plot.objects.search(text).select_related("member", "member__community")
            for plot in plots.order_by("code")[:PLOT_SEARCH_LIMIT]:
                results.append(
                    {
                        "id": plot.pk,
                        "code": plot.code,
                        "label": f"{plot.code} · {plot.member.full_name} · DNI {plot.member.dni}"
                        f" · {plot.member.community.name}",
                        "active": plot.member.status == Member.Status.ACTIVE,
                    }
                )
        return JsonResponse({"results": results})

"""Staff pages of the producer registry: members and their plots.

The member and plot profile pages show plantings and visits too, so they live in
dashboard/profiles.py (plantings builds on members, not the other way round); acopagro/urls.py
puts them under the members URL namespace.
"""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.form_tokens import OnceTokenMixin
from core.views import (
    FilteredListView,
    ObjectCreateView,
    ObjectUpdateView,
    PermissionView,
)
from members.filters import MemberFilter
from members.forms import MemberForm, PlotForm
from members.models import Member, Plot

PLOT_SEARCH_LIMIT = 20


class MemberListView(FilteredListView):
    model = Member
    permission_required = "members.view_member"
    filterset_class = MemberFilter
    template_name = "members/member_list.html"
    cache_topics = ("members",)  # its plots' count and area: no field data
    # Same shape as the admin's list: one COUNT and one page query, community joined.
    queryset = (
        Member.objects.select_related("community").with_totals().order_by("search_text", "pk")
    )


class MemberFormMixin:
    model = Member
    form_class = MemberForm
    template_name = "members/member_form.html"
    success_message = _("Member %(object)s saved.")
    success_url_name = "members:member_detail"


class MemberCreateView(OnceTokenMixin, MemberFormMixin, ObjectCreateView):
    permission_required = "members.add_member"


class MemberUpdateView(MemberFormMixin, ObjectUpdateView):
    permission_required = "members.change_member"


class PlotFormMixin:
    """The plot form, under the heading of its member (`member` in the template)."""

    model = Plot
    form_class = PlotForm
    template_name = "members/plot_form.html"
    success_message = _("Plot %(object)s saved.")
    success_url_name = "members:plot_detail"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("member", self.get_member())
        return super().get_context_data(**kwargs)


class PlotCreateView(OnceTokenMixin, PlotFormMixin, ObjectCreateView):
    permission_required = "members.add_plot"

    def dispatch(self, request, *args, **kwargs):
        self.member = get_object_or_404(Member, pk=kwargs["member_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_member(self):
        return self.member

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Plot(member=self.member)
        return kwargs


class PlotUpdateView(PlotFormMixin, ObjectUpdateView):
    permission_required = "members.change_plot"
    queryset = Plot.objects.select_related("member")

    def get_member(self):
        return self.object.member


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
                        "label": f"{plot.code} · {plot.member.picker_label()}"
                        f" · {plot.member.community.name}",
                        "active": plot.member.status == Member.Status.ACTIVE,
                    }
                )
        return JsonResponse({"results": results})


class MemberSearchView(PermissionView, View):
    """JSON for member pickers: members whose name, DNI or code match, labelled
    "Surname, First names — code — DNI", sorted by the folded surname."""

    permission_required = "members.view_member"

    def get(self, request, *args, **kwargs):
        text = request.GET.get("q", "").strip()[:100]
        results = []
        if len(text) >= 2:
            members = Member.objects.search(text).order_by("search_text")[:PLOT_SEARCH_LIMIT]
            results = [{"id": m.pk, "code": m.code, "label": m.picker_label()} for m in members]
        return JsonResponse({"results": results})

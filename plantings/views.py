"""Staff pages of the plantings area: plantings, monitoring visits and the species catalogue."""

import datetime
from functools import cached_property

from django.contrib import messages
from django.db.models import Count, Max, Sum
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import changes
from core.form_tokens import OnceTokenMixin
from core.views import (
    FilteredListView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
)
from members.models import Plot
from plantings.filters import PlantingFilter, VisitFilter
from plantings.forms import (
    MeasurementFormSet,
    PlantingForm,
    SpeciesForm,
    SurvivalFormSet,
    VisitForm,
)
from plantings.models import MonitoringVisit, Planting, Species, SurvivalCount
from plantings.selectors import visits_with_totals
from plantings.services import VisitErrors, can_correct_visit, record_visit

# A replayed planting form within this time is taken for a double submit, not a new planting.
RESUBMIT_WINDOW = datetime.timedelta(minutes=10)


def plot_url(plot_id) -> str:
    return reverse("members:plot_detail", args=[plot_id])


class PlantingListView(FilteredListView):
    model = Planting
    permission_required = "plantings.view_planting"
    filterset_class = PlantingFilter
    template_name = "plantings/planting_list.html"
    cache_topics = changes.PLANTED_TOPICS
    queryset = Planting.objects.select_related(
        "plot", "plot__member", "species", "recorded_by"
    ).order_by("-planted_on", "pk")

    def get_context_data(self, **kwargs):
        kwargs["trees_total"] = self.filterset.qs.total_trees()
        return super().get_context_data(**kwargs)


class PlantingFormMixin:
    model = Planting
    form_class = PlantingForm
    template_name = "plantings/planting_form.html"
    success_message = _("Planting %(object)s saved.")

    def get_success_url(self):
        return plot_url(self.object.plot_id)


class PlantingCreateView(OnceTokenMixin, PlantingFormMixin, ObjectCreateView):
    permission_required = "plantings.add_planting"

    def get_initial(self):
        initial = super().get_initial()
        plot_id = self.request.GET.get("plot", "")
        if plot_id.isdigit():
            initial["plot"] = int(plot_id)
        return initial

    def form_valid(self, form):
        form.instance.recorded_by = self.request.user
        duplicate = self.recent_duplicate(form.instance)
        if duplicate is not None:
            # A page sent again after the browser reloaded it (new form token) carries the same
            # planting: a planting has no natural unique key, so compare with the user's latest.
            messages.info(
                self.request,
                _("An identical planting was saved a moment ago; it was not saved twice."),
            )
            return redirect(plot_url(duplicate.plot_id))
        return super().form_valid(form)

    def recent_duplicate(self, planting):
        since = timezone.now() - RESUBMIT_WINDOW
        # Identical: every field of the form has the same value.
        same_values = model_to_dict(planting, fields=self.form_class._meta.fields)
        return Planting.objects.filter(
            recorded_by=self.request.user, created_at__gte=since, **same_values
        ).first()


class PlantingUpdateView(PlantingFormMixin, ObjectUpdateView):
    permission_required = "plantings.change_planting"
    queryset = Planting.objects.select_related("plot", "species")


class PlantingDeleteView(ObjectDeleteView):
    model = Planting
    permission_required = "plantings.delete_planting"
    template_name = "plantings/planting_confirm_delete.html"
    queryset = Planting.objects.select_related("plot", "species")
    success_message = _("Planting %(object)s deleted.")

    def get_success_url(self):
        return plot_url(self.object.plot_id)

    def form_valid(self, form):
        # Survival counts already recorded must stay within what remains planted.
        planting = self.object
        remaining = (
            Planting.objects.filter(plot_id=planting.plot_id, species_id=planting.species_id)
            .exclude(pk=planting.pk)
            .total_trees()
        )
        most_alive = SurvivalCount.objects.filter(
            visit__plot_id=planting.plot_id, species_id=planting.species_id
        ).aggregate(m=Max("trees_alive"))["m"]
        if most_alive is not None and most_alive > remaining:
            form.add_error(
                None,
                _(
                    "This planting cannot be deleted: a visit counted %(alive)s trees of this "
                    "species alive on the plot, and only %(remaining)s would remain planted."
                )
                % {"alive": most_alive, "remaining": remaining},
            )
            return self.form_invalid(form)
        return super().form_valid(form)


class VisitListView(FilteredListView):
    model = MonitoringVisit
    permission_required = "plantings.view_monitoringvisit"
    filterset_class = VisitFilter
    template_name = "plantings/visit_list.html"
    cache_topics = changes.FIELD_TOPICS
    queryset = visits_with_totals(MonitoringVisit.objects.order_by("-visited_on", "pk"))


class VisitDetailView(ObjectDetailView):
    model = MonitoringVisit
    permission_required = "plantings.view_monitoringvisit"
    template_name = "plantings/visit_detail.html"
    queryset = MonitoringVisit.objects.select_related("plot", "plot__member", "recorded_by")

    def get_context_data(self, **kwargs):
        kwargs["counts"] = self.object.survival_counts.select_related("species").order_by(
            "species__local_name"
        )
        kwargs["measurements"] = self.object.measurements.select_related("species").order_by(
            "species__local_name", "pk"
        )
        kwargs["may_correct"] = can_correct_visit(visit=self.object, user=self.request.user)
        return super().get_context_data(**kwargs)


class VisitCreateView(OnceTokenMixin, ObjectCreateView):
    """One form for a whole visit: a survival row per species planted on the plot, and any
    number of sample trees; saved together by record_visit, or not at all."""

    model = MonitoringVisit
    form_class = VisitForm
    permission_required = "plantings.add_monitoringvisit"
    template_name = "plantings/visit_form.html"
    already_saved_message = _("This visit was already saved; here it is.")

    def get(self, request, *args, **kwargs):
        self.plot = self.find_plot()
        if self.plot is None:
            return self.choose_plot()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.plot = self.find_plot()
        if self.plot is None:
            return self.choose_plot()
        return super().post(request, *args, **kwargs)

    def find_plot(self):
        plot_id = self.request.GET.get("plot", "")
        code = self.request.GET.get("plot_code", "").strip()
        plots = Plot.objects.select_related("member")
        if plot_id.isdigit():
            return get_object_or_404(plots, pk=plot_id)
        if code:
            return plots.filter(code__iexact=code).first()
        return None

    def choose_plot(self):
        """No plot given (or an unknown code): ask for one; plain GET form, works without JS."""
        return TemplateResponse(
            self.request,
            "plantings/visit_choose_plot.html",
            {"plot_code": self.request.GET.get("plot_code", "")},
        )

    @cached_property
    def species(self):
        return list(Species.objects.filter(plantings__plot=self.plot).distinct())

    @cached_property
    def formsets(self):
        data = self.request.POST if self.request.method == "POST" else None
        species_by_id = {s.pk: s for s in self.species}
        counts = SurvivalFormSet(
            data,
            prefix="counts",
            initial=[{"species": s.pk} for s in self.species],
            form_kwargs={"species_by_id": species_by_id},
        )
        measurements = MeasurementFormSet(data, prefix="trees")
        for form in [*measurements.forms, measurements.empty_form]:
            form.fields["species"].queryset = Species.objects.filter(
                pk__in=[s.pk for s in self.species]
            )
        for form in counts.forms:
            form.fields["species"].queryset = Species.objects.filter(pk__in=species_by_id)
        return counts, measurements

    def get_initial(self):
        return {
            "visited_on": timezone.localdate(),
            "technician": self.request.user.get_full_name(),
        }

    def get_context_data(self, **kwargs):
        counts, measurements = self.formsets
        kwargs.update(plot=self.plot, counts=counts, measurements=measurements)
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return reverse("plantings:visit_detail", args=[self.object.pk])

    def form_valid(self, form):
        counts, measurements = self.formsets
        if not (counts.is_valid() and measurements.is_valid()):
            return self.form_invalid(form)
        count_forms = [f for f in counts.forms if f.row() is not None]
        tree_forms = [f for f in measurements.forms if f.has_changed() and f.row() is not None]
        try:
            self.object = record_visit(
                plot=self.plot,
                visited_on=form.cleaned_data["visited_on"],
                technician=form.cleaned_data["technician"],
                notes=form.cleaned_data["notes"],
                counts=[f.row() for f in count_forms],
                measurements=[f.row() for f in tree_forms],
                recorded_by=self.request.user,
            )
        except VisitErrors as errors:
            for name, message_list in errors.visit.items():
                form.add_error(name if name in form.fields else None, message_list)
            for rows, row_forms in (
                (errors.counts, count_forms),
                (errors.measurements, tree_forms),
            ):
                for index, row_errors in rows.items():
                    row_form = row_forms[index]
                    for name, message_list in row_errors.items():
                        row_form.add_error(name if name in row_form.fields else None, message_list)
            return self.form_invalid(form)
        messages.success(self.request, _("Visit %(object)s saved.") % {"object": self.object})
        return redirect(self.get_success_url())


class SpeciesListView(ObjectListView):
    model = Species
    permission_required = "plantings.view_species"
    template_name = "plantings/species_list.html"
    cache_topics = ("plantings",)
    paginate_by = 100
    queryset = Species.objects.annotate(
        trees_planted=Sum("plantings__trees_planted"), planting_count=Count("plantings")
    ).order_by("local_name")


class SpeciesDetailView(ObjectDetailView):
    model = Species
    permission_required = "plantings.view_species"
    template_name = "plantings/species_detail.html"

    def get_context_data(self, **kwargs):
        kwargs["totals"] = Planting.objects.filter(species=self.object).aggregate(
            trees=Sum("trees_planted"), plantings=Count("pk"), plots=Count("plot", distinct=True)
        )
        return super().get_context_data(**kwargs)


class SpeciesUpdateView(ObjectUpdateView):
    model = Species
    form_class = SpeciesForm
    permission_required = "plantings.change_species"
    success_message = _("Species %(object)s saved.")

    def get_success_url(self):
        return reverse("plantings:species_detail", args=[self.object.pk])

"""Correcting or cancelling a saved monitoring visit, with the reason kept in the history.

The view asks for the permission to change visits; plantings.services decides who may correct
which visit (managers any, staff their own recent ones) and refuses the rest with HTTP 403.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from core.views import PermissionView
from members.forms import form_helper
from plantings.forms import SurvivalFormSet, VisitForm
from plantings.models import MonitoringVisit, Species
from plantings.services import (
    VisitErrors,
    can_correct_visit,
    cancel_visit,
    correct_visit,
    is_own_recent_visit,
)

REASON = forms.CharField(
    label=gettext_lazy("Reason"),
    max_length=100,
    help_text=gettext_lazy("Why the visit is corrected or cancelled; kept in its history."),
)


class VisitCorrectionForm(VisitForm):
    reason = REASON


class VisitCancelForm(forms.Form):
    reason = REASON

    def __init__(self, *args, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class VisitChangeMixin(PermissionView):
    model = MonitoringVisit  # names the object of the page (the permission matrix reads it)
    permission_required = "plantings.change_monitoringvisit"

    def get_permission_required(self):
        # One's own recent visit needs the right to change visits; any other, correct_any_visit.
        user = getattr(self.request, "user", None)
        visit = MonitoringVisit.objects.filter(pk=self.kwargs.get("pk")).first()
        if visit is not None and is_own_recent_visit(visit=visit, user=user):
            return ("plantings.change_monitoringvisit",)
        return ("plantings.correct_any_visit",)

    @cached_property
    def visit(self) -> MonitoringVisit:
        visit = get_object_or_404(
            MonitoringVisit.objects.select_related("plot", "plot__member"), pk=self.kwargs["pk"]
        )
        if not can_correct_visit(visit=visit, user=self.request.user):
            raise PermissionDenied
        return visit

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.visit  # noqa: B018 - 404 / 403 before any form is read
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.visit}

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def add_visit_errors(self, form, errors: VisitErrors, count_forms=()) -> None:
        for name, message_list in errors.visit.items():
            form.add_error(name if name in form.fields else None, message_list)
        for index, row_errors in errors.counts.items():
            for name, message_list in row_errors.items():
                row = count_forms[index]
                row.add_error(name if name in row.fields else None, message_list)


class VisitCorrectView(VisitChangeMixin, FormView):
    """The visit's date, technician, notes and survival counts, with a reason."""

    form_class = VisitCorrectionForm
    template_name = "plantings/visit_correct.html"

    @cached_property
    def counts(self):
        counted = {c.species_id: c for c in self.visit.survival_counts.all()}
        species = list(Species.objects.filter(plantings__plot=self.visit.plot_id).distinct())
        species += [s for s in Species.objects.filter(pk__in=counted) if s not in species]
        initial = []
        for kind in species:
            row = {"species": kind.pk}
            if kind.pk in counted:
                count = counted[kind.pk]
                row.update(
                    trees_alive=count.trees_alive,
                    trees_dead=count.trees_dead,
                    trees_replanted=count.trees_replanted,
                    loss_cause=count.loss_cause,
                )
            initial.append(row)
        formset = SurvivalFormSet(
            self.request.POST if self.request.method == "POST" else None,
            prefix="counts",
            initial=initial,
            form_kwargs={"species_by_id": {s.pk: s for s in species}},
        )
        for row in formset.forms:
            row.fields["species"].queryset = Species.objects.filter(pk__in=[s.pk for s in species])
        return formset

    def get_context_data(self, **kwargs):
        return super().get_context_data(visit=self.visit, counts=self.counts, **kwargs)

    def form_valid(self, form):
        if not self.counts.is_valid():
            return self.form_invalid(form)
        count_forms = [f for f in self.counts.forms if f.row() is not None]
        try:
            correct_visit(
                visit=self.visit,
                user=self.request.user,
                reason=form.cleaned_data["reason"],
                visited_on=form.cleaned_data["visited_on"],
                technician=form.cleaned_data["technician"],
                notes=form.cleaned_data["notes"],
                counts=[f.row() for f in count_forms],
            )
        except VisitErrors as errors:
            self.add_visit_errors(form, errors, count_forms)
            return self.form_invalid(form)
        messages.success(self.request, _("Visit %(visit)s corrected.") % {"visit": self.visit})
        return redirect(reverse("plantings:visit_detail", args=[self.visit.pk]))


class VisitCancelView(VisitChangeMixin, FormView):
    """Cancel a visit recorded by mistake: the history keeps it, with who and why."""

    form_class = VisitCancelForm
    template_name = "plantings/visit_cancel.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(visit=self.visit, **kwargs)

    def form_valid(self, form):
        plot_id, name = self.visit.plot_id, str(self.visit)
        try:
            cancel_visit(
                visit=self.visit, user=self.request.user, reason=form.cleaned_data["reason"]
            )
        except VisitErrors as errors:
            self.add_visit_errors(form, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Visit %(visit)s cancelled.") % {"visit": name})
        return redirect(reverse("members:plot_detail", args=[plot_id]))

"""Generic base views shared by every app: each page names the permission it needs.

Anonymous visitors are sent to the login page; a logged-in user without the permission gets the
403 "no access" page. Subclasses are a few lines: model, form, permission, success URL.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.functional import lazy
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView
from django.views.generic.base import TemplateView

from core import changes


class PermissionView(PermissionRequiredMixin):
    """Every view must name `permission_required`; no permission means 403, not a redirect."""

    def get_permission_required(self):
        if not self.permission_required:
            raise ImproperlyConfigured(f"{type(self).__name__} must name permission_required")
        return super().get_permission_required()

    def handle_no_permission(self):
        self.raise_exception = self.request.user.is_authenticated
        return super().handle_no_permission()


class PageView(PermissionView, TemplateView):
    pass


class ObjectListView(PermissionView, ListView):
    """A paginated list. With templates/generic/object_list.html its filter bar, table and
    paginator are one {% cache %} fragment under the generations of `cache_topics` (the data
    its rows show: every topic unless narrowed), the query string and the user's permissions
    (rows have edit links: `permissions_key`, core/context_processors.py)."""

    paginate_by = 50
    cache_topics: tuple[str, ...] = changes.TOPICS

    def get_context_data(self, **kwargs):
        # Lazy: read (one query) only by a template that caches with it.
        kwargs.setdefault("list_generations", lazy(changes.generations_key, str)(self.cache_topics))
        return super().get_context_data(**kwargs)


class FilteredListView(ObjectListView):
    """A list narrowed by a django-filter FilterSet from the query string (`filterset_class`);
    the template gets `filter` (its form renders the filter bar) and a paginated `object_list`.
    Filters that do not validate give the page with their messages, an empty list and HTTP 400."""

    filterset_class = None

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=super().get_queryset(), request=self.request
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.is_bound and not self.filterset.is_valid():
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("filter", self.filterset)
        return super().get_context_data(**kwargs)


class ObjectDetailView(PermissionView, DetailView):
    pass


class ObjectMessageMixin(SuccessMessageMixin):
    """Django's SuccessMessageMixin, whose message may also name the record as %(object)s."""

    def get_success_message(self, cleaned_data):
        return self.success_message % {**cleaned_data, "object": self.object}

    def form_valid(self, form):
        response = super().form_valid(form)
        for note in getattr(form, "notes", ()):  # what the form had to round, said aloud
            messages.warning(self.request, note)
        return response


class ModelNameMixin:
    """Templates cannot read `_meta`: pass the model's verbose name for headings."""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("model_verbose_name", self.model._meta.verbose_name)
        return super().get_context_data(**kwargs)


class RecordPageMixin:
    """After saving, go to the saved record's own page when `success_url_name` names it."""

    success_url_name = None

    def get_success_url(self):
        if self.success_url_name is None:
            return super().get_success_url()
        return reverse(self.success_url_name, args=[self.object.pk])


class ObjectCreateView(
    PermissionView, ObjectMessageMixin, ModelNameMixin, RecordPageMixin, CreateView
):
    template_name = "generic/object_form.html"


class ObjectUpdateView(
    PermissionView, ObjectMessageMixin, ModelNameMixin, RecordPageMixin, UpdateView
):
    template_name = "generic/object_form.html"


class ObjectDeleteView(PermissionView, ObjectMessageMixin, DeleteView):
    """Delete after a confirmation page of the subclass's own (template_name)."""

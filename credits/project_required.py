"""Pages that need the carbon project say so when none is configured yet, instead of failing.

The project row is made by migration 0002, by `seed_demo` or in the admin; no page makes it.
"""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from credits.models import CarbonProject


class ProjectRequiredMixin:
    """For a PermissionView: after its permission check, a GET or POST the view handles gets the
    "no carbon project configured yet" page (HTTP 200) when there is no project, and writes
    nothing. Other methods, and methods the view does not handle (405), are left to the view."""

    no_project_template = "credits/no_project.html"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():  # outsiders are refused before they learn anything
            return self.handle_no_permission()
        method = request.method.lower()
        handled = method in ("get", "head", "post") and hasattr(self, method)
        if handled and CarbonProject.current() is None:
            return render(request, self.no_project_template, {"title": _("Carbon credits")})
        return super().dispatch(request, *args, **kwargs)

"""Pages that need the carbon project say so when none is configured yet, instead of failing.

The project row is made by migration 0002, by `seed_demo` or in the admin; no page makes it.
"""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from credits.models import CarbonProject


class ProjectRequiredMixin:
    """Put first in the bases: after the permission check, a GET or POST without a carbon
    project gets the "no carbon project configured yet" page (HTTP 200) and writes nothing."""

    no_project_template = "credits/no_project.html"

    def get(self, request, *args, **kwargs):
        if CarbonProject.current() is None:
            return self.no_project(request)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if CarbonProject.current() is None:
            return self.no_project(request)
        return super().post(request, *args, **kwargs)

    def no_project(self, request):
        return render(request, self.no_project_template, {"title": _("Carbon credits")})

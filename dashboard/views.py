"""The home page: the dashboard of figures, full for managers, field figures for staff."""

from django.views.generic import TemplateView

from core.views import PermissionView
from reports.dashboard import figures_html


class HomeView(PermissionView, TemplateView):
    """The dashboard: managers see every figure, staff the field figures, others the 403 page."""

    template_name = "home.html"
    permission_required = "members.view_member"

    def get_context_data(self, **kwargs):
        full = self.request.user.has_perm("plantings.view_reports")
        kwargs["figures_html"] = figures_html(full=full)
        return super().get_context_data(**kwargs)

"""Project-level views: the home page and the health check."""

from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from acopagro.reports.dashboard import dashboard
from acopagro.views_base import PermissionView


class HomeView(PermissionView, TemplateView):
    """The dashboard: managers see every figure, staff the field figures, others the 403 page."""

    template_name = "home.html"
    permission_required = "members.view_member"

    def get_context_data(self, **kwargs):
        full = self.request.user.has_perm("plantings.view_reports")
        kwargs.update(dashboard(full=full), full=full)
        return super().get_context_data(**kwargs)


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise; discloses nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})

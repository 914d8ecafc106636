"""Project-level views: the home page, the health check and the server-error handler."""

import logging
import sys

from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as default_server_error
from django.views.generic import TemplateView

from acopagro.reports.dashboard import figures_html
from acopagro.views_base import PermissionView


class HomeView(PermissionView, TemplateView):
    """The dashboard: managers see every figure, staff the field figures, others the 403 page."""

    template_name = "home.html"
    permission_required = "members.view_member"

    def get_context_data(self, **kwargs):
        full = self.request.user.has_perm("plantings.view_reports")
        kwargs["figures_html"] = figures_html(full=full)
        return super().get_context_data(**kwargs)


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise; discloses nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logging.getLogger(__name__).warning("healthz: database unreachable", exc_info=True)
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def server_error(request):
    """handler500: a lost database gives the friendly 503 page wherever it was noticed.

    Views are covered by DatabaseUnavailableMiddleware; this catches the same errors raised by
    middleware (a session read or save) once Django has turned them into a 500.
    """
    from acopagro.middleware import DATABASE_ERRORS, database_unavailable_response

    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response(request)
    return default_server_error(request)

"""Whether the database answers: the health check view and the server-error handler."""

import logging
import sys

from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as default_server_error

from core.middleware import DATABASE_ERRORS, database_unavailable_response


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
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response(request)
    return default_server_error(request)

"""Project middleware: the Content-Security-Policy, the friendly 503 page, the client address,
the sliding session expiry.

- ContentSecurityPolicyMiddleware: django-csp with the strict policy of settings, relaxed for
  style *attributes* only where third-party markup needs them (admin pages, SVG charts). Scripts
  are never relaxed.
- DatabaseUnavailableMiddleware: while the database is down a view raises OperationalError or
  InterfaceError; the visitor gets a translated 503 page instead of a 500 with a traceback, and
  an API client (a path under /api/, or `Accept: application/json`) a JSON 503.
  `core.availability.server_error` does the same for errors raised outside views (handler500).
- client_ip: the address django-axes keys lockouts on, proxy-aware (TRUSTED_PROXY_COUNT).
- SessionRefreshMiddleware: sessions expire after SESSION_COOKIE_AGE of inactivity, without a
  session write on every request.
- AdminBatchMiddleware: an admin form that saves several rows (a visit and its counts in
  inlines, an action on many rows) refreshes the summaries once, at the end, not per row.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import changes

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_S = 15

# The admin pages of django-simple-history and django-import-export carry a few style="..."
# attributes; pygal's SVG charts carry a <style> element of their own.
_ADMIN_UPDATE = {"style-src-attr": ["'unsafe-inline'"]}
_SVG_UPDATE = {"style-src": ["'unsafe-inline'"]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        extra = None
        if response.get("Content-Type", "").startswith("image/svg+xml"):
            extra = _SVG_UPDATE
        elif request.path_info.startswith("/admin/"):
            extra = _ADMIN_UPDATE
        if extra and not report_only:
            parts.update = {**extra, **(parts.update or {})}
        return parts


API_PREFIX = "/api/"


def wants_json(request) -> bool:
    """An API client: a path under /api/ (not the HTML docs page), or JSON asked for first."""
    if request.path_info.startswith(API_PREFIX) and not request.path_info.startswith("/api/docs"):
        return True
    accept = request.META.get("HTTP_ACCEPT", "")
    first = accept.split(",")[0].split(";")[0].strip().lower()
    return first == "application/json"


def database_unavailable_response(request):
    """The 503 page, a standalone template that needs no database (no user, no session), or
    for an API client the same in JSON: `{"detail": ..., "retry_after_s": ...}`."""
    session = getattr(request, "session", None)
    if session is not None and not hasattr(session, "_session_cache"):
        # The session could not be read; without this SessionMiddleware would try again while
        # writing the response and fail the same way. Nothing is saved on a 5xx anyway.
        session._session_cache = {}
    if wants_json(request):
        response = JsonResponse(
            {
                "detail": _(
                    "The service is temporarily unavailable. Nothing saved before is lost; "
                    "try again in %(seconds)d seconds."
                )
                % {"seconds": RETRY_AFTER_S},
                "retry_after_s": RETRY_AFTER_S,
            },
            status=503,
        )
    else:
        response = SimpleTemplateResponse(
            "503.html",
            {"LANGUAGE_CODE": translation.get_language(), "retry_after_s": RETRY_AFTER_S},
            status=503,
        ).render()
    response["Retry-After"] = str(RETRY_AFTER_S)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 (not 500) while the database cannot be reached; recovery needs no restart.

    Django's CONN_HEALTH_CHECKS and the error flag it sets on a failed connection make the next
    request open a fresh connection, so service resumes as soon as the database answers again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable_response(request)
        return None


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the address the outermost of TRUSTED_PROXY_COUNT proxies saw.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so
    with N trusted proxies the client is the N-th entry from the right; anything further left
    is whatever the client chose to send and is ignored.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


SESSION_REFRESH_S = 60
REFRESHED_AT_KEY = "_refreshed_at"


def mark_session_refreshed(sender, request, user, **kwargs):
    """user_logged_in: a session starts as freshly saved, so the next page writes nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[REFRESHED_AT_KEY] = int(timezone.now().timestamp())


class SessionRefreshMiddleware:
    """Slide the session's expiry with activity, writing the session at most once a minute.

    SESSION_SAVE_EVERY_REQUEST would write the session row on every page. Here a request that read
    a non-empty session stores the time in it when the last refresh is SESSION_REFRESH_S old or
    more, which marks it modified; SessionMiddleware, listed before this one and so answering after
    it, saves it, and the expiry counts SESSION_COOKIE_AGE from that save. A session thus ends
    after SESSION_COOKIE_AGE of inactivity, at most SESSION_REFRESH_S early. A request that never
    reads the session (the health check) is no activity and refreshes nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(timezone.now().timestamp())
        if session.modified or now - session.get(REFRESHED_AT_KEY, 0) >= SESSION_REFRESH_S:
            session[REFRESHED_AT_KEY] = now  # saved with the session by SessionMiddleware
        return response


class AdminBatchMiddleware:
    """A POST to the admin inside one `changes.batch()`: the admin saves a visit, then each of
    its counts and sample trees (inlines), and each save would otherwise refresh the plot's
    summaries and move the generations again (core/changes.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info.startswith(reverse("admin:index")):
            with changes.batch():
                return self.get_response(request)
        return self.get_response(request)

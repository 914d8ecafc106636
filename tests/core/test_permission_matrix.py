"""Every URL of the URLconf × anonymous / outsider / staff / manager / admin, with GET and POST.

The patterns are discovered by walking the resolver (tests/security/urlwalk.py), never listed by
hand. The expected status comes from what each view declares:

- a view naming `permission_required` (core/views.py, or Django's decorator):
  anonymous → 302 to the login page; a role lacking the permissions → 403; a role holding them →
  neither 403 nor a login redirect nor a server error;
- a DRF API view: the model permission of the HTTP method (view_ for GET, add_ for POST);
  anonymous → 401/403;
- a Django admin page: everyone but the administrator (is_staff) → 302 to the admin login; the
  administrator gets the page (or the ModelAdmin's own refusal), never a server error;
- the short allow-lists below: public pages and pages for any logged-in user.

A view that declares no permission and is on no allow-list fails the suite, so a new page cannot
be added without saying who may open it.
"""

import pytest
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import Http404
from django.test import Client, RequestFactory
from rest_framework.views import APIView

from tests.security.urlwalk import declared_permissions, walk
from tests.security.world import build_url, build_world, fill, presets, view_model

pytestmark = pytest.mark.django_db

ROLE_NAMES = ("anonymous", "outsider", "staff", "manager", "admin")
LOGIN_PATH = "/accounts/login/"
ADMIN_LOGIN_PATH = "/admin/login/"

# Open to anyone, logged in or not (by URL name).
PUBLIC = {
    "healthz": "load balancer probe; says ok/unavailable, nothing else",
    "login": "the login page",
    "logout": "logging out",
    "password_reset": "asks for an e-mail; same answer whether or not it is known",
    "password_reset_done": "confirmation page",
    "password_reset_confirm": "needs the signed token from the e-mail",
    "password_reset_complete": "confirmation page",
    "set_language": "the language switcher",
    "admin:login": "the admin's login page",
    "admin:logout": "the admin's logout",
    "api:schema": "the OpenAPI document describes endpoints, not data",
    "api:token": "exchanges a user name and password for a token (locked out like the login)",
    "api:token-revoke": "ends the token the request carries; 401 without one",
    "api:token-revoke-all": "ends every token of the request's token's user; 401 without one",
    "api:docs": "documentation page of the API",
}
# Open to any logged-in user, whatever their role (by URL name).
LOGGED_IN = {
    "home": "the dashboard shows each card under its own permission",
    "password_change": "every user changes their own password",
    "password_change_done": "confirmation page",
    "api:api-root": "lists the API endpoints, no data",
}
# Patterns that cannot be requested with filled parameters: {route or name: reason}.
UNFILLABLE = {}

ROUTES = list(walk())


def cases():
    for route in ROUTES:
        for preset in presets(route):
            suffix = "[" + ",".join(map(str, preset.values())) + "]" if preset else ""
            yield pytest.param(route, preset, id=route.label + suffix)


@pytest.fixture
def role_users(users):
    return {"anonymous": AnonymousUser(), **users}


def client_as(user):
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


def drf_permissions(route, method):
    declared = getattr(route.view_class, "required_permissions", None)
    if declared:
        return tuple(declared)
    model = view_model(route)
    if model is None:
        return None
    action = {"GET": "view", "POST": "add"}[method]
    return (f"{model._meta.app_label}.{action}_{model._meta.model_name}",)


def runtime_permissions(route, url, values):
    """What a PermissionRequiredMixin view asks for once set up for this URL (some views, like
    the report pages, choose their permission from the URL)."""
    view_class = route.view_class
    if view_class is None or not issubclass(view_class, PermissionRequiredMixin):
        return None
    view = view_class(**getattr(route.callback, "view_initkwargs", {}))
    try:
        view.setup(RequestFactory().get(url), **values)
        try:
            perms = view.get_permission_required()
        except AttributeError:
            # Some views copy their URL arguments onto themselves in dispatch(), then choose.
            vars(view).update(values)
            perms = view.get_permission_required()
    except (Http404, ImproperlyConfigured):
        return None
    return tuple(perms) or None


def policy(route, url=None, values=None):
    """('public'|'login'|'admin'|'perms'|'api'|None, permissions) for route."""
    if route.name in PUBLIC:
        return "public", None
    perms = declared_permissions(route)
    if url is not None:
        perms = runtime_permissions(route, url, values) or perms
    elif route.view_class is not None and issubclass(route.view_class, PermissionRequiredMixin):
        perms = perms or ("set at run time",)
    if perms:
        return "perms", perms
    view_class = route.view_class
    if view_class is not None and issubclass(view_class, APIView):
        declared = getattr(view_class, "required_permissions", None)
        if declared:
            return "api", tuple(declared)
        if view_model(route):
            return "api", None
    if route.name in LOGGED_IN:
        return "login", None
    if route.is_admin:
        return "admin", None
    return None, None


def is_login_redirect(response, login_path):
    return response.status_code == 302 and response["Location"].startswith(login_path)


def check(route, kind, perms, role, user, method, response):
    """None when the response is what the view's declaration promises, else a message."""
    status = response.status_code
    if status >= 500:
        return f"{method} as {role}: server error {status}"
    anonymous = not user.is_authenticated
    if kind == "public":
        return f"{method} as {role}: {status}" if status == 403 else None
    if kind == "admin":
        if user.is_staff:
            # A 403 here is the ModelAdmin refusing an action to everyone (axes' logs have no
            # "add"; autocomplete without its parameters), not a missing role.
            ok = not is_login_redirect(response, ADMIN_LOGIN_PATH)
        else:
            ok = is_login_redirect(response, ADMIN_LOGIN_PATH)
        return None if ok else f"{method} as {role}: {status} {response.get('Location', '')}"
    if kind == "api":
        perms = drf_permissions(route, method)
        if anonymous:
            ok = status in (401, 403)
        elif user.has_perms(perms):
            ok = status != 403
        else:
            ok = status == 403
        return None if ok else f"{method} as {role} (needs {perms}): {status}"
    if anonymous and route.view_class and issubclass(route.view_class, APIView):
        ok = status in (401, 403)
    elif anonymous:
        ok = is_login_redirect(response, LOGIN_PATH)
    elif kind == "login" or user.has_perms(perms):
        ok = status != 403 and not is_login_redirect(response, LOGIN_PATH)
    else:
        ok = status == 403
    return None if ok else f"{method} as {role} (needs {perms}): {status}"


def test_every_view_declares_who_may_open_it():
    undeclared = [
        f"{route.label} ({route.route})"
        for route in ROUTES
        if policy(route)[0] is None and route.name not in UNFILLABLE
    ]
    assert undeclared == [], "views without permission_required and not on an allow-list"


def test_allow_lists_name_existing_urls():
    names = {route.name for route in ROUTES}
    # api:* entries are optional (the API may not name a schema page); the rest must exist.
    stale = [name for name in (*PUBLIC, *LOGGED_IN) if name not in names and ":" not in name]
    assert stale == []


def test_the_matrix_covers_the_app_pages():
    """The walk finds the pages of every area (guards against a walker that finds nothing)."""
    labels = {route.label for route in ROUTES}
    assert {"home", "healthz", "login", "admin:index"} <= labels
    assert any(route.route.startswith("members/") for route in ROUTES)


@pytest.mark.parametrize("route,preset", list(cases()))
def test_permission_matrix(route, preset, role_users):
    if policy(route)[0] is None:
        pytest.skip("reported by test_every_view_declares_who_may_open_it")
    world = build_world()
    values = fill(route, world, preset)
    if values is None:
        assert route.label in UNFILLABLE or route.route in UNFILLABLE, (
            f"cannot fill the parameters {route.params} of {route.label} ({route.route}): "
            "add a factory for its model or list it in UNFILLABLE with a reason"
        )
        return
    url = build_url(route, values)
    kind, perms = policy(route, url, values)
    problems = []
    for role in ROLE_NAMES:
        user = role_users[role]
        for method in ("GET", "POST"):
            # Each request in a savepoint rolled back: a POST that deletes or logs out leaves
            # the data and the session as they were for the next role.
            with transaction.atomic():
                client = client_as(user)
                response = getattr(client, method.lower())(url)
                problem = check(route, kind, perms, role, user, method, response)
                transaction.set_rollback(True)
            if problem:
                problems.append(problem)
    assert problems == [], f"{url} ({kind}, {perms})"

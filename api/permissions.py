"""API permissions: the web forms' role permissions, reads included.

DRF's DjangoModelPermissions lets any logged-in user read; here a read needs the model's view_*
permission too, so an outsider gets 403 from the API as from the pages.
"""

from knox.auth import TokenAuthentication
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission, DjangoModelPermissions


class TokenFirst:
    """Token before session: an unauthenticated request gets 401 with `WWW-Authenticate: Token`
    (DRF answers 403 when the first authenticator, the session, has no such header). The tokens
    are django-rest-knox's: hashed, expiring, revocable (api/tokens.py)."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]


class RoleModelPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class HasPermissions(BasePermission):
    """For views without a model queryset: the view names `required_permissions`."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perms(view.required_permissions))

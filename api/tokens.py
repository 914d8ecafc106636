"""API tokens (django-rest-knox): stored as a SHA-512 digest only, expiring, revocable.

- POST /api/token/ with `username` and `password` answers `{"token": ..., "expiry": ...}`; the
  same request and the same `Authorization: Token <token>` header as DRF's own tokens, so
  clients keep working. The token is shown once: the database keeps its digest, not the token.
- POST /api/token/revoke/ (with the token) ends that token; /api/token/revoke-all/ every token
  of its user. An administrator ends anyone's tokens in the admin (Knox › Auth tokens).
- A token lasts API_TOKEN_TTL_HOURS (settings), then answers 401 and is deleted.
"""

from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema
from knox.models import get_token_model
from knox.settings import knox_settings
from knox.views import LogoutAllView, LogoutView
from rest_framework import renderers, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parsers import PARSER_CLASSES


class TokenResponse(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)


class ObtainTokenView(APIView):
    """A new token for a username and password (django-axes counts failures as for the login).
    The default authenticators stay, as for DRF's own view: a browser session's post without
    its CSRF token is refused (403)."""

    permission_classes = ()
    throttle_classes = ()
    parser_classes = PARSER_CLASSES
    renderer_classes = [renderers.JSONRenderer]

    @extend_schema(request=AuthTokenSerializer, responses=TokenResponse, auth=[])
    def post(self, request, *args, **kwargs):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        instance, token = get_token_model().objects.create(
            user=user, expiry=knox_settings.TOKEN_TTL
        )
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response({"token": token, "expiry": instance.expiry})


class RevokeTokenView(LogoutView):
    """End the token this request carries."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)


class RevokeAllTokensView(LogoutAllView):
    """End every token of the user this request's token belongs to."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)

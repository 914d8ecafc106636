"""API tokens (issue 17, hardening): stored hashed, expiring, revocable; /api/token/ unchanged
for clients (form or JSON body, `{"token": ...}` back, `Authorization: Token <token>`)."""

import datetime

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def obtain(api, fmt=None):
    body = {"username": "staff", "password": "pass-word-123"}
    response = api.post("/api/token/", body, format=fmt)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("fmt", [None, "json"])
def test_the_token_is_stored_as_a_digest_never_in_clear(api, staff, fmt):
    token = obtain(api, fmt)["token"]
    stored = AuthToken.objects.get(user=staff)
    assert token not in stored.digest
    assert stored.digest != token and len(stored.digest) == 128  # SHA-512, hex
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/members/").status_code == 200


def test_a_token_expires(api, staff, settings):
    body = obtain(api)
    expiry = datetime.datetime.fromisoformat(body["expiry"])
    ttl_h = settings.REST_KNOX["TOKEN_TTL"].total_seconds() / 3600
    assert abs((expiry - timezone.now()).total_seconds() / 3600 - ttl_h) < 0.1
    AuthToken.objects.filter(user=staff).update(expiry=timezone.now() - datetime.timedelta(1))
    api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api.get("/api/members/").status_code == 401
    assert not AuthToken.objects.filter(user=staff).exists()  # an expired token is deleted


def test_a_token_is_revoked_by_its_holder(api, staff):
    first, second = obtain(api)["token"], obtain(api)["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.post("/api/token/revoke/").status_code == 204
    assert api.get("/api/members/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get("/api/members/").status_code == 200
    assert api.post("/api/token/revoke-all/").status_code == 204
    assert api.get("/api/members/").status_code == 401
    assert not AuthToken.objects.exists()


def test_a_wrong_password_gets_no_token(api, staff):
    response = api.post("/api/token/", {"username": "staff", "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not AuthToken.objects.exists()


def test_an_administrator_revokes_tokens_in_the_admin(admin_client_, staff, api):
    token = obtain(api)["token"]
    stored = AuthToken.objects.get(user=staff)
    listing = admin_client_.get("/admin/knox/authtoken/")
    assert listing.status_code == 200 and "staff" in listing.content.decode()
    url = f"/admin/knox/authtoken/{stored.pk}/delete/"
    assert admin_client_.post(url, {"post": "yes"}).status_code == 302
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/members/").status_code == 401

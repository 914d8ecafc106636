"""Login: validators on passwords, lockout after repeated failures, no way to tell who exists."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
PASSWORD = "pass-word-123"  # UserFactory's


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def form_errors(response):
    """The visible error text of the login form, without the CSRF token or the echoed name."""
    html = response.content.decode()
    return re.findall(r'class="[^"]*alert[^"]*"[^>]*>(.*?)</div>', html, re.S)


@pytest.mark.parametrize("password", ["12345678", "password", "acopagro", "short1"])
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="acopagro")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_reasonable_password_is_accepted():
    validate_password("cacao-del-huayabamba-2026")


def test_correct_login_works(client, staff):
    response = attempt(client, "staff", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == staff


def test_wrong_password_and_unknown_user_look_the_same(client, staff):
    wrong_password = attempt(client, "staff", "not-the-password")
    unknown_user = attempt(client, "nobody-here", "not-the-password", address="10.0.0.2")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert form_errors(wrong_password) and form_errors(wrong_password) == form_errors(unknown_user)


@pytest.mark.parametrize("username", ["staff", "nobody-here"])
def test_lockout_after_repeated_failures_whether_or_not_the_user_exists(client, staff, username):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert attempt(client, username, "wrong").status_code == 200
    locked = attempt(client, username, "wrong")
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    assert f"blocked for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in (
        " ".join(locked.content.decode().split())
    )
    # Even the right password is refused while locked: nothing tells the attacker it was right.
    again = attempt(client, username, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_and_address(client, staff, manager):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "staff", "wrong")
    assert attempt(client, "staff", PASSWORD).status_code == 429
    # A colleague in the same office (same address) still logs in; so does staff elsewhere.
    assert attempt(client, "manager", PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, "staff", PASSWORD, address="10.9.9.9").status_code == 302


def test_success_resets_the_failure_count(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "staff", "wrong")
    assert attempt(client, "staff", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "staff", "wrong").status_code == 200


def test_client_address_behind_trusted_proxies(rf, settings):
    from core.middleware import client_ip

    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.1.1.1"  # no proxy trusted: the header is ignored
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # what our proxy saw, not what the client wrote

"""Login, logout and password change pages."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_staff_logs_in_and_reaches_the_member_list(client, staff):
    url = reverse("login") + "?next=" + reverse("members:member_list")
    page = client.get(url).content.decode()
    assert 'name="username"' in page and 'for="id_password"' in page
    response = client.post(
        url,
        {"username": "staff", "password": "pass-word-123", "next": reverse("members:member_list")},
    )
    assert response["Location"] == reverse("members:member_list")


def test_wrong_password_is_refused_with_a_message(client, staff):
    response = client.post(reverse("login"), {"username": "staff", "password": "nope"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(staff_client):
    response = staff_client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert staff_client.get(reverse("members:member_list")).status_code == 302


def test_password_change(staff_client, staff):
    page = staff_client.get(reverse("password_change")).content.decode()
    assert page.count("<form") == 3  # language switcher, logout, and the (not nested) form
    response = staff_client.post(
        reverse("password_change"),
        {
            "old_password": "pass-word-123",
            "new_password1": "cacao-Huayabamba-2026",
            "new_password2": "cacao-Huayabamba-2026",
        },
        follow=True,
    )
    assert "Your password was changed." in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password("cacao-Huayabamba-2026")


def test_password_change_mismatch_is_refused(staff_client, staff):
    response = staff_client.post(
        reverse("password_change"),
        {"old_password": "pass-word-123", "new_password1": "a-Long-pass-1", "new_password2": "x"},
    )
    assert "didn’t match" in " ".join(response.context["form"].errors["new_password2"])
    staff.refresh_from_db()
    assert staff.check_password("pass-word-123")

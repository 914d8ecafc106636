"""Issue 16: the admin's history pages in the user's language. django-simple-history ships no
Spanish catalogue, so "Changed" and "None" showed in English; locale_vendor/es supplies them."""

import pytest
from django.urls import reverse

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_admin_history_of_a_member_is_in_spanish(admin_client_, settings):
    member = MemberFactory()
    member.phone = "987654321"
    member.save()
    admin_client_.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = admin_client_.get(reverse("admin:members_member_history", args=[member.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    for spanish in (">Modificado<", ">Creado<", "Fecha/hora", "Motivo del cambio", "Ninguno"):
        assert spanish in html, spanish
    for english in (">Changed<", ">Created<", "Fecha de creación", "Change reason", "None"):
        assert english not in html, english

"""The interface speaks Spanish by default and follows the browser's language or the switcher."""

import subprocess
import sys

import pytest
from django.urls import reverse
from django.utils import translation

from members.models import Member

pytestmark = pytest.mark.django_db


def test_production_default_language_is_spanish():
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.LANGUAGE_CODE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "acopagro.settings", "DEBUG": "1"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "es"


def test_spanish_by_default_in_the_pages(client, settings, staff):
    settings.LANGUAGE_CODE = "es"
    login = client.get(reverse("login")).content.decode()
    assert '<html lang="es">' in login and "Iniciar sesión" in login
    client.force_login(staff)
    members = client.get(reverse("members:member_list")).content.decode()
    assert "Socios" in members
    # The menu names the catalogue (plural), not one species: a context of its own.
    assert f'href="{reverse("plantings:species_list")}">Especies</a>' in members


@pytest.mark.parametrize(
    "accept,expected", [("fr-FR,fr;q=0.9", "Connexion"), ("en-GB,en;q=0.8", "Log in")]
)
def test_browser_language_is_followed(client, settings, accept, expected):
    settings.LANGUAGE_CODE = "es"
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert expected in page and "Iniciar sesión" not in page


def test_language_switcher_sets_the_language(client, settings, staff):
    settings.LANGUAGE_CODE = "es"
    client.force_login(staff)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/members/"})
    assert response.status_code == 302
    page = client.get(reverse("members:member_list")).content.decode()
    assert '<html lang="fr">' in page and "Adhérents" in page


def test_model_messages_are_translated():
    member = Member(dni="123")
    with translation.override("es"):
        errors = _errors(member)
    assert "8 dígitos" in errors["dni"][0]
    with translation.override("fr"):
        assert "8 chiffres" in _errors(member)["dni"][0]


def _errors(member):
    from django.core.exceptions import ValidationError

    try:
        member.full_clean()
    except ValidationError as exc:
        return exc.message_dict
    raise AssertionError("no validation error")


def test_every_message_is_translated():
    """No empty msgstr and no fuzzy entry in the committed catalogues."""
    for language in ("es", "fr"):
        po = f"locale/{language}/LC_MESSAGES/django.po"
        untranslated = subprocess.run(
            ["msgattrib", "--untranslated", "--no-obsolete", po], capture_output=True, text=True
        ).stdout
        fuzzy = subprocess.run(
            ["msgattrib", "--only-fuzzy", "--no-obsolete", po], capture_output=True, text=True
        ).stdout
        assert untranslated.count("msgid ") <= 1, untranslated[:2000]  # the header only
        assert fuzzy.count("msgid ") == 0, fuzzy[:2000]

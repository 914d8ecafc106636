"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright (sync API) against
pytest-django's live_server. Chromium missing means these tests fail, they never skip."""

import os

import pytest
from django.contrib.auth.models import Group
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS
from playwright.sync_api import sync_playwright

from core.roles import MANAGER, STAFF
from tests.factories import CommunityFactory, SpeciesFactory, UserFactory

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run under a
# running loop unless told it is safe (it is: the test thread makes one call at a time).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "cacao-e2e-2026"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets axe-core be injected into the page under the strict policy.
    context = browser.new_context(
        base_url=live_server.url,
        locale="es-PE",
        viewport={"width": 1366, "height": 768},
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def role_user(group: str, **fields):
    # After a serialized-rollback test, Django flushes without post_migrate (it restores its
    # snapshot instead), so content types, permissions and the role groups may be gone.
    if not Group.objects.filter(name=group).exists():
        emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
    return UserFactory(groups=[group], password=PASSWORD, **fields)


@pytest.fixture
def staff_user(transactional_db):
    return role_user(STAFF, username="tecnico", first_name="Edwin", last_name="Ríos")


@pytest.fixture
def manager_user(transactional_db):
    return role_user(MANAGER, username="gerente", first_name="Rosa", last_name="Panduro")


@pytest.fixture
def community(transactional_db):
    return CommunityFactory(name="Dos de Mayo")


@pytest.fixture
def caoba(transactional_db):
    """The reference species the tests pick by name. Loaded by a data migration, but a
    transactional test's flush may have removed it: get it or create it."""
    return SpeciesFactory(scientific_name="Swietenia macrophylla", local_name="Caoba")


def log_in(page, username: str, password: str = PASSWORD):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # Wait for the page the form opens: a bare click can return while the login page is shown.
    with page.expect_navigation(wait_until="load"):
        page.click("main button[type=submit]")

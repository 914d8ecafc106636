"""Shared fixtures: one user per role (outsider, staff, manager, admin) and their clients; the
language of a page; the small worlds of data that the tests of several apps use."""

import pytest

from core.roles import ADMIN, MANAGER, STAFF
from tests.factories import (
    MemberFactory,
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
    UserFactory,
)
from tests.factories_ui import build_world

# Before any test module imports it: its asserts report their values like a test module's.
pytest.register_assert_rewrite("tests.helpers")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Report figures are cached under a stamp of the highest primary keys; a rolled-back test
    can leave the same keys over different rows, so every test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def outsider(db):
    """Logged in, but in no group: sees nothing."""
    return UserFactory(username="outsider")


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", groups=[STAFF])


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", groups=[MANAGER])


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", groups=[ADMIN], is_staff=True, is_superuser=True)


@pytest.fixture
def users(outsider, staff, manager, administrator):
    return {"outsider": outsider, "staff": staff, "manager": manager, "admin": administrator}


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff):
    return client_for(client, staff)


@pytest.fixture
def manager_client(client, manager):
    return client_for(client, manager)


@pytest.fixture
def admin_client_(client, administrator):
    """The administrator's client (pytest-django's own `admin_client` makes a bare superuser)."""
    return client_for(client, administrator)


@pytest.fixture
def english(client, settings):
    """Messages are asserted in English, the source language, whatever the catalogues hold."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def spanish(settings):
    """The staff's language: numbers such as 14.5 or 3.25 in Peru's Spanish format."""
    settings.LANGUAGE_CODE = "es"


@pytest.fixture
def world(db):
    """One member with a plot, two plantings, a visit with counts and a sample tree."""
    return build_world(1)


@pytest.fixture
def world_of_two(db):
    """Two such members: the first one's records (see tests/factories_ui.py)."""
    return build_world(2)


@pytest.fixture
def admin_data(db):
    """A member, plot, planting and visit with recognisable values for the admin's lists."""
    member = MemberFactory(first_name="Zoila", last_name="Tuanama Núñez", dni="45678912")
    plot = PlotFactory(member=member, code="PL-ADMIN")
    planting = PlantingFactory(plot=plot, trees_planted=321)
    visit = MonitoringVisitFactory(plot=plot, technician="Segundo Tuanama")
    SurvivalCountFactory(visit=visit, species=planting.species, trees_alive=287)
    TreeMeasurementFactory(visit=visit, species=planting.species, tree_tag="TAG-77")
    return {"member": member, "plot": plot, "planting": planting, "visit": visit}

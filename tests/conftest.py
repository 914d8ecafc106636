"""Shared fixtures: one user per role (outsider, staff, manager, admin) and their clients."""

import pytest

from core.roles import ADMIN, MANAGER, STAFF
from tests.factories import UserFactory

ROLES = ("outsider", "staff", "manager", "admin")


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

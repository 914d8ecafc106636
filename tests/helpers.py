"""Helpers shared by the tests of several apps: model-rule checks, form errors, pinned query
counts, the role matrix of the staff pages and the admin lists.

tests/conftest.py registers this module for pytest's assertion rewriting, so a failing assert
here reports its values like one in a test module."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)
from tests.factories_ui import build_world

TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

# The marks of a module whose threads race each other, each on its own connection. SQLite
# serializes every write on the whole database, so such a race can only be staged on PostgreSQL.
RACES_ON_POSTGRESQL = [
    pytest.mark.postgres,
    # serialized_rollback: the flush after the test must not drop the migrations' reference rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent connections and row locks of PostgreSQL (set DATABASE_URL)",
    ),
]


# Model rules -----------------------------------------------------------------------------------


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as info:
        instance.full_clean()
    return info.value.message_dict


def db_refuses(model_class, **fields):
    """The database itself rejects the row (CheckConstraint), even past the model's clean()."""
    before = model_class.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        model_class.objects.create(**fields)
    assert model_class.objects.count() == before


# Staff forms -----------------------------------------------------------------------------------


def field_errors(response, form="form"):
    return response.context[form].errors


# Pinned query counts of the staff pages --------------------------------------------------------


def grow_member(world, k: int, start: int):
    """Give the world's member k more plots, each planted, visited, counted and measured."""
    for i in range(start, start + k):
        plot = PlotFactory(member=world.member, code=f"G-{i:04d}", area_ha=Decimal("3"))
        PlantingFactory(plot=plot, species=world.species, trees_planted=400)
        PlantingFactory(plot=plot, species=world.other_species, trees_planted=200)
        visit = MonitoringVisitFactory(plot=plot, visited_on=datetime.date(2017, 1, 1))
        SurvivalCountFactory(visit=visit, species=world.species, trees_alive=300)
        TreeMeasurementFactory(visit=visit, species=world.species)


def grow_plot(world, k: int, start: int):
    """Give the world's plot k more plantings and visits, with counts and sample trees."""
    for i in range(start, start + k):
        PlantingFactory(plot=world.plot, species=world.other_species, trees_planted=10)
        visit = MonitoringVisitFactory(
            plot=world.plot, visited_on=datetime.date(2017, 1, 1) + datetime.timedelta(days=i)
        )
        SurvivalCountFactory(visit=visit, species=world.species, trees_alive=500)
        TreeMeasurementFactory(visit=visit, species=world.species)
        TreeMeasurementFactory(visit=visit, species=world.other_species)


def count_queries(client, url):
    client.get(url)  # the session's first refresh is written here, not counted
    return count_queries_once(client, url)


def cold_and_warm_queries(client, url) -> tuple[int, int]:
    """The page's query count with an empty cache, then again with its fragments cached.

    Both include the session and user lookups of the logged-in client (2); the cold count also
    Django's ModelBackend reading the user's and their groups' permissions (2, then cached by
    core.backends). The session is saved at most once a minute
    (core.middleware.SessionRefreshMiddleware), on the first request, not counted. Warm, a
    list's rows and a member's sections are cached fragments (core.views.ObjectListView,
    dashboard/profiles.py)."""
    client.get(url)  # the session's first refresh is written here, not counted
    cache.clear()
    cold = count_queries_once(client, url)
    return cold, count_queries_once(client, url)


def count_queries_once(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def url_for(world, name, arg):
    return reverse(name, args=[getattr(world, arg).pk] if arg else [])


def list_page_counts(client, name, arg) -> tuple[int, int]:
    """The list page's (cold, warm) query counts with 3 members, then with 30."""
    world = build_world(3)
    small = cold_and_warm_queries(client, url_for(world, name, arg))
    build_world(27, prefix="X")
    return small, cold_and_warm_queries(client, url_for(world, name, arg))


def member_page_counts(client, name, arg) -> tuple[int, int]:
    """The page's (cold, warm) query counts with the member's 3 plots, then with 30."""
    world = build_world(1)
    grow_member(world, 2, 0)
    small = cold_and_warm_queries(client, url_for(world, name, arg))
    grow_member(world, 27, 2)
    return small, cold_and_warm_queries(client, url_for(world, name, arg))


def plot_page_counts(client, name, arg) -> tuple[int, int]:
    """The page's (cold, warm) query counts with the plot's 3 visits, then with 30."""
    world = build_world(1)
    grow_plot(world, 2, 0)
    small = cold_and_warm_queries(client, url_for(world, name, arg))
    grow_plot(world, 27, 2)
    return small, cold_and_warm_queries(client, url_for(world, name, arg))


# Every staff page for every role ---------------------------------------------------------------

VIEW, EDIT, MANAGE = "view", "edit", "manage"
ALLOWED = {
    VIEW: {"staff", "manager", "admin"},
    EDIT: {"staff", "manager", "admin"},
    MANAGE: {"manager", "admin"},
}
# An app's PAGES rows: (url name, how to get its arguments from the world, query string, level,
# expected texts), parametrized under these names.
PAGE_FIELDS = ("name", "arg", "query", "level", "texts")
ROLES = ["outsider", "staff", "manager", "admin"]


def page_url(world, name, arg, query):
    args = [getattr(world, arg).pk] if arg else []
    return reverse(name, args=args) + query.format(plot=world.plot.pk)


def assert_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def assert_role_sees_the_page_or_no_access(client, user, role, url, name, level, texts):
    """Allowed roles see the page's data; the others get 403 and none of it."""
    client.force_login(user)
    response = client.get(url)
    if role in ALLOWED[level]:
        assert response.status_code == 200
        content = response.content.decode()
        for text in texts:
            assert text in content, f"{text!r} missing from {name} for {role}"
    else:
        assert response.status_code == 403
        assert "Núñez" not in response.content.decode()


# The Django admin ------------------------------------------------------------------------------


def admin_list_queries(client, app, model):
    """The admin list's queries with the admin_data fixture's records, then with 5 more plots
    (each planted, visited, counted and measured)."""
    url = reverse(f"admin:{app}_{model}_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        extra_plot = PlotFactory()
        planting = PlantingFactory(plot=extra_plot)
        visit = MonitoringVisitFactory(plot=extra_plot)
        SurvivalCountFactory(visit=visit, species=planting.species, trees_alive=10)
        TreeMeasurementFactory(visit=visit, species=planting.species)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    return few, many

"""One-time form tokens kept in the database (issue 17, finding 2): a form posted twice, by a
double click that reaches two gunicorn workers or by a replay from another session, saves one
record; an IntegrityError on a create is the form's message or a redirect, never a 500.

The concurrency tests post from several threads, each with its own database connection, so they
need PostgreSQL (SQLite serialises writers on one file lock and cannot show the race).
"""

import threading
import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import reverse

from core.models import UsedFormToken
from members.models import Member
from plantings.models import Planting
from tests.factories import CommunityFactory, PlantingFactory, PlotFactory, SpeciesFactory

THREADS = 8


def member_form(community, **changes):
    return {
        "code": "NEW-1",
        "dni": "45678901",
        "first_name": "Lucía",
        "last_name": "Tapullima",
        "gender": "F",
        "community": community.pk,
        "joined_on": "2010-04-01",
        "status": "active",
        "form_token": str(uuid.uuid4()),
        **changes,
    }


def planting_form(plot, species):
    return {
        "plot": plot.code,
        "species": species.pk,
        "planted_on": "2014-03-01",
        "trees_planted": "100",
        "arrangement": "dispersed",
        "form_token": str(uuid.uuid4()),
    }


def as_a_worker():
    """This thread behaves as its own gunicorn worker: its own database connection (Django's
    are per thread) and its own process memory, i.e. its own local-memory cache."""
    caches["default"] = LocMemCache(f"worker-{uuid.uuid4()}", {})


def post_at_once(user, url, data, threads=THREADS):
    """POST data to url from `threads` workers released together: their status codes."""
    barrier = threading.Barrier(threads)
    statuses = []

    def one():
        as_a_worker()
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    workers = [threading.Thread(target=one) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return statuses


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL: SQLite locks the whole file (CI runs both)",
)


@pytest.mark.postgres
@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("round_", range(3))
def test_eight_simultaneous_planting_posts_with_one_token_save_one_planting(staff, round_):
    plot = PlotFactory()
    species = SpeciesFactory()
    PlantingFactory(plot=plot, species=species, trees_planted=10)  # the species is on the plot
    data = planting_form(plot, species)
    statuses = post_at_once(staff, reverse("plantings:planting_add"), data)
    assert Planting.objects.filter(planted_on="2014-03-01").count() == 1
    assert all(status == 302 for status in statuses), statuses
    assert UsedFormToken.objects.filter(token=data["form_token"]).count() == 1


@pytest.mark.postgres
@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_simultaneous_member_posts_with_one_token_no_500(staff):
    data = member_form(CommunityFactory())
    statuses = post_at_once(staff, reverse("members:member_add"), data)
    assert 500 not in statuses and all(status == 302 for status in statuses), statuses
    assert Member.objects.filter(code="NEW-1").count() == 1


@pytest.mark.postgres
@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_members_with_one_code_and_different_tokens_no_500(staff):
    """Two people typing the same new member: one is saved, the others see the field's message."""
    community = CommunityFactory()
    barrier = threading.Barrier(4)
    responses = []

    def one(index):
        as_a_worker()
        client = Client()
        client.force_login(staff)
        data = member_form(community, dni=f"4567890{index}")
        try:
            barrier.wait()
            responses.append(client.post(reverse("members:member_add"), data))
        finally:
            connection.close()

    workers = [threading.Thread(target=one, args=(i,)) for i in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 200, 200, 302], statuses
    assert Member.objects.filter(code="NEW-1").count() == 1
    for response in responses:
        if response.status_code == 200:
            assert response.context["form"].errors["code"]


# Without threads: on SQLite as on PostgreSQL.


@pytest.mark.django_db
def test_the_used_token_is_kept_in_the_database_not_the_session(staff, client):
    """A replay from another session (another browser tab, a worker that never saw the first
    post) is still recognised: it redirects to the record and saves nothing."""
    data = member_form(CommunityFactory())
    client.force_login(staff)
    first = client.post(reverse("members:member_add"), data)
    member = Member.objects.get(code="NEW-1")
    assert first["Location"] == reverse("members:member_detail", args=[member.pk])
    used = UsedFormToken.objects.get(token=data["form_token"])
    assert used.url == first["Location"]

    other = Client()
    other.force_login(staff)
    again = other.post(reverse("members:member_add"), data, follow=True)
    assert again.redirect_chain[0][0] == first["Location"]
    assert "already saved" in again.content.decode()
    assert Member.objects.filter(code="NEW-1").count() == 1


@pytest.mark.django_db
def test_an_invalid_form_uses_no_token(staff_client):
    data = member_form(CommunityFactory(), dni="123")
    response = staff_client.post(reverse("members:member_add"), data)
    assert response.status_code == 200 and response.context["form"].errors["dni"]
    assert not UsedFormToken.objects.exists()
    data["dni"] = "45678901"
    assert staff_client.post(reverse("members:member_add"), data).status_code == 302
    assert Member.objects.filter(code="NEW-1").count() == 1


@pytest.mark.django_db
def test_an_integrity_error_on_a_create_is_the_forms_message(staff_client, monkeypatch):
    """The duplicate saved between validation and INSERT (another worker): the field's message
    on the form, HTTP 200, nothing saved, no token used."""
    community = CommunityFactory()
    Member.objects.create(
        code="NEW-1",
        dni="11112222",
        first_name="Otra",
        last_name="Persona",
        gender="F",
        community=community,
        joined_on="2001-01-01",
    )
    original = Member.validate_unique
    calls = []

    def misses_the_rival_once(self, exclude=None):
        # The first check runs before the rival is committed; later ones see it.
        calls.append(1)
        if len(calls) > 1:
            original(self, exclude)

    monkeypatch.setattr(Member, "validate_unique", misses_the_rival_once)
    data = member_form(community)
    response = staff_client.post(reverse("members:member_add"), data)
    assert response.status_code == 200
    assert "already exists" in " ".join(response.context["form"].errors["code"])
    assert not Member.objects.filter(dni="45678901").exists()
    assert not UsedFormToken.objects.exists()


@pytest.mark.django_db
def test_a_token_row_is_unique_in_the_database():
    token = uuid.uuid4()
    UsedFormToken.objects.create(token=token, url="/members/1/")
    with pytest.raises(IntegrityError):
        UsedFormToken.objects.create(token=token, url="/members/2/")

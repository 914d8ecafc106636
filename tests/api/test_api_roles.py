"""The REST API per role: who may read, create, update and delete; the same rules as the forms."""

import datetime

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from members.models import Member
from plantings.models import MonitoringVisit, Planting
from tests.factories import (
    CommunityFactory,
    MemberFactory,
    PlantingFactory,
    PlotFactory,
    SpeciesFactory,
)


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def member_payload(community, **overrides):
    return {
        "code": "AC-0100", "dni": "44556677", "first_name": "Rosa", "last_name": "Núñez",
        "gender": "F", "community": community.pk, "joined_on": "2005-03-01", **overrides,
    }  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        "/api/members/",
        "/api/plots/",
        "/api/plantings/",
        "/api/visits/",
        "/api/species/",
        "/api/credits/totals/",
    ],
)
def test_anonymous_401_and_outsider_403(api, outsider, url):
    assert api.get(url).status_code == 401
    assert api.get(url).json()["detail"]
    assert as_user(api, outsider).get(url).status_code == 403


def test_token_obtained_and_used(api, staff):
    staff.set_password("pass-word-123")
    staff.save()
    response = api.post("/api/token/", {"username": "staff", "password": "pass-word-123"})
    token = response.json()["token"]
    assert AuthToken.objects.get(user=staff).token_key == token[:15]  # only a prefix and a digest
    MemberFactory(code="AC-0001")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listing = api.get("/api/members/").json()
    assert listing["count"] == 1 and listing["results"][0]["code"] == "AC-0001"
    api.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert api.get("/api/members/").status_code == 401


def test_staff_creates_and_updates_a_member_but_cannot_delete(api, staff):
    community = CommunityFactory()
    client = as_user(api, staff)
    created = client.post("/api/members/", member_payload(community), format="json")
    assert created.status_code == 201, created.json()
    member = Member.objects.get(dni="44556677")
    assert member.search_text.startswith("nunez rosa")  # save() ran (surname first)

    updated = client.patch(f"/api/members/{member.pk}/", {"phone": "942 000 111"}, format="json")
    assert updated.status_code == 200
    member.refresh_from_db()
    assert member.phone == "942 000 111"
    assert member.history.count() == 2

    assert client.delete(f"/api/members/{member.pk}/").status_code == 403
    assert Member.objects.filter(pk=member.pk).exists()


def test_manager_deletes(api, manager):
    member = MemberFactory()
    assert as_user(api, manager).delete(f"/api/members/{member.pk}/").status_code == 204
    assert not Member.objects.filter(pk=member.pk).exists()


def test_model_rules_give_the_form_messages(api, staff):
    community = CommunityFactory()
    MemberFactory(dni="44556677", code="X-1", first_name="Otra", last_name="Persona")
    client = as_user(api, staff)
    response = client.post(
        "/api/members/",
        member_payload(community, joined_on="2090-01-01", organic_certified_on="2010-01-01"),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["joined_on"] == ["The joining date cannot be in the future."]
    assert errors["organic_certified_on"] == [
        "A certification date needs the certification ticked."
    ]
    assert errors["dni"] == ["DNI 44556677 is already registered to Otra Persona (X-1)."]
    assert Member.objects.count() == 1


def test_planting_capacity_and_filtering(api, staff):
    plot = PlotFactory()
    species = SpeciesFactory()
    client = as_user(api, staff)
    payload = {
        "plot": plot.pk,
        "species": species.pk,
        "planted_on": "2010-05-01",
        "trees_planted": 5000,
    }
    refused = client.post("/api/plantings/", payload, format="json")
    assert refused.status_code == 400
    assert "holds at most 3200 trees" in refused.json()["trees_planted"][0]

    payload["trees_planted"] = 300
    created = client.post("/api/plantings/", payload, format="json")
    assert created.status_code == 201
    assert Planting.objects.get().recorded_by == staff
    PlantingFactory(planted_on=datetime.date(2012, 1, 1))
    listing = client.get("/api/plantings/", {"plot": plot.pk}).json()
    assert [p["trees_planted"] for p in listing["results"]] == [300]
    dated = client.get("/api/plantings/", {"planted_on__gte": "2011-01-01"}).json()
    assert dated["count"] == 1


def test_staff_cannot_edit_species_manager_can(api, staff, manager):
    species = SpeciesFactory()
    url = f"/api/species/{species.pk}/"
    assert as_user(api, staff).get(url).status_code == 200
    assert as_user(api, staff).patch(url, {"local_name": "X"}, format="json").status_code == 403
    assert as_user(api, manager).patch(url, {"local_name": "X"}, format="json").status_code == 200


def test_visit_with_nested_counts_is_all_or_nothing(api, staff):
    plot = PlotFactory()
    species = SpeciesFactory()
    PlantingFactory(plot=plot, species=species, trees_planted=100)
    client = as_user(api, staff)
    payload = {
        "plot": plot.pk, "visited_on": "2015-06-01", "technician": "Edwin",
        "survival_counts": [{"species": species.pk, "trees_alive": 150, "trees_dead": 0}],
        "measurements": [{"species": species.pk, "dbh_cm": "12.5", "height_m": "9.0"}],
    }  # fmt: skip
    refused = client.post("/api/visits/", payload, format="json")
    assert refused.status_code == 400
    assert "more than the 100 trees" in str(refused.json()["survival_counts"])
    assert MonitoringVisit.objects.count() == 0

    payload["survival_counts"][0]["trees_alive"] = 90
    created = client.post("/api/visits/", payload, format="json")
    assert created.status_code == 201, created.json()
    body = client.get(f"/api/visits/{created.json()['id']}/").json()
    assert body["survival_counts"][0]["trees_alive"] == 90
    assert body["measurements"][0]["dbh_cm"] == "12.5"

    again = client.post("/api/visits/", {**payload, "survival_counts": []}, format="json")
    assert again.status_code == 400  # one visit per plot and day


def test_reports_and_credits_read_only(api, staff, manager):
    PlantingFactory(trees_planted=120)
    assert as_user(api, staff).get("/api/reports/trees-by-species/").status_code == 403
    rows = as_user(api, manager).get("/api/reports/trees-by-species/").json()
    assert sum(r["trees"] for r in rows) == 120
    totals = as_user(api, staff).get("/api/credits/totals/").json()
    assert totals["issued"] == 0 and totals["revenue"] == "0.00"
    assert as_user(api, manager).post("/api/credits/projects/", {}).status_code == 405
    bad_date = as_user(api, staff).get("/api/credits/sales/", {"date_from": "yesterday"})
    assert bad_date.status_code == 400


def test_schema_and_docs_are_public(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert schema["openapi"].startswith("3.")
    assert "/api/members/{id}/" in schema["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "/api/visits/" in docs and "survival_counts" in docs


def test_deleting_a_record_in_use_is_a_409_not_a_500(api, manager):
    plot = PlotFactory()
    response = as_user(api, manager).delete(f"/api/members/{plot.member_id}/")
    assert response.status_code == 409
    assert "cannot be deleted: plots refer to it" in response.json()["detail"]
    assert Member.objects.filter(pk=plot.member_id).exists()

"""Who reaches which report: anonymous → login, outsider → 403, staff → field pages only."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MANAGER_ONLY = ["plantings", "survival", "members", "carbon", "carbon-over-time", "credits"]
MANAGER_ONLY += ["payday"]
STAFF_TOO = ["visit-list", "follow-up"]


def report_url(slug):
    return reverse("reports:report", args=[slug])


@pytest.mark.parametrize("slug", MANAGER_ONLY + STAFF_TOO)
def test_anonymous_goes_to_login(client, slug):
    response = client.get(report_url(slug))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_anonymous_dashboard_goes_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "url",
    [reverse("home"), reverse("reports:index"), reverse("reports:map"), report_url("visit-list")]
    + [report_url(s) for s in MANAGER_ONLY],
)
def test_outsider_gets_the_no_access_page(client, outsider, url):
    client.force_login(outsider)
    response = client.get(url)
    assert response.status_code == 403
    assert b"no access" in response.content.lower() or b"sin acceso" in response.content.lower()


@pytest.mark.parametrize("slug", MANAGER_ONLY)
def test_staff_cannot_reach_manager_reports(staff_client, slug):
    assert staff_client.get(report_url(slug)).status_code == 403
    assert staff_client.get(report_url(slug) + "?format=csv").status_code == 403


def test_staff_sees_the_visit_list_map_and_a_reduced_dashboard(staff_client, known):
    assert staff_client.get(report_url("visit-list")).status_code == 200
    assert staff_client.get(reverse("reports:map_geojson")).status_code == 200
    response = staff_client.get(reverse("home"))
    assert response.status_code == 200
    assert 'data-figure="trees_planted">1,400<' in response.content.decode() or (
        response.context["field"]["trees_planted"] == 1400
    )
    assert "carbon" not in response.context and not response.context["full"]
    assert b'data-figure="revenue"' not in response.content
    assert report_url("plantings").encode() not in response.content  # no link to a 403


def test_staff_index_lists_only_what_staff_may_open(staff_client):
    response = staff_client.get(reverse("reports:index"))
    slugs = [r.slug for r in response.context["reports"]]
    assert slugs == ["visit-list", "follow-up"]


@pytest.mark.parametrize("slug", MANAGER_ONLY + STAFF_TOO + ["community"])
def test_manager_opens_every_report(manager_client, known, slug):
    response = manager_client.get(report_url(slug))
    assert response.status_code == 200
    assert response.context["report"].slug == slug


def test_manager_dashboard_has_every_figure_with_links(manager_client, known):
    response = manager_client.get(reverse("home"))
    html = response.content.decode()
    assert response.context["full"]
    assert response.context["field"]["members_active"] == 2
    for slug in ("plantings", "survival", "carbon", "credits", "visit-list"):
        assert report_url(slug) in html
    for figure in ("verified_t", "issued", "buffer", "sold", "retired", "available", "revenue"):
        assert f'data-figure="{figure}"' in html
    assert response.context["credits"]["issued"] == 0  # no credits issued in this data set


def test_bad_filters_give_400_with_the_message_and_no_tables(manager_client, known):
    url = report_url("plantings") + "?date_from=2013-01-01&date_to=2010-01-01"
    response = manager_client.get(url)
    assert response.status_code == 400
    assert response.context["tables"] == []
    assert "date_to" in response.context["form"].errors
    response = manager_client.get(report_url("plantings") + "?community=999999")
    assert response.status_code == 400
    assert manager_client.get(reverse("reports:map_geojson") + "?species=x").status_code == 400


def test_unknown_report_and_format(manager_client):
    assert manager_client.get(report_url("nope")).status_code == 404
    assert manager_client.get(report_url("plantings") + "?format=docx").status_code == 400

"""A cached report is computed again after a change of what it reads, and only then: a planting
leaves the credits report cached, a buyer (the registry) leaves the survival report cached."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credits.models import Buyer
from tests.factories import MonitoringVisitFactory, PlantingFactory

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def warm_then_after(client, url, change) -> tuple[int, int, int]:
    cold = queries(client, url)
    warm = queries(client, url)
    change()
    return cold, warm, queries(client, url)


def plant(known):
    return lambda: PlantingFactory(
        plot=known.p2, species=known.s1, planted_on=datetime.date(2013, 1, 5), trees_planted=50
    )


def add_buyer():
    Buyer.objects.create(name=f"Chocolats du Léman {Buyer.objects.count()}", country="CH")


def test_a_planting_leaves_the_credits_report_cached(manager_client, known):
    url = "/reports/credits/"
    cold, warm, _ = warm_then_after(manager_client, url, lambda: None)
    plant(known)()
    with CaptureQueriesContext(connection) as captured:
        page = manager_client.get(url).content.decode()
    sql = " ".join(q["sql"] for q in captured)
    # The filters list the species (a planting's topic) again; the credits are not read again.
    assert "plantings_species" in sql
    assert "credits_" not in sql
    assert warm < cold
    assert "Credits per vintage" in page


def test_a_visit_leaves_the_plantings_report_cached_and_recomputes_survival(manager_client, known):
    def visit():
        MonitoringVisitFactory(plot=known.p2, visited_on=datetime.date(2014, 1, 1))

    cold, warm, after = warm_then_after(manager_client, "/reports/plantings/", visit)
    assert after == warm
    cold, warm, after = warm_then_after(manager_client, "/reports/survival/", visit_again(known))
    assert after > warm


def visit_again(known):
    return lambda: MonitoringVisitFactory(plot=known.p2, visited_on=datetime.date(2014, 2, 1))


def test_a_planting_recomputes_the_survival_and_plantings_reports(manager_client, known):
    for url in ("/reports/survival/", "/reports/plantings/"):
        cold, warm, after = warm_then_after(manager_client, url, plant(known))
        assert warm < cold
        assert after > warm, url


def test_a_change_in_the_registry_leaves_the_field_reports_cached(manager_client, known):
    for url in ("/reports/survival/", "/reports/plantings/", "/reports/members/"):
        cold, warm, after = warm_then_after(manager_client, url, add_buyer)
        assert warm < cold
        assert after == warm, url


def test_a_change_in_the_registry_recomputes_the_credits_report(manager_client, known):
    cold, warm, after = warm_then_after(manager_client, "/reports/credits/", add_buyer)
    assert after > warm


def test_a_visit_recomputes_only_the_maps_survival_and_keeps_its_shapes(manager_client, known):
    """The map's shapes (parsing and rounding every boundary) are cached by what is planted
    where; a visit re-reads the survival only, and the new count shows in the GeoJSON."""
    url = "/reports/map/plots.geojson"
    cold, warm, _ = warm_then_after(manager_client, url, lambda: None)
    visit = MonitoringVisitFactory(plot=known.p2, visited_on=datetime.date(2014, 3, 1))
    visit.survival_counts.create(species=known.s1, trees_alive=7)
    with CaptureQueriesContext(connection) as captured:
        response = manager_client.get(url)
    sql = " ".join(q["sql"] for q in captured)
    assert "members_plot" not in sql  # the shapes stayed cached
    assert "credits_plotspeciessummary" in sql  # the survival was read again
    feature = next(f for f in response.json()["features"] if f["properties"]["id"] == known.p2.pk)
    assert feature["properties"]["alive"] == 7
    assert warm < cold


def tbody(page: str) -> str:
    return page[page.index("<tbody") : page.rindex("</tbody>")]


def test_a_report_body_is_written_once_per_generation_and_follows_a_visit(
    manager_client, known, monkeypatch
):
    """The table bodies' HTML is cached beside the rows (reports/views.py): a second request
    writes none, and a visit that changes a figure shows at once."""
    from reports import views

    written = []
    real = views.table_body_html
    monkeypatch.setattr(views, "table_body_html", lambda t: written.append(t.slug) or real(t))
    url = "/reports/members/"
    first = manager_client.get(url).content.decode()
    assert written and "K-002" in first
    count = len(written)
    again = manager_client.get(url).content.decode()
    assert tbody(again) == tbody(first)
    assert len(written) == count
    visit = MonitoringVisitFactory(plot=known.p2, visited_on=datetime.date(2014, 3, 1))
    visit.survival_counts.create(species=known.s1, trees_alive=77)
    after = manager_client.get(url).content.decode()
    assert len(written) > count
    assert ">77<" in after and ">77<" not in first

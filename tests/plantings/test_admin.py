"""The plantings admin, as the admin role uses it: every model's list, the visit's change form."""

import pytest
from django.urls import reverse

from tests.helpers import admin_list_queries

pytestmark = pytest.mark.django_db

ADMIN_LISTS = [
    ("plantings", "species", "Caoba"),
    ("plantings", "programme", "2008"),
    ("plantings", "planting", "321"),
    ("plantings", "monitoringvisit", "Segundo Tuanama"),
    ("plantings", "survivalcount", "287"),
    ("plantings", "treemeasurement", "TAG-77"),
]


@pytest.mark.parametrize("app,model,expected", ADMIN_LISTS)
def test_admin_list_shows_records(admin_client_, admin_data, app, model, expected):
    response = admin_client_.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.parametrize("app,model,_expected", ADMIN_LISTS)
def test_admin_list_query_count_does_not_grow_with_rows(
    admin_client_, admin_data, app, model, _expected
):
    few, many = admin_list_queries(admin_client_, app, model)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_visit_change_page_has_counts_and_measurements(admin_client_, admin_data):
    page = admin_client_.get(
        reverse("admin:plantings_monitoringvisit_change", args=[admin_data["visit"].pk])
    ).content.decode()
    assert 'value="287"' in page and 'value="TAG-77"' in page

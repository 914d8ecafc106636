"""The credits admin, as the admin role uses it: the carbon project's list."""

import pytest
from django.urls import reverse

from tests.helpers import admin_list_queries

pytestmark = pytest.mark.django_db

ADMIN_LISTS = [
    ("credits", "carbonproject", "Acopagro"),
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

"""The credits summaries of the API: the same counts as the credits pages, one serializer each."""

from rest_framework.test import APIClient


def get_json(user, url, **params):
    api = APIClient()
    api.force_authenticate(user)
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_vintages_give_each_period_its_credit_counts(issued, staff):
    [row] = get_json(staff, "/api/credits/vintages/")
    assert row["period_id"] == issued.pk and row["vintage"] == "2019"
    assert row["start_date"] == issued.start_date.isoformat()
    assert row["issued"] == issued.issuable_credits == 57
    assert row["buffer"] == issued.buffer_credits == 15
    assert row["available"] == issued.issuable_credits
    assert (row["sold"], row["retired"], row["cancelled"]) == (0, 0, 0)


def test_totals_count_the_same_credits_within_the_dates(issued, staff):
    totals = get_json(staff, "/api/credits/totals/")
    assert totals["issued"] == issued.issuable_credits
    assert totals["available"] == issued.issuable_credits
    assert totals["revenue"] == "0.00"
    before = get_json(staff, "/api/credits/sales/", date_to="2000-01-01")
    assert before == []

"""The members admin, as the admin role uses it: lists, search, the member's plots, history."""

import pytest
from django.urls import reverse

from tests.factories import MemberFactory
from tests.helpers import admin_list_queries

pytestmark = pytest.mark.django_db

ADMIN_LISTS = [
    ("members", "community", "Comunidad"),
    ("members", "member", "Tuanama Núñez"),
    ("members", "plot", "PL-ADMIN"),
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


def test_admin_search_by_dni_and_accentless_name(admin_client_, admin_data):
    MemberFactory(first_name="Otro", last_name="Socio")
    url = reverse("admin:members_member_changelist")
    by_dni = admin_client_.get(url, {"q": "45678912"}).content.decode()
    assert "Tuanama Núñez" in by_dni and "Socio" not in by_dni
    by_name = admin_client_.get(url, {"q": "nunez"}).content.decode()
    assert "Tuanama Núñez" in by_name and "Socio" not in by_name


def test_member_change_page_has_plot_inline(admin_client_, admin_data):
    page = admin_client_.get(reverse("admin:members_member_change", args=[admin_data["member"].pk]))
    assert "PL-ADMIN" in page.content.decode()


def test_history_records_who_and_before_after(admin_client_, admin_data, administrator):
    member = admin_data["member"]
    url = reverse("admin:members_member_change", args=[member.pk])
    form = admin_client_.get(url).context["adminform"].form
    post = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "search_text"}
    post.update(
        {
            "phone": "987654321",
            "community": member.community_id,
            "plots-TOTAL_FORMS": "1",
            "plots-INITIAL_FORMS": "1",
            "plots-0-id": admin_data["plot"].pk,
            "plots-0-member": member.pk,
            "plots-0-code": "PL-ADMIN",
            "plots-0-name": "Cacao 1",
            "plots-0-land_use": "cacao",
            "plots-0-area_ha": "2.00",
            "plots-0-latitude": "-7.2",
            "plots-0-longitude": "-76.7",
            "plots-0-altitude_m": "350",
        }
    )
    for key in ("birth_date", "joined_on", "organic_certified_on", "fairtrade_certified_on"):
        if post.get(key):
            post[key] = post[key].isoformat()
    for key in ("organic_certified", "fairtrade_certified"):
        if not post.get(key):
            post.pop(key, None)
    response = admin_client_.post(url, post)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = member.history.latest()
    assert latest.history_user == administrator
    assert latest.phone == "987654321"
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("phone", "", "987654321")]
    history_page = admin_client_.get(
        reverse("admin:members_member_history", args=[member.pk])
    ).content.decode()
    assert "987654321" in history_page or "admin" in history_page

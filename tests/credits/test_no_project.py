"""Reads never write the carbon project: without one, its pages say so (HTTP 200) and the
services refuse with a message; only the migration, `seed_demo` and the admin make the row."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from credits import services
from credits.models import CarbonProject
from reports.catalogue import REPORTS
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
NO_PROJECT = "No carbon project is configured yet."

# Every credits page that reads the project (CarbonProject.current()).
PROJECT_PAGES = [
    "credits:dashboard",
    "credits:project",
    "credits:project_edit",
    "credits:period_add",
    "credits:sale_add",
    "credits:retirement_add",
    "credits:block_cancel",
    "credits:payment_add",
    "credits:payday",
]


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def no_project(db):
    CarbonProject.objects.all().delete()


def test_current_reads_the_row_and_never_makes_one(no_project):
    assert CarbonProject.current() is None
    assert not CarbonProject.objects.exists()


@pytest.mark.parametrize("name", PROJECT_PAGES)
def test_a_project_page_without_a_project_says_so_and_makes_none(admin_client_, no_project, name):
    response = admin_client_.get(reverse(name))
    assert response.status_code == 200
    assert NO_PROJECT in response.content.decode()
    assert not CarbonProject.objects.exists()


@pytest.mark.parametrize("name", PROJECT_PAGES)
def test_a_project_page_still_refuses_outsiders_first(client, outsider, no_project, name):
    client.force_login(outsider)
    assert client.get(reverse(name)).status_code == 403
    client.logout()
    assert client.get(reverse(name)).status_code == 302


def test_the_message_offers_the_admin_to_add_the_project(admin_client_, no_project):
    page = admin_client_.get(reverse("credits:dashboard")).content.decode()
    assert reverse("admin:credits_carbonproject_add") in page


def test_staff_reads_the_message_without_the_link(staff_client, no_project):
    response = staff_client.get(reverse("credits:dashboard"))
    assert response.status_code == 200 and NO_PROJECT in response.content.decode()
    assert reverse("admin:credits_carbonproject_add") not in response.content.decode()


def test_opening_a_period_without_a_project_writes_nothing(manager_client, no_project):
    data = {
        "start_date": "2019-01-01",
        "end_date": "2019-12-31",
        "vintage": "2019",
        "baseline_co2e_t": "0",
        "leakage_co2e_t": "0",
        "confirm": "1",
    }
    response = manager_client.post(reverse("credits:period_add"), data)
    assert response.status_code == 200 and NO_PROJECT in response.content.decode()
    assert not CarbonProject.objects.exists()


def test_paying_without_a_project_is_refused_with_the_message(no_project, manager):
    with pytest.raises(ValidationError) as refused:
        services.pay_all_owed(paid_on=datetime.date(2024, 3, 1), method="cash", user=manager)
    assert refused.value.messages == [NO_PROJECT]
    with pytest.raises(ValidationError):
        services.record_payment(
            member=MemberFactory(), paid_on=datetime.date(2024, 3, 1), method="cash"
        )
    assert not CarbonProject.objects.exists()


@pytest.mark.parametrize("slug", [report.slug for report in REPORTS])
def test_reports_and_home_without_a_project_make_none(admin_client_, no_project, slug):
    assert admin_client_.get(reverse("reports:report", args=[slug])).status_code == 200
    assert admin_client_.get(reverse("home")).status_code == 200
    assert not CarbonProject.objects.exists()


def test_member_statement_without_a_project_makes_none(admin_client_, no_project):
    member = MemberFactory()
    response = admin_client_.get(reverse("credits:member_statement", args=[member.pk]))
    assert response.status_code == 200 and member.code in response.content.decode()
    profile = admin_client_.get(reverse("members:member_detail", args=[member.pk]))
    assert profile.status_code == 200
    assert not CarbonProject.objects.exists()


@pytest.mark.parametrize("name", ["credits:dashboard", "credits:project"])
def test_a_read_page_without_a_project_still_refuses_a_post(admin_client_, no_project, name):
    assert admin_client_.post(reverse(name)).status_code == 405
    assert not CarbonProject.objects.exists()

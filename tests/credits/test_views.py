"""The credits pages by role, and the operations with their preview step."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from credits import services
from credits.models import (
    CreditBlock,
    MemberPeriodResult,
    MonitoringPeriod,
    Payment,
    ProducerShare,
    Retirement,
    Sale,
)
from tests.credits.factories import BuyerFactory

# Assertions read English text and numbers (Spanish shows 72,689 for 72.689).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DAY = datetime.date(2024, 3, 1)

READ_PAGES = [
    ("credits:dashboard", False),
    ("credits:project", False),
    ("credits:period_list", False),
    ("credits:period_detail", True),
    ("credits:block_list", False),
    ("credits:sale_list", False),
    ("credits:retirement_list", False),
    ("credits:payment_list", False),
    ("credits:history", False),
]
MANAGER_PAGES = [
    ("credits:project_edit", False),
    ("credits:period_add", False),
    ("credits:period_close", True),
    ("credits:sale_add", False),
    ("credits:buyer_add", False),
    ("credits:retirement_add", False),
    ("credits:block_cancel", False),
    ("credits:payment_add", False),
]


def url(name, needs_pk, period):
    return reverse(name, args=[period.pk]) if needs_pk else reverse(name)


@pytest.mark.parametrize("name, needs_pk", READ_PAGES + MANAGER_PAGES)
def test_anonymous_goes_to_login_and_outsider_is_refused(client, outsider, period, name, needs_pk):
    address = url(name, needs_pk, period)
    response = client.get(address)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(outsider)
    assert client.get(address).status_code == 403


@pytest.mark.parametrize("name, needs_pk", READ_PAGES)
def test_staff_reads(staff_client, period, name, needs_pk):
    response = staff_client.get(url(name, needs_pk, period))
    assert response.status_code == 200
    assert "Open a period" not in response.content.decode()  # no operation buttons


@pytest.mark.parametrize("name, needs_pk", MANAGER_PAGES)
def test_staff_cannot_operate_manager_can(staff_client, manager, period, name, needs_pk):
    address = url(name, needs_pk, period)
    assert staff_client.get(address).status_code == 403
    staff_client.force_login(manager)
    assert staff_client.get(address).status_code == 200


def test_staff_post_writes_nothing(staff_client, issued):
    response = staff_client.post(
        reverse("credits:sale_add"),
        {
            "period": issued.pk,
            "buyer": BuyerFactory().pk,
            "quantity": 5,
            "unit_price": "10",
            "sold_on": "2024-03-01",
            "confirm": "1",
        },
    )
    assert response.status_code == 403 and not Sale.objects.exists()


def test_manager_opens_closes_and_issues_a_period(manager_client, project, programme):
    data = {
        "start_date": "2019-01-01",
        "end_date": "2019-12-31",
        "vintage": "2019",
        "baseline_co2e_t": "0",
        "leakage_co2e_t": "0",
    }
    preview = manager_client.post(reverse("credits:period_add"), data)
    assert preview.status_code == 200 and "Check before confirming" in preview.content.decode()
    assert not MonitoringPeriod.objects.exists()
    response = manager_client.post(reverse("credits:period_add"), {**data, "confirm": "1"})
    period = MonitoringPeriod.objects.get()
    assert response.status_code == 302
    close_page = manager_client.get(reverse("credits:period_close", args=[period.pk]))
    assert "72.689" in close_page.content.decode()  # net removals shown before closing
    manager_client.post(reverse("credits:period_close", args=[period.pk]))
    manager_client.post(reverse("credits:period_issue", args=[period.pk]))
    period.refresh_from_db()
    assert period.is_closed and period.blocks.count() == 2
    detail = manager_client.get(reverse("credits:period_detail", args=[period.pk])).content.decode()
    assert "-1-57-VCS-VCU-0-VER-PE-14-0000-" in detail and "buffer_share" in detail


def test_sale_preview_names_the_split_then_confirms(manager_client, issued):
    buyer = BuyerFactory(name="Alter Eco")
    data = {
        "period": issued.pk,
        "buyer": buyer.pk,
        "quantity": 20,
        "unit_price": "12.50",
        "sold_on": "2024-03-01",
    }
    preview = manager_client.post(reverse("credits:sale_add"), data).content.decode()
    assert "-1-57-VCS-VCU" in preview and "is split" in preview
    assert "37 credits of vintage 2019 remain" in preview
    assert "250.00" in preview and not Sale.objects.exists()
    response = manager_client.post(reverse("credits:sale_add"), {**data, "confirm": "1"})
    sale = Sale.objects.get()
    assert response["Location"] == reverse("credits:sale_detail", args=[sale.pk])
    assert sale.recorded_by.username == "manager"


def test_oversell_is_a_400_with_the_reason(manager_client, issued):
    data = {
        "period": issued.pk,
        "buyer": BuyerFactory().pk,
        "quantity": 500,
        "unit_price": "1",
        "sold_on": "2024-03-01",
        "confirm": "1",
    }
    response = manager_client.post(reverse("credits:sale_add"), data)
    assert response.status_code == 400
    assert "Only 57 credits are available; 500 were asked for." in response.content.decode()
    assert not Sale.objects.exists()


def test_bad_form_input_is_a_400(manager_client, issued):
    response = manager_client.post(
        reverse("credits:retirement_add"),
        {
            "period": issued.pk,
            "quantity": "-1",
            "beneficiary": "",
            "reason": "x",
            "retired_on": "2024-03-01",
        },
    )
    assert response.status_code == 400 and not Retirement.objects.exists()


def test_retire_cancel_distribute_pay_and_statement(manager_client, issued, programme, manager):
    sale = services.sell_credits(
        period=issued,
        buyer=BuyerFactory(name="Alter Eco"),
        quantity=20,
        unit_price=Decimal("12.50"),
        sold_on=DAY,
        user=manager,
    )
    manager_client.post(
        reverse("credits:retirement_add"),
        {
            "period": issued.pk,
            "sale": sale.pk,
            "quantity": 5,
            "beneficiary": "Alter Eco SA",
            "reason": "2023 footprint",
            "retired_on": "2024-03-02",
            "confirm": "1",
        },
    )
    assert Retirement.objects.get().quantity == 5
    manager_client.post(
        reverse("credits:block_cancel"),
        {"period": issued.pk, "quantity": 2, "reason": "Correction", "confirm": "1"},
    )
    assert CreditBlock.objects.filter(status="cancelled").get().count == 2
    page = manager_client.get(reverse("credits:sale_distribute", args=[sale.pk])).content.decode()
    assert "150.00" in page  # 20 × 12.50 × 0.60
    manager_client.post(reverse("credits:sale_distribute", args=[sale.pk]))
    member_a = programme["members"][0]
    share = ProducerShare.objects.get(member=member_a)
    manager_client.post(
        reverse("credits:payment_add"),
        {
            "member": member_a.code,
            "paid_on": "2024-04-01",
            "method": "bank",
            "reference": "OP-77",
            "exchange_rate_pen": "3.75",
            "confirm": "1",
        },
    )
    assert Payment.objects.get().amount == share.amount
    statement = manager_client.get(reverse("credits:member_statement", args=[member_a.pk]))
    text = statement.content.decode()
    assert statement.status_code == 200
    assert "1,000" in text and "780" in text and "78.0\xa0%" in text  # planted, alive, survival
    assert str(share.amount) in text and "OP-77" in text
    # The member's net removals and their credits, frozen at closing: 57 × 47.658 / 72.689.
    result = MemberPeriodResult.objects.get(member=member_a)
    assert result.credits_attributed == Decimal("37.3717")
    assert "47.658" in text
    history = manager_client.get(reverse("credits:history")).content.decode()
    for action in (
        "issued",
        "sold",
        "retired",
        "cancelled",
        "revenue distributed",
        "producer paid",
    ):
        assert action in history


def test_statement_is_readable_by_staff_and_404_for_unknown(staff_client, issued, programme):
    member = programme["members"][1]
    assert (
        staff_client.get(reverse("credits:member_statement", args=[member.pk])).status_code == 200
    )
    assert staff_client.get(reverse("credits:member_statement", args=[99999])).status_code == 404

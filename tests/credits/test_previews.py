"""A preview shows what its operation will do and refuses what its operation refuses: both call
the same plan (credits.services.plan_sale, plan_retirement, plan_cancellation)."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from credits import services
from credits.models import CreditBlock, CreditEvent, Retirement, Sale
from tests.credits.factories import BuyerFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 1)
SOLD_ON = DAY + datetime.timedelta(days=1)  # the sale the refused retirements draw on
SERIALS = re.compile(r"serials (\d+)–(\d+)")


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def fragmented(issued, manager):
    """The 2019 credits after a retirement from stock and a cancellation: the next operation
    starts in the middle of the tradable block."""
    services.retire_credits(
        period=issued,
        quantity=3,
        beneficiary="Town hall",
        reason="Footprint",
        retired_on=DAY,
        user=manager,
    )
    services.cancel_credits(period=issued, quantity=2, reason="Correction", user=manager)
    return issued


def previewed_serials(response) -> tuple[int, int]:
    assert response.status_code == 200, response.content.decode()
    first, last = SERIALS.search(response.content.decode()).groups()
    return int(first), int(last)


def taken_serials(blocks) -> tuple[int, int]:
    blocks = list(blocks)
    first, last = blocks[0].serial_start, blocks[-1].serial_end
    assert sum(block.count for block in blocks) == last - first + 1  # one run of serials
    return first, last


def test_sale_preview_names_the_serials_and_pool_the_sale_stores(manager_client, fragmented):
    data = {
        "period": fragmented.pk,
        "buyer": BuyerFactory().pk,
        "quantity": 7,
        "unit_price": "3.31",  # 23.17 × 0.6 = 13.902: the pool is rounded up to 13.91
        "sold_on": DAY.isoformat(),
    }
    preview = manager_client.post(reverse("credits:sale_add"), data)
    serials = previewed_serials(preview)
    assert "producers' pool 13.91" in html.unescape(preview.content.decode())
    assert not Sale.objects.exists()
    manager_client.post(reverse("credits:sale_add"), {**data, "confirm": "1"})
    sale = Sale.objects.get()
    assert serials == (6, 12) == taken_serials(sale.blocks.order_by("serial_start"))
    assert sale.producers_pool == Decimal("13.91")


def test_retirement_preview_names_the_serials_the_retirement_takes(
    manager_client, fragmented, manager
):
    sale = services.sell_credits(
        period=fragmented,
        buyer=BuyerFactory(),
        quantity=10,
        unit_price=Decimal("5"),
        sold_on=DAY,
        user=manager,
    )
    data = {
        "period": fragmented.pk,
        "sale": sale.pk,
        "quantity": 4,
        "beneficiary": "Alter Eco SA",
        "reason": "2023 footprint",
        "retired_on": DAY.isoformat(),
    }
    serials = previewed_serials(manager_client.post(reverse("credits:retirement_add"), data))
    manager_client.post(reverse("credits:retirement_add"), {**data, "confirm": "1"})
    retirement = Retirement.objects.get(sale=sale)
    assert serials == (6, 9) == taken_serials(retirement.blocks.order_by("serial_start"))


def test_cancellation_preview_names_the_serials_the_cancellation_takes(manager_client, fragmented):
    data = {"period": fragmented.pk, "quantity": 5, "reason": "Double count"}
    serials = previewed_serials(manager_client.post(reverse("credits:block_cancel"), data))
    manager_client.post(reverse("credits:block_cancel"), {**data, "confirm": "1"})
    cancelled = CreditBlock.objects.filter(status=CreditBlock.Status.CANCELLED, note="Double count")
    assert serials == (6, 10) == taken_serials(cancelled.order_by("serial_start"))


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def sale_refused(period, **change):
    data = {
        "period": period.pk,
        "buyer": BuyerFactory().pk,
        "quantity": 5,
        "unit_price": "10.00",
        "sold_on": DAY.isoformat(),
    } | change
    call = {
        "period": period,
        "buyer": None,
        "quantity": data["quantity"],
        "unit_price": Decimal(data["unit_price"]),
        "sold_on": datetime.date.fromisoformat(data["sold_on"]),
    }
    return "credits:sale_add", data, services.sell_credits, call


def retirement_refused(period, sale, **change):
    data = {
        "period": period.pk,
        "sale": sale.pk if sale else "",
        "quantity": 2,
        "beneficiary": "Alter Eco SA",
        "reason": "Footprint",
        "retired_on": SOLD_ON.isoformat(),
    } | change
    call = {
        "period": period,
        "sale": sale,
        "quantity": data["quantity"],
        "beneficiary": data["beneficiary"],
        "reason": data["reason"],
        "retired_on": datetime.date.fromisoformat(data["retired_on"]),
    }
    return "credits:retirement_add", data, services.retire_credits, call


CASES = {
    "sale dated tomorrow": lambda period, sale: sale_refused(
        period, sold_on=tomorrow().isoformat()
    ),
    "sale before its vintage ends": lambda period, sale: sale_refused(period, sold_on="2019-12-30"),
    "sale of more than is left": lambda period, sale: sale_refused(period, quantity=500),
    "retirement dated tomorrow": lambda period, sale: retirement_refused(
        period, None, retired_on=tomorrow().isoformat()
    ),
    "retirement before its sale": lambda period, sale: retirement_refused(
        period, sale, retired_on=DAY.isoformat()
    ),
    "retirement from stock before its vintage ends": lambda period, sale: retirement_refused(
        period, None, retired_on="2019-12-30"
    ),
    "retirement of more than the sale holds": lambda period, sale: retirement_refused(
        period, sale, quantity=11
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_preview_refuses_what_its_operation_refuses(manager_client, issued, manager, case):
    sale = services.sell_credits(
        period=issued,
        buyer=BuyerFactory(),
        quantity=10,
        unit_price=Decimal("5"),
        sold_on=SOLD_ON,
        user=manager,
    )
    name, data, operation, call = CASES[case](issued, sale)
    with pytest.raises(ValidationError) as refused:
        operation(**call, user=manager)
    events = CreditEvent.objects.count()
    response = manager_client.post(reverse(name), data)  # the preview step: no "confirm"
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    for message in refused.value.messages:
        assert message in page
    assert "Check before confirming" not in page
    assert CreditEvent.objects.count() == events and Sale.objects.count() == 1
    assert not Retirement.objects.exists()


@pytest.mark.parametrize(
    ("url", "data", "final_note", "done", "action"),
    [
        (
            "credits:retirement_add",
            {"beneficiary": "Town hall", "reason": "Footprint", "retired_on": DAY.isoformat()},
            "Retirement is final: these credits can never be sold or used again.",
            "4 credits retired for Town hall",
            CreditEvent.Action.RETIRE,
        ),
        (
            "credits:block_cancel",
            {"reason": "Double count"},
            "Cancellation is final.",
            "4 credits cancelled.",
            CreditEvent.Action.CANCEL,
        ),
    ],
)
def test_block_operation_previews_its_final_note_then_says_what_it_did(
    manager_client, issued, url, data, final_note, done, action
):
    data = {"period": issued.pk, "quantity": 4, **data}
    preview = html.unescape(manager_client.post(reverse(url), data).content.decode())
    assert "Takes 4 credits" in preview
    assert final_note in preview
    assert not CreditEvent.objects.filter(action=action).exists()
    response = manager_client.post(reverse(url), {**data, "confirm": "1"}, follow=True)
    assert done in html.unescape(response.content.decode())
    assert sum(CreditEvent.objects.filter(action=action).values_list("quantity", flat=True)) == 4

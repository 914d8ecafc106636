"""Issuance, sales, retirements and cancellations: serial blocks, bad input, events."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from credits import services
from credits.models import CreditBlock, CreditEvent, Retirement, Sale
from tests.credits.factories import BuyerFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 1)


def blocks():
    return [
        (b.serial_start, b.serial_end, b.status, b.is_buffer) for b in CreditBlock.objects.all()
    ]


def test_issue_makes_a_tradable_and_a_buffer_block(issued, project, manager):
    assert blocks() == [(1, 57, "available", False), (58, 72, "available", True)]
    block = CreditBlock.objects.get(serial_start=1)
    assert block.count == 57
    batch = issued.pk
    # Verra's layout: batch, first, last, VCS, VCU, registry code, VER, country, scope,
    # project, vintage start and end, CCB flag (the buffer marker is CreditBlock.is_buffer).
    assert block.serial == f"{batch}-1-57-VCS-VCU-0-VER-PE-14-0000-01012019-31122019-0"
    events = CreditEvent.objects.order_by("pk")
    assert [(e.action, e.quantity, e.user) for e in events.exclude(action="close")] == [
        ("issue", 57, manager),
        ("buffer", 15, manager),
    ]
    with pytest.raises(ValidationError, match="already issued"):
        services.issue_credits(period=issued)
    assert CreditBlock.objects.count() == 2


def test_issue_needs_a_closed_period(period):
    with pytest.raises(ValidationError, match="Close the period"):
        services.issue_credits(period=period)
    assert not CreditBlock.objects.exists()


def test_sale_splits_a_block_and_records_money(issued, project, manager):
    buyer = BuyerFactory(name="Alter Eco")
    sale = services.sell_credits(
        period=issued,
        buyer=buyer,
        quantity=20,
        unit_price=Decimal("12.50"),
        sold_on=DAY,
        user=manager,
    )
    assert blocks() == [
        (1, 20, "sold", False),
        (21, 57, "available", False),
        (58, 72, "available", True),
    ]
    # 20 × 12.50 = 250.00; producers 0.60 × 250 = 150.00.
    assert (sale.revenue, sale.producers_pool, sale.currency) == (
        Decimal("250.00"),
        Decimal("150.00"),
        "USD",
    )
    event = CreditEvent.objects.get(action="sell")
    assert (event.quantity, event.serial_start, event.serial_end, event.sale) == (20, 1, 20, sale)


def test_never_sell_more_than_available_and_never_buffer(issued, manager):
    buyer = BuyerFactory()
    with pytest.raises(ValidationError) as error:
        services.sell_credits(
            period=issued, buyer=buyer, quantity=59, unit_price=Decimal("10"), sold_on=DAY
        )
    assert (
        "Only 57 credits are available; 59 were asked for." in error.value.message_dict["quantity"]
    )
    assert not Sale.objects.exists() and blocks()[0] == (1, 57, "available", False)


@pytest.mark.parametrize(
    "quantity, price, field",
    [(0, "10", "quantity"), (-5, "10", "quantity"), (5, "-1", "unit_price")],
)
def test_sale_bad_input_writes_nothing(issued, quantity, price, field):
    with pytest.raises(ValidationError) as error:
        services.sell_credits(
            period=issued,
            buyer=BuyerFactory(),
            quantity=quantity,
            unit_price=Decimal(price),
            sold_on=DAY,
        )
    assert field in error.value.message_dict
    assert not Sale.objects.exists() and not CreditEvent.objects.filter(action="sell").exists()


def test_retire_from_a_sale_is_final_and_once(issued, manager):
    sale = services.sell_credits(
        period=issued, buyer=BuyerFactory(), quantity=20, unit_price=Decimal("10"), sold_on=DAY
    )
    retirement = services.retire_credits(
        period=issued,
        quantity=5,
        beneficiary="Alter Eco SA",
        reason="2023 emissions",
        retired_on=DAY,
        sale=sale,
        user=manager,
    )
    assert blocks()[:3] == [
        (1, 5, "retired", False),
        (6, 20, "sold", False),
        (21, 57, "available", False),
    ]
    assert CreditBlock.objects.get(serial_start=1).retirement == retirement
    with pytest.raises(ValidationError, match="Only 15 credits are available"):
        services.retire_credits(
            period=issued, quantity=16, beneficiary="X", reason="Y", retired_on=DAY, sale=sale
        )
    assert Retirement.objects.count() == 1


@pytest.mark.parametrize(
    "beneficiary, reason, field", [("", "offset", "beneficiary"), ("Alter Eco", "  ", "reason")]
)
def test_retirement_needs_beneficiary_and_reason(issued, beneficiary, reason, field):
    with pytest.raises(ValidationError) as error:
        services.retire_credits(
            period=issued, quantity=1, beneficiary=beneficiary, reason=reason, retired_on=DAY
        )
    assert field in error.value.message_dict
    assert not Retirement.objects.exists()
    assert CreditBlock.objects.filter(status="available").count() == 2


def test_cancel_buffer_and_tradable(issued, manager):
    services.cancel_credits(period=issued, quantity=4, reason="Registry correction", user=manager)
    services.cancel_credits(period=issued, quantity=15, reason="Reversal", buffer=True)
    assert blocks() == [
        (1, 4, "cancelled", False),
        (5, 57, "available", False),
        (58, 72, "cancelled", True),
    ]
    with pytest.raises(ValidationError, match="Only 0 credits are available"):
        services.cancel_credits(period=issued, quantity=1, reason="x", buffer=True)
    with pytest.raises(ValidationError):
        services.cancel_credits(period=issued, quantity=1, reason="")
    assert CreditEvent.objects.filter(action="cancel").count() == 2


def test_blocks_refuse_bad_ranges_in_the_database(issued):
    from django.db import IntegrityError, transaction

    block = CreditBlock.objects.get(serial_start=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditBlock.objects.filter(pk=block.pk).update(serial_end=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditBlock.objects.create(
            project=block.project, period=block.period, serial_start=1, serial_end=3
        )

"""Credit operations refuse impossible dates (issue 16), and producers are paid in soles at a
recorded exchange rate, with the original currency kept beside it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from credits import services
from credits.models import CarbonProject, Payment, ProducerShare, Retirement, Sale
from tests.credits.factories import BuyerFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 1)
RATE = Decimal("3.7512")


def sell(period, sold_on=DAY, quantity=10):
    sale = services.sell_credits(
        period=period,
        buyer=BuyerFactory(),
        quantity=quantity,
        unit_price=Decimal("10.00"),
        sold_on=sold_on,
    )
    services.distribute_revenue(sale=sale)
    return sale


def test_a_sale_dated_in_the_future_is_refused(issued):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        sell(issued, sold_on=tomorrow)
    assert error.value.message_dict["sold_on"] == ["The sale date cannot be in the future."]
    assert not Sale.objects.exists()


def test_a_sale_before_its_vintage_ended_is_refused(issued):
    with pytest.raises(ValidationError) as error:
        sell(issued, sold_on=datetime.date(2019, 6, 30))  # vintage 2019 ends 2019-12-31
    assert "before the end of vintage 2019" in error.value.message_dict["sold_on"][0]
    assert not Sale.objects.exists()


def test_a_retirement_before_its_sale_is_refused(issued):
    sale = sell(issued)
    with pytest.raises(ValidationError) as error:
        services.retire_credits(
            period=issued,
            sale=sale,
            quantity=2,
            beneficiary="Alter Eco",
            reason="2023 footprint",
            retired_on=DAY - datetime.timedelta(days=1),
        )
    assert "before the sale it retires" in error.value.message_dict["retired_on"][0]
    assert not Retirement.objects.exists()
    assert not sale.blocks.filter(status="retired").exists()


def test_a_retirement_in_the_future_is_refused(issued):
    with pytest.raises(ValidationError) as error:
        services.retire_credits(
            period=issued,
            quantity=2,
            beneficiary="Alter Eco",
            reason="2023 footprint",
            retired_on=timezone.localdate() + datetime.timedelta(days=3),
        )
    assert "retired_on" in error.value.message_dict
    assert not Retirement.objects.exists()


def test_a_payment_before_the_sale_it_pays_is_refused(issued, programme):
    sale = sell(issued)
    member = programme["members"][0]
    with pytest.raises(ValidationError) as error:
        services.record_payment(
            member=member,
            paid_on=DAY - datetime.timedelta(days=10),
            method="cash",
            exchange_rate_pen=RATE,
        )
    assert f"before sale {sale.pk}" in error.value.message_dict["paid_on"][0]
    assert not Payment.objects.exists()


def test_a_payday_before_a_sale_it_pays_is_refused_and_writes_nothing(issued):
    sell(issued, sold_on=DAY)
    later = sell(issued, sold_on=DAY + datetime.timedelta(days=30))
    with pytest.raises(ValidationError) as error:
        services.pay_all_owed(
            paid_on=DAY + datetime.timedelta(days=5), method="bank", exchange_rate_pen=RATE
        )
    assert f"before sale {later.pk}" in error.value.message_dict["paid_on"][0]
    assert not Payment.objects.exists()
    assert not ProducerShare.objects.filter(payment__isnull=False).exists()


def test_a_payment_in_usd_needs_the_exchange_rate(issued, programme):
    sell(issued)
    for rate, message in (
        (None, "Enter the exchange rate"),
        (Decimal("375"), "between 0.01 and 100"),  # 3.75 with its decimal mark lost
    ):
        with pytest.raises(ValidationError) as error:
            services.record_payment(
                member=programme["members"][0], paid_on=DAY, method="cash", exchange_rate_pen=rate
            )
        assert message in error.value.message_dict["exchange_rate_pen"][0]
    assert not Payment.objects.exists()


def test_payments_keep_both_currencies(issued, programme):
    sell(issued)
    member_a, member_b = programme["members"]
    one = services.record_payment(
        member=member_a, paid_on=DAY, method="cash", exchange_rate_pen=RATE
    )
    (other,) = services.pay_all_owed(paid_on=DAY, method="mobile", exchange_rate_pen=RATE)
    for payment in (one, other):
        payment.refresh_from_db()
        assert payment.currency == "USD" and payment.exchange_rate_pen == RATE
        assert payment.amount_pen == (payment.amount * RATE).quantize(Decimal("0.01"))
    assert other.member_id == member_b.pk


def test_a_payment_in_soles_needs_no_rate(issued, programme):
    project = CarbonProject.current()
    project.currency = "PEN"
    project.save()
    sell(issued)
    payment = services.record_payment(member=programme["members"][0], paid_on=DAY, method="cash")
    assert (payment.exchange_rate_pen, payment.amount_pen) == (Decimal("1"), payment.amount)


def test_the_database_refuses_a_rate_without_soles(issued, programme):
    sell(issued)
    payment = services.record_payment(
        member=programme["members"][0], paid_on=DAY, method="cash", exchange_rate_pen=RATE
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount_pen=None)


def test_the_payday_form_asks_for_the_rate(client, manager, issued):
    sell(issued)
    client.force_login(manager)
    form = {"paid_on": DAY.isoformat(), "method": "bank", "confirm": "1"}
    response = client.post(reverse("credits:payday"), form)
    assert response.status_code == 400
    assert "exchange_rate_pen" in response.context["form"].errors
    assert not Payment.objects.exists()
    response = client.post(reverse("credits:payday"), {**form, "exchange_rate_pen": "3.75"})
    assert response.status_code == 302
    assert set(Payment.objects.values_list("exchange_rate_pen", flat=True)) == {Decimal("3.75")}


def test_the_payment_list_shows_soles_beside_the_sale_currency(manager_client, issued, programme):
    sell(issued)
    payment = services.record_payment(
        member=programme["members"][0], paid_on=DAY, method="cash", exchange_rate_pen=RATE
    )
    text = manager_client.get(reverse("credits:payment_list")).content.decode()
    assert f"S/\xa0{payment.amount_pen}" in text and f"USD\xa0{payment.amount}" in text
    assert str(RATE) in text

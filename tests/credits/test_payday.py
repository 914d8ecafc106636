"""Payday (credits.services.pay_all_owed and its manager page): everyone owed is paid what
record_payment would pay them one by one, in one step, with history; bad input writes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from credits import selectors, services
from credits.models import CreditEvent, Payment, ProducerShare
from tests.credits.factories import BuyerFactory
from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 1)
RATE = Decimal("3.7500")  # soles per USD


def sell(period, quantity, buyer="Alter Eco"):
    sale = services.sell_credits(
        period=period,
        buyer=BuyerFactory(name=buyer),
        quantity=quantity,
        unit_price=Decimal("10.00"),
        sold_on=DAY,
    )
    services.distribute_revenue(sale=sale)
    return sale


@pytest.fixture
def owed(issued):
    """Two distributed sales: each member holds two unpaid shares."""
    sell(issued, 20, "Alter Eco")
    sell(issued, 7, "Maison Cabosse")
    return {
        member_id: sum(
            ProducerShare.objects.filter(member_id=member_id).values_list("amount", flat=True)
        )
        for member_id in ProducerShare.objects.values_list("member_id", flat=True)
    }


def test_payday_pays_each_member_everything_owed(owed, programme, manager):
    member_a, member_b = programme["members"]
    assert set(owed) == {member_a.pk, member_b.pk} and all(owed.values())
    payments = services.pay_all_owed(
        paid_on=DAY, method="bank", reference="P-1", exchange_rate_pen=RATE, user=manager
    )
    assert {p.member_id: p.amount for p in Payment.objects.all()} == owed
    assert len(payments) == 2 and {p.pk for p in payments} == set(
        Payment.objects.values_list("pk", flat=True)
    )
    # 20 × 10 × 0.60 + 7 × 10 × 0.60 = 162.00 reached the producers.
    assert sum(owed.values()) == Decimal("162.00")
    assert not ProducerShare.objects.filter(payment=None).exists()
    for payment in Payment.objects.all():
        assert sum(s.amount for s in payment.shares.all()) == payment.amount
        assert payment.history.get().history_user == manager  # who, when, what
    events = CreditEvent.objects.filter(action="pay")
    assert sorted(e.note for e in events) == sorted([member_a.code, member_b.code])
    assert {e.user for e in events} == {manager}
    ledger = selectors.member_ledger(member_a)
    assert (ledger["owed"], ledger["paid"], ledger["balance"]) == (
        owed[member_a.pk],
        owed[member_a.pk],
        Decimal("0"),
    )
    with pytest.raises(ValidationError, match="Nothing is owed"):
        services.pay_all_owed(paid_on=DAY, method="bank", exchange_rate_pen=RATE)
    assert Payment.objects.count() == 2


def test_payday_of_some_members_leaves_the_others_owed(owed, programme):
    member_a, member_b = programme["members"]
    services.record_payment(
        member=member_b, paid_on=DAY, method="cash", exchange_rate_pen=RATE
    )  # paid before
    payments = services.pay_all_owed(
        paid_on=DAY, method="mobile", members=[member_a.pk], exchange_rate_pen=RATE
    )
    assert [(p.member_id, p.amount) for p in payments] == [(member_a.pk, owed[member_a.pk])]
    assert Payment.objects.filter(member=member_b).get().amount == owed[member_b.pk]


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"method": "gold", "paid_on": DAY}, "method"),
        ({"method": "cash", "paid_on": datetime.date(2999, 1, 1)}, "paid_on"),
    ],
)
def test_payday_bad_input_writes_nothing(owed, kwargs, field):
    with pytest.raises(ValidationError) as error:
        services.pay_all_owed(exchange_rate_pen=RATE, **kwargs)
    assert field in error.value.message_dict
    assert not Payment.objects.exists() and not Payment.history.exists()
    assert not ProducerShare.objects.filter(payment__isnull=False).exists()
    assert not CreditEvent.objects.filter(action="pay").exists()


def test_manager_previews_then_confirms_a_payday(client, manager, owed):
    client.force_login(manager)
    url = reverse("credits:payday")
    form = {"community": "", "paid_on": DAY.isoformat(), "method": "bank", "reference": "P-9"}
    form["exchange_rate_pen"] = "3.75"
    preview = client.post(url, form)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert f"Pays {sum(owed.values())} USD to 2 members" in text and "4 producer share(s)" in text
    assert not Payment.objects.exists()
    response = client.post(url, {**form, "confirm": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("credits:payment_list")
    assert Payment.objects.count() == 2
    assert set(Payment.objects.values_list("reference", "method")) == {("P-9", "bank")}
    listing = client.get(response["Location"]).content.decode()
    assert "2 payments recorded, 162.00 USD in total." in listing


def test_payday_of_a_community_without_debts_is_refused_at_the_form(client, manager, owed):
    client.force_login(manager)
    elsewhere = CommunityFactory(name="Bello Horizonte")
    form = {"community": elsewhere.pk, "paid_on": DAY.isoformat(), "method": "cash"}
    form["exchange_rate_pen"] = "3.75"
    response = client.post(reverse("credits:payday"), {**form, "confirm": "1"})
    assert response.status_code == 400
    assert "Nothing is owed to any member." in response.content.decode()
    assert not Payment.objects.exists()


def test_payday_bad_date_is_a_field_error(client, manager, owed):
    client.force_login(manager)
    form = {"paid_on": "2999-01-01", "method": "cash", "confirm": "1", "exchange_rate_pen": "3.75"}
    response = client.post(reverse("credits:payday"), form)
    assert response.status_code == 400
    assert "The payment date cannot be in the future." in response.content.decode()
    assert not Payment.objects.exists()


def test_staff_cannot_run_a_payday(client, staff, owed):
    client.force_login(staff)
    form = {"paid_on": DAY.isoformat(), "method": "cash", "confirm": "1"}
    assert client.post(reverse("credits:payday"), form).status_code == 403
    assert not Payment.objects.exists()

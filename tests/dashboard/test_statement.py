"""The member's statement a producer can read (issue 16): plain words, trees by species, what was
paid in soles and when, the DNI, a "recibí conforme" line, a one-page payday receipt, a glossary;
the page and both PDFs print one selector, in a query count that does not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credits import services
from dashboard.selectors import member_statement
from tests.credits.factories import BuyerFactory
from tests.dashboard.pdf import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 1)
RATE = Decimal("3.7500")


def sell_and_pay(period, *, quantity=20, paid_on=DAY):
    sale = services.sell_credits(
        period=period,
        buyer=BuyerFactory(),
        quantity=quantity,
        unit_price=Decimal("10.00"),
        sold_on=DAY,
    )
    services.distribute_revenue(sale=sale)
    return services.pay_all_owed(paid_on=paid_on, method="bank", exchange_rate_pen=RATE)


@pytest.fixture
def paid(issued, programme):
    payments = sell_and_pay(issued)
    member = programme["members"][0]
    return member, next(p for p in payments if p.member_id == member.pk)


def test_the_selector_holds_trees_by_species_and_money_in_soles(paid, programme):
    member, payment = paid
    statement = member_statement(member)
    (line,) = statement.species
    assert (line.planted, line.alive, line.survival_pct) == (1000, 780, Decimal("78.0"))
    assert statement.paid == payment.amount and statement.balance == Decimal("0.00")
    assert statement.paid_pen == (payment.amount * RATE).quantize(Decimal("0.01"))
    assert statement.last_paid_on == DAY
    (received,) = statement.payments
    assert (received.exchange_rate_pen, received.currency) == (RATE, "USD")


def test_the_page_speaks_plainly_and_shows_soles(manager_client, paid):
    member, payment = paid
    text = manager_client.get(reverse("credits:member_statement", args=[member.pk])).content
    text = text.decode()
    assert member.dni in text and "Swietenia testus" in text
    assert f"S/\xa0{payment.amount_pen}" in text and f"USD\xa0{payment.amount} × 3.7500" in text
    assert "2024-03-01" in text  # when it was paid
    for jargon in ("vintage", "Vintage", "baseline", "leakage", "Baseline and leakage"):
        assert jargon not in text
    assert reverse("credits:glossary") in text
    assert "recibí conforme" in text
    assert "?version=payday" in text


def test_the_pdf_has_the_dni_the_soles_and_a_receipt_line(manager_client, paid):
    member, payment = paid
    url = reverse("reports:member_statement_pdf", args=[member.pk])
    text = pdf_text(manager_client.get(url).content)
    assert member.dni in text and f"{payment.amount_pen:,}" in text
    assert "recib\xed conforme" in text and "Signature" in text
    assert "vintage" not in text.lower()


def test_the_payday_receipt_fits_on_one_page(manager_client, paid):
    member, payment = paid
    url = reverse("reports:member_statement_pdf", args=[member.pk]) + "?version=payday"
    response = manager_client.get(url)
    assert "receipt-" in response["Content-Disposition"]
    assert pdf_pages(response.content) == 1
    text = pdf_text(response.content)
    assert member.dni in text and f"{payment.amount_pen:,}" in text
    assert "recib\xed conforme" in text


def test_the_statement_query_count_does_not_grow(manager_client, issued, programme):
    member = programme["members"][0]
    url = reverse("credits:member_statement", args=[member.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(url).status_code == 200
        return len(queries)

    sell_and_pay(issued, quantity=5)
    count()  # the first request fills the session and permission caches
    one = count()
    sell_and_pay(issued, quantity=5, paid_on=DAY + datetime.timedelta(days=1))
    sell_and_pay(issued, quantity=5, paid_on=DAY + datetime.timedelta(days=2))
    assert count() == one


@pytest.mark.parametrize(
    "who, status", [(None, 302), ("outsider", 403), ("staff", 200), ("manager", 200)]
)
def test_glossary_roles(client, request, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("credits:glossary"))
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert "Vintage" in text and "Leakage" in text and "Exchange rate" in text

"""The dashboard (issue 16): CO2 against the 720,000 t target and trees against 2,000,000 as
progress charts; credits stated so that retired is seen as part of sold; sales and price per
year."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from credits import services
from tests.credits.factories import BuyerFactory

pytestmark = pytest.mark.django_db


def sell(period, quantity, price, day):
    return services.sell_credits(
        period=period,
        buyer=BuyerFactory(),
        quantity=quantity,
        unit_price=Decimal(price),
        sold_on=day,
    )


def test_progress_charts_are_svg_images_with_the_targets(manager_client, issued):
    html = manager_client.get(reverse("home")).content.decode()
    trees = reverse("reports:progress_chart", args=["trees"])
    co2 = reverse("reports:progress_chart", args=["co2"])
    assert f'src="{trees}"' in html and f'src="{co2}"' in html
    assert "of 2,000,000 trees planted" in html  # the image's text alternative
    svg = manager_client.get(trees)
    assert svg["Content-Type"] == "image/svg+xml"
    text = svg.content.decode()
    assert "<svg" in text and "2,000,000" in text and "1,500 trees" in text
    # Shown through <img>, where no script runs; and none is fetched from pygal's CDN.
    assert "kozea.github.io" not in text and 'xlink:href="http' not in text
    assert "720,000" in manager_client.get(co2).content.decode()


def test_staff_get_the_trees_chart_only(staff_client, issued):
    assert staff_client.get(reverse("reports:progress_chart", args=["trees"])).status_code == 200
    assert staff_client.get(reverse("reports:progress_chart", args=["co2"])).status_code == 403
    assert staff_client.get(reverse("reports:progress_chart", args=["other"])).status_code == 404


def test_retired_is_shown_as_part_of_sold(manager_client, issued):
    sale = sell(issued, 20, "10.00", datetime.date(2023, 5, 1))
    services.retire_credits(
        period=issued,
        sale=sale,
        quantity=5,
        beneficiary="B",
        reason="r",
        retired_on=datetime.date(2023, 6, 1),
    )
    services.retire_credits(
        period=issued,
        quantity=2,
        beneficiary="Coop",
        reason="r",
        retired_on=datetime.date(2023, 6, 1),
    )
    html = manager_client.get(reverse("home")).content.decode()
    assert "of the sold, retired by their buyers" in html
    assert 'data-figure="sold">20<' in html and 'data-figure="retired_from_sales">5<' in html
    assert 'data-figure="retired_from_stock">2<' in html


def test_sales_and_mean_price_per_year(manager_client, issued):
    sell(issued, 10, "8.00", datetime.date(2022, 3, 1))
    sell(issued, 10, "12.00", datetime.date(2022, 9, 1))
    sell(issued, 5, "15.00", datetime.date(2023, 3, 1))
    html = manager_client.get(reverse("home")).content.decode()
    assert 'data-figure="price_2022">10.00<' in html
    assert 'data-figure="price_2023">15.00<' in html

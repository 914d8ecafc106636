"""Issue 16: after a failed save every error is listed at the top, each linked to its field; a
favicon and a visible keyboard focus on every page (static files, no inline code)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_failed_plot_save_lists_every_error_at_the_top(staff_client, world):
    url = reverse("members:plot_add", args=[world.member.pk])
    html = staff_client.post(url, {"code": "", "land_use": "", "area_ha": "1,5"}).content.decode()
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    text = summary.group(0)
    assert 'tabindex="-1"' in text and "data-error-summary" in text
    for field in ("id_code", "id_land_use", "id_area_ha"):
        assert f'href="#{field}"' in text
    assert "3 things to correct" in text
    assert html.index("error-summary") < html.index('name="code"')  # above the fields


def test_a_failed_visit_links_the_row_fields(staff_client, world):
    url = reverse("plantings:visit_add") + f"?plot={world.plot.pk}"
    data = {
        "visited_on": "",
        "technician": "Edwin",
        "counts-TOTAL_FORMS": "2",
        "counts-INITIAL_FORMS": "2",
        "counts-0-species": world.species.pk,
        "counts-0-trees_alive": "-3",
        "counts-1-species": world.other_species.pk,
        "trees-TOTAL_FORMS": "0",
        "trees-INITIAL_FORMS": "0",
    }
    html = staff_client.post(url, data).content.decode()
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S)
    assert summary
    assert 'href="#id_visited_on"' in summary.group(0)
    assert 'href="#id_counts-0-trees_alive"' in summary.group(0)


def test_an_unbound_form_has_no_summary(staff_client, world):
    html = staff_client.get(reverse("members:plot_add", args=[world.member.pk])).content.decode()
    assert "error-summary" not in html


def test_pages_have_a_static_favicon_and_a_visible_focus(staff_client):
    html = staff_client.get(reverse("members:member_list")).content.decode()
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', html)
    assert icon and finders.find(icon.group(1))
    css = open(finders.find("css/acopagro.css"), encoding="utf-8").read()
    assert ":focus-visible" in css and "outline" in css
    script = open(finders.find("js/acopagro-forms.js"), encoding="utf-8").read()
    assert "[data-error-summary]" in script and ".focus()" in script

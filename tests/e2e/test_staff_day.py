"""A technician's day in a real browser: log in, add a member, a plot, a planting and a visit,
find them in the lists, get a clear error for a bad value; switch the language; axe-core finds no
serious or critical accessibility violation on the main pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from members.models import Member
from plantings.models import MonitoringVisit, Planting
from tests.e2e.conftest import log_in

CAOBA = "Caoba (Swietenia macrophylla)"
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def assert_accessible(page):
    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: {bad}"


def test_a_day_of_data_entry(page, staff_user, community, caoba):
    log_in(page, "tecnico")
    assert "/accounts/login/" not in page.url

    # A member.
    page.goto("/members/add/")
    page.fill("#id_code", "E2E-001")
    page.fill("#id_dni", "41234567")
    page.fill("#id_first_name", "María")
    page.fill("#id_last_name", "Tuanama Núñez")
    page.select_option("#id_gender", "F")
    page.select_option("#id_community", label="Dos de Mayo")
    page.fill("#id_joined_on", "2009-03-15")
    page.click("form.acopagro-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("María Tuanama Núñez")
    member = Member.objects.get(code="E2E-001")
    assert_accessible(page)

    # A plot, from the member page.
    page.click(f"a[href='/members/{member.pk}/plots/add/']")
    page.fill("#id_code", "E2E-P1")
    page.select_option("#id_land_use", "cacao")
    page.fill("#id_area_ha", "1.5")
    page.click("form.acopagro-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("E2E-P1")

    # A planting: the plot is found by typing the member's DNI (autocomplete).
    page.goto("/plantings/add/")
    page.fill("#id_plot", "4123456")
    expect(page.locator("#plot-options option")).to_have_count(1)
    assert page.locator("#plot-options option").first.get_attribute("value") == "E2E-P1"
    page.fill("#id_plot", "E2E-P1")
    page.select_option("#id_species", label=CAOBA)
    page.fill("#id_planted_on", "2012-02-01")
    # A bad value first: 1.5 ha hold at most 2,400 trees.
    page.fill("#id_trees_planted", "5000")
    assert_accessible(page)
    page.click("form.acopagro-form button[type=submit]")
    error = page.locator("#id_trees_planted_error")
    expect(error).to_contain_text("2400")
    expect(page.locator("#id_trees_planted")).to_have_attribute("aria-invalid", "true")
    assert not Planting.objects.exists()
    page.fill("#id_trees_planted", "800")
    page.click("form.acopagro-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("E2E-P1")
    expect(page.locator("main table").first).to_contain_text("800")

    # A visit, from the plot page: survival row plus two sample trees (one added with the button).
    page.click("main a[href*='/monitoring/add/?plot=']")
    page.fill("#id_visited_on", "2014-06-20")
    page.fill("#id_counts-0-trees_alive", "700")
    page.fill("#id_counts-0-trees_dead", "100")
    page.select_option("#id_counts-0-loss_cause", "drought")
    page.select_option("#id_trees-0-species", label=CAOBA)
    page.fill("#id_trees-0-dbh_cm", "4.5")
    page.fill("#id_trees-0-height_m", "3.2")
    for _ in range(2):
        page.click("#add-tree-row")
    expect(page.locator("#tree-rows tbody tr")).to_have_count(5)
    page.select_option("#id_trees-4-species", label=CAOBA)
    page.fill("#id_trees-4-dbh_cm", "6")
    page.fill("#id_trees-4-height_m", "4")
    assert_accessible(page)
    page.click("form.visit-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("E2E-P1")
    visit = MonitoringVisit.objects.get(plot__code="E2E-P1")
    assert visit.survival_counts.get().trees_alive == 700
    assert sorted(visit.measurements.values_list("dbh_cm", flat=True)) == [4.5, 6]

    # Everything is in the lists.
    page.goto("/members/?q=tuanama nunez")
    expect(page.locator("main table tbody")).to_contain_text("E2E-001")
    assert_accessible(page)
    page.goto("/plantings/?q=E2E-P1")
    expect(page.locator("main table tbody")).to_contain_text("800")
    page.goto("/monitoring/?q=E2E-P1")
    expect(page.locator("main table tbody")).to_contain_text("E2E-P1")
    page.goto(f"/members/{member.pk}/")
    expect(page.locator("#survival-heading + div")).to_contain_text("87.5")  # 700 of 800
    assert_accessible(page)


def test_a_bad_visit_row_shows_its_error_and_saves_nothing(page, staff_user, community):
    from tests.factories import PlantingFactory, PlotFactory

    planting = PlantingFactory(plot=PlotFactory(code="E2E-P2"), trees_planted=100)
    log_in(page, "tecnico")
    page.goto(f"/monitoring/add/?plot={planting.plot_id}")
    page.fill("#id_visited_on", "2015-01-10")
    page.fill("#id_counts-0-trees_alive", "150")
    page.click("form.visit-form button[type=submit]")
    expect(page.locator("#id_counts-0-trees_alive_error")).to_contain_text("150")
    assert not MonitoringVisit.objects.exists()


def test_language_switcher_turns_the_page_to_english(page, staff_user):
    log_in(page, "tecnico")
    page.goto("/members/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("main h1")).to_have_text("Socios")
    page.select_option("#language-select", "en")
    page.click("nav form[action='/i18n/setlang/'] button[type=submit]")
    page.wait_for_url("**/members/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Members")
    expect(page.get_by_role("button", name="Filter")).to_be_visible()


def test_double_click_on_save_creates_one_planting(page, staff_user, community, caoba):
    from tests.factories import PlotFactory

    plot = PlotFactory(code="E2E-P3", member__community=community)
    log_in(page, "tecnico")
    page.goto(f"/plantings/add/?plot={plot.pk}")
    expect(page.locator("#id_plot")).to_have_value("E2E-P3")
    page.select_option("#id_species", label=CAOBA)
    page.fill("#id_planted_on", "2012-02-01")
    page.fill("#id_trees_planted", "300")
    page.dblclick("form.acopagro-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("E2E-P3")
    # Back to the form page and send it again (restored with its token, or reloaded with a new
    # one): still one planting.
    page.go_back()
    page.click("form.acopagro-form button[type=submit]")
    # The browser speaks Spanish (es-PE): "ya se guardó" / "no se guardó dos veces".
    expect(page.locator("main .alert")).to_contain_text(
        re.compile("ya se guardó|no se guardó dos veces")
    )
    assert Planting.objects.filter(plot=plot).count() == 1

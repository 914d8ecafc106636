"""Issue 5's "done when", in a real browser: a manager answers "how many trees are alive in
Pachiza, how much CO2 do they hold, how many credits did we sell this year and how much of it
reached the producers" in a few clicks from the dashboard, downloads the tables (CSV and XLSX) and
prints a member's statement (the printable page and the PDF).

Every figure is read off a page and checked against sums made here with plain SQL over the raw
rows, never with the querysets or selectors the pages use. The browser asks for Spanish (es-PE),
as a manager in Juanjuí would: numbers are read with Spanish separators, and the selectors use
ids, hrefs and cell positions rather than labels.
"""

import datetime
import re
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from credits import carbon
from credits.models import CarbonProject, Sale
from members.models import Community, Member
from tests.dashboard.pdf import pdf_text
from tests.e2e.conftest import log_in
from tests.e2e.reading import (
    apply_filters,
    cells,
    csv_rows,
    download,
    follow,
    number,
    row_named,
    table_headers,
    table_rows,
    xlsx_rows,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The demo's last day of field work: its credit history then holds four closed periods and the
# latest vintage's second sale on 2026-06-12, partly paid on the 2026-08-11 payday.
UNTIL = datetime.date(2026, 8, 31)
# "This year" is 2026 through the report's date filters, whatever today's date is.
YEAR_FROM, YEAR_TO = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
# Pachiza has two members at this scale, with plots, trees, counts and sample trees.
COMMUNITY = "Pachiza"
CENT = Decimal("0.01")


@pytest.fixture
def pachiza(transactional_db):
    """The demo data (field work since 2008, the credit history) and the community asked about."""
    call_command("seed_demo", members=30, seed=5, until=UNTIL, stdout=StringIO())
    community = Community.objects.get(name=COMMUNITY)
    assert Member.objects.filter(community=community).exists()
    return community


# --- independent figures: plain SQL over the raw rows ------------------------------------------


def sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):  # openpyxl reads a date cell back as a datetime
        return value.date()
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def iso(page_date: str) -> str:
    """A date as the pages write it (dd/mm/yyyy) in the ISO form the CSV keeps."""
    return datetime.datetime.strptime(page_date, "%d/%m/%Y").date().isoformat()


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def money_total(query: str, params) -> Decimal:
    """The amounts a query returns (first column), summed to the cent in Python."""
    return sum((money(row[0]) for row in sql(query, params)), Decimal("0.00"))


COMMUNITY_VISITS = """
    FROM plantings_monitoringvisit v
    JOIN members_plot p ON p.id = v.plot_id
    JOIN members_member m ON m.id = p.member_id
    WHERE m.community_id = %s
"""


def trees_alive_at_latest_visits(community_id: int) -> int:
    """Trees counted alive at each plot's latest visit, summed over the community's plots."""
    latest = {}
    for plot_id, day in sql("SELECT v.plot_id, v.visited_on" + COMMUNITY_VISITS, [community_id]):
        latest[plot_id] = max(latest.get(plot_id, as_date(day)), as_date(day))
    counts = sql(
        "SELECT v.plot_id, v.visited_on, c.trees_alive "
        "FROM plantings_survivalcount c JOIN plantings_monitoringvisit v ON v.id = c.visit_id "
        "JOIN members_plot p ON p.id = v.plot_id JOIN members_member m ON m.id = p.member_id "
        "WHERE m.community_id = %s",
        [community_id],
    )
    return sum(alive for plot_id, day, alive in counts if as_date(day) == latest[plot_id])


def verified_stock(community_id: int, on_date: datetime.date) -> tuple[int, Decimal]:
    """Trees alive and verified tCO2e of the community at a date, recomputed from the raw rows
    as docs/carbon.md section 2 states the method: a planting is a cohort; the latest count of
    a plot and species goes to its cohorts planted by then, youngest first, each up to its trees
    planted; a cohort takes the mean AGB of its own latest sample trees (named by planting, or
    untagged while it was the plot's only cohort of the species), else its stratum's (species ×
    planting year, every community), else nothing; R per plot from AGB per hectare. Each tree's
    AGB comes from credits.carbon (the pure formulas), not from the database expression."""
    project = CarbonProject.current()
    counts = sql(
        "SELECT v.plot_id, c.species_id, v.visited_on, v.id, c.trees_alive "
        "FROM plantings_survivalcount c JOIN plantings_monitoringvisit v ON v.id = c.visit_id "
        "JOIN members_plot p ON p.id = v.plot_id JOIN members_member m ON m.id = p.member_id "
        "WHERE m.community_id = %s",
        [community_id],
    )
    latest_count = {}
    for plot_id, species_id, day, visit_id, alive in counts:
        key, when = (plot_id, species_id), (as_date(day), visit_id)
        if as_date(day) <= on_date and (key not in latest_count or when > latest_count[key][0]):
            latest_count[key] = (when, alive)
    cohorts = defaultdict(list)  # (plot, species) -> [(planted on, planting id, trees), ...]
    for pk, plot_id, species_id, day, trees in sql(
        "SELECT id, plot_id, species_id, planted_on, trees_planted FROM plantings_planting"
    ):
        if as_date(day) <= on_date:
            cohorts[(plot_id, species_id)].append((as_date(day), pk, trees))
    samples = sql(
        "SELECT v.plot_id, t.species_id, t.planting_id, v.visited_on, v.id, t.dbh_cm, "
        "t.height_m, s.wood_density_g_cm3 "
        "FROM plantings_treemeasurement t JOIN plantings_monitoringvisit v ON v.id = t.visit_id "
        "JOIN plantings_species s ON s.id = t.species_id"
    )
    groups = defaultdict(list)  # (plot, species, planting) -> [((date, visit), AGB kg), ...]
    for plot_id, species_id, planting_id, day, visit_id, dbh, height, density in samples:
        if as_date(day) > on_date:
            continue
        small = float(dbh) < float(project.min_measured_dbh_cm) or float(height) < 1.3
        agb = 0.0 if small else carbon.tree_agb_kg(dbh, height, density, project.equation)
        groups[(plot_id, species_id, planting_id)].append(((as_date(day), visit_id), agb))
    own = {}
    for (plot_id, species_id, planting_id), trees in sorted(
        groups.items(), key=lambda item: item[0][2] is None
    ):
        last = max(when for when, _ in trees)
        if planting_id is None:
            planted = [c for c in cohorts[(plot_id, species_id)] if c[0] <= last[0]]
            if len(planted) != 1 or planted[0][1] in own:
                continue
            planting_id = planted[0][1]
        own[planting_id] = [agb for when, agb in trees if when == last]
    strata = defaultdict(list)
    for (_plot, species_id), group in cohorts.items():
        for planted_on, pk, _trees in group:
            strata[(species_id, planted_on.year)] += own.get(pk, [])
    plots = dict(sql("SELECT id, area_ha FROM members_plot"))
    agb_t = defaultdict(float)
    valued = []
    alive_total = 0
    for (plot_id, species_id), ((day, _visit), alive) in latest_count.items():
        alive_total += alive
        group = [c for c in cohorts[(plot_id, species_id)] if c[0] <= day]
        for planted_on, pk, trees in sorted(group, reverse=True):
            taken, alive = min(alive, trees), alive - min(alive, trees)
            values = own.get(pk) or strata.get((species_id, planted_on.year))
            if values:
                valued.append((plot_id, taken * sum(values) / len(values)))
                agb_t[plot_id] += taken * sum(values) / len(values) / 1000
    co2e = 0.0
    for plot_id, kg in valued:
        ratio = 0.24 if agb_t[plot_id] / float(plots[plot_id]) > 125 else 0.20
        co2e += kg * (1 + ratio) * float(project.carbon_fraction) * 44 / 12 / 1000
    return alive_total, Decimal(repr(co2e))


def close_to(shown: Decimal, expected: Decimal, rows: int) -> bool:
    # Pages round each row to 0.01 t: a sum of n rows may be off by up to n × 0.005 t.
    return abs(shown - expected) <= Decimal("0.005") * rows + Decimal("0.001")


# --- the questions --------------------------------------------------------------------------


def test_trees_alive_in_pachiza_and_the_co2_they_hold(page, manager_user, pachiza):
    expected_alive = trees_alive_at_latest_visits(pachiza.pk)
    # The pages compute the verified stock at today's date; the demo's field work ends before.
    verified_alive, expected_co2e = verified_stock(pachiza.pk, timezone.localdate())
    assert expected_alive > 0 and expected_co2e > 0
    # Each plot's latest visit counts every species planted on it, so both readings agree.
    assert verified_alive == expected_alive

    log_in(page, "gerente")
    assert urlparse(page.url).path == "/"  # the dashboard
    expect(page.locator("html")).to_have_attribute("lang", "es")  # number() reads Spanish
    expect(page.locator("[data-figure=trees_alive]")).to_be_visible()

    # Click 1: the dashboard's "trees alive" figure opens the survival report; Pachiza's row.
    follow(page, "main a[href='/reports/survival/']")
    survival = row_named(table_rows(page, "by-community"), COMMUNITY)
    assert number(survival[1]) == expected_alive

    # Clicks 2-4: Reports, the community report, Pachiza: its members, survival and carbon.
    follow(page, "main .breadcrumb a[href='/reports/']")
    follow(page, "main a[href='/reports/community/']")
    apply_filters(page, community=COMMUNITY)
    assert f"community={pachiza.pk}" in page.url
    members = table_rows(page, "member-members")
    assert {row[0] for row in members} == set(
        Member.objects.filter(community=pachiza).values_list("code", flat=True)
    )
    assert all(row[2] == COMMUNITY for row in members)
    assert sum(number(row[7]) for row in members if row[7] != "–") == expected_alive
    by_species = table_rows(page, "survival-by-species")
    assert sum(number(row[1]) for row in by_species) == expected_alive
    carbon_species = table_rows(page, "carbon-by-species")
    assert sum(number(row[1]) for row in carbon_species) == expected_alive
    shown_co2e = sum(number(row[2]) for row in carbon_species)
    assert shown_co2e > 0
    assert close_to(shown_co2e, expected_co2e, len(carbon_species)), (shown_co2e, expected_co2e)
    carbon_members = table_rows(page, "carbon-by-member")
    assert close_to(sum(number(row[4]) for row in carbon_members), shown_co2e, 2 * len(members))

    # The carbon table as CSV and XLSX, filtered to Pachiza: the numbers on the page, units in
    # the headers.
    headers = table_headers(page, "carbon-by-species")
    assert headers[2].endswith("(t)") and headers[3].endswith("(t)")
    name, data = download(page, "section#carbon-by-species a[href*='format=csv']")
    assert name.startswith("community-carbon-by-species-") and name.endswith(".csv")
    rows = csv_rows(data)
    assert rows[0] == headers
    assert [(r[0], int(r[1]), Decimal(r[2])) for r in rows[1:]] == [
        (r[0], int(number(r[1])), number(r[2])) for r in carbon_species
    ]
    name, data = download(page, "section#carbon-by-species a[href*='format=xlsx']")
    assert name.endswith(".xlsx")
    rows = xlsx_rows(data)
    assert rows[0] == headers
    assert [(r[0], r[1], money(r[2])) for r in rows[1:]] == [
        (r[0], int(number(r[1])), number(r[2])) for r in carbon_species
    ]

    # The carbon report by community (Reports, Carbon stock) holds the same figures for Pachiza.
    # An exact recomputation is done above; this one checks the two pages tell one story.
    follow(page, "main .breadcrumb a[href='/reports/']")
    follow(page, "main a[href='/reports/carbon/']")
    row = row_named(table_rows(page, "by-community"), COMMUNITY)
    assert number(row[1]) == expected_alive
    assert close_to(number(row[2]), shown_co2e, len(carbon_species))
    assert close_to(number(row[2]), expected_co2e, 1)


def test_credits_sold_this_year_and_what_reached_the_producers(page, manager_user, pachiza):
    sales = sql(
        "SELECT id, quantity, producers_pool FROM credits_sale WHERE sold_on BETWEEN %s AND %s",
        [YEAR_FROM, YEAR_TO],
    )
    assert sales, "the demo sells credits in 2026"
    sold = sum(quantity for _, quantity, _ in sales)
    pool = sum(money(amount) for _, _, amount in sales)
    paid_shares = sql(
        "SELECT sh.amount, pay.paid_on, s.sold_on FROM credits_producershare sh "
        "JOIN credits_sale s ON s.id = sh.sale_id "
        "JOIN credits_payment pay ON pay.id = sh.payment_id "
        "WHERE s.sold_on BETWEEN %s AND %s",
        [YEAR_FROM, YEAR_TO],
    )
    reached = sum(money(amount) for amount, _, _ in paid_shares)
    assert reached > 0 and all(as_date(paid) >= as_date(on) for _, paid, on in paid_shares)
    all_sold = sql("SELECT SUM(quantity) FROM credits_sale")[0][0]
    all_paid = sum(money(amount) for (amount,) in sql("SELECT amount FROM credits_payment"))

    log_in(page, "gerente")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # The dashboard's all-time figures. Its "sold in <year>" figure is left alone: it follows
    # today's year and counts credit events by the day they were recorded, not the sale date.
    assert number(page.locator("[data-figure=sold]").inner_text()) == all_sold
    assert number(page.locator("[data-figure=paid_to_producers]").inner_text()) == all_paid

    # Click 1: the dashboard's money card opens the credits report; 2: this year's dates.
    follow(page, "main a[href='/reports/credits/#sales']")
    apply_filters(page, date_from=YEAR_FROM, date_to=YEAR_TO)
    shown = table_rows(page, "sales")
    assert len(shown) == len(sales)
    assert all(row[0].endswith("/2026") for row in shown)  # Peru's dd/mm/yyyy
    # date, buyer, vintage, quantity, price, currency, revenue, producers' pool, paid, to pay
    assert sum(number(row[3]) for row in shown) == sold
    assert sum(number(row[7]) for row in shown) == pool
    assert sum(number(row[8]) for row in shown) == reached
    assert sum(number(row[9]) for row in shown) == pool - reached

    # The sales table as CSV and XLSX, with this year's filter: the same rows, units in headers.
    headers = table_headers(page, "sales")
    assert headers[3].endswith("(tCO2e)")
    name, data = download(page, "section#sales a[href*='format=csv']")
    assert name.startswith("credits-sales-") and name.endswith(".csv")
    rows = csv_rows(data)
    assert rows[0] == headers
    on_page = [(iso(r[0]), int(number(r[3])), number(r[7]), number(r[8])) for r in shown]
    assert [(r[0], int(r[3]), Decimal(r[7]), Decimal(r[8])) for r in rows[1:]] == on_page
    name, data = download(page, "section#sales a[href*='format=xlsx']")
    assert name.startswith("credits-sales-") and name.endswith(".xlsx")
    rows = xlsx_rows(data)
    assert rows[0] == headers
    assert [
        (as_date(r[0]).isoformat(), r[3], money(r[7]), money(r[8])) for r in rows[1:]
    ] == on_page


def test_print_a_members_statement(page, manager_user, pachiza):
    # The member is found the way a manager would: this year's sale, a share not yet paid.
    sale = Sale.objects.filter(sold_on__range=(YEAR_FROM, YEAR_TO)).order_by("-sold_on").first()
    log_in(page, "gerente")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # Clicks: Carbon credits (navbar), Sales, the sale, the member of an unpaid share.
    follow(page, "nav a[href='/credits/']")
    follow(page, f"main a[href='{reverse('credits:sale_list')}']")
    follow(page, f"main a[href='{reverse('credits:sale_detail', args=[sale.pk])}']")
    shares = cells(page, "main tr:has(a[href^='/credits/members/'])")
    unpaid = [i for i, row in enumerate(shares) if row[3] == "—" and number(row[2]) > 0]
    assert unpaid, "the demo leaves some producers to pay"
    with page.expect_navigation(wait_until="load"):
        page.locator("main tr:has(a[href^='/credits/members/']) a").nth(unpaid[0]).click()
    member_id = int(re.search(r"/credits/members/(\d+)/statement/", page.url).group(1))
    member = Member.objects.get(pk=member_id)
    expect(page.locator("main h1 + p")).to_contain_text(member.code)

    shares_sql = "SELECT amount FROM credits_producershare WHERE member_id = %s"
    owed = money_total(shares_sql, [member_id])
    paid = money_total("SELECT amount FROM credits_payment WHERE member_id = %s", [member_id])
    unpaid_total = money_total(shares_sql + " AND payment_id IS NULL", [member_id])
    assert owed - paid == unpaid_total > 0  # a payment settles all that was owed at the time
    assert number(page.inner_text("#ledger-owed")) == owed
    assert number(page.inner_text("#ledger-paid")) == paid
    assert number(page.inner_text("#ledger-balance")) == owed - paid
    share_rows = sql("SELECT COUNT(*) FROM credits_producershare WHERE member_id = %s", [member_id])
    money_table = page.locator("section[aria-labelledby=money-heading] table tbody tr")
    expect(money_table).to_have_count(share_rows[0][0])

    # Printing: the print stylesheet hides the navigation and the buttons, the page prints.
    page.emulate_media(media="print")
    expect(page.locator("[data-print]")).to_be_hidden()
    expect(page.locator("nav.navbar").first).to_be_hidden()
    assert page.pdf(format="A4").startswith(b"%PDF")
    page.emulate_media(media="screen")

    # The statement as a PDF file (reports:member_statement_pdf). The statement page has no link
    # to it, so the manager's browser is sent to its address directly.
    pdf_url = reverse("reports:member_statement_pdf", args=[member_id])
    with page.expect_download() as info:
        page.evaluate(
            """url => { const a = document.createElement('a'); a.href = url;
                        document.body.appendChild(a); a.click(); }""",
            pdf_url,
        )
    assert info.value.suggested_filename.startswith(f"statement-{member.code.lower()}")
    with open(info.value.path(), "rb") as file:
        data = file.read()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for figure in (owed, paid, owed - paid):
        assert f"({figure:,})" in text, figure

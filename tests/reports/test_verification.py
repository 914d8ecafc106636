"""The verification package of a closed period: every frozen figure recomputed from the workbook
alone, by an independent implementation of docs/carbon.md (sections 1-3), as a verifier would."""

import datetime
import io
import json
import math
import zipfile
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from credits import services
from credits.models import CarbonProject
from reports.models import ExportJob
from tests.factories import (
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SpeciesFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
T90 = {1: 6.314, 2: 2.920, 3: 2.353, 4: 2.132, 5: 2.015, 6: 1.943, 7: 1.895, 8: 1.860}


def build():
    """Two plots, two species; plot 1 holds two plantings of cedro (samples name the planting)."""
    caoba = SpeciesFactory(local_name="Caoba V", wood_density_g_cm3=Decimal("0.486"))
    cedro = SpeciesFactory(local_name="Cedro V", wood_density_g_cm3=Decimal("0.418"))
    plot1 = PlotFactory(area_ha=Decimal("1.50"))
    plot2 = PlotFactory(area_ha=Decimal("0.40"))
    old = PlantingFactory(plot=plot1, species=cedro, trees_planted=300, planted_on=D(2011, 2, 1))
    young = PlantingFactory(plot=plot1, species=cedro, trees_planted=200, planted_on=D(2018, 2, 1))
    PlantingFactory(plot=plot1, species=caoba, trees_planted=250, planted_on=D(2011, 2, 1))
    PlantingFactory(plot=plot2, species=caoba, trees_planted=600, planted_on=D(2011, 3, 1))
    sizes = {  # per year: (dbh, height) of sample trees
        2018: [(9, 7), (11, 8), (10, 8), (12, 9)],
        2019: [(12, 9), (14, 10), (13, 10), (15, 11), (4, 3)],
        2020: [(15, 11), (17, 12), (16, 12), (18, 13), (16, 1)],
    }
    alive = {2018: (260, 150, 220, 560), 2019: (250, 180, 215, 555), 2020: (240, 170, 90, 550)}
    for year in (2018, 2019, 2020):
        day = D(year, 11, 20)
        v1 = MonitoringVisitFactory(plot=plot1, visited_on=day)
        v2 = MonitoringVisitFactory(plot=plot2, visited_on=day)
        old_alive, young_alive, caoba1, caoba2 = alive[year]
        SurvivalCountFactory(visit=v1, species=cedro, trees_alive=old_alive + young_alive)
        SurvivalCountFactory(visit=v1, species=caoba, trees_alive=caoba1)
        SurvivalCountFactory(visit=v2, species=caoba, trees_alive=caoba2)
        for dbh, height in sizes[year]:
            TreeMeasurementFactory(
                visit=v1, species=cedro, planting=old, dbh_cm=dbh, height_m=height
            )
            TreeMeasurementFactory(visit=v2, species=caoba, dbh_cm=dbh + 2, height_m=height)
        TreeMeasurementFactory(visit=v1, species=cedro, planting=young, dbh_cm=3, height_m=2)


def sheet(book, name) -> list[dict]:
    rows = list(book[name].values)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def pairs(book, name) -> dict:
    return {row["key"]: row["value"] for row in sheet(book, name)}


def recompute(book) -> dict:
    """The period's figures from the workbook, without the application's code."""
    period, params = pairs(book, "period"), pairs(book, "parameters")
    rho = {r["species_id"]: float(r["wood_density_g_cm3"]) for r in sheet(book, "species")}
    plots = {r["plot_id"]: (r["member_id"], float(r["area_ha"])) for r in sheet(book, "plots")}
    cohorts = sheet(book, "cohorts")
    for cohort in cohorts:
        cohort["planted_on"] = D.fromisoformat(cohort["planted_on"])
    cf, min_dbh = float(params["carbon_fraction"]), float(params["min_measured_dbh_cm"])
    max_error = float(params["max_sampling_error"])

    def agb(species_id, dbh, height):
        dbh, height = float(dbh), float(height)
        if dbh < min_dbh or height < 1.3:
            return 0.0
        return 0.0673 * (rho[species_id] * dbh * dbh * height) ** 0.976

    def stock(at: str) -> dict[int, float]:
        counts = {
            (r["plot_id"], r["species_id"]): (r["trees_alive"], D.fromisoformat(r["visited_on"]))
            for r in sheet(book, "counts")
            if r["at"] == at
        }
        groups = defaultdict(list)
        for r in sheet(book, "sample_trees"):
            if r["at"] == at:
                key = (r["plot_id"], r["species_id"], r["planting_id"] or None, r["visited_on"])
                groups[key].append(agb(r["species_id"], r["dbh_cm"], r["height_m"]))
        own = {}
        for (plot, species, planting, day), values in sorted(
            groups.items(), key=lambda g: g[0][2] is None
        ):
            if planting is None:
                planted = [
                    c["planting_id"]
                    for c in cohorts
                    if (c["plot_id"], c["species_id"]) == (plot, species)
                    and c["planted_on"] <= D.fromisoformat(day)
                ]
                if len(planted) != 1 or planted[0] in own:
                    continue
                planting = planted[0]
            own[planting] = values
        strata = defaultdict(list)
        for c in cohorts:
            if c["planting_id"] in own:
                strata[(c["species_id"], c["planted_on"].year)] += own[c["planting_id"]]
        share = {}
        for key, values in strata.items():
            n, mean = len(values), sum(values) / len(values)
            if mean == 0:
                share[key] = 0.0
            elif n < 2:
                share[key] = 1.0
            else:
                s = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
                error = T90[n - 1] * s / math.sqrt(n) / mean
                share[key] = min(1.0, max(0.0, error - max_error))
        alive = {}
        for (plot, species), (counted, day) in counts.items():
            group = [
                c
                for c in cohorts
                if (c["plot_id"], c["species_id"]) == (plot, species) and c["planted_on"] <= day
            ]
            for c in sorted(group, key=lambda c: (c["planted_on"], c["planting_id"]), reverse=True):
                alive[c["planting_id"]] = min(counted, c["trees_planted"])
                counted -= alive[c["planting_id"]]
        valued = []
        for c in cohorts:
            key = (c["species_id"], c["planted_on"].year)
            values = own.get(c["planting_id"]) or strata.get(key)
            if c["planting_id"] in alive and values:
                valued.append((c, alive[c["planting_id"]] * sum(values) / len(values), key))
        agb_t = defaultdict(float)
        for c, kg, _key in valued:
            agb_t[c["plot_id"]] += kg / 1000
        by_member = defaultdict(float)
        for c, kg, key in valued:
            member, area = plots[c["plot_id"]]
            ratio = 0.24 if agb_t[c["plot_id"]] / area > 125 else 0.20
            by_member[member] += kg * (1 + ratio) * cf * 44 / 12 / 1000 * (1 - share[key])
        return by_member

    end = stock("end")
    stock_end = sum(end.values())
    if period["chained"] == "yes":
        stock_start = float(period["previous_stock_end_co2e_t"])
    else:
        stock_start = sum(stock("start").values())
    gross = stock_end - stock_start - float(period["baseline_co2e_t"])
    net = gross - float(period["leakage_co2e_t"])
    cumulative_gross = float(period["ledger_gross_before_co2e_t"]) + gross
    cumulative_net = float(period["ledger_net_before_co2e_t"]) + net
    buffer_share = float(params["buffer_share"])
    buffer_target = math.ceil(cumulative_gross * buffer_share) if cumulative_gross > 0 else 0
    tradable = max(math.floor(cumulative_net - buffer_target), 0)
    return {
        "stock_end": stock_end,
        "stock_start": stock_start,
        "net": net,
        "issuable": max(tradable - int(period["ledger_tradable_issued_before"]), 0),
        "members_end": end,
    }


def test_the_frozen_figures_are_recomputed_from_the_workbook_alone(manager_client):
    project = CarbonProject.current()
    assert project.uncertainty_deduction
    build()
    periods = []
    for year in (2019, 2020):
        period = services.open_period(
            project=project, start_date=D(year, 1, 1), end_date=D(year, 12, 31), vintage=str(year)
        )
        periods.append(services.close_period(period=period))
        if periods[-1].issuable_credits or periods[-1].buffer_credits:
            services.issue_credits(period=periods[-1])
    for period in periods:
        book = load_workbook(io.BytesIO(package(manager_client, period)[".xlsx"]), read_only=True)
        figures = recompute(book)
        period.refresh_from_db()
        assert figures["stock_end"] == pytest.approx(float(period.stock_end_co2e_t), abs=1e-4)
        assert figures["stock_start"] == pytest.approx(float(period.stock_start_co2e_t), abs=1e-4)
        assert figures["net"] == pytest.approx(float(period.net_removals_co2e_t), abs=1e-4)
        assert figures["issuable"] == period.issuable_credits
        frozen = {r["member_id"]: float(r["stock_end_co2e_t"]) for r in sheet(book, "members")}
        assert frozen == pytest.approx(dict(figures["members_end"]), abs=1e-4)
    assert periods[1].uncertainty_deduction_co2e_t > 0  # the deduction is part of the recompute
    geojson = json.loads(package(manager_client, periods[0])["-plots.geojson"])
    assert {f["properties"]["area_ha"] for f in geojson["features"]} == {"1.50", "0.40"}


def package(client, period) -> dict[str, bytes]:
    """Ask for the package (a job, run inline by the tests' backend) and unzip its download:
    {"<suffix>": bytes} for the workbook (".xlsx") and the plots ("-plots.geojson")."""
    response = client.post(f"/reports/verification/{period.pk}/")
    assert response.status_code == 302 and response.url.startswith("/reports/exports/")
    download = client.get(response.url + "download/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="verification-{period.vintage}.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    prefix = f"verification-{period.vintage}"
    return {name.removeprefix(prefix): archive.read(name) for name in archive.namelist()}


def test_the_package_needs_the_period_permission(client, outsider, staff, manager):
    project = CarbonProject.current()
    period = services.open_period(
        project=project, start_date=D(2019, 1, 1), end_date=D(2019, 12, 31), vintage="2019"
    )
    url = f"/reports/verification/{period.pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client.post(url).status_code == 302 and not ExportJob.objects.exists()
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403 and not ExportJob.objects.exists()
    client.force_login(manager)
    assert client.get(url).status_code == 404  # an open period has no package yet
    assert client.post(url).status_code == 404 and not ExportJob.objects.exists()
    services.close_period(period=period)
    assert "Prepare the package" in client.get(url).content.decode()
    files = package(client, period)
    assert set(files) == {".xlsx", "-plots.geojson"}
    assert files[".xlsx"].startswith(b"PK")  # an XLSX is itself a ZIP
    client.force_login(staff)  # staff view periods: they may ask for their own package
    assert set(package(client, period)) == {".xlsx", "-plots.geojson"}
    assert ExportJob.objects.filter(status="done").count() == 2
